"""Library titles come from the document's own words (issue #21 item 9), proven on the real seed
documents and DHR fragments, never on text written for the test."""

import re
from pathlib import Path

import pytest

from core.errors import PermissionDenied, ValidationError
from indexing.extract import extract
from indexing.library import Library
from indexing.titles import derive_title
from tests.conftest import COORD, TODAY

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REAL = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "dhr").glob("*.txt"))


def title_of(path: Path):
    return derive_title(extract(path.read_bytes(), path.name), today=TODAY)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name[:30])
def test_no_real_document_is_titled_by_its_file_name(path):
    found = title_of(path)
    stem_words = set(re.split(r"[-_. ]+", path.stem.lower())) - {"", "dhr", "review"}
    assert found.title and len(found.title) <= 121
    assert not re.search(r"[0-9a-f]{16}", found.title)  # "004 59b6e730850425a6"
    assert not found.title.lower().startswith(path.stem[:6].lower())
    assert set(found.title.lower().split()) != stem_words
    assert not found.title.startswith(("SOURCE", "http"))  # a web page's furniture is passed over


@pytest.mark.parametrize(
    "name, title, year",
    [
        (
            "004_59b6e730850425a6.txt",
            "Domestic and Sexual Violence: A Strategy for Action in Harrow 2014 - 2017",
            2017,
        ),
        (
            "000_87bd0b3d0c5aac01.txt",
            "Domestic violence and violence against women and girls: Strategy 2013 – 2016",
            2016,
        ),
        ("003_1813729a7a8a292f.txt", "Barnet Violence against Women and Girls Strategy", 2017),
        ("001_6404327a3031d268.txt", "Safer Communities Partnership Board", 2017),
        # a plan's table from its first line: the running header that says what the document is
        (
            "002_01c29052808c0e78.txt",
            "London Borough of Barnet Domestic Violence and Violence Against Women and Girls Action Plan",
            2014,
        ),
        (
            "22_devon-case17-louise-homeoffice-feedback-letter.txt",
            "Domestic Homicide Review Case 17 – Feedback Letter",
            2022,
        ),
        ("21_devon-case17-louise-exec-summary.txt", "Review into the death of Louise in April 2019", 2023),
    ],
)
def test_the_title_on_the_cover_and_the_year_it_states(name, title, year):
    found = title_of(next(p for p in REAL if p.name == name))
    assert found.title == title
    assert found.year == year


def test_the_year_is_the_publication_year_the_corpus_readme_gives():
    """The corpus README (not written for this project) states when each summarised review was published."""
    readme = (CORPUS / "dhr" / "README.md").read_text()
    published = {
        match.group(1): int(match.group(2))
        for match in re.finditer(r"^\| (\S+\.txt) \|[^|]*\|[^|]*published \w+ (\d{4})", readme, re.M)
    }
    assert len(published) >= 10
    found = {name: title_of(CORPUS / "dhr" / name).year for name in published}
    assert found == published


@pytest.fixture
def library(store, embedder, people):
    return Library(store, embedder)


def test_ingest_titles_a_document_from_its_text_and_the_coordinator_corrects_it(library, store, people):
    letter = CORPUS / "dhr" / "22_devon-case17-louise-homeoffice-feedback-letter.txt"
    result = library.ingest(letter.read_bytes(), letter.name, viewer=COORD, access="public")
    document = next(d for d in library.list_documents(COORD) if d["id"] == result.document_id)
    assert document["title"] == "Domestic Homicide Review Case 17 – Feedback Letter"
    assert document["year"] == 2022
    with pytest.raises(PermissionDenied):
        library.update_document(people["partner"], result.document_id, title="Case 17 letter")
    with pytest.raises(ValidationError, match="title"):
        library.update_document(people["coord"], result.document_id, title="  ")
    library.update_document(people["coord"], result.document_id, title="Devon DHR Case 17: Home Office feedback letter")
    assert next(d for d in library.list_documents(COORD) if d["id"] == result.document_id)["title"] == (
        "Devon DHR Case 17: Home Office feedback letter"
    )
    audit = list(store.read()["audit_log"].rows_where("entity = 'documents' AND actor = 'coord'"))
    assert any("Devon DHR Case 17: Home Office feedback letter" in (row["after"] or "") for row in audit)
    # the same file ingested again without details keeps the corrected title and the year it states
    again = library.ingest(letter.read_bytes(), letter.name, viewer=COORD, access="public")
    assert again.outcome == "skipped"
    kept = next(d for d in library.list_documents(COORD) if d["id"] == result.document_id)
    assert kept["title"] == "Devon DHR Case 17: Home Office feedback letter" and kept["year"] == 2022


def test_a_running_header_titles_the_plan_but_is_no_context_for_its_passages_meaning(library, store, embedder):
    """Seed 002, a plan whose first page is its table, is titled by its running header for people and keyword
    search; its passages' search vectors are the passages in their headings alone (indexing/titles.py)."""
    import numpy as np

    from indexing.chunking import embedding_text
    from indexing.embeddings import from_blob

    plan = CORPUS / "seeds" / "002_01c29052808c0e78.txt"
    result = library.ingest(plan.read_bytes(), plan.name, viewer=COORD, access="public", kind="action plan")
    title = next(d for d in library.list_documents(COORD) if d["id"] == result.document_id)["title"]
    assert title == "London Borough of Barnet Domestic Violence and Violence Against Women and Girls Action Plan"
    first = next(store.read()["chunks"].rows_where("document_id = ?", [result.document_id], order_by="ordinal"))
    stored = from_blob(first["search_embedding"]).astype(np.float32)
    alone, titled = embedder.encode(
        [embedding_text(context, first["heading"] or "", first["text"]) for context in ("", title)]
    )
    assert np.allclose(stored, alone, atol=1e-2) and not np.allclose(stored, titled, atol=1e-2)


@pytest.mark.parametrize(
    "cover, title",
    [
        (
            "Domestic Homicide Review\nAnna\nDied March 2022\nOverview Report\n",
            "Domestic Homicide Review: Anna Died March 2022",
        ),
        (
            "EXECUTIVE SUMMARY OF A DOMESTIC HOMICIDE REVIEW\n'Tom'\nJune 2019\nINDEPENDENT AUTHOR\n",
            "Executive Summary Of A Domestic Homicide Review: 'Tom' June 2019",
        ),
        ("Safer Communities Partnership Board\nMinutes\n", "Safer Communities Partnership Board"),  # names no case
        (  # a partnership's name opens every one of its reports, a masthead: the cover's case line is the title
            "Severnside Community Safety Partnership\nDomestic Homicide Review: Daniel\nExecutive Summary\n",
            "Domestic Homicide Review: Daniel",
        ),
        (  # a learning brief's case line, then its first section's heading: the heading is no part of the title
            "Quarrydale Safety Partnership\nLearning from the Domestic Homicide Review: Beth\nWhat happened\n",
            "Learning from the Domestic Homicide Review: Beth",
        ),
        (  # the same case line, wrapped after its colon by a cover's large type in a PDF
            "Severnside Community Safety Partnership\nDomestic Homicide Review:\nDaniel\nExecutive Summary\n",
            "Domestic Homicide Review: Daniel",
        ),
        (  # a cover line that names no case: the partnership's name stays, never the first section's heading
            "Severnside Community Safety Partnership\nDomestic Homicide Review\n1.1 This review examines the facts.\n",
            "Severnside Community Safety Partnership: Domestic Homicide Review",
        ),
    ],
)
def test_a_reviews_cover_gives_the_pseudonym_under_its_title(cover, title):
    """ "Domestic Homicide Review" alone names every review: the one-word pseudonym under it is the title's."""
    text = cover + "\nThe panel met six times between 2022 and 2023 and read every agency's chronology.\n"
    assert derive_title(extract(text.encode(), "cover.txt")).title == title


def test_a_plan_opening_on_its_table_is_titled_by_the_running_header_its_pages_repeat():
    """A PDF plan whose first page is its table: the line its pages repeat names it; a line that names a kind
    of document only once is the text's own (an essay's "The report provided the following definition")."""
    row = "1.1\tReview the strategic framework.\tThe board agreed the scope in 2014.\tAMBER\n"
    opening = "The board met in March and agreed these actions.\n"
    header = "Northvale Domestic Abuse Action Plan\n"
    plan = opening + row * 20 + (header + row * 20) * 3
    found = derive_title(extract(plan.encode(), "plan.txt"))
    assert (found.title, found.running_header) == ("Northvale Domestic Abuse Action Plan", True)
    essay = opening + row * 20 + "The report provided the following definition of abuse\n" + row * 20
    found = derive_title(extract(essay.encode(), "essay.txt"))
    assert (found.title, found.running_header) == (opening.strip(), False)
    assert not any(title_of(path).running_header for path in REAL if not path.name.startswith("002_"))


def test_a_word_reports_heading_naming_only_its_partnership_is_followed_by_the_case_its_cover_names():
    """Two Word reports of one partnership, its name their first heading (a masthead), are told apart by the case
    lines of their covers, their titles."""
    import io

    import docx

    titles = []
    for line in ("Overview Report into the death of Margaret", "Executive summary of the death of Daniel"):
        document = docx.Document()
        document.add_heading("Severnside Community Safety Partnership", 0)
        document.add_paragraph("Domestic Homicide Review")
        document.add_paragraph(line)
        document.add_paragraph("1.1 This review examines the contact agencies had with the victim before the death.")
        buffer = io.BytesIO()
        document.save(buffer)
        titles.append(derive_title(extract(buffer.getvalue(), "report.docx")).title)
    assert titles == [
        "Domestic Homicide Review: Overview Report into the death of Margaret",
        "Domestic Homicide Review: Executive summary of the death of Daniel",
    ]


def _logo_brief(logo: str, heading: str) -> bytes:
    """A Word brief as councils make them: the partnership's name in capitals (its logo line), then the heading."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph().add_run(logo).bold = True
    document.add_heading(heading, level=1)
    document.add_heading("1. What happened", level=2)
    document.add_paragraph("Gemma was 34. Her husband turned up at rehearsals and watched her from the back row.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "logo, heading",
    [
        ("CALDER MOOR CSP", "DHR 'Gemma'"),  # was "Calder Moor Csp"
        ("RIBBLETON COMMUNITY SAFETY PARTNERSHIP", "Learning Brief - 'Dawn'"),  # was the partnership's name
    ],
)
def test_a_logo_line_naming_the_partnership_is_furniture_and_the_heading_after_it_the_title(logo, heading):
    assert derive_title(extract(_logo_brief(logo, heading), "brief.docx")).title == heading


def test_a_shouted_line_is_title_cased_but_never_its_acronyms():
    """ "CSP" is no word to write "Csp"; nor are "NHS", "VAWG" or "MARAC"; the words of English are title-cased."""
    text = "CALDER MOOR CSP AND NHS VAWG MARAC STRATEGY 2024\n\nThe strategy sets out how the partnership works.\n"
    title = derive_title(extract(text.encode(), "strategy.txt")).title
    assert title == "Calder Moor CSP And NHS VAWG MARAC Strategy 2024"


def test_a_capitals_line_that_names_no_organisation_stays_the_title_before_a_heading():
    """Only a logo line is passed over: a shouted title that names no organisation, above a heading, stays first."""
    found = derive_title(extract(_logo_brief("DOMESTIC HOMICIDE REVIEW GEMMA", "What happened"), "brief.docx"))
    assert found.title.startswith("Domestic Homicide Review Gemma")


def test_an_older_workspace_titles_its_logo_briefs_anew_once_keeping_a_typed_title(
    store, embedder, people, monkeypatch
):
    from core.workspace import put_setting, setting
    from indexing import library as library_module
    from indexing.titles import TITLES_VERSION

    library = Library(store, embedder)
    # what the release before version 3 stored: the logo line title-cased, and a title the coordinator typed
    monkeypatch.setattr(library_module, "derive_title", lambda extracted, **_: derive_title(extracted, version=2))
    ids = [
        library.ingest(_logo_brief("CALDER MOOR CSP", "DHR 'Gemma'"), "gemma.docx", viewer=COORD).document_id,
        library.ingest(
            _logo_brief("CALDER MOOR CSP", "DHR 'Sandra'"), "sandra.docx", viewer=COORD, title="Sandra: our brief"
        ).document_id,
    ]
    monkeypatch.undo()
    with store.write("test") as tx:
        put_setting(tx, "titles_version", "2")
        tx.update("documents", ids[0], {"title": "Calder Moor Csp"})  # its acronym title-cased, as version 2 did

    assert library.retitle() == ["gemma.docx"]  # what the app and every command do when they start
    assert [store.read()["documents"].get(i)["title"] for i in ids] == ["DHR 'Gemma'", "Sandra: our brief"]
    assert setting(store.read(), "titles_version") == str(TITLES_VERSION) == "4"
    assert library.retitle() == []  # once
