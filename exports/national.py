"""The national recommendations as a Word document for the partnership to send on."""

from __future__ import annotations

from core.workspace import WorkspaceSettings
from exports.docx_base import new_document, table, to_bytes
from recommendations.national import table_rows


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
        document.add_heading(f"{body['body']} ({body['reviews']} review(s))", level=1)
        rows = [row[1:] for row in table_rows([body])]
        table(document, ("Lesson", "Reviews", "Since", "Latest", "Review or report", "No.", "Recommendation"), rows,
              widths_cm=(5.5, 1.6, 1.5, 1.5, 3.5, 1.2, 10.4))
    if not bodies:
        document.add_paragraph("No recommendation addressed to a national body.")
    return to_bytes(document)
