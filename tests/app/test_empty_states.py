"""Day one of a real workspace: a coordinator with no review yet, and a chair no review names, are told on
the dashboard and the review page what brings a review in (not "No review is assigned to you yet" to the
coordinator, who is never assigned one)."""

from __future__ import annotations

import pytest

from core import accounts
from core.schema import open_store
from core.settings import database_path
from reviews.rules import install_bundled_rule_sets
from tests.app.conftest import open_signed_in
from tests.conftest import COORD, PASSWORD


@pytest.fixture(scope="module")
def empty_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("day-one")
    store = open_store(database_path(directory))
    install_bundled_rule_sets(store)
    accounts.add_user(store, COORD, username="coord", password=PASSWORD, role="coordinator")
    accounts.add_user(store, COORD, username="chair1", password=PASSWORD, role="chair")
    store.close()
    return directory


@pytest.mark.parametrize(
    "user, says",
    [("coord", "register a death (Register a death)"), ("chair1", "names you as a review's independent chair")],
)
@pytest.mark.parametrize("page", ["pages/dashboard.py", "pages/review.py"])
def test_who_sees_no_review_is_told_what_brings_one_in(empty_dir, monkeypatch, user, says, page):
    store = open_store(database_path(empty_dir))
    person = accounts.get_viewer(store, user)
    store.close()
    at = open_signed_in(empty_dir, monkeypatch, person, page)
    assert not at.exception
    assert any(says in element.value for element in at.info), [e.value for e in at.info]
