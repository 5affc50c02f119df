"""Each passage's sentence vectors: encoded when the passage is, stored beside it, read by search to re-rank
its best candidates by the sentence that answers the question.

A passage is about 150 words; a question is usually answered by one sentence of it, whose meaning the
passage's single vector dilutes with everything around it. So each passage keeps one vector per sentence
(a sentence shorter than ``MIN_UNIT_WORDS`` words joins the next: headings, "1.", "Page 4" mean little alone)
as float16 rows of one BLOB (``passage_sentences``). They cost an encode at ingest, never at search: a
search reads the vectors of its best few candidates (``indexing.search.Rerank``: tens of kilobytes) and
takes, for each, its best sentence's similarity to the question.

A passage stored by an earlier release has none until ``fill_missing`` encodes them (``python -m indexing
rebuild``); until then search ranks as it did without them (or, where only some candidates have them, uses
the others' own passage vectors in their place), so it never breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from core.db import Store, Transaction
from indexing.embeddings import DIMENSIONS, Embedder
from indexing.reading.sentences import sentences, without_table_rules

MIN_UNIT_WORDS = 8
FILL_BATCH = 64  # passages encoded and stored per write unit when filling an earlier release's workspace: a
# few seconds' encoding on a 2-core machine, so its progress is told every few seconds


def sentence_units(text: str) -> list[str]:
    """The passage's sentences, each short one joined to the next (a short last one to the one before)."""
    text = without_table_rules(text)  # a table's separator row joins no sentence
    units: list[str] = []
    start: int | None = None
    for sentence in sentences(text):
        start = sentence.start if start is None else start
        if len(text[start : sentence.end].split()) >= MIN_UNIT_WORDS:
            units.append(text[start : sentence.end])
            start = None
    if start is not None:
        if units:
            units[-1] = f"{units[-1]} {text[start:]}"
        else:
            units.append(text[start:])
    return [" ".join(unit.split()) for unit in units]


def encode_passages(embedder: Embedder, texts: list[str]) -> list[bytes]:
    """One float16 BLOB of sentence vectors per passage, all the passages' sentences encoded in one batch."""
    units = [sentence_units(text) for text in texts]
    vectors = embedder.encode([unit for found in units for unit in found]).astype(np.float16)
    blobs, row = [], 0
    for found in units:
        blobs.append(vectors[row : row + len(found)].tobytes())
        row += len(found)
    return blobs


def save(tx: Transaction, chunk_ids: list[int], blobs: list[bytes]) -> None:
    """Store passages' sentence vectors (derived data, like the vector store: written, not audited)."""
    tx.db.conn.executemany(
        "INSERT OR REPLACE INTO passage_sentences (chunk_id, vectors) VALUES (?, ?)",
        list(zip(chunk_ids, blobs, strict=True)),
    )


def best_sentence(store: Store, chunk_ids: list[int], question: np.ndarray) -> dict[int, float]:
    """Each passage's best sentence's cosine with the (unit) question vector; a passage without sentence
    vectors (stored by an earlier release, not yet filled) scores by its own search vector, and when none of
    them has any the answer is empty (search then ranks as it did before sentence vectors)."""
    if not chunk_ids:
        return {}
    found = (
        store.read()
        .execute(
            "SELECT chunks.id, passage_sentences.vectors, CASE WHEN passage_sentences.vectors IS NULL "
            "THEN coalesce(chunks.search_embedding, chunks.embedding) END "  # a passage vector only where needed
            "FROM chunks LEFT JOIN passage_sentences ON passage_sentences.chunk_id = chunks.id "
            f"WHERE chunks.id IN ({', '.join('?' * len(chunk_ids))})",
            chunk_ids,
        )
        .fetchall()
    )
    if not any(blob for _, blob, _ in found):
        return {}
    question = np.asarray(question, dtype=np.float32)
    best = {}
    for chunk_id, blob, passage in found:
        if blob:
            rows = np.frombuffer(blob, dtype=np.float16).reshape(-1, DIMENSIONS).astype(np.float32)
        else:
            rows = np.frombuffer(passage, dtype=np.float32).reshape(1, DIMENSIONS)
        best[chunk_id] = float((rows @ question).max())
    return best


def missing(store: Store) -> list[int]:
    """Indexed passages without sentence vectors (stored by an earlier release)."""
    return [chunk_id for chunk_ids in _missing_by_document(store).values() for chunk_id in chunk_ids]


def _missing_by_document(store: Store) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for chunk_id, document_id in store.read().execute(
        "SELECT chunks.id, chunks.document_id FROM chunks JOIN documents ON documents.id = chunks.document_id "
        "WHERE documents.status = 'indexed' "
        "AND NOT EXISTS (SELECT 1 FROM passage_sentences WHERE passage_sentences.chunk_id = chunks.id) "
        "ORDER BY chunks.document_id, chunks.id"
    ):
        found.setdefault(document_id, []).append(chunk_id)
    return found


@dataclass(frozen=True)
class FillProgress:
    """How far ``fill_missing`` has come: documents whose passages all have their sentence vectors now, and
    passages encoded, each of those that lacked them when it began."""

    documents_done: int
    documents: int
    passages_done: int
    passages: int


def fill_missing(
    store: Store, embedder: Embedder, actor: str = "system", progress: Callable[[FillProgress], None] | None = None
) -> FillProgress:
    """Encode and store the sentence vectors of every passage that lacks them, document by document, at most
    ``FILL_BATCH`` passages per write unit (an interrupted fill keeps what it stored and the next one goes
    on). ``progress`` is told before the first batch and after each one; returns what was filled."""
    todo = _missing_by_document(store)
    done = FillProgress(0, len(todo), 0, sum(len(chunk_ids) for chunk_ids in todo.values()))
    if progress and todo:
        progress(done)
    for chunk_ids in todo.values():
        for first in range(0, len(chunk_ids), FILL_BATCH):
            batch = chunk_ids[first : first + FILL_BATCH]
            _fill(store, embedder, actor, batch)
            finished = first + FILL_BATCH >= len(chunk_ids)
            done = replace(
                done, documents_done=done.documents_done + finished, passages_done=done.passages_done + len(batch)
            )
            if progress:
                progress(done)
    return done


def _fill(store: Store, embedder: Embedder, actor: str, batch: list[int]) -> None:
    texts = dict(
        store.read().execute(f"SELECT id, text FROM chunks WHERE id IN ({', '.join('?' * len(batch))})", batch)
    )
    present = [chunk_id for chunk_id in batch if chunk_id in texts]  # a document replaced meanwhile: gone
    blobs = encode_passages(embedder, [texts[chunk_id] for chunk_id in present])
    with store.write(actor) as tx:
        still = {
            row[0]
            for row in tx.db.execute(f"SELECT id FROM chunks WHERE id IN ({', '.join('?' * len(present))})", present)
        }
        kept = [(chunk_id, blob) for chunk_id, blob in zip(present, blobs, strict=True) if chunk_id in still]
        save(tx, [chunk_id for chunk_id, _ in kept], [blob for _, blob in kept])
