"""Library benchmark: ingest throughput against raw encode, search latency at 10k and 100k chunks, peak memory.

    .venv/bin/python benchmarks/bench_library.py [--sizes 10000 100000] [--queries 40] [--device cpu|cuda]

Ingest: the five real seed documents (../shared/corpus/seeds) into a fresh workspace, with the
model already loaded; raw encode: the same chunks through model.encode in the same run.

Search: a corpus of N chunks made by varying the real seed chunks (sentences shuffled and a
variant tag added, so whoosh sees distinct texts). Encoding 100k chunks on a 2-core CPU takes
over 20 minutes, so by default a variant's vector is its source chunk's vector plus small
Gaussian noise, renormalised (``--encode-variants`` encodes them all for real). Latency does not
depend on the vectors' values, only on their number. Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.accounts import Viewer  # noqa: E402
from core.db import utc_now  # noqa: E402
from core.schema import open_store  # noqa: E402
from indexing.chunking import chunk  # noqa: E402
from indexing.embeddings import Embedder, to_blob  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.library import Library  # noqa: E402
from indexing.search import search  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
BENCH = Viewer("bench", "coordinator", "Benchmark")
QUERIES = [
    "support for victims of forced marriage",
    "how do agencies share information about high risk victims",
    "perpetrator programmes",
    "female genital mutilation training for schools",
    "stalking and harassment",
    "refuge spaces and housing for women fleeing abuse",
    "what does the MARAC do",
    "young people in abusive relationships",
    "economic abuse and money",
    "older victims",
    "independent domestic violence advisers",
    "sexual violence services",
    "how many incidents were reported to the police",
    "training for GPs and health staff",
    "honour based violence",
    "children affected by domestic abuse",
    "substance misuse and mental health",
    "funding for specialist services",
    "awareness raising campaigns",
    "what are the priorities of the strategy",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed_chunks() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for c in chunk(extract(path.read_bytes(), path.name)):
            found.append((path.name, c.text))
    return found


def measure_ingest(embedder: Embedder, chunks: list[tuple[str, str]]) -> dict:
    texts = [t for _, t in chunks]
    embedder.encode(texts[:32])  # warm up
    start = time.perf_counter()
    embedder.encode(texts)
    raw = len(texts) / (time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as directory:
        store = open_store(Path(directory) / "dhr.sqlite")
        library = Library(store, embedder)
        start = time.perf_counter()
        results = library.ingest_paths([SEEDS], viewer=BENCH, kind="strategy", access="public")
        elapsed = time.perf_counter() - start
        count = sum(r.chunks for r in results)
        store.close()
    pipeline = count / elapsed
    return {
        "chunks": count,
        "raw_encode_chunks_per_s": raw,
        "pipeline_chunks_per_s": pipeline,
        "pipeline_share_of_raw": pipeline / raw,
    }


def variant(text: str, rng: random.Random, tag: int) -> str:
    sentences = [s for s in text.replace("\n", " ").split(". ") if s]
    rng.shuffle(sentences)
    return ". ".join(sentences) + f" (variant {tag})"


def build_corpus(
    directory: Path, size: int, embedder: Embedder, base: list[tuple[str, str]], encode_all: bool
) -> Library:
    store = open_store(directory / "dhr.sqlite")
    library = Library(store, embedder)
    rng = random.Random(size)
    base_vectors = embedder.encode([t for _, t in base])
    per_document = 500
    with store.write("bench") as tx:
        rows, document_id = [], None
        texts = [variant(base[i % len(base)][1], rng, i) for i in range(size)]
        if encode_all:
            vectors = embedder.encode(texts)
        else:
            noise = np.random.default_rng(size).normal(0, 0.02, (size, base_vectors.shape[1])).astype(np.float32)
            vectors = base_vectors[np.arange(size) % len(base)] + noise
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for i, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
            if i % per_document == 0:
                document_id = tx.insert(
                    "documents",
                    {
                        "title": f"Benchmark document {i // per_document}",
                        "kind": "strategy",
                        "access": "public",
                        "source_name": f"bench-{i // per_document}.txt",
                        "sha256": f"{size}-{i}",
                        "size_bytes": 0,
                        "status": "indexed",
                        "added_by": "bench",
                        "added_at": utc_now(),
                        "csp": "",
                        "year": 2020,
                    },
                )
            rows.append(
                {
                    "document_id": document_id,
                    "ordinal": i % per_document,
                    "text": text,
                    "page": None,
                    "heading": "",
                    "char_start": 0,
                    "char_end": len(text),
                    "embedding": to_blob(vector),
                }
            )
        tx.db["chunks"].insert_all(rows, batch_size=2000)
    library.rebuild()
    return library


def measure_search(library: Library, queries: list[str]) -> dict:
    viewer = Viewer("bench", "partner")
    library.matrix()  # load the cached matrix, as a running app has it
    figures = {}
    for mode in ("bm25", "dense", "hybrid"):
        search(library, viewer, queries[0], mode=mode)  # warm up
        timings = []
        for query in queries:
            start = time.perf_counter()
            search(library, viewer, query, mode=mode, limit=10)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        figures[mode] = {"p50_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))]}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--encode-variants", action="store_true", help="encode every benchmark chunk for real")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()

    embedder = Embedder(device=args.device)
    start = time.perf_counter()
    embedder.encode(["load the model"])
    load_s = time.perf_counter() - start
    base = seed_chunks()
    results = {"device": args.device, "model_load_s": load_s, "ingest": measure_ingest(embedder, base), "search": {}}
    queries = (QUERIES * (args.queries // len(QUERIES) + 1))[: args.queries]
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as directory:
            start = time.perf_counter()
            library = build_corpus(Path(directory), size, embedder, base, args.encode_variants)
            build_s = time.perf_counter() - start
            results["search"][str(size)] = {"build_s": build_s, **measure_search(library, queries)}
            library.store.close()
    results["peak_rss_mb"] = peak_rss_mb()

    ingest = results["ingest"]
    print(f"device {args.device}; model load {load_s:.1f} s; peak memory {results['peak_rss_mb']:.0f} MB")
    print(
        f"ingest: {ingest['chunks']} chunks; raw encode {ingest['raw_encode_chunks_per_s']:.1f} chunks/s; "
        f"pipeline {ingest['pipeline_chunks_per_s']:.1f} chunks/s ({ingest['pipeline_share_of_raw']:.0%} of raw)"
    )
    print(f"{'chunks':>8} {'mode':<7} {'p50 ms':>8} {'p95 ms':>8}")
    for size, figures in results["search"].items():
        for mode in ("bm25", "dense", "hybrid"):
            print(f"{size:>8} {mode:<7} {figures[mode]['p50_ms']:>8.1f} {figures[mode]['p95_ms']:>8.1f}")
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
