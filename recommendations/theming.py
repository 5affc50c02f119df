"""Suggested themes for recommendations, QA areas for development and actions.

The tagger that themes the library's passages suggests, for each recommendation, QA area and
action, the Home Office recommendation themes (and, for recommendations, the abuse, circumstance
and practice themes the Themes page counts). Suggestions are stored in ``item_themes``; a person
accepts or rejects them. An accepted recommendation theme joins the recommendation's themes, and
every decision becomes an example the tagger learns from.
"""

from __future__ import annotations

import json

import sqlite_utils

from core.accounts import Viewer
from core.db import Store, Transaction
from core.errors import NotFound, PermissionDenied, ValidationError
from indexing.library import Library
from indexing.themes import GROUPS
from indexing.theming import cached_encoder
from recommendations.plan import theme_labels
from recommendations.recurring import RECOMMENDATION_SQL, may_read_recommendation
from reviews.access import editable_row

SOURCES = {
    "recommendation": "SELECT id, text FROM recommendations",
    "qa_area": "SELECT id, text FROM qa_areas",
    "action": "SELECT id, description AS text FROM actions",
}
# which groups each kind of item is themed with
ITEM_GROUPS = {
    "recommendation": tuple(GROUPS),
    "qa_area": ("recommendation",),
    "action": ("recommendation",),
}


PENDING_KEY = "item_themes_pending"  # settings: the kinds of item whose suggested themes are still to be stored


def mark_pending(tx: Transaction, targets: tuple[str, ...]) -> None:
    """Inside the transaction that adds items: their suggestions are owed, so a process killed before
    ``refresh`` stored them leaves a note that ``resume_pending`` finishes from."""
    owed = sorted(set(_pending(tx.db)) | set(targets))
    tx.db["settings"].insert({"key": PENDING_KEY, "value": json.dumps(owed)}, replace=True)


def _pending(db) -> list[str]:
    rows = list(db["settings"].rows_where("key = ?", [PENDING_KEY]))
    return [t for t in json.loads(rows[0]["value"] or "[]") if t in SOURCES] if rows else []


def refresh(store: Store, library: Library, viewer: Viewer, targets: tuple[str, ...] = tuple(SOURCES)) -> int:
    """Suggest themes for every item of the given kinds (after an import, or when the themes change).
    The coordinator or a chair: the people who import plans and record QA letters."""
    if not viewer.sees_case_records:
        raise PermissionDenied("Only the coordinator or a chair can refresh suggested themes")
    return _refresh(store, library, viewer.username, targets)


def resume_pending(store: Store, library: Library, actor: str = "system") -> int:
    """Store the suggestions an import owed when its process was stopped before storing them (the app
    calls this when it opens the workspace, the CLI before a command); 0 when none are owed."""
    owed = tuple(_pending(store.read()))
    return _refresh(store, library, actor, owed) if owed else 0


def _refresh(store: Store, library: Library, actor: str, targets: tuple[str, ...]) -> int:
    stored = 0
    for target in targets:
        items = [dict(r) for r in store.read().query(SOURCES[target])]
        texts = [r["text"].strip() for r in items]
        rows = []
        for group in ITEM_GROUPS[target]:
            for item, found in zip(items, library.tagging.suggest(texts, group) if items else [], strict=True):
                rows += [(item["id"], key, score) for key, score in found.items() if score > 0]
        with store.write(actor) as tx:
            tx.db.execute("DELETE FROM item_themes WHERE target = ?", [target])
            tx.db["item_themes"].insert_all(
                {"target": target, "target_id": i, "theme_key": k, "score": round(s, 4)} for i, k, s in rows
            )
            still_owed = [t for t in _pending(tx.db) if t != target]
            tx.db["settings"].insert({"key": PENDING_KEY, "value": json.dumps(still_owed)}, replace=True)
        stored += len(rows)
    return stored


def suggestions(store: Store, target: str, target_id: int) -> dict[str, float]:
    """Stored suggestions for one item, without those a person already decided."""
    db = store.read()
    decided = {
        r["theme_key"] for r in db["theme_decisions"].rows_where("target = ? AND target_id = ?", [target, target_id])
    }
    return {
        r["theme_key"]: r["score"]
        for r in db["item_themes"].rows_where(
            "target = ? AND target_id = ?", [target, target_id], order_by="score DESC"
        )
        if r["theme_key"] not in decided
    }


def _decidable(db: sqlite_utils.Database, viewer: Viewer, recommendation_id: int) -> dict:
    """The recommendation, with its review's reference, if the viewer may decide its themes."""
    rows = list(
        db.query(
            "SELECT recommendations.*, reviews.reference FROM recommendations "
            "JOIN reviews ON reviews.id = recommendations.review_id WHERE recommendations.id = ?",
            [recommendation_id],
        )
    )
    if not rows:
        raise NotFound(f"No recommendation {recommendation_id}")
    editable_row(db, viewer, rows[0]["reference"], coordinator_only=True)
    return rows[0]


def decide_recommendation_theme(
    store: Store, library: Library, viewer: Viewer, recommendation_id: int, theme_key: str, *, accepted: bool
) -> None:
    """The coordinator accepts (the theme joins the recommendation's themes) or rejects a suggested
    theme; every decision is audited and teaches the tagger. The themes are read and written inside one
    write unit, so two people deciding at once never lose each other's theme."""
    text = _decidable(store.read(), viewer, recommendation_id)["text"].strip()
    vector = cached_encoder(store, library.embedder)([text])[0]  # the model runs outside the write lock
    with store.write(viewer.username) as tx:
        row = _decidable(tx.db, viewer, recommendation_id)
        if row["text"].strip() != text:
            raise ValidationError("The recommendation was corrected while you decided; look at it again and decide")
        themes = json.loads(row["themes"])
        if theme_key in theme_labels(tx.db):
            changed = sorted({*themes, theme_key}) if accepted else [t for t in themes if t != theme_key]
            if changed != themes:
                tx.update("recommendations", recommendation_id, {"themes": json.dumps(changed)})
        library.tagging.decide(  # joins this write unit: both are stored, or neither
            viewer,
            target="recommendation",
            target_id=recommendation_id,
            theme_key=theme_key,
            confirmed=accepted,
            text=text,
            vector=vector,
        )


def on_theme(store: Store, viewer: Viewer, theme_key: str) -> list[dict]:
    """Recommendations on a theme (given it by a person, or suggested), with their actions' status:
    whether anyone acted on the lesson. Only recommendations the viewer may read."""
    db = store.read()
    suggested = {
        r["target_id"]: r["score"]
        for r in db["item_themes"].rows_where("target = 'recommendation' AND theme_key = ?", [theme_key])
    }
    rejected = {
        r["target_id"]
        for r in db["theme_decisions"].rows_where(
            "target = 'recommendation' AND theme_key = ? AND decision = 'rejected'", [theme_key]
        )
    }
    statuses: dict[int, list[str]] = {}
    for row in db.query("SELECT recommendation_id, status FROM actions"):
        statuses.setdefault(row["recommendation_id"], []).append(row["status"])
    found = []
    for row in db.query(RECOMMENDATION_SQL):
        given = theme_key in json.loads(row["themes"])
        if not (given or row["id"] in suggested) or row["id"] in rejected or not may_read_recommendation(viewer, row):
            continue
        actions = statuses.get(row["id"], [])
        found.append(
            {
                "review": row["review"],
                "number": row["number"],
                "text": row["text"],
                "how": "given" if given else "suggested",
                "actions": len(actions),
                "complete": actions.count("complete"),
                "in_progress": actions.count("in_progress"),
                "not_started": actions.count("not_started") + actions.count("blocked"),
            }
        )
    return found
