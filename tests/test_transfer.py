"""JSON import and export of reviews: exact round trip, all-or-nothing import, field-specific errors."""

import copy
import json
from datetime import date

import pytest

from core import accounts
from core.errors import ValidationError
from core.schema import open_store
from demo import demo_document
from reviews import transfer
from reviews.rules import BUNDLED_DIR, install_bundled_rule_sets, install_rule_set
from tests.conftest import COORD, TODAY


@pytest.fixture
def document(people):
    """The demo reviews; their chairs ("chair", "chair2") exist in ``people``."""
    return demo_document(TODAY)


def test_round_trip_is_exact(store, coordinator, document, tmp_path):
    transfer.import_reviews(store, coordinator, json.dumps(document), today=TODAY)
    first = transfer.export_reviews(store, coordinator)
    other = open_store(tmp_path / "other.sqlite")
    install_bundled_rule_sets(other)
    for name in ("chair", "chair2"):
        accounts.add_user(other, COORD, username=name, password="long-enough-pw", role="chair")
    transfer.import_reviews(other, coordinator, json.dumps(first), today=TODAY)
    second = transfer.export_reviews(other, coordinator)
    assert second == first
    assert len(first["reviews"]) == len(document["reviews"])
    rose = next(r for r in first["reviews"] if r["pseudonym"] == "Rose")
    assert rose["pauses"][0]["end"] is None and rose["pauses"][0]["agreed_with_home_office"] is True
    assert rose["stages"]["notification"] == rose["notification_date"]


def test_export_holds_every_contract_field(store, coordinator, document):
    transfer.import_reviews(store, coordinator, json.dumps(document), today=TODAY)
    maya = next(r for r in transfer.export_reviews(store, coordinator)["reviews"] if r["pseudonym"] == "Maya")
    for key in (
        "reference",
        "pseudonym",
        "csp",
        "review_type",
        "death_date",
        "notification_date",
        "decision",
        "rule_set",
        "stages",
        "pauses",
        "agency_returns",
    ):
        assert key in maya
    returned = maya["agency_returns"][1]
    assert set(returned) >= {"agency", "kind", "requested", "due", "received", "chases"}
    assert returned["chases"] and all(date.fromisoformat(c) for c in returned["chases"])


def broken(document, mutate):
    doc = copy.deepcopy(document)
    mutate(doc)
    return json.dumps(doc, indent=2)


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (
            lambda d: d["reviews"][2]["stages"].update(decision="2020-01-01"),
            "stages.decision (2020-01-01) is before stages.notification",
        ),
        (lambda d: d["reviews"][2]["pauses"][0].update(start="2026-09-01", end="2026-08-01"), "pauses[0].end"),
        (
            lambda d: d["reviews"][3]["agency_returns"][0].update(agency="Ministry of Magic"),
            "agency_returns[0].agency: unknown agency",
        ),
        (
            lambda d: d["reviews"][0].update(notification_date="03/04/2026"),
            "notification_date: '03/04/2026' is not a date",
        ),
        (lambda d: d["reviews"][1]["stages"].update(published="2026-01-01"), "stages: published cannot be recorded"),
        (lambda d: d["reviews"][0]["stages"].update(bogus="2026-01-01"), "unknown stage key(s) bogus"),
        (lambda d: d["reviews"][4].update(decision="maybe"), "decision: 'maybe'"),
        (lambda d: d["reviews"][0].pop("pseudonym"), "pseudonym: required"),
        (lambda d: d["reviews"][5].update(chair="ghost"), "chair: 'ghost' is not an account"),
        (lambda d: d["reviews"][1].update(reference=d["reviews"][0]["reference"]), "already in the register"),
    ],
)
def test_bad_file_rejected_whole_with_field_and_line(store, coordinator, document, mutate, fragment):
    text = broken(document, mutate)
    with pytest.raises(ValidationError) as error:
        transfer.import_reviews(store, coordinator, text, today=TODAY)
    message = str(error.value)
    assert fragment in message, message
    assert "line " in message and "reviews[" in message
    assert store.read()["reviews"].count == 0
    assert store.read()["stage_events"].count == 0


def test_several_problems_reported_together(store, coordinator, document):
    def mutate(d):
        d["reviews"][0]["notification_date"] = "bad"
        d["reviews"][3]["agency_returns"][0]["agency"] = "Nobody"

    with pytest.raises(ValidationError) as error:
        transfer.import_reviews(store, coordinator, broken(document, mutate), today=TODAY)
    assert len(error.value.problems) == 2


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('{"reviews": [', "line 1, column"),
        ("[]", 'a "reviews" list'),
        ('{"reviews": {"a": 1}}', 'a "reviews" list'),
    ],
)
def test_not_a_review_file(store, coordinator, text, fragment):
    with pytest.raises(ValidationError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        transfer.import_reviews(store, coordinator, text, today=TODAY)


def test_future_stage_date_refused(store, coordinator, document):
    text = broken(document, lambda d: d["reviews"][0]["stages"].update(notification="2030-01-01"))
    with pytest.raises(ValidationError):
        transfer.import_reviews(store, coordinator, text, today=TODAY)


def test_a_round_trip_keeps_each_review_on_its_rule_set_version(store, coordinator, document, tmp_path):
    transfer.import_reviews(store, coordinator, json.dumps(document), today=TODAY)
    exported = transfer.export_reviews(store, coordinator)
    assert {r["rule_set_version"] for r in exported["reviews"]} == {"2016-12"}
    other = open_store(tmp_path / "other.sqlite")
    install_bundled_rule_sets(other)
    newer = json.loads((BUNDLED_DIR / "HO-2016.json").read_text()) | {"version": "2027-01"}
    install_rule_set(other, coordinator, document=newer)  # the newest: what a new review would get
    for name in ("chair", "chair2"):
        accounts.add_user(other, COORD, username=name, password="long-enough-pw", role="chair")
    transfer.import_reviews(other, coordinator, json.dumps(exported), today=TODAY)
    assert {r["rule_set_version"] for r in transfer.export_reviews(other, coordinator)["reviews"]} == {"2016-12"}

    unknown = copy.deepcopy(exported)
    for review in unknown["reviews"]:
        review["reference"] += "-X"
    unknown["reviews"][0]["rule_set_version"] = "2031-01"
    with pytest.raises(ValidationError, match=r"rule_set_version: HO-2016 version '2031-01' is not installed here"):
        transfer.import_reviews(other, coordinator, json.dumps(unknown), today=TODAY)
