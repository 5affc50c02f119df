"""What the themes say, for the Themes page, the CLI and the board report: counts over only the
documents the viewer may see, each traceable to the passages behind it.

Figures count the documents (and reviews) that are *about* a theme: its salient document themes
(see ``indexing.theming.Salience``), not every passing mention; the passages behind a figure keep
every mention. A workspace tagged before salience existed counts every mention until re-tagged.
Everything here reads the precomputed tables (``document_themes``, ``passage_themes``); nothing is
re-tagged when a page is drawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from core import workspace
from core.accounts import Viewer
from core.db import Store
from core.errors import DHRError, ValidationError
from indexing.access import review_shown, visible_documents
from indexing.document_meta import OWN_DOCUMENT
from indexing.repository import SCOPES, repository_url
from indexing.themes import list_themes

NATIONAL_KINDS = ("national analysis",)
# a document of one of these kinds is a review's own (this partnership's, or another's published review); it
# counts as a review only through the review in the register it is linked to, and otherwise as a document
REVIEW_KINDS = ("overview report", "executive summary", "QA letter", "learning brief")
PLAN_KINDS = ("strategy", "action plan")
FAMILIES = ("Reviews and their learning", "National analyses", "Strategies and plans", "Other documents")


def _kinds(kinds: tuple[str, ...]) -> str:
    return ", ".join(f"'{k}'" for k in kinds)


# what a review is about against what every strategy lists: documents by family of kinds
FAMILY = (
    f"CASE WHEN documents.kind IN ({_kinds(REVIEW_KINDS)}) THEN '{FAMILIES[0]}' "
    f"WHEN documents.kind IN ({_kinds(NATIONAL_KINDS)}) THEN '{FAMILIES[1]}' "
    f"WHEN documents.kind IN ({_kinds(PLAN_KINDS)}) THEN '{FAMILIES[2]}' ELSE '{FAMILIES[3]}' END"
)
# whose a document is: this partnership's (OWN_DOCUMENT) under its name, any other under the CSP it is marked with,
# none when not recorded (another partnership's or a national body's, never this one's)
CSP = f"CASE WHEN {OWN_DOCUMENT} THEN :partnership_name ELSE documents.csp END"
DIMENSIONS = {"year": "documents.year", "csp": CSP, "kind": "documents.kind", "family": FAMILY}
# the three series of local_and_national: this partnership's documents, the library's others, national analyses
SCOPE = (
    f"CASE WHEN documents.kind IN ({_kinds(NATIONAL_KINDS)}) THEN 'national' "
    f"WHEN {OWN_DOCUMENT} THEN 'local' ELSE 'library' END"
)
SALIENT = "(document_themes.salient = 1 OR document_themes.salient IS NULL)"
# reviews are counted through the register: the review a document is linked to (null for one linked to none)
REVIEW = "documents.review_id"
REVIEW_DOCUMENT = f"documents.kind IN ({_kinds(REVIEW_KINDS)})"


# what the two counts of a theme count, in the words of the pages and the board report
REVIEWS_HELP = (
    "Reviews in the register with a document about the theme linked to them; a report or brief linked to no "
    "review (another partnership's published review) counts under documents only"
)
DOCUMENTS_HELP = "Library documents about the theme, of every kind, linked to a review or not"


@dataclass(frozen=True)
class Prevalence:
    key: str
    label: str
    group: str
    documents: int
    reviews: int  # reviews in the register that a document about the theme is linked to
    passages: int
    share: float  # of the visible documents
    review_ids: frozenset[int] = frozenset()  # which reviews
    review_documents: int = 0  # of the documents, the reviews' own kinds (linked to a review or not)


def _visible(viewer: Viewer) -> str:
    return f"documents.status = 'indexed' AND {visible_documents(viewer)}"


def _params(viewer: Viewer, **more) -> dict:
    return {"viewer": viewer.username, **more}


def _whose(store: Store, viewer: Viewer) -> dict:
    """``_params`` with the partnership's name, which says whose a document is (``OWN_DOCUMENT``)."""
    settings = workspace.load(store.read())
    return _params(viewer, partnership=settings.partnership.strip(), partnership_name=settings.partnership_name)


def visible_document_count(store: Store, viewer: Viewer) -> int:
    sql = f"SELECT count(*) AS n FROM documents WHERE {_visible(viewer)}"
    return next(store.read().query(sql, _params(viewer)))["n"]


def prevalence(
    store: Store, viewer: Viewer, groups: tuple[str, ...] | None = None, *, by: str = "documents"
) -> list[Prevalence]:
    """Each theme: how many visible documents are about it, how many reviews in the register those documents
    are linked to (``REVIEW``: a report linked to none is a document, never a review), how many of the documents
    are of the reviews' own kinds, and how many passages of them carry it; most widespread first, by documents
    or (``by="reviews"``: what the reviews are about) by reviews, then by documents (``how_often_counts``): the
    order follows the two counts the figures show, never a count they leave out."""
    db = store.read()
    total = visible_document_count(store, viewer) or 1
    sql = f"""
        SELECT document_themes.theme_key AS key, count(*) AS documents,
               json_group_array({REVIEW}) AS review_ids, sum({REVIEW_DOCUMENT}) AS review_documents,
               sum(document_themes.passages) AS passages
        FROM document_themes JOIN documents ON documents.id = document_themes.document_id
        WHERE {_visible(viewer)} AND {SALIENT} GROUP BY document_themes.theme_key
    """
    counts = {r["key"]: r for r in db.query(sql, _params(viewer))}
    found = []
    for theme in list_themes(db, groups):
        row = counts.get(theme.key)
        if row:
            reviews = frozenset(k for k in json.loads(row["review_ids"]) if k is not None)
            found.append(
                Prevalence(
                    theme.key,
                    theme.label,
                    theme.group,
                    row["documents"],
                    len(reviews),
                    row["passages"],
                    round(row["documents"] / total, 3),
                    reviews,
                    row["review_documents"],
                )
            )
    if by == "reviews":
        return sorted(found, key=lambda p: (-p.reviews, -p.documents, -p.review_documents, -p.passages, p.label))
    return sorted(found, key=lambda p: (-p.documents, -p.passages, p.label))


def how_often_counts(found: list[Prevalence]) -> tuple[str, ...]:
    """The counts a list of themes in review order (``prevalence(by="reviews")``) is ordered by, most telling
    first, for a figure to show: reviews in the register then documents where the viewer sees any review with
    a document about a theme, documents alone where they see none (every review count is 0)."""
    return ("reviews", "documents") if any(p.reviews for p in found) else ("documents",)


def by_dimension(store: Store, viewer: Viewer, dimension: str, theme_keys: list[str] | None = None) -> list[dict]:
    """Documents carrying each theme by year, CSP or document kind: rows of {theme, value, documents}. By CSP, this
    partnership's documents (``OWN_DOCUMENT``) count under its name, any other under its CSP ("" where none is
    recorded: the library's, from another partnership or a national body)."""
    column = DIMENSIONS[dimension]
    sql = f"""
        SELECT document_themes.theme_key AS theme, {column} AS value, count(*) AS documents
        FROM document_themes JOIN documents ON documents.id = document_themes.document_id
        WHERE {_visible(viewer)} AND {SALIENT} GROUP BY document_themes.theme_key, value
    """
    rows = [dict(r) for r in store.read().query(sql, _whose(store, viewer))]
    return [r for r in rows if theme_keys is None or r["theme"] in theme_keys]


def local_and_national(store: Store, viewer: Viewer) -> list[dict]:
    """For each theme, the share of this partnership's documents (``local``: ``OWN_DOCUMENT``), of the library's
    other documents (``library``: other partnerships', or whose CSP is not recorded) and of its national analyses
    (``national``) that carry it."""
    db = store.read()
    params = _whose(store, viewer)
    totals = {
        r["scope"]: r["n"]
        for r in db.query(
            f"SELECT {SCOPE} AS scope, count(*) AS n FROM documents WHERE {_visible(viewer)} GROUP BY scope", params
        )
    }
    sql = f"""
        SELECT document_themes.theme_key AS theme, {SCOPE} AS scope, count(*) AS documents
        FROM document_themes JOIN documents ON documents.id = document_themes.document_id
        WHERE {_visible(viewer)} AND {SALIENT} GROUP BY theme, scope
    """
    rows = []
    for r in db.query(sql, params):
        rows.append(dict(r) | {"share": round(r["documents"] / totals[r["scope"]], 3) if totals.get(r["scope"]) else 0})
    return rows


def theme_shares(store: Store, viewer: Viewer, theme_keys, scope: str = "all") -> tuple[list[dict], str | None]:
    """The share of documents carrying each of ``theme_keys``, in the search scopes (``SCOPES``):
    ``local`` this partnership's library (its own documents, and any national analyses it holds, as two
    series); ``national`` every partnership's shared learning in the repository; ``all`` the local documents
    against the repository's. Without a repository (``DHR_REPOSITORY_URL``) "all" is the library's local
    against national analyses. Returns (rows of {theme, scope, documents, share}, a warning in words when
    the repository is wanted but cannot be read: the library's own figures then)."""
    if scope not in SCOPES:
        raise ValidationError(f"Figures for: {scope!r} is not one of {', '.join(SCOPES)}")
    keys = set(theme_keys)
    rows = [r for r in local_and_national(store, viewer) if r["theme"] in keys]
    if scope == "local" or (scope == "all" and not repository_url()):
        return rows, None
    from indexing.repository.index import national_theme_shares  # PostgreSQL's driver only when configured

    try:
        national = [r for r in national_theme_shares(viewer) if r["theme"] in keys]
    except DHRError as error:  # no repository set up, or it cannot be reached: say so, show the library's own
        return rows, str(error)
    return ([r for r in rows if r["scope"] == "local"] if scope == "all" else []) + national, None


def co_occurrence(store: Store, viewer: Viewer, theme_keys: list[str]) -> np.ndarray:
    """(themes × themes) how many visible documents carry both themes (the diagonal: each theme)."""
    index = {k: i for i, k in enumerate(theme_keys)}
    sql = f"""
        SELECT document_themes.document_id AS document, document_themes.theme_key AS theme
        FROM document_themes JOIN documents ON documents.id = document_themes.document_id
        WHERE {_visible(viewer)} AND {SALIENT}
    """
    by_document: dict[int, list[int]] = {}
    for r in store.read().query(sql, _params(viewer)):
        if r["theme"] in index:
            by_document.setdefault(r["document"], []).append(index[r["theme"]])
    matrix = np.zeros((len(theme_keys), len(theme_keys)), dtype=np.int64)
    for columns in by_document.values():
        for a in columns:
            for b in columns:
                matrix[a, b] += 1
    return matrix


def passages_for(
    store: Store,
    viewer: Viewer,
    theme: str,
    *,
    also: str | None = None,
    dimension: str | None = None,
    value: object = None,
    limit: int = 50,
) -> list[dict]:
    """The passages behind a figure: those tagged with ``theme`` (and ``also``, for a heat-map
    cell; or in documents whose ``dimension`` equals ``value``), strongest first, with source and page."""
    where = [_visible(viewer), "passage_themes.theme_key = :theme"]
    params = _params(viewer, theme=theme, limit=limit)
    if also:
        where.append(
            "chunks.document_id IN (SELECT document_id FROM document_themes "
            f"WHERE theme_key = :also AND {SALIENT})"
        )
        params["also"] = also
    if dimension:
        where.append(f"{DIMENSIONS[dimension]} IS :value")
        params |= _whose(store, viewer) | {"value": value}
    sql = f"""
        SELECT chunks.id AS chunk_id, chunks.text, chunks.page, chunks.heading, passage_themes.score,
               documents.source_name AS document, documents.title, documents.kind, documents.year, documents.csp,
               documents.access, {review_shown(viewer)} AS review
        FROM passage_themes JOIN chunks ON chunks.id = passage_themes.chunk_id
        JOIN documents ON documents.id = chunks.document_id LEFT JOIN reviews ON reviews.id = documents.review_id
        WHERE {" AND ".join(where)} ORDER BY passage_themes.score DESC, chunks.id LIMIT :limit
    """
    return [dict(r) for r in store.read().query(sql, params)]


def document_themes(store: Store, viewer: Viewer) -> list[dict]:
    """Every indexed document the viewer may see, with every theme its passages carry (passages behind
    each, best score, share of the document's passages, and whether the document is about it)."""
    db = store.read()
    labels = {t.key: t.label for t in list_themes(db)}
    documents = list(
        db.query(
            f"SELECT id, source_name, title FROM documents WHERE {_visible(viewer)} ORDER BY source_name",
            _params(viewer),
        )
    )
    tags: dict[int, list[dict]] = {}
    for r in db.query(
        f"SELECT document_id, theme_key, passages, score, salience, {SALIENT} AS salient FROM document_themes "
        f"JOIN documents ON documents.id = document_themes.document_id WHERE {_visible(viewer)} "
        "ORDER BY salient DESC, salience DESC, passages DESC, score DESC",
        _params(viewer),
    ):
        tags.setdefault(r["document_id"], []).append(
            {
                "key": r["theme_key"],
                "label": labels.get(r["theme_key"], r["theme_key"]),
                "passages": r["passages"],
                "score": r["score"],
                "salience": round(r["salience"], 3),
                "salient": bool(r["salient"]),
            }
        )
    return [{"document": d["source_name"], "title": d["title"], "themes": tags.get(d["id"], [])} for d in documents]


LESSON_KINDS = ("learning brief", "executive summary", "overview report", "national analysis")


def latest_lessons(store: Store, viewer: Viewer, limit: int = 5) -> list[dict]:
    """The newest documents that carry lessons (briefs, summaries, reports, national analyses) that the
    viewer may see, newest year first, each with its three most widespread themes."""
    db = store.read()
    labels = {t.key: t.label for t in list_themes(db)}
    rows = list(
        db.query(
            f"""
            SELECT documents.id, documents.title, documents.kind, documents.year,
                   (SELECT json_group_array(theme_key) FROM (
                        SELECT theme_key FROM document_themes WHERE document_id = documents.id AND {SALIENT}
                        ORDER BY salience DESC, passages DESC, score DESC LIMIT 3)) AS themes
            FROM documents
            WHERE {_visible(viewer)} AND documents.kind IN (SELECT value FROM json_each(:kinds))
            ORDER BY coalesce(documents.year, 0) DESC, documents.added_at DESC, documents.id DESC
            LIMIT :limit
            """,
            _params(viewer, kinds=json.dumps(LESSON_KINDS), limit=limit),
        )
    )
    return [
        {
            "title": r["title"],
            "kind": r["kind"],
            "year": r["year"],
            "themes": [labels.get(key, key) for key in json.loads(r["themes"])],
        }
        for r in rows
    ]


def chunk_themes(store: Store, chunk_ids: list[int]) -> dict[int, list[str]]:
    """The theme keys of some passages (for badges on search results), strongest first."""
    if not chunk_ids:
        return {}
    marks = ", ".join("?" for _ in chunk_ids)
    found: dict[int, list[str]] = {}
    for r in store.read().query(
        f"SELECT chunk_id, theme_key FROM passage_themes WHERE chunk_id IN ({marks}) ORDER BY score DESC", chunk_ids
    ):
        found.setdefault(r["chunk_id"], []).append(r["theme_key"])
    return found
