"""Keeping the library's derived indexes (whoosh, the vector store) true to SQLite: ``verify`` compares them
with the database, ``rebuild`` recreates them from it, and a workspace restored from a backup gets them back
when its library opens; and the library's figures (``stats``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.db import Store
from indexing import sentence_vectors
from indexing.embeddings import DIMENSIONS

if TYPE_CHECKING:
    from indexing.library import Library


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(library: Library) -> VerifyReport:
    """Compare the whoosh index and the vectors with the database."""
    db = library.store.read()
    report = VerifyReport()
    documents = {r["id"]: r for r in db["documents"].rows}
    expected: dict[int, set[int]] = {}
    for row in db.query("SELECT id, document_id, length(embedding) AS size FROM chunks"):
        expected.setdefault(row["document_id"], set()).add(row["id"])
        report.chunks += 1
        if row["size"] != DIMENSIONS * 4:
            report.problems.append(f"chunk {row['id']}: embedding has {row['size']} bytes, expected {DIMENSIONS * 4}")
    indexed = library.lexical.chunk_ids_by_document()
    for document_id, document in documents.items():
        name = document["source_name"]
        if document["status"] == "pending":
            report.pending.append(name)
            continue
        report.documents += document["status"] == "indexed"
        want, have = expected.get(document_id, set()), indexed.get(document_id, set())
        if document["status"] == "indexed" and not want:
            report.problems.append(f"{name}: indexed but has no chunks in the database")
        if want - have:
            report.problems.append(f"{name}: {len(want - have)} chunk(s) missing from the whoosh index")
        if have - want:
            report.problems.append(f"{name}: {len(have - want)} whoosh entr(ies) for chunks no longer stored")
    for document_id in set(indexed) - set(documents):
        report.problems.append(f"whoosh holds {len(indexed[document_id])} entr(ies) of deleted document {document_id}")
    report.problems += library.vectors.problems(db, documents, expected)
    return report


@dataclass(frozen=True)
class RebuildReport:
    """What ``rebuild`` did: passages in the recreated keyword index and vector store, the sentence vectors
    it encoded for passages stored without them, and the interrupted ingests it finished."""

    passages: int
    filled: sentence_vectors.FillProgress
    resumed: list[str]

    def lines(self) -> list[str]:
        filled = (
            f"Encoded the sentence vectors of {self.filled.passages_done} passage(s) of "
            f"{self.filled.documents_done} document(s) stored without them."
            if self.filled.passages_done
            else "Every passage already had its sentence vectors."
        )
        finished = [f"Finished {len(self.resumed)} interrupted ingest(s): {', '.join(self.resumed)}."]
        return [
            *(finished if self.resumed else []),
            f"Rebuilt the whoosh index and the vector store with {self.passages} passage(s).",
            filled,
        ]


def rebuild(library: Library, progress: Callable[[sentence_vectors.FillProgress], None] | None = None) -> RebuildReport:
    """Recreate the whoosh index and the vector store from the database, and encode the sentence vectors of
    passages stored without them (by an earlier release), telling ``progress`` as that goes (it takes about
    as long as ingesting those passages again)."""
    with library.store.write("system") as tx:
        store_id = library.vectors.new_store(tx)  # a fresh store: rows of replaced documents are dropped
    resumed = library.resume_pending()  # finishes interrupted ingests and fills the fresh store
    filled = sentence_vectors.fill_missing(library.store, library.embedder, progress=progress)
    db = library.store.read()
    rows = db.query(
        "SELECT chunks.id AS chunk_id, chunks.document_id, documents.title, chunks.text FROM chunks "
        "JOIN documents ON documents.id = chunks.document_id WHERE documents.status = 'indexed' ORDER BY chunks.id"
    )
    count = library.lexical.recreate(rows)
    library.vectors.files.remove_others(store_id)
    return RebuildReport(count, filled, resumed)


def recreate_missing_indexes(library: Library) -> bool:
    """A workspace restored from a backup (which holds the database and the originals, not the derived
    indexes) has passages but no keyword index: rebuild both indexes from the database. True if it did."""
    if library.lexical.exists() or not library.store.read().execute("SELECT 1 FROM chunks LIMIT 1").fetchone():
        return False
    rebuild(library)
    return True


def stats(store: Store) -> dict:
    db = store.read()
    by_status = {r["status"]: r["n"] for r in db.query("SELECT status, count(*) AS n FROM documents GROUP BY status")}
    by_kind = {r["kind"]: r["n"] for r in db.query("SELECT kind, count(*) AS n FROM documents GROUP BY kind")}
    return {
        "documents": sum(by_status.values()),
        "by_status": by_status,
        "by_kind": by_kind,
        "chunks": db["chunks"].count,
        "words": sum(len(r["text"].split()) for r in db.query("SELECT text FROM chunks")),
    }
