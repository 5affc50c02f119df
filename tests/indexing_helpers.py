"""Files the indexing tests generate: real PDFs and Word documents, and broken ones."""

from __future__ import annotations

import io

import docx
from fpdf import FPDF


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
