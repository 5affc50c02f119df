"""What every Word document the app writes shares: styles, a confidential or published header,
"Page X of Y" footers, tables whose header row repeats on every page, and document properties."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.workspace import LOGO_HEIGHT_CM, WorkspaceSettings

DRAFT_HEADER = "CONFIDENTIAL DRAFT – not for publication or onward circulation"
PUBLISHED_HEADER = "Published version – anonymised"
FONT = "Arial"


def new_document(
    title: str,
    *,
    subject: str,
    branding: WorkspaceSettings,
    author: str = "",
    published: bool = False,
    landscape: bool = False,
):
    """A document with the partnership's logo and a title heading, the header and footer set, and its
    properties filled in (the author is the partnership unless a chair is named)."""
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = FONT
    styles["Normal"].font.size = Pt(11)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12)):
        styles[name].font.name = FONT
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2.2))
    header = section.header.paragraphs[0]
    header.text = PUBLISHED_HEADER if published else DRAFT_HEADER
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].font.size = Pt(9)
    header.runs[0].bold = not published
    _page_numbers(section.footer.paragraphs[0])
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = author or branding.partnership_name
    properties.category = "Published" if published else "Confidential draft"
    properties.keywords = "Domestic Homicide Review"
    properties.created = datetime.now(UTC).replace(tzinfo=None)
    if branding.logo:
        document.add_paragraph().add_run().add_picture(io.BytesIO(branding.logo), height=Cm(LOGO_HEIGHT_CM))
    document.add_paragraph(title, style="Title")
    return document


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _page_numbers(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def prompt(document, text: str) -> None:
    """An italic note to the chair where the app cannot write the section itself."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def table(document, headers: Sequence[str], rows: Sequence[Sequence[object]], widths_cm: Sequence[float] | None = None):
    """A table with a bold header row that repeats at the top of every page it runs onto."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    header_row = grid.rows[0]
    properties = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, text in zip(header_row.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "DDE3EA")
        cell._tc.get_or_add_tcPr().append(shading)
    for values in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    if widths_cm:
        grid.autofit = False
        for column, width in zip(grid.columns, widths_cm, strict=True):
            column.width = Cm(width)  # the grid, which LibreOffice reads
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)  # and each cell, which Word reads
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    document.add_paragraph()
    return grid


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
