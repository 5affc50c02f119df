"""Files and workspaces the indexing tests generate: real PDFs and Word documents, broken ones, and a workspace
as an earlier release left it."""

from __future__ import annotations

import io

import docx
import sqlite_utils
from fpdf import FPDF

from core.schema import migrations, open_store
from indexing.library import Library


def make_pdf(pages: list[str], *, password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    return bytes(pdf.output())


def make_image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text layer: what a scan looks like
    return bytes(pdf.output())


def make_docx(sections: list[tuple[str, list[str]]], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def words(topic: str, count: int) -> str:
    return " ".join(f"{topic}{i % 7}" if i % 5 == 0 else "learning" for i in range(count))


def workspace_before(path, migration: str, *, read_version: int) -> sqlite_utils.Database:
    """A workspace as the release before ``migration`` left it, holding one indexed document (id 1) that
    reader ``read_version`` read; its facts are the caller's to add."""
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=migration)
    db["documents"].insert(
        {
            "id": 1,
            "title": "Old review",
            "kind": "executive summary",
            "access": "public",
            "source_name": "old.pdf",
            "sha256": "0" * 64,
            "size_bytes": 1,
            "status": "indexed",
            "added_by": "coord",
            "added_at": "2026-11-30T09:00:00",
            "read_version": read_version,
        },
        alter=False,
    )
    return db


def ingest_summaries(store, embedder, coordinator, texts: dict[str, str]) -> dict[str, int]:
    """Each text ingested as a public executive summary (a Markdown file of that name): name -> document id."""
    library = Library(store, embedder)
    return {
        name: library.ingest(
            f"# Review\n\n{text}\n".encode(), name, viewer=coordinator, kind="executive summary", access="public"
        ).document_id
        for name, text in texts.items()
    }


def check_facts_kept_through(
    path, migration: str, read_version: int, corrected: tuple[str, str], added: tuple[str, str]
):
    """A workspace from before ``migration`` holding a fact as read (the victim's age) and one the coordinator
    corrected (``corrected``: field and JSON value), opened with every migration applied: both are still there
    as they were, and the fact the migration adds (``added``: field and JSON value) is stored beside them."""
    db = workspace_before(path, migration, read_version=read_version)
    db["document_facts"].insert_all(
        [
            {
                "document_id": 1,
                "field": "victim_age",
                "value": "71",
                "sentence": "Mrs J, aged 71, was killed.",
                "corrected_value": None,
                "corrected_by": None,
                "corrected_at": None,
            },
            {
                "document_id": 1,
                "field": corrected[0],
                "value": "null",
                "sentence": "",
                "corrected_value": corrected[1],
                "corrected_by": "coord",
                "corrected_at": "2026-11-30T10:00:00",
            },
        ]
    )
    before = list(db.query("SELECT * FROM document_facts ORDER BY field"))
    db.close()
    store = open_store(path)
    assert list(store.read().query("SELECT * FROM document_facts ORDER BY field")) == before
    with store.write("test") as tx:
        tx.db["document_facts"].insert({"document_id": 1, "field": added[0], "value": added[1]})
    store.close()
