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
from whoosh.query import Or, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.util.filelock import try_for

from core.errors import Busy

WRITER_TIMEOUT_S = 60
COMMON_SHARE = 0.2  # a word in more than this share of passages is left out of a keyword search...
PRUNE_FROM = 20_000  # ...of a library of at least this many passages
RELATED_WEIGHT = 0.5  # a synonym from the thesaurus counts half as much as the question's own words
_locks: dict[str, threading.Lock] = {}
_searchers: dict[str, object] = {}  # index directory -> the searcher every session of this process shares
_locks_guard = threading.Lock()


def schema() -> Schema:
    return Schema(
        chunk_id=ID(stored=True, unique=True),
        document_id=ID(stored=True),
        title=TEXT(analyzer=StemmingAnalyzer(), field_boost=1.5),
        text=TEXT(analyzer=StemmingAnalyzer()),
    )


INDEX_BUSY = (
    "The library's search index is being updated by another program (an ingest or a rebuild) and stayed "
    "locked for {seconds} seconds; nothing was changed in the index. Try again in a minute."
)


def _writer(ix):
    """The index's one writer, or Busy in words when another program holds its lock past the timeout."""
    try:
        return ix.writer(timeout=WRITER_TIMEOUT_S)
    except whoosh_index.LockError:
        raise Busy(INDEX_BUSY.format(seconds=WRITER_TIMEOUT_S)) from None


class LexicalIndex:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        with _locks_guard:
            self._lock = _locks.setdefault(str(self.directory), threading.Lock())
            self._search_lock = _locks.setdefault(f"{self.directory} search", threading.Lock())

    def exists(self) -> bool:
        """Whether the index is on disk (a workspace restored from a backup has none until rebuilt)."""
        return whoosh_index.exists_in(str(self.directory))

    def _open(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(str(self.directory)):
            return whoosh_index.open_dir(str(self.directory))
        return whoosh_index.create_in(str(self.directory), schema())

    def replace_document(self, document_id: int, rows: Iterable[dict]) -> None:
        """Remove a document's chunks and add ``rows`` (chunk_id, title, text), in one commit."""
        with self._lock:
            writer = _writer(self._open())
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
        """Drop everything and index ``rows`` (chunk_id, document_id, title, text). Returns the count.
        The index's write lock is taken first: while another program writes, nothing is touched (Busy)."""
        with self._lock:
            held = self._open().lock("WRITELOCK")  # the lock every writer of this index takes
            if not try_for(held.acquire, timeout=WRITER_TIMEOUT_S):
                raise Busy(INDEX_BUSY.format(seconds=WRITER_TIMEOUT_S))
            try:
                writer = whoosh_index.create_in(str(self.directory), schema()).writer(_lk=False)  # lock held above
                count = 0
                try:
                    for row in rows:
                        writer.add_document(
                            chunk_id=str(row["chunk_id"]),
                            document_id=str(row["document_id"]),
                            title=row["title"],
                            text=row["text"],
                        )
                        count += 1
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
                self._forget_searcher()
                return count
            finally:
                held.release()

    def _forget_searcher(self) -> None:
        """Close the process's searcher of this index: after ``recreate`` its readers hold the old segments,
        and whoosh's refresh of it (the new index starts again at a lower generation) answered each passage
        twice, old and new, with scores of both; the next search opens a fresh one."""
        with self._search_lock:
            searcher = _searchers.pop(str(self.directory), None)
            if searcher is not None:
                searcher.close()

    def chunk_ids_by_document(self) -> dict[int, set[int]]:
        if not whoosh_index.exists_in(str(self.directory)):
            return {}
        found: dict[int, set[int]] = {}
        with self._open().searcher() as searcher:
            for fields in searcher.all_stored_fields():
                found.setdefault(int(fields["document_id"]), set()).add(int(fields["chunk_id"]))
        return found

    def _searcher(self):
        """The process's one searcher of this index, reopened only when the index has changed."""
        searcher = _searchers.get(str(self.directory))
        if searcher is None:
            searcher = self._open().searcher(weighting=BM25F())
        elif not searcher.up_to_date():
            searcher = searcher.refresh()
        _searchers[str(self.directory)] = searcher
        return searcher

    def common_words(self, words: list[str]) -> set[str]:
        """Those of ``words`` that more than COMMON_SHARE of the passages use (or that are stop words)."""
        if not whoosh_index.exists_in(str(self.directory)):
            return set()
        with self._search_lock:
            searcher = self._searcher()
            common = COMMON_SHARE * searcher.doc_count()
            return {w for w in words if not _stem(w) or searcher.doc_frequency("text", _stem(w)) > common}

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
        with self._search_lock:  # one searcher per index in a process, used by one search at a time
            searcher = self._searcher()
            parser = MultifieldParser(["title", "text"], schema=searcher.schema, group=OrGroup.factory(0.9))
            phrases = " ".join(f'"{term.replace(chr(34), "")}"^{RELATED_WEIGHT}' for term in related)
            parsed = _without_common_words(searcher, parser.parse(f"({query}) {phrases}" if related else query))
            restriction = {}
            if hidden_documents and len(hidden_documents) < len(allowed_documents):
                restriction["mask"] = Or([Term("document_id", str(d)) for d in sorted(hidden_documents)])
            elif hidden_documents:
                restriction["filter"] = Or([Term("document_id", str(d)) for d in sorted(allowed_documents)])
            # optimize=False: whoosh's block-quality skipping can loop forever on a union with phrases (seen here)
            results = searcher.search(parsed, limit=limit, optimize=False, **restriction)
            return [
                (int(hit["chunk_id"]), float(hit.score))
                for hit in results
                if int(hit["document_id"]) in allowed_documents  # belt and braces: never trust the index alone
            ]


def _stem(word: str) -> str:
    return next((token.text for token in StemmingAnalyzer()(word)), "")


def _without_common_words(searcher, parsed: Query) -> Query:
    """The query less its single words that more than COMMON_SHARE of all passages use ("domestic",
    "abuse" in a library about domestic abuse): they barely change a BM25 ranking but are most of its
    cost. Phrases stay, and if every word is common the query stays as asked. Only in a library of
    PRUNE_FROM passages or more: below that every word is cheap, and on the labelled questions leaving
    them out cost 0.05 of recall@10 (benchmarks/search_quality.py)."""
    if not isinstance(parsed, Or) or searcher.doc_count() < PRUNE_FROM:
        return parsed
    common = COMMON_SHARE * searcher.doc_count()

    def is_common(part: Query) -> bool:
        words = [text for _, text in part.iter_all_terms()]  # a title term too: judged by the passages
        has_phrase = isinstance(part, Phrase) or any(isinstance(q, Phrase) for q in part.leaves())
        return not has_phrase and bool(words) and all(searcher.doc_frequency("text", w) > common for w in words)

    kept = [part for part in parsed.subqueries if not is_common(part)]
    return Or(kept) if kept else parsed
