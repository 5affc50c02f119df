"""Search across every partnership's published learning, in the engine.

Hybrid search is one SQL statement: PostgreSQL full-text rank (``ts_rank`` over a GIN-indexed
tsvector: on the labelled questions it finds more answers than ``ts_rank_cd`` and costs half as much, see
benchmarks/bench_repository.py --quality) and pgvector's inner product over an HNSW index, fused by
weighted reciprocal rank like the embedded search, and filtered there by the access levels the viewer
reads (indexing.access) and the search's filters. Table debris and contents lines rank after prose, as
in local search. Hits come back in the embedded search's shape, each naming its partnership.
"""

from __future__ import annotations

import numpy as np

from core.accounts import Viewer
from indexing import thesaurus
from indexing.access import readable_levels
from indexing.embeddings import DIMENSIONS
from indexing.search import (
    CANDIDATES,
    FUSION,
    Filters,
    Fusion,
    Hit,
    check_request,
    highlight,
    keyword_terms,
    shared_words,
    spread_by_document,
)

# passages ranked by full text per search, of those with every word of the question and then (only when
# fewer than the candidates have every word) of those with some: keeps a search of common words bounded
# (the dense half still ranks every passage). Past a cap, matches are cut in the table's order, not by
# relevance: on the labelled questions 1000/500 finds what 2000/500 finds, 1000/300 fewer answers and 500/200
# far fewer (benchmarks/bench_repository.py --quality --caps)
LEXICAL_CAP = 1000
LEXICAL_CAP_ANY = 500
EF_SEARCH = 100  # HNSW candidates per dense search (pgvector's default is 40)
# for this search's transaction only (a pooled connection goes back unchanged): the HNSW candidates; no
# JIT compiling (a plan over a million rows can cost enough to start it, tens of ms for a query that runs in
# less); and a plan for these words each time, never a generic one that cannot know how common they are
SEARCH_SETTINGS = """SELECT set_config('hnsw.ef_search', %s, true), set_config('jit', 'off', true),
                            set_config('plan_cache_mode', 'force_custom_plan', true)"""


CONDITIONS = (  # (Filters field, condition on passages p)
    ("kinds", "p.kind = ANY(%(kinds)s)"),
    ("year_from", "p.year >= %(year_from)s"),
    ("year_to", "p.year <= %(year_to)s"),
    ("csp", "p.csp = %(csp)s"),
)


def _filters_sql(viewer: Viewer, filters: Filters, exclude_csp: str | None) -> tuple[str, dict]:
    """A condition on ``passages`` (alias p) for what the viewer reads and the filters ask for."""
    levels = [level for level in readable_levels(viewer) if not filters.access or level in filters.access]
    where = ["p.access = ANY(%(levels)s)"]
    params: dict = {"levels": levels}
    for name, condition in CONDITIONS:
        value = getattr(filters, name)
        if value not in (None, (), ""):
            where.append(condition)
            params[name] = list(value) if isinstance(value, tuple) else value
    if exclude_csp:
        where.append("p.csp <> %(exclude_csp)s")
        params["exclude_csp"] = exclude_csp
    if filters.review:
        where.append(
            "EXISTS (SELECT 1 FROM documents d WHERE d.csp = p.csp AND d.document_id = p.document_id "
            "AND d.review = %(review)s)"
        )
        params["review"] = filters.review.upper()
    if filters.themes:
        where.append(
            "EXISTS (SELECT 1 FROM document_themes t WHERE t.csp = p.csp AND t.document_id = p.document_id "
            "AND t.theme_key = ANY(%(themes)s))"
        )
        params["themes"] = list(filters.themes)
    return " AND ".join(where), params


def _tsqueries(query: str, related: list[str]) -> tuple[str, str]:
    """(every word of the question, any of its words or their synonyms) for to_tsquery: passages with
    all the question's words rank first, then those with some (as BM25 would put them). Its words are those
    local keyword search asks for (``keyword_terms``: not "how many", "should" or "got")."""
    words = [w for w in dict.fromkeys("".join(ch for ch in word if ch.isalnum()) for word in keyword_terms(query)) if w]
    synonyms = [w for phrase in related for w in keyword_terms(phrase) if w.isalnum()]
    return " & ".join(words), " | ".join(dict.fromkeys(words + synonyms))


HYBRID_SQL = """
WITH every_word AS MATERIALIZED (
    SELECT p.id, ts_rank(p.tsv, to_tsquery('english', %(every)s), 1) AS rank FROM passages p
    WHERE %(use_bm25)s AND p.tsv @@ to_tsquery('english', %(every)s) AND {where} LIMIT %(cap)s
),
some_word AS (  -- only when too few passages have every word to fill the candidates: they rank after those
    SELECT p.id, ts_rank(p.tsv, to_tsquery('english', %(any)s), 1) AS rank FROM passages p
    WHERE %(use_bm25)s AND %(widen)s AND (SELECT count(*) FROM every_word) < %(depth)s
          AND p.tsv @@ to_tsquery('english', %(any)s) AND NOT p.tsv @@ to_tsquery('english', %(every)s)
          AND {where}
    LIMIT %(cap_any)s
),
lexical AS (
    SELECT id, row_number() OVER (ORDER BY tier, rank DESC, id) AS position
    FROM (SELECT id, 0 AS tier, rank FROM every_word UNION ALL SELECT id, 1, rank FROM some_word) AS matching
    ORDER BY position LIMIT %(depth)s
),
dense AS (
    SELECT id, row_number() OVER (ORDER BY distance, id) AS position FROM (
        SELECT p.id, p.embedding <#> %(vector)s AS distance FROM passages p
        WHERE {where} AND %(use_dense)s ORDER BY p.embedding <#> %(vector)s LIMIT %(depth)s
    ) AS nearest
),
fused AS (
    SELECT coalesce(l.id, d.id) AS id,
           coalesce(%(w_bm25)s / (%(k)s + l.position), 0) + coalesce(%(w_dense)s / (%(k)s + d.position), 0) AS score,
           l.id IS NOT NULL AS by_bm25, d.id IS NOT NULL AS by_dense
    FROM lexical l FULL OUTER JOIN dense d ON d.id = l.id
    ORDER BY score DESC, id LIMIT %(depth)s
)
-- table debris and contents lines after every prose passage, as local search ranks them
SELECT f.id, f.score, f.by_bm25, f.by_dense, p.csp, p.document_id
FROM fused f JOIN passages p ON p.id = f.id
ORDER BY p.low_information IS TRUE, f.score DESC, f.id
"""

HITS_SQL = """
SELECT p.id, p.csp, p.document_id, p.text, p.page, p.heading, p.char_start, p.char_end,
       d.source_name, d.title, d.kind, d.year, d.access, d.review,
       coalesce((SELECT array_agg(t.theme_key ORDER BY t.score DESC) FROM passage_themes t
                 WHERE t.csp = p.csp AND t.chunk_id = p.chunk_id), '{}') AS themes
FROM passages p JOIN documents d ON d.csp = p.csp AND d.document_id = p.document_id
WHERE p.id = ANY(%(ids)s)
"""


def fused_statement(
    viewer: Viewer,
    query: str,
    vector: np.ndarray | None,
    related: list[str],
    *,
    mode: str = "hybrid",
    limit: int = 10,
    filters: Filters = Filters(),
    fusion: Fusion = FUSION,
    exclude_csp: str | None = None,
) -> tuple[str, dict]:
    """The statement that ranks a search's candidate passages, and its parameters (see ``search``;
    ``related``: the question's synonyms)."""
    every, any_word = _tsqueries(query, related)
    where, params = _filters_sql(viewer, filters, exclude_csp)
    return HYBRID_SQL.format(where=where), params | {
        "every": every or "nothing",
        "any": any_word or "nothing",
        "widen": any_word != every,
        "cap": LEXICAL_CAP,
        "cap_any": LEXICAL_CAP_ANY,
        "depth": max(CANDIDATES, limit),
        "use_bm25": mode in ("bm25", "hybrid") and bool(every),
        "use_dense": mode in ("dense", "hybrid") and vector is not None,
        "vector": vector if vector is not None else np.zeros(DIMENSIONS, dtype=np.float32),
        "w_bm25": fusion.bm25,
        "w_dense": fusion.dense,
        "k": fusion.k,
    }


def search(
    connection,
    viewer: Viewer,
    query: str,
    vector: np.ndarray | None,
    *,
    mode: str = "hybrid",
    limit: int = 10,
    filters: Filters = Filters(),
    fusion: Fusion = FUSION,
    exclude_csp: str | None = None,
) -> list[Hit]:
    """The best ``limit`` passages across the repository for ``query`` (``vector``: its embedding, for
    dense and hybrid) that the viewer may read, leaving out ``exclude_csp`` (the workspace's own)."""
    check_request(query, mode, limit)
    related = thesaurus.expansions(query)
    statement, params = fused_statement(
        viewer, query, vector, related, mode=mode, limit=limit, filters=filters, fusion=fusion, exclude_csp=exclude_csp
    )
    connection.execute(SEARCH_SETTINGS, [str(max(EF_SEARCH, params["depth"]))])
    fused = connection.execute(statement, params).fetchall()
    ranked = [
        (passage_id, score, [m for m, found in (("bm25", by_bm25), ("dense", by_dense)) if found])
        for passage_id, score, by_bm25, by_dense, _, _ in fused
    ]
    document_of = {row[0]: (row[4], row[5]) for row in fused}
    shown, more = spread_by_document(ranked, document_of, limit)
    listed = shown + sum(more.values(), [])
    rows = {row[0]: row for row in connection.execute(HITS_SQL, {"ids": [r[0] for r in listed]}).fetchall()}
    hits = {pid: _hit(rows[pid], score, modes, query, related) for pid, score, modes in listed if pid in rows}
    result = [hits[pid] for pid, _, _ in shown if pid in hits]
    for hit in result:
        hit.more = [hits[pid] for pid, _, _ in more.get(hit.chunk_id, []) if pid in hits]
    return result


def _hit(row, score: float, modes: list[str], query: str, related: list[str]) -> Hit:
    (passage_id, csp, document_id, text, page, heading, char_start, char_end,
     source_name, title, kind, year, access, review, themes) = row  # fmt: skip
    return Hit(
        chunk_id=passage_id,
        document_id=document_id,
        document=source_name,
        title=title,
        kind=kind,
        year=year,
        csp=csp,
        review=review,
        access=access,
        page=page,
        heading=heading,
        text=text,
        highlighted=highlight(text, query),
        char_start=char_start,
        char_end=char_end,
        score=round(float(score), 6),
        modes=modes,
        themes=list(themes),
        shared_words=shared_words(text + " " + title, query),
        related_words=thesaurus.used_in(text + " " + title, related),
        repository=True,
    )
