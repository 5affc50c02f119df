"""The Themes page as a board member reads it (issue #23, "Done when"): real DHR fragments and six briefs on a
topic no theme names; the emerging theme is explained, named and shown by its documents' titles, and the
"How often" bars start from the reviews' own documents, and the order follows the counts the bars show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.accounts import add_user
from core.schema import open_store
from core.settings import database_path
from indexing import emerging
from indexing.library import Library
from tests.app.conftest import open_signed_in
from tests.conftest import COORD, PASSWORD

TESTS = Path(__file__).resolve().parents[1]
DHR = TESTS.parents[1] / "shared" / "corpus" / "dhr"
PETS = TESTS / "fixtures" / "pets"
WINDOW_1280 = 120  # what the main column loses in a 1280 px window against 1400 (the sidebar keeps its width)


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory, embedder):
    directory = tmp_path_factory.mktemp("themes-page")
    store = open_store(database_path(directory))
    board = add_user(store, COORD, username="board", password=PASSWORD, role="board")
    coordinator = add_user(store, COORD, username="coord", password=PASSWORD, role="coordinator")
    library = Library(store, embedder)
    summaries = sorted(DHR.glob("*exec-summary*.txt"))
    library.ingest_paths(summaries, viewer=COORD, access="public", kind="executive summary")
    library.ingest_paths(sorted(DHR.glob("*recs.txt"))[:6], viewer=COORD, access="public", kind="other")
    library.ingest_paths(sorted(PETS.glob("brief-*.md")), viewer=COORD, access="public", kind="learning brief")
    emerging.compute(library, COORD)
    store.close()
    return directory, board, coordinator


def _board_page(library_dir, monkeypatch):
    directory, board, _ = library_dir
    return open_signed_in(directory, monkeypatch, board, "pages/themes.py")


def test_the_emerging_tab_says_what_it_shows_and_names_each_theme_by_its_documents_titles(library_dir, monkeypatch):
    at = _board_page(library_dir, monkeypatch)
    assert not at.exception
    assert any("no theme names" in c.value for c in at.caption)
    [expander] = [e for e in at.expander if "documents ·" in e.label]
    assert expander.label.startswith("Pets")  # a heading, capitalised; the stored label stays as computed
    shown = " ".join(m.value for m in expander.markdown)
    titles = {p.read_text(encoding="utf-8").splitlines()[0].lstrip("# ") for p in PETS.glob("brief-*.md")}
    assert all(title in shown for title in titles)  # the briefs' titles ...
    assert "brief-1.md" not in shown  # ... never their file names
    # each representative passage is cut at a word, never inside one
    quotes = [m.value for m in expander.markdown if m.value.startswith("> ")]
    assert quotes
    for quote in quotes:
        excerpt = quote[2:].split("  \n— ")[0]
        assert excerpt.endswith(" …") or len(excerpt) < 500
        last = excerpt.removesuffix(" …").split()[-1]
        assert last.isalnum() or last[-1] in ".,;:!?)'\"" or last[:-1].isalnum()


def test_how_often_stacks_the_reviews_own_documents_first_and_tells_how_many_reviews(library_dir, monkeypatch):
    at = _board_page(library_dir, monkeypatch)
    encoding = json.loads(at.get("vega_lite_chart")[0].proto.spec)["encoding"]
    assert encoding["order"]["field"] == "stack"  # FAMILIES' order: the reviews' own documents at the left
    assert "reviews" in {t["field"] for t in encoding["tooltip"]}


def test_only_the_coordinator_is_told_how_to_compare_with_the_shared_repository(library_dir, monkeypatch):
    monkeypatch.delenv("DHR_REPOSITORY_URL", raising=False)
    directory, board, coordinator = library_dir
    for viewer, told in ((board, False), (coordinator, True)):
        at = open_signed_in(directory, monkeypatch, viewer, "pages/themes.py")
        assert not at.exception
        captions = " ".join(c.value for c in at.caption)
        assert "national analyses in this library" in captions
        assert ("DHR_REPOSITORY_URL" in captions) is told


def test_emerging_themes_never_looked_for_since_documents_came_are_not_called_none(tmp_path, embedder, monkeypatch):
    store = open_store(database_path(tmp_path))
    board = add_user(store, COORD, username="board", password=PASSWORD, role="board")
    Library(store, embedder).ingest_paths(sorted(PETS.glob("brief-*.md")), viewer=COORD, kind="learning brief")
    store.close()  # added on the Library page: nobody has recomputed emerging themes since
    at = open_signed_in(tmp_path, monkeypatch, board, "pages/themes.py")
    assert not at.exception
    assert not [i for i in at.info if i.value.startswith("No emerging themes")]  # that would be untrue
    [warning] = [w for w in at.warning if "since emerging themes were last looked for" in w.value]
    assert warning.value.endswith("the coordinator recomputes them.")


def test_no_emerging_theme_is_said_as_what_was_looked_for_not_as_every_topic_being_named(
    tmp_path, embedder, monkeypatch
):
    """One brief's passages come from one document, so no group can be a topic of several: the page says no group
    of passages from several documents shares a word no theme names, not that the themes name every topic."""
    store = open_store(database_path(tmp_path))
    board = add_user(store, COORD, username="board", password=PASSWORD, role="board")
    library = Library(store, embedder)
    library.ingest_paths(sorted(PETS.glob("brief-*.md"))[:1], viewer=COORD, access="public", kind="learning brief")
    emerging.compute(library, COORD)
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, board, "pages/themes.py")
    assert not at.exception
    [said] = [i.value for i in at.info if i.value.startswith("No emerging themes")]
    assert said == (
        "No emerging themes: no group of passages from several documents shares a word that no theme names and "
        "the rest of the library seldom uses."
    )


def test_case_characteristics_are_three_to_a_row_so_each_table_is_read_whole(library_dir, monkeypatch):
    at = _board_page(library_dir, monkeypatch)
    relationship = next(
        c for c in at.columns if [m.value for m in c.markdown] == ["**Perpetrator's relationship to the victim**"]
    )  # six to a row cut its "Former partner" and its "Reports" column short
    assert relationship.weight == pytest.approx(1 / 3)


def test_how_often_shows_the_reviews_its_order_follows_where_the_board_member_has_some(tmp_path, embedder, monkeypatch):
    """With a review in the register that a summary is linked to, the themes go by reviews, then documents: a bar
    of each, side by side, in that one order (a theme of many documents but no review sits below, and says so)."""
    from indexing.theme_figures import prevalence
    from reviews import register
    from reviews.rules import install_bundled_rule_sets
    from tests.conftest import TODAY

    store = open_store(database_path(tmp_path))
    install_bundled_rule_sets(store)
    board = add_user(store, COORD, username="board", password=PASSWORD, role="board")
    reference = register.create_review(
        store, COORD, reference="DHR-2026-09", pseudonym="Ivy", csp="C", notification_date="2025-01-06", today=TODAY
    )
    library = Library(store, embedder)
    first, *others = sorted(DHR.glob("*exec-summary*.txt"))[:4]
    library.ingest(
        first.read_bytes(), first.name, viewer=COORD, access="public", kind="executive summary", review=reference
    )
    library.ingest_paths(others, viewer=COORD, access="public", kind="executive summary")
    order = [p.label for p in prevalence(store, board, by="reviews")]
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, board, "pages/themes.py")
    assert not at.exception
    reviews, documents = json.loads(at.get("vega_lite_chart")[0].proto.spec)["hconcat"]
    assert reviews["encoding"]["x"]["field"] == "reviews" and documents["encoding"]["x"]["field"] == "documents"
    assert reviews["encoding"]["y"]["sort"] == documents["encoding"]["y"]["sort"] == order
    assert any("then how many library documents are (the right bars)" in c.value for c in at.caption)


def test_by_csp_and_kind_shows_every_column_in_a_1280_px_window(tmp_path, embedder, monkeypatch):
    """The s14 walk: "Wexcombe Community Safety Partnership", the longest column, sat past the table's right edge;
    each count column is now as wide as its heading where they all fit, a long name cut short (and read whole in
    its help)."""
    from tests.app.test_tables import PAGE_PX, in_view

    store = open_store(database_path(tmp_path))
    board = add_user(store, COORD, username="board", password=PASSWORD, role="board")
    library = Library(store, embedder)
    marked = ("Harbourne Safer Communities Partnership", "Wexcombe Community Safety Partnership", "Barnet", "")
    for path, csp in zip(sorted(DHR.glob("*exec-summary*.txt")), marked, strict=False):
        library.ingest(path.read_bytes(), path.name, viewer=COORD, kind="executive summary", access="public", csp=csp)
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, board, "pages/themes.py")
    by_csp = next(t for t in at.dataframe if "Barnet" in json.loads(t.proto.columns))
    config = json.loads(by_csp.proto.columns)
    assert {"Theme", *marked[:3]} <= set(config)
    assert in_view(by_csp.proto, [c for c in config if not c.startswith("_")], budget=PAGE_PX - WINDOW_1280) == []
    help_given = {name: column.get("help") for name, column in config.items()}
    assert help_given["Wexcombe Community Safety Partnership"] == "Wexcombe Community Safety Partnership"
