"""Progress on an action (issue #20, items 13 and 14): saving nothing records nothing; a deleted or
corrected note takes its evidence off the action and its exports; Complete needs evidence or a stated
reason, clears an officer's RAG override, and a complete action never shows Red."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.errors import ValidationError
from recommendations import corrections, plan, spreadsheet
from tests.conftest import TODAY, indexed_document

REFERENCE = "DHR-2026-01"


@pytest.fixture
def action(store, coordinator, people, new_review):
    new_review(REFERENCE, notification_date="2026-01-05", chair="chair")
    rec = plan.add_recommendation(store, coordinator, REFERENCE, number="1", text="Train GPs", scope="CSP")
    return plan.add_action(
        store,
        coordinator,
        REFERENCE,
        recommendation_id=rec,
        description="Train practice staff",
        owner_agency="Police",
        target_date="2026-06-30",  # past: the derived RAG is Red until it is complete
    )


def _action(store, viewer, action_id) -> plan.Action:
    return next(a for a in plan.list_actions(store, viewer) if a.id == action_id)


def _exported_evidence(store, viewer) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheet.export_xlsx(plan.list_actions(store, viewer), TODAY))).active
    headers = [cell.value for cell in sheet[1]]
    return sheet.cell(row=2, column=headers.index("Evidence") + 1).value or ""


def test_saving_with_nothing_typed_and_the_status_unchanged_records_nothing(store, people, action):
    lead = people["police.lead"]
    audit_before = store.read()["audit_log"].count
    with pytest.raises(ValidationError, match="Nothing to save"):
        plan.update_action(store, lead, action, status="not_started", note="  ", evidence="", today=TODAY)
    assert store.read()["action_progress"].count == 0
    assert store.read()["audit_log"].count == audit_before


def test_a_deleted_or_corrected_note_takes_its_evidence_off_the_action(store, people, action):
    lead = people["police.lead"]
    document = indexed_document(store, "Training register", "1" * 64)
    plan.update_action(store, lead, action, note="First session", evidence="Sign-in sheet 1", today=TODAY)
    plan.update_action(
        store, lead, action, note="Wrong action", evidence="Fire drill log", evidence_document_id=document, today=TODAY
    )
    assert "Fire drill log" in _exported_evidence(store, lead)
    wrong = _action(store, lead, action).progress[-1]
    corrections.delete_progress(store, lead, wrong.id, why="Belongs to another action")
    after = store.read()["actions"].get(action)
    assert after["evidence"] == "Sign-in sheet 1" and after["evidence_document_id"] is None
    assert "Fire drill log" not in _exported_evidence(store, lead)

    first = _action(store, lead, action).progress[0]
    corrections.correct_progress(store, lead, first.id, note="First session", evidence="Sign-in sheet (corrected)")
    assert _action(store, lead, action).evidence == "Sign-in sheet (corrected)"
    assert _exported_evidence(store, lead) == "Sign-in sheet (corrected)"


def test_complete_needs_evidence_or_a_stated_reason(store, people, action):
    lead = people["police.lead"]
    with pytest.raises(ValidationError, match="add the evidence that shows it was done"):
        plan.update_action(store, lead, action, status="complete", note="Done", today=TODAY)
    assert _action(store, lead, action).status == "not_started"
    assert store.read()["action_progress"].count == 0

    plan.update_action(
        store, lead, action, status="complete", note="Done", why_no_evidence="Delivered by NHS England", today=TODAY
    )
    done = _action(store, lead, action)
    assert done.status == "complete" and done.completed_on == TODAY
    assert "completed without evidence: Delivered by NHS England" in done.progress[-1].note


def test_completing_clears_the_override_and_a_complete_action_is_never_red(store, people, action):
    lead = people["police.lead"]
    plan.override_rag(store, lead, action, rag="red", reason="Trainer off sick")
    assert _action(store, lead, action).rag(TODAY) == "red"
    plan.update_action(store, lead, action, status="complete", note="Delivered", evidence="Register", today=TODAY)
    done = _action(store, lead, action)
    assert (done.rag_override, done.rag_override_reason, done.rag(TODAY)) == (None, "", "green")
    with pytest.raises(ValidationError, match="a complete action cannot be Red"):
        plan.override_rag(store, lead, action, rag="red", reason="Still worried")
    # a Red override left from before this release is not shown on a complete action
    with store.write("test") as tx:
        tx.update("actions", action, {"rag_override": "red", "rag_override_reason": "old"})
    assert _action(store, lead, action).rag(TODAY) == "green"
