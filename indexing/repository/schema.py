"""Creating the repository and giving partnerships their PostgreSQL roles (the host's jobs)."""

from __future__ import annotations

import re
import secrets

from core.errors import ValidationError
from indexing.chunking import low_information
from indexing.repository import SCHEMA_SQL, connect

# Full-text search reads passages' words from one GIN index per bucket of passages (id modulo TEXT_BUCKETS),
# each asked in turn until the full-text candidates are found (indexing.repository.search): a question of
# words a million passages use builds the matches of one bucket, not of every passage (a GIN index answers
# with all its matches at once). At a million passages, 4 buckets cost about a third less of PostgreSQL's CPU
# for the passages with every word than one index (README, "Shared repository").
TEXT_BUCKETS = 4
TEXT_INDEX_NAMES = tuple(f"passages_tsv_{bucket}" for bucket in range(TEXT_BUCKETS))
TEXT_INDEXES = tuple(
    f"CREATE INDEX IF NOT EXISTS {name} ON passages USING gin (tsv) WHERE id % {TEXT_BUCKETS} = {bucket}"
    for bucket, name in enumerate(TEXT_INDEX_NAMES)
)
VECTOR_INDEX = (
    "CREATE INDEX IF NOT EXISTS passages_embedding ON passages USING hnsw (embedding vector_ip_ops) "
    "WITH (m = 16, ef_construction = 32)"  # half pgvector's default candidates: see benchmarks/bench_repository.py
)
# built after a bulk load (benchmarks/bench_repository.py drops and rebuilds them around one)
SEARCH_INDEXES = (VECTOR_INDEX, *TEXT_INDEXES)
SEARCH_INDEX_NAMES = ("passages_embedding", *TEXT_INDEX_NAMES)
# how many passages each bucket holds, for the planner (without it, it takes a bucket for 0.5% of passages,
# not a quarter, and reads every passage with some of a question's common words through the indexes)
BUCKET_STATISTICS = f"CREATE STATISTICS IF NOT EXISTS passages_bucket ON (id % {TEXT_BUCKETS}) FROM passages"
EARLIER_INDEXES = ("passages_tsv",)  # an earlier release's one GIN index of every passage: search no longer reads it
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
        for name in EARLIER_INDEXES:
            connection.execute(f"DROP INDEX IF EXISTS {name}")
        if not connection.execute("SELECT 1 FROM pg_statistic_ext WHERE stxname = 'passages_bucket'").fetchone():
            connection.execute(BUCKET_STATISTICS)
            connection.execute("ANALYZE passages")  # read now, not when autovacuum next gets to it
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
