"""The demo workspace shows each situation it promises."""

import io
from datetime import timedelta

from core import accounts
from core.accounts import has_accounts
from core.schema import open_store
from demo import CSP, DEMO_PASSWORD, DEMO_USERS, build_demo_workspace, is_demo
from reviews import qa, register
from tests.conftest import TODAY


def test_demo_workspace_covers_every_situation(tmp_path):
    store = open_store(tmp_path / "dhr.sqlite")
    assert not has_accounts(store)
    build_demo_workspace(store, today=TODAY)
    assert is_demo(store) and not not has_accounts(store)
    coordinator = accounts.authenticate(store, "coordinator", DEMO_PASSWORD)
    reviews = register.list_reviews(store, coordinator)
    assert len(reviews) >= 6
    deadlines = register.all_deadlines(store, coordinator, TODAY)
    status = {(d.reference, d.deadline): d.status for d in deadlines}
    stages = {r.reference: r.current_stage for r in reviews}
    assert "overdue" in {status[(r.reference, "decision")] for r in reviews if r.decision == "pending"}
    paused = [r for r in reviews if status[(r.reference, "completion")] == "paused"]
    assert paused and paused[0].pauses[-1].reason == "criminal_trial"
    assert any(d.deadline == "agency_return" and d.status == "overdue" for d in deadlines)
    assert "qa_feedback" in stages.values() and "monitoring" in stages.values()
    assert any(r.decision == "not_to_hold" and not r.is_open for r in reviews)
    for review in reviews:  # one truth: the QA log and the stage list give the same dates
        rounds = qa.submissions(store, coordinator, review.reference)
        if rounds:
            assert review.stage_dates["qa_submission"] == rounds[0].sent_on
            assert review.stage_dates["qa_feedback"] == rounds[0].letter_date
    for user in DEMO_USERS:
        assert accounts.authenticate(store, user["username"], DEMO_PASSWORD).role == user["role"]
    assert {u["role"] for u in DEMO_USERS} == set(accounts.ROLES)


def test_demo_on_any_day_keeps_its_story(tmp_path):
    store = open_store(tmp_path / "dhr.sqlite")
    later = TODAY + timedelta(days=400)  # dates are relative to the build day
    build_demo_workspace(store, today=later)
    coordinator = accounts.get_viewer(store, "coordinator")
    status = {(d.reference, d.deadline): d.status for d in register.all_deadlines(store, coordinator, later)}
    assert status[("DHR-2026-07", "decision")] == "overdue"
    assert status[("DHR-2025-11", "completion")] == "paused"


def test_what_people_wrote_in_the_demo_shows_who_wrote_it(tmp_path):
    """Answers to the QA panel, progress notes and sign-offs show a person, never the builder's
    "system:demo", on the page and in the QA log's Word export."""
    from docx import Document

    from core.workspace import load as load_settings
    from exports.reports import qa_log
    from recommendations import plan

    store = open_store(tmp_path / "dhr.sqlite")
    build_demo_workspace(store, today=TODAY)
    coordinator = accounts.authenticate(store, "coordinator", DEMO_PASSWORD)
    people = {u["display_name"] for u in DEMO_USERS}
    areas = [a for a in qa.submissions(store, coordinator, "DHR-2025-04")[0].areas if a.answered_by]
    actions = plan.list_actions(store, coordinator)
    authors = {a.answered_by_name for a in areas} | {p.author_name for a in actions for p in a.progress}
    assert areas and authors <= people
    assert {a.signed_off_by for a in actions if a.signed_off_by} <= people
    review = register.get_review(store, coordinator, "DHR-2025-04")
    exported = qa_log(review, qa.submissions(store, coordinator, "DHR-2025-04"), branding=load_settings(store.read()))
    cells = " ".join(c.text for t in Document(io.BytesIO(exported)).tables for row in t.rows for c in row.cells)
    assert "Sam Okafor" in cells and "system" not in cells


def test_the_demo_names_its_partnership_on_its_word_documents(tmp_path):
    """The demo's Word documents (the National recommendations .docx among them) name its fictional partnership, as
    a real workspace's name the partnership set in Administration, never the generic "Community Safety Partnership"."""
    from docx import Document

    from core import workspace
    from exports.national import national_recommendations_docx

    store = open_store(tmp_path / "dhr.sqlite")
    build_demo_workspace(store, today=TODAY)
    branding = workspace.load(store.read())
    assert branding.partnership_name == CSP
    word = Document(io.BytesIO(national_recommendations_docx([], branding=branding)))
    assert word.core_properties.author == CSP
    assert word.paragraphs[1].text.startswith(f"{CSP} · recommendations addressed to national bodies")
    store.close()
