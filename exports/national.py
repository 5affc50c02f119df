"""The national recommendations as a Word document for the partnership to send on."""

from __future__ import annotations

from core.workspace import WorkspaceSettings
from exports.docx_base import new_document, table, to_bytes
from recommendations.national import CSV_COLUMNS, said, table_rows


def national_recommendations_docx(bodies: list[dict], *, branding: WorkspaceSettings) -> bytes:
    document = new_document(
        "National recommendations from domestic homicide reviews",
        subject="Recommendations addressed to national bodies",
        branding=branding,
        published=True,
        landscape=True,
    )
    document.add_paragraph(  # who sends it on: the partnership named in Administration → Workspace
        f"{branding.partnership_name} · recommendations addressed to national bodies, read from its review plans "
        "and the reports in its library"
    )
    for body in bodies:
        document.add_heading(f"{body['body']} ({said(body)})", level=1)
        rows = [row[1:] for row in table_rows([body])]
        table(document, CSV_COLUMNS[1:], rows, widths_cm=(5.0, 2.0, 2.4, 1.3, 1.3, 3.3, 1.0, 8.9))
    if not bodies:
        document.add_paragraph("No recommendation addressed to a national body.")
    return to_bytes(document)
