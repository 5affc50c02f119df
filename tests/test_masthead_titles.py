"""A document's title is its heading, not its masthead (indexing/titles.py, TITLES_VERSION 4): the partnership's name
a brief or report opens with, in any case, after a logo's placeholder, or wrapped by a PDF, gives way to the heading
after it that names the review or brief; a sentence a PDF wrapped is never a title. Laid out as a checker's files
were (s15 walk): Word documents made with python-docx, and those LibreOffice printed to PDF."""

from __future__ import annotations

import io

import docx
import pytest

from indexing.extract import extract
from indexing.library import Library
from indexing.titles import TITLES_VERSION, derive_title
from tests.conftest import COORD
from tests.test_report_pdf_layouts import printed_pdf

BRIEF = "Learning brief 5: Dance school safeguarding leads"
WRAPPED = (  # a sentence long enough that a PDF wraps it mid-clause, its first line naming "a review"
    "A review found that welfare officers at dance schools and ballroom clubs had child safeguarding training but "
    "none on adult domestic abuse. Several dancers had disclosed abuse by partners at social dances."
)


def masthead_brief(masthead: str, heading: str, text: str = WRAPPED) -> docx.Document:
    """A learning brief as the checker's were made: the partnership's name as a plain line, then the heading."""
    document = docx.Document()
    document.add_paragraph(masthead)
    document.add_heading(heading, 1)
    document.add_paragraph(text)
    document.add_paragraph("If you are worried about domestic abuse, call the Eastmere Domestic Abuse Service.")
    return document


def executive_summary() -> docx.Document:
    """The partnership's name in the Title style, so large a PDF wraps it, then the summary's heading."""
    document = docx.Document()
    document.add_heading("Fenbridge Safer Communities Partnership", 0)
    document.add_heading("Domestic Homicide Review - Executive Summary", 1)
    document.add_paragraph("Review into the death of Daniel, November 2021")
    document.add_paragraph("Report author: an Independent Chair. Published September 2023.")
    document.add_heading("1. The review process", 2)
    document.add_paragraph("1.1 Daniel died in hospital from stab wounds. His former partner was convicted. " * 3)
    return document


def docx_bytes(document: docx.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def title(data: bytes, name: str, version: int = TITLES_VERSION) -> str | None:
    return derive_title(extract(data, name), version=version).title


@pytest.mark.parametrize(
    "masthead", ["Eastmere Community Safety Partnership", "[Logo] Eastmere Community Safety Partnership"]
)
def test_a_briefs_masthead_gives_way_to_its_heading_in_word_and_printed_to_pdf(masthead, tmp_path):
    document = masthead_brief(masthead, BRIEF)
    assert title(docx_bytes(document), "brief.docx") == BRIEF
    assert title(printed_pdf(document, tmp_path), "brief.pdf") == BRIEF


def test_a_sentence_a_pdf_wrapped_is_never_the_title(tmp_path):
    """No heading names the brief: the masthead stays, never "...: A review found that ... had" (as version 3 read)."""
    pdf = printed_pdf(
        masthead_brief("Eastmere Community Safety Partnership", "Learning point 5: Dance leads"), tmp_path
    )
    assert title(pdf, "brief.pdf", version=3).endswith(
        ": A review found that welfare officers at dance schools and ballroom clubs had"
    )
    assert title(pdf, "brief.pdf") == "Eastmere Community Safety Partnership"


def test_a_logo_line_a_pdf_wrapped_gives_way_to_the_summarys_heading(tmp_path):
    pdf = printed_pdf(executive_summary(), tmp_path)
    assert title(pdf, "summary.pdf", version=3) == "Fenbridge Safer Communities"  # what the walk found
    assert title(pdf, "summary.pdf") == (
        "Domestic Homicide Review - Executive Summary: Review into the death of Daniel, November 2021"
    )


def test_a_heading_that_says_only_what_kind_of_report_it_is_stays_under_the_partnerships_name():
    document = docx.Document()
    document.add_heading("Eastmere Community Safety Partnership", 0)
    document.add_heading("Domestic Homicide Review: Overview Report", 1)
    document.add_paragraph("Into the death of Margaret Ellery (known as Peggy) in the spring of 2022")
    document.add_paragraph("1.1 This review examines the contact agencies had with Peggy and her husband.")
    assert title(docx_bytes(document), "report.docx") == (
        "Eastmere Community Safety Partnership: Domestic Homicide Review: Overview Report"
    )


def test_an_older_workspace_titles_its_masthead_briefs_anew_once_keeping_a_typed_title(
    store, embedder, people, tmp_path, monkeypatch
):
    from core.workspace import put_setting, setting
    from indexing import library as library_module

    library = Library(store, embedder)
    pdf = printed_pdf(masthead_brief("Eastmere Community Safety Partnership", BRIEF), tmp_path)
    monkeypatch.setattr(library_module, "derive_title", lambda extracted, **_: derive_title(extracted, version=3))
    ids = [
        library.ingest(pdf, "Dance learning brief 5.pdf", viewer=COORD).document_id,
        library.ingest(
            docx_bytes(masthead_brief("Eastmere CSP", BRIEF)), "b.docx", viewer=COORD, title="Ours"
        ).document_id,
    ]
    monkeypatch.undo()
    assert store.read()["documents"].get(ids[0])["title"].startswith("Eastmere Community Safety Partnership")
    with store.write("test") as tx:
        put_setting(tx, "titles_version", "3")

    assert library.retitle() == ["Dance learning brief 5.pdf"]
    assert [store.read()["documents"].get(i)["title"] for i in ids] == [BRIEF, "Ours"]
    assert setting(store.read(), "titles_version") == str(TITLES_VERSION) == "4"
    assert library.retitle() == []


def test_the_workspaces_partnership_is_a_masthead_whatever_its_words(store, embedder, people):
    """ "Safer Eastmere" names no partnership, council or board, yet it is the workspace's own partnership: its
    briefs open with it, and their headings are their titles."""
    from core import workspace

    library = Library(store, embedder)

    def title_of_brief(heading: str) -> str:
        data = docx_bytes(masthead_brief("Safer Eastmere", heading))
        document_id = library.ingest(data, f"{heading}.docx", viewer=COORD).document_id
        return store.read()["documents"].get(document_id)["title"]

    assert title_of_brief("Learning brief 1: Coercive control at the dance studio") == "Safer Eastmere"
    workspace.save(store, COORD, partnership="Safer Eastmere")
    assert title_of_brief("Learning brief 2: The competition partner") == "Learning brief 2: The competition partner"
