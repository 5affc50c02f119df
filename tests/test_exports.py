"""Word exports re-opened with python-docx, converted by LibreOffice, and the publication check."""

import io
import os
import shutil
import subprocess
from datetime import date

import docx
import pytest

from demo import build_demo_workspace
from demo.plans import SYSTEM
from exports import builders
from exports.publication import check
from exports.stamp import stamp_published
from recommendations import plan
from reviews import register
from tests.conftest import TODAY

LONG = "The panel considered this carefully. " * 400
AWKWARD = "Café & “quotes” <b>not markup</b> Llanfair ŵ ŷ – Gwynedd’s & O'Brien"


@pytest.fixture
def demo_store(tmp_path):
    from core.schema import open_store

    store = open_store(tmp_path / "dhr.sqlite")
    build_demo_workspace(store, today=TODAY)
    return store


def reopen(data: bytes):
    return docx.Document(io.BytesIO(data))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


OVERVIEW_SECTIONS = [
    "Introduction",
    "Timescales",
    "Confidentiality",
    "Terms of reference",
    "Methodology",
    "Involvement of family, friends and others",
    "Contributors to the review",
    "The review panel",
    "Author of the overview report",
    "Parallel reviews",
    "Equality and diversity",
    "Dissemination",
    "Background information",
    "Chronology",
    "Overview",
    "Analysis",
    "Conclusions",
    "Lessons to be learnt",
    "Recommendations",
]


def test_overview_report_structure_and_filled_values(demo_store):
    data = builders.review_document(demo_store, SYSTEM, "DHR-2025-04", "overview-report", TODAY)
    document = reopen(data)
    assert headings(document) == OVERVIEW_SECTIONS
    text = all_text(document)
    assert "Joan" in text and "Dr Morgan Ellis" in text and "Inquest" in text
    assert "D/Supt Carys Vaughan" in text  # panel table
    assert "Substance Misuse Service" in text and "IMR" in text  # agency returns
    assert "dual-diagnosis" in text.lower() or "co-occurring" in text  # recommendation
    assert document.core_properties.title.startswith("joint DHR/SAR DHR-2025-04")
    assert "CONFIDENTIAL DRAFT" in document.sections[0].header.paragraphs[0].text
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    first_table = document.tables[0]
    assert 'w:tblHeader w:val="true"' in first_table.rows[0]._tr.xml


def test_every_review_document_builds(demo_store):
    for name in builders.REVIEW_DOCUMENTS:
        data = builders.review_document(demo_store, SYSTEM, "DHR-2024-09", name, TODAY)
        assert reopen(data).paragraphs[0].text
        assert reopen(data).core_properties.title.startswith("DHR-2024-09: ")  # not "DHR DHR-2024-09"
    plan_doc = reopen(builders.review_document(demo_store, SYSTEM, "DHR-2024-09", "action-plan", TODAY))
    section = plan_doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    header = [c.text for c in plan_doc.tables[0].rows[0].cells]
    assert header == [
        "No.",
        "Recommendation",
        "Scope",
        "Action",
        "Owner agency",
        "Lead officer",
        "Target date",
        "Status / RAG",
        "Progress and evidence",
    ]
    assert "Deliver domestic abuse training to every practice" in all_text(plan_doc)
    qa_doc = reopen(builders.review_document(demo_store, SYSTEM, "DHR-2025-04", "qa-log", TODAY))
    assert "Resubmit" in all_text(qa_doc) and "Not accepted (with reason)" in all_text(qa_doc)


def test_board_report(demo_store):
    document = reopen(builders.board_report(demo_store, "2026Q4", TODAY))
    assert headings(document)[:3] == ["Reviews", "Home Office quality assurance", "Recommendations and actions"]
    assert "Implementation by agency" in headings(document)
    assert headings(document)[-1] == "Themes in the lessons learned"


def test_awkward_text_survives(demo_store):
    register.update_review(demo_store, SYSTEM, "DHR-2024-09", {"pseudonym": AWKWARD})
    plan.add_recommendation(
        demo_store, SYSTEM, "DHR-2024-09", number="9", text=AWKWARD + " " + LONG, scope="CSP", finding=LONG
    )
    for name in ("overview-report", "executive-summary", "action-plan"):
        text = all_text(reopen(builders.review_document(demo_store, SYSTEM, "DHR-2024-09", name, TODAY)))
        assert AWKWARD in text and LONG.strip() in text, name


def test_published_version_is_refused_until_findings_are_accepted(demo_store):
    from core.errors import ValidationError
    from reviews import publication

    with pytest.raises(ValidationError) as error:
        builders.published_version(demo_store, SYSTEM, "DHR-2025-11", planted())
    assert any("Margaret Olsen" in p for p in error.value.problems)
    for finding in builders.publication_findings(demo_store, SYSTEM, "DHR-2025-11", planted()):
        publication.accept(
            demo_store, SYSTEM, "DHR-2025-11", finding_key=finding.key, reason="Named with the family's written consent"
        )
    published = reopen(builders.published_version(demo_store, SYSTEM, "DHR-2025-11", planted()))
    assert published.core_properties.category == "Published"


def test_converts_with_libreoffice(demo_store, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing: the test command must install it")
        pytest.skip("LibreOffice is not installed")
    for name in builders.REVIEW_DOCUMENTS:
        (tmp_path / f"{name}.docx").write_bytes(
            builders.review_document(demo_store, SYSTEM, "DHR-2025-04", name, TODAY)
        )
    (tmp_path / "board-report.docx").write_bytes(builders.board_report(demo_store, "2026Q4", TODAY))
    result = subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *sorted(map(str, tmp_path.glob("*.docx"))),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=os.environ | {"HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    pdfs = sorted(p.stem for p in tmp_path.glob("*.pdf"))
    assert pdfs == sorted([*builders.REVIEW_DOCUMENTS, "board-report"])
    assert all(p.stat().st_size > 5000 for p in tmp_path.glob("*.pdf"))


# ----------------------------------------------------------------- publication check


def planted() -> bytes:
    document = docx.Document()
    document.add_paragraph("Rose lived with her partner. Margaret Olsen’s GP saw her twice.")
    document.add_paragraph("Darren's sister called 07700 900123 and wrote to help@example.org.")
    document.add_paragraph("She was born on 12/03/1980 and lived at 14 Acacia Avenue, Northvale NV1 2AB.")
    document.add_paragraph("An OLSEN family friend was interviewed.")
    grid = document.add_table(rows=1, cols=2)
    grid.cell(0, 1).text = "Contact with Mrs olsen by the police"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_publication_check_finds_planted_details_and_not_the_pseudonym():
    findings = check(planted(), names=["Margaret Olsen", "Darren Olsen", "Rose"], pseudonym="Rose")
    by_kind = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f.text)
    assert by_kind["name"] == ["Margaret Olsen’s", "Darren's", "OLSEN", "olsen"]
    assert by_kind["phone"] == ["07700 900123"] and by_kind["email"] == ["help@example.org"]
    assert by_kind["postcode"] == ["NV1 2AB"] and by_kind["address"] == ["14 Acacia Avenue"]
    assert by_kind["date_of_birth"] == ["born on 12/03/1980"]
    olsen_cell = next(f for f in findings if f.text == "olsen")
    assert olsen_cell.location == "table 1, row 1, cell 2" and "[olsen]" in olsen_cell.context
    assert not any(f.text.lower().startswith("rose") for f in findings)


def test_clean_report_has_no_findings_and_stamping_publishes():
    document = docx.Document()
    document.add_paragraph("Rose was known to services. The panel thanks the family.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert check(buffer.getvalue(), names=["Margaret Olsen"], pseudonym="Rose") == []
    stamped = reopen(stamp_published(buffer.getvalue()))
    assert stamped.sections[0].header.paragraphs[0].text.startswith("Published version")


def test_check_publication_cli(tmp_path, workspace):
    from tests.conftest import run

    report = tmp_path / "report.docx"
    report.write_bytes(planted())
    result = run(workspace, "exports", "check-publication", str(report), "--review", "DHR-2025-11", "--json")
    assert result.returncode == 1, result.stderr
    findings = __import__("json").loads(result.stdout)
    assert {"kind", "text", "context", "location"} <= set(findings[0])
    assert any(f["kind"] == "name" and f["text"] == "Margaret Olsen’s" for f in findings)
    out = tmp_path / "overview.docx"
    assert run(workspace, "exports", "overview-report", "--review", "DHR-2025-11", "--out", str(out)).returncode == 0
    assert headings(reopen(out.read_bytes())) == OVERVIEW_SECTIONS
    clean = run(workspace, "exports", "check-publication", str(out), "--review", "DHR-2025-11", "--json")
    assert clean.returncode == 0 and __import__("json").loads(clean.stdout) == []


def test_online_period_is_twelve_calendar_months():
    from reviews.publication import online_until

    assert online_until(date(2024, 2, 29)) == date(2025, 2, 28)
