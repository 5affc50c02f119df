"""Every write function checks the viewer's role itself: a role it does not allow is refused with
PermissionDenied and nothing is written (the audit log, which every write extends, stays as it was).

WRITES lists each write function with the roles allowed to call it; the closing note's table is this list.
"""

from __future__ import annotations

import json

import pytest

from core import accounts, agencies, sso, workspace
from core.errors import NotFound, PermissionDenied
from indexing import emerging
from indexing.library import Library
from indexing.themes import add_themes
from recommendations import corrections, plan, theming
from reviews import chronology, pauses, publication, qa, register, returns, rules
from reviews.mail import reminders, templates
from tests.conftest import TODAY, indexed_document

REFERENCE = "DHR-2026-01"
ROLES = ("coordinator", "chair", "chair2", "agency_lead", "partner", "board")
STRONG = "marble kettle orchard"


def _rule_set() -> dict:
    document = json.loads((rules.BUNDLED_DIR / "HO-2016.json").read_text())
    return document | {"version": "2027-01"}


# function name -> (roles allowed, the call)
WRITES = {
    "accounts.set_email (someone else's)": (
        {"coordinator"},
        lambda s, v, w: accounts.set_email(s, v, username="coord", email="coord@example.org"),
    ),
    "agencies.set_contact": (
        {"coordinator"},
        lambda s, v, w: agencies.set_contact(s, v, name="Police", contact_name="DS Kay", contact_email="k@example.org"),
    ),
    "mail templates.save": (
        {"coordinator"},
        lambda s, v, w: templates.save(s, v, key="test", subject="Test", body="Dear $name"),
    ),
    "mail templates.restore": ({"coordinator"}, lambda s, v, w: templates.restore(s, v, key="test")),
    "reminders.run": ({"coordinator"}, lambda s, v, w: reminders.run(s, v, today=TODAY)),
    "sso.grant": ({"coordinator"}, lambda s, v, w: sso.grant(s, v, identity_key="x|y", role="partner")),
    "accounts.add_user": (
        {"coordinator"},
        lambda s, v, w: accounts.add_user(s, v, username="newuser", password=STRONG, role="partner"),
    ),
    "accounts.reset_password": (
        {"coordinator"},
        lambda s, v, w: accounts.reset_password(s, v, username="chair", password=STRONG),
    ),
    "accounts.set_active": (
        {"coordinator"},
        lambda s, v, w: accounts.set_active(s, v, username="chair", active=False),
    ),
    "accounts.change_role": (
        {"coordinator"},
        lambda s, v, w: accounts.change_role(s, v, username="partner", role="coordinator"),
    ),
    "agencies.add_agency": ({"coordinator"}, lambda s, v, w: agencies.add_agency(s, v, name="Fire and Rescue")),
    "workspace.save": ({"coordinator"}, lambda s, v, w: workspace.save(s, v, partnership="Northvale CSP")),
    "workspace.set_logo": ({"coordinator"}, lambda s, v, w: workspace.set_logo(s, v, None)),
    "rules.install_rule_set": ({"coordinator"}, lambda s, v, w: rules.install_rule_set(s, v, document=_rule_set())),
    "register.create_review": (
        {"coordinator"},
        lambda s, v, w: register.create_review(
            s, v, reference="DHR-2026-09", pseudonym="Ann", csp="C", notification_date="2026-01-05", today=TODAY
        ),
    ),
    "register.update_review": (
        {"coordinator"},
        lambda s, v, w: register.update_review(s, v, REFERENCE, {"notes": "changed"}),
    ),
    "register.move_to_rule_set_version": (
        {"coordinator"},
        lambda s, v, w: register.move_to_rule_set_version(s, v, REFERENCE, version="2016-12"),
    ),
    "pauses.add_pause (agreed with the Home Office)": (
        {"coordinator"},
        lambda s, v, w: pauses.add_pause(
            s, v, REFERENCE, reason="criminal_trial", start="2026-02-01", agreed_with_home_office=True
        ),
    ),
    "pauses.add_pause (proposed)": (
        {"coordinator", "chair"},
        lambda s, v, w: pauses.add_pause(s, v, REFERENCE, reason="criminal_trial", start="2026-02-01"),
    ),
    "pauses.agree_pause": (
        {"coordinator"},
        lambda s, v, w: pauses.agree_pause(s, v, REFERENCE, pause_id=w["pause"]),
    ),
    "register.complete_stage (published)": (
        {"coordinator"},
        lambda s, v, w: register.complete_stage(
            s, v, REFERENCE, stage="published", completed_on="2026-03-01", today=TODAY
        ),
    ),
    "register.add_confidential_name": (
        {"coordinator", "chair"},
        lambda s, v, w: register.add_confidential_name(s, v, REFERENCE, category="victim", name="Jane Doe"),
    ),
    "qa.record_submission": (
        {"coordinator"},
        lambda s, v, w: qa.record_submission(s, v, REFERENCE, sent_on="2026-03-01", today=TODAY),
    ),
    "qa.record_letter": (
        {"coordinator"},
        lambda s, v, w: qa.record_letter(
            s, v, REFERENCE, submission_id=1, outcome="approved", letter_date="2026-04-01"
        ),
    ),
    "publication.accept": (
        {"coordinator"},
        lambda s, v, w: publication.accept(s, v, REFERENCE, finding_key="name|doe", reason="Family consent given"),
    ),
    "publication.record_web_address": (
        {"coordinator"},
        lambda s, v, w: publication.record_web_address(s, v, REFERENCE, url="https://example.org/dhr"),
    ),
    "chronology.decide_duplicate": (
        {"coordinator", "chair"},
        lambda s, v, w: chronology.decide_duplicate(s, v, REFERENCE, entry_id=1, confirmed=True),
    ),
    "plan.add_recommendation": (
        {"coordinator", "chair"},
        lambda s, v, w: plan.add_recommendation(s, v, REFERENCE, number="9", text="Train staff", scope="CSP"),
    ),
    "Library.ingest": (
        {"coordinator"},  # a chair too, for a review they chair: see test_a_chair_adds_documents_only_to_their_review
        lambda s, v, w: Library(s).ingest(b"Some text about risk.", "note.txt", viewer=v),
    ),
    "Library.delete": ({"coordinator"}, lambda s, v, w: Library(s).delete(v, w["document"], why="added by mistake")),
    "Library.update_document": (
        {"coordinator"},
        lambda s, v, w: Library(s).update_document(v, w["document"], year=2020),
    ),
    "pauses.update_pause": (
        {"coordinator", "chair"},
        lambda s, v, w: pauses.update_pause(s, v, REFERENCE, pause_id=w["pause"], reason="inquest", start="2026-01-21"),
    ),
    "pauses.delete_pause": (
        {"coordinator", "chair"},
        lambda s, v, w: pauses.delete_pause(s, v, REFERENCE, pause_id=w["pause"], why="recorded twice"),
    ),
    "pauses.update_pause (agreed with the Home Office)": (
        {"coordinator"},
        lambda s, v, w: pauses.update_pause(
            s, v, REFERENCE, pause_id=w["agreed_pause"], reason="inquest", start="2026-03-02", end="2026-03-10"
        ),
    ),
    "pauses.end_pause (agreed with the Home Office)": (
        {"coordinator"},
        lambda s, v, w: pauses.end_pause(s, v, REFERENCE, pause_id=w["agreed_pause"], end="2026-03-05"),
    ),
    "pauses.delete_pause (agreed with the Home Office)": (
        {"coordinator"},
        lambda s, v, w: pauses.delete_pause(s, v, REFERENCE, pause_id=w["agreed_pause"], why="recorded twice"),
    ),
    "returns.update_return": (
        {"coordinator", "chair"},
        lambda s, v, w: returns.update_return(
            s,
            v,
            REFERENCE,
            return_id=w["return"],
            agency="Police",
            kind="IMR",
            requested="2026-02-01",
            due="2026-03-15",
        ),
    ),
    "returns.delete_return": (
        {"coordinator", "chair"},
        lambda s, v, w: returns.delete_return(s, v, REFERENCE, return_id=w["return"], why="wrong agency"),
    ),
    "corrections.update_recommendation": (
        {"coordinator", "chair"},
        lambda s, v, w: corrections.update_recommendation(
            s, v, w["recommendation"], number="1", text="Train", scope="CSP"
        ),
    ),
    "corrections.delete_recommendation": (
        {"coordinator", "chair"},
        lambda s, v, w: corrections.delete_recommendation(s, v, w["recommendation"], why="duplicate"),
    ),
    "corrections.correct_action": (
        {"coordinator", "chair"},
        lambda s, v, w: corrections.correct_action(s, v, w["action"], description="Audit", owner_agency="Police"),
    ),
    "corrections.delete_action": (
        {"coordinator", "chair"},
        lambda s, v, w: corrections.delete_action(s, v, w["action"], why="duplicate"),
    ),
    "corrections.correct_progress": (
        {"coordinator", "chair", "agency_lead"},
        lambda s, v, w: corrections.correct_progress(s, v, w["progress"], note="Audit done in March"),
    ),
    "corrections.delete_progress": (
        {"coordinator", "chair", "agency_lead"},
        lambda s, v, w: corrections.delete_progress(s, v, w["progress"], why="wrong action"),
    ),
    "themes.add_themes": (
        {"coordinator"},
        lambda s, v, w: add_themes(
            s, v, document=[{"key": "gambling_harm", "label": "Gambling", "group": "circumstances", "description": "x"}]
        ),
    ),
    "Tagging.decide_passage": (
        {"coordinator"},
        lambda s, v, w: Library(s).tagging.decide_passage(v, chunk_id=1, theme_key="stalking", confirmed=True),
    ),
    "Tagging.retag": ({"coordinator"}, lambda s, v, w: Library(s).tagging.retag(v)),
    "emerging.compute": ({"coordinator"}, lambda s, v, w: emerging.compute(Library(s), v)),
    "emerging.promote": (
        {"coordinator"},
        lambda s, v, w: emerging.promote(Library(s), v, 1, key="k_new", label="K", description="K"),
    ),
    "theming.refresh": ({"coordinator", "chair", "chair2"}, lambda s, v, w: theming.refresh(s, Library(s), v, ())),
    "theming.decide_recommendation_theme": (
        {"coordinator"},
        lambda s, v, w: theming.decide_recommendation_theme(
            s, Library(s), v, w["recommendation"], "training", accepted=True
        ),
    ),
}


@pytest.fixture
def world(store, people, new_review):
    coordinator = people["coord"]
    new_review(REFERENCE, pseudonym="Rose", notification_date="2026-01-05", chair="chair")
    pause = pauses.add_pause(store, coordinator, REFERENCE, reason="inquest", start="2026-01-20")
    agreed_pause = pauses.add_pause(
        store,
        coordinator,
        REFERENCE,
        reason="criminal_trial",
        start="2026-03-01",
        end="2026-03-10",
        agreed_with_home_office=True,
    )
    recommendation = plan.add_recommendation(store, coordinator, REFERENCE, number="1", text="Train GPs", scope="CSP")
    action = plan.add_action(
        store, coordinator, REFERENCE, recommendation_id=recommendation, description="Audit", owner_agency="Police"
    )
    plan.update_action(store, coordinator, action, note="Audit started", today=TODAY)
    progress = store.read()["action_progress"].count
    return {
        "pause": pause,
        "agreed_pause": agreed_pause,
        "document": indexed_document(store),
        "recommendation": recommendation,
        "action": action,
        "progress": progress,
        "return": returns.request_return(
            store, coordinator, REFERENCE, agency="Police", kind="IMR", requested="2026-02-01"
        ),
    }


def _viewer(people, role: str):
    return people[{"coordinator": "coord", "agency_lead": "police.lead"}.get(role, role)]


@pytest.mark.parametrize(
    "name, role",
    [(name, role) for name, (allowed, _) in WRITES.items() for role in ROLES if role not in allowed],
)
def test_a_role_not_allowed_is_refused_and_nothing_is_written(store, people, world, name, role):
    _, call = WRITES[name]
    audit_before = store.read()["audit_log"].count
    # another review's chair is not even told the review exists
    with pytest.raises((PermissionDenied, NotFound) if role == "chair2" else PermissionDenied):
        call(store, _viewer(people, role), world)
    assert store.read()["audit_log"].count == audit_before


def test_a_partner_cannot_create_an_account_that_signs_in_as_coordinator(store, people):
    with pytest.raises(PermissionDenied):
        accounts.add_user(store, people["partner"], username="sneaky", password=STRONG, role="coordinator")
    assert not store.read()["users"].count_where("username = 'sneaky'")


def test_a_chair_adds_documents_only_to_their_review(store, people, world):
    library = Library(store)
    with pytest.raises(PermissionDenied):
        library.ingest(b"Text", "other.txt", viewer=people["chair2"], access="confidential", review=REFERENCE)
    with pytest.raises(PermissionDenied):
        library.ingest(b"Text", "other.txt", viewer=people["chair"])  # not linked to their review
