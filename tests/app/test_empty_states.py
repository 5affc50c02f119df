"""Day one of a real workspace: a coordinator with no review yet, and a chair no review names, are told on
the dashboard and the review page what brings a review in (not "No review is assigned to you yet" to the
coordinator, who is never assigned one); every role's other screens say why they are empty and what fills
them, never a blank, an empty chart or "No ... matches these filters" when nothing was filtered."""

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
    accounts.add_user(store, COORD, username="lead", password=PASSWORD, role="agency_lead", agency="Police")
    accounts.add_user(store, COORD, username="partner", password=PASSWORD, role="partner")
    accounts.add_user(store, COORD, username="board", password=PASSWORD, role="board")
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


def _open(empty_dir, monkeypatch, user: str, page: str):
    store = open_store(database_path(empty_dir))
    person = accounts.get_viewer(store, user)
    store.close()
    at = open_signed_in(empty_dir, monkeypatch, person, page)
    assert not at.exception
    return at


EVERYONE = ["coord", "chair1", "lead", "partner", "board"]
NO_DOCUMENTS = {"coord": "No documents in the library yet", **dict.fromkeys(EVERYONE[1:], "No library document you")}


@pytest.mark.parametrize("user", EVERYONE)
def test_the_recurring_lessons_say_why_nothing_recurs_without_a_document(empty_dir, monkeypatch, user):
    """The Themes page stopped at "No documents in the library yet", so the recurring lessons, which read the
    review plans too, were out of reach; when they were reached and nothing recurred, a grey line said only that."""
    at = _open(empty_dir, monkeypatch, user, "pages/themes.py")
    info = [i.value for i in at.info]
    assert any(i.startswith(NO_DOCUMENTS[user]) for i in info), info
    assert "Recurring lessons" in [h.value for h in at.subheader]
    recurs = next(i for i in info if i.startswith("Nothing recurs yet."))
    assert "There is no recommendation you can read to compare yet" in recurs
    assert "a lesson recurs when two different reviews or reports make it" in recurs


@pytest.mark.parametrize("user", EVERYONE)
def test_search_says_the_library_holds_nothing_to_search(empty_dir, monkeypatch, user):
    """It said nothing, and its Themes filter offered "No options to select": the shipped vocabulary was
    installed only when the first document was tagged."""
    at = _open(empty_dir, monkeypatch, user, "pages/search.py")
    assert any(i.value.startswith(NO_DOCUMENTS[user]) and "searched here" in i.value for i in at.info)
    offered = next(m for m in at.multiselect if m.label == "Themes").options
    assert "Coercive and controlling behaviour" in offered and len(offered) > 20


@pytest.mark.parametrize("user", ["coord", "chair1"])
@pytest.mark.parametrize("page", ["pages/register.py", "pages/import_plan.py"])
def test_an_empty_register_says_what_brings_a_review_in(empty_dir, monkeypatch, user, page):
    at = _open(empty_dir, monkeypatch, user, page)
    info = [i.value for i in at.info]
    assert not any("matches these filters" in i or i.startswith("Choose the review") for i in info), info
    says = "register a death (Register a death)" if user == "coord" else "names you as a review's independent chair"
    assert any(says in i for i in info), info


@pytest.mark.parametrize("user, says", [
    ("coord", "No actions yet: they belong to the recommendations of a review's action plan"),
    ("chair1", "No actions yet: they belong to the recommendations of a review's action plan"),
    ("lead", "No action is assigned to Police yet"),
])  # fmt: skip
def test_no_actions_says_where_actions_come_from(empty_dir, monkeypatch, user, says):
    at = _open(empty_dir, monkeypatch, user, "pages/actions.py")
    info = [i.value for i in at.info]
    assert not any("matches these filters" in i for i in info) and any(i.startswith(says) for i in info), info
    headings = [h.value for h in at.subheader]
    assert "Implementation by agency" not in headings and "Due soonest: what to update" not in headings  # over nothing
    assert not at.success  # not "None of your agency's actions is open" when it has none


@pytest.mark.parametrize("user", EVERYONE)
def test_no_recommendation_is_said_in_words_not_drawn_as_an_empty_chart(empty_dir, monkeypatch, user):
    at = _open(empty_dir, monkeypatch, user, "pages/figures.py")
    assert not at.get("vega_lite_chart")
    assert any(i.value.startswith("No recommendations yet") for i in at.info)
    assert "Recommendations by theme" in [h.value for h in at.subheader]


def test_the_recurring_lessons_say_how_many_recommendations_were_compared(tmp_path, monkeypatch):
    """A workspace with a review's plan and no document: the Themes page compares its two recommendations
    (one review, so nothing recurs) and says so with the counts."""
    from recommendations import plan
    from reviews import register
    from tests.conftest import TODAY

    store = open_store(database_path(tmp_path))
    install_bundled_rule_sets(store)
    coordinator = accounts.add_user(store, COORD, username="coord", password=PASSWORD, role="coordinator")
    register.create_review(
        store, coordinator, reference="DHR-2026-01", pseudonym="Ada", csp="C", notification_date="2026-06-02",
        today=TODAY,
    )  # fmt: skip
    for number, text in (("1", "Train GPs to ask about domestic abuse"), ("2", "Share MARAC minutes with housing")):
        plan.add_recommendation(store, coordinator, "DHR-2026-01", number=number, text=text, scope="multi-agency")
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/themes.py")
    assert not at.exception
    recurs = next(i.value for i in at.info if i.value.startswith("Nothing recurs yet."))
    assert "2 recommendation(s) you can read, from 1 review(s) and report(s), were compared" in recurs
