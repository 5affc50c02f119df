"""Recurring recommendations ("lessons not learned"): recommendations from different reviews that
ask for the same change in different words, with how often, since when, by whom, and whether
anyone acted on them. Plans typed in or imported and recommendations read from every report in the
library (other partnerships' and national ones too) are grouped together.

Recommendations are compared by meaning (all-MiniLM-L6-v2 vectors) of the whole text and of the *ask* alone
(the change asked for: without its addressee and lead-in such as "should ensure that" or "seeks assurance from
the ICB that", practice terms written one way by the project's thesaurus, so "IRIS" and "GP" read as what they
stand for); a pair's closeness is the lower of the two cosines, since one partnership's recommendations are
alike as whole texts and short generic asks are alike on their own. They are grouped by scikit-learn's
agglomerative clustering with *complete* linkage: every pair inside a group must be alike, so a
chain of near neighbours can never join two different lessons. A pair must also share a content
word of its asks, so two texts that are merely in the same register ("ensure staff are aware of...") are not
taken for the same lesson, and what they ask someone to do must agree (recommendations/lessons.json's kinds
of action, read from the asks from their verb on, so "The referral pathway should be reviewed" asks no one to
refer): naming different kinds (publicise vs respond) keeps a pair apart however alike
its words, naming the same kind lets a pair a little less alike be one lesson unless the kinds each asks for first
differ (recording what the public report vs sharing information with a MARAC; a first ask naming no kind differs
from one naming a kind; two training asks only where both name what the training is on: training the same
practitioners in different things is alike in every word but the topic), and their main asks (the first thing
each asks for: learning, as training or awareness, or doing) must agree: training on a tool and using it are two
lessons. Two that ask for a thing on a topic (guidance, training, a review: lessons.json's things) must ask for it on
topics alike too: asking one body for guidance on child contact and for guidance on reviews of deaths by an adult child
is alike in every word but the topic, and two lessons. Real recommendations of one
lesson can be further apart than different asks of one partnership ("routine enquiry" vs "implement IRIS":
cosine 0.38; two assurances one partnership seeks: 0.72), so meaning alone groups only near-paraphrases, and
the lessons reviews keep making (national analyses name them: routine enquiry, interpreters, carers'
assessments, MARAC referral, ...) are known by their wording and addressee (recommendations/lessons.py) and grouped
whatever their closeness, while two recommendations asking for different known lessons are never grouped; one whose
words ask for no known lesson is placed at one by meaning where its ask is close to that lesson's sentence and clearly
closer than to any other's (``Grouper.by_meaning``: chairs keep finding words no pattern knows). Prefer
a missed pair to a wrong merge: the thresholds are strict and are parameters, tuned on the dev rows and reported on
the test rows by benchmarks/recurring_quality.py (benchmarks/labelled/recurring_real.json: the fragments' real
recommendations; recurring.json: a written set; ``--blind DIR``: real recommendations kept outside the project).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from threadpoolctl import threadpool_limits

from core import workspace
from core.accounts import Viewer
from core.db import Store
from indexing.access import visible_documents
from indexing.document_meta import OWN_DOCUMENT
from indexing.theming import cached_encoder
from recommendations.asks import about, ask, asked, lesson_label, outside_topic, predicate
from recommendations.lessons import DOING, LEARNING, actions_asked, known_lessons, main_ask, main_lesson
from reviews.access import may_see

GENERIC_WORDS = frozenset(
    "ensure staff agency agencies review reviews should will must partnership partners practitioners service "
    "services domestic abuse violence victim victims appropriate relevant including consider".split()
)
MIN_CLOSENESS = 0.73  # tuned on dev: one partnership's different real asks reach 0.72 as whole texts
MIN_CLOSENESS_SAME_ACTION = 0.60  # tuned on dev: different real lessons asking one kind of action reach 0.58
MIN_CLOSENESS_ABOUT = MIN_CLOSENESS_SAME_ACTION  # topics of two asks for one kind of thing: as for one kind of action
# a second route to a pair needing no known lesson (``Grouper.alike``): asks alike as every pair must be, in whole texts
# that a chair's case facts and reasons pull apart. Tuned on every dev set with no known lesson read: 4 more true pairs
# (asks 0.73-0.78, whole texts 0.67-0.73), none wrong; the nearest different lessons: asks 0.76 with whole texts 0.59,
# asks 0.69 with whole texts 0.69
MIN_CLOSENESS_OF_CLOSE_ASKS = MIN_CLOSENESS
MIN_WHOLE_CLOSENESS_OF_CLOSE_ASKS = 0.64
# an ask no wording reads, placed by meaning at a known lesson's sentence: tuned on dev, the same pairs from 0.69 to
# 0.76 with a margin of 0.15 to 0.27 (an ask reaches 0.69 to a lesson it does not ask for, 0.14 clear of the next one)
MIN_CLOSENESS_TO_LESSON = 0.73
MIN_LESSON_MARGIN = 0.2
GROUPS_KEPT = 8
NO_KIND = "no kind"  # a main ask naming no kind of action: another kind than a named one (see _Reading)
PAIR_BLOCK = 1000  # rows of the similarity matrix held at once
_GROUPS: dict[tuple, list[list[int]]] = {}  # (grouper, texts, addressees) -> groups, so reruns do not regroup


@dataclass(frozen=True)
class Grouper:
    """``min_closeness``: closeness every pair in a group must reach; ``min_closeness_same_action``: the closeness
    enough for a pair that names the same kind of action (train, publicise, refer, ...: recommendations/lessons.json)
    and does not first ask for different kinds; a pair naming kinds of action but none in common is never grouped (it
    asks for different things); ``compare_asks``: whether a pair's closeness is the lower of its whole texts' and its
    asks' (see ``closeness``) or its whole texts' alone; ``min_shared_words``: content words of the asks (not stop words
    or words every plan uses) every pair must share; ``known_lessons``: whether two recommendations asking first for the
    same known lesson (recommendations/lessons.json) are alike whatever their closeness, and two asking first for
    different ones never are; ``min_closeness_about``: where asks are compared and both ask for a thing on a topic
    (``asks.about``), the closeness their topics must reach, or the pair is never grouped; ``min_closeness_to_lesson``
    and ``min_lesson_margin``: how close an ask must be to a known lesson's sentence, and how much closer than to any
    other lesson's, to be placed at that lesson by meaning (``by_meaning``); ``min_closeness_of_close_asks`` and
    ``min_whole_closeness_of_close_asks``: a second route by meaning (``alike``): asks at least this close whose whole
    texts are at least that close are alike as a pair whose closeness reaches ``min_closeness``."""

    min_closeness: float = MIN_CLOSENESS
    compare_asks: bool = True
    min_shared_words: int = 1
    min_closeness_same_action: float = MIN_CLOSENESS_SAME_ACTION
    known_lessons: bool = True
    min_closeness_about: float = MIN_CLOSENESS_ABOUT
    min_closeness_to_lesson: float = MIN_CLOSENESS_TO_LESSON
    min_lesson_margin: float = MIN_LESSON_MARGIN
    min_closeness_of_close_asks: float = MIN_CLOSENESS_OF_CLOSE_ASKS
    min_whole_closeness_of_close_asks: float = MIN_WHOLE_CLOSENESS_OF_CLOSE_ASKS

    def vectors(self, texts: list[str], encode) -> np.ndarray:
        """One row per text: its unit vector and, where asks are compared, its ask's unit vector and the unit vector
        of what the thing it asks for is about (``asks.about``; zeros where it asks for no such thing) beside it."""
        whole = encode(texts)
        if not self.compare_asks:
            return whole
        topics = [about(t) for t in texts]
        named = [i for i, topic in enumerate(topics) if topic]
        abouts = np.zeros_like(whole)
        if named:
            abouts[named] = encode([topics[i] for i in named])
        return np.hstack([whole, encode([ask(t) for t in texts]), abouts]).astype(np.float32)

    def by_meaning(self, vectors: np.ndarray, encode) -> list[str | None]:
        """For each row of ``vectors`` (made by ``vectors``), the known lesson its ask is placed at by meaning: the
        lesson whose sentence the ask is closest to, where that closeness reaches ``min_closeness_to_lesson`` and is
        ``min_lesson_margin`` clear of every other lesson's; None elsewhere (and where asks are not compared or known
        lessons not read). Chairs who write a lesson in words no pattern knows still write what it asks ("speak with
        the children present and note their views"); ``groups`` reads this only for a text whose wording asks for no
        known lesson, so a lesson read from the words is never overruled."""
        asks = self._parts(vectors)[1]
        lessons = known_lessons()
        if asks is None or not self.known_lessons or len(asks) == 0:
            return [None] * len(vectors)
        closeness = asks @ encode([lesson.label for lesson in lessons]).T
        nearest = np.argsort(-closeness, axis=1)[:, :2]
        first, second = (np.take_along_axis(closeness, nearest[:, [i]], axis=1).ravel() for i in (0, 1))
        placed = (first >= self.min_closeness_to_lesson) & (first - second >= self.min_lesson_margin)
        return [lessons[nearest[i, 0]].key if placed[i] else None for i in range(len(vectors))]

    def closeness(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """(len(first) × len(second)) closeness of rows made by ``vectors``: the whole texts' cosine or, where
        asks are compared, the lower of that and the asks' cosine. A pair is alike only when both are: one
        partnership's recommendations are alike as whole texts ("That the CSP seeks assurance that..."),
        short generic asks are alike on their own."""
        (first_whole, first_asks, _), (second_whole, second_asks, _) = self._parts(first), self._parts(second)
        closeness = first_whole @ second_whole.T
        return closeness if first_asks is None else np.minimum(closeness, first_asks @ second_asks.T)

    def alike(self, whole: np.ndarray, asks: np.ndarray | None) -> np.ndarray:
        """Which pairs, by their whole texts' and asks' cosines (asks None where not compared), are alike enough for
        one lesson whatever kind of action they name: both cosines reach ``min_closeness``, or the asks are near
        paraphrases (``min_closeness_of_close_asks``) and the whole texts reach ``min_whole_closeness_of_close_asks``. A
        chair's case facts and reasons around an ask pull its whole text away from another review's same ask, so the
        lower of the two cosines misses it; the whole texts must still be alike, since short generic asks are alike on
        their own."""
        if asks is None:
            return whole >= self.min_closeness
        close_asks = (asks >= self.min_closeness_of_close_asks) & (whole >= self.min_whole_closeness_of_close_asks)
        return (np.minimum(whole, asks) >= self.min_closeness) | close_asks

    def _parts(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """The whole texts' unit vectors, the asks' and what their things are about (None where asks are not
        compared), each contiguous."""
        if not self.compare_asks:
            return vectors, None, None
        third = vectors.shape[1] // 3
        return tuple(np.ascontiguousarray(vectors[:, start : start + third]) for start in (0, third, 2 * third))

    @threadpool_limits.wrap(limits=1, user_api="blas")
    def groups(
        self,
        texts: list[str],
        vectors: np.ndarray,
        addressees: Sequence[str | None] | None = None,
        by_meaning: Sequence[str | None] | None = None,
    ) -> list[list[int]]:
        """Indexes of texts grouped together (groups of two or more only); ``addressees``, where known, say whom
        each text asks (a known lesson can be named by its addressee alone); ``by_meaning``, where given (``by_meaning``
        of these vectors), the known lesson each text is placed at by meaning, read where its wording asks for none.
        Complete linkage never joins
        texts that no chain of allowed pairs connects, so the pairs are found block by block first (with
        the pairs asking for one known lesson) and each connected set is clustered on its own: 10,000
        recommendations need no 10,000² matrix. Its matrix products run on the calling thread alone: most are
        small (one connected set's), and BLAS's second thread, waiting between them, cost more CPU than it
        saved (10,000 recommendations: 6.5-7.4 s of CPU with two threads, 4.0-4.2 s with one, at a load of 13 on
        2 cores). The thread count is the process's: a grouping that starts while another runs keeps one thread
        after it (slower BLAS elsewhere, never a wrong result)."""
        if len(texts) < 2:
            return []
        read = _Reading.of(texts, self.known_lessons, addressees, by_meaning)
        first, second = read.joined_by_lessons()
        whole, asks, abouts = self._parts(vectors)
        named = None if abouts is None else _named(abouts)
        for start in range(0, len(texts), PAIR_BLOCK):
            # each pair once: a block's rows against themselves and the texts after them (half the products)
            block = whole[start : start + PAIR_BLOCK] @ whole[start:].T
            rows, columns = np.nonzero(np.triu(block >= self._lowest_closeness, 1))
            whole_closeness = block[rows, columns]
            ask_closeness = None if asks is None else (asks[start : start + PAIR_BLOCK] @ asks[start:].T)[rows, columns]
            closeness = whole_closeness if asks is None else np.minimum(whole_closeness, ask_closeness)
            rows += start
            columns += start
            other_topic = np.zeros(len(rows), dtype=bool)
            if abouts is not None:  # both ask for a thing (guidance, training, a review): on topics not alike
                both = np.flatnonzero(named[rows] & named[columns])
                on = np.einsum("ij,ij->i", abouts[rows[both]], abouts[columns[both]])
                other_topic[both] = on < self.min_closeness_about
            shared = np.asarray(read.words[rows].multiply(read.words[columns]).sum(axis=1)).ravel()
            same_action, other_action = _agreement(read.actions, rows, columns)
            same_action &= ~_agreement(read.main_kinds, rows, columns)[1]
            if abouts is not None:  # two training asks: the same kind of action only on a topic both name
                same_action &= ~(read.trains[rows] & read.trains[columns] & ~(named[rows] & named[columns]))
            _, other_lesson = _agreement(read.lessons, rows, columns)
            _, other_main_ask = _agreement(read.main_asks, rows, columns)
            alike = self.alike(whole_closeness, ask_closeness)
            alike |= same_action & (closeness >= self.min_closeness_same_action)
            allowed = alike & (shared >= self.min_shared_words) & ~other_action & ~other_lesson & ~other_main_ask
            allowed &= ~other_topic
            first.append(rows[allowed])
            second.append(columns[allowed])
        first, second = np.concatenate(first), np.concatenate(second)
        graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(len(texts), len(texts)))
        _, component = connected_components(graph, directed=False)
        members: dict[int, list[int]] = {}
        for index, label in enumerate(component.tolist()):
            members.setdefault(label, []).append(index)
        found = []
        for indexes in members.values():
            if len(indexes) == 2:
                found.append(indexes)
            elif len(indexes) > 2:
                found += [[indexes[i] for i in g] for g in self._cluster(indexes, vectors[indexes], read)]
        return found

    @property
    def _lowest_closeness(self) -> float:
        return min(self.min_closeness, self.min_closeness_same_action)

    def _distances(self, indexes: list[int], vectors: np.ndarray, read: _Reading) -> np.ndarray:
        """(n × n) distances among the texts ``indexes`` names: 1 − closeness where a pair may be grouped,
        2.0 (never) otherwise (as where the two ask for different known lessons), 0.0 where both ask for the same
        known lesson."""
        words = read.words[indexes]
        whole, asks, abouts = self._parts(vectors)
        closeness = np.clip(self.closeness(vectors, vectors), -1.0, 1.0)
        close = self.alike(whole @ whole.T, None if asks is None else asks @ asks.T)
        distance = 1.0 - closeness
        distance[(words @ words.T).toarray() < self.min_shared_words] = 2.0
        same_action, other_action = _agreement_among(read.actions[indexes])
        distance[~same_action & ~close] = 2.0
        distance[other_action] = 2.0  # both name what they ask, and it differs
        other_kind = _agreement_among(read.main_kinds[indexes])[1]
        distance[other_kind & ~close] = 2.0  # first asks for another kind of action
        on_topics = None if abouts is None else np.outer(_named(abouts), _named(abouts))
        if on_topics is not None:  # two training asks: the same kind of action only on a topic both name
            trains = read.trains[indexes]
            distance[np.outer(trains, trains) & ~on_topics & ~close] = 2.0
        distance[_agreement_among(read.main_asks[indexes])[1]] = 2.0  # learn vs do
        same_lesson, other_lesson = _agreement_among(read.lessons[indexes])
        distance[other_lesson] = 2.0  # two different known lessons (a local lesson asked nationally is another)
        if on_topics is not None:  # both ask for a thing (guidance, training, a review), on topics not alike
            distance[on_topics & (abouts @ abouts.T < self.min_closeness_about)] = 2.0
        distance[same_lesson] = 0.0
        np.fill_diagonal(distance, 0.0)
        return distance

    def _cluster(self, indexes: list[int], vectors: np.ndarray, read: _Reading) -> list[list[int]]:
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="complete", distance_threshold=1.0 - self._lowest_closeness
        )
        labels = model.fit_predict(self._distances(indexes, vectors, read))
        found: dict[int, list[int]] = {}
        for index, label in enumerate(labels):
            found.setdefault(int(label), []).append(index)
        return [members for members in found.values() if len(members) > 1]


@dataclass(frozen=True)
class _Reading:
    """What the grouper reads from each text, once: the content words and the kinds of action it asks for, whether
    its main ask is learning or doing and its kind of action (recommendations.lessons.main_ask), and the known lesson
    it asks for first, read with its addressee, or else the one it is placed at by meaning (texts × words, texts ×
    kinds, texts × {learning, doing}, texts × kinds, texts × lessons, 0/1), and whether its main ask is training (a
    local lesson asked of a national body is a lesson of its own: ``lessons.main_lesson``)."""

    words: csr_matrix
    actions: csr_matrix
    main_asks: csr_matrix
    main_kinds: csr_matrix
    lessons: csr_matrix
    trains: np.ndarray

    @classmethod
    def of(
        cls,
        texts: list[str],
        known_lessons: bool,
        addressees: Sequence[str | None] | None = None,
        by_meaning: Sequence[str | None] | None = None,
    ) -> _Reading:
        asks = [asked(t) for t in texts]  # what each asks for, not who asks whom: "seeks assurance" is no ask
        done = [predicate(t) for t in texts]  # from its verb: not a noun of its subject ("The referral pathway")
        mains = [main_ask(a) for a in done]
        asked_by = zip(texts, addressees or [None] * len(texts), by_meaning or [None] * len(texts), strict=True)
        return cls(
            words=_presence([_content_words(a) for a in asks]),
            actions=_presence([actions_asked(outside_topic(a)) for a in done]),
            main_asks=_presence([{first} - {None} for first, _ in mains], (LEARNING, DOING)),
            main_kinds=_presence([{kind or NO_KIND} if first else set() for first, kind in mains]),
            lessons=_presence([{main_lesson(t, a) or m} - {None} if known_lessons else set() for t, a, m in asked_by]),
            trains=np.array([kind == "train" for _, kind in mains], dtype=bool),
        )

    def joined_by_lessons(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pairs (first[i], second[i]) that join every text asking for a known lesson to the first text asking
        for it: enough to put them in one connected set (their distances are 0.0 there), without every pair."""
        by_lesson = self.lessons.tocsc()
        first, second = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for lesson in range(by_lesson.shape[1]):
            asking = by_lesson.indices[by_lesson.indptr[lesson] : by_lesson.indptr[lesson + 1]].astype(np.int64)
            first.append(np.full(max(len(asking) - 1, 0), asking[0] if len(asking) else 0, np.int64))
            second.append(asking[1:])
        return [np.concatenate(first)], [np.concatenate(second)]


def _named(abouts: np.ndarray) -> np.ndarray:
    """Which rows of ``vectors``' last part name what a thing asked for is about (the others are zeros)."""
    return np.any(abouts != 0, axis=1)


def _agreement(items: csr_matrix, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair (first[i], second[i]) of rows of a texts × items presence matrix (kinds of action, known
    lessons): whether both name an item in common, and whether both name items but none in common (different
    asks)."""
    common = np.asarray(items[first].multiply(items[second]).sum(axis=1)).ravel() > 0
    named = _has_any(items)
    return common, ~common & named[first] & named[second]


def _has_any(items: csr_matrix) -> np.ndarray:
    """Which rows of a texts × items presence matrix name any item."""
    return np.asarray(items.sum(axis=1)).ravel() > 0


def _agreement_among(items: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """``_agreement`` for every pair of rows of ``items`` at once: (n × n) whether both name an item in common, and
    whether both name items but none in common."""
    common = (items @ items.T).toarray() > 0
    named = _has_any(items)
    return common, ~common & np.outer(named, named)


def _presence(found: list[set[str]], items: Sequence[str] = ()) -> csr_matrix:
    """(texts × items) 0/1: which items each text has (``items``, where given, are all there can be: a column each
    even where no text has it)."""
    index = {item: i for i, item in enumerate(items or sorted(set().union(*found)))}
    rows = [row for row, items in enumerate(found) for _ in items]
    columns = [index[item] for items in found for item in items]
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(found), max(len(index), 1)))


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z\-']{2,}", text.lower())
    return {_stem(w) for w in words if w not in ENGLISH_STOP_WORDS and w not in GENERIC_WORDS}


@lru_cache(maxsize=100_000)  # recommendations repeat their words: each is stemmed once per process
def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


# whether the review (``reviews``) is published: what makes its recommendations public
_PUBLISHED = "EXISTS (SELECT 1 FROM stage_events WHERE stage_events.review_id = reviews.id AND stage = 'published')"
RECOMMENDATION_SQL = f"""
    SELECT recommendations.*, reviews.reference AS review, reviews.chair, reviews.notification_date,
           (SELECT min(completed_on) FROM stage_events WHERE stage_events.review_id = reviews.id
            AND stage IN ('qa_submission', 'csp_signoff', 'draft_report')) AS dated,
           {_PUBLISHED} AS published
    FROM recommendations JOIN reviews ON reviews.id = recommendations.review_id
    ORDER BY reviews.reference, recommendations.id
"""


def may_read_recommendation(viewer: Viewer, row: dict) -> bool:
    """A published review's recommendations are public; before publication, only the coordinator
    and the review's chair read them."""
    return bool(row["published"]) or may_see(viewer, row)


def _report_condition(viewer: Viewer) -> str:
    """Which documents' extracted recommendations a viewer's groups are built from: the documents the
    coordinator or a chair may see; for everyone else (partners, the board) public documents only."""
    return visible_documents(viewer) if viewer.sees_case_records else "documents.access = 'public'"


def readable_recommendations(store: Store, viewer: Viewer) -> list[dict]:
    """Every recommendation the viewer may read: those of the review plans (``review`` set) and those
    read from library reports (``document`` set). ``source`` says whose lesson it is: the review, or
    the review a report belongs to, or the report itself, so one review is never counted twice. A report's
    recommendation that its review's plan (as the viewer reads it) already holds, by number or by text, is
    listed once, as the plan's: adding a report's recommendations to the plan does not show them twice. It is one ask
    of one review, read the same either way: a plan's recommendation names no addressee, so it takes the report's
    (whom the report asks can be all that names the lesson: "introduce routine enquiry in the falls clinic", addressed
    to a hospital trust, asks health staff to ask about abuse). ``own`` says
    whether it is one of this partnership's reviews (a plan, or a report that is this partnership's: linked to one of
    its reviews or marked with its CSP, ``OWN_DOCUMENT``) or a report from elsewhere (another partnership's review, a
    national document, a report whose CSP is not recorded). ``plan_hidden`` says a report belongs to a review
    whose plan (its actions too) the viewer may not read: it is not published."""
    db = store.read()
    found = [
        {
            **r,
            "document": None,
            "title": None,
            "source": r["review"],
            "shown": r["review"],
            "year": int((r["dated"] or r["notification_date"])[:4]),
            "addressee": None,
            "own": True,
            "plan_hidden": False,
        }
        for r in db.query(RECOMMENDATION_SQL)
        if may_read_recommendation(viewer, r)
    ]
    planned = {(r["review"], key): r for r in found for key in _plan_keys(r)}
    sql = f"""
        SELECT document_recommendations.*, documents.source_name, documents.title, documents.year,
               reviews.reference AS linked_review, reviews.chair, {_PUBLISHED} AS published, {OWN_DOCUMENT} AS own
        FROM document_recommendations JOIN documents ON documents.id = document_recommendations.document_id
        LEFT JOIN reviews ON reviews.id = documents.review_id
        WHERE documents.status = 'indexed' AND {_report_condition(viewer)}
        ORDER BY documents.source_name, document_recommendations.ordinal
    """
    for r in db.query(sql, {"viewer": viewer.username, "partnership": workspace.load(db).partnership.strip()}):
        in_plan = [planned[r["linked_review"], key] for key in _plan_keys(r) if (r["linked_review"], key) in planned]
        if r["linked_review"] and in_plan:
            in_plan[0]["addressee"] = in_plan[0]["addressee"] or r["addressee"] or None
            continue
        found.append(
            {
                "id": None,
                "review": None,
                "document": r["source_name"],
                "title": r["title"] or r["source_name"],  # how a person knows the report
                "source": r["linked_review"] or f"document:{r['source_name']}",
                "shown": _report_shown(viewer, r),
                "year": r["year"],
                "number": r["number"],
                "text": r["text"],
                "addressee": r["addressee"] or None,
                "national": bool(r["national"]),
                "own": bool(r["own"]),
                "plan_hidden": bool(r["linked_review"]) and not may_read_recommendation(viewer, r),
            }
        )
    _told_apart([r for r in found if r["document"] and r["shown"] == r["title"]])
    return found


def _told_apart(titled: list[dict]) -> None:
    """Reports the reader knows by their titles (``_report_shown``), two of which share one ("Southampton review", as
    the accountability index titles every review of Southampton), named apart in every list and export: by their
    year ("Southampton review (2025)"), and where that is one too, by their file name as well."""
    details: dict[int, list[str]] = {id(r): [] for r in titled}

    def name(r: dict) -> str:
        return f"{r['title']} ({', '.join(details[id(r)])})" if details[id(r)] else r["title"]

    for detail in ("year", "document"):
        documents = defaultdict(set)
        for r in titled:
            documents[name(r)].add(r["document"])
        for r in [r for r in titled if len(documents[name(r)]) > 1 and r[detail]]:
            details[id(r)].append(str(r[detail]))
    for r in titled:
        r["shown"] = name(r)


def counted(members: list[dict]) -> dict:
    """How many reviews and reports made these recommendations (rows of ``readable_recommendations``) as ``reviews``,
    each counted once, and of them how many are this partnership's reviews (``own_reviews``: its plans, and reports of
    its reviews) and how many are reports from elsewhere (``other_reports``: other partnerships' reviews, national
    documents). Recurring and national lessons alike are counted here."""
    own = {r["source"] for r in members if r["own"]}
    other = {r["source"] for r in members if not r["own"]}
    return {"reviews": len(own | other), "own_reviews": len(own), "other_reports": len(other)}


def said(counts: dict) -> str:
    """A count (``counted``) as words that say what it counts: "2 reviews of this partnership and 1 report from
    another partnership or a national body"; the Themes page, the National page, their exports and the CLI say it so."""
    own, other = counts["own_reviews"], counts["other_reports"]
    parts = [f"{own} review{'s' if own != 1 else ''} of this partnership"] if own else []
    if other:
        parts.append(
            f"{other} report{'s' if other != 1 else ''} from "
            + ("other partnerships or national bodies" if other != 1 else "another partnership or a national body")
        )
    return " and ".join(parts)


def actions_said(group: dict) -> str:
    """What a group (``recurring``) says of its actions, true for the viewer it was built for: how many of the actions
    they may read are complete, "no actions recorded" only when no review of the group has a plan they may not read,
    and otherwise that the actions of the reviews not yet published are not shown (never that there are none)."""
    shown = (
        f"{group['complete']} of {group['actions']} action(s) complete, {group['not_started']} not started"
        if group["actions"]
        else ""
    )
    hidden = group["plans_not_shown"]
    if not hidden:
        return shown or "no actions recorded"
    if shown:
        return f"{shown}; actions not shown for {hidden} review{'s' if hidden != 1 else ''} not yet published"
    return (
        "actions not shown: " + ("the review is" if hidden == 1 else f"{hidden} of the reviews are") + " not published"
    )


def compared(store: Store, viewer: Viewer) -> dict[str, int]:
    """What ``recurring`` compares for this viewer: how many recommendations they may read, and from how many
    reviews and reports (a lesson recurs only when two of these make it)."""
    rows = readable_recommendations(store, viewer)
    return {"recommendations": len(rows), "sources": len({r["source"] for r in rows})}


def reports_not_public(store: Store, viewer: Viewer) -> int:
    """How many library reports the viewer may read whose recommendations board members and partners are not shown
    (``_report_condition``: theirs come from public documents only): those not marked public. A board member who can
    read a partners-level report is told why its recommendations are missing; the coordinator, who sees them all,
    that the board does not."""
    return (
        store.read()
        .execute(
            f"""SELECT count(*) FROM documents WHERE status = 'indexed' AND access != 'public'
            AND {visible_documents(viewer)}
            AND EXISTS (SELECT 1 FROM document_recommendations WHERE document_id = documents.id)""",
            {"viewer": viewer.username},
        )
        .fetchone()[0]
    )


def _report_shown(viewer: Viewer, report: dict) -> str:
    """How a report's recommendation names its source: the reference of the review the report belongs to
    where the viewer may read that review's plan (``may_read_recommendation``: a published review's, or one the
    viewer may see), else the report's title (its file name only when it has none): an unpublished review's
    reference is case information."""
    if report["linked_review"] and may_read_recommendation(viewer, report):
        return report["linked_review"]
    return report["title"] or report["source_name"]


def _plan_keys(recommendation: dict) -> list[tuple[str, str]]:
    """What makes a report's recommendation the same as a plan's: its number, or its text (spacing aside)."""
    number = str(recommendation["number"] or "").strip()
    return [("text", " ".join(recommendation["text"].split()).casefold())] + ([("number", number)] if number else [])


_SERVICE = re.compile(r"^(?P<agency>.+?)\s*\((?P<service>[^()]+)\)$")


def addressed_to(names: Sequence[str]) -> list[str]:
    """One addressee per agency, in first-seen order: "Integrated Care Board" and "Integrated Care Board (GP
    services)" read as the one agency, its more specific service(s) kept once in brackets."""
    agencies: dict[str, tuple[str, list[str]]] = {}
    for name in names:
        name = " ".join(name.split())
        matched = _SERVICE.match(name)
        agency, service = (matched["agency"], matched["service"].strip()) if matched else (name, "")
        shown, services = agencies.setdefault(agency.casefold(), (agency, []))
        if service and service.casefold() not in {s.casefold() for s in services}:
            services.append(service)
    return [f"{shown} ({', '.join(services)})" if services else shown for shown, services in agencies.values()]


def recurring(store: Store, viewer: Viewer, embedder, grouper: Grouper = Grouper()) -> list[dict]:
    """Groups of recommendations from two or more reviews or reports, built only from what the viewer
    may read (labels, counts and examples alike), with each plan recommendation's actions and status."""
    rows = readable_recommendations(store, viewer)
    if len(rows) < 2:
        return []
    texts = [r["text"] for r in rows]
    addressees = [r["addressee"] for r in rows]
    key = (grouper, tuple(texts), tuple(addressees))
    encode = cached_encoder(store, embedder)
    vectors = grouper.vectors(texts, encode)
    if key not in _GROUPS:  # the grouping depends on the texts and addressees alone: a page rerun reuses it
        if len(_GROUPS) >= GROUPS_KEPT:
            _GROUPS.pop(next(iter(_GROUPS)))
        _GROUPS[key] = grouper.groups(texts, vectors, addressees, grouper.by_meaning(vectors, encode))
    actions: dict[int, list[dict]] = {}
    for row in store.read().query(
        "SELECT recommendation_id, description, owner_agency, status FROM actions ORDER BY id"
    ):
        actions.setdefault(row["recommendation_id"], []).append(row)
    found = []
    for members in _GROUPS[key]:
        chosen = [rows[i] for i in members]
        count = counted(chosen)
        if count["reviews"] < 2:
            continue
        years = [r["year"] for r in chosen if r["year"]]
        group_actions = [a for r in chosen for a in actions.get(r["id"], [])]
        statuses = [a["status"] for a in group_actions]
        named = sorted({r["addressee"] for r in chosen if r["addressee"]})
        agencies = sorted({a["owner_agency"] for a in group_actions})
        found.append(
            {
                "label": lesson_label([r["text"] for r in chosen], vectors[members], [r["addressee"] for r in chosen]),
                **count,  # reviews, and of them own_reviews and other_reports (``said`` puts them in words)
                "review_references": sorted({r["shown"] for r in chosen}),
                "first_year": min(years) if years else None,
                "latest_year": max(years) if years else None,
                "agencies": agencies,
                "addressees": named,
                "addressed_to": addressed_to(named + agencies),  # one per agency, as the page shows them
                "actions": len(group_actions),
                "complete": statuses.count("complete"),
                "not_started": statuses.count("not_started"),
                # reviews whose reports made these recommendations and whose plans the viewer may not read
                "plans_not_shown": len({r["source"] for r in chosen if r["plan_hidden"]}),
                "recommendations": [
                    {
                        ("review" if r["review"] else "document"): r["review"] or r["document"],
                        "shown": r["shown"],  # the review's reference or the report's title, as the viewer may know it
                        "number": r["number"],
                        "text": r["text"],
                        "addressee": r["addressee"],
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
