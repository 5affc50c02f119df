"""Document themes on real published DHR fragments (../shared/corpus/dhr), against the hand labels in
benchmarks/labelled/dhr_themes.json: per-document precision and recall of the themes the library
calls salient, tuned on the 'dev' files of benchmarks/labelled/dhr_split.json, reported on 'test'.

    .venv/bin/python benchmarks/document_themes.py [--misses] [--families] [--strategies] [--extra DIR]...
        [--blind DIR]

Each file goes through the library's own extraction, chunking, passage tagger, salience rule and the case
facts it reads (as the kind benchmarks/labelled/reading.json gives it), which decide the themes resting on them.

More dev evidence (--extra DIR, once for each folder): published texts kept outside the project, labelled before
the tagger ever ran on them, join the dev split (their misses are printed with --misses). Held out (--blind DIR):
the same figures on review texts kept outside the project, labelled before the tagger ever ran on them, measured
once and reported as found; nothing is tuned on them. Either DIR holds the .txt files and labels.json
({"documents": {file: [theme keys]}, "kinds": {file: document kind}}).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexing.chunking import chunk  # noqa: E402
from indexing.extract import extract  # noqa: E402
from indexing.reading.records import read_text  # noqa: E402
from indexing.tagger import ThemeTagger  # noqa: E402
from indexing.themes import PASSAGE_GROUPS, bundled_themes  # noqa: E402
from indexing.theming import (  # noqa: E402
    PASSAGE_SETTINGS,
    SALIENCE,
    Salience,
    decided_by_facts,
    one_case,
    salient_themes,
)

LABELLED = ROOT / "benchmarks" / "labelled"
DHR = ROOT.parent / "shared" / "corpus" / "dhr"
SEEDS = DHR.parent / "seeds"
# the kind each seed is ingested as (the acceptance walks' library): three strategies, an action plan, a board's pack
SEED_KINDS = {
    "000_87bd0b3d0c5aac01.txt": "strategy",
    "001_6404327a3031d268.txt": "other",
    "002_01c29052808c0e78.txt": "action plan",
    "003_1813729a7a8a292f.txt": "strategy",
    "004_59b6e730850425a6.txt": "strategy",
}


def labelled() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    labels = json.loads((LABELLED / "dhr_themes.json").read_text(encoding="utf-8"))["documents"]
    split = json.loads((LABELLED / "dhr_split.json").read_text(encoding="utf-8"))
    return {k: set(v) for k, v in labels.items()}, {s: split[s] for s in ("dev", "test")}


def folder_labels(folder: Path) -> tuple[dict[str, set[str]], dict[str, str]]:
    """The labels and document kinds of the texts in a folder kept outside the project (see the docstring)."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return {name: set(keys) for name, keys in labels["documents"].items()}, labels["kinds"]


def kinds() -> dict[str, str]:
    """The kind each real fragment is ingested as (the case facts are read from reviews' own kinds only)."""
    files = json.loads((LABELLED / "reading.json").read_text(encoding="utf-8"))["files"]
    return {name: label["kind"] for name, label in files.items()}


def passages(name: str, folder: Path = DHR) -> list[str]:
    return [c.text for c in chunk(extract((folder / name).read_bytes(), name))]


def facts_decide(name: str, kind: str, folder: Path = DHR) -> dict[str, bool]:
    """The themes the file's case facts decide, as the library reads them at ingest."""
    reading = read_text(extract((folder / name).read_bytes(), name).text, kind)
    return decided_by_facts({field: fact.value if fact else None for field, fact in reading.facts.items()})


def passage_themes() -> list:
    return [t for t in bundled_themes() if t.group in PASSAGE_GROUPS]


def strategies(embedder) -> dict[str, dict]:
    """For each seed strategy: its passages, the themes it mentions and those it is about (salient), read as the
    kind it is ingested as (SEED_KINDS): a strategy lists 20 to 30 themes in passing and is about a few."""
    tagger = ThemeTagger(**PASSAGE_SETTINGS).fit(passage_themes(), embedder.encode)
    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        texts = passages(path.name, SEEDS)
        vectors = embedder.encode(texts)
        single = one_case(SEED_KINDS[path.name])
        salient = document_themes(tagger, texts, vectors, single=single)
        mentioned = document_themes(tagger, texts, vectors, Salience(min_share=0.0), single=False)
        found[path.name] = {"passages": len(texts), "mentioned": len(mentioned), "salient": sorted(salient)}
    return found


def document_themes(
    tagger: ThemeTagger,
    texts: list[str],
    vectors: np.ndarray,
    salience=SALIENCE,
    decided: dict | None = None,
    single: bool = True,
) -> set[str]:
    scores, general = tagger.tag(texts, vectors)
    if single:  # a document telling one case: its general statements are mentions, not evidence (as at ingest)
        scores = np.where(general, 0.0, scores)
    tagged = {key: [float(s) for s in scores[:, i] if s > 0] for i, key in enumerate(tagger.keys)}
    return {key for key, _ in salient_themes(tagged, len(texts), salience, decided, single)}


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
            predicted = {n: document_themes(tagger, *encoded[n][:2], salience, *encoded[n][2:]) for n in names}
            figures = score(predicted, truth, names)
            if best is None or (figures["f1"], figures["precision"]) > best[0]:
                best = ((figures["f1"], figures["precision"]), margin, salience)
    return best[1], best[2]


def encode(embedder, names: dict[str, str], folder: Path = DHR) -> dict[str, tuple]:
    """For each file (name -> kind): its passages, their vectors, the themes its case facts decide and
    whether it tells one case."""
    encoded = {}
    for name, kind in names.items():
        texts = passages(name, folder)
        encoded[name] = (texts, embedder.encode(texts), facts_decide(name, kind, folder), one_case(kind))
    return encoded


def measure(
    embedder,
    misses: bool = False,
    tuning: bool = False,
    families: bool = False,
    dev_only: bool = False,
    extra: Sequence[Path] = (),
) -> dict:
    truth, split = labelled()
    if dev_only:
        split = {"dev": split["dev"]}
    themes = passage_themes()
    tagger = ThemeTagger(**PASSAGE_SETTINGS).fit(themes, embedder.encode)
    of_kind = kinds()
    encoded = encode(embedder, {n: of_kind[n] for names in split.values() for n in names})
    for folder in extra:
        more, more_kinds = folder_labels(folder)
        truth |= more
        encoded |= encode(embedder, more_kinds, folder)
        split = {"dev": split["dev"] + sorted(more), f"dev, {folder.name} only": sorted(more)} | {
            s: names for s, names in split.items() if s != "dev"
        }
    if tuning:
        margin, salience = tune(themes, embedder, encoded, truth, split["dev"])
        print(f"tuned on dev: relative margin {margin}, {salience}")
    predicted = {n: document_themes(tagger, *encoded[n][:2], SALIENCE, *encoded[n][2:]) for n in encoded}
    mentions = {n: document_themes(tagger, *encoded[n][:2], Salience(min_share=0.0)) for n in encoded}
    found = {s: score(predicted, truth, names) for s, names in split.items()}
    found |= {f"{s}, every mention a tag": score(mentions, truth, names) for s, names in split.items()}
    if families:
        found |= {f"{s}, {f}": v for s, names in split.items() for f, v in by_family(predicted, truth, names).items()}
    if misses:  # the dev files only: changes are decided on them, never on the held-out ones
        for name in split["dev"]:
            wrong, missing = predicted[name] - truth[name], truth[name] - predicted[name]
            if wrong or missing:
                print(f"[dev] {name}: wrong {sorted(wrong)} missed {sorted(missing)}")
    return found


def blind(embedder, folder: Path) -> dict:
    """The figures on held-out texts outside the project (see the module's docstring), with each file's
    wrong and missed themes: they are reported as found, never tuned on."""
    truth, of_kind = folder_labels(folder)
    tagger = ThemeTagger(**PASSAGE_SETTINGS).fit(passage_themes(), embedder.encode)
    encoded = encode(embedder, {name: of_kind[name] for name in truth}, folder)
    predicted = {n: document_themes(tagger, *encoded[n][:2], SALIENCE, *encoded[n][2:]) for n in truth}
    for name in sorted(truth):
        wrong, missing = sorted(predicted[name] - truth[name]), sorted(truth[name] - predicted[name])
        print(f"[blind] {name}: wrong {wrong} missed {missing}")
    return {"blind": score(predicted, truth, sorted(truth))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="print each dev file's wrong and missed themes")
    parser.add_argument(
        "--tune", action="store_true", help="print the relative margin and salience rule that do best on dev"
    )
    parser.add_argument("--families", action="store_true", help="figures for each group of themes as well")
    parser.add_argument("--strategies", action="store_true", help="what each seed strategy mentions and is about")
    parser.add_argument("--dev", action="store_true", help="the dev files only (while a change is being made)")
    parser.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="add the labelled texts in DIR to the dev split (more dev evidence; may be given more than once)",
    )
    parser.add_argument("--blind", type=Path, metavar="DIR", help="measure once on held-out texts in DIR instead")
    args = parser.parse_args()
    from indexing.embeddings import Embedder

    if args.strategies:
        for name, figures in strategies(Embedder()).items():
            print(f"{name}: {figures}")
    if args.blind:
        found = blind(Embedder(), args.blind)
    else:
        found = measure(Embedder(), args.misses, args.tune, args.families, args.dev, args.extra)
    for split_name, figures in found.items():
        print(f"{split_name}: {figures}")


if __name__ == "__main__":
    main()
