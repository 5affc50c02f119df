"""Rule sets are data: parsed with field-specific errors, and a second one needs no code change."""

import copy
import json
from datetime import date

import pytest

from core.errors import ValidationError
from reviews import register
from reviews.rules import BUNDLED_DIR, install_rule_set, load_rule_set, parse_rule_set, rule_set_names
from tests.conftest import TODAY
from tests.conftest import COORD

HO_2016 = json.loads((BUNDLED_DIR / "HO-2016.json").read_text())


def test_bundled_rule_set_marks_statutory_and_local_rules():
    rule_set = parse_rule_set(HO_2016)
    bases = {r.key: r.basis for r in rule_set.deadlines}
    assert bases == {"decision": "statutory", "chair_appointed": "local", "completion": "statutory"}
    assert rule_set.agency_returns.basis == "local"


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda d: d.pop("name"), "rule set.name: missing"),
        (lambda d: d["deadlines"][0].update(period={"weeks": 2}), "deadlines[0].period"),
        (lambda d: d["deadlines"][1].update(basis="advisory"), "deadlines[1].basis"),
        (lambda d: d["deadlines"][2].update(met_by_stage="sent"), "deadlines[2].met_by_stage"),
        (lambda d: d["deadlines"][0].update(period={"months": -1}), "deadlines[0].period.months"),
        (lambda d: d.update(deadlines=[]), "list at least one deadline"),
        (lambda d: d.pop("agency_returns"), "agency_returns: missing"),
    ],
)
def test_bad_rule_sets_are_refused_by_field(mutate, fragment):
    document = copy.deepcopy(HO_2016)
    mutate(document)
    with pytest.raises(ValidationError) as error:
        parse_rule_set(document)
    assert fragment in str(error.value)


def test_second_rule_set_added_as_data_changes_deadlines(store, coordinator):
    dardr = copy.deepcopy(HO_2016)
    dardr.update(name="DARDR-2026-DRAFT", version="consultation", title="Draft DARDR guidance (illustrative)")
    dardr["deadlines"][2]["period"] = {"months": 12}
    dardr["agency_returns"]["period"] = {"working_days": 15}
    install_rule_set(store, COORD, document=dardr)
    assert rule_set_names(store.read()) == ["DARDR-2026-DRAFT", "HO-2016"]
    reference = register.create_review(
        store,
        coordinator,
        reference="DARDR-2026-01",
        pseudonym="Nia",
        csp="C",
        review_type="DARDR",
        notification_date="2026-01-05",
        rule_set="DARDR-2026-DRAFT",
        today=TODAY,
    )
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on="2026-01-20", decision="hold", today=TODAY
    )
    review = register.get_review(store, coordinator, reference)
    completion = next(d for d in register.review_deadlines(review, store, TODAY) if d.deadline == "completion")
    assert completion.due == date(2027, 1, 20) and completion.rule_set == "DARDR-2026-DRAFT"
    assert load_rule_set(store.read(), "DARDR-2026-DRAFT").return_due(date(2026, 2, 2)) == date(2026, 2, 23)
