"""The shared learning repository: a partnership's public learning, published to PostgreSQL (with
pgvector) that a region or the country runs, searched in the engine across every partnership.

Named by ``DHR_REPOSITORY_URL`` (``postgresql://ROLE:PASSWORD@HOST/DATABASE``). Nothing here is
imported until that is set: the embedded library (SQLite, whoosh, the mapped vectors) needs none of it.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import DHRError

URL_ENV = "DHR_REPOSITORY_URL"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")


class RepositoryUnavailable(DHRError):
    """No shared repository is configured, or it cannot be reached."""


def repository_url() -> str | None:
    """The shared repository's address from ``DHR_REPOSITORY_URL``, or None when there is none."""
    return os.environ.get(URL_ENV, "").strip() or None


def connect(url: str | None = None):
    """A psycopg connection to the repository with pgvector's types registered."""
    url = url or repository_url()
    if not url:
        raise RepositoryUnavailable(
            f"No shared repository is set up: set {URL_ENV}=postgresql://... (ask the repository's host)"
        )
    import psycopg
    from pgvector.psycopg import register_vector

    try:
        connection = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError:
        host = url.split("@")[-1].split("?")[0]
        raise RepositoryUnavailable(
            f"The shared repository at {host} cannot be reached; check {URL_ENV} and that it is running"
        ) from None
    try:
        register_vector(connection)
    except psycopg.ProgrammingError:  # the vector type does not exist yet: init creates it
        pass
    return connection
