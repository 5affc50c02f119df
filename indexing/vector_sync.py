"""The library's memory-mapped vector store (indexing/vectors.py) kept in step with SQLite, which holds every
passage's vector: appended in a document's write transaction, filled where it lacks a document, checked by
``verify``; and the passages' own vectors read from SQLite for whole-library analysis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sqlite_utils

from core.db import Store, Transaction
from indexing.embeddings import DIMENSIONS, from_blob
from indexing.vectors import VectorStore

FILL_VECTORS = " (the app fills it when it starts; or run python -m indexing rebuild)"


class VectorSync:
    """A workspace's vector store files and the rows each document points at."""

    def __init__(self, store: Store, directory: Path):
        self.store = store
        self.files = VectorStore(directory)
        self._spans: tuple[tuple, dict[int, tuple[int, int]]] | None = None

    def store_id(self, db: sqlite_utils.Database) -> str | None:
        rows = list(db["settings"].rows_where("key = 'vector_store'"))
        return rows[0]["value"] if rows else None

    def new_store(self, tx: Transaction) -> str:
        """Start an empty store: every document's rows are to be written again (``sync``)."""
        store_id = self.files.create()
        tx.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('vector_store', ?)", [store_id])
        tx.db.execute("UPDATE documents SET vector_start = NULL, vector_end = NULL")
        return store_id

    def append(self, tx: Transaction, document_id: int, chunk_ids: list[int], vectors: np.ndarray) -> None:
        """Append a document's vectors and point the document at them, inside its write transaction
        (the derived columns are written directly: they are a cache, not a change anyone made)."""
        store_id = self.store_id(tx.db)
        if not self.files.exists(store_id):
            store_id = self.new_store(tx)
        start, end = self.files.append(store_id, chunk_ids, vectors)
        tx.db.execute("UPDATE documents SET vector_start = ?, vector_end = ? WHERE id = ?", [start, end, document_id])

    def unsynced(self, db: sqlite_utils.Database, store_id: str | None) -> list[int]:
        """Documents with passages whose rows are not in the store."""
        rows = self.files.rows(store_id) if self.files.exists(store_id) else -1
        return [
            row[0]
            for row in db.execute(
                "SELECT id FROM documents WHERE status IN ('indexed', 'pending') "
                "AND (vector_end IS NULL OR vector_end > ?) ORDER BY id",
                [rows],
            )
        ]

    def sync(self, actor: str = "system") -> int:
        """Write the rows of every document the store lacks, from the vectors SQLite keeps; returns how
        many documents. Each is its own transaction and is checked again inside it, so two processes
        doing this at once do not write a document twice."""
        db = self.store.read()
        if not self.files.exists(self.store_id(db)):
            with self.store.write(actor) as tx:
                if not self.files.exists(self.store_id(tx.db)):
                    self.new_store(tx)
        done = 0
        for document_id in self.unsynced(self.store.read(), self.store_id(self.store.read())):
            with self.store.write(actor) as tx:
                if document_id not in self.unsynced(tx.db, self.store_id(tx.db)):
                    continue
                found = list(  # a passage stored by an earlier release has no vector in context: its own then
                    tx.db.execute(
                        "SELECT id, coalesce(search_embedding, embedding) FROM chunks "
                        "WHERE document_id = ? ORDER BY id",
                        [document_id],
                    )
                )
                if not found:
                    continue
                vectors = np.vstack([from_blob(embedding) for _, embedding in found])
                self.append(tx, document_id, [chunk_id for chunk_id, _ in found], vectors)
                done += 1
        self._spans = None
        return done

    def view(self) -> tuple[np.ndarray, object, dict[int, tuple[int, int]]]:
        """(chunk id per row, the float16 vectors as a torch tensor, {document id: (first row, end row)})
        of the indexed documents: the mapping is shared by every session, the spans cached until the
        library changes."""
        db = self.store.read()
        settings = dict(db.execute("SELECT key, value FROM settings WHERE key IN ('library_version', 'vector_store')"))
        store_id = settings.get("vector_store")
        if not self.files.exists(store_id):
            self.sync()
            return self.view()
        ids, matrix = self.files.mapped(store_id)
        key = (settings.get("library_version"), store_id, len(ids))
        if self._spans is None or self._spans[0] != key:  # checked once per change, not per search
            if self.unsynced(db, store_id):
                self.sync()
                return self.view()
            spans = {
                document_id: (start, end)
                for document_id, start, end in db.execute(
                    "SELECT id, vector_start, vector_end FROM documents WHERE status = 'indexed'"
                )
            }
            self._spans = (key, spans)
        return ids, matrix, self._spans[1]

    def problems(self, db: sqlite_utils.Database, documents: dict, expected: dict[int, set[int]]) -> list[str]:
        """Indexed documents whose rows in the vector store are missing or are not their passages."""
        store_id = self.store_id(db)
        if not self.files.exists(store_id):
            return (
                ["the vector store is missing" + FILL_VECTORS]
                if any(d["status"] == "indexed" for d in documents.values())
                else []
            )
        rows = self.files.rows(store_id)
        ids = self.files.chunk_ids(store_id, rows)
        problems = []
        for document_id, document in documents.items():
            if document["status"] != "indexed":
                continue
            start, end = document["vector_start"], document["vector_end"]
            if end is None or end > rows:
                problems.append(
                    f"{document['source_name']}: its passages are missing from the vector store" + FILL_VECTORS
                )
            elif set(ids[start:end].tolist()) != expected.get(document_id, set()):
                problems.append(f"{document['source_name']}: the vector store holds other passages than its own")
        return problems


def passage_matrix(store: Store) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(chunk ids, their document ids, the passages' own unit vectors, not in context) of the indexed
    documents, read from SQLite: for whole-library analysis (emerging themes), not for search."""
    found = store.read().execute(
        "SELECT chunks.id, chunks.document_id, chunks.embedding FROM chunks "
        "JOIN documents ON documents.id = chunks.document_id "
        "WHERE documents.status = 'indexed' ORDER BY chunks.id"
    )
    ids, document_ids, vectors = [], [], []
    for chunk_id, document_id, embedding in found:
        ids.append(chunk_id)
        document_ids.append(document_id)
        vectors.append(from_blob(embedding))
    return (
        np.array(ids, dtype=np.int64),
        np.array(document_ids, dtype=np.int64),
        np.vstack(vectors) if vectors else np.zeros((0, DIMENSIONS), np.float32),
    )
