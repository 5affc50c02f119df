"""The coordinator's first-day checklist: the steps that set a workspace up, each ticked from what the
workspace holds (never from a flag someone sets), so a step done another way (the CLI, an import, a
restore) is ticked too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from core import workspace
from core.accounts import Viewer, require_coordinator
from core.backup import last_backup
from core.dates import uk_date
from core.db import Store


@dataclass(frozen=True)
class SetupStep:
    key: str  # settings, agencies, register, plans, library, backup
    label: str
    done: bool
    detail: str = ""  # what ticked it


def _count(db: sqlite_utils.Database, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def setup_steps(store: Store, viewer: Viewer) -> list[SetupStep]:
    """The set-up steps in the order a new partnership takes them (coordinator only)."""
    require_coordinator(viewer, "Only the coordinator sets the workspace up")
    db = store.read()
    partnership = workspace.load(db).partnership
    agency_changes = _count(db, "SELECT count(*) FROM audit_log WHERE entity = 'agencies'")
    reviews = _count(db, "SELECT count(*) FROM reviews")
    recommendations = _count(db, "SELECT count(*) FROM recommendations")
    documents = _count(db, "SELECT count(*) FROM documents WHERE status = 'indexed'")
    backup = last_backup(store)
    return [
        SetupStep("settings", "Name your partnership", bool(partnership), partnership),
        SetupStep(
            "agencies",
            "Make the list of agencies your partnership's",
            agency_changes > 0,
            f"{agency_changes} change(s) made" if agency_changes else "",
        ),
        SetupStep("register", "Bring in the review register", reviews > 0, f"{reviews} review(s)" if reviews else ""),
        SetupStep(
            "plans",
            "Bring in the action plans",
            recommendations > 0,
            f"{recommendations} recommendation(s)" if recommendations else "",
        ),
        SetupStep(
            "library",
            "Add documents to the library",
            documents > 0,
            f"{documents} document(s)" if documents else "",
        ),
        SetupStep(
            "backup",
            "Make a first backup",
            backup is not None,
            f"last made {uk_date(date.fromisoformat(backup[:10]))}" if backup else "",
        ),
    ]
