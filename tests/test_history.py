"""Historical records on a fresh workspace: reviews brought in with only some stage dates known."""

from __future__ import annotations

import json

import pytest

from core.errors import PermissionDenied, ValidationError
from reviews import register
from tests.conftest import TODAY, run

HISTORY = {
    "format": "dhr-reviews",
    "version": 1,
    "reviews": [
        {
            "reference": "DHR-2019-02",
            "pseudonym": "Hazel",
            "csp": "Northvale",
            "notification_date": "2019-03-04",
            "decision": "hold",
            "stages": {"decision": "2019-03-28", "home_office_notified": "2019-04-02", "qa_submission": "2019-09-20"},
        }
    ],
}


def test_a_history_with_gaps_imports_on_a_fresh_workspace_and_its_deadlines_are_right(tmp_path):
    data = tmp_path / "data"
    source = tmp_path / "history.json"
    source.write_text(json.dumps(HISTORY))
    result = run(data, "reviews", "import", str(source))
    assert result.returncode == 0, result.stderr
    deadlines = json.loads(run(data, "reviews", "deadlines", "--json", "--today", "2026-11-23").stdout)
    status = {d["deadline"]: d["status"] for d in deadlines}
    assert status == {"decision": "met", "chair_appointed": "not_recorded", "completion": "met"}


def test_out_of_order_dates_are_refused_naming_both_stages(tmp_path):
    data = tmp_path / "data"
    bad = json.loads(json.dumps(HISTORY))
    bad["reviews"][0]["stages"]["qa_submission"] = "2019-03-30"
    bad["reviews"][0]["stages"]["draft_report"] = "2019-09-01"
    source = tmp_path / "history.json"
    source.write_text(json.dumps(bad))
    result = run(data, "reviews", "import", str(source))
    assert result.returncode == 2
    assert "stages.qa_submission (2019-03-30) is before stages.draft_report (2019-09-01)" in result.stderr


@pytest.fixture
def gappy(store, coordinator, new_review):
    reference = new_review("DHR-2019-02", notification_date="2019-03-04", chair="chair")
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on="2019-03-28", decision="hold", today=TODAY
    )
    with store.write("test") as tx:  # a later stage known from the papers, the ones between not
        row = next(tx.db["reviews"].rows_where("reference = ?", [reference]))
        register.insert_stage_event(tx, row["id"], "draft_report", __import__("datetime").date(2019, 9, 1))
    return reference


def test_missing_stages_show_as_not_recorded_and_can_be_filled_in_later(store, coordinator, people, gappy):
    review = register.get_review(store, coordinator, gappy)
    assert review.missing_stages[:2] == ["home_office_notified", "chair_appointed"]
    assert review.next_stage == "panel_signoff" and review.current_stage == "draft_report"
    register.record_missing_stage(store, people["chair"], gappy, stage="chair_appointed", completed_on="2019-04-20")
    with pytest.raises(PermissionDenied):
        register.record_missing_stage(
            store, people["chair"], gappy, stage="home_office_notified", completed_on="2019-04-01"
        )
    with pytest.raises(ValidationError, match="is before"):
        register.record_missing_stage(store, coordinator, gappy, stage="terms_of_reference", completed_on="2019-04-10")
    with pytest.raises(ValidationError, match="not a stage left unrecorded"):
        register.record_missing_stage(store, coordinator, gappy, stage="panel_signoff", completed_on="2019-09-10")
    review = register.get_review(store, coordinator, gappy)
    assert (
        "chair_appointed" not in review.missing_stages
        and review.stage_dates["chair_appointed"].isoformat() == "2019-04-20"
    )
