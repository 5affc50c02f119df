"""The shared learning repository: a partnership's public learning, published to PostgreSQL (with
pgvector) that a region or the country runs, searched in the engine across every partnership.

Named by ``DHR_REPOSITORY_URL`` (``postgresql://ROLE:PASSWORD@HOST/DATABASE``). Nothing here is
imported until that is set: the embedded library (SQLite, whoosh, the mapped vectors) needs none of it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from core.errors import DHRError, PermissionDenied

URL_ENV = "DHR_REPOSITORY_URL"
SCOPES = ("local", "national", "all")  # where search and theme figures look: this workspace, the repository, both
SCOPE_LABELS = {"local": "This partnership", "national": "Every partnership (shared repository)", "all": "Both"}
SCHEMA_SQL = Path(__file__).with_name("schema.sql")


class RepositoryUnavailable(DHRError):
    """No shared repository is configured, or it cannot be reached."""


def repository_url() -> str | None:
    """The shared repository's address from ``DHR_REPOSITORY_URL``, or None when there is none."""
    return os.environ.get(URL_ENV, "").strip() or None


@contextlib.contextmanager
def connect(url: str | None = None) -> Iterator:
    """A psycopg connection to the repository with pgvector's types registered: committed when the block
    ends, rolled back (nothing changed there) if it fails, and its failures in words a coordinator can act on."""
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
        host = url.split("@")[-1].split("?")[0] or "its address"
        raise RepositoryUnavailable(
            f"The shared repository at {host} cannot be reached; check {URL_ENV} and that it is running"
        ) from None
    try:
        with connection:
            with contextlib.suppress(psycopg.ProgrammingError):  # no vector type before init creates it
                register_vector(connection)
            yield connection
    except psycopg.errors.InsufficientPrivilege:
        raise PermissionDenied(
            "The shared repository refused: a partnership may change only its own rows. Nothing was changed there."
        ) from None
    except psycopg.Error as error:
        raise RepositoryUnavailable(
            "The shared repository could not finish; nothing was changed there. Try again, and if it keeps "
            f"failing ask its host (PostgreSQL error {error.sqlstate or 'without a code'})"
        ) from None
