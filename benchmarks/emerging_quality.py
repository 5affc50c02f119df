"""Emerging themes on a real library with sets of briefs on new topics mixed in (issue #23, item 3).

    .venv/bin/python benchmarks/emerging_quality.py --topics DIR [--workspace DATA_DIR] [--only NAME ...]

The library is the five seed documents and the 27 real DHR fragments of ../shared/corpus, each filed as the kind
benchmarks/labelled/reading.json gives it; built once in a temporary folder, or copied from --workspace (a data
directory where exactly those were ingested, e.g. with `python -m indexing ingest`). Every sub-folder of DIR is a
topic set: its files (README files aside) are short briefs that share a topic no theme vocabulary names; or, when
it holds folders of its own, each of those is one topic and all of them are mixed into the library together (two
or three topics at once, as a real library holds them); a sub-folder named ``library`` is no topic but documents of
another kind mixed in (another council's strategies, with their own headers and sections), ingested as strategies. For
each set the library is copied, the briefs ingested as public learning briefs, the emerging themes recomputed and read
as a board member sees them on the Themes page.
Reported per set: pass or fail; for each topic its best-matching emerging theme (the one holding most of its
briefs, then the purest); and each emerging theme's label and terms, its purity (the share of its passages from
the topic's briefs), its coverage (how many of the briefs it holds) and the briefs its representative passages
come from; and, first, what the library shows with no set.

A topic in fewer briefs than an emerging theme needs (``Settings.min_documents``) is expected not to be shown: two
briefs on one topic are not "several documents", and no emerging theme may hold a passage of them. A set passes when
exactly one emerging theme is shown for each of its other topics, and each topic's best-matching
theme is its own (no two topics share one) with at least PURITY of its passages from the topic's briefs, at least
COVERAGE of those briefs, and representative passages from at least EXAMPLE_BRIEFS of them (or from as many as
COVERAGE asks, if fewer). Whether a label names its topic in a coordinator's words is for the reader of the output
to judge.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.accounts import Viewer  # noqa: E402
from core.schema import open_store  # noqa: E402
from indexing import emerging  # noqa: E402
from indexing.embeddings import Embedder  # noqa: E402
from indexing.library import Library  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
READING = ROOT / "benchmarks" / "labelled" / "reading.json"
COORDINATOR = Viewer("bench", "coordinator", "Benchmark")
BOARD = Viewer("board", "board", "Benchmark")
PURITY = 0.8
COVERAGE = 4 / 6
EXAMPLE_BRIEFS = 3
LIBRARY = "library"


def build_library(directory: Path, embedder: Embedder) -> None:
    """The seeds and the real fragments, each as the kind a coordinator files it, in ``directory``."""
    labels = json.loads(READING.read_text(encoding="utf-8"))
    kinds = {CORPUS / "dhr" / n: v["kind"] for n, v in labels["files"].items()}
    kinds |= {CORPUS / "seeds" / n: v["kind"] for n, v in labels["seeds"].items()}
    store = open_store(directory / "dhr.sqlite")
    library = Library(store, embedder)
    for kind in sorted(set(kinds.values())):
        paths = sorted(p for p, k in kinds.items() if k == kind)
        library.ingest_paths(paths, viewer=COORDINATOR, kind=kind, access="public")
    store.close()


def briefs_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.lower().startswith("readme"))


def topics_of(folder: Path) -> dict[str, list[Path]]:
    """A set's topics and their briefs: one topic per sub-folder (``library`` aside), or the folder itself as one."""
    parts = sorted(p for p in folder.iterdir() if p.is_dir() and p.name != LIBRARY)
    return {p.name: briefs_of(p) for p in parts} if parts else {folder.name: briefs_of(folder)}


def library_of(folder: Path) -> list[Path]:
    """The set's documents of no topic (its ``library`` sub-folder), if it has any."""
    return briefs_of(folder / LIBRARY) if (folder / LIBRARY).is_dir() else []


def shown(directory: Path, embedder: Embedder, briefs: list[Path], others: list[Path] = ()) -> list[dict]:
    """Ingest ``briefs`` (and ``others``, as strategies) into the workspace in ``directory``, recompute, and return
    what a board member sees."""
    store = open_store(directory / "dhr.sqlite")
    try:
        library = Library(store, embedder)
        if others:
            library.ingest_paths(list(others), viewer=COORDINATOR, kind="strategy", access="public")
        if briefs:
            library.ingest_paths(briefs, viewer=COORDINATOR, kind="learning brief", access="public")
        emerging.compute(library, COORDINATOR)
        return emerging.emerging(store, BOARD, emerging.Settings(examples=10**6))  # every passage, page order first
    finally:
        store.close()


def judge(found: list[dict], topics: dict[str, list[Path]]) -> dict:
    """Each shown theme against each topic, and each topic's best-matching theme."""
    themes = []
    for theme in found:
        passages = theme["passages"]
        shown_first = {p["document"] for p in passages[: emerging.Settings().examples]}
        against = {}
        for topic, briefs in topics.items():
            names = {p.name for p in briefs}
            from_briefs = [p for p in passages if p["document"] in names]
            against[topic] = {
                "purity": round(len(from_briefs) / len(passages), 3) if passages else 0.0,
                "coverage": len({p["document"] for p in from_briefs}),
                "example_briefs": len(shown_first & names),
            }
        themes.append(
            {
                "label": theme["label"],
                "terms": theme["terms"],
                "passages": len(passages),
                "topics": against,
                "documents": theme["document_names"],
            }
        )
    too_few = {t for t, briefs in topics.items() if len(briefs) < emerging.Settings().min_documents}
    best, passed = {}, len(themes) == len(topics) - len(too_few)
    for topic, briefs in topics.items():
        order = sorted(themes, key=lambda t: (-t["topics"][topic]["coverage"], -t["topics"][topic]["purity"]))
        match = order[0] if order and order[0]["topics"][topic]["coverage"] else None
        best[topic] = themes.index(match) if match else None
        if topic in too_few:
            passed &= match is None
            continue
        needed = COVERAGE * len(briefs)
        passed &= bool(
            match
            and match["topics"][topic]["purity"] >= PURITY
            and match["topics"][topic]["coverage"] >= needed
            and match["topics"][topic]["example_briefs"] >= min(EXAMPLE_BRIEFS, math.ceil(needed))
        )
    found_for = [i for t, i in best.items() if i is not None and t not in too_few]
    passed &= len(set(found_for)) == len(found_for)  # no theme is the best match of two topics
    return {"briefs": {t: len(b) for t, b in topics.items()}, "passed": passed, "best": best, "themes": themes}


def report(name: str, result: dict) -> None:
    topics = result["briefs"]
    verdict = ("pass" if result["passed"] else "FAIL") if topics else f"{len(result['themes'])} shown"
    print(f"{name}: {verdict}", flush=True)
    for topic, index in result["best"].items():
        if index is None:
            expected = " (as it should: too few)" if topics[topic] < emerging.Settings().min_documents else ""
            print(f"  topic {topic}: no emerging theme holds any of its {topics[topic]} briefs{expected}", flush=True)
            continue
        figures = result["themes"][index]["topics"][topic]
        print(
            f"  topic {topic}: {result['themes'][index]['label']!r}, purity {figures['purity']:.2f}, coverage "
            f"{figures['coverage']}/{topics[topic]}, representative passages from {figures['example_briefs']} briefs",
            flush=True,
        )
    for theme in result["themes"]:
        of = ", ".join(f"{t} {f['purity']:.2f} {f['coverage']}/{topics[t]}" for t, f in theme["topics"].items())
        print(
            f"  {theme['label']!r} terms {theme['terms']}: {theme['passages']} passages"
            + (f" (purity, coverage: {of})" if of else "")
            + f"; documents {theme['documents']}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", type=Path, required=True, help="a folder of topic sets, one sub-folder each")
    parser.add_argument("--workspace", type=Path, help="a data directory holding the seeds and fragments already")
    parser.add_argument("--only", nargs="*", help="these topic sets only")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sets = sorted(p for p in args.topics.iterdir() if p.is_dir() and (not args.only or p.name in args.only))
    embedder = Embedder()
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base"
        if args.workspace:
            shutil.copytree(args.workspace, base)
        else:
            base.mkdir()
            build_library(base, embedder)
        for name, topics in [("(no topic set)", {})] + [(s.name, topics_of(s)) for s in sets]:
            copy = Path(scratch) / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            briefs = [brief for topic in topics.values() for brief in topic]
            others = library_of(args.topics / name) if topics else []
            results[name] = judge(shown(copy, embedder, briefs, others), topics)
            report(name, results[name])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
