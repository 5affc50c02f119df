"""The narrow interface that search and the library's derived indexes sit behind, and the search scope.

Two implementations: :class:`EmbeddedIndex`, the workspace's own library (SQLite, whoosh, the mapped
vector store), and ``indexing.repository.index.RepositoryIndex``, the shared PostgreSQL repository.
Both are derived from the workspace's SQLite; what a viewer reads is decided by indexing.access in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

import numpy as np

from core.accounts import Viewer
from core.errors import ValidationError
from core.workspace import load as load_settings
from indexing.library import Library
from indexing.repository import SCOPES
from indexing.search import FUSION, Filters, Hit, check_request, question_vector, search
from indexing.upkeep import VerifyReport


class LearningIndex(Protocol):
    def index(self, viewer: Viewer) -> object:
        """Bring the index up to date with the workspace's library."""

    def delete(self, viewer: Viewer, document_ids: Iterable[int], *, why: str) -> int:
        """Take documents out of the index; returns how many were taken out."""

    def search(
        self,
        viewer: Viewer,
        query: str,
        *,
        mode: str = "hybrid",
        limit: int = 10,
        filters: Filters = Filters(),
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The best passages for ``query`` that the viewer may read, within the filters (``vector``: the
        question already encoded by indexing.search.question_vector, so that a search of both encodes it once)."""

    def verify(self) -> VerifyReport:
        """Compare the index with the workspace's database."""


class EmbeddedIndex:
    """The workspace's own library: SQLite with whoosh and the memory-mapped vector store."""

    def __init__(self, library: Library):
        self.library = library

    def index(self, viewer: Viewer) -> list[str]:
        if not viewer.is_coordinator:
            raise ValidationError("Only the coordinator can re-index the library")
        return self.library.resume_pending(viewer.username)

    def delete(self, viewer: Viewer, document_ids: Iterable[int], *, why: str) -> int:
        count = 0
        for document_id in document_ids:
            self.library.delete(viewer, document_id, why=why)
            count += 1
        return count

    def search(
        self,
        viewer: Viewer,
        query: str,
        *,
        mode: str = "hybrid",
        limit: int = 10,
        filters: Filters = Filters(),
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        return search(self.library, viewer, query, mode=mode, limit=limit, filters=filters, vector=vector)

    def verify(self) -> VerifyReport:
        return self.library.verify()


def search_in(
    library: Library,
    viewer: Viewer,
    query: str,
    *,
    scope: str = "local",
    mode: str = "hybrid",
    limit: int = 10,
    filters: Filters = Filters(),
) -> list[Hit]:
    """Search this partnership's library (local), the shared repository (national: every partnership,
    each hit naming its own), or both (all: local results and other partnerships', fused by rank)."""
    if scope not in SCOPES:
        raise ValidationError(f"scope: {scope!r} is not one of {', '.join(SCOPES)}")
    if scope == "local":
        return EmbeddedIndex(library).search(viewer, query, mode=mode, limit=limit, filters=filters)
    from indexing.repository.index import RepositoryIndex  # PostgreSQL's packages load only when asked for

    repository = RepositoryIndex(library)
    if scope == "national":
        return repository.search(viewer, query, mode=mode, limit=limit, filters=filters)
    check_request(query, mode, limit)
    vector = question_vector(library, query, mode)  # once for both
    local = EmbeddedIndex(library).search(viewer, query, mode=mode, limit=limit, filters=filters, vector=vector)
    others = repository.search(viewer, query, mode=mode, limit=limit, filters=filters, others_only=True, vector=vector)
    return fuse_lists([_named(local, load_settings(library.store.read()).partnership_name), others], limit)


def _named(hits: list[Hit], partnership: str) -> list[Hit]:
    """The workspace's own hits beside other partnerships': each names its partnership, as theirs do
    (a document that names another partnership keeps it)."""
    return [hit if hit.csp else replace(hit, csp=partnership) for hit in hits]


def fuse_lists(lists: list[list[Hit]], limit: int, k: int = FUSION.k) -> list[Hit]:
    """Reciprocal rank fusion of result lists from different indexes (each already ranked)."""
    scored = [(1 / (k + rank), order, hit) for order, hits in enumerate(lists) for rank, hit in enumerate(hits, 1)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [hit for _, _, hit in scored[:limit]]
