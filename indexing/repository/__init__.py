"""The shared learning repository: a partnership's public learning, published to PostgreSQL (with
pgvector) that a region or the country runs, searched in the engine across every partnership.

Named by ``DHR_REPOSITORY_URL`` (``postgresql://ROLE:PASSWORD@HOST/DATABASE``). Nothing here is
imported until that is set: the embedded library (SQLite, whoosh, the mapped vectors) needs none of it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from core.errors import DHRError, PermissionDenied

URL_ENV = "DHR_REPOSITORY_URL"
SCOPES = ("local", "national", "all")  # where search and theme figures look: this workspace, the repository, both
SCOPE_LABELS = {"local": "This partnership", "national": "Every partnership (shared repository)", "all": "Both"}
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
CONNECT_TIMEOUT_S = 10
POOL_SIZE = 10  # connections per app process (the benchmark's 8 searchers each hold one)
POOL_IDLE_S = 300


class RepositoryUnavailable(DHRError):
    """No shared repository is configured, or it cannot be reached."""


def repository_url() -> str | None:
    """The shared repository's address from ``DHR_REPOSITORY_URL``, or None when there is none."""
    return os.environ.get(URL_ENV, "").strip() or None


def _address(url: str) -> str:
    """ "dhr_learning on db.example.gov.uk:5432": where the address points, never its password."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(url)
    server = str(parts.get("host") or "this machine") + (f":{parts['port']}" if parts.get("port") else "")
    return f"{parts['dbname']} on {server}" if parts.get("dbname") else server


def _unreachable(url: str, error: Exception | None = None) -> RepositoryUnavailable:
    """Why the repository could not be opened, in words: the server's refusal when it gave one (libpq's
    messages, which name no code), else that nothing answered there."""
    said = str(error or "")
    where = _address(url)
    if "authentication failed" in said or "no password supplied" in said:
        return RepositoryUnavailable(
            f"The shared repository ({where}) refused the role and password in {URL_ENV}: check them with its "
            "host (a partnership's password is shown once, when its role is made)"
        )
    if "does not exist" in said:
        return RepositoryUnavailable(
            f"The shared repository's server ({where}) has no such database or role: check the database and "
            f"role names in {URL_ENV} with its host"
        )
    if "SSL" in said:
        return RepositoryUnavailable(
            f"The shared repository's server ({where}) does not offer the encrypted connection {URL_ENV} asks "
            "for (sslmode): ask its host"
        )
    return RepositoryUnavailable(
        f"The shared repository ({where}) cannot be reached; check {URL_ENV} and that it is running"
    )


def _refusal(url: str) -> Exception | None:
    """The error one fresh connection meets (a pool's own attempts keep theirs), or None if it opens now."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
    except psycopg.Error as error:
        return error
    return None


def _register_vector(connection) -> None:
    """pgvector's types on a new connection (none before init creates them), leaving it idle."""
    import psycopg
    from pgvector.psycopg import register_vector

    with contextlib.suppress(psycopg.ProgrammingError):
        register_vector(connection)
    connection.rollback()


@contextlib.contextmanager
def _in_words(connection) -> Iterator:
    """The block's transaction on ``connection``: committed when it ends, rolled back (nothing changed
    there) if it fails, and its failures in words a coordinator can act on."""
    import psycopg

    try:
        with connection:
            yield connection
    except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
        raise RepositoryUnavailable(
            "The shared repository's tables are missing or from an earlier release; nothing was changed there. "
            "Its host updates them with: python -m indexing repository init"
        ) from None
    except psycopg.errors.InsufficientPrivilege:
        raise PermissionDenied(
            "The shared repository refused: a partnership may change only its own rows. Nothing was changed there."
        ) from None
    except psycopg.Error as error:
        raise RepositoryUnavailable(
            "The shared repository could not finish; nothing was changed there. Try again, and if it keeps "
            f"failing ask its host (PostgreSQL error {error.sqlstate or 'without a code'})"
        ) from None


def _not_an_address() -> RepositoryUnavailable:
    return RepositoryUnavailable(
        f"{URL_ENV} is not a PostgreSQL address: it should read postgresql://ROLE:PASSWORD@HOST/DATABASE "
        "(ask the repository's host for it)"
    )


def _url(url: str | None) -> str:
    """The repository's address, refused in words when there is none or it is not a PostgreSQL one."""
    url = url or repository_url()
    if not url:
        raise RepositoryUnavailable(
            f"No shared repository is set up: set {URL_ENV}=postgresql://... (ask the repository's host)"
        )
    if not url.startswith(("postgresql://", "postgres://")):
        raise _not_an_address()
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(url)
    except psycopg.ProgrammingError:  # its message is psycopg's, and may quote the password
        raise _not_an_address() from None
    return url


@contextlib.contextmanager
def connect(url: str | None = None) -> Iterator:
    """A new psycopg connection to the repository with pgvector's types registered, closed after the
    block (publishing, the host's jobs): see ``_in_words`` for its transaction and failures."""
    url = _url(url)
    import psycopg

    try:
        connection = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as error:
        raise _unreachable(url, error) from None
    with _in_words(connection):
        _register_vector(connection)
        yield connection


_POOLS: dict = {}
_POOLS_LOCK = threading.Lock()
# the pool's own retries are not for a coordinator's screen (a failure reaches them as RepositoryUnavailable);
# an app that configures logging still receives them
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())


@contextlib.contextmanager
def pooled(url: str | None = None) -> Iterator:
    """A connection from this process's pool for the repository (searching): no new connection, server
    process and type look-up per question, and up to ``POOL_SIZE`` searches at once per app process, the
    rest waiting their turn. Each app process holds its own pool; the repository holds what they share."""
    url = _url(url)
    from psycopg_pool import ConnectionPool, PoolTimeout

    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            pool = _POOLS[url] = ConnectionPool(
                url,
                min_size=0,  # idle connections close after max_idle: none is held by an unused pool
                max_size=POOL_SIZE,
                kwargs={"connect_timeout": CONNECT_TIMEOUT_S},
                configure=_register_vector,
                check=ConnectionPool.check_connection,  # one left broken by a restarted server is replaced
                timeout=CONNECT_TIMEOUT_S,
                max_idle=POOL_IDLE_S,
                name="dhr-repository",
                open=True,
            )
    try:
        connection = pool.getconn()
    except PoolTimeout:
        raise _unreachable(url, _refusal(url)) from None
    try:
        with _in_words(connection):
            yield connection
    finally:
        pool.putconn(connection)
