"""Search the library: BM25F (whoosh), dense (embeddings) or hybrid (reciprocal rank fusion).

What a viewer may see is decided here, before either index is asked: the allowed documents
are computed from the database for the viewer's role, and both searches are restricted to
them, so no filter or query can bring back a chunk the viewer may not read.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from core.accounts import Viewer
from core.errors import ValidationError
from core.text import csv_safe
from indexing import sentence_vectors, thesaurus
from indexing.access import review_shown, visible_documents
from indexing.chunking import low_information
from indexing.embeddings import from_blob
from indexing.library import Library
from indexing.theme_figures import chunk_themes
from indexing.vectors import top_rows

MODES = ("hybrid", "bm25", "dense")
CANDIDATES = 50
MAX_PER_DOCUMENT = 3  # passages of one document among the results; its others go under "more from this document"
MORE_PER_DOCUMENT = 5
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have how in is it of on or our the their this to was were "
    "what when where which who why with about into than then there these those".split()
)
QUESTION_WORDS = STOPWORDS | frozenset(
    "any been being can could many much say said says should tell whom whose would".split()
    + "got get gets getting went go goes going happen happened happens".split()  # "what happened when he got ..."
)


@dataclass
class Hit:
    chunk_id: int
    document_id: int
    document: str
    title: str
    kind: str
    year: int | None
    csp: str
    review: str | None
    access: str
    page: int | None
    heading: str
    text: str
    highlighted: str
    char_start: int
    char_end: int
    score: float
    modes: list[str]
    themes: list[str] = field(default_factory=list)  # the passage's theme keys, strongest first
    shared_words: list[str] = field(default_factory=list)  # the question's words (or their stems) it uses
    related_words: list[str] = field(default_factory=list)  # the thesaurus's synonyms of them it uses
    more: list[Hit] = field(default_factory=list)  # further passages of this document, past MAX_PER_DOCUMENT
    repository: bool = False  # from the shared repository (another partnership's), not this workspace's library

    @property
    def why(self) -> str:
        """Why it matched, in words: the words it shares with the question (or their synonyms), or
        closeness in meaning."""
        reasons = []
        if self.shared_words:
            reasons.append("uses your words: " + ", ".join(self.shared_words))
        if self.related_words:
            reasons.append("uses words that mean the same: " + ", ".join(self.related_words))
        return "; ".join(reasons) or "close in meaning"

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("highlighted")
        data["more"] = [more.as_json() for more in self.more]
        return data


@dataclass(frozen=True)
class Fusion:
    """Weighted reciprocal rank fusion: a passage scores ``weight / (k + rank)`` in each list that has it.
    Hybrid search fuses three lists: keyword (BM25F), meaning (each passage's vector) and, over the passages
    either of those found, their best sentence's closeness to the question (``sentence``: a passage whose
    one sentence answers, among others that do not, ranks high there when its diluted vector does not).
    Rank fusion alone buries a passage far ahead in one list only (the one passage with the question's
    words, whose meaning the model misses) under passages middling in all three, so the head of each list
    also earns a ``lead``. The shared repository's search fuses its two lists by ``k`` and the weights."""

    k: int = 30  # all tuned on the labelled set's tune facts (benchmarks/search_quality.py --tune)
    bm25: float = 1.0
    dense: float = 1.0
    sentence: float = 0.5
    lead: float = 0.03  # a passage among the first ``lead_depth`` of any list also scores ``lead / its best rank``
    lead_depth: int = 3
    # A question in other words than the library's (a paraphrase): none of keyword search's first ``cover_depth``
    # passages uses ``worded`` of its content words. Its keyword matches are then chance words, so the lists
    # weigh ``unworded_bm25`` and ``unworded_dense`` instead.
    worded: float = 0.8
    cover_depth: int = 10
    unworded_bm25: float = 0.75
    unworded_dense: float = 2.0

    def for_question(self, cover: float) -> Fusion:
        """The weights for a question whose words the best keyword passages use in this share (0 to 1)."""
        return self if cover >= self.worded else replace(self, bm25=self.unworded_bm25, dense=self.unworded_dense)


FUSION = Fusion()


@dataclass(frozen=True)
class Rerank:
    """The fused list's first ``depth`` passages re-scored by the sentence of each that is closest to the
    question (stored at ingest: indexing/sentence_vectors.py): ``(1 - sentence) * fused / best fused +
    sentence * best sentence's cosine``; the rest keep their fused order after them. A passage's one vector
    dilutes the sentence that answers with everything around it, and table rows or another document's
    boilerplate found by both searches outrank it; its best sentence does not."""

    depth: int = 30  # tuned on the labelled set's tune facts (benchmarks/search_quality.py --tune)
    sentence: float = 0.5


RERANK = Rerank()


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    csp: str | None = None
    review: str | None = None
    access: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # documents carrying any of these themes


def allowed_documents(library: Library, viewer: Viewer, filters: Filters) -> set[int]:
    """Indexed documents the viewer may see that also match the filters."""
    db = library.store.read()
    where = [visible_documents(viewer), "documents.status = 'indexed'"]
    params: dict = {"viewer": viewer.username}
    if filters.kinds:
        where.append(f"documents.kind IN ({', '.join(f':kind{i}' for i in range(len(filters.kinds)))})")
        params |= {f"kind{i}": k for i, k in enumerate(filters.kinds)}
    if filters.access:
        where.append(f"documents.access IN ({', '.join(f':access{i}' for i in range(len(filters.access)))})")
        params |= {f"access{i}": a for i, a in enumerate(filters.access)}
    if filters.themes:
        marks = ", ".join(f":theme{i}" for i in range(len(filters.themes)))
        where.append(f"documents.id IN (SELECT document_id FROM document_themes WHERE theme_key IN ({marks}))")
        params |= {f"theme{i}": t for i, t in enumerate(filters.themes)}
    if filters.year_from is not None:
        where.append("documents.year >= :year_from")
        params["year_from"] = filters.year_from
    if filters.year_to is not None:
        where.append("documents.year <= :year_to")
        params["year_to"] = filters.year_to
    if filters.csp:
        where.append("documents.csp = :csp")
        params["csp"] = filters.csp
    if filters.review:
        # only a review the viewer may know by its reference: an unpublished review's is case information
        known = f"{review_shown(viewer)} IS NOT NULL"
        where.append(f"documents.review_id = (SELECT id FROM reviews WHERE reference = :review AND {known})")
        params["review"] = filters.review.upper()
    sql = f"SELECT documents.id FROM documents WHERE {' AND '.join(where)}"
    return {row["id"] for row in db.query(sql, params)}


def _dense(
    library: Library, vector: np.ndarray, allowed: set[int], limit: int, exclude: int | None = None
) -> list[tuple[int, float]]:
    """(chunk id, cosine) of the passages closest to ``vector`` in the allowed documents: one pass over
    the memory-mapped store, where rows outside the allowed documents' spans can never rank."""
    ids, matrix, spans = library.vectors.view()
    mask = np.zeros(len(ids), dtype=bool)
    for document_id in allowed:
        start, end = spans.get(document_id) or (0, 0)
        mask[start:end] = True
    if exclude is not None:
        mask &= ids != exclude
    return [(int(ids[row]), score) for row, score in top_rows(matrix, vector, mask, limit)]


def _fuse(ranked: dict[str, list[tuple[int, float]]], fusion: Fusion) -> list[tuple[int, float, list[str]]]:
    scores: dict[int, float] = {}
    found_by: dict[int, list[str]] = {}
    best_rank: dict[int, int] = {}
    for mode, results in ranked.items():
        weight = getattr(fusion, mode)
        for rank, (chunk_id, _) in enumerate(results, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (fusion.k + rank)
            if mode != "sentence":  # it ranks again what the two searches found: a hit's modes are those
                found_by.setdefault(chunk_id, []).append(mode)
            if rank <= fusion.lead_depth:
                best_rank[chunk_id] = min(rank, best_rank.get(chunk_id, rank))
    for chunk_id, rank in best_rank.items():
        scores[chunk_id] += fusion.lead / rank
    ordered = sorted(scores, key=lambda c: -scores[c])
    return [(c, scores[c], found_by[c]) for c in ordered]


@dataclass(frozen=True)
class Passage:
    """What ranking reads of a candidate passage besides its scores."""

    document_id: int
    text: str
    title: str


def _passages(library: Library, ids: list[int]) -> dict[int, Passage]:
    """The candidates' documents and texts, read once for a search (its fusion, folding and spread)."""
    if not ids:
        return {}
    rows = library.store.read().execute(
        "SELECT chunks.id, chunks.document_id, chunks.text, documents.title FROM chunks "
        f"JOIN documents ON documents.id = chunks.document_id WHERE chunks.id IN ({', '.join('?' * len(ids))})",
        ids,
    )
    return {chunk_id: Passage(document_id, text, title) for chunk_id, document_id, text, title in rows}


def keyword_cover(query: str, keyword_hits: list[tuple[int, float]], passages: dict[int, Passage], depth: int) -> float:
    """The largest share of the question's content words that one of keyword search's first ``depth`` passages
    uses (itself or in another form, in its text or its document's title): near 1 for a question in the
    library's words, low for a paraphrase. A question with no content words counts as worded."""
    wanted = _content_stems(query)
    if not wanted:
        return 1.0
    found = [passages[c] for c, _ in keyword_hits[:depth] if c in passages]
    return max((len(shared_words(f"{p.text} {p.title}", query)) for p in found), default=0) / len(wanted)


def _by_sentence(best: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The candidates ranked by their best sentence's cosine with the question (the third fused list)."""
    return sorted(best.items(), key=lambda item: -item[1])[:limit]


def _rerank(
    fused: list[tuple[int, float, list[str]]], best: dict[int, float], rerank: Rerank
) -> list[tuple[int, float, list[str]]]:
    """``best``: each candidate's best sentence's cosine with the question (empty in a workspace whose
    sentence vectors are not filled yet: the fused order stands)."""
    if not fused or not rerank.depth or not best:
        return fused
    top = fused[: rerank.depth]
    scale = (1 - rerank.sentence) / fused[0][1]
    rescored = sorted(
        ((c, scale * score + rerank.sentence * max(best.get(c, 0.0), 0.0), modes) for c, score, modes in top),
        key=lambda item: -item[1],
    )
    return rescored + [(c, scale * score, modes) for c, score, modes in fused[rerank.depth :]]


def _fold_low_information(
    fused: list[tuple[int, float, list[str]]], passages: dict[int, Passage]
) -> list[tuple[int, float, list[str]]]:
    """Table debris ("4% 4% 4%", "Harrow 2 5 10 8") and contents lines after every prose passage
    (order kept within each): they still answer a question only they match, but never outrank prose."""
    low = {c for c, _, _ in fused if c in passages and low_information(passages[c].text)}
    return [item for item in fused if item[0] not in low] + [item for item in fused if item[0] in low]


def spread_by_document(
    fused: list[tuple[int, float, list[str]]], document_of: dict, limit: int
) -> tuple[list[tuple[int, float, list[str]]], dict[int, list[tuple[int, float, list[str]]]]]:
    """The first ``limit`` results with at most MAX_PER_DOCUMENT from one document (unless too few
    other documents match to fill the page), and each shown document's further passages, best first.
    ``document_of`` maps each passage to its document; passages it lacks are dropped."""
    fused = [item for item in fused if item[0] in document_of]
    shown: list[tuple[int, float, list[str]]] = []
    held: list[tuple[int, float, list[str]]] = []
    counts: dict[int, int] = {}
    for item in fused:
        document = document_of[item[0]]
        if counts.get(document, 0) < MAX_PER_DOCUMENT and len(shown) < limit:
            counts[document] = counts.get(document, 0) + 1
            shown.append(item)
        else:
            held.append(item)
    if len(shown) < limit:  # too few other documents match: fill the page after them, not show less
        room = limit - len(shown)
        shown, held = shown + held[:room], held[room:]
    first_of = {}
    for chunk_id, _, _ in shown:
        first_of.setdefault(document_of[chunk_id], chunk_id)
    more: dict[int, list[tuple[int, float, list[str]]]] = {}
    for item in held:
        first = first_of.get(document_of[item[0]])
        if first is not None and len(more.setdefault(first, [])) < MORE_PER_DOCUMENT:
            more[first].append(item)
    return shown, more


WORD = re.compile(r"([A-Za-z][A-Za-z'’-]*)")  # a word of a hit's text (captured: splitting a text keeps its words)
MARKDOWN = re.compile(r"([*_`\[\]#<>$\\])")  # what Markdown would read as formatting


def keyword_query(query: str) -> str:
    """The question as keyword search reads it: without the words that only make it a question ("how many",
    "what did ... say about", "should"), which BM25 would otherwise count as rare words that passages share
    with it. A question in quotes (a phrase) is read as typed, and so is one made only of such words."""
    if '"' in query:
        return query
    kept = [word for word in query.split() if word.lower().strip("?!.,;:") not in QUESTION_WORDS]
    return " ".join(kept) or query


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Porter stem of one lower-case word, remembered: every hit's text is stemmed word by word twice
    (its shared words, its highlighting), and the same few thousand words recur (whoosh's own stemming
    filter keeps such a cache too)."""
    from whoosh.lang.porter import stem as porter_stem

    return porter_stem(word)


@functools.lru_cache(maxsize=100_000)
def _word_stem(word: str) -> str:
    """The stem of a word as a text writes it (any case): one look-up, not lower-casing then one."""
    return stem(word.lower())


def keyword_terms(query: str) -> list[str]:
    """The question's words that keyword search asks for, in lower case: those keyword_query keeps (or, for a
    question made only of question words, all of them). The shared repository's full-text search asks for these
    too (indexing.repository.search), so both read a question alike."""
    words = [w for w in re.findall(r"[\w'’-]+", query.lower()) if len(w) > 1]
    return [w for w in words if w not in QUESTION_WORDS] or [w for w in words if w not in STOPWORDS]


def content_terms(query: str) -> list[str]:
    """The words a result is marked for, said to use and said to miss: the question's words as keyword search
    reads them (keyword_query leaves out QUESTION_WORDS: "what did", "got"), less common English words that
    are not why a passage matched ("his", "that", "about")."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return [term for term in keyword_terms(query) if term not in QUESTION_WORDS and term not in ENGLISH_STOP_WORDS]


def shared_words(text: str, query: str) -> list[str]:
    """The query's content words that the text uses, itself or in another form (stem match)."""
    wanted = _content_stems(query)
    if not wanted:
        return []
    found = {_word_stem(word) for word in set(WORD.findall(text))}  # each different word looked up once
    return [term for key, term in wanted if key in found]


@functools.lru_cache(maxsize=1024)
def _content_stems(query: str) -> tuple[tuple[str, str], ...]:
    """(stem, word) for the question's content words, in its order: read once per question, not per hit."""
    return tuple({stem(term): term for term in content_terms(query)}.items())


def no_word_matches(hits: list[Hit]) -> bool:
    """True when results exist but none uses any of the question's words or their synonyms: they are
    only the closest in meaning, and the page says so above them instead of ranking them with confidence."""
    return bool(hits) and not any(hit.shared_words or hit.related_words for hit in hits)


def unmatched_words(library: Library, hits: list[Hit], query: str) -> list[str]:
    """The question's distinctive words (not stop words, not common across the library) that no result
    uses, itself, in another form or through a synonym: "suicide" when ten results are about domestic
    abuse but none mentions it. The page says so above the results."""
    if not hits:
        return []
    used = {word for hit in hits for word in hit.shared_words}
    related = {word for hit in hits for word in hit.related_words}
    missing = [
        word
        for word in dict.fromkeys(content_terms(query))
        if word not in used and not related & set(thesaurus.expansions(word))
    ]
    common = library.lexical.common_words(missing) if missing else set()
    return [word for word in missing if word not in common]


def highlight(text: str, query: str) -> str:
    """Mark the query's words (and words sharing their stem) in bold Markdown."""
    stems = _question_stems(query)
    if not stems:
        return text
    escaped = MARKDOWN.sub(r"\\\1", text)
    pieces = WORD.split(escaped)  # text, word, text, word, ..., text
    words = pieces[1::2]
    marked = {word for word in set(words) if _word_stem(word) in stems}  # each different word looked up once
    if not marked:
        return escaped
    pieces[1::2] = [f"**{word}**" if word in marked else word for word in words]
    return "".join(pieces)


@functools.lru_cache(maxsize=1024)
def _question_stems(query: str) -> frozenset[str]:
    return frozenset(key for key, _ in _content_stems(query))


def _hits(
    library: Library, viewer: Viewer, ranked: list[tuple[int, float, list[str]]], query: str, related: list[str] = ()
) -> list[Hit]:
    if not ranked:
        return []
    db = library.store.read()
    ids = [c for c, _, _ in ranked]
    tagged = chunk_themes(library.store, ids)
    rows = {
        row["id"]: row
        for row in db.query(
            f"""SELECT chunks.*, documents.title, documents.kind, documents.year, documents.csp, documents.access,
                       documents.source_name, {review_shown(viewer)} AS review
                FROM chunks JOIN documents ON documents.id = chunks.document_id
                LEFT JOIN reviews ON reviews.id = documents.review_id
                WHERE chunks.id IN (SELECT value FROM json_each(:ids))""",
            {"ids": json.dumps(ids), "viewer": viewer.username},
        )
    }
    return [
        Hit(
            chunk_id=c,
            document_id=rows[c]["document_id"],
            document=rows[c]["source_name"],
            title=rows[c]["title"],
            kind=rows[c]["kind"],
            year=rows[c]["year"],
            csp=rows[c]["csp"],
            review=rows[c]["review"],
            access=rows[c]["access"],
            page=rows[c]["page"],
            heading=rows[c]["heading"],
            text=rows[c]["text"],
            highlighted=highlight(rows[c]["text"], query),
            char_start=rows[c]["char_start"],
            char_end=rows[c]["char_end"],
            score=round(score, 6),
            modes=modes,
            themes=tagged.get(c, []),
            shared_words=shared_words(rows[c]["text"] + " " + rows[c]["title"], query),
            related_words=thesaurus.used_in(rows[c]["text"] + " " + rows[c]["title"], related),
        )
        for c, score, modes in ranked
        if c in rows
    ]


def check_request(query: str, mode: str, limit: int) -> None:
    """A search's question, mode and number of results, refused in words when wrong (both indexes)."""
    if mode not in MODES:
        raise ValidationError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    if not query.strip():
        raise ValidationError("query: type what you are looking for")
    if not 1 <= limit <= 200:
        raise ValidationError("limit: between 1 and 200")


def query_vector(library: Library, query: str, related: list[str]) -> np.ndarray:
    """What dense search compares passages with: the question with its thesaurus synonyms."""
    meant = f"{query} ({'; '.join(related)})" if related else query
    return library.embedder.encode_question(meant)


def question_vector(library: Library, query: str, mode: str) -> np.ndarray | None:
    """The question encoded once for every index a search asks (none for keyword-only search)."""
    return None if mode == "bm25" else query_vector(library, query, thesaurus.expansions(query))


def search(
    library: Library,
    viewer: Viewer,
    query: str,
    *,
    mode: str = "hybrid",
    limit: int = 10,
    filters: Filters = Filters(),
    fusion: Fusion = FUSION,
    rerank: Rerank = RERANK,
    vector: np.ndarray | None = None,
) -> list[Hit]:
    """The best ``limit`` passages for ``query`` among the documents the viewer may see (``vector``: the
    question already encoded by ``query_vector``, when a search of several indexes encoded it once)."""
    check_request(query, mode, limit)
    allowed = allowed_documents(library, viewer, filters)
    if not allowed:
        return []
    depth = max(CANDIDATES, limit)
    related = thesaurus.expansions(query)
    ranked: dict[str, list[tuple[int, float]]] = {}
    if mode in ("bm25", "hybrid"):
        hidden = library.indexed_documents() - allowed
        ranked["bm25"] = library.lexical.search(keyword_query(query), allowed, hidden, depth, related)
    if mode in ("dense", "hybrid"):
        vector = query_vector(library, query, related) if vector is None else vector
        ranked["dense"] = _dense(library, vector, allowed, depth)
    candidates = list(dict.fromkeys(c for results in ranked.values() for c, _ in results))
    passages = _passages(library, candidates)
    if mode == "hybrid":
        best = sentence_vectors.best_sentence(library.store, candidates, vector)
        if best and fusion.sentence:
            ranked["sentence"] = _by_sentence(best, depth)
        fusion = fusion.for_question(keyword_cover(query, ranked["bm25"], passages, fusion.cover_depth))
        fused = _rerank(_fuse(ranked, fusion), best, rerank)
    else:
        fused = [(c, s, [mode]) for c, s in ranked[mode]]
    document_of = {chunk_id: passage.document_id for chunk_id, passage in passages.items()}
    shown, more = spread_by_document(_fold_low_information(fused, passages), document_of, limit)
    built = {hit.chunk_id: hit for hit in _hits(library, viewer, shown + sum(more.values(), []), query, related)}
    hits = [built[c] for c, _, _ in shown if c in built]
    for hit in hits:
        hit.more = [built[c] for c, _, _ in more.get(hit.chunk_id, []) if c in built]
    return hits


def more_like_this(
    library: Library, viewer: Viewer, chunk_id: int, *, limit: int = 5, filters: Filters = Filters()
) -> list[Hit]:
    """Passages closest in meaning to one passage the viewer can see, from other places in the library."""
    allowed = allowed_documents(library, viewer, filters)
    db = library.store.read()
    rows = list(db["chunks"].rows_where("id = ?", [chunk_id]))
    if not rows or rows[0]["document_id"] not in allowed_documents(library, viewer, Filters()):
        raise ValidationError(f"passage {chunk_id}: not found in the documents you can see")
    similar = _dense(library, from_blob(rows[0]["embedding"]), allowed, limit, exclude=chunk_id)
    return _hits(library, viewer, [(c, s, ["dense"]) for c, s in similar], "")


def hits_csv(hits: list[Hit]) -> bytes:
    """The results as CSV for Excel: no text in it can run as a formula."""
    import pandas as pd

    return (
        pd.DataFrame([h.as_json() | {"more": len(h.more)} for h in hits])
        .map(csv_safe)
        .to_csv(index=False)
        .encode("utf-8-sig")
    )
