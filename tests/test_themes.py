"""Themes on a fresh workspace with the real model: the vocabulary as data, tags at ingest that
follow the text, people's corrections, emerging themes, counts by role, and the CLI contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import PermissionDenied, ValidationError
from exports import builders
from indexing import emerging, theme_figures
from indexing.library import Library
from indexing.themes import add_themes, bundled_themes, list_themes
from tests.conftest import COORD, run

SUMMARIES = Path(__file__).parent / "fixtures" / "summaries"
CONTRACT = {
    "abuse": "coercive_control stalking separation physical_abuse sexual_abuse psychological_abuse economic_abuse "
    "forced_marriage honour_based_abuse faith_based_abuse fgm tech_facilitated_abuse",
    "circumstances": "mental_ill_health alcohol_misuse substance_misuse suicide perpetrator_suicide homicide_suicide "
    "self_harm disability carer pregnancy immigration housing older_victim young_people children male_victims lgbt "
    "marac known_to_police",
    "practice": "risk_assessment information_sharing professional_curiosity routine_enquiry family_involvement "
    "equality_diversity criminal_justice",
    "recommendation": "technology_systems identification_of_risk training policy multi_agency_working record_keeping "
    "awareness_raising other",
}
GAMBLING = [
    "He had run up gambling debts of thousands of pounds on online betting sites and slot machines, and hid them.",
    "Gambling on sports betting apps took most of the household income; the bookmaker knew he gambled every night.",
    "The review heard that problem gambling, betting shop visits and chasing losses came before each violent incident.",
]


@pytest.fixture
def library(store, embedder):
    return Library(store, embedder)


def _summary(name: str) -> bytes:
    return (SUMMARIES / name).read_bytes()


def _themes_of(library: Library, source: str) -> set[str]:
    docs = theme_figures.document_themes(library.store, COORD)
    return {t["key"] for d in docs if d["document"] == source for t in d["themes"]}


# added by vocabulary 2026-12 (what national analyses count): new keys, never a changed meaning
ADDED = {"abuse": ["non_fatal_strangulation"], "circumstances": ["adult_family_abuse", "serial_perpetrator"]}


def test_the_vocabulary_keeps_the_contract_keys_in_their_groups():
    for group, keys in CONTRACT.items():
        found = [t.key for t in bundled_themes() if t.group == group]
        assert [k for k in found if k not in ADDED.get(group, [])] == keys.split()
        assert set(ADDED.get(group, [])) <= set(found)
    assert all(t.description and t.label for t in bundled_themes())


def test_a_partnership_adds_its_own_theme_without_code(store, people):
    document = [
        {
            "key": "gambling_harm",
            "label": "Gambling harm",
            "group": "circumstances",
            "description": "Gambling and gambling debts.",
            "seeds": ["gambling", "betting"],
        }
    ]
    with pytest.raises(PermissionDenied):
        add_themes(store, people["partner"], document=document)
    add_themes(store, people["coord"], document=document)
    assert "gambling_harm" in [t.key for t in list_themes(store.read()) if t.origin == "local"]
    with pytest.raises(ValidationError, match="vocabulary theme"):
        add_themes(store, people["coord"], document=[document[0] | {"key": "stalking"}])
    with pytest.raises(ValidationError) as error:
        add_themes(store, people["coord"], document=[{"key": "Bad Key", "group": "nowhere", "colour": "red"}])
    assert len(error.value.problems) >= 4  # key, label, description, group, unknown field


def test_documents_get_the_themes_their_text_plainly_shows_and_not_a_blanket(library):
    for name in ("summary-aster.md", "summary-birch.md", "summary-cedar.md"):
        assert library.ingest(_summary(name), name, viewer=COORD, kind="executive summary").outcome == "ingested"
    aster, birch, cedar = (_themes_of(library, n) for n in ("summary-aster.md", "summary-birch.md", "summary-cedar.md"))
    assert {"stalking", "separation", "risk_assessment"} <= aster
    assert {"older_victim", "carer", "alcohol_misuse", "professional_curiosity"} <= birch
    assert {"substance_misuse", "marac", "information_sharing"} <= cedar
    passage_themes = len([t for t in bundled_themes() if t.group != "recommendation"])
    for found in (aster, birch, cedar):
        assert len(found) < passage_themes / 3
    assert not {"fgm", "forced_marriage", "older_victim"} & aster
    assert not {"stalking", "fgm", "pregnancy"} & birch


def test_a_coordinators_correction_sticks_through_retag_and_partners_cannot_make_one(library, people):
    library.ingest(_summary("summary-aster.md"), "aster.md", viewer=COORD, kind="executive summary")
    store = library.store
    chunk_id, theme = next(
        (r["chunk_id"], r["theme_key"]) for r in store.read().query("SELECT * FROM passage_themes LIMIT 1")
    )
    with pytest.raises(PermissionDenied):
        library.tagging.decide_passage(people["partner"], chunk_id=chunk_id, theme_key=theme, confirmed=False)
    library.tagging.decide_passage(people["coord"], chunk_id=chunk_id, theme_key=theme, confirmed=False)
    library.tagging.decide_passage(people["coord"], chunk_id=chunk_id, theme_key="fgm", confirmed=True)
    library.tagging.retag(people["coord"])
    tags = {r["theme_key"] for r in store.read()["passage_themes"].rows_where("chunk_id = ?", [chunk_id])}
    assert theme not in tags and "fgm" in tags
    assert store.read()["audit_log"].count_where("entity = 'theme_decisions'") == 2


def test_a_subject_no_theme_names_emerges_once_and_can_be_promoted(library, people):
    for i, name in enumerate(("summary-aster.md", "summary-birch.md", "summary-cedar.md")):
        text = _summary(name).decode() + f"\n\n## Gambling\n\n{GAMBLING[i]}\n"
        library.ingest(text.encode(), name, viewer=COORD, kind="executive summary")
    assert emerging.compute(library, people["coord"]) >= 1
    found = [g for g in emerging.emerging(library.store, people["partner"]) if "gambling" in " ".join(g["terms"])]
    assert len(found) == 1 and found[0]["documents"] == 3
    emerging.promote(
        library,
        people["coord"],
        found[0]["id"],
        key="gambling_harm",
        label="Gambling harm",
        description="Gambling, betting and gambling debts.",
    )
    assert (
        sum(
            1
            for d in theme_figures.document_themes(library.store, COORD)
            for t in d["themes"]
            if t["key"] == "gambling_harm"
        )
        == 3
    )


def test_a_partners_counts_never_include_a_confidential_document(library, people, new_review):
    reference = new_review("DHR-2026-03", chair="chair")
    library.ingest(_summary("summary-aster.md"), "aster.md", viewer=COORD, access="public", kind="learning brief")
    library.ingest(
        _summary("summary-birch.md").replace(b"Birch", b"Rowan"),
        "letter.md",
        viewer=COORD,
        kind="executive summary",
        access="confidential",
        review=reference,
    )
    partner = {p.key: p.documents for p in theme_figures.prevalence(library.store, people["partner"])}
    coordinator = {p.key: p.documents for p in theme_figures.prevalence(library.store, people["coord"])}
    assert "older_victim" in coordinator and "older_victim" not in partner
    assert theme_figures.visible_document_count(library.store, people["partner"]) == 1
    assert not [p for p in theme_figures.passages_for(library.store, people["partner"], "carer")]
    board = {r["label"] for r in builders.board_themes(library.store)}
    assert "Older victims" not in board and "Stalking and harassment" in board
    # the overview's latest lessons: only what the viewer may read, with the themes each carries
    lessons = theme_figures.latest_lessons(library.store, people["partner"])
    assert len(lessons) == 1 and "Stalking and harassment" in lessons[0]["themes"]
    assert len(theme_figures.latest_lessons(library.store, people["coord"])) == 2


def test_themes_cli_contracts(tmp_path):
    data = tmp_path / "data"
    source = tmp_path / "docs"
    source.mkdir()
    for name in ("summary-aster.md", "summary-cedar.md"):
        (source / name).write_bytes(_summary(name))
    assert run(data, "indexing", "ingest", str(source), "--access", "public").returncode == 0
    texts = tmp_path / "recs.json"
    texts.write_text(
        json.dumps(
            [
                {"id": "r1", "text": "Train all frontline officers to recognise stalking after separation."},
                {"id": "r2", "text": "Add an alert to the electronic patient record when a patient discloses abuse."},
            ]
        )
    )
    suggested = json.loads(
        run(data, "indexing", "themes", "suggest", str(texts), "--group", "recommendation", "--json").stdout
    )
    assert [s["id"] for s in suggested] == ["r1", "r2"]
    assert "training" in suggested[0]["themes"] and "technology_systems" in suggested[1]["themes"]
    assert set(suggested[0]["themes"]) <= set(suggested[0]["scores"])
    documents = json.loads(run(data, "indexing", "themes", "documents", "--json", "--role", "partner").stdout)
    assert {d["document"] for d in documents} == {"docs/summary-aster.md", "docs/summary-cedar.md"}
    assert {"key", "label", "passages", "score"} <= set(documents[0]["themes"][0])
    groups = json.loads(run(data, "indexing", "themes", "emerging", "--json").stdout)
    assert isinstance(groups, list) and all({"label", "terms", "documents", "passages"} <= set(g) for g in groups)
    listed = run(data, "indexing", "themes", "list").stdout
    assert "coercive_control" in listed and "awareness_raising" in listed
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": 1}]')
    refused = run(data, "indexing", "themes", "suggest", str(bad), "--group", "abuse")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and "text" in refused.stderr
