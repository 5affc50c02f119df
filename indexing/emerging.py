"""Emerging themes: topics several documents discuss that no theme in the vocabulary names.

As in BERTopic (class-based TF-IDF over clusters of embeddings; its ideas, not its code): every
prose passage is grouped by meaning with scikit-learn (average-linkage agglomerative clustering on
cosine distance, with a distance threshold instead of a number of groups to guess; MiniBatchKMeans
condenses a large library into micro-clusters first). Passages are not set aside for sitting near a
known theme: a topic no theme names (abuse of pets as control) often shares its passages with known
ones. A group is an emerging theme when it has a *topic term*: a word in most of its passages, from
several documents, rare in the rest of the library, and not boilerplate: not a vocabulary word, not
a proper noun (place, organisation and people's names are capitalised wherever they appear), not
document furniture (contents, agenda items, dates, headings), and never from a low-information
passage (tables of figures, contents lines). A short brief's passages all tell its own case and group together, so a
topic is seeded by a group of two documents that share many topic terms (or of three that share one), and takes in
every passage of the library that says two of its topic terms, one of them a leading one (as BERTopic reduces
outliers by c-TF-IDF); a passage two topics claim is of the one whose centre it is nearer in meaning. Briefs on two
topics that share words and a way of telling a case (motorcycles, car repair garages) group together by meaning: once
one topic has taken its passages, what it leaves of a group seeds too. A one-page brief tells its case in most of its
words and its topic in a few, so meaning puts it beside other passages on the same abuse: short documents that share
several rare words (said in most of them, in any of their passages) seed a topic of the passages no topic holds,
where meaning scattered them and they are no template. Its label and
terms are the group's class-based TF-IDF terms among those candidates, weighted by how often the group says them and
by how much more often it says them than everyday English does (word frequencies from the ``wordfreq`` package:
"gambling" is rare in English, "man", "told" and "day" are not, and a library of a few dozen documents is too small
a background to know that); a word everyday English uses about as often as the group does is never a topic term. A
term is a word in all its forms
(Porter stems: "guns" and "gun" are one term, as are "farm" and "farming") or two adjacent words, shown as
the group writes them most; a phrase ("armed forces") takes the place of its words when the group says them
together. Groups whose terms share words, or where one group's topic term is among the other's terms, and whose
passages agree (in the words they say or in meaning), are one topic cut in two by the distance threshold, and are
joined (BERTopic's topic reduction). Groups are stored, not recomputed when a page is drawn.

Access: a group's label and terms are computed twice, from all its passages (shown to the
coordinator) and from only the passages of public and partners documents (shown to everyone else,
and only while exactly those passages remain readable to partners), so nobody reads a word that
came from a confidential document.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import NotFound
from core.workspace import put_setting, setting
from indexing.access import visible_documents
from indexing.chunking import low_information
from indexing.document_meta import KINDS
from indexing.library import Library
from indexing.search import stem
from indexing.tagger import TOKEN
from indexing.themes import add_themes, list_themes
from indexing.vector_sync import passage_matrix

# words every DHR document uses, and document furniture: they say nothing about what a group is about
DOMAIN_STOP_WORDS = frozenset(
    "domestic abuse violence victim victims review reviews services service agency agencies partnership "
    "council borough local support strategy plan also would could should including within across ensure "
    "work working year years page per cent new use used make made women men girls people person "
    "contents agenda item items appendix section table figure minutes chapter paragraph introduction summary "
    "report reports meeting date dated draft version final author january february march april may june july "
    "august september october november december monday tuesday wednesday thursday friday recommendation "
    "recommendations recommended recommend recommends action actions panel chair homicide dhr dhrs death died "
    "murder murdered killed "
    # the people of every review: who is related to whom is the case, not its topic
    "husband husbands wife wives partner partners boyfriend girlfriend son sons daughter daughters mother father "
    "parents sister brother "
    # what every review tells of the criminal case, in the same words ("pleaded guilty to murder and was sentenced
    # to life imprisonment with a minimum term of ..."), and the furniture of its opening ("pseudonyms have been
    # used", "the panel expresses its sympathy"): an executive summary's paragraph, never a topic
    "sentence sentenced sentencing imprisonment convicted conviction guilty plea pleaded manslaughter tariff "
    "pseudonym pseudonyms sympathy sympathies condolences summaries summarise summarised "
    "https http www source published extracted definition definitions defines defined "
    # the headings every brief is set out under ("2. Findings", "Background", "Key learning", "Timeline"): a word
    # every short brief says once is rare in a library of a few dozen documents, but names no topic
    "background findings finding learning learned lessons conclusion conclusions timeline briefing overview".split()
) | {word.lower() for kind in KINDS for word in kind.split()}  # "Learning brief: ...", "QA letter": headings, no topic
SHARED_ACCESS = ("public", "partners")
COMPUTED_FOR_KEY = "emerging_library_version"  # in the workspace's settings: the library version last grouped
# how emerging themes are found: groups a release before this one found (a contact line's "csp", one topic cut in
# two; version 3: a passage saying none of its topic words; version 4: topics seeded by two documents and grown by
# their terms, joined only where their passages agree; version 5: what a topic leaves of a group seeds too; version 6:
# short documents that share rare words seed a topic where meaning scattered their passages, and what every review
# tells of the criminal case is no topic) are out of date in an upgraded workspace as if its library had changed, and
# the next ingest recomputes them
GROUPING_VERSION = 6
TERM = r"(?u)\b[a-zA-Z][a-zA-Z\-]{2,}\b"
# contact details (an email, a web address, a phone number), removed wherever they are: "csp@ashcombe.gov.uk"
# would give "csp" in every brief of a board
CONTACT_DETAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:https?://|www\.)\S+"
    r"|(?:\+44\s?(?:\(0\))?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
)
# a line of contact or publication details, led by the words such lines start with ("For further information",
# "Contact:", "Published by", "Review date") or with "| Published <month year>" in a header
FURNITURE_LINE = re.compile(
    r"(?:^|\|)\W*(?:for (?:further|more) information|further information|contact\s*(?::|us\b|(?:the )?(?-i:[A-Z]))"
    r"|published(?:\s*:|\s+(?:by|in|on)\b|\s+(?-i:[A-Z][a-z]+) \d{4})|review date)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Settings:
    distance: float = 0.5  # average cosine distance within a group at most
    min_passages: int = 3
    min_documents: int = 3
    topic_share: float = 0.5  # a topic term is in at least this share of the group's passages
    background_share: float = 0.05  # and in at most this share of the other passages
    english_ratio: float = 50.0  # and the group says it at least this many times as often as everyday English
    template_share: float = 0.3  # a group whose passages share this much wording across documents is a template
    shingle: int = 6  # words in a run of wording compared for templates
    proper_share: float = 0.7  # a word capitalised in this share of its uses is a name
    micro_clusters_above: int = 3000  # larger sets are condensed by MiniBatchKMeans first
    micro_passes: int = 5  # passes of MiniBatchKMeans over the passages
    terms: int = 5
    examples: int = 5
    merge_terms: int = 2  # groups whose terms share this many words are one topic (BERTopic's topic reduction)
    seed_documents: int = 2  # a group of passages from this many documents may seed a topic, if it grows to more
    seed_words: int = 6  # and has this many topic terms, if it is from fewer than min_documents
    leading: int = 3  # a passage that says two of a topic's terms, one among its this many most distinctive, is of it
    short_passages: int = 6  # a document of this many prose passages or fewer is short (a brief of a page or two)
    word_led_terms: int = 3  # a topic of short documents led by a word has this many topic terms
    agree_share: float = 0.5  # groups agree when on average this share of each one's passages say the other's terms


def _groups(vectors: np.ndarray, settings: Settings) -> np.ndarray:
    """A group number for each vector (average linkage, cosine distance, a distance threshold)."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=np.int64)
    if len(vectors) <= settings.micro_clusters_above:
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=settings.distance
        )
        return model.fit_predict(vectors)
    k = min(len(vectors) // 10, 2000)
    # random starting centres: k-means++ seeding of 2,000 centres alone took minutes at 100,000 passages,
    # and a few passes over the data place micro-clusters well enough for the grouping that follows
    micro = MiniBatchKMeans(
        n_clusters=k, init="random", max_iter=settings.micro_passes, random_state=0, n_init=1, batch_size=4096
    ).fit(vectors)
    centres = micro.cluster_centers_ / np.linalg.norm(micro.cluster_centers_, axis=1, keepdims=True)
    merged = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=settings.distance
    ).fit_predict(centres)
    return merged[micro.labels_]


def _vocabulary_words(themes) -> set[str]:
    """Every word of the themes' labels and seed phrases (the vocabulary names these already)."""
    words = set()
    for theme in themes:
        for phrase in (theme.label, *theme.seeds):
            words |= {w.lower() for w in re.findall(TERM, phrase)}
    return words


def _without_furniture(text: str) -> str:
    """``text`` less its contact and publication lines ("For further information contact the CSP team ...",
    "Published by ...", "Review date: ...") and its email addresses, web addresses and phone numbers: every
    brief of a board has the same ones, and they name the board, not a topic."""
    lines = (line for line in text.splitlines() if not FURNITURE_LINE.search(line))
    return CONTACT_DETAIL.sub(" ", "\n".join(lines))


def _proper_nouns(texts: Sequence[str], share: float) -> set[str]:
    """Words capitalised in at least ``share`` of their uses mid-sentence: names of places,
    organisations and people, and the abbreviations of organisations and processes (CSP, SAB, ICB),
    which DHR texts write in capitals (and shouted headings, which say nothing either)."""
    uses: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        for match in re.finditer(r"(?<![.!?:]\s)(?<!^)\b([A-Z]{2,}|[A-Za-z][a-z]*[A-Za-z]?)\b", text):
            word = match.group(1)
            uses[word.lower()] += 1
            capitalised[word.lower()] += word[0].isupper()
    return {w for w, n in uses.items() if capitalised[w] >= share * n}


def english_frequency(word: str) -> float:
    """How often everyday English uses ``word``: its share of all words (wordfreq's 'en' list, which blends
    books, film subtitles, news, web text and more); a word the list lacks counts as one in a billion."""
    from wordfreq import word_frequency  # imported here: it takes a second to load, and pages never label

    return max(word_frequency(word, "en"), 1e-9)


class Labeller:
    """Topic terms of groups of passages against the rest of the library (class-based TF-IDF over word
    forms: 'gun' and 'guns', 'farm' and 'farming' count as one term, shown in the group's commonest form;
    two adjacent terms count as a phrase too, shown in place of its words where the group says them together)
    and against everyday English (a term's keyness: its share of the group's words over its share of English)."""

    def __init__(self, texts: Sequence[str], stop_words: set[str], settings: Settings):
        self.settings = settings
        self.texts = texts
        self.stop_words = stop_words
        self.forms: dict[str, str | None] = {}
        self.vectorizer = CountVectorizer(analyzer=self._analyse)
        self.counts = self.vectorizer.fit_transform(texts).tocsr() if texts else None
        self.presence = self.counts.copy() if texts else None
        if self.presence is not None:
            self.presence.data[:] = 1  # in the passage or not
        self.terms = self.vectorizer.get_feature_names_out() if texts else np.array([])
        self.everywhere = np.asarray(self.presence.sum(axis=0)).ravel() if texts else np.zeros(0)
        self.words = np.array([len(t.split()) for t in texts], dtype=np.int64)  # every word, as English counts
        self.english = self._english()
        self.parts = self._parts()
        self.by_term = None  # the presence matrix by column, made when first asked which passages say a topic

    def _parts(self) -> np.ndarray:
        """For each term, the terms of its two words (a word's are itself twice)."""
        index = getattr(self.vectorizer, "vocabulary_", {})
        pairs = [[index[w] for w in (*str(t).split(), str(t))[:2]] for t in self.terms]
        return np.array(pairs, dtype=np.int64).reshape(-1, 2)

    def _english(self) -> np.ndarray:
        """Each term's share of everyday English: a word's is the sum over the forms the library writes it in,
        a phrase's is its words' combined as wordfreq combines the words of a phrase (half their harmonic mean)."""
        of_key: Counter[str] = Counter()
        for word, key in self.forms.items():
            if key:
                of_key[key] += english_frequency(word)
        shares = []
        for term in self.terms:
            parts = [of_key[k] or 1e-9 for k in str(term).split()]
            shares.append(1 / sum(1 / p for p in parts))
        return np.array(shares, dtype=np.float64)

    def _key(self, word: str) -> str | None:
        """A lower-case word's form (its stem), or None for a stop word; each word looked up once."""
        if word not in self.forms:
            self.forms[word] = None if word in self.stop_words else stem(word)
        return self.forms[word]

    def _keys(self, text: str) -> list[str | None]:
        return [self._key(w) for w in re.findall(TERM, text.lower())]

    def _analyse(self, text: str) -> list[str]:
        keys = self._keys(text)
        return [k for k in keys if k] + [f"{a} {b}" for a, b in zip(keys, keys[1:], strict=False) if a and b]

    def terms_of(self, rows: np.ndarray, document_ids: np.ndarray) -> list[str]:
        """The group's terms, most distinctive first, led by a topic term found in passages of several
        documents; empty when it has none (not a topic)."""
        return self.named(rows, document_ids)[0]

    def named(
        self, rows: np.ndarray, document_ids: np.ndarray, documents: int | None = None
    ) -> tuple[list[str], list[str]]:
        """The group's terms (as ``terms_of``) and its topic terms of one word, as word forms (stems), most
        distinctive first; a topic term is in passages of ``documents`` of the group's documents (by default
        ``min_documents``)."""
        if self.counts is None or len(rows) < self.settings.min_passages:
            return [], []
        total = self.presence.shape[0]
        inside = np.asarray(self.presence[rows].sum(axis=0)).ravel()
        frequency = np.asarray(self.counts[rows].sum(axis=0)).ravel()
        outside_share = (self.everywhere - inside) / max(total - len(rows), 1)
        inside_share = inside / len(rows)
        # keyness: how many times as often the group says the term as everyday English does
        keyness = frequency / max(int(self.words[rows].sum()), 1) / self.english
        key = keyness >= self.settings.english_ratio
        key &= key[self.parts].any(axis=1)  # and a phrase of two everyday words ("man told") is not key
        # class-based TF-IDF: how often the group says the term against how widely the library uses it, and
        # against English
        weight = frequency / len(rows) * np.log(1 + total / np.maximum(self.everywhere, 1))
        weight *= np.log(np.maximum(keyness, 1.0))
        topical = (inside_share >= self.settings.topic_share) & (outside_share <= self.settings.background_share)
        topical &= key & (self._spread(rows, document_ids) >= (documents or self.settings.min_documents))
        if not topical.any():
            return [], []
        candidates = (inside >= 2) & (outside_share <= self.settings.background_share) & key
        order = np.argsort(-np.where(topical, weight + 10, np.where(candidates, weight, -1)))
        chosen = self._phrases([int(i) for i in order[: 4 * self.settings.terms] if candidates[i]], frequency)
        topic_words = [str(self.terms[i]) for i in order if topical[i] and " " not in str(self.terms[i])]
        return self.shown(chosen[: self.settings.terms], rows), topic_words

    def _phrases(self, order: list[int], frequency: np.ndarray) -> list[str]:
        """The terms in order, a phrase taking the place of its words when the group says them together at
        least half as often as it says either word, and never beside them."""
        chosen: list[str] = []
        for i in order:
            words = str(self.terms[i]).split()
            if len(words) == 1:
                if not any(words[0] in c.split() for c in chosen):
                    chosen.append(words[0])
                continue
            parts = [self.vectorizer.vocabulary_[w] for w in words if w in self.vectorizer.vocabulary_]
            together = len(parts) == 2 and all(frequency[i] * 2 >= frequency[p] for p in parts)
            if together and not any(w in c.split() for c in chosen if " " in c for w in words):
                places = [chosen.index(w) for w in words if w in chosen]
                chosen = [c for c in chosen if c not in words]
                chosen.insert(min(places, default=len(chosen)), " ".join(words))
        return chosen

    def shown(self, keys: list[str], rows: np.ndarray) -> list[str]:
        """Each term as the group's passages most often write it (each passage read once for all of them)."""
        seen: dict[str, Counter[str]] = {key: Counter() for key in keys}
        sizes = {len(key.split()) for key in keys}
        for row in rows:
            words = [w.lower() for w in re.findall(TERM, self.texts[row])]
            forms = self._keys(self.texts[row])
            for size in sizes:
                for i in range(len(words) - size + 1):
                    key = " ".join(k or "" for k in forms[i : i + size])
                    if key in seen:
                        seen[key][" ".join(words[i : i + size])] += 1
        return [seen[key].most_common(1)[0][0] if seen[key] else key for key in keys]

    def saying(self, rows: np.ndarray, words: set[str]) -> np.ndarray:
        """The rows whose passages say at least one of ``words`` (word forms)."""
        columns = [self.vectorizer.vocabulary_[w] for w in sorted(words) if w in self.vectorizer.vocabulary_]
        return rows[np.asarray(self.presence[rows][:, columns].sum(axis=1)).ravel() > 0]

    def of_topic(self, topic_words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Whether each passage speaks of the topic whose topic terms are ``topic_words`` (most distinctive
        first): it says two of them (or the only one), one among the ``leading`` few (one word said alone is not
        enough: "licensing" of taxis and of tattoo studios, "farm" of "Chase Farm Hospital"); and whether it says
        one of those few at all."""
        if self.by_term is None:
            self.by_term = self.presence.tocsc()
        says = self.by_term[:, [self.vectorizer.vocabulary_[w] for w in topic_words]].toarray() > 0
        leading = says[:, : self.settings.leading].any(axis=1)
        return leading & (says.sum(axis=1) >= min(2, len(topic_words))), leading

    def word_led(self, document_ids: np.ndarray, free: np.ndarray) -> list[list[str]]:
        """Topics of short documents led by a word, judged over documents: each a lead term and the terms said with
        it, as word forms, lead first. A one-page brief tells its case in most of its words and its topic in a few
        ("the amateur theatre company he directed", "rehearsals"), so its one passage groups with the case by
        meaning, not with the other briefs on the topic. A lead is a topic term of the short documents (of
        ``short_passages`` passages or fewer) that say it: said in ``min_documents`` of them or more, in at most
        ``background_share`` of the library's passages, and ``english_ratio`` times as often as everyday English
        in those documents' words; it leads a topic when other such terms are said in at least ``topic_share`` of
        its documents (and in ``min_documents`` of them), in any of their passages."""
        settings = self.settings
        if self.counts is None:
            return []
        documents, rows_of = np.unique(document_ids, return_inverse=True)
        rows = np.flatnonzero(free)
        of_document = csr_matrix(
            (np.ones(len(rows)), (rows_of[rows], rows)), shape=(len(documents), len(rows_of))
        )  # each document's free passages
        short = np.bincount(rows_of) <= settings.short_passages
        said = (of_document[short] @ self.counts).tocsr()  # how often each short document says each term
        words = of_document[short] @ self.words
        frequency = np.asarray(said.sum(axis=0)).ravel()
        said.data[:] = 1  # in the document or not
        spread = np.asarray(said.sum(axis=0)).ravel()
        keyness = frequency / np.maximum(said.T @ words, 1) / self.english
        one_word = np.array([" " not in str(t) for t in self.terms], dtype=bool)
        rare = self.everywhere <= settings.background_share * self.presence.shape[0]
        topical = np.flatnonzero(
            one_word & rare & (keyness >= settings.english_ratio) & (spread >= settings.min_documents)
        )
        said = said[:, topical]
        by_term = said.tocsc()
        found = []
        for column in np.argsort(-keyness[topical]).tolist():
            together = np.asarray(said[by_term[:, column].nonzero()[0]].sum(axis=0)).ravel()
            enough = together >= max(settings.min_documents, settings.topic_share * together[column])
            enough[column] = False
            if enough.sum() >= settings.word_led_terms - 1:
                others = sorted(np.flatnonzero(enough).tolist(), key=lambda c: (-together[c], -keyness[topical[c]]))
                found.append([str(self.terms[topical[c]]) for c in (column, *others)])
        return found

    def _spread(self, rows: np.ndarray, document_ids: np.ndarray) -> np.ndarray:
        """For each term, in how many of the group's documents it appears."""
        spread = np.zeros(self.presence.shape[1], dtype=np.int64)
        for document in np.unique(document_ids):
            spread += np.asarray(self.presence[rows[document_ids == document]].sum(axis=0)).ravel() > 0
        return spread


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = [w.lower() for w in TOKEN.findall(text)]
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 0))}


def _is_template(texts: Sequence[str], document_ids: Sequence[int], settings: Settings) -> bool:
    """Whether a group's passages repeat the same wording across documents (a page template, a
    definition quoted by every strategy): the typical passage shares ``template_share`` of its runs of
    words with another document's passage in the group."""
    shingles = [_shingles(t, settings.shingle) for t in texts]
    documents_of: dict[tuple[str, ...], set[int]] = {}
    for own, document in zip(shingles, document_ids, strict=True):
        for shingle in own:
            documents_of.setdefault(shingle, set()).add(document)
    shared = [sum(len(documents_of[s]) > 1 for s in own) / len(own) if own else 1.0 for own in shingles]
    return float(np.median(shared)) >= settings.template_share


def compute(library: Library, viewer: Viewer, settings: Settings = Settings()) -> int:
    """Find and store the emerging themes over every indexed prose passage. Returns how many."""
    require_coordinator(viewer, "Only the coordinator can recompute emerging themes")
    ids, document_ids, vectors = passage_matrix(library.store)
    rows = _passages(library, [int(i) for i in ids])
    texts = [_without_furniture(rows[int(i)]["text"]) for i in ids]
    prose = np.array([not low_information(t) for t in texts], dtype=bool)
    chosen = np.flatnonzero(prose)
    groups = _groups(vectors[chosen], settings) if len(chosen) else np.zeros(0, dtype=np.int64)
    stop_words = set(ENGLISH_STOP_WORDS) | DOMAIN_STOP_WORDS
    stop_words |= _vocabulary_words(list_themes(library.store.read()))
    stop_words |= _proper_nouns([texts[i] for i in chosen], settings.proper_share)
    labeller = Labeller([texts[i] for i in chosen], stop_words, settings)
    shared = np.array([rows[int(ids[i])]["access"] in SHARED_ACCESS for i in chosen], dtype=bool)

    def seed_of(members: np.ndarray) -> tuple[np.ndarray, list[str], list[str]] | None:  # positions in ``chosen``
        found = _seed(members, document_ids[chosen], labeller, settings)
        if found and not _is_template([texts[chosen[m]] for m in found[0]], document_ids[chosen[found[0]]], settings):
            return found
        return None

    seeds, unseeded = [], []
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        found = seed_of(members)
        if found:
            seeds.append(found)
        else:
            unseeded.append(members)
    # a topic whose passages meaning groups with another topic's (two topics that share words and a way of telling a
    # case) is found once the other has taken its own passages: then what is left of their groups seeds, until no
    # group's rest does (each round takes passages no topic held, so it ends); then, once, the topics of short
    # documents that meaning scattered seed from the passages no topic holds (``_word_led``)
    topics, word_led, more = [], True, True
    while more:
        topics = _topics(seeds, labeller, vectors[chosen], settings) if seeds else []
        taken = np.zeros(len(chosen), dtype=bool)
        for members in topics:
            taken[members] = True
        found = [seed for seed in map(seed_of, _rests(unseeded, taken, document_ids[chosen], labeller)) if seed]
        if not found and word_led:
            found, word_led = _word_led(labeller, groups, ~taken, document_ids[chosen]), False
        seeds, more = seeds + found, bool(found)
    kept = []
    for members in topics:
        _, topic_words = labeller.named(members, document_ids[chosen[members]])
        # a passage that says none of its topic words is near the topic in meaning only ("his grandson visited at
        # weekends" beside briefs on weekends spent fishing): not one of its passages
        members = labeller.saying(members, set(topic_words))
        if len(set(document_ids[chosen[members]])) < settings.min_documents:
            continue
        if _is_template([texts[chosen[m]] for m in members], document_ids[chosen[members]], settings):
            continue
        terms = labeller.terms_of(members, document_ids[chosen[members]])
        if not terms:
            continue
        shared_terms = _shared_terms(labeller, members[shared[members]], document_ids[chosen], settings)
        kept.append((members, terms, shared_terms))
    with library.store.write(viewer.username) as tx:
        tx.db.execute("DELETE FROM emerging_themes")
        put_setting(tx, COMPUTED_FOR_KEY, _computed_for(tx.db))
        for members, terms, shared_terms in sorted(kept, key=lambda kv: -len(kv[0])):
            positions = chosen[members]
            centre = vectors[positions].mean(axis=0)
            centre /= np.linalg.norm(centre) or 1.0
            closeness = vectors[positions] @ centre
            basis = sorted(int(ids[chosen[m]]) for m in members[shared[members]]) if shared_terms else None
            emerging_id = tx.insert(
                "emerging_themes",
                {
                    "label": _label(terms),
                    "terms": json.dumps(terms),
                    "shared_label": _label(shared_terms) if shared_terms else None,
                    "shared_terms": json.dumps(shared_terms) if shared_terms else None,
                    "shared_basis": json.dumps(basis) if basis else None,
                    "computed_at": utc_now(),
                },
            )
            tx.db["emerging_members"].insert_all(
                {"emerging_id": emerging_id, "chunk_id": int(ids[i]), "closeness": round(float(c), 4)}
                for i, c in zip(positions, closeness, strict=True)
            )
    return len(kept)


def _seed(
    members: np.ndarray, document_ids: np.ndarray, labeller: Labeller, settings: Settings
) -> tuple[np.ndarray, list[str], list[str]] | None:
    """A group of passages (by position) that may seed a topic: its passages, terms and topic terms (most
    distinctive first); or None. Passages are grouped by meaning, and a short brief's passages all tell its own
    case, so one brief's section on a topic groups with its case, and a topic in four briefs can be one group of two
    briefs' passages and two groups of one brief each: a group of ``seed_documents`` documents with ``seed_words``
    topic terms in both seeds it (two documents that share a few rare words are a board's way of writing), as does a
    group of ``min_documents`` with one."""
    documents = len(set(document_ids[members]))
    if len(members) < settings.min_passages or documents < settings.seed_documents:
        return None
    terms, topic_words = labeller.named(members, document_ids[members], min(documents, settings.min_documents))
    if len(topic_words) < (1 if documents >= settings.min_documents else settings.seed_words):
        return None
    return members, terms, topic_words


def _word_led(
    labeller: Labeller, groups: np.ndarray, free: np.ndarray, document_ids: np.ndarray
) -> list[tuple[np.ndarray, list[str], list[str]]]:
    """Seeds of topics of short documents led by a word (``Labeller.word_led``), from the passages (by position) no
    topic holds (``free``): each seed the passages that say two of its topic terms. Only where meaning scattered its
    passages (no one group holds ``topic_share`` of them: a group the group tests judged is not judged again, and a
    board's own strategies that set out their monitoring in the same words group together), from ``min_documents``
    documents or more, and not a template."""
    settings = labeller.settings
    seeds = []
    for topic_words in labeller.word_led(document_ids, free):
        members = np.flatnonzero(labeller.of_topic(topic_words)[0] & free)
        if len(set(document_ids[members])) < settings.min_documents:
            continue
        if np.bincount(groups[members]).max() >= settings.topic_share * len(members):
            continue
        if not _is_template([labeller.texts[m] for m in members], document_ids[members], settings):
            seeds.append((members, labeller.shown(topic_words[: settings.terms], members), topic_words))
    return seeds


def _topics(
    seeds: list[tuple[np.ndarray, list[str], list[str]]], labeller: Labeller, vectors: np.ndarray, settings: Settings
) -> list[np.ndarray]:
    """Each topic's passages (by position): the seeds joined where they are one topic (``_merged``), grown by every
    passage that speaks of them (``_grown``)."""
    said = [labeller.of_topic(topic_words) for _, _, topic_words in seeds]
    claims, mentions = [claim for claim, _ in said], [mentioned for _, mentioned in said]
    agreeing = _agreeing(seeds, mentions, vectors, settings)
    parts_of = _merged([(terms, topic_words) for _, terms, topic_words in seeds], agreeing, settings)
    return _grown(parts_of, seeds, claims, vectors)


def _rests(
    groups: list[np.ndarray], taken: np.ndarray, document_ids: np.ndarray, labeller: Labeller
) -> list[np.ndarray]:
    """What is left of each group (by position) that a topic took part of, with every passage of the library not
    taken that speaks of what is left: a candidate seed. A group that holds passages of two topics names neither
    (no word is in most of its passages), and when the topic with briefs nearer each other in meaning is found and
    takes its passages, the rest of the group names the other ("garage / mechanic" once "motorcycle / motorbike" has
    gone); that topic's other briefs sit in other groups, each beside other passages, so the rest takes in every
    passage that says its topic terms as a topic grows (``Labeller.of_topic``). Only groups a topic took part of: a
    group of two documents that no topic touched was judged as a whole, as a seed. ``taken``: whether each passage is
    of a topic already."""
    settings = labeller.settings
    found = []
    for members in groups:
        rest = members[~taken[members]]
        if len(rest) == len(members) or len(rest) < settings.min_passages:
            continue
        if len(set(document_ids[rest])) < settings.seed_documents:
            continue
        _, topic_words = labeller.named(rest, document_ids[rest], settings.seed_documents)
        if len(topic_words) >= 2:  # it grows by passages that say two of them: one word alone ("complaint") is no topic
            claimed, _ = labeller.of_topic(topic_words)
            found.append(np.union1d(rest, np.flatnonzero(claimed & ~taken)))
    return found


def _agreeing(
    seeds: list[tuple[np.ndarray, list[str], list[str]]],
    mentions: Sequence[np.ndarray],
    vectors: np.ndarray,
    settings: Settings,
) -> np.ndarray:
    """For each two seeds, whether their passages agree: on average ``agree_share`` of each one's passages say one
    of the other's leading topic terms, or their centres are as near in meaning as the passages of one group."""
    said = np.zeros((len(seeds), len(seeds)))
    for a, mentioned in enumerate(mentions):
        said[a] = [mentioned[members].mean() for members, _, _ in seeds]
    centres = np.array([vectors[members].mean(axis=0) for members, _, _ in seeds]).reshape(len(seeds), vectors.shape[1])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    return ((said + said.T) / 2 >= settings.agree_share) | (centres @ centres.T >= 1 - settings.distance)


def _grown(
    parts_of: list[list[int]],
    seeds: list[tuple[np.ndarray, list[str], list[str]]],
    claims: Sequence[np.ndarray],
    vectors: np.ndarray,
) -> list[np.ndarray]:
    """Each topic's passages (by position): its seeds' passages and every passage of the library that speaks of
    one of its seeds' topics (BERTopic's reduction of outliers by c-TF-IDF, by terms), each passage in one topic
    only: one that two topics claim is of the topic whose seeds' centre it is nearest in meaning."""
    grown, centres = [], []
    for parts in parts_of:
        own = np.unique(np.concatenate([seeds[i][0] for i in parts]))
        claimed = np.logical_or.reduce([claims[i] for i in parts])
        grown.append(np.union1d(own, np.flatnonzero(claimed)))
        centre = vectors[own].mean(axis=0)
        centres.append(centre / (np.linalg.norm(centre) or 1.0))
    topic_of: dict[int, int] = {}
    for topic, members in enumerate(grown):
        for row in members.tolist():
            other = topic_of.setdefault(row, topic)
            if other != topic and vectors[row] @ centres[topic] > vectors[row] @ centres[other]:
                topic_of[row] = topic
    return [
        np.array([row for row in members.tolist() if topic_of[row] == topic], dtype=np.int64)
        for topic, members in enumerate(grown)
    ]


def _merged(named: list[tuple[list[str], list[str]]], agreeing: np.ndarray, settings: Settings) -> list[list[int]]:
    """The groups (by position) that are one topic, joined transitively (scipy's connected components): those
    whose terms share ``merge_terms`` words in any form ("boat" and "boats"), and those where a topic term of one
    (in most of its passages, rare in the rest of the library) is among the terms of the other. Clustering by a
    distance threshold can cut one topic's passages into several groups ("mooring / boaters / boat", "mooring /
    boat / canal"; a brief's account of the case and its lessons: "haulage / lorry / cab", "employers / away
    driving / lorry"), and topic terms are rare in the rest of the library by construction, so groups that share
    them speak of the same thing (as BERTopic reduces topics by their c-TF-IDF terms). Their passages must agree
    too (``agreeing[a, b]``, see ``_agreeing``): one word two topics share ("licensing" of taxis and of tattoo
    studios, "ringing" of church bells and of a raptors' ringing register) does not make them one. Nor does a topic
    term of both when each is led by a word the other's terms never say: "club" is in most passages of briefs on golf
    clubs and of briefs on cricket clubs, and rare elsewhere, but one group is led by "golf" and the other by "cricket"
    (short briefs on two such topics agree in meaning too); a brief's lessons that say "lorry" in passing, where
    "lorry" is a topic term of its case only, are of the case."""
    if not named:
        return []
    words = [{stem(w) for term in terms for w in term.split()} for terms, _ in named]
    topic = [set(topic_words) for _, topic_words in named]
    lead = [topic_words[0] if topic_words else None for _, topic_words in named]

    def one_topic(a: int, b: int) -> bool:
        joining = topic[a] & words[b] | topic[b] & words[a]
        if lead[a] not in words[b] and lead[b] not in words[a]:
            joining -= topic[a] & topic[b]  # each led by its own word: a word both hold is one two topics share
        terms = len(words[a] & words[b]) >= settings.merge_terms or bool(joining)
        return terms and bool(agreeing[a, b])

    shares = csr_matrix([[one_topic(a, b) for b in range(len(named))] for a in range(len(named))])
    count, component = connected_components(shares, directed=False)
    return [np.flatnonzero(component == c).tolist() for c in range(count)]


def out_of_date(store: Store) -> bool:
    """Whether documents were added, replaced or deleted since the emerging themes were last computed (or
    they never were, on a library that has documents): what is stored then says nothing of those documents."""
    db = store.read()
    return _computed_for(db) != (setting(db, COMPUTED_FOR_KEY) or "0")


def _computed_for(db) -> str:
    """What the stored emerging themes must have been computed for to be current: this library version, grouped
    the way this release groups ("<library version>/<GROUPING_VERSION>"; an empty library is "0", always current)."""
    version = setting(db, "library_version") or "0"
    return version if version == "0" else f"{version}/{GROUPING_VERSION}"


def _shared_terms(labeller: Labeller, members: np.ndarray, document_ids: np.ndarray, settings: Settings) -> list[str]:
    """The group's terms from its public and partners passages alone (none if those are too few)."""
    if len(members) < settings.min_passages or len(set(document_ids[members])) < settings.min_documents:
        return []
    return labeller.terms_of(members, document_ids[members])


def _label(terms: list[str]) -> str:
    return " / ".join(terms[:3])


def _passages(library: Library, chunk_ids: list[int]) -> dict[int, dict]:
    found = {}
    db = library.store.read()
    for start in range(0, len(chunk_ids), 900):
        part = chunk_ids[start : start + 900]
        marks = ", ".join("?" for _ in part)
        for row in db.query(
            "SELECT chunks.id, chunks.text, documents.access FROM chunks "
            f"JOIN documents ON documents.id = chunks.document_id WHERE chunks.id IN ({marks})",
            part,
        ):
            found[row["id"]] = row
    return found


def emerging(store: Store, viewer: Viewer, settings: Settings = Settings()) -> list[dict]:
    """The stored emerging themes as the viewer may see them: only passages of documents they may
    read, only groups that still span enough of those documents, and (for everyone but the
    coordinator) only the label and terms built from partners' passages, while those are unchanged."""
    db = store.read()
    sql = f"""
        SELECT emerging_members.emerging_id, emerging_members.chunk_id, emerging_members.closeness, chunks.text,
               chunks.page, documents.source_name AS document, documents.title, documents.access
        FROM emerging_members JOIN chunks ON chunks.id = emerging_members.chunk_id
        JOIN documents ON documents.id = chunks.document_id
        WHERE documents.status = 'indexed' AND {visible_documents(viewer)}
        ORDER BY emerging_members.closeness DESC
    """
    members: dict[int, list[dict]] = {}
    for row in db.query(sql, {"viewer": viewer.username}):
        members.setdefault(row["emerging_id"], []).append(dict(row))
    found = []
    for theme in db["emerging_themes"].rows_where(order_by="id"):
        rows = members.get(theme["id"], [])
        documents = Counter(r["document"] for r in rows)
        titles = {r["document"]: r["title"] or r["document"] for r in rows}
        if len(rows) < settings.min_passages or len(documents) < settings.min_documents:
            continue
        if viewer.is_coordinator:
            label, terms = theme["label"], json.loads(theme["terms"])
        else:
            basis = sorted(r["chunk_id"] for r in rows if r["access"] in SHARED_ACCESS)
            if not theme["shared_terms"] or json.loads(theme["shared_basis"]) != basis:
                continue  # no label from text partners may read (or it has changed since): not shown
            label, terms = theme["shared_label"], json.loads(theme["shared_terms"])
        found.append(
            {
                "id": theme["id"],
                "label": label,
                "terms": terms,
                "documents": len(documents),
                "passage_count": len(rows),
                "document_names": sorted(documents),
                "document_titles": [titles[d] for d in sorted(documents)],
                "computed_at": theme["computed_at"],
                "passages": _examples(rows, settings.examples),
            }
        )
    return found


def _examples(rows: list[dict], count: int) -> list[dict]:
    """The most representative passages (nearest the group's centre), one per document before any second."""
    order, seen = [], set()
    for row in rows:
        if row["document"] not in seen:
            seen.add(row["document"])
            order.append(row)
    order += [r for r in rows if r not in order]
    return [
        {k: r[k] for k in ("chunk_id", "document", "title", "page", "text")}
        for r in order[:count]
    ]


def promote(
    library: Library,
    viewer: Viewer,
    emerging_id: int,
    *,
    key: str,
    label: str,
    description: str,
    group: str = "circumstances",
    progress=None,
) -> dict[str, int]:
    """Make an emerging theme a named local theme: its distinctive terms become seed phrases, its
    most representative passages confirmed examples; then the library is re-tagged with it."""
    require_coordinator(viewer, "Only the coordinator can promote an emerging theme")
    db = library.store.read()
    rows = list(db["emerging_themes"].rows_where("id = ?", [emerging_id]))
    if not rows:
        raise NotFound(f"No emerging theme {emerging_id}; recompute the emerging themes first")
    seeds = json.loads(rows[0]["terms"])
    add_themes(
        library.store,
        viewer,
        document=[{"key": key, "label": label, "group": group, "description": description, "seeds": seeds}],
    )
    best = db.query(
        "SELECT chunk_id FROM emerging_members WHERE emerging_id = ? ORDER BY closeness DESC LIMIT ?",
        [emerging_id, Settings().examples],
    )
    for row in list(best):
        library.tagging.decide_passage(viewer, chunk_id=row["chunk_id"], theme_key=key, confirmed=True)
    return library.tagging.retag(viewer, progress=progress)
