"""Correcting mistakes: recommendations, actions, progress notes, agency returns, pauses and library
documents edited or deleted; deleting asks why, and the audit log keeps what was deleted and why."""

from __future__ import annotations

import json
from functools import partial

import pytest

from core.errors import NotFound, ValidationError
from indexing.library import Library
from recommendations import corrections, plan
from reviews import pauses, register, returns
from tests.conftest import TODAY

REFERENCE = "DHR-2026-01"


@pytest.fixture
def review(store, coordinator, people, new_review):
    new_review(REFERENCE, notification_date="2026-01-05", chair="chair")
    return REFERENCE


@pytest.fixture
def action(store, coordinator, review):
    rec = plan.add_recommendation(store, coordinator, review, number="1", text="Train GPs", scope="CSP")
    action_id = plan.add_action(
        store,
        coordinator,
        review,
        recommendation_id=rec,
        description="Train practice staff",
        owner_agency="Police",
        partner_agencies=["Housing"],
    )
    plan.update_action(store, coordinator, action_id, note="Two sessions held", evidence="Register", today=TODAY)
    return action_id


def deleted(store, entity: str) -> list[dict]:
    return [
        {"before": json.loads(r["before"]), "reason": r["reason"], "actor": r["actor"]}
        for r in store.read()["audit_log"].rows_where("entity = ? AND action = 'delete'", [entity])
    ]


def test_a_deletion_needs_a_reason_and_nothing_changes_without_one(store, coordinator, action):
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="say why this is being deleted"):
            corrections.delete_action(store, coordinator, action, why=blank)
    assert store.read()["actions"].count == 1


def test_deleting_a_recommendation_keeps_its_history_in_the_audit_log(store, coordinator, action):
    rec = plan.recommendations_for(store, coordinator, REFERENCE)[0]
    corrections.delete_recommendation(store, coordinator, rec.id, why="Entered against the wrong review")
    assert plan.recommendations_for(store, coordinator, REFERENCE) == []
    assert store.read()["action_progress"].count == 0 and store.read()["action_partners"].count == 0
    for entity in ("recommendations", "actions", "action_progress", "action_partners"):
        rows = deleted(store, entity)
        assert rows and all(r["reason"] == "Entered against the wrong review" for r in rows), entity
    assert deleted(store, "recommendations")[0]["before"]["text"] == "Train GPs"
    assert deleted(store, "action_progress")[0]["before"]["note"] == "Two sessions held"


def test_a_recommendation_is_corrected_and_its_number_stays_unique(store, coordinator, action):
    rec = plan.recommendations_for(store, coordinator, REFERENCE)[0]
    other = plan.add_recommendation(store, coordinator, REFERENCE, number="2", text="Share risk", scope="CSP")
    corrections.update_recommendation(store, coordinator, rec.id, number="1a", text="Train all GPs", scope="national")
    fixed = plan.recommendations_for(store, coordinator, REFERENCE)[0]
    assert (fixed.number, fixed.text, fixed.scope) == ("1a", "Train all GPs", "national")
    with pytest.raises(ValidationError, match="recommendation 1a already exists"):
        corrections.update_recommendation(store, coordinator, other, number="1a", text="Share risk", scope="CSP")


def test_an_action_is_corrected_owner_partners_and_target(store, people, action):
    chair = people["chair"]
    corrections.correct_action(
        store,
        chair,
        action,
        description="Train all practice staff",
        owner_agency="Integrated Care Board (GP services)",
        partner_agencies=["Police", "Integrated Care Board (GP services)"],
        target_date="2027-03-31",
    )
    fixed = plan.list_actions(store, chair)[0]
    assert fixed.description == "Train all practice staff" and fixed.target_date.isoformat() == "2027-03-31"
    assert fixed.owner_agency == "Integrated Care Board (GP services)" and fixed.partner_agencies == ["Police"]
    assert fixed.progress[0].note == "Two sessions held"  # progress is untouched
    with pytest.raises(ValidationError, match="unknown agency 'Nobody'"):
        corrections.correct_action(store, chair, action, description="x", owner_agency="Nobody")


def test_an_agency_lead_corrects_their_own_agency_notes_only(store, people, coordinator, action, review):
    lead = people["police.lead"]
    note = plan.list_actions(store, lead)[0].progress[0]
    corrections.correct_progress(store, lead, note.id, note="Three sessions held", evidence="Register, slides")
    assert plan.list_actions(store, lead)[0].progress[0].note == "Three sessions held"
    rec = plan.recommendations_for(store, coordinator, review)[0]
    housing = plan.add_action(
        store, coordinator, review, recommendation_id=rec.id, description="Train staff", owner_agency="Housing"
    )
    plan.update_action(store, coordinator, housing, note="Started", today=TODAY)
    other_note = store.read()["action_progress"].count
    with pytest.raises(NotFound):
        corrections.delete_progress(store, lead, other_note, why="not ours")
    corrections.delete_progress(store, lead, note.id, why="Duplicate of the March note")
    assert plan.list_actions(store, lead)[0].progress == []
    assert deleted(store, "action_progress")[0]["actor"] == "police.lead"


def test_a_pause_is_corrected_and_deadlines_follow(store, coordinator, review):
    register.complete_stage(
        store, coordinator, review, stage="decision", completed_on="2026-01-20", decision="hold", today=TODAY
    )
    pause = pauses.add_pause(
        store, coordinator, review, reason="inquest", start="2026-02-01", end="2026-03-01", agreed_with_home_office=True
    )
    before = {
        d.deadline: d.paused_days
        for d in register.review_deadlines(register.get_review(store, coordinator, review), store, TODAY)
    }
    pauses.update_pause(
        store, coordinator, review, pause_id=pause, reason="criminal_trial", start="2026-02-01", end="2026-05-01"
    )
    corrected = register.get_review(store, coordinator, review)
    assert corrected.pauses[0].reason == "criminal_trial"
    after = {d.deadline: d.paused_days for d in register.review_deadlines(corrected, store, TODAY)}
    assert after["completion"] > before["completion"] > 0
    with pytest.raises(ValidationError):
        pauses.update_pause(
            store, coordinator, review, pause_id=pause, reason="inquest", start="2026-05-01", end="2026-02-01"
        )
    pauses.delete_pause(store, coordinator, review, pause_id=pause, why="The trial was not a reason to pause")
    assert register.get_review(store, coordinator, review).pauses == []
    assert deleted(store, "pauses")[0]["reason"] == "The trial was not a reason to pause"


def test_a_return_is_corrected_or_deleted_with_its_chases(store, coordinator, review):
    return_id = returns.request_return(store, coordinator, review, agency="Police", kind="IMR", requested="2026-02-02")
    returns.record_chase(store, coordinator, review, return_id=return_id, chased_on="2026-03-20")
    correct = partial(returns.update_return, store, coordinator, review, return_id=return_id, requested="2026-02-02")
    correct(agency="Housing", kind="chronology", due="2026-03-30", received="2026-03-25")
    fixed = register.get_review(store, coordinator, review).returns[0]
    assert (fixed.agency, fixed.kind, fixed.due.isoformat(), fixed.received.isoformat()) == (
        "Housing",
        "chronology",
        "2026-03-30",
        "2026-03-25",
    )
    with pytest.raises(ValidationError, match="is before the request"):
        correct(agency="Housing", kind="IMR", due="2026-01-01")
    returns.delete_return(store, coordinator, review, return_id=return_id, why="Requested from the wrong agency")
    assert register.get_review(store, coordinator, review).returns == []
    assert deleted(store, "return_chases")[0]["reason"] == "Requested from the wrong agency"


def test_a_library_document_is_edited_not_reingested(store, coordinator, review, people, embedder):
    library = Library(store, embedder)
    result = library.ingest(
        b"# Brief\n\nLearning about coercive control.", "brief.md", viewer=coordinator, access="public"
    )
    passages = store.read()["chunks"].count
    library.update_document(
        coordinator,
        result.document_id,
        title="Safeguarding brief",
        kind="learning brief",
        access="confidential",
        review=review,
        csp="Northvale CSP",
        year=2024,
    )
    row = store.read()["documents"].get(result.document_id)
    assert (row["title"], row["access"], row["year"], row["csp"]) == (
        "Safeguarding brief",
        "confidential",
        2024,
        "Northvale CSP",
    )
    assert store.read()["chunks"].count == passages  # an edit, not a re-ingest
    assert library.lexical.search("safeguarding", {result.document_id}, set(), 5)  # the new title is indexed
    with pytest.raises(NotFound):  # confidential now: a partner no longer sees it
        library.original(people["partner"], result.document_id)
    assert library.original(people["chair"], result.document_id) == (
        "brief.md",
        b"# Brief\n\nLearning about coercive control.",
    )
    with pytest.raises(ValidationError, match="confidential document must be linked"):
        library.update_document(coordinator, result.document_id, review=None)
    library.delete(coordinator, result.document_id, why="Superseded by the 2025 brief")
    assert deleted(store, "documents")[0]["reason"] == "Superseded by the 2025 brief"
    assert not any(path.is_file() for path in library.originals.rglob("*"))  # its original file is gone
