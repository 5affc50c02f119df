"""Searching the shared repository at speed (issue #24, the speed and scale figures): searches share a
process's pooled connections and leave them as they found them, an unreachable repository is said in
words, and a search of both scopes encodes the question once. Real PostgreSQL with pgvector (pgserver),
real reviews from ../shared/corpus/dhr; the figures themselves are benchmarks/bench_repository.py's."""

from __future__ import annotations

import psycopg
import pytest

from indexing.embeddings import Embedder
from indexing.learning_index import search_in
from indexing.library import Library
from indexing.repository import RepositoryUnavailable, pooled
from indexing.repository.index import RepositoryIndex
from indexing.repository.publish import publish
from tests.test_repository import COORD, PARTNER, cli, make_workspace

QUESTION = "suicide risk and mental health"


@pytest.fixture
def published(tmp_path, embedder, repository_url):
    library = make_workspace(
        tmp_path / "northvale",
        "Northvale CSP",
        embedder,
        {"12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt": "public"},
    )
    publish(library.store, COORD, repository_url)
    return library


def idle_searchers(url: str) -> set[int]:
    """The server processes connected to the repository's database, other than the one asking."""
    with psycopg.connect(url) as connection:
        return {
            pid
            for (pid,) in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        }


def test_searches_reuse_the_process_pool_and_leave_its_connections_unchanged(published, repository_url):
    repository = RepositoryIndex(published, repository_url)
    seen = []
    for _ in range(3):
        hits = repository.search(PARTNER, QUESTION, limit=5)
        assert hits and all(hit.csp == "Northvale CSP" for hit in hits)
        seen.append(idle_searchers(repository_url))
    assert seen[0] and seen[0] == seen[1] == seen[2]  # one connection kept, not one opened and closed per search

    with pooled(repository_url) as connection:  # the search's settings were its transaction's alone
        settings = connection.execute("SELECT current_setting('hnsw.ef_search'), current_setting('jit')").fetchone()
    assert settings == ("40", "on")


def test_an_unreachable_repository_is_said_in_words(published, tmp_path):
    nowhere = f"postgresql://nobody@/nothing?host={tmp_path}"  # no server listens there
    with pytest.raises(RepositoryUnavailable, match="cannot be reached"):
        RepositoryIndex(published, nowhere).search(PARTNER, QUESTION)
    result = cli(published.store.directory, nowhere, "search", QUESTION, "--scope", "national")
    assert result.returncode == 2
    assert "cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr and "psycopg" not in result.stderr


class CountingEmbedder(Embedder):
    """The real model, counting the texts it is asked to encode."""

    def __init__(self):
        super().__init__()
        self.encoded: list[str] = []

    def encode(self, texts, batch_size=32):
        self.encoded += texts
        return super().encode(texts, batch_size)


def test_a_search_of_both_scopes_encodes_the_question_once(published, repository_url, monkeypatch):
    monkeypatch.setenv("DHR_REPOSITORY_URL", repository_url)
    counting = CountingEmbedder()
    both = search_in(Library(published.store, counting), PARTNER, QUESTION, scope="all", limit=10)
    assert both
    assert len(counting.encoded) == 1
