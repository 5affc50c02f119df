"""The shared repository behind the same interface as the embedded library (indexing.learning_index)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from core.accounts import Viewer, require_coordinator
from core.errors import deletion_reason
from indexing.access import readable_levels
from indexing.library import Library
from indexing.repository import connect, pooled
from indexing.repository import search as repository_search
from indexing.repository.publish import PublishReport, gather, publish, publishing_csp
from indexing.search import Filters, Hit, check_request, question_vector
from indexing.upkeep import VerifyReport


class RepositoryIndex:
    """The repository named by ``url`` (default ``DHR_REPOSITORY_URL``), seen from one workspace."""

    def __init__(self, library: Library, url: str | None = None):
        self.library = library
        self.url = url

    def index(self, viewer: Viewer) -> PublishReport:
        """Publish: send what the workspace may share, update what changed, withdraw the rest."""
        return publish(self.library.store, viewer, self.url)

    def delete(self, viewer: Viewer, document_ids: Iterable[int], *, why: str) -> int:
        """Withdraw documents now (they stay in the workspace; reclassify them, or a later publish sends
        them again)."""
        require_coordinator(viewer)
        deletion_reason(why)
        with connect(self.url) as connection:
            csp = publishing_csp(connection, self.library.store)
            return connection.execute(
                "DELETE FROM documents WHERE csp = %s AND document_id = ANY(%s)", [csp, list(document_ids)]
            ).rowcount

    def search(
        self,
        viewer: Viewer,
        query: str,
        *,
        mode: str = "hybrid",
        limit: int = 10,
        filters: Filters = Filters(),
        others_only: bool = False,
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Hybrid search in the engine across every partnership (``others_only``: not this workspace's own;
        ``vector``: the question already encoded by indexing.search.question_vector)."""
        check_request(query, mode, limit)
        if vector is None:
            vector = question_vector(self.library, query, mode)
        with pooled(self.url) as connection:
            own = publishing_csp(connection, self.library.store) if others_only else None
            return repository_search.search(
                connection, viewer, query, vector, mode=mode, limit=limit, filters=filters, exclude_csp=own
            )

    def verify(self) -> VerifyReport:
        """What the repository holds for this partnership against what the workspace shares now."""
        report = VerifyReport()
        with connect(self.url) as connection:
            csp = publishing_csp(connection, self.library.store)
            held = dict(connection.execute("SELECT document_id, fingerprint FROM documents WHERE csp = %s", [csp]))
            passages = dict(
                connection.execute(
                    "SELECT document_id, count(*) FROM passages WHERE csp = %s GROUP BY document_id", [csp]
                )
            )
        shared = gather(self.library.store, csp)
        counts = dict(
            self.library.store.read().execute("SELECT document_id, count(*) FROM chunks GROUP BY document_id")
        )
        for (document_id,), row in shared.documents.items():
            name = row["source_name"]
            if document_id not in held:
                report.problems.append(f"{name}: not yet published")
            elif held[document_id] != row["fingerprint"]:
                report.problems.append(f"{name}: changed since it was published")
            elif passages.get(document_id, 0) != counts.get(document_id, 0):
                report.problems.append(f"{name}: the repository holds {passages.get(document_id, 0)} of its passages")
        report.problems += [
            f"document {document_id}: still shared but no longer shared by the workspace"
            for document_id in held
            if (document_id,) not in shared.documents
        ]
        report.documents = len(held)
        report.chunks = sum(passages.values())
        return report


def stats(url: str | None = None) -> dict:
    """What the whole repository holds: documents, passages, partnerships, recommendations, and by partnership."""
    with connect(url) as connection:
        totals = connection.execute(
            """SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM passages),
                      (SELECT count(DISTINCT csp) FROM documents), (SELECT count(*) FROM recommendations),
                      (SELECT count(*) FROM actions), (SELECT count(*) FROM case_facts),
                      (SELECT count(*) FROM extracted_recommendations)"""
        ).fetchone()
        by_csp = connection.execute(
            """SELECT partnerships.csp, partnerships.published_at,
                      (SELECT count(*) FROM documents WHERE documents.csp = partnerships.csp),
                      (SELECT count(*) FROM passages WHERE passages.csp = partnerships.csp),
                      (SELECT count(*) FROM recommendations WHERE recommendations.csp = partnerships.csp)
               FROM partnerships ORDER BY partnerships.csp"""
        ).fetchall()
    keys = ("documents", "passages", "csps", "recommendations", "actions", "case_facts", "extracted_recommendations")
    return dict(zip(keys, totals, strict=True)) | {
        "by_csp": [
            {
                "csp": csp,
                "published_at": published_at.isoformat(timespec="seconds") if published_at else None,
                "documents": documents,
                "passages": passages,
                "recommendations": recommendations,
            }
            for csp, published_at, documents, passages, recommendations in by_csp
        ]
    }


def shared_by(library: Library, url: str | None = None) -> dict:
    """What this workspace shares (the Library page's "what is shared"): its partnership's figures in the
    repository and the whole repository's (what a publish keeps back, and why, its report says)."""
    with connect(url) as connection:
        csp = publishing_csp(connection, library.store)
    everything = stats(url)
    own = next((row for row in everything["by_csp"] if row["csp"] == csp), None)
    return {"csp": csp, "own": own, "repository": everything}


def national_theme_shares(viewer: Viewer, url: str | None = None) -> list[dict]:
    """For each theme, how many of every partnership's shared documents that the viewer reads carry it,
    and their share: the "national" side of the Themes page's local-against-national figures."""
    levels = list(readable_levels(viewer))
    with connect(url) as connection:
        total = connection.execute("SELECT count(*) FROM documents WHERE access = ANY(%s)", [levels]).fetchone()[0]
        found = connection.execute(
            """SELECT t.theme_key, count(*) FROM document_themes t
               JOIN documents d ON d.csp = t.csp AND d.document_id = t.document_id
               WHERE d.access = ANY(%s) GROUP BY t.theme_key""",
            [levels],
        ).fetchall()
    return [
        {"theme": key, "scope": "national", "documents": count, "share": round(count / total, 3)}
        for key, count in found
    ]
