"""Quality of recurring-recommendation grouping: same-lesson pair precision and recall on the real
recommendations of the published DHR fragments (benchmarks/labelled/recurring_real.json, split by
dhr_split.json) and on the set written for the project (benchmarks/labelled/recurring.json, groups A-F tune).

    .venv/bin/python benchmarks/recurring_quality.py [--blind DIR ...] [--extra DIR ...]

Held out (--blind DIR): real recommendations kept outside the project, in DIR/recommendations.json (rows with
``id``, ``review``, ``text``, ``addressee`` (read with the text, as the library reads a report's) and, where it
asks for a lesson another review asks for, ``lesson``; ``split``
naming the dev and test reviews; ``unsure`` pairs of ids), labelled and split by review before the grouper
ran on them; the texts are never copied into the project. ``--extra DIR`` groups that folder together with
the fragments' recommendations, as a library would hold them all (lesson keys are one namespace;
``unsure_with_fragments`` pairs a folder row with a fragment row). Both may be given more than once: every set is
measured in one run, and the last line says how many pairs were wrong on all of them together (dev and test): the
guard that different lessons are never merged, on every set (the exit status is 1 where any pair is wrong).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from recommendations.recurring import Grouper  # noqa: E402

LABELLED = ROOT / "benchmarks" / "labelled"
DHR = ROOT.parent / "shared" / "corpus" / "dhr"
WRITTEN_DEV_LESSONS = {"A", "B", "C", "D", "E", "F", "A2", "B2", "C2"}


def real_rows() -> tuple[list[dict], set[frozenset]]:
    """The labelled real recommendations (``id``, ``file`` as the review, ``lesson``, ``split``, ``text`` read
    from the fragment) and the unsure pairs of ids."""
    from bench_reading import expected_text

    labels = json.loads((LABELLED / "recurring_real.json").read_text(encoding="utf-8"))
    split = json.loads((LABELLED / "dhr_split.json").read_text(encoding="utf-8"))
    test_files = set(split["test"])
    rows = []
    for row in labels["rows"]:
        line = (DHR / row["file"]).read_text(encoding="utf-8").split("\n")[row["line"] - 1]
        if row.get("after"):
            text = line.split(row["after"], 1)[1].split(". ")[0].rstrip(".") + "."
        else:
            text = expected_text(line, row["number"], row["addressee"])
        rows.append(
            {
                "id": row["id"],
                "review": row["file"],
                "lesson": row.get("lesson", row["id"]),
                "split": "test" if row["file"] in test_files else "dev",
                "text": text,
                "addressee": row.get("addressee"),
            }
        )
    return rows, {frozenset(pair) for pair in labels["unsure"]}


def folder_rows(directory: Path) -> tuple[list[dict], set[frozenset]]:
    """The labelled rows of a folder kept outside the project, each with its review's split, and its unsure
    pairs (with the fragments' rows too)."""
    labels = json.loads((directory / "recommendations.json").read_text(encoding="utf-8"))
    split = {review: name for name, reviews in labels["split"].items() for review in reviews}
    rows = [
        {
            "id": row["id"],
            "review": row["review"],
            "lesson": row.get("lesson", row["id"]),
            "split": split[row["review"]],
            "text": row["text"],
            "addressee": row.get("addressee"),
        }
        for row in labels["rows"]
    ]
    unsure = labels.get("unsure", []) + labels.get("unsure_with_fragments", [])
    return rows, {frozenset(pair) for pair in unsure}


def folder_figures(grouper: Grouper, encode, directory: Path, with_fragments: bool = False) -> dict:
    """Pair figures on a held-out folder, grouped alone or together with the fragments' recommendations."""
    rows, unsure = folder_rows(directory)
    if with_fragments:
        fragments, fragment_unsure = real_rows()
        rows, unsure = fragments + rows, unsure | fragment_unsure
    return pair_figures(grouped(grouper, encode, rows), rows, unsure)


def grouped(grouper: Grouper, encode, rows: list[dict]) -> list[list[int]]:
    """The grouper's groups of ``rows`` (indexes), each text read with its addressee where the row has one, and placed
    at a known lesson by meaning where its words ask for none, as the app groups them."""
    texts = [r["text"] for r in rows]
    vectors = grouper.vectors(texts, encode)
    return grouper.groups(texts, vectors, [r.get("addressee") for r in rows], grouper.by_meaning(vectors, encode))


def written_rows() -> list[dict]:
    """The written set, each row with its split (lessons A-F and their near misses tune)."""
    rows = json.loads((LABELLED / "recurring.json").read_text(encoding="utf-8"))["rows"]
    return [{**r, "split": "dev" if r["lesson"] in WRITTEN_DEV_LESSONS else "test"} for r in rows]


def pair_figures(groups: list[list[int]], rows: list[dict], unsure: set[frozenset] = frozenset()) -> dict:
    """Per split: precision and recall of same-lesson pairs across reviews, the labelled pairs, and the wrong
    and missed pairs by text. A pair is 'test' when either of its rows is; unsure pairs count neither way."""
    predicted = {frozenset((a, b)) for members in groups for a, b in itertools.combinations(members, 2)}
    figures = {}
    for name in ("dev", "test"):
        pairs = [
            (a, b)
            for a, b in itertools.combinations(range(len(rows)), 2)
            if rows[a]["review"] != rows[b]["review"]
            and ("test" in (rows[a]["split"], rows[b]["split"])) == (name == "test")
            and frozenset((rows[a].get("id"), rows[b].get("id"))) not in unsure
        ]
        truth = {frozenset(p) for p in pairs if rows[p[0]]["lesson"] == rows[p[1]]["lesson"]}
        found = {frozenset(p) for p in pairs if frozenset(p) in predicted}
        right = len(found & truth)
        figures[name] = {
            "labelled_pairs": len(truth),
            "found_pairs": len(found),
            "precision": right / len(found) if found else 1.0,
            "recall": right / len(truth) if truth else 1.0,
            "wrong": [_shown(rows, p) for p in found - truth],
            "missed": [_shown(rows, p) for p in truth - found],
        }
    return figures


def _shown(rows: list[dict], pair: frozenset) -> str:
    a, b = sorted(pair)
    return f"{rows[a].get('id') or rows[a]['text'][:40]} ~ {rows[b].get('id') or rows[b]['text'][:40]}"


def recurring_figures(grouper: Grouper, encode) -> dict:
    """Pair figures on the real set (all of it grouped at once, as a library would) and on the written set
    (dev and test grouped apart, as they always were)."""
    real, unsure = real_rows()
    figures = {"real": pair_figures(grouped(grouper, encode, real), real, unsure)}
    written = {}
    for name in ("dev", "test"):
        rows = [r for r in written_rows() if r["split"] == name]
        written[name] = pair_figures(grouped(grouper, encode, rows), rows)[name]
    figures["written"] = written
    return figures


def print_figures(title: str, figures: dict) -> None:
    """Per split: pairs labelled and grouped, precision, recall, then the wrong and the missed pairs."""
    for name, p in figures.items():
        print(
            f"{title} {name}: {p['labelled_pairs']} pairs labelled, {p['found_pairs']} grouped, "
            f"precision {p['precision']:.2f}, recall {p['recall']:.2f}"
        )
        for pair in p["wrong"]:
            print(f"    - wrong: {pair}")
        for pair in p["missed"]:
            print(f"    - missed: {pair}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blind", type=Path, action="append", default=[], help="also measure this folder alone")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="and this one with the fragments")
    args = parser.parse_args()
    from indexing.embeddings import Embedder

    encode = Embedder().encode_short  # as the app encodes recommendations (indexing.theming.cached_encoder)
    grouper = Grouper()
    figures = recurring_figures(grouper, encode)
    measured = [("fragments", figures["real"]), ("written", figures["written"])]
    for folder, with_fragments in [(f, False) for f in args.blind] + [(f, True) for f in args.extra]:
        title = "folder + fragments" if with_fragments else "folder"
        if len(args.blind) + len(args.extra) > 1:
            title = f"{folder.name}{' + fragments' if with_fragments else ''}"
        measured.append((title, folder_figures(grouper, encode, folder, with_fragments=with_fragments)))
    for title, set_figures in measured:
        print_figures(title, set_figures)
    wrong = sum(len(split["wrong"]) for _, set_figures in measured for split in set_figures.values())
    print(f"wrong pairs on every set measured: {wrong}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
