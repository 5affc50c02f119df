"""Themes benchmark: quality on the labelled sets, and speed at scale.

    .venv/bin/python benchmarks/bench_themes.py [--size 100000] [--skip-scale] [--skip-quality] [--emerging-only]

Quality (benchmarks/labelled/, thresholds tuned on the 'dev' rows, reported on 'test' rows):
the themes each real DHR fragment is about (benchmarks/document_themes.py);
micro precision, recall and F1 of passage themes and of recommendation themes, against a naive
zero-shot match of MiniLM embeddings with the theme descriptions; the gain from people's
corrections (the dev rows' decisions as examples); precision and recall of same-lesson pairs of
recurring recommendations.

Speed: the share of ingest time spent tagging (the five seed documents), re-tagging N stored
passages, emerging themes over N passages, and the Themes page drawn at N passages (AppTest, as
a partner and as a board member). The N-passage corpus is bench_library.py's: seed passages varied,
vectors noisy copies; among them, so that emerging themes form and their groups are joined,
PLANTED_DOCUMENTS generated documents on three recurring topics no vocabulary names (planted_topics.py),
whose emerging themes are counted beside the time.
Prints a table, with the one-minute load average beside each timing (the machine may be shared),
and writes benchmarks/results-themes.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import document_themes  # noqa: E402
import theme_quality as quality  # noqa: E402
from bench_library import BENCH, SEEDS, build_corpus, peak_rss_mb, seed_chunks  # noqa: E402
from planted_topics import planted_documents  # noqa: E402

from core.accounts import Viewer, add_user  # noqa: E402
from core.schema import open_store  # noqa: E402
from indexing import emerging  # noqa: E402
from indexing.embeddings import Embedder  # noqa: E402
from indexing.library import Library  # noqa: E402
from indexing.tagger import ThemeTagger  # noqa: E402
from indexing.themes import bundled_themes  # noqa: E402
from indexing.theming import PASSAGE_SETTINGS, SHORT_TEXT_SETTINGS, Tagging  # noqa: E402
from recommendations.recurring import Grouper  # noqa: E402


def measure_quality(embedder: Embedder) -> dict:
    found = {}
    for name, settings in (("recommendations", SHORT_TEXT_SETTINGS), ("passages", PASSAGE_SETTINGS)):
        rows = quality.load(name)
        groups = quality.groups_for(name)
        other = name == "recommendations"
        vectors = embedder.encode([r.text for r in rows])
        themes = [t for t in bundled_themes() if t.group in groups]
        tagger = ThemeTagger(**settings).fit(themes, embedder.encode)
        test = [i for i, r in enumerate(rows) if r.split == "test"]
        scores = quality.evaluate(tagger, [rows[i] for i in test], vectors[test], other=other)
        naive = quality.naive_zero_shot(rows, vectors, embedder.encode, groups)
        before, after = quality.learning_gain(rows, vectors, embedder.encode, groups, settings, other=other)
        found[name] = {
            "rows_test": len(test),
            "precision": scores.precision,
            "recall": scores.recall,
            "f1": scores.f1,
            "naive_zero_shot_f1": naive.f1,
            "f1_before_corrections": before.f1,
            "f1_after_corrections": after.f1,
            "per_theme": {
                k: dict(zip(("tp", "fp", "fn"), v, strict=True)) for k, v in sorted(scores.per_theme.items())
            },
        }
    found["recurring_pairs"] = quality.recurring_pair_figures(Grouper(), embedder.encode)
    found["dhr_documents"] = document_themes.measure(embedder)
    return found


def measure_ingest_share(embedder: Embedder) -> dict:
    """Ingest the seed documents and time the tagging inside it."""
    spent = {"tagging": 0.0}
    originals = (Tagging.tag_passages, Tagging.refresh_documents)

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent["tagging"] += time.perf_counter() - start

        return wrapper

    Tagging.tag_passages, Tagging.refresh_documents = (timed(f) for f in originals)
    try:
        with tempfile.TemporaryDirectory() as directory:
            store = open_store(Path(directory) / "dhr.sqlite")
            library = Library(store, embedder)
            library.tagging.passage_tagger()  # the vocabulary's vectors, once per workspace
            start = time.perf_counter()
            results = library.ingest_paths([SEEDS], viewer=BENCH, kind="strategy", access="public")
            total = time.perf_counter() - start
            store.close()
    finally:
        Tagging.tag_passages, Tagging.refresh_documents = originals
    return {
        "passages": sum(r.chunks for r in results),
        "ingest_s": total,
        "tagging_s": spent["tagging"],
        "tagging_share_of_ingest_without_it": spent["tagging"] / (total - spent["tagging"]),
        "load": load_average(),
    }


def load_average() -> float:
    """The machine's one-minute load average: beside each timing, since the machine may be shared."""
    return round(os.getloadavg()[0], 2)


ROLES = ("partner", "board")
PLANTED_DOCUMENTS = 60  # of 8 passages each, 20 a topic: 480 of the N passages


def measure_emerging(library: Library) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    themes = emerging.compute(library, BENCH)
    elapsed, cpu, load = time.perf_counter() - start, time.process_time() - cpu, load_average()
    labels = [theme["label"] for theme in emerging.emerging(library.store, BENCH)]
    return {
        "emerging_s": elapsed,
        "emerging_cpu_s": cpu,
        "emerging_themes": themes,
        "emerging_labels": labels,
        "emerging_load": load,
    }


def measure_scale(embedder: Embedder, size: int, *, emerging_only: bool = False) -> dict:
    found = {"passages": size}
    with tempfile.TemporaryDirectory() as directory:
        planted = planted_documents(PLANTED_DOCUMENTS)
        build_corpus(Path(directory), size, embedder, seed_chunks(), keyword_index=False, planted=planted)
        store = open_store(Path(directory) / "dhr.sqlite")
        library = Library(store, embedder)
        if emerging_only:
            found |= measure_emerging(library)
            store.close()
            return found
        library.tagging.passage_tagger()
        start = time.perf_counter()
        counts = library.tagging.retag(BENCH)
        found["retag_s"] = time.perf_counter() - start
        found["retag_load"] = load_average()
        found["tags"] = counts["tags"]
        found |= measure_emerging(library)
        print(f"{size} passages: re-tag {found['retag_s']:.1f} s, emerging {found['emerging_s']:.1f} s", flush=True)
        for role in ROLES:
            add_user(store, BENCH, username=role, password=f"benchmark {role} phrase", role=role)
        # the corpus was built without its keyword index: build it now, as a real workspace has one (the app
        # would otherwise rebuild it when the page first opens the library, and that is not the page's time)
        library.recreate_missing_indexes()
        store.close()
        found["themes_page_ms"] = {role: page_timings(Path(directory), role) for role in ROLES}
    return found


def page_timings(directory: Path, role: str) -> dict:
    """The Themes page drawn as ``role``: the first draw in a session and the median of four reruns."""
    from streamlit.testing.v1 import AppTest

    os.environ["DHR_DATA_DIR"] = str(directory)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["viewer"] = Viewer(role, role, role)
    at.run()
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        at.switch_page("pages/themes.py").run()
        timings.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return {"first_ms": timings[0], "median_ms": float(np.median(timings[1:])), "load": load_average()}


def print_quality(quality: dict) -> None:
    print(f"{'set':<16} {'P':>5} {'R':>5} {'F1':>5} {'naive F1':>9} {'F1 after corrections':>21}")
    for name in ("passages", "recommendations"):
        q = quality[name]
        print(
            f"{name:<16} {q['precision']:>5.2f} {q['recall']:>5.2f} {q['f1']:>5.2f} {q['naive_zero_shot_f1']:>9.2f} "
            f"{q['f1_before_corrections']:>10.2f} -> {q['f1_after_corrections']:.2f}"
        )
    for split, figures in quality["dhr_documents"].items():
        print(f"document themes, real DHR fragments ({split}): {figures}")
    for split, p in quality["recurring_pairs"].items():
        print(
            f"recurring pairs ({split}): precision {p['precision']:.2f}, recall {p['recall']:.2f}, "
            f"{p['wrong_pairs']} wrong, {p['missed_pairs']} missed"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--skip-scale", action="store_true", help="quality and ingest share only")
    parser.add_argument("--skip-quality", action="store_true", help="ingest share and speed at scale only")
    parser.add_argument("--emerging-only", action="store_true", help="emerging themes over --size passages only")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results-themes.json")
    args = parser.parse_args()
    embedder = Embedder()
    if args.emerging_only:
        found = measure_scale(embedder, args.size, emerging_only=True)
        print(
            f"{args.size} passages: emerging themes {found['emerging_s']:.1f} s, "
            f"{found['emerging_cpu_s']:.1f} s of CPU ({found['emerging_themes']} found; "
            f"load {found['emerging_load']}): {found['emerging_labels']}; peak memory {peak_rss_mb():.0f} MB"
        )
        return
    results = {} if args.skip_quality else {"quality": measure_quality(embedder)}
    results["ingest"] = measure_ingest_share(embedder)
    if not args.skip_scale:
        results["scale"] = measure_scale(embedder, args.size)
    results["peak_rss_mb"] = peak_rss_mb()
    args.out.write_text(json.dumps(results, indent=2) + "\n")

    if "quality" in results:
        print_quality(results["quality"])
    ingest = results["ingest"]
    print(
        f"ingest of {ingest['passages']} passages: {ingest['ingest_s']:.1f} s, tagging {ingest['tagging_s']:.2f} s "
        f"(+{ingest['tagging_share_of_ingest_without_it']:.1%}; load {ingest['load']})"
    )
    if "scale" in results:
        s = results["scale"]
        print(
            f"{s['passages']} passages: re-tag {s['retag_s']:.1f} s ({s['tags']} tags; load {s['retag_load']}); "
            f"emerging themes {s['emerging_s']:.1f} s ({s['emerging_themes']} found; load {s['emerging_load']}): "
            f"{s['emerging_labels']}"
        )
        for role, page in s["themes_page_ms"].items():
            print(
                f"Themes page as {role}: {page['first_ms']:.0f} ms first, {page['median_ms']:.0f} ms rerun "
                f"(load {page['load']})"
            )
    print(f"peak memory {results['peak_rss_mb']:.0f} MB; written to {args.out}")


if __name__ == "__main__":
    main()
