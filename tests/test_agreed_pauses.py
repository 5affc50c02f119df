"""Only a pause agreed with the Home Office moves the statutory clock (issue #20, item 1): a proposed
pause waits for the coordinator, never stops the clock, and once agreed only the coordinator changes it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.errors import PermissionDenied
from reviews import attention, pauses, register
from tests.conftest import run

DECIDED = "2024-09-30"
ON = date(2025, 5, 15)


def _decided_review(new_review, store, coordinator, reference="DHR-2024-09", chair="chair") -> str:
    new_review(reference, notification_date="2024-09-10", chair=chair, today=ON)
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on=DECIDED, decision="hold", today=ON
    )
    return reference


def _completion(store, viewer, reference):
    review = register.get_review(store, viewer, reference)
    return next(d for d in register.review_deadlines(review, store, ON) if d.deadline == "completion")


def test_a_proposed_pause_leaves_the_completion_deadline_overdue(store, people, new_review):
    coordinator, chair = people["coord"], people["chair"]
    reference = _decided_review(new_review, store, coordinator)
    pause = pauses.add_pause(store, chair, reference, reason="inquest", start="2025-02-03")
    completion = _completion(store, coordinator, reference)
    assert (completion.status, completion.due, completion.paused_days) == ("overdue", date(2025, 3, 30), 0)
    review = register.get_review(store, coordinator, reference)
    assert pauses.state(review.pauses[0]).startswith("Proposed, waiting for the coordinator")
    deadlines = register.review_deadlines(review, store, ON)
    assert attention.headline([review], deadlines, ON).paused == 0  # the dashboard's figures follow

    pauses.agree_pause(store, coordinator, reference, pause_id=pause)
    completion = _completion(store, coordinator, reference)
    assert completion.status == "paused" and completion.due is None
    pauses.end_pause(store, coordinator, reference, pause_id=pause, end="2025-03-02")  # 28 days
    completion = _completion(store, coordinator, reference)
    assert (completion.due, completion.paused_days, completion.status) == (date(2025, 4, 27), 28, "overdue")


def test_once_agreed_only_the_coordinator_changes_or_deletes_a_pause(store, people, new_review):
    coordinator, chair = people["coord"], people["chair"]
    reference = _decided_review(new_review, store, coordinator)
    proposed = pauses.add_pause(store, chair, reference, reason="inquest", start="2025-02-03")
    # while it is only proposed, it is still the chair's to correct
    pauses.update_pause(store, chair, reference, pause_id=proposed, reason="inquest", start="2025-02-04")
    pauses.agree_pause(store, coordinator, reference, pause_id=proposed)
    audit_before = store.read()["audit_log"].count
    for change in (
        lambda: pauses.update_pause(store, chair, reference, pause_id=proposed, reason="inquest", start="2025-01-01"),
        lambda: pauses.end_pause(store, chair, reference, pause_id=proposed, end="2025-06-01"),
        lambda: pauses.delete_pause(store, chair, reference, pause_id=proposed, why="not needed"),
    ):
        with pytest.raises(PermissionDenied, match="Only the coordinator"):
            change()
    assert store.read()["audit_log"].count == audit_before
    agreed = register.get_review(store, chair, reference).pauses[0].agreed_with_home_office
    assert not pauses.may_change(chair, agreed) and pauses.may_change(coordinator, agreed)

    pauses.update_pause(store, coordinator, reference, pause_id=proposed, reason="inquest", start="2025-02-03")
    changed = [
        r for r in store.read()["audit_log"].rows_where("entity = 'pauses' AND action = 'update'", order_by="id")
    ][-1]
    assert changed["actor"] == "coord" and json.loads(changed["after"]) == {"start": "2025-02-03"}


def _review_file(path, *, agreed: bool, end: str | None) -> None:
    pause = {"reason": "inquest", "start": "2025-02-03", "end": end, "agreed_with_home_office": agreed}
    review = {
        "reference": "DHR-2024-09",
        "pseudonym": "Ivy",
        "csp": "Northvale CSP",
        "notification_date": "2024-09-10",
        "decision": "hold",
        "stages": {"decision": DECIDED},
        "pauses": [pause],
    }
    path.write_text(json.dumps({"format": "dhr-reviews", "version": 1, "reviews": [review]}))


@pytest.mark.parametrize(
    "agreed, end, status, due",
    [
        (False, None, "overdue", "2025-03-30"),  # proposed: the clock runs on
        (True, "2025-03-02", "overdue", "2025-04-27"),  # agreed, 28 days: moved by 28 days
    ],
)
def test_the_deadlines_command_on_a_fresh_workspace(tmp_path, agreed, end, status, due):
    data, source = tmp_path / "fresh-data", tmp_path / "review.json"
    _review_file(source, agreed=agreed, end=end)
    imported = run(data, "reviews", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    result = run(data, "reviews", "deadlines", "--json", "--today", ON.isoformat())
    assert result.returncode == 0, result.stderr
    completion = next(d for d in json.loads(result.stdout) if d["deadline"] == "completion")
    assert (completion["status"], completion["due"]) == (status, due)
