"""Search quality on a labelled question set: recall@10 and MRR per mode, tuned and held-out apart.

    .venv/bin/python benchmarks/search_quality.py [--tune] [--misses] [--keep DIR] [--split tune]

The library is the five real seed documents (../shared/corpus/seeds), the real DHR fragments
(../shared/corpus/dhr) and the fictional demo library, all public. The questions
(benchmarks/labelled/search_questions.json) ask each fact twice: in the words the answering passage
uses, and paraphrased. A passage answers when it is from the
fact's document and covers where the fact's locator occurs in the extracted text, so the set does
not depend on how documents are cut into passages. ``--tune`` searches the fusion's k, sentence-list weight
and lead, then the weights for a paraphrase, then the sentence re-rank's depth and weight, on the 'tune' facts
and prints the best; figures to report are the 'test' facts' (``--split tune`` prints the tune facts' alone,
so a change can be tried many times without the held-out figures on the screen). Hybrid is also measured
without the re-rank, to show what it adds. ``--facts FILE`` measures the facts of another file in the same shape
instead of the labelled ones (a sealed set, kept outside the project, measured once on final code).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.accounts import Viewer  # noqa: E402
from core.schema import open_store  # noqa: E402
from demo.library import RENDERERS  # noqa: E402
from demo.library_texts import DOCUMENTS  # noqa: E402
from indexing import search as searching  # noqa: E402
from indexing.embeddings import Embedder  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.library import Library  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
DHR = ROOT.parent / "shared" / "corpus" / "dhr"
QUESTIONS = ROOT / "benchmarks" / "labelled" / "search_questions.json"
BUILDER = Viewer("bench", "coordinator", "Benchmark")
READER = Viewer("reader", "partner", "Partner")
TOP = 10


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def build_library(directory: Path, embedder: Embedder, reuse: bool = False) -> tuple[Library, dict[str, str]]:
    """The seed documents, the real DHR fragments and the demo library in a fresh workspace, and each
    document's extracted text. With ``reuse``, a workspace this built earlier in ``directory`` is searched as it
    is (nothing ingested again: only for measuring a change to search, never to ingest)."""
    reusing = reuse and (directory / "dhr.sqlite").exists()
    store = open_store(directory / "dhr.sqlite")
    library = Library(store, embedder)
    texts: dict[str, str] = {}
    if not reusing:
        library.ingest_paths([SEEDS], viewer=BUILDER, kind="strategy", access="public", csp="Barnet")
    for path in sorted(SEEDS.glob("*.txt")):
        texts[f"seeds/{path.name}"] = extract(path.read_bytes(), path.name).text
    for path in sorted(DHR.glob("*.txt")):
        if not reusing:
            library.ingest(
                path.read_bytes(), f"dhr/{path.name}", viewer=BUILDER, kind="executive summary", access="public"
            )
        texts[f"dhr/{path.name}"] = extract(path.read_bytes(), path.name).text
    for entry in DOCUMENTS:
        data = RENDERERS[entry["file"].rsplit(".", 1)[1]](entry["title"], entry["sections"])
        if not reusing:
            library.ingest(
                data, entry["file"], viewer=BUILDER, title=entry["title"], kind=entry["kind"], access="public"
            )
        texts[entry["file"]] = extract(data, entry["file"]).text
    return library, texts


def questions(split: str | None = None, facts: Path = QUESTIONS) -> list[dict]:
    """Each fact of ``facts`` (a file in search_questions.json's shape) as two questions: {'question', 'kind'
    (shared | paraphrased), 'split', 'answers'}; a fact without a split is held out."""
    facts = json.loads(facts.read_text(encoding="utf-8"))["facts"]
    return [
        {"question": fact[kind], "kind": kind, "split": fact.get("split", "test"), "answers": fact["answers"]}
        for fact in facts
        if split in (None, fact.get("split", "test"))
        for kind in ("shared", "paraphrased")
    ]


def answer_spans(texts: dict[str, str], answers: list[list[str]]) -> list[tuple[str, int]]:
    """(document, offset) of every place a locator occurs; a question whose locator is nowhere is an error."""
    spans = []
    for document_part, locator in answers:
        for name, text in texts.items():
            if document_part in name:
                squashed_at = [m.start() for m in re.finditer(re.escape(locator), text)]
                spans += [(name, offset) for offset in squashed_at]
    if not spans:
        raise SystemExit(f"no document holds the locator of {answers!r}: fix the facts file")
    return spans


def rank_of_answer(hits, spans: list[tuple[str, int]]) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if any(hit.document == name and hit.char_start <= offset < hit.char_end for name, offset in spans):
            return rank
    return None


NO_RERANK = "hybrid, no re-rank"


def evaluate(
    library: Library,
    texts: dict[str, str],
    asked: list[dict],
    modes=searching.MODES,
    search=searching.search,
    **options,
) -> dict:
    """{mode: {group: {'recall@10', 'mrr', 'questions'}}} for groups all, shared, paraphrased and real (the
    questions written over the real DHR fragments: their first answer's document); the mode NO_RERANK is hybrid
    without the sentence re-rank; ``search``: called as indexing.search.search is (the shared repository's
    benchmark passes its search of the same documents published)."""
    figures: dict = {}
    for name in modes:
        mode, asked_options = name, options
        if name == NO_RERANK:
            mode, asked_options = "hybrid", options | {"rerank": searching.Rerank(depth=0)}
        ranks: dict[str, list[int | None]] = {"all": [], "shared": [], "paraphrased": [], "real": []}
        for item in asked:
            hits = search(library, READER, item["question"], mode=mode, limit=TOP, **asked_options)
            rank = rank_of_answer(hits, answer_spans(texts, item["answers"]))
            ranks["all"].append(rank)
            ranks[item["kind"]].append(rank)
            if item["answers"][0][0].startswith("dhr/"):  # written over a real fragment (later answers may not be)
                ranks["real"].append(rank)
        figures[name] = {
            group: {
                "recall@10": round(sum(r is not None for r in found) / len(found), 3),
                "mrr": round(sum(1 / r for r in found if r) / len(found), 3),
                "questions": len(found),
            }
            for group, found in ranks.items()
            if found
        }
    return figures


def misses(library: Library, texts: dict[str, str], asked: list[dict]) -> list[str]:
    """The questions hybrid search misses, each with where its answer ranks in each mode alone and in hybrid
    (fused and re-ranked, before the spread by document; within CANDIDATES): what to study when tuning, on the
    'tune' facts only."""
    found = []
    for item in asked:
        spans = answer_spans(texts, item["answers"])
        if rank_of_answer(searching.search(library, READER, item["question"], limit=TOP), spans) is None:
            alone = {
                mode: rank_of_answer(
                    searching.search(library, READER, item["question"], mode=mode, limit=searching.CANDIDATES), spans
                )
                for mode in ("bm25", "dense", "hybrid")
            }
            where = ", ".join(f"{mode} {rank or '-'}" for mode, rank in alone.items())
            found.append(f"{item['kind']:11} {item['question']} ({where})")
    return found


def tune(library: Library, texts: dict[str, str], facts: Path = QUESTIONS) -> tuple[searching.Fusion, searching.Rerank]:
    """The fusion's k, the sentence list's weight and the lead of each list's head (under the re-rank as it
    is), then the weights for a question in other words than the library's and the share of its words that
    tells one, then the re-rank's depth and weight over them, with the best hybrid recall@10 (then MRR) on
    the 'tune' facts."""
    asked = questions("tune", facts)

    def score(**options) -> tuple[float, float]:
        result = evaluate(library, texts, asked, modes=("hybrid",), **options)["hybrid"]["all"]
        return result["recall@10"], result["mrr"]

    best_fusion, best_score = searching.FUSION, (-1.0, -1.0)
    for k, sentence, lead in itertools.product((10, 20, 30, 60), (0.0, 0.5, 1.0), (0.0, 0.03, 0.06)):
        fusion = searching.Fusion(k=k, sentence=sentence, lead=lead)
        found = score(fusion=fusion)
        print(f"  k={k:<3} sentence weight {sentence:<4} lead {lead:<5}: recall@10 {found[0]:.3f}, MRR {found[1]:.3f}")
        if found > best_score:
            best_fusion, best_score = fusion, found
    for worded, bm25, dense in itertools.product((0.7, 0.8, 0.9), (0.5, 0.75, 1.0), (1.5, 2.0)):
        fusion = replace(best_fusion, worded=worded, unworded_bm25=bm25, unworded_dense=dense)
        found = score(fusion=fusion)
        print(f"  paraphrase below {worded} of the words: keywords {bm25}, meaning {dense}: recall@10 {found[0]:.3f}")
        if found > best_score:
            best_fusion, best_score = fusion, found
    best_rerank = searching.RERANK
    for depth, weight in itertools.product((0, 10, 20, 30, 50), (0.3, 0.4, 0.5, 0.6, 0.7)):
        rerank = searching.Rerank(depth=depth, sentence=weight)
        found = score(fusion=best_fusion, rerank=rerank)
        print(f"  re-rank depth {depth:<3} sentence weight {weight}: recall@10 {found[0]:.3f}, MRR {found[1]:.3f}")
        if found > best_score:
            best_rerank, best_score = rerank, found
    return best_fusion, best_rerank


def print_table(figures: dict, title: str) -> None:
    print(f"\n{title}")
    columns = (("all", 9), ("shared", 12), ("paraphrased", 17), ("real", 10))
    print(f"{'mode':17} " + " ".join(f"{group + ' R@10':>{width}} {'MRR':>6}" for group, width in columns))
    for mode, groups in figures.items():
        cells = [
            f"{groups[g]['recall@10']:>{w}.3f} {groups[g]['mrr']:>6.3f}" if g in groups else f"{'-':>{w}} {'-':>6}"
            for g, w in columns
        ]
        print(f"{mode:17} " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="search the fusion weights on the tune facts")
    parser.add_argument("--misses", action="store_true", help="list the tuned-on questions hybrid search misses")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--facts",
        type=Path,
        default=QUESTIONS,
        metavar="FILE",
        help="measure the facts of this file (search_questions.json's shape) instead of the labelled ones",
    )
    parser.add_argument(
        "--split",
        choices=("tune", "test", "both"),
        default="both",
        help="the facts to measure: 'tune' while trying a change, the held-out 'test' ones once at its end",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the library in DIR and search it again on later runs (for changes to search, not to ingest)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        library, texts = build_library(directory, Embedder(), reuse=args.keep is not None)
        if args.tune:
            print(f"best: {tune(library, texts, args.facts)}")
        modes = (*searching.MODES, NO_RERANK)
        splits = ("tune", "test") if args.split == "both" else (args.split,)
        asked = {split: questions(split, args.facts) for split in splits}
        results = {split: evaluate(library, texts, asked[split], modes=modes) for split in splits if asked[split]}
        titles = {"tune": "Tuned-on questions ({})", "test": "Held-out questions ({}): the figures to report"}
        for split, figures in results.items():
            print_table(figures, titles[split].format(len(asked[split])))
        if args.misses:
            print(
                "\nTuned-on misses (hybrid; rank in each mode alone):",
                *misses(library, texts, questions("tune", args.facts)),
                sep="\n  ",
            )
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        library.store.close()


if __name__ == "__main__":
    main()
