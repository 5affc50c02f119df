"""Rule sets are data: parsed with field-specific errors, and a second one needs no code change."""

import copy
import json
from datetime import date

import pytest

from core.errors import ValidationError
from reviews import register
from reviews.rules import (
    BUNDLED_DIR,
    install_rule_set,
    load_rule_set,
    parse_rule_set,
    rule_set_names,
    rule_set_versions,
)
from tests.conftest import COORD, TODAY

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
        (lambda d: d.update(due_soon_days="14"), "rule set.due_soon_days"),
        (lambda d: d.update(due_soon_days=True), "rule set.due_soon_days"),
        (lambda d: d.update(working_day_calendar={"country": "XX"}), "not a known country code"),
        (lambda d: d.update(working_day_calendar={"country": "GB", "subdivision": "MARS"}), "subdivision"),
        (lambda d: d["deadlines"][0].update(pausable="yes"), "deadlines[0].pausable"),
        (lambda d: d["deadlines"][0].update(applies_to="hold"), "deadlines[0].applies_to"),
        (lambda d: d["deadlines"][0].update(label=3), "deadlines[0].label: must be text"),
        (lambda d: d["deadlines"][0].update(from_stage="notified"), "deadlines[0].from_stage"),
        (lambda d: d.update(timescale=6), "unknown field 'timescale'"),
        (lambda d: d["deadlines"][0].update(perod={"days": 3}), "deadlines[0]: unknown field 'perod'"),
    ],
)
def test_bad_rule_sets_are_refused_by_field(mutate, fragment):
    document = copy.deepcopy(HO_2016)
    mutate(document)
    with pytest.raises(ValidationError) as error:
        parse_rule_set(document)
    assert fragment in str(error.value)


def test_second_rule_set_added_as_data_changes_deadlines(store, coordinator, new_review):
    dardr = copy.deepcopy(HO_2016)
    dardr.update(name="DARDR-2026-DRAFT", version="consultation", title="Draft DARDR guidance (illustrative)")
    dardr["deadlines"][2]["period"] = {"months": 12}
    dardr["agency_returns"]["period"] = {"working_days": 15}
    install_rule_set(store, COORD, document=dardr)
    assert rule_set_names(store.read()) == ["DARDR-2026-DRAFT", "HO-2016"]
    reference = new_review(
        "DARDR-2026-01",
        pseudonym="Nia",
        review_type="DARDR",
        notification_date="2026-01-05",
        rule_set="DARDR-2026-DRAFT",
    )
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on="2026-01-20", decision="hold", today=TODAY
    )
    review = register.get_review(store, coordinator, reference)
    completion = next(d for d in register.review_deadlines(review, store, TODAY) if d.deadline == "completion")
    assert completion.due == date(2027, 1, 20) and completion.rule_set == "DARDR-2026-DRAFT"
    assert load_rule_set(store.read(), "DARDR-2026-DRAFT").return_due(date(2026, 2, 2)) == date(2026, 2, 23)


def test_every_problem_in_a_rule_set_is_named_at_once():
    document = copy.deepcopy(HO_2016)
    document["due_soon_days"] = -1
    document["deadlines"][0]["basis"] = "advisory"
    document["deadlines"][1]["period"] = {"days": "28"}
    with pytest.raises(ValidationError) as error:
        parse_rule_set(document)
    assert len(error.value.problems) == 3


def test_a_new_version_never_rewrites_running_reviews_until_moved_explicitly(store, coordinator, new_review):
    reference = new_review("DHR-2026-04", notification_date="2026-01-05")
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on="2026-01-20", decision="hold", today=TODAY
    )
    _check_versions(store, coordinator, reference, new_review)


def _completion(store, coordinator, reference):
    review = register.get_review(store, coordinator, reference)
    return next(d for d in register.review_deadlines(review, store, TODAY) if d.deadline == "completion")


def _check_versions(store, coordinator, reference, new_review):
    assert _completion(store, coordinator, reference).due == date(2026, 7, 20)
    newer = copy.deepcopy(HO_2016) | {"version": "2027-01"}
    newer["deadlines"][2]["period"] = {"months": 9}
    install_rule_set(store, COORD, document=newer)
    kept = _completion(store, coordinator, reference)
    assert kept.due == date(2026, 7, 20) and kept.rule_version == "2016-12"
    assert rule_set_versions(store.read(), "HO-2016") == ["2016-12", "2027-01"]
    audit_before = store.read()["audit_log"].count_where("entity = 'reviews'")
    register.move_to_rule_set_version(store, coordinator, reference, version="2027-01")
    moved = _completion(store, coordinator, reference)
    assert moved.due == date(2026, 10, 20) and moved.rule_version == "2027-01"
    assert store.read()["audit_log"].count_where("entity = 'reviews'") == audit_before + 1
    later = new_review("DHR-2026-05", notification_date="2026-01-06")
    assert register.get_review(store, coordinator, later).rule_set_version == "2027-01"


def test_the_same_version_with_other_rules_is_refused(store):
    changed = copy.deepcopy(HO_2016)
    changed["deadlines"][2]["period"] = {"months": 9}
    with pytest.raises(ValidationError, match="already installed with different rules"):
        install_rule_set(store, COORD, document=changed)
