"""Document themes on real published DHR fragments (../shared/corpus/dhr), against the hand labels in
benchmarks/labelled/dhr_themes.json: per-document precision and recall of the themes the library
calls salient, tuned on the 'dev' files of benchmarks/labelled/dhr_split.json, reported on 'test'.

    .venv/bin/python benchmarks/document_themes.py [--misses] [--families] [--strategies]

Each file goes through the library's own extraction, chunking, passage tagger and salience rule.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexing.chunking import chunk  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.tagger import ThemeTagger  # noqa: E402
from indexing.themes import PASSAGE_GROUPS, bundled_themes  # noqa: E402
from indexing.theming import PASSAGE_SETTINGS, SALIENCE, Salience, salient_themes  # noqa: E402

LABELLED = ROOT / "benchmarks" / "labelled"
DHR = ROOT.parent / "shared" / "corpus" / "dhr"
SEEDS = DHR.parent / "seeds"


def labelled() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    labels = json.loads((LABELLED / "dhr_themes.json").read_text(encoding="utf-8"))["documents"]
    split = json.loads((LABELLED / "dhr_split.json").read_text(encoding="utf-8"))
    return {k: set(v) for k, v in labels.items()}, {s: split[s] for s in ("dev", "test")}


def passages(name: str, folder: Path = DHR) -> list[str]:
    return [c.text for c in chunk(extract((folder / name).read_bytes(), name))]


def passage_themes() -> list:
    return [t for t in bundled_themes() if t.group in PASSAGE_GROUPS]


def strategies(embedder) -> dict[str, dict]:
    """For each seed strategy: its passages, the themes it mentions and those it is about (salient): a
    strategy lists 20 to 30 themes in passing and is about a few."""
    tagger = ThemeTagger(**PASSAGE_SETTINGS).fit(passage_themes(), embedder.encode)
    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        texts = passages(path.name, SEEDS)
        vectors = embedder.encode(texts)
        salient = document_themes(tagger, texts, vectors)
        mentioned = document_themes(tagger, texts, vectors, Salience(min_share=0.0))
        found[path.name] = {"passages": len(texts), "mentioned": len(mentioned), "salient": sorted(salient)}
    return found


def document_themes(tagger: ThemeTagger, texts: list[str], vectors: np.ndarray, salience=SALIENCE) -> set[str]:
    scores = tagger.scores(texts, vectors)
    tagged = {key: [float(s) for s in scores[:, i] if s > 0] for i, key in enumerate(tagger.keys)}
    return {key for key, _ in salient_themes(tagged, len(texts), salience)}


def score(predicted: dict[str, set[str]], truth: dict[str, set[str]], names: list[str]) -> dict:
    tp = sum(len(predicted[n] & truth[n]) for n in names)
    fp = sum(len(predicted[n] - truth[n]) for n in names)
    fn = sum(len(truth[n] - predicted[n]) for n in names)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "fp": fp, "fn": fn}


def by_family(predicted: dict[str, set[str]], truth: dict[str, set[str]], names: list[str]) -> dict[str, dict]:
    """The same figures for each group of the vocabulary (forms of abuse, circumstances, practice)."""
    group = {t.key: t.group for t in bundled_themes()}
    return {
        family: score(
            {n: {k for k in predicted[n] if group[k] == family} for n in names},
            {n: {k for k in truth[n] if group[k] == family} for n in names},
            names,
        )
        for family in PASSAGE_GROUPS
    }


def tune(themes: list, embedder, encoded: dict, truth: dict, names: list[str]) -> tuple[float, Salience]:
    """The passage tagger's relative margin and the salience rule with the best F1 on some files (the dev
    split); ties go to the higher precision (a tag a reader would reject is worse than a missed one)."""
    best = None
    for margin in (0.2, 0.25, 0.3, 0.35):
        tagger = ThemeTagger(**(PASSAGE_SETTINGS | {"relative_margin": margin})).fit(themes, embedder.encode)
        for min_share in np.arange(0.2, 0.75, 0.05):
            salience = Salience(min_share=round(float(min_share), 2))
            predicted = {n: document_themes(tagger, *encoded[n], salience) for n in names}
            figures = score(predicted, truth, names)
            if best is None or (figures["f1"], figures["precision"]) > best[0]:
                best = ((figures["f1"], figures["precision"]), margin, salience)
    return best[1], best[2]


def measure(embedder, misses: bool = False, tuning: bool = False, families: bool = False) -> dict:
    truth, split = labelled()
    themes = passage_themes()
    tagger = ThemeTagger(**PASSAGE_SETTINGS).fit(themes, embedder.encode)
    encoded = {}
    for name in truth:
        texts = passages(name)
        encoded[name] = (texts, embedder.encode(texts))
    if tuning:
        margin, salience = tune(themes, embedder, encoded, truth, split["dev"])
        print(f"tuned on dev: relative margin {margin}, {salience}")
    predicted = {n: document_themes(tagger, *encoded[n]) for n in truth}
    mentions = {n: document_themes(tagger, *encoded[n], Salience(min_share=0.0)) for n in truth}
    found = {s: score(predicted, truth, names) for s, names in split.items()}
    found |= {f"{s}, every mention a tag": score(mentions, truth, names) for s, names in split.items()}
    if families:
        found |= {f"{s}, {f}": v for s, names in split.items() for f, v in by_family(predicted, truth, names).items()}
    if misses:  # the dev files only: changes are decided on them, never on the held-out ones
        for name in split["dev"]:
            extra, missing = predicted[name] - truth[name], truth[name] - predicted[name]
            if extra or missing:
                print(f"[dev] {name}: wrong {sorted(extra)} missed {sorted(missing)}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="print each dev file's wrong and missed themes")
    parser.add_argument(
        "--tune", action="store_true", help="print the relative margin and salience rule that do best on dev"
    )
    parser.add_argument("--families", action="store_true", help="figures for each group of themes as well")
    parser.add_argument("--strategies", action="store_true", help="what each seed strategy mentions and is about")
    args = parser.parse_args()
    from indexing.embeddings import Embedder

    if args.strategies:
        for name, figures in strategies(Embedder()).items():
            print(f"{name}: {figures}")
    for split_name, figures in measure(Embedder(), args.misses, args.tune, args.families).items():
        print(f"{split_name}: {figures}")


if __name__ == "__main__":
    main()
