"""The list of agencies a workspace knows: panel members, returns, actions and agency leads name one."""

from __future__ import annotations

import sqlite_utils

from core.accounts import Viewer, require_coordinator
from core.db import Store
from core.errors import ValidationError

DEFAULT_AGENCIES = (
    "Police",
    "Probation Service",
    "Integrated Care Board (GP services)",
    "Acute Hospital Trust",
    "Mental Health Trust",
    "Ambulance Service",
    "Adult Social Care",
    "Children's Social Care",
    "Housing",
    "Domestic Abuse Service",
    "Substance Misuse Service",
    "Education",
)


def list_agencies(db: sqlite_utils.Database) -> list[str]:
    return [row["name"] for row in db["agencies"].rows_where(order_by="name")]


def add_agency(store: Store, viewer: Viewer, *, name: str) -> str:
    """The coordinator adds an agency to the workspace's list."""
    require_coordinator(viewer, "Only the coordinator can add agencies")
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Agency name: give the agency's name")
    with store.write(viewer.username) as tx:
        existing = {a.lower(): a for a in list_agencies(tx.db)}
        if name.lower() in existing:
            raise ValidationError(f"agency: {existing[name.lower()]!r} is already listed")
        tx.insert("agencies", {"name": name})
    return name


def check_agencies(db: sqlite_utils.Database, names: list[str], field: str) -> None:
    """Raise a ValidationError naming every agency the workspace does not know."""
    known = set(list_agencies(db))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValidationError(
            f"{field}: unknown agency {', '.join(map(repr, unknown))}; add it first "
            "(Agencies page, or python -m core agencies add NAME)"
        )
