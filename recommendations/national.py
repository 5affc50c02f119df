"""National recommendations: every recommendation the viewer may read that is addressed to a national body
(a government department, NHS England, the College of Policing, ...), grouped by body and then by lesson,
with how many reviews made each lesson and since when, for the partnership to send on (CSV or Word)."""

from __future__ import annotations

import csv
import io

import numpy as np

from core.accounts import Viewer
from core.db import Store
from indexing.reading.addressees import national_body
from indexing.theming import cached_encoder
from recommendations.recurring import Grouper, counted, lesson_label, readable_recommendations

BODY_NOT_NAMED = "National body not named"
OWN_REVIEWS = "This partnership's reviews"
OTHER_REPORTS = "Reports from other partnerships or national bodies"
CSV_COLUMNS = (
    "Body",
    "Lesson",
    OWN_REVIEWS,
    OTHER_REPORTS,
    "Since",
    "Latest",
    "Review or report",
    "No.",
    "Recommendation",
)


def national_recommendations(store: Store, viewer: Viewer, embedder, grouper: Grouper = Grouper()) -> list[dict]:
    """``[{"body", "reviews", "own_reviews", "other_reports", "lessons": [{"label", "reviews", "own_reviews",
    "other_reports", "first_year", "latest_year", "recommendations": [{"review" or "document" and its "title", "shown",
    "number", "text"}]}]}]``, bodies most asked first. ``reviews`` counts every review and report that made it (as
    ``counted``), of them ``own_reviews`` this partnership's and ``other_reports`` those from elsewhere."""
    rows = [r for r in readable_recommendations(store, viewer) if _is_national(r)]
    by_body: dict[str, list[dict]] = {}
    for row in rows:
        body = national_body(row["addressee"] or "") or national_body(row["text"]) or BODY_NOT_NAMED
        by_body.setdefault(body, []).append(row)
    encode = cached_encoder(store, embedder)
    found = []
    for body, members in by_body.items():
        vectors = grouper.vectors([r["text"] for r in members], encode)
        addressees = [r["addressee"] for r in members]
        grouped = grouper.groups([r["text"] for r in members], vectors, addressees, grouper.by_meaning(vectors, encode))
        in_group = {i for g in grouped for i in g}
        lessons = [_lesson([members[i] for i in g], vectors[g]) for g in grouped]
        lessons += [_lesson([members[i]], vectors[[i]]) for i in range(len(members)) if i not in in_group]
        lessons.sort(key=lambda lesson: (-lesson["reviews"], lesson["first_year"] or 9999, lesson["label"]))
        found.append({"body": body, **counted(members), "lessons": lessons})
    return sorted(found, key=lambda b: (b["body"] == BODY_NOT_NAMED, -b["reviews"], b["body"]))


def _is_national(row: dict) -> bool:
    return bool(row.get("national")) or row.get("scope") == "national"


def _lesson(members: list[dict], vectors: np.ndarray) -> dict:
    years = [r["year"] for r in members if r["year"]]
    return {
        "label": lesson_label([r["text"] for r in members], vectors, [r["addressee"] for r in members], whole=True),
        **counted(members),
        "first_year": min(years) if years else None,
        "latest_year": max(years) if years else None,
        "recommendations": [
            {
                ("review" if r["review"] else "document"): r["review"] or r["document"],
                **({} if r["review"] else {"title": r["title"]}),
                "shown": r["shown"],  # the review's reference where the viewer may read its plan, else the title
                "number": r["number"],
                "text": r["text"],
            }
            for r in members
        ],
    }


def named(recommendation: dict) -> str:
    """Whose recommendation it is, as a reader knows it: the review's reference (a report's too, where the
    reader may read that review's plan), or the report's title (its file name where it has none)."""
    return recommendation["shown"]


def table_rows(bodies: list[dict]) -> list[tuple]:
    """One row per recommendation, under its body and lesson (the CSV and the Word table)."""
    return [
        (
            body["body"],
            lesson["label"],
            lesson["own_reviews"],
            lesson["other_reports"],
            lesson["first_year"] or "",
            lesson["latest_year"] or "",
            named(rec),
            rec["number"],
            rec["text"],
        )
        for body in bodies
        for lesson in body["lessons"]
        for rec in lesson["recommendations"]
    ]


def as_csv(bodies: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it with its accents and apostrophes intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(table_rows(bodies))
    return buffer.getvalue().encode("utf-8-sig")
