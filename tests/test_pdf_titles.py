"""A published PDF is titled by its cover, not by the running header its pages open with (indexing/titles.py),
laid out in the test as councils lay them out (fpdf2): a header line in small type on every page, the cover's
title in large type below it; and a workspace whose PDFs an earlier release titled by their headers is titled
anew once, its passages' search vectors and keyword entries with it, a title someone typed kept."""

import numpy as np
import pytest
from fpdf import FPDF

from core.workspace import put_setting, setting
from indexing import library as library_module
from indexing.chunking import embedding_text
from indexing.embeddings import from_blob
from indexing.extract import Extracted, extract
from indexing.library import Library
from indexing.titles import TITLES_VERSION, derive_title
from tests.conftest import COORD

BODY = (
    "She was 35 and was killed by her partner, who bred and raced pigeons with his father. The loft was the "
    "centre of the family and her days were planned around the racing season. Agencies did not ask about it. "
)


def council_pdf(header: str, cover: list[str], *, pages: int = 1, cover_size: int = 16, title: str = "") -> bytes:
    """``header`` in 9 pt at the top of every page, the ``cover`` lines in ``cover_size`` pt on the first, then
    11 pt text; ``title`` the PDF's own title property."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=9)
        pdf.cell(0, 5, header, new_x="LMARGIN", new_y="NEXT")
        if number == 0:
            pdf.set_font("helvetica", style="B", size=cover_size)
            for line in cover:
                pdf.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, BODY * 4)
    return bytes(pdf.output())


def title_of(data: bytes) -> str | None:
    return derive_title(extract(data, "brief.pdf")).title


@pytest.mark.parametrize(
    "header, cover, pages, title",
    [
        (  # a one-page brief: its header separated by " | " and ending in a year, above a larger heading
            "Tarnby Community Safety Partnership | Learning Brief | 2024",
            ["Learning from the Domestic Homicide Review: Fiona"],
            1,
            "Learning from the Domestic Homicide Review: Fiona",
        ),
        (  # a report whose pages all open with its header; the cover's title on three lines, one phrase on two
            "Safer Vale Partnership DHR Case 8 Executive Summary",
            ["Domestic Homicide Review", "Executive Summary into the death of", "'Kayleigh'"],
            3,
            "Domestic Homicide Review: Executive Summary into the death of 'Kayleigh'",
        ),
    ],
)
def test_a_pdfs_page_header_gives_way_to_the_title_its_cover_sets_in_larger_type(header, cover, pages, title):
    assert title_of(council_pdf(header, cover, pages=pages)) == title


def test_a_one_page_brief_with_no_larger_heading_keeps_the_line_it_opens_with():
    """A brief in one size of type offers no better line: its first line stays its title, as before."""
    data = council_pdf("Tarnby Community Safety Partnership | Learning Brief | 2024", ["Fiona"], cover_size=11)
    assert title_of(data) == "Tarnby Community Safety Partnership | Learning Brief | 2024"


def test_a_repeated_header_over_a_cover_in_one_size_gives_way_to_the_pdfs_own_title_where_it_is_one():
    header, cover = "Safer Vale Partnership | Domestic Homicide Review", ["Domestic Homicide Review: Fiona"]
    named = council_pdf(header, cover, pages=2, cover_size=11, title="Domestic Homicide Review: Fiona")
    assert title_of(named) == "Domestic Homicide Review: Fiona"
    word = council_pdf(header, cover, pages=2, cover_size=11, title="Microsoft Word - DHR Fiona final v3.docx")
    assert title_of(word) == header  # the name of the file it was made from is no title


def test_a_line_said_once_on_the_cover_is_no_page_header():
    """A cover's first line that no other page repeats, with no " | " and no year, stays the title."""
    data = council_pdf("Domestic Homicide Review", ["Executive Summary"])
    assert extract(data, "r.pdf").cover_heading == ("Executive Summary",)
    assert title_of(data) == "Domestic Homicide Review"


def _titled_fiona(library, store, ids: list[int]) -> set[int]:
    """The documents whose title the keyword index holds "Fiona" in."""
    chunk_ids = [chunk_id for chunk_id, _ in library.lexical.search("title:fiona", set(ids), set(), 10)]
    return {store.read()["chunks"].get(chunk_id)["document_id"] for chunk_id in chunk_ids}


def earlier_title(extracted: Extracted, **_):
    """The title the release before TITLES_VERSION 2 derived: no layout read, a logo line the title."""
    unlaid = Extracted(extracted.text, headings=extracted.headings, read_as=extracted.read_as)
    return derive_title(unlaid, version=2)


@pytest.fixture
def library(store, embedder, people):
    return Library(store, embedder)


def test_an_older_workspace_titles_its_pdfs_anew_once_keeping_a_typed_title(library, store, monkeypatch):
    header = "Tarnby Community Safety Partnership | Learning Brief | 2024"
    brief = council_pdf(header, ["Learning from the Domestic Homicide Review: Fiona"])
    typed = council_pdf(header.replace("Tarnby", "Penhallow"), ["Learning from the Domestic Homicide Review: Elaine"])
    same = council_pdf("Domestic Homicide Review", ["Executive Summary"])
    # the earlier release read no layout: what it stored, and a title the coordinator typed
    monkeypatch.setattr(library_module, "derive_title", earlier_title)  # what the release before version 2 stored
    ids = [
        library.ingest(brief, "fiona.pdf", viewer=COORD, access="public").document_id,
        library.ingest(typed, "elaine.pdf", viewer=COORD, access="public", title="Elaine: our brief").document_id,
        library.ingest(same, "summary.pdf", viewer=COORD, access="public").document_id,
    ]
    monkeypatch.undo()
    with store.write("test") as tx:
        put_setting(tx, "titles_version", None)
    assert store.read()["documents"].get(ids[0])["title"] == header
    vectors = {row["id"]: row["search_embedding"] for row in store.read()["chunks"].rows}

    library.resume_pending()  # what the app does when it starts

    titles = [store.read()["documents"].get(i)["title"] for i in ids]
    assert titles == [
        "Learning from the Domestic Homicide Review: Fiona",
        "Elaine: our brief",
        "Domestic Homicide Review",
    ]
    assert setting(store.read(), "titles_version") == str(TITLES_VERSION)
    changed = {
        row["document_id"] for row in store.read()["chunks"].rows if row["search_embedding"] != vectors[row["id"]]
    }
    assert changed == {ids[0]}  # only the retitled document's passages are encoded again, in their new title
    first = next(store.read()["chunks"].rows_where("document_id = ?", [ids[0]], order_by="ordinal"))
    again = library.embedder.encode([embedding_text(titles[0], first["heading"] or "", first["text"])])[0]
    assert np.allclose(from_blob(first["search_embedding"]).astype(np.float32), again, atol=1e-2)
    assert _titled_fiona(library, store, ids) == {ids[0]}  # the keyword index holds the new title
    assert library.verify().ok
    assert library.retitle() == []  # once: the workspace remembers the version
