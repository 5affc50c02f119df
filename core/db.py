"""The database: one audited writer, many readers.

SQLite is the single source of truth. Every write unit runs inside ``BEGIN IMMEDIATE``
under one process-wide lock per database file, so concurrent sessions queue rather than
fail with "database is locked"; other processes (a CLI beside the running app) wait on
SQLite's busy timeout. Every insert, update and delete made through :class:`Transaction`
writes an audit row with who did it and the record before and after.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from core.text import without_controls

BUSY_TIMEOUT_MS = 30_000
# columns whose values never reach the audit log: it records that they changed, not what they are
SECRET_COLUMNS = frozenset({"password_hash"})

_process_locks: dict[str, threading.RLock] = {}
_process_locks_guard = threading.Lock()


def _lock_for(path: Path) -> threading.RLock:
    with _process_locks_guard:
        return _process_locks.setdefault(str(path), threading.RLock())


def connect(path: Path) -> sqlite_utils.Database:
    """Open a connection with foreign keys enforced and a generous busy timeout."""
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _redacted(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Secrets replaced by whether they changed."""
    secret = SECRET_COLUMNS & set(before or after or {})
    if not secret:
        return before, after
    changed = {c: (before or {}).get(c) != (after or {}).get(c) for c in secret}
    marks = {c: ("(changed)" if changed[c] else "(unchanged)") for c in secret}
    return (before and {**before, **{c: "(hidden)" for c in secret}}), (after and {**after, **marks})


class Transaction:
    """One write unit. Use its methods, not the raw connection, so that every change is audited."""

    def __init__(self, db: sqlite_utils.Database, actor: str):
        self.db = db
        self.actor = actor

    def _audit(
        self,
        action: str,
        table: str,
        entity_id: Any,
        before: dict | None,
        after: dict | None,
        reason: str | None = None,
    ) -> None:
        before, after = _redacted(before, after)
        self.db["audit_log"].insert(
            {
                "at": utc_now(),
                "actor": self.actor,
                "action": action,
                "entity": table,
                "entity_id": json.dumps(entity_id, default=str),
                "before": json.dumps(before, default=str) if before is not None else None,
                "after": json.dumps(after, default=str) if after is not None else None,
                **({"reason": reason} if reason else {}),
            }
        )

    def insert(self, table: str, record: dict[str, Any]) -> Any:
        """Insert one row and return its primary key. Control characters never reach the database."""
        record = {k: without_controls(v) for k, v in record.items()}
        tbl = self.db[table]
        tbl.insert(record)
        pks = tbl.pks
        if pks == ["rowid"] or (len(pks) == 1 and pks[0] not in record):
            pk: Any = tbl.last_pk
        elif len(pks) == 1:
            pk = record[pks[0]]
        else:
            pk = tuple(record[name] for name in pks)
        self._audit("insert", table, pk, None, tbl.get(pk))
        return pk

    def update(self, table: str, pk: Any, changes: dict[str, Any], *, reason: str | None = None) -> dict[str, Any]:
        """Update one row by primary key and return the row as it now is. The audit log records the
        columns that changed, before and after, not the whole row again."""
        changes = {k: without_controls(v) for k, v in changes.items()}
        tbl = self.db[table]
        before = tbl.get(pk)
        tbl.update(pk, changes)
        after = tbl.get(pk)
        changed = [column for column in after if after[column] != before.get(column)]
        if changed:
            self._audit(
                "update", table, pk, {c: before.get(c) for c in changed}, {c: after[c] for c in changed}, reason
            )
        return after

    def upsert(self, table: str, record: dict[str, Any], *, pk: str) -> None:
        """Insert one row, or update the row of its primary key ``pk`` to it (sqlite-utils' upsert); the audit
        log records an insert, or the columns an update changed. Control characters never reach the database."""
        record = {k: without_controls(v) for k, v in record.items()}
        tbl = self.db[table]
        before = next(tbl.rows_where(f"[{pk}] = ?", [record[pk]]), None)
        tbl.upsert(record, pk=pk)
        after = tbl.get(record[pk])
        if before is None:
            self._audit("insert", table, record[pk], None, after)
        elif changed := [column for column in after if after[column] != before.get(column)]:
            self._audit("update", table, record[pk], {c: before[c] for c in changed}, {c: after[c] for c in changed})

    def delete(self, table: str, pk: Any, *, reason: str | None = None) -> None:
        """Delete one row; the audit log keeps what it held (and why, when a person deleted it)."""
        tbl = self.db[table]
        before = tbl.get(pk)
        tbl.delete(pk)
        self._audit("delete", table, pk, before, None, reason)


class Store:
    """A workspace database: a write connection behind a lock, and a read connection per thread."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _lock_for(self.path)
        self._writer = connect(self.path)
        self._writer.conn.isolation_level = None  # we issue BEGIN IMMEDIATE ourselves
        self._writer.execute("PRAGMA journal_mode = WAL")
        self._readers = threading.local()
        self._write_owner: int | None = None  # the thread inside a write unit, which reads its own writes

    @property
    def directory(self) -> Path:
        return self.path.parent

    def read(self) -> sqlite_utils.Database:
        """This thread's read connection; inside a write unit, the writer, so a unit sees its own changes."""
        if self._write_owner == threading.get_ident():
            return self._writer
        db = getattr(self._readers, "db", None)
        if db is None:
            db = connect(self.path)
            self._readers.db = db
        return db

    @contextlib.contextmanager
    def write(self, actor: str) -> Iterator[Transaction]:
        """Run one write unit: all of it is stored, or none of it."""
        with self._lock:
            conn = self._writer.conn
            if conn.in_transaction:  # a nested write joins the outer unit
                yield Transaction(self._writer, actor)
                return
            conn.execute("BEGIN IMMEDIATE")
            self._write_owner = threading.get_ident()
            try:
                yield Transaction(self._writer, actor)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._write_owner = None

    def apply_migrations(self, migrations: Migrations) -> None:
        """Apply pending schema migrations under the write lock."""
        with self._lock:
            migrations.apply(self._writer)

    def close(self) -> None:
        self._writer.close()
        db = getattr(self._readers, "db", None)
        if db is not None:
            db.close()
