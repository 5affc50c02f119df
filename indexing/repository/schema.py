"""Creating the repository and giving partnerships their PostgreSQL roles (the host's jobs)."""

from __future__ import annotations

import re
import secrets

from core.errors import ValidationError
from indexing.chunking import low_information
from indexing.repository import SCHEMA_SQL, connect

# built after a bulk load (benchmarks/bench_repository.py drops and rebuilds them around one)
SEARCH_INDEXES = (
    "CREATE INDEX IF NOT EXISTS passages_embedding ON passages USING hnsw (embedding vector_ip_ops) "
    "WITH (m = 16, ef_construction = 32)",  # half pgvector's default candidates: see benchmarks/bench_repository.py
    "CREATE INDEX IF NOT EXISTS passages_tsv ON passages USING gin (tsv)",
)
ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]{2,40}$")
READ_AT_ONCE = 5000  # passages whose low_information ``init`` reads per statement


def init(url: str | None = None) -> None:
    """Create (or bring up to date) the repository's tables, indexes and row-level security. Run by the
    host's own role, which owns the tables; running it again changes nothing."""
    with connect(url) as connection:
        connection.execute("SELECT pg_advisory_xact_lock(hashtext('dhr repository init'))")
        connection.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for statement in SEARCH_INDEXES:
            connection.execute(statement)
        mark_low_information(connection)


def mark_low_information(connection) -> int:
    """Read, by the rule local search uses, which passages published by an earlier release (which did not
    store it) are table debris or contents lines; returns how many passages were read."""
    read, after = 0, 0
    while rows := connection.execute(
        "SELECT id, text FROM passages WHERE low_information IS NULL AND id > %s ORDER BY id LIMIT %s",
        [after, READ_AT_ONCE],
    ).fetchall():
        connection.execute(
            "UPDATE passages SET low_information = marked.low "
            "FROM unnest(%s::bigint[], %s::boolean[]) AS marked (id, low) WHERE passages.id = marked.id",
            [[passage_id for passage_id, _ in rows], [low_information(text) for _, text in rows]],
        )
        read += len(rows)
        after = rows[-1][0]
    return read


def add_partnership(csp: str, role: str, *, password: str | None = None, url: str | None = None) -> str:
    """Register a partnership and the login role it publishes with (the host's job); returns the
    role's password (a new random one unless given). The role writes only its own partnership's rows."""
    from psycopg import errors, sql

    csp = csp.strip()
    problems = []
    if not csp:
        problems.append("partnership: give the partnership's name as its workspace's settings have it")
    if not ROLE_NAME.match(role):
        problems.append("role: 3 to 41 lower-case letters, digits or underscores, starting with a letter")
    if problems:
        raise ValidationError(problems)
    password = password or secrets.token_urlsafe(24)
    with connect(url) as connection:
        try:
            connection.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), password))
        except errors.DuplicateObject:
            raise ValidationError(f"role: {role} already exists; choose another name") from None
        connection.execute(sql.SQL("GRANT dhr_partnership TO {}").format(sql.Identifier(role)))
        connection.execute(
            "INSERT INTO partnerships (csp, role_name) VALUES (%s, %s) "
            "ON CONFLICT (csp) DO UPDATE SET role_name = excluded.role_name",
            [csp, role],
        )
    return password
