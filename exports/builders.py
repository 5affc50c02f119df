"""Gathers what each document needs through the domain functions (access enforced there) and builds it."""

from __future__ import annotations

from datetime import date

from core import workspace
from core.accounts import Viewer, get_viewer
from core.db import Store
from core.errors import NotFound, ValidationError
from exports import reports
from exports.publication import check
from exports.stamp import stamp_published
from indexing import theme_figures
from recommendations import figures, plan, theming
from reviews import chronology, publication, qa, register

REVIEW_DOCUMENTS = ("overview-report", "executive-summary", "action-plan", "qa-log", "chronology")


def _chair_name(store: Store, review: register.Review) -> str:
    if not review.chair:
        return ""
    try:
        return get_viewer(store, review.chair).display_name
    except NotFound:
        return review.chair


def review_document(
    store: Store, viewer: Viewer, reference: str, document: str, today: date, *, xlsx: bool = False
) -> bytes:
    """The named document for one review, as .docx bytes (or .xlsx for the chronology)."""
    if document not in REVIEW_DOCUMENTS:
        raise ValidationError(f"document: {document!r} is not one of {', '.join(REVIEW_DOCUMENTS)}")
    review = register.get_review(store, viewer, reference)
    branding = workspace.load(store.read())
    if document == "chronology":
        entries = chronology.load(store, viewer, reference)
        if xlsx:
            return chronology.to_xlsx(entries)
        return reports.chronology(review, chronology.as_rows(entries), branding=branding)
    if document == "qa-log":
        return reports.qa_log(review, qa.submissions(store, viewer, reference), branding=branding)
    recommendations = plan.recommendations_for(store, viewer, reference)
    if document == "action-plan":
        return reports.action_plan(review, recommendations, today, branding=branding)
    deadlines = register.review_deadlines(review, store, today)
    chair = _chair_name(store, review)
    if document == "executive-summary":
        return reports.executive_summary(review, deadlines, recommendations, chair_name=chair, branding=branding)
    rows = chronology.as_rows(chronology.load(store, viewer, reference))
    return reports.overview_report(review, deadlines, recommendations, rows, chair_name=chair, branding=branding)


def board_report(store: Store, quarter: str, today: date) -> bytes:
    """The partnership board's quarterly report, under the partnership's own name and logo."""
    parsed = figures.Quarter.parse(quarter)
    return reports.board_report(
        figures.board_figures(store, parsed, today=today),
        branding=workspace.load(store.read()),
        agency_rows=figures.agency_table(figures.all_actions(store), today),
        today=today,
        theme_rows=board_themes(store),
    )


BOARD = Viewer("board-report", "board", "Board report")
BOARD_THEMES = 10


def board_themes(store: Store) -> list[dict]:
    """The most widespread themes as a board member sees them, with the recommendations on each."""
    rows = []
    for theme in theme_figures.prevalence(store, BOARD, by="reviews")[:BOARD_THEMES]:
        recommendations = theming.on_theme(store, BOARD, theme.key)
        rows.append(
            {
                "label": theme.label,
                "documents": theme.documents,
                "reviews": theme.reviews,
                "recommendations": len(recommendations),
                "actions_complete": f"{sum(r['complete'] for r in recommendations)} of "
                f"{sum(r['actions'] for r in recommendations)}",
            }
        )
    return rows


def publication_findings(store: Store, viewer: Viewer, reference: str, data: bytes) -> list:
    """Every identifying detail the check finds in a final report for this review."""
    review = register.get_review(store, viewer, reference)
    names = [n["name"] for n in register.confidential_register(store, viewer, reference)]
    return check(data, names=names, pseudonym=review.pseudonym)


def published_version(store: Store, viewer: Viewer, reference: str, data: bytes) -> bytes:
    """The report stamped for publication, refused while any finding is neither corrected nor accepted."""
    remaining = publication.open_findings(
        store, viewer, reference, publication_findings(store, viewer, reference, data)
    )
    if remaining:
        raise ValidationError(
            [
                f"{f.kind} '{f.text}' at {f.location}: correct it, or the coordinator records why it is acceptable"
                for f in remaining
            ]
        )
    return stamp_published(data)
