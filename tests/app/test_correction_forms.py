"""The review page's correction expanders (ui/corrections.py): each chooses a record in its select and edits
or deletes the chosen one, on a fresh workspace."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core import accounts
from core.schema import open_store
from core.settings import database_path
from reviews import pauses, register, returns
from reviews.rules import install_bundled_rule_sets
from tests.app.conftest import open_signed_in
from tests.conftest import COORD, PASSWORD

REFERENCE = "DHR-2026-01"


@pytest.fixture
def review_page(tmp_path, monkeypatch):
    """The review page of a review with a pause and an agency return, as the coordinator; and the store."""
    store = open_store(database_path(tmp_path))
    install_bundled_rule_sets(store)
    coordinator = accounts.add_user(store, COORD, username="coord", password=PASSWORD, role="coordinator")
    started = date.today() - timedelta(60)
    register.create_review(store, coordinator, reference=REFERENCE, pseudonym="Ivy", csp="C", notification_date=started)
    pauses.add_pause(store, coordinator, REFERENCE, reason="inquest", start=started + timedelta(10))
    returns.request_return(store, coordinator, REFERENCE, agency="Police", kind="IMR", requested=started)
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/review.py", {"ref": REFERENCE})
    assert not at.exception
    yield at, store
    store.close()


def test_the_chosen_pause_is_corrected(review_page):
    at, store = review_page
    chosen = at.selectbox(key="correct-pause")
    assert chosen.format_func(chosen.value).startswith("Inquest from")
    edit = [t for t in at.text_input if t.proto.form_id.startswith("edit-pause-")]
    next(t for t in edit if t.label == "Details").input("Coroner's inquest opened and adjourned")
    next(b for b in at.button if b.label == "Save the pause").click().run()
    assert not at.exception and not at.error
    assert [p.details for p in register.get_review(store, COORD, REFERENCE).pauses] == [
        "Coroner's inquest opened and adjourned"
    ]


def test_the_chosen_return_is_deleted_with_a_reason(review_page):
    at, store = review_page
    assert at.selectbox(key="correct-return").value.agency == "Police"
    next(t for t in at.text_input if t.proto.form_id.startswith("delete-return-")).input("Requested twice by mistake")
    next(b for b in at.button if b.label == "Delete the return").click().run()
    assert not at.exception and not at.error
    assert register.get_review(store, COORD, REFERENCE).returns == []
