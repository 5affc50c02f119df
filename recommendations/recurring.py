"""Recurring recommendations ("lessons not learned"): recommendations from different reviews that
ask for the same change in different words, with how often, since when, by whom, and whether
anyone acted on them.

Recommendations are compared by meaning (all-MiniLM-L6-v2 vectors) and grouped by scikit-learn's
agglomerative clustering with *complete* linkage: every pair inside a group must be alike, so a
chain of near neighbours can never join two different lessons. A pair must also share a content
word, so two texts that are merely in the same register ("ensure staff are aware of...") are not
taken for the same lesson. Prefer a missed pair to a wrong merge: the thresholds are strict and
are parameters, measured in benchmarks/bench_themes.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from core.accounts import Viewer
from core.db import Store
from indexing.theming import cached_encoder
from reviews.access import may_see

GENERIC_WORDS = frozenset(
    "ensure staff agency agencies review reviews should will must partnership partners practitioners service "
    "services domestic abuse violence victim victims appropriate relevant including consider".split()
)
MIN_CLOSENESS = 0.66
GROUPS_KEPT = 8
_GROUPS: dict[tuple, list[list[int]]] = {}  # (grouper, texts) -> groups, so reruns do not regroup


@dataclass(frozen=True)
class Grouper:
    """``min_closeness``: cosine every pair in a group must reach; ``min_shared_words``: content words
    (not stop words or words every plan uses) every pair must share."""

    min_closeness: float = MIN_CLOSENESS
    min_shared_words: int = 1

    def pairs_allowed(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """(n × n) distances: cosine distance where a pair may be grouped, 2.0 (never) otherwise."""
        words = [_content_words(t) for t in texts]
        index = {word: i for i, word in enumerate(sorted(set().union(*words)))}
        present = np.zeros((len(texts), len(index)), dtype=np.float32)
        for row, found in enumerate(words):
            present[row, [index[w] for w in found]] = 1.0
        shared = present @ present.T  # content words each pair of texts has in common
        distance = 1.0 - np.clip(vectors @ vectors.T, -1.0, 1.0)
        distance[shared < self.min_shared_words] = 2.0
        np.fill_diagonal(distance, 0.0)
        return distance

    def groups(self, texts: list[str], vectors: np.ndarray) -> list[list[int]]:
        """Indexes of texts grouped together (groups of two or more only)."""
        if len(texts) < 2:
            return []
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="complete", distance_threshold=1.0 - self.min_closeness
        )
        labels = model.fit_predict(self.pairs_allowed(texts, vectors))
        found: dict[int, list[int]] = {}
        for index, label in enumerate(labels):
            found.setdefault(int(label), []).append(index)
        return [members for members in found.values() if len(members) > 1]


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z\-']{2,}", text.lower())
    return {_stem(w) for w in words if w not in ENGLISH_STOP_WORDS and w not in GENERIC_WORDS}


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


RECOMMENDATION_SQL = """
    SELECT recommendations.*, reviews.reference AS review, reviews.chair, reviews.notification_date,
           (SELECT min(completed_on) FROM stage_events WHERE stage_events.review_id = reviews.id
            AND stage IN ('qa_submission', 'csp_signoff', 'draft_report')) AS dated,
           EXISTS (SELECT 1 FROM stage_events WHERE stage_events.review_id = reviews.id
                   AND stage = 'published') AS published
    FROM recommendations JOIN reviews ON reviews.id = recommendations.review_id
    ORDER BY reviews.reference, recommendations.id
"""


def may_read_recommendation(viewer: Viewer, row: dict) -> bool:
    """A published review's recommendations are public; before publication, only the coordinator
    and the review's chair read them."""
    return bool(row["published"]) or may_see(viewer, row)


def recurring(store: Store, viewer: Viewer, embedder, grouper: Grouper = Grouper()) -> list[dict]:
    """Groups of recommendations from two or more reviews, with each recommendation's actions and status."""
    db = store.read()
    rows = [r for r in db.query(RECOMMENDATION_SQL) if may_read_recommendation(viewer, r)]
    if len(rows) < 2:
        return []
    texts = [r["text"] for r in rows]
    key = (grouper, tuple(texts))
    if key not in _GROUPS:  # the grouping depends on the texts alone: a page rerun reuses it
        if len(_GROUPS) >= GROUPS_KEPT:
            _GROUPS.pop(next(iter(_GROUPS)))
        _GROUPS[key] = grouper.groups(texts, cached_encoder(store, embedder)(texts))
    actions: dict[int, list[dict]] = {}
    for row in db.query("SELECT recommendation_id, description, owner_agency, status FROM actions ORDER BY id"):
        actions.setdefault(row["recommendation_id"], []).append(row)
    found = []
    for members in _GROUPS[key]:
        chosen = [rows[i] for i in members]
        reviews = sorted({r["review"] for r in chosen})
        if len(reviews) < 2:
            continue
        years = [int((r["dated"] or r["notification_date"])[:4]) for r in chosen]
        group_actions = [a for r in chosen for a in actions.get(r["id"], [])]
        statuses = [a["status"] for a in group_actions]
        found.append(
            {
                "label": _label([r["text"] for r in chosen]),
                "reviews": len(reviews),
                "review_references": reviews,
                "first_year": min(years),
                "latest_year": max(years),
                "agencies": sorted({a["owner_agency"] for a in group_actions}),
                "actions": len(group_actions),
                "complete": statuses.count("complete"),
                "not_started": statuses.count("not_started"),
                "recommendations": [
                    {
                        "review": r["review"],
                        "number": r["number"],
                        "text": r["text"],
                        "actions": [
                            {k: a[k] for k in ("description", "owner_agency", "status")}
                            for a in actions.get(r["id"], [])
                        ],
                    }
                    for r in chosen
                ],
            }
        )
    return sorted(found, key=lambda g: (-g["reviews"], g["label"]))


def _label(texts: list[str]) -> str:
    """The words the group's recommendations share most, in the order the first one uses them."""
    sets = [_content_words(t) for t in texts]
    shared = set.intersection(*sets) if sets else set()
    first = re.findall(r"[a-z][a-z\-']{2,}", texts[0].lower())
    ordered = []
    for word in first:
        if _stem(word) in shared and _stem(word) not in {_stem(w) for w in ordered}:
            ordered.append(word)
    return " ".join(ordered[:6]) or texts[0][:60]
