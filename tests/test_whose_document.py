"""Whose a library document is, one rule for every figure and lesson (``indexing.document_meta.OWN_DOCUMENT``): this
partnership's only when it is linked to one of its reviews or marked with its CSP; any other (another partnership's,
or one whose CSP is not recorded, as the command line leaves a document ingested without --csp or --review) is the
library's. The Themes page's "By CSP" and "Local and national" figures and recurring lessons said it two ways: the
figures counted the real fragments ingested without --csp as this partnership's, the lessons as other partnerships'."""

from __future__ import annotations

import pytest

from core import workspace
from indexing import theme_figures
from indexing.library import Library
from recommendations.recurring import recurring, said

PARTNERSHIP = "Northvale Community Safety Partnership"
BODY = (
    "# Overview report\n\nHe controlled her money, checked her phone and stopped her seeing her family: coercive "
    "and controlling behaviour over many years.\n\n## Recommendations\n\n1. The police should train all officers to "
    "recognise coercive and controlling behaviour.\n"
)
# source name: (CSP, linked to the review, kind)
DOCUMENTS = {
    "linked.md": ("", True, "overview report"),
    "ours.md": ("northvale community safety partnership", False, "overview report"),  # its name, in other capitals
    "unmarked.md": ("", False, "overview report"),
    "theirs.md": ("Southmoor CSP", False, "overview report"),
    "national.md": ("", False, "national analysis"),
}


def _body(name: str) -> bytes:
    """The report, one of each document (the library keeps one copy of the same bytes)."""
    return BODY.replace("Overview report", f"Overview report {name}").encode()


@pytest.fixture
def library(store, embedder, coordinator, new_review):
    workspace.save(store, coordinator, partnership=PARTNERSHIP)
    reference = new_review("DHR-2026-04", chair="chair")
    made = Library(store, embedder)
    for name, (csp, linked, kind) in DOCUMENTS.items():
        made.ingest(
            _body(name),
            name,
            viewer=coordinator,
            kind=kind,
            access="public",
            review=reference if linked else None,
            csp=csp,
        )
    return made


@pytest.mark.parametrize("role", ["coord", "board", "partner"])
def test_the_themes_figures_count_as_this_partnerships_only_what_is_linked_or_marked(library, people, role):
    viewer = people[role]
    shares = {
        r["scope"]: (r["documents"], r["share"])
        for r in theme_figures.local_and_national(library.store, viewer)
        if r["theme"] == "coercive_control"
    }
    assert shares == {"local": (2, 1.0), "library": (2, 1.0), "national": (1, 1.0)}
    by_csp = {
        r["value"]: r["documents"]
        for r in theme_figures.by_dimension(library.store, viewer, "csp")
        if r["theme"] == "coercive_control"
    }
    assert by_csp == {PARTNERSHIP: 2, "Southmoor CSP": 1, "": 2}  # the unmarked report and the national analysis
    behind = theme_figures.passages_for(library.store, viewer, "coercive_control", dimension="csp", value=PARTNERSHIP)
    assert {p["document"] for p in behind} == {"linked.md", "ours.md"}
    rows, _ = theme_figures.theme_shares(library.store, viewer, ["coercive_control"], "local")
    assert {r["scope"] for r in rows} == {"local", "library", "national"}


@pytest.mark.parametrize("role", ["coord", "board"])
def test_recurring_lessons_call_the_same_reports_this_partnerships_or_from_elsewhere(library, people, embedder, role):
    [group] = [g for g in recurring(library.store, people[role], embedder) if len(g["recommendations"]) >= 4]
    assert {r["document"] for r in group["recommendations"]} >= {"linked.md", "ours.md", "unmarked.md", "theirs.md"}
    assert group["own_reviews"] == 2 and group["other_reports"] == group["reviews"] - 2 >= 2
    assert said(group).startswith("2 reviews of this partnership and ")


def test_a_partnership_without_a_name_owns_only_its_reviews_documents(store, embedder, coordinator, new_review):
    """A workspace whose partnership is not named yet: a document with no CSP is not its own by the empty name."""
    reference = new_review("DHR-2026-05")
    made = Library(store, embedder)
    for name, linked in (("linked.md", True), ("unmarked.md", False)):
        made.ingest(
            _body(name),
            name,
            viewer=coordinator,
            kind="overview report",
            access="public",
            review=reference if linked else None,
            csp="",
        )
    shares = {
        r["scope"]: r["documents"]
        for r in theme_figures.local_and_national(store, coordinator)
        if r["theme"] == "coercive_control"
    }
    assert shares == {"local": 1, "library": 1}
