"""Themes that rest on case facts (issue #23 item 2): older victim, male victim, perpetrator suicide and
adult family abuse follow the facts the library reads out of a review (a coordinator's correction wins),
both ways: about the theme where the facts say so, not about it where they say otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import ValidationError
from indexing import theme_figures
from indexing.library import Library
from indexing.reading.documents import correct_fact
from indexing.themes import bundled_themes, parse_fact_rules
from indexing.theming import decided_by_facts
from tests.conftest import COORD, run

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"
# a real executive summary: "X", aged 49, a woman killed by her husband "Y"
WEST_NORTHANTS = "29_west-northants-dhr001-exec-summary.txt"
# written for this test: services a partnership names, which say nothing of this victim
SERVICES = (
    "\n\n## Services in the area\n\nThe older people's team, a helpline for male victims and a leaflet on "
    "perpetrators who took his own life after a killing were listed in the partnership's directory of services.\n"
)
FACT_THEMES = {"older_victim", "male_victims", "perpetrator_suicide", "adult_family_abuse"}


@pytest.mark.parametrize(
    ("facts", "decided"),
    [
        ({"victim_age": 71}, {"older_victim": True}),
        ({"victim_age": 60}, {"older_victim": True}),
        ({"victim_age": 59}, {"older_victim": False}),
        ({"victim_age": 34, "victim_sex": "female"}, {"older_victim": False, "male_victims": False}),
        ({"victim_age": 19}, {"older_victim": False, "young_people": True}),
        ({"victim_age": 24}, {"older_victim": False, "young_people": True}),
        ({"victim_age": 25}, {"older_victim": False}),  # not a young victim: a young perpetrator's case is still open
        ({"victim_sex": "male"}, {"male_victims": True}),
        ({"perpetrator_suicide": True}, {"perpetrator_suicide": True}),
        ({"perpetrator_suicide": False}, {"perpetrator_suicide": False}),
        ({"relationship": "child_of_victim"}, {"adult_family_abuse": True}),
        ({"relationship": "other_family"}, {"adult_family_abuse": True}),
        ({"relationship": "former_partner"}, {"adult_family_abuse": False}),
        ({"relationship": "household_member"}, {}),  # a lodger: the passages decide
        ({"death": "suicide"}, {"suicide": True}),
        ({"victim_age": None, "victim_sex": None, "relationship": None}, {}),  # the text does not say
    ],
)
def test_case_facts_decide_the_themes_that_rest_on_them(facts, decided):
    assert decided_by_facts(facts) == decided


def _themes(store, document: str) -> dict[str, dict]:
    found = next(d for d in theme_figures.document_themes(store, COORD) if d["document"] == document)
    return {t["key"]: t for t in found["themes"]}


def _salient(store, document: str) -> set[str]:
    return {key for key, theme in _themes(store, document).items() if theme["salient"]}


@pytest.fixture
def summary(store, embedder):
    """The real summary with the services paragraph, ingested as an executive summary."""
    library = Library(store, embedder)
    data = (DHR / WEST_NORTHANTS).read_bytes() + SERVICES.encode()
    result = library.ingest(data, "summary.txt", viewer=COORD, access="public", kind="executive summary")
    return result.document_id


def test_a_victim_the_facts_place_outside_a_theme_is_not_about_it_whatever_the_text_mentions(store, summary):
    mentioned = _themes(store, "summary.txt")
    assert {"older_victim", "male_victims"} <= set(mentioned)  # the passages keep every mention
    assert not _salient(store, "summary.txt") & FACT_THEMES  # 49, female, killed by her husband
    assert "older_victim" not in {p.key for p in theme_figures.prevalence(store, COORD)}


def test_a_coordinators_correction_of_a_fact_moves_the_themes_that_rest_on_it(store, people, summary):
    correct_fact(store, people["coord"], summary, "victim_age", 72)
    correct_fact(store, people["coord"], summary, "victim_sex", "male")
    correct_fact(store, people["coord"], summary, "relationship", "child_of_victim")
    themes = _themes(store, "summary.txt")
    assert all(themes[key]["salient"] for key in ("older_victim", "male_victims", "adult_family_abuse"))
    assert themes["adult_family_abuse"]["passages"] == 0  # no passage says so: the corrected fact does
    assert {"older_victim", "male_victims"} <= {p.key for p in theme_figures.prevalence(store, people["board"])}
    correct_fact(store, people["coord"], summary, "victim_age", 45)
    assert "older_victim" not in _salient(store, "summary.txt")


def test_a_fact_the_text_states_makes_its_theme_without_a_passage_naming_it(store, embedder):
    text = (
        "# Executive summary\n\nEdna, 83, died at her home in March. Her son Carl was convicted of her murder. "
        "He had moved back in after his divorce and she had paid his debts for years.\n"
    )
    Library(store, embedder).ingest(text.encode(), "edna.md", viewer=COORD, access="public", kind="executive summary")
    themes = _themes(store, "edna.md")
    assert themes["adult_family_abuse"]["salient"] and themes["adult_family_abuse"]["passages"] == 0


def test_a_workspace_themed_before_facts_counted_follows_them_after_the_documented_retag(tmp_path, embedder):
    from core.schema import open_store

    data = tmp_path / "data"
    data.mkdir()
    store = open_store(data / "dhr.sqlite")
    content = (DHR / WEST_NORTHANTS).read_bytes() + SERVICES.encode()
    Library(store, embedder).ingest(content, "summary.txt", viewer=COORD, access="public", kind="executive summary")
    with store.write("test") as tx:  # what the previous release stored: every theme its passages carry, salient
        tx.db.execute("UPDATE document_themes SET salient = 1")
        tx.db.execute("UPDATE theme_vocabularies SET version = '2026-12.2'")
    store.close()
    assert run(data, "indexing", "themes", "retag").returncode == 0
    documents = json.loads(run(data, "indexing", "themes", "documents", "--json").stdout)
    salient = {t["key"] for t in documents[0]["themes"] if t["salient"]}
    assert not salient & FACT_THEMES


def test_a_document_an_earlier_release_stored_unread_gets_its_fact_themes_when_it_is_read(store, summary):
    from indexing.reading.records import read_unread

    with store.write("test") as tx:  # as the release before the reader stored it: no facts, every mention salient
        tx.db.execute("DELETE FROM document_facts")
        tx.db.execute("UPDATE documents SET read_version = NULL")
        tx.db.execute("UPDATE document_themes SET salient = 1")
    assert {"older_victim", "male_victims"} <= _salient(store, "summary.txt")
    assert read_unread(store) == 1  # what the app does when it starts
    assert not _salient(store, "summary.txt") & FACT_THEMES


def test_a_vocabularys_fact_rules_are_checked_in_words():
    keys = {t.key for t in bundled_themes()}
    with pytest.raises(ValidationError) as refused:
        parse_fact_rules(
            [{"theme": "older_people", "fact": "victim_age", "at_least": 60}, {"theme": "older_victim", "fact": "age"}],
            keys,
        )
    problems = str(refused.value)
    assert "fact_rules[0].theme: one of the vocabulary's theme keys" in problems
    assert "fact_rules[1].fact: one of victim_age" in problems
    assert "give at_least, under, or the values" in problems
