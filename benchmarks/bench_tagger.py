"""The lexical matcher against an earlier version of it: the same tags on every text, and how much faster.

    .venv/bin/python benchmarks/bench_tagger.py [--against REF] [--size 100000] [--rounds 2] [--extra DIR]...
        [--retag]

Loads indexing/tagger.py as it was at REF (a commit or branch; main by default) beside the one here and
checks that both LexicalMatchers name the same themes on every text: every passage of the seeds and of the
real DHR fragments (../shared/corpus) and of the .txt, .pdf and .docx files under each --extra DIR (published
texts kept outside the project), read as the passage tagger reads them (``own_sentences``) and as they
stand, with the whole vocabulary; and the re-tag benchmark's N passages (bench_library.py's, the seed passages
varied) as the re-tag reads them, with the passage themes. Those N passages are matched by each version in
turn, ``rounds`` times each, alternately: CPU time and wall time, the load average beside each (the machine
may be shared). With --retag, then the whole re-tag of a workspace of N such passages (bench_themes.py's), with
each version's matcher in turn, alternately: the rest of the re-tag (reading, scoring, storing) is this tree's.
Exits 1 where any row differs: a change that speeds the matcher up must change no tag.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_library import BENCH, PER_DOCUMENT, build_corpus, seed_chunks, variant  # noqa: E402
from document_themes import DHR, SEEDS  # noqa: E402

from core.schema import open_store  # noqa: E402
from indexing import tagger  # noqa: E402
from indexing.chunking import chunk  # noqa: E402
from indexing.embeddings import Embedder  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.library import Library  # noqa: E402
from indexing.themes import PASSAGE_GROUPS, bundled_themes  # noqa: E402
from indexing.theming import PASSAGE_SETTINGS  # noqa: E402

EXTRA_KINDS = (".txt", ".pdf", ".docx")


def tagger_at(ref: str) -> types.ModuleType:
    """indexing/tagger.py as it was at ``ref``, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{ref}:indexing/tagger.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(f"tagger_at_{ref}")
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(source, f"{ref}:indexing/tagger.py", "exec"), module.__dict__)
    return module


def benchmark_passages(size: int) -> list[str]:
    """The texts of the re-tag benchmark's passages (bench_library.build_corpus makes the same)."""
    base = seed_chunks()
    texts = []
    for first in range(0, size, PER_DOCUMENT):
        rng = random.Random(first)
        texts += [
            variant(base[(first + i) % len(base)][1], rng, first + i) for i in range(min(PER_DOCUMENT, size - first))
        ]
    return texts


def real_passages(extra: list[Path]) -> list[str]:
    files = [path for folder in (DHR, SEEDS) for path in sorted(folder.glob("*.txt"))]
    files += [path for folder in extra for path in sorted(folder.rglob("*")) if path.suffix in EXTRA_KINDS]
    return [c.text for path in files for c in chunk(extract(path.read_bytes(), path.name))]


def differing(before: np.ndarray, after: np.ndarray) -> int:
    return int((before != after).any(axis=1).sum())


def timed(name: str, round_: int, work) -> object:
    cpu, wall = time.process_time(), time.perf_counter()
    found = work()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"round {round_ + 1}, {name}: {cpu:.1f} s CPU, {wall:.1f} s wall, load {os.getloadavg()[0]:.1f}", flush=True)
    return found


def time_retag(matchers: dict[str, type], size: int, rounds: int) -> None:
    """The re-tag of a workspace of ``size`` passages with each matcher in turn (the one ThemeTagger.fit builds)."""
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as directory:
        build_corpus(Path(directory), size, embedder, seed_chunks(), keyword_index=False)
        store = open_store(Path(directory) / "dhr.sqlite")
        library = Library(store, embedder)
        try:
            for round_ in range(rounds):
                for name, matcher in matchers.items():
                    tagger.LexicalMatcher = matcher
                    library.tagging._cache.clear()
                    library.tagging.passage_tagger()  # fitted with this matcher before the clock starts
                    counts = timed(f"re-tag, {name}", round_, lambda: library.tagging.retag(BENCH))
                    print(f"  {counts['passages']} passages, {counts['tags']} tags", flush=True)
        finally:
            tagger.LexicalMatcher = matchers["this tree"]
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default="main", help="the commit or branch to compare with (main)")
    parser.add_argument("--size", type=int, default=100_000, help="benchmark passages matched and timed")
    parser.add_argument("--rounds", type=int, default=2, help="timed runs of each version, alternately")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="a folder of more real texts")
    parser.add_argument("--retag", action="store_true", help="time the whole re-tag of N passages too")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.against], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    versions = {f"{args.against} ({commit})": tagger_at(args.against), "this tree": tagger}
    carried = PASSAGE_SETTINGS["carried_over"]
    every, passage = list(bundled_themes()), [t for t in bundled_themes() if t.group in PASSAGE_GROUPS]
    rows = 0
    real = real_passages(args.extra)
    for reading, texts in (("as the passage tagger reads them", tagger.own_sentences(real, carried)), ("whole", real)):
        before, after = (v.LexicalMatcher(every).match(texts) for v in versions.values())
        rows += differing(before, after)
        print(f"{len(texts)} real passages, {reading}: {differing(before, after)} rows differ", flush=True)
    texts = tagger.own_sentences(benchmark_passages(args.size), carried)
    found: dict[str, np.ndarray] = {}
    for round_ in range(args.rounds):
        for name, version in versions.items():
            matcher = version.LexicalMatcher(passage)
            found[name] = timed(name, round_, lambda: matcher.match(texts))  # noqa: B023 (called at once)
    before, after = found.values()
    rows += differing(before, after)
    print(f"{len(texts)} benchmark passages: {differing(before, after)} rows differ, {int((after > 0).sum())} tags")
    if args.retag:
        time_retag({name: version.LexicalMatcher for name, version in versions.items()}, args.size, args.rounds)
    sys.exit(1 if rows else 0)


if __name__ == "__main__":
    main()
