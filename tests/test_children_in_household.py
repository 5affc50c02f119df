"""Children in the household (#22, item 1): read from the ways chairs write it, with the sentence it came
from, never from a grown-up son or daughter; stored beside the other facts, corrected by the coordinator
(audited), counted on the Themes page's case characteristics, and printed by ``python -m indexing extract
--json`` under its own key while the contract's "facts" keys stay as they were. A workspace whose facts
were read before keeps them, corrections included, after migration m043."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import ValidationError
from indexing.reading import documents as reading
from indexing.reading import figures
from indexing.reading.facts import CONTRACT_FIELDS, read_facts
from tests.conftest import run
from tests.indexing_helpers import check_facts_kept_through, ingest_summaries

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"


def children(text: str):
    fact = read_facts(text)["children_in_household"]
    return fact.value if fact else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rose was killed by her husband. Their two children, aged 4 and 7, lived with them.", True),
        ("Rose was killed by her husband at home. The children were in the house at the time.", True),
        ("Rose was killed by her husband. She lived with her three young children in a flat.", True),
        ("Rose was killed by her husband. Her sons, aged 4 and 7, lived with her.", True),
        ("Rose was killed by her husband. There were two children living in the home.", True),
        ("Two children aged 7 and 11 were at home when their mother was killed.", True),
        ("Rose was killed by her husband. When he drank she knew to keep the children out of his way.", True),
        ("Rose was killed by her partner. She kept her two children upstairs when he came home.", True),
        ("Rose was killed by her husband. She had no children.", False),
        ("Rose was killed by her husband at home. No children were present.", False),
        ("Rose was killed by her husband. There were no children in the household.", False),
        ("Mary was the mother of two children, now living independently as adults.", False),
        # not children in the household: a grown-up son, children together (others may live there), none named
        ("Anna was killed by her husband. She had two children, then aged 9 and 12, who lived with Anna.", True),
        ("Rose was killed by her husband. Their son, aged 19, lived with them.", None),
        ("Rose was killed by her husband Mark. He had two children who lived with Mark.", None),  # not with her
        ("Rose was killed by her husband. They had no children together.", None),
        ("Rose was killed by her husband. He had children from a previous relationship.", None),
        ("The panel thanked the children's social care team for its chronology.", None),
    ],
)
def test_the_ways_chairs_write_it_are_read(text, expected):
    assert children(text) is expected


def test_the_sentence_it_was_read_from_comes_with_it_and_a_childs_age_is_nobodys():
    text = "The review concerns the death of Ella. Her son, aged 12, and her daughter, aged 9, lived with her."
    facts = read_facts(text)
    assert facts["children_in_household"].value is True
    assert facts["children_in_household"].sentence == "Her son, aged 12, and her daughter, aged 9, lived with her."
    assert text[facts["children_in_household"].char_start :].startswith("Her son, aged 12")
    assert facts["victim_age"] is None


@pytest.mark.parametrize(
    "name, expected, evidence",
    [
        ("40_barking-dagenham-AA-overview-report.txt", True, "at home on that day with her child"),
        ("39_warwickshire-mary-overview-report.txt", False, "now living independently"),
        ("21_devon-case17-louise-exec-summary.txt", None, None),
    ],
)
def test_real_reviews_give_what_they_state(name, expected, evidence):
    text = (DHR / name).read_text(encoding="utf-8").split("\n", 2)[2]
    fact = read_facts(text)["children_in_household"]
    assert (fact.value if fact else None) is expected
    if evidence:
        assert evidence in fact.sentence


TEXTS = {
    "with-children.md": "Kate, aged 30, was killed by her partner. Their two children, aged 4 and 7, lived with them.",
    "no-children.md": "Ann, aged 50, was killed by her husband. She had no children.",
    "not-stated.md": "Beth, aged 61, was killed by her son. He pleaded guilty to her manslaughter.",
}


def test_stored_corrected_by_the_coordinator_only_and_counted(store, embedder, people, coordinator):
    ids = ingest_summaries(store, embedder, coordinator, TEXTS)
    shown = reading.document_reading(store, people["partner"], ids["with-children.md"])["facts"]
    assert shown["children_in_household"]["value"] is True
    assert "lived with them" in shown["children_in_household"]["sentence"]
    counts = figures.case_characteristics(store, people["board"])["children_in_household"]
    assert counts == [
        {"category": "No", "documents": 1},
        {"category": "Yes", "documents": 1},
        {"category": "Not stated", "documents": 1},
    ]
    with pytest.raises(ValidationError, match="answer yes or no"):
        reading.correct_fact(store, coordinator, ids["not-stated.md"], "children_in_household", "perhaps")
    reading.correct_fact(store, coordinator, ids["not-stated.md"], "children_in_household", "yes")
    corrected = reading.document_reading(store, coordinator, ids["not-stated.md"])["facts"]["children_in_household"]
    assert corrected["value"] is True and corrected["extracted"] is None and corrected["corrected_by"] == "coord"
    audit = list(store.read()["audit_log"].rows_where("entity = 'document_facts'"))
    assert audit[-1]["actor"] == "coord" and "children_in_household" in audit[-1]["entity_id"]
    assert json.loads(audit[-1]["after"])["corrected_value"] == "true"
    counts = figures.case_characteristics(store, people["board"])["children_in_household"]
    assert {"category": "Yes", "documents": 2} in counts
    behind = figures.documents_with(store, people["board"], "children_in_household", "Yes")
    assert {b["document"] for b in behind} == {"with-children.md", "not-stated.md"}


def test_facts_read_before_m043_are_kept_corrections_included(tmp_path):
    corrected, added = ("death", '"homicide"'), ("children_in_household", "true")
    check_facts_kept_through(tmp_path / "dhr.sqlite", "m043_children_in_household", 1, corrected, added)


def test_extract_cli_prints_it_under_its_own_key_and_keeps_the_contract(tmp_path):
    data = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    source = DHR / "40_barking-dagenham-AA-overview-report.txt"
    (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    ingested = run(data, "indexing", "ingest", str(folder / source.name), "--kind", "overview report")
    assert ingested.returncode == 0, ingested.stderr
    result = run(data, "indexing", "extract", "--json")
    assert result.returncode == 0, result.stderr
    (document,) = json.loads(result.stdout)
    assert set(document["facts"]) == set(CONTRACT_FIELDS)
    assert document["children_in_household"] is True
    assert "with her child" in document["evidence"]["children_in_household"]
