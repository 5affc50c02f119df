"""Emerging themes on a real library with a set of briefs on one new topic mixed in (issue #23, item 3).

    .venv/bin/python benchmarks/emerging_quality.py --topics DIR [--workspace DATA_DIR] [--only NAME ...]

The library is the five seed documents and the 27 real DHR fragments of ../shared/corpus, each filed as the kind
benchmarks/labelled/reading.json gives it; built once in a temporary folder, or copied from --workspace (a data
directory where exactly those were ingested, e.g. with `python -m indexing ingest`). Every sub-folder of DIR is a
topic set: its files (README files aside) are short briefs that share a topic no theme vocabulary names. For each
set the library is copied, the briefs ingested as public learning briefs, the emerging themes recomputed and read
as a board member sees them on the Themes page. Reported per set: pass or fail, each emerging theme's label and
terms, its purity (the share of its passages from the set's briefs), its coverage (how many of the briefs it
holds) and the briefs its representative passages come from; and, first, what the library shows with no set.

A set passes when exactly one emerging theme is shown, at least PURITY of its passages are from the briefs, it
holds at least COVERAGE of them and its representative passages come from at least EXAMPLE_BRIEFS of them. Whether
the label names the topic in a coordinator's words is for the reader of the output to judge.
"""

from __future__ import annotations

import argparse
import json
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


def shown(directory: Path, embedder: Embedder, briefs: list[Path]) -> list[dict]:
    """Ingest ``briefs`` into the workspace in ``directory``, recompute, and return what a board member sees."""
    store = open_store(directory / "dhr.sqlite")
    try:
        library = Library(store, embedder)
        if briefs:
            library.ingest_paths(briefs, viewer=COORDINATOR, kind="learning brief", access="public")
        emerging.compute(library, COORDINATOR)
        return emerging.emerging(store, BOARD, emerging.Settings(examples=10**6))  # every passage, page order first
    finally:
        store.close()


def judge(found: list[dict], briefs: list[Path]) -> dict:
    names = {p.name for p in briefs}
    themes = []
    for theme in found:
        passages = theme["passages"]
        from_briefs = [p for p in passages if p["document"] in names]
        themes.append(
            {
                "label": theme["label"],
                "terms": theme["terms"],
                "passages": len(passages),
                "purity": round(len(from_briefs) / len(passages), 3) if passages else 0.0,
                "coverage": len({p["document"] for p in from_briefs}),
                "example_briefs": len({p["document"] for p in passages[: emerging.Settings().examples]} & names),
                "documents": theme["document_names"],
            }
        )
    one = themes[0] if len(themes) == 1 else None
    passed = bool(
        one
        and one["purity"] >= PURITY
        and one["coverage"] >= COVERAGE * len(briefs)
        and one["example_briefs"] >= EXAMPLE_BRIEFS
    )
    return {"briefs": len(briefs), "passed": passed, "themes": themes}


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
        for name, briefs in [("(no topic set)", [])] + [(s.name, briefs_of(s)) for s in sets]:
            copy = Path(scratch) / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            result = judge(shown(copy, embedder, briefs), briefs)
            results[name] = result
            verdict = ("pass" if result["passed"] else "FAIL") if briefs else f"{len(result['themes'])} shown"
            print(f"{name}: {verdict}", flush=True)
            for theme in result["themes"]:
                print(
                    f"  {theme['label']!r} terms {theme['terms']}: {theme['passages']} passages, purity "
                    f"{theme['purity']:.2f}, coverage {theme['coverage']}/{len(briefs)}, representative passages "
                    f"from {theme['example_briefs']} briefs; documents {theme['documents']}",
                    flush=True,
                )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
