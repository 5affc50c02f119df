"""The publication check reads every text-bearing part of a .docx; stamping removes what must not be published.

The report is built with python-docx, then the parts python-docx cannot write (footnotes, endnotes,
text boxes, content controls, tracked changes, custom properties) are added as raw XML.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from exports.docx_text import text_units
from exports.publication import check
from exports.stamp import stamp_published

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NAMES = ["Margaret Olsen"]
PSEUDONYM = "Rose"

# part of the document -> (the location the check must report, the hidden name)
HIDDEN = {
    "first-page header": ("header, first page, section 1", "Olsen"),
    "even-page footer": ("footer, even pages, section 1", "Margaret"),
    "nested table": ("table 1, row 1, cell 1, table 1, row 2, cell 2", "OLSEN"),
    "footnote": ("footnote 1", "Olsen"),
    "endnote": ("endnote 1", "Margaret Olsen’s"),
    "comment": ("comment 1", "Margaret's"),
    "text box": ("text box 1 in paragraph 3", "Olsen"),
    "content control": ("content control 1, paragraph 1", "Olsen"),
    "tracked deletion": ("paragraph 4 (tracked deletion)", "Olsen"),
    "tracked insertion": ("paragraph 4", "Ólsen"),
    "core property": ("document properties: author", "Margaret Olsen"),
    "custom property": ("custom property 'Subject person'", "Olsen"),
}

TEXT_BOX = f"""<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><w:r><mc:AlternateContent><mc:Choice Requires="wps"><wps:wsp><wps:txbx>
<w:txbxContent><w:p><w:r><w:t>Note from Olsen family</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>
</mc:Choice><mc:Fallback><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Note from Olsen family</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></mc:Fallback></mc:AlternateContent></w:r></w:p>"""
CONTENT_CONTROL = f"""<w:sdt {W_NS}><w:sdtPr><w:alias w:val="Victim"/></w:sdtPr><w:sdtContent>
<w:p><w:r><w:t>Known as Mrs Olsen to neighbours</w:t></w:r></w:p></w:sdtContent></w:sdt>"""
TRACKED = f"""<w:p {W_NS}><w:r><w:t xml:space="preserve">The victim, </w:t></w:r>
<w:del w:id="91" w:author="Chair" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>Mrs Olsen, </w:delText></w:r></w:del>
<w:ins w:id="92" w:author="Chair" w:date="2026-01-01T00:00:00Z"><w:r><w:t>called Ólsen by staff</w:t></w:r></w:ins>
<w:r><w:t xml:space="preserve"> lived alone.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>
<w:r><w:endnoteReference w:id="1"/></w:r></w:p>"""


def _notes(kind: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {W_NS}>'
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}></w:{kind}s>'
    ).encode()


CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Subject person">'
    b"<vt:lpwstr>Mrs Olsen</vt:lpwstr></property></Properties>"
)


def _add_parts(data: bytes, body_xml: list[str]) -> bytes:
    """Insert raw body XML before the final section and add footnote, endnote and custom parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = content.decode()
                cut = text.rindex("<w:sectPr")
                content = (text[:cut] + "".join(body_xml) + text[cut:]).encode()
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/endnotes.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/>'
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.custom-properties+xml"/></Types>',
                )
            elif info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdEn" '
                    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" '
                    b'Target="endnotes.xml"/></Relationships>',
                )
            elif info.filename == "_rels/.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
                )
            target.writestr(info, content)
        target.writestr("word/footnotes.xml", _notes("footnote", "Source: Olsen family statement"))
        target.writestr("word/endnotes.xml", _notes("endnote", "Margaret Olsen’s GP record"))
        target.writestr("docProps/custom.xml", CUSTOM)
    return out.getvalue()


def hidden_names_report() -> bytes:
    """A report whose body uses only the pseudonym; the real name hides in every other part."""
    document = docx.Document()
    document.add_paragraph("Rose was known to several services.")
    outer = document.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=2, cols=2)
    inner.cell(1, 1).text = "Interview with OLSEN relatives"
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Review into the death of Mrs Olsen"
    document.settings.odd_and_even_pages_header_footer = True
    section.even_page_footer.paragraphs[0].text = "Margaret: draft 3"
    paragraph = document.add_paragraph("Rose's sister spoke to the panel.")
    document.add_comment(paragraph.runs, text="Check with Margaret's daughter", author="Reviewer", initials="R")
    document.core_properties.author = "Margaret Olsen"
    buffer = io.BytesIO()
    document.save(buffer)
    return _add_parts(buffer.getvalue(), [TEXT_BOX, TRACKED, CONTENT_CONTROL])


def clean_report() -> bytes:
    document = docx.Document()
    document.add_paragraph("Rose was known to services. The panel thanks the family.")
    document.add_table(rows=1, cols=1).cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).text = "Rose's GP"
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Review into the death of Rose"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def findings():
    return check(hidden_names_report(), names=NAMES, pseudonym=PSEUDONYM)


@pytest.mark.parametrize("part", list(HIDDEN))
def test_a_name_hidden_in_each_part_is_found_where_it_is(findings, part):
    location, text = HIDDEN[part]
    found = [(f.location, f.text) for f in findings if f.kind == "name"]
    assert (location, text) in found, found


def test_the_pseudonym_body_text_alone_is_not_a_finding(findings):
    assert not any(f.location == "paragraph 1" for f in findings)


def test_a_clean_report_has_no_findings():
    assert check(clean_report(), names=NAMES, pseudonym=PSEUDONYM) == []


def test_a_text_box_and_its_fallback_are_reported_once(findings):
    assert len([f for f in findings if f.location.startswith("text box")]) == 1


def test_finding_key_is_what_it_is_not_where():
    first = check(hidden_names_report(), names=NAMES, pseudonym=PSEUDONYM)
    key = next(f.key for f in first if f.location == "footnote 1")
    assert key == "name|olsen"
    # Olsen, OLSEN, Ólsen and Olsen's are one finding for acceptance
    assert {f.key for f in first if f.text.lower().replace("’s", "") in ("olsen", "ólsen")} == {"name|olsen"}


def test_stamped_version_drops_comments_tracked_changes_and_personal_properties():
    stamped = stamp_published(hidden_names_report())
    names = zipfile.ZipFile(io.BytesIO(stamped)).namelist()
    assert "word/comments.xml" not in names and "docProps/custom.xml" not in names
    texts = {u.location: u.text for u in text_units(stamped)}
    assert not any("tracked deletion" in loc or loc.startswith("comment") for loc in texts)
    assert "called Ólsen by staff" in texts["paragraph 4"]  # the insertion is accepted
    reopened = docx.Document(io.BytesIO(stamped))
    assert reopened.core_properties.author == "" and reopened.core_properties.last_modified_by == ""
    assert reopened.sections[0].first_page_header.paragraphs[0].text.startswith("Published version")
    assert reopened.sections[0].header.paragraphs[0].text.startswith("Published version")
    remaining = {f.location for f in check(stamped, names=NAMES, pseudonym=PSEUDONYM)}
    assert not any(loc.startswith(("comment", "custom", "document properties")) for loc in remaining)


def test_a_damaged_report_is_refused_with_a_reason():
    from core.errors import ValidationError

    with pytest.raises(ValidationError, match="damaged or is not an Office file"):
        check(b"PK\x03\x04 not really", names=NAMES, pseudonym=PSEUDONYM)
