"""Library benchmark, one run: search quality, ingest throughput, and search at scale.

    .venv/bin/python benchmarks/bench_library.py [--sizes 10000 100000 1000000] [--queries 40] [--device cpu|cuda]
        [--no-quality]

Quality: recall@10 and MRR per mode on the labelled questions (benchmarks/search_quality.py), tuned
and held-out apart. Ingest: the five real seed documents into a fresh workspace, with the model
already loaded, against raw encode of the same passages in the same run (an ingest encodes each
passage twice: alone, for themes, and in its title and heading, for search; and its sentences once, for
the re-rank), and the time of the sentences' encode alone, its share of the ingest.

Scale: a workspace of N passages made by varying the real seed passages (sentences shuffled, a
variant tag added), 500 passages a document. Encoding a million passages on a 2-core CPU would take
days, so a variant's vector is its source passage's vector plus small noise, renormalised: latency
depends on the number of vectors, not their values. Each size is then served by a fresh process, as
the app would be: it loads the model, maps the vector store (load time: until the first dense search
has answered), runs the queries per mode (and hybrid without the sentence re-rank, to show its cost), and
reports its own peak memory. A variant's sentence vectors are its source passage's. Prints a table; writes JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import search_quality  # noqa: E402  (beside this file)

from core.accounts import Viewer  # noqa: E402
from core.db import utc_now  # noqa: E402
from core.schema import open_store  # noqa: E402
from indexing import sentence_vectors  # noqa: E402
from indexing.chunking import chunk  # noqa: E402
from indexing.embeddings import Embedder, to_blob  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.library import Library  # noqa: E402
from indexing.search import Rerank, search  # noqa: E402

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
    start = time.perf_counter()
    sentence_vectors.encode_passages(embedder, texts)
    sentences_s = time.perf_counter() - start
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
        "ingest_s": elapsed,
        "sentence_encode_s": sentences_s,
        "sentence_share_of_ingest": sentences_s / elapsed,
        "raw_encode_chunks_per_s": raw,
        "pipeline_chunks_per_s": pipeline,
        "pipeline_share_of_raw": pipeline / raw,
    }


def variant(text: str, rng: random.Random, tag: int) -> str:
    sentences = [s for s in text.replace("\n", " ").split(". ") if s]
    rng.shuffle(sentences)
    return ". ".join(sentences) + f" (variant {tag})"


PER_DOCUMENT = 500


def build_corpus(
    directory: Path,
    size: int,
    embedder: Embedder,
    base: list[tuple[str, str]],
    *,
    keyword_index: bool = True,
    planted: Sequence[Sequence[str]] = (),
) -> dict:
    """A workspace of ``size`` passages; returns how long each part took to build. Without
    ``keyword_index`` the whoosh index is left unbuilt (the themes benchmark never searches). ``planted``
    documents (each a list of passage texts, encoded as they are, not varied) are among the ``size``."""
    store = open_store(directory / "dhr.sqlite")
    library = Library(store, embedder)
    base_vectors = embedder.encode([t for _, t in base])
    base_sentences = sentence_vectors.encode_passages(embedder, [t for _, t in base])
    planted_texts = [text for document in planted for text in document]
    planted_vectors = embedder.encode(planted_texts) if planted_texts else None
    planted_sentences = sentence_vectors.encode_passages(embedder, planted_texts) if planted_texts else []
    varied = size - len(planted_texts)
    noise = np.random.default_rng(size)
    timings = {}
    start = time.perf_counter()
    with store.write("bench") as tx:
        library.vectors.new_store(tx)
        for first in range(0, varied, PER_DOCUMENT):
            count = min(PER_DOCUMENT, varied - first)
            rng = random.Random(first)
            texts = [variant(base[(first + i) % len(base)][1], rng, first + i) for i in range(count)]
            vectors = base_vectors[(first + np.arange(count)) % len(base)]
            vectors = vectors + noise.normal(0, 0.02, vectors.shape).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            sentences = [base_sentences[(first + i) % len(base)] for i in range(count)]
            _insert_document(tx, library, f"{size}-{first}", first // PER_DOCUMENT, texts, vectors, sentences)
        offset = 0
        for number, texts in enumerate(planted):
            vectors = planted_vectors[offset : offset + len(texts)]
            sentences = planted_sentences[offset : offset + len(texts)]
            _insert_document(tx, library, f"{size}-planted-{number}", f"planted {number}", texts, vectors, sentences)
            offset += len(texts)
        library._bump_version(tx)
    timings["sqlite_and_vectors_s"] = time.perf_counter() - start
    if not keyword_index:
        store.close()
        return timings
    start = time.perf_counter()
    rows = store.read().query(
        "SELECT chunks.id AS chunk_id, chunks.document_id, documents.title, chunks.text FROM chunks "
        "JOIN documents ON documents.id = chunks.document_id ORDER BY chunks.id"
    )
    library.lexical.recreate(rows)
    timings["whoosh_s"] = time.perf_counter() - start
    store.close()
    return timings


def _insert_document(tx, library: Library, sha256: str, name, texts: list[str], vectors: np.ndarray, sentences) -> None:
    """One benchmark document of ``texts`` with their vectors (one vector stands for both; see the docstring)."""
    document_id = tx.insert(
        "documents",
        {
            "title": f"Benchmark document {name}",
            "kind": "strategy",
            "access": "public",
            "source_name": f"bench-{name}.txt".replace(" ", "-"),
            "sha256": sha256,
            "size_bytes": 0,
            "status": "indexed",
            "added_by": "bench",
            "added_at": utc_now(),
            "csp": "",
            "year": 2020,
        },
    )
    tx.db["chunks"].insert_all(
        (
            {
                "document_id": document_id,
                "ordinal": i,
                "text": text,
                "page": None,
                "heading": "",
                "char_start": 0,
                "char_end": len(text),
                "embedding": to_blob(vector),
            }
            for i, (text, vector) in enumerate(zip(texts, vectors, strict=True))
        ),
        batch_size=2000,
    )
    chunk_ids = [r[0] for r in tx.db.execute("SELECT id FROM chunks WHERE document_id = ? ORDER BY id", [document_id])]
    library.vectors.append(tx, document_id, chunk_ids, vectors)
    sentence_vectors.save(tx, chunk_ids, sentences)


def serve(directory: Path, queries: list[str], device: str) -> dict:
    """Run in a fresh process: what a running app does for each search, and what it costs it."""
    store = open_store(directory / "dhr.sqlite")
    library = Library(store, Embedder(device=device))
    viewer = Viewer("bench", "partner")
    start = time.perf_counter()
    library.embedder.encode(["load the model"])
    model_s = time.perf_counter() - start
    start = time.perf_counter()
    search(library, viewer, queries[0], mode="dense")
    load_s = time.perf_counter() - start
    figures: dict = {"model_load_s": model_s, "vector_load_and_first_dense_search_s": load_s}
    for mode, options in (
        ("bm25", {}),
        ("dense", {}),
        ("hybrid", {}),
        ("hybrid without re-rank", {"rerank": Rerank(depth=0)}),
    ):
        mode_name = mode.split()[0]
        search(library, viewer, queries[0], mode=mode_name, **options)  # warm up
        timings = []
        for query in queries:
            start = time.perf_counter()
            search(library, viewer, query, mode=mode_name, limit=10, **options)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        figures[mode] = {"p50_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))]}
    figures["peak_rss_mb"] = peak_rss_mb()
    store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--no-quality", action="store_true", help="leave out quality (search_quality.py prints it)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the serving process of one size
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    queries = (QUERIES * (args.queries // len(QUERIES) + 1))[: args.queries]
    if args.serve:
        print(json.dumps(serve(args.serve, queries, args.device)))
        return

    quality = {}
    if not args.no_quality:
        with tempfile.TemporaryDirectory() as directory:
            library, texts = search_quality.build_library(Path(directory), Embedder(device=args.device))
            quality = {
                split: search_quality.evaluate(library, texts, search_quality.questions(split))
                for split in ("tune", "test")
            }
            library.store.close()
    embedder = Embedder(device=args.device)
    embedder.encode(["load the model"])
    base = seed_chunks()
    results = {"device": args.device, "quality": quality, "ingest": measure_ingest(embedder, base), "scale": {}}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as directory:
            built = build_corpus(Path(directory), size, embedder, base)
            served = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--serve",
                    directory,
                    "--queries",
                    str(args.queries),
                    "--device",
                    args.device,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results["scale"][str(size)] = built | json.loads(served.stdout.strip().splitlines()[-1])
            print(f"{size:,} passages: {results['scale'][str(size)]}", flush=True)

    if quality:
        search_quality.print_table(quality["tune"], "Quality, tuned-on questions")
        search_quality.print_table(quality["test"], "Quality, held-out questions (the figures to report)")
    ingest = results["ingest"]
    print(
        f"\ningest ({args.device}): {ingest['chunks']} passages; raw encode {ingest['raw_encode_chunks_per_s']:.1f}/s; "
        f"pipeline {ingest['pipeline_chunks_per_s']:.1f}/s ({ingest['pipeline_share_of_raw']:.0%} of raw encode); "
        f"sentence vectors {ingest['sentence_encode_s']:.1f} s of {ingest['ingest_s']:.1f} s "
        f"({ingest['sentence_share_of_ingest']:.0%} of ingest)"
    )
    print(
        f"\n{'passages':>10} {'bm25 p50/p95':>14} {'dense p50/p95':>14} {'hybrid p50/p95':>15}"
        f" {'no re-rank':>15} {'load s':>7} {'peak MB':>8}"
    )
    for size, f in results["scale"].items():
        modes = ("bm25", "dense", "hybrid", "hybrid without re-rank")
        cells = [f"{f[m]['p50_ms']:>6.0f}/{f[m]['p95_ms']:<6.0f}" for m in modes]
        print(
            f"{int(size):>10,} {cells[0]:>14} {cells[1]:>14} {cells[2]:>15} {cells[3]:>15} "
            f"{f['vector_load_and_first_dense_search_s']:>7.2f} {f['peak_rss_mb']:>8.0f}"
        )
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
