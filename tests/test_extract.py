"""Every extractor on files the tests make, and every kind of bad file."""

import pytest

from indexing.extract import ExtractionError, extract, named_otherwise, read_as
from tests.conftest import COORD
from tests.indexing_helpers import make_docx, make_image_only_pdf, make_pdf


def test_pdf_keeps_page_numbers():
    data = make_pdf(["First page about coercive control and isolation.", "Second page on MARAC referrals and risk."])
    extracted = extract(data, "brief.pdf")
    assert "coercive control" in extracted.text and "MARAC" in extracted.text
    marac = extracted.text.index("MARAC")
    assert extracted.page_at(0) == 1 and extracted.page_at(marac) == 2


def test_docx_keeps_headings_and_table_text():
    data = make_docx(
        [("Summary", ["Mrs A was known to her GP."]), ("Lessons", ["Routine enquiry was not made."])],
        table=[["Agency", "Contact"], ["Police", "Three call-outs"]],
    )
    extracted = extract(data, "summary.docx")
    headings = [h for _, h in extracted.headings]
    assert headings == ["Summary", "Lessons"]
    assert "Police | Three call-outs" in extracted.text
    offset, heading = extracted.headings[1]
    assert extracted.text[offset:].startswith("Lessons")


def test_html_drops_scripts_and_keeps_headings():
    html = b"""<html><head><title>T</title><style>p{}</style></head><body><nav>menu</nav>
    <h1>Learning brief</h1><p>Stalking &amp; harassment were <b>not</b> recognised.</p><script>alert(1)</script>
    <h2>Next steps</h2><ul><li>Train call handlers.</li></ul></body></html>"""
    extracted = extract(html, "page.html")
    assert "Stalking & harassment were not recognised." in extracted.text
    assert "alert" not in extracted.text and "menu" not in extracted.text
    assert [h for _, h in extracted.headings] == ["Learning brief", "Next steps"]


def test_markdown_headings_and_plain_text():
    extracted = extract(b"# Brief\n\nText about economic abuse.\n\n## Findings\nThe bank was not asked.", "x.md")
    assert [h for _, h in extracted.headings] == ["Brief", "Findings"]
    assert extract(b"Just plain text about older victims and carers.", "x.txt").headings == []


def test_windows_1252_text_is_read():
    assert "café" in extract("Notes from the café meeting about housing.".encode("cp1252"), "notes.txt").text


KNOWN = "Mrs A was known to her GP and to the police."
WORD, PDF = make_docx([("Summary", [KNOWN])]), make_pdf([KNOWN])


@pytest.mark.parametrize(
    "data, name, said",
    [
        (WORD, "summary.pdf", "a Word document named .pdf, read as a Word document"),
        (PDF, "summary.docx", "a PDF named .docx, read as a PDF"),
        (PDF, "summary.txt", "a PDF named .txt, read as a PDF"),
        (PDF, "summary", "a PDF with no suffix in its name, read as a PDF"),
    ],
)
def test_a_file_is_read_as_what_its_bytes_are_whatever_its_name_says(data, name, said):
    """A Word document saved or renamed as .pdf was refused as "damaged or not a PDF": a PDF starts with %PDF-, a
    .docx is a zip holding word/document.xml, and each is read as what it is, saying so."""
    extracted = extract(data, name)
    assert KNOWN in extracted.text
    assert named_otherwise(name, extracted.read_as) == said
    assert named_otherwise(name, read_as(data, name)) == said
    assert named_otherwise("summary.docx" if data is WORD else "summary.pdf", extracted.read_as) == ""


@pytest.mark.parametrize(
    "data, name, fragment",
    [
        (make_pdf(["secret"], password="pw"), "locked.pdf", "password-protected"),
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf", "damaged"),
        (make_pdf(["ok"])[:200], "truncated.pdf", "damaged"),
        (make_image_only_pdf(), "scan.pdf", "no text layer"),
        (b"PK\x03\x04 not a zip", "broken.docx", "damaged"),
        (b"", "empty.txt", "empty"),
        (b"   \n  ", "blank.md", "empty"),
        (b"hi", "short.txt", "no readable text"),
        (b"data", "sheet.xlsx", "not supported"),
        (b"PK\x03\x04 a Word file", "renamed.pdf", "is a Word (or other Office) file named .pdf: rename it .docx"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(data, name, fragment):
    with pytest.raises(ExtractionError) as error:
        extract(data, name)
    assert fragment in str(error.value)


def test_over_size_limit_is_rejected():
    with pytest.raises(ExtractionError, match="over the 1 MB limit"):
        extract(b"x" * (1024 * 1024 + 1), "big.txt", max_bytes=1024 * 1024)


def test_upload_limit_comes_from_the_environment(monkeypatch, tmp_path):
    from core.schema import open_store
    from core.settings import max_upload_bytes
    from indexing.library import Library

    monkeypatch.setenv("DHR_MAX_UPLOAD_MB", "0.001")
    assert max_upload_bytes() == 1048
    library = Library(open_store(tmp_path / "dhr.sqlite"))
    result = library.ingest(b"x " * 2000, "big.txt", viewer=COORD)
    assert result.outcome == "failed" and "limit" in result.reason
    monkeypatch.setenv("DHR_MAX_UPLOAD_MB", "lots")
    with pytest.raises(ValueError, match="DHR_MAX_UPLOAD_MB"):
        max_upload_bytes()
