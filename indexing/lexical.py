"""The whoosh (BM25F) index: a derived cache of the chunks table, rebuilt from SQLite at will.

One writer at a time: a process-wide lock around ``writer(timeout=...)``; no AsyncWriter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import Or, Term
from whoosh.scoring import BM25F

WRITER_TIMEOUT_S = 60
RELATED_WEIGHT = 0.5  # a synonym from the thesaurus counts half as much as the question's own words
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def schema() -> Schema:
    return Schema(
        chunk_id=ID(stored=True, unique=True),
        document_id=ID(stored=True),
        title=TEXT(analyzer=StemmingAnalyzer(), field_boost=1.5),
        text=TEXT(analyzer=StemmingAnalyzer()),
    )


class LexicalIndex:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        with _locks_guard:
            self._lock = _locks.setdefault(str(self.directory), threading.Lock())

    def _open(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(str(self.directory)):
            return whoosh_index.open_dir(str(self.directory))
        return whoosh_index.create_in(str(self.directory), schema())

    def replace_document(self, document_id: int, rows: Iterable[dict]) -> None:
        """Remove a document's chunks and add ``rows`` (chunk_id, title, text), in one commit."""
        with self._lock:
            writer = self._open().writer(timeout=WRITER_TIMEOUT_S)
            try:
                writer.delete_by_term("document_id", str(document_id))
                for row in rows:
                    writer.add_document(
                        chunk_id=str(row["chunk_id"]),
                        document_id=str(document_id),
                        title=row["title"],
                        text=row["text"],
                    )
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def delete_document(self, document_id: int) -> None:
        self.replace_document(document_id, [])

    def recreate(self, rows: Iterable[dict]) -> int:
        """Drop everything and index ``rows`` (chunk_id, document_id, title, text). Returns the count."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            ix = whoosh_index.create_in(str(self.directory), schema())
            writer = ix.writer(timeout=WRITER_TIMEOUT_S)
            count = 0
            for row in rows:
                writer.add_document(
                    chunk_id=str(row["chunk_id"]),
                    document_id=str(row["document_id"]),
                    title=row["title"],
                    text=row["text"],
                )
                count += 1
            writer.commit()
            return count

    def chunk_ids_by_document(self) -> dict[int, set[int]]:
        if not whoosh_index.exists_in(str(self.directory)):
            return {}
        found: dict[int, set[int]] = {}
        with self._open().searcher() as searcher:
            for fields in searcher.all_stored_fields():
                found.setdefault(int(fields["document_id"]), set()).add(int(fields["chunk_id"]))
        return found

    def search(
        self,
        query: str,
        allowed_documents: set[int],
        hidden_documents: set[int],
        limit: int,
        related: list[str] = (),
    ) -> list[tuple[int, float]]:
        """(chunk_id, BM25F score) best first, only from ``allowed_documents``. ``related`` terms (the
        thesaurus's synonyms of the query's terms) are searched as phrases alongside it, at a lower weight.

        ``hidden_documents`` are the other indexed documents. Whichever set is smaller becomes the
        whoosh filter (or mask), so the usual case, where a viewer may read nearly everything, stays fast.
        """
        if not allowed_documents or not whoosh_index.exists_in(str(self.directory)):
            return []
        ix = self._open()
        parser = MultifieldParser(["title", "text"], schema=ix.schema, group=OrGroup.factory(0.9))
        phrases = " ".join(f'"{term.replace(chr(34), "")}"^{RELATED_WEIGHT}' for term in related)
        parsed = parser.parse(f"({query}) {phrases}" if related else query)
        restriction = {}
        if hidden_documents and len(hidden_documents) < len(allowed_documents):
            restriction["mask"] = Or([Term("document_id", str(d)) for d in sorted(hidden_documents)])
        elif hidden_documents:
            restriction["filter"] = Or([Term("document_id", str(d)) for d in sorted(allowed_documents)])
        with ix.searcher(weighting=BM25F()) as searcher:
            # optimize=False: whoosh's block-quality skipping can loop forever on a union with phrases (seen here)
            results = searcher.search(parsed, limit=limit, optimize=False, **restriction)
            return [
                (int(hit["chunk_id"]), float(hit.score))
                for hit in results
                if int(hit["document_id"]) in allowed_documents  # belt and braces: never trust the index alone
            ]
