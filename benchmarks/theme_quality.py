"""Quality of theme tagging and recurring-recommendation grouping on the labelled sets in
benchmarks/labelled/ (shared by bench_themes.py and the tests that guard the figures).

Thresholds are tuned on the 'dev' rows only; 'test' rows are reported and never tuned on.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexing.tagger import Example, ThemeTagger
from indexing.themes import bundled_themes
from recommendations.recurring import Grouper

LABELLED = Path(__file__).parent / "labelled"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
Encoder = Callable[[list[str]], np.ndarray]


@dataclass
class Row:
    text: str
    labels: set[str]
    split: str


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    per_theme: dict[str, list[int]] = field(default_factory=dict)  # theme -> [tp, fp, fn]

    def add(self, predicted: set[str], expected: set[str]) -> None:
        for theme in predicted | expected:
            counts = self.per_theme.setdefault(theme, [0, 0, 0])
            if theme in predicted and theme in expected:
                self.tp += 1
                counts[0] += 1
            elif theme in predicted:
                self.fp += 1
                counts[1] += 1
            else:
                self.fn += 1
                counts[2] += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _seed_line(file: str, line: int) -> str:
    lines = (SEEDS / file).read_text(encoding="utf-8").splitlines()
    columns = lines[line - 1].split("\t")
    return columns[1] if len(columns) > 1 else columns[0]


def load(name: str) -> list[Row]:
    document = json.loads((LABELLED / f"{name}.json").read_text(encoding="utf-8"))
    rows = []
    for item in document["rows"]:
        text = item["text"] if "text" in item else _seed_line(item["file"], item["line"])
        rows.append(Row(text, set(item["labels"]), item["split"]))
    return rows


def groups_for(name: str) -> tuple[str, ...]:
    return ("recommendation",) if name == "recommendations" else ("abuse", "circumstances", "practice")


def evaluate(tagger: ThemeTagger, rows: Sequence[Row], vectors: np.ndarray, *, other: bool) -> Scores:
    scores = Scores()
    found = tagger.predict([r.text for r in rows], vectors)
    for row, predicted in zip(rows, found, strict=True):
        themes = set(predicted)
        if other:  # the recommendation group: "other" only when nothing else applies
            themes = (themes - {"other"}) or {"other"}
        scores.add(themes, row.labels)
    return scores


def naive_zero_shot(rows: Sequence[Row], vectors: np.ndarray, encode: Encoder, groups: tuple[str, ...]) -> Scores:
    """The baseline: each text gets the themes whose description is closest (threshold tuned on dev)."""
    themes = [t for t in bundled_themes() if t.group in groups]
    descriptions = encode([t.description for t in themes])
    similarity = vectors @ descriptions.T
    dev = [i for i, r in enumerate(rows) if r.split == "dev"]
    best = max(
        np.arange(0.05, 0.6, 0.01),
        key=lambda cut: _score_matrix(similarity[dev], [rows[i] for i in dev], themes, cut).f1,
    )
    test = [i for i, r in enumerate(rows) if r.split == "test"]
    return _score_matrix(similarity[test], [rows[i] for i in test], themes, best)


def _score_matrix(similarity: np.ndarray, rows: Sequence[Row], themes, cut: float) -> Scores:
    scores = Scores()
    for row, line in zip(rows, similarity, strict=True):
        predicted = {themes[i].key for i in np.flatnonzero(line >= cut)} or {themes[int(line.argmax())].key}
        scores.add(predicted, row.labels)
    return scores


def tune(rows: Sequence[Row], vectors: np.ndarray, encode: Encoder, groups: tuple[str, ...], *, other: bool):
    """The thresholds with the best micro-F1 on the dev rows."""
    dev = [i for i, r in enumerate(rows) if r.split == "dev"]
    themes = [t for t in bundled_themes() if t.group in groups]
    best = None
    for semantic, margin, floor in itertools.product(
        np.arange(0.30, 0.75, 0.05), np.arange(0.0, 0.30, 0.05), np.arange(0.0, 0.40, 0.1)
    ):
        args = {
            "semantic_threshold": round(float(semantic), 3),
            "relative_margin": round(float(margin), 3),
            "lexical_floor": round(float(floor), 3),
        }
        tagger = ThemeTagger(**args).fit(themes, encode)
        f1 = evaluate(tagger, [rows[i] for i in dev], vectors[dev], other=other).f1
        if best is None or f1 > best[0] + 1e-9:
            best = (f1, args)
    return best


def learning_gain(
    rows: Sequence[Row],
    vectors: np.ndarray,
    encode: Encoder,
    groups: tuple[str, ...],
    tagger_args: dict,
    *,
    other: bool,
) -> tuple[Scores, Scores]:
    """Test-set scores before and after a person confirms the dev rows' labels and rejects the
    tagger's wrong dev suggestions (the examples a coordinator's review of the dev set gives)."""
    themes = [t for t in bundled_themes() if t.group in groups]
    dev = [i for i, r in enumerate(rows) if r.split == "dev"]
    test = [i for i, r in enumerate(rows) if r.split == "test"]
    before = ThemeTagger(**tagger_args).fit(themes, encode)
    examples = []
    for i, predicted in zip(dev, before.predict([rows[i].text for i in dev], vectors[dev]), strict=True):
        examples += [Example(t, vectors[i], True, rows[i].text) for t in rows[i].labels if t != "other"]
        examples += [Example(t, vectors[i], False, rows[i].text) for t in set(predicted) - rows[i].labels]
    after = ThemeTagger(**tagger_args).fit(themes, encode, examples)
    subset = [rows[i] for i in test]
    return evaluate(before, subset, vectors[test], other=other), evaluate(after, subset, vectors[test], other=other)


def pair_scores(grouper: Grouper, rows: list[dict], vectors: np.ndarray) -> tuple[float, float, int, int]:
    """Precision and recall of same-lesson pairs across reviews; and the wrong and missed pairs."""
    groups = grouper.groups([r["text"] for r in rows], vectors)
    predicted = {
        frozenset((a, b))
        for members in groups
        for a, b in itertools.combinations(members, 2)
        if rows[a]["review"] != rows[b]["review"]
    }
    truth = {
        frozenset((a, b))
        for a, b in itertools.combinations(range(len(rows)), 2)
        if rows[a]["lesson"] == rows[b]["lesson"] and rows[a]["review"] != rows[b]["review"]
    }
    right = len(predicted & truth)
    precision = right / len(predicted) if predicted else 1.0
    recall = right / len(truth) if truth else 1.0
    return precision, recall, len(predicted - truth), len(truth - predicted)


def recurring_pair_figures(grouper: Grouper, encode) -> dict:
    """Same-lesson pair precision and recall, wrong and missed pairs, on the dev and the test rows."""
    figures = {}
    for split in ("dev", "test"):
        rows = recurring_rows(split)
        vectors = grouper.vectors([r["text"] for r in rows], encode)
        precision, recall, wrong, missed = pair_scores(grouper, rows, vectors)
        figures[split] = {"precision": precision, "recall": recall, "wrong_pairs": wrong, "missed_pairs": missed}
    return figures


def recurring_rows(split: str) -> list[dict]:
    rows = json.loads((LABELLED / "recurring.json").read_text(encoding="utf-8"))["rows"]
    dev_lessons = {"A", "B", "C", "D", "E", "F", "A2", "B2", "C2"}
    return [r for r in rows if (r["lesson"] in dev_lessons) == (split == "dev")]
