"""The victim's age as a stated band (#22, item 1): "in her late 70s", "in his early forties", "a woman in her
sixties" give no exact age (the contract's victim_age stays null: no number is guessed) but a band, read with
its sentence, never from a relative's or the perpetrator's band; stored beside the other facts, corrected by
the coordinator, counted in the case characteristics' age bands (by decade, so a stated band falls in one),
printed by ``python -m indexing extract --json`` under its own key. A workspace whose facts were read before
keeps them, corrections included, after migration m052."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import ValidationError
from indexing.reading import documents as reading
from indexing.reading import figures
from indexing.reading.facts import CONTRACT_FIELDS, read_facts, stated_age_range
from tests.conftest import run
from tests.indexing_helpers import check_facts_kept_through, ingest_summaries

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"


def band_and_age(text: str) -> tuple[str | None, int | None]:
    facts = read_facts(text)
    band, age = facts["victim_age_band"], facts["victim_age"]
    return (band.value if band else None), (age.value if age else None)


@pytest.mark.parametrize(
    "text, band",
    [
        ("Mary was killed by her son. She was in her late 70s when she died from a stab wound.", "late 70s"),
        ("The review concerns the death of a woman in her sixties at her home.", "60s"),
        ("Tom was killed by his wife. Tom, in his early forties, had moved out.", "early 40s"),
        ("Ruth was murdered by her partner. Ruth, in her mid-seventies, lived alone.", "mid 70s"),
        ("The victim, in her late teens, was killed by her boyfriend.", "late teens"),
        ("The victim, in her 50’s, was killed by her husband.", "50s"),
    ],
)
def test_a_stated_band_is_the_victims_band_and_no_age_is_guessed(text, band):
    assert band_and_age(text) == (band, None)


@pytest.mark.parametrize(
    "text",
    [
        "Mary was killed by her son. Her mother, in her nineties, lived nearby.",  # a relative's band
        "Mary was killed by her husband, Peter. Peter, in his sixties, was arrested.",  # the perpetrator's
        "Mary was killed by her husband. He was in his sixties when he was arrested for her murder.",
        "Mary was killed by her husband. Their son, in his twenties, found her.",
        "Mary was killed by her partner. She had met him in her early thirties.",  # not her age at death
    ],
)
def test_another_persons_band_is_not_the_victims(text):
    assert band_and_age(text)[0] is None


def test_the_band_ranges_count_in_one_decade_band():
    assert stated_age_range("late 70s") == (77, 79) and stated_age_range("60s") == (60, 69)
    assert stated_age_range("late teens") == (17, 19) and stated_age_range("early teens") is None
    assert figures.stated_band("late 70s") == "70-79" and figures.stated_band("early 80s") == "80 and over"
    assert figures.stated_band("nonsense") == figures.NOT_STATED


def test_the_real_overview_report_gives_its_stated_band():
    text = (DHR / "39_warwickshire-mary-overview-report.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    facts = read_facts(text)
    assert facts["victim_age"] is None and facts["victim_age_band"].value == "late 70s"
    assert "late 70s" in facts["victim_age_band"].sentence


TEXTS = {
    "band.md": "Mary was killed by her son. She was in her late 70s when she died.",
    "age.md": "Ann, aged 50, was killed by her husband.",
    "neither.md": "Beth was killed by her son. He pleaded guilty to her manslaughter.",
}


def test_stored_counted_in_its_decade_and_corrected_by_the_coordinator(store, embedder, people, coordinator):
    ids = ingest_summaries(store, embedder, coordinator, TEXTS)
    shown = reading.document_reading(store, people["board"], ids["band.md"])["facts"]
    assert shown["victim_age"]["value"] is None and shown["victim_age_band"]["value"] == "late 70s"
    counts = figures.case_characteristics(store, people["board"])["age_band"]
    assert counts == [
        {"category": "50-59", "documents": 1},
        {"category": "70-79", "documents": 1},
        {"category": "Not stated", "documents": 1},
    ]
    (behind,) = figures.documents_with(store, people["board"], "age_band", "70-79")
    assert behind["document"] == "band.md" and "late 70s" in behind["sentence"]
    with pytest.raises(ValidationError, match="for example 70s, late 70s"):
        reading.correct_fact(store, coordinator, ids["neither.md"], "victim_age_band", "elderly")
    reading.correct_fact(store, coordinator, ids["neither.md"], "victim_age_band", "Early 80s")
    counts = figures.case_characteristics(store, people["board"])["age_band"]
    assert {"category": "80 and over", "documents": 1} in counts
    reading.correct_fact(store, coordinator, ids["band.md"], "victim_age", 78)  # an exact age wins over a band
    (behind,) = figures.documents_with(store, people["board"], "age_band", "70-79")
    assert behind["corrected"] and behind["sentence"] == ""


def test_extract_cli_prints_the_band_under_its_own_key_and_keeps_the_contract(tmp_path):
    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    (folder / "mary.md").write_text("# Review\n\nMary was killed by her son. She was in her late 70s when she died.\n")
    assert run(data, "indexing", "ingest", str(folder / "mary.md"), "--kind", "overview report").returncode == 0
    result = run(data, "indexing", "extract", "--json")
    assert result.returncode == 0, result.stderr
    (document,) = json.loads(result.stdout)
    assert set(document["facts"]) == set(CONTRACT_FIELDS) and document["facts"]["victim_age"] is None
    assert document["victim_age_band"] == "late 70s"
    assert "late 70s" in document["evidence"]["victim_age_band"]


def test_facts_read_before_m052_are_kept_corrections_included(tmp_path):
    corrected, added = ("children_in_household", "true"), ("victim_age_band", '"late 70s"')
    check_facts_kept_through(tmp_path / "dhr.sqlite", "m052_victim_age_band", 2, corrected, added)
