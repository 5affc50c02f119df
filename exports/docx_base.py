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
from docx.text.paragraph import Paragraph

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


# a header word in bold Arial at 9.5 pt takes at most this much per letter, and a cell this much besides
HEADER_CM_PER_LETTER = 0.21
CELL_PADDING_CM = 0.45


def fitted_widths(headers: Sequence[str], widths_cm: Sequence[float], available_cm: float) -> list[float]:
    """Column widths in which every header word fits whole ("Recommendations", never "Recommendati-ons")
    and the table fits the page: a column too narrow for its longest header word is widened, and what
    the table then has too much comes off the columns with room to spare, in proportion to that room."""
    needed = [CELL_PADDING_CM + HEADER_CM_PER_LETTER * max(map(len, h.split()), default=0) for h in headers]
    fitted = [max(width, need) for width, need in zip(widths_cm, needed, strict=True)]
    excess = sum(fitted) - min(available_cm, max(sum(widths_cm), sum(needed)))
    room = [width - need for width, need in zip(fitted, needed, strict=True)]
    if excess > 0 and sum(room) > 0:
        share = min(excess, sum(room)) / sum(room)
        fitted = [width - spare * share for width, spare in zip(fitted, room, strict=True)]
    return fitted


def _text_width_cm(document) -> float:
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Cm(1)


def table(document, headers: Sequence[str], rows: Sequence[Sequence[object]], widths_cm: Sequence[float] | None = None):
    """A table with a bold header row that repeats at the top of every page it runs onto, no row split across two
    pages; given widths are ``fitted_widths`` for the page."""
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
        widths_cm = fitted_widths(headers, widths_cm, _text_width_cm(document))
        grid.autofit = False
        for column, width in zip(grid.columns, widths_cm, strict=True):
            column.width = Cm(width)  # the grid, which LibreOffice reads
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)  # and each cell, which Word reads
    for row in grid.rows:
        _kept_whole(row)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    document.add_paragraph()
    return grid


def _kept_whole(row) -> None:
    """A row never split across a page (Word's "allow row to break across pages" off): a recommendation read on two
    pages, its number on one and its words on the next, is one a reader misses."""
    keep = OxmlElement("w:cantSplit")
    row._tr.get_or_add_trPr().insert_element_before(
        keep, "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
    )


def _no_blank_last_page(document) -> None:
    """Shrink the empty paragraph that ends a document after a table (the spacer ``table`` adds, or the
    one Word insists on) to 1 pt: at full height, a table that fills the last page pushed it onto a page
    of its own, printed blank but for the header and footer."""
    content = [child for child in document.element.body if child.tag != qn("w:sectPr")]
    if not content or content[-1].tag != qn("w:p") or "".join(content[-1].itertext()).strip():
        return
    last = Paragraph(content[-1], document._body)
    last.paragraph_format.space_before = last.paragraph_format.space_after = Pt(0)
    last.paragraph_format.line_spacing = Pt(1)
    mark = OxmlElement("w:rPr")  # the paragraph mark's own size, which sets an empty paragraph's height
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    last._p.get_or_add_pPr().append(mark)


def to_bytes(document) -> bytes:
    _no_blank_last_page(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
