"""The vector store: every passage's embedding as a float16 row of one file, memory-mapped.

SQLite stays the truth (each chunk keeps its float32 vector); this is a derived cache that grows by
appending and is never rebuilt on a change. A store is two files named by its id, recorded in the
``settings`` table as ``vector_store``: ``<id>.f16`` (DIMENSIONS float16 per row) and ``<id>.ids``
(the row's chunk id, int64). Each document records the rows that are its current passages
(``documents.vector_start`` and ``vector_end``), written in the same transaction as its chunks, so:

- a re-ingested document's old rows, a deleted document's rows, and rows appended by a transaction
  that then failed belong to no document and are never searched (``rebuild`` drops them);
- rows are never rewritten, so a reader never sees a half-written one;
- every session of a process shares one mapping per file, and every process on the machine shares the
  operating system's one cached copy of it; a process maps again only when the file has grown.

Scores are computed by torch (already loaded to encode the question) in float16: one pass over one
million rows takes tens of milliseconds on two cores, where numpy has no float16 matrix product.
"""

from __future__ import annotations

import os
import secrets
import threading
import warnings
from pathlib import Path

import numpy as np

from indexing.embeddings import DIMENSIONS

ROW_BYTES = DIMENSIONS * 2
_mapped: dict[str, tuple[int, np.ndarray, object]] = {}  # file -> (rows, chunk ids, float16 tensor)
_mapped_lock = threading.Lock()


class VectorStore:
    """The files of a workspace's vector stores (``<data>/vectors``)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _files(self, store_id: str) -> tuple[Path, Path]:
        return self.directory / f"{store_id}.f16", self.directory / f"{store_id}.ids"

    def exists(self, store_id: str | None) -> bool:
        return bool(store_id) and all(path.exists() for path in self._files(store_id))

    def create(self) -> str:
        """A new, empty store; the files of earlier stores are removed once nothing points at them."""
        self.directory.mkdir(parents=True, exist_ok=True)
        store_id = secrets.token_hex(8)
        for path in self._files(store_id):
            path.touch()
        return store_id

    def remove_others(self, keep: str) -> None:
        for path in self.directory.glob("*"):
            if path.suffix in (".f16", ".ids") and path.stem != keep:
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # still mapped by a process on a system that forbids this: removed next time
                    pass

    def rows(self, store_id: str) -> int:
        """Whole rows present in both files (a write cut short leaves a partial row, ignored)."""
        vectors, ids = self._files(store_id)
        return min(vectors.stat().st_size // ROW_BYTES, ids.stat().st_size // 8)

    def append(self, store_id: str, chunk_ids: list[int], vectors: np.ndarray) -> tuple[int, int]:
        """Add rows at the end; returns their (start, end). Call under the workspace's write lock."""
        start = self.rows(store_id)
        vector_file, id_file = self._files(store_id)
        with open(vector_file, "r+b") as vector_out, open(id_file, "r+b") as id_out:
            vector_out.truncate(start * ROW_BYTES)  # drop what an interrupted append left
            id_out.truncate(start * 8)
            vector_out.seek(0, os.SEEK_END)
            id_out.seek(0, os.SEEK_END)
            vector_out.write(np.ascontiguousarray(vectors, dtype=np.float16).tobytes())
            id_out.write(np.asarray(chunk_ids, dtype=np.int64).tobytes())
            vector_out.flush()
            id_out.flush()
            os.fsync(vector_out.fileno())
            os.fsync(id_out.fileno())
        return start, start + len(chunk_ids)

    def chunk_ids(self, store_id: str, rows: int) -> np.ndarray:
        """The chunk id of each of the first ``rows`` rows, mapped read-only."""
        if not rows:
            return np.zeros(0, dtype=np.int64)
        return np.memmap(self._files(store_id)[1], dtype=np.int64, mode="r", shape=(rows,))

    def mapped(self, store_id: str) -> tuple[np.ndarray, object]:
        """(chunk ids, float16 torch tensor of the vectors) over the whole file, mapped read-only and
        shared by every caller in this process until the file grows."""
        import torch

        rows = self.rows(store_id)
        vector_file = self._files(store_id)[0]
        key = str(vector_file)
        with _mapped_lock:
            cached = _mapped.get(key)
            if cached is None or cached[0] != rows:
                ids = self.chunk_ids(store_id, rows)
                if not rows:
                    matrix = torch.zeros((0, DIMENSIONS), dtype=torch.float16)
                else:
                    vectors = np.memmap(vector_file, dtype=np.float16, mode="r", shape=(rows, DIMENSIONS))
                    with warnings.catch_warnings():  # read-only by design: torch only reads it
                        warnings.simplefilter("ignore", UserWarning)
                        matrix = torch.from_numpy(vectors)
                cached = _mapped[key] = (rows, ids, matrix)
            return cached[1], cached[2]


def top_rows(matrix, vector: np.ndarray, mask: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """(row, score) of the ``limit`` best rows where ``mask`` is true, best first."""
    import torch

    if not limit or not len(mask):
        return []
    query = torch.from_numpy(np.asarray(vector, dtype=np.float32)).to(torch.float16)
    scores = (matrix @ query).float()
    scores = torch.where(torch.from_numpy(mask), scores, torch.tensor(float("-inf")))
    best = torch.topk(scores, min(limit, int(mask.sum())))
    return [(int(row), float(score)) for row, score in zip(best.indices, best.values, strict=True)]
