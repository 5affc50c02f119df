"""Themes applied to what the workspace holds: library passages at ingest (and on re-tag), their
documents' themes aggregated with the evidence kept, and people's confirmations and rejections,
which become the tagger's examples.

Tags are stored in tables (``passage_themes``, ``document_themes``) and never recomputed when a
page is drawn. Short texts' vectors (seed phrases, descriptions, recommendations) are cached in
``text_vectors`` so that a tagger is built without re-encoding what it has seen before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from core.accounts import Viewer, require_coordinator
from core.db import Store, Transaction, utc_now
from core.errors import NotFound, ValidationError
from indexing.chunking import OVERLAP_TOKENS
from indexing.embeddings import DIMENSIONS, Embedder, from_blob, to_blob
from indexing.tagger import Example, ThemeTagger
from indexing.themes import (
    GROUPS,
    PASSAGE_GROUPS,
    bundled_fact_rules,
    bundled_held_within,
    install_bundled_vocabulary,
    list_themes,
)

RETAG_BATCH = 5000
# thresholds tuned on the 'dev' rows of benchmarks/labelled/ (see benchmarks/bench_themes.py); the relative margin
# for passages on the dev files of benchmarks/labelled/dhr_themes.json (benchmarks/document_themes.py --tune)
# a passage shares OVERLAP_TOKENS word pieces with the one before it, less at most the word that did not fit
PASSAGE_SETTINGS = {
    "semantic_threshold": 0.5,
    "relative_margin": 0.3,
    "lexical_floor": 0.0,
    "carried_over": OVERLAP_TOKENS - 10,
}
SHORT_TEXT_SETTINGS = {"semantic_threshold": 0.3, "relative_margin": 0.2, "lexical_floor": 0.0}
TARGETS = ("passage", "recommendation", "qa_area", "action")
ITEM_TARGETS = ("recommendation", "qa_area", "action")
OTHER = "other"


@dataclass(frozen=True)
class Salience:
    """When a document is *about* a theme, not only mentions it: when at least ``min_share`` of its
    passages carry the theme, or ``many_passages`` of them do (a long report returning to it again and
    again), or, in a document that tells one case (``one_case``), one passage states it beyond doubt (a
    score of at least ``decisive``: a case fact a pattern recognised, such as "in her late 70s", or a
    passage a person confirmed); a national analysis or a strategy states such facts of many cases, one
    passage among many, so there its share decides.
    Its strength is the share of passages. One passing passage is evidence, not a tag.
    Tuned on the 'dev' files of benchmarks/labelled/dhr_themes.json (benchmarks/document_themes.py)."""

    min_share: float = 0.2
    many_passages: int = 12
    decisive: float = 1.0

    def salient(self, passages: int, share: float, best: float, one_case: bool = True) -> bool:
        return passages >= self.many_passages or share >= self.min_share or (one_case and best >= self.decisive)


SALIENCE = Salience()
FACT_STRENGTH = 1.0  # the strength of a theme a document's case facts state (a share of passages is at most 1)


def salient_themes(
    tagged: Mapping[str, Sequence[float]],
    total: int,
    salience: Salience = SALIENCE,
    decided: Mapping[str, bool] | None = None,
    one_case: bool = True,
) -> list[tuple[str, float]]:
    """(theme, strength) for the themes a document of ``total`` passages is about, strongest first;
    ``tagged`` holds, for each theme, the scores of the passages that carry it. ``decided`` (from
    ``decided_by_facts``) wins for the themes that rest on the document's case facts: a theme its facts
    state has full strength, one they deny is not salient however many passages mention it. A theme a broader
    salient theme holds (``bundled_held_within``) is not salient from its passages. ``one_case``: whether the
    document tells one case (see ``one_case`` and ``Salience``)."""
    decided = decided or {}
    shares = {key: len(scores) / total for key, scores in tagged.items() if scores and total}
    found = {
        key: share
        for key, share in shares.items()
        if decided.get(key, salience.salient(len(tagged[key]), share, max(tagged[key]), one_case))
    }
    for rule in bundled_held_within():
        if rule.within in found:
            found.pop(rule.theme, None)
    found |= {key: FACT_STRENGTH for key, about in decided.items() if about}
    return sorted(found.items(), key=lambda kv: -kv[1])


def one_case(kind: str | None) -> bool:
    """Whether a document of this kind tells one case (a review, a brief, a letter, an article), not
    many (a national analysis, a strategy, an action plan): the kinds whose case facts are read."""
    from indexing.reading.records import FACT_KINDS  # here: reading stores its facts through this module

    return kind in FACT_KINDS


def decided_by_facts(facts: Mapping[str, object]) -> dict[str, bool]:
    """{theme: whether the document is about it} for the themes its case facts decide (the vocabulary's
    ``fact_rules``): an older victim where the victim's age is 60 or more, and not where it is less; a
    theme its facts leave open (the text does not state them) is left out, for its passages to decide."""
    found: dict[str, bool] = {}
    for rule in bundled_fact_rules():
        decision = rule.decides(facts.get(rule.fact))
        if decision is not None:
            found[rule.theme] = found.get(rule.theme, False) or decision
    return found


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_encoder(store: Store, embedder: Embedder):
    """An encoder that reuses vectors stored in ``text_vectors`` and stores the new ones."""

    def encode(texts: list[str]) -> np.ndarray:
        db = store.read()
        shas = [_sha(t) for t in texts]
        known: dict[str, np.ndarray] = {}
        for start in range(0, len(shas), 500):
            part = shas[start : start + 500]
            marks = ", ".join("?" for _ in part)
            for row in db.query(f"SELECT sha, embedding FROM text_vectors WHERE sha IN ({marks})", part):
                known[row["sha"]] = from_blob(row["embedding"])
        missing = sorted({s: t for s, t in zip(shas, texts, strict=True) if s not in known}.items())
        if missing:
            vectors = embedder.encode_short([t for _, t in missing])
            with store.write("system") as tx:
                tx.db["text_vectors"].insert_all(
                    ({"sha": s, "embedding": to_blob(v)} for (s, _), v in zip(missing, vectors, strict=True)),
                    replace=True,
                )
            known |= {s: v for (s, _), v in zip(missing, vectors, strict=True)}
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        return np.vstack([known[s] for s in shas]).astype(np.float32)

    return encode


def examples(db: sqlite_utils.Database, targets: Sequence[str]) -> list[Example]:
    marks = ", ".join("?" for _ in targets)
    return [
        Example(r["theme_key"], from_blob(r["embedding"]), r["decision"] == "confirmed", r["text"])
        for r in db.query(f"SELECT * FROM theme_decisions WHERE target IN ({marks})", list(targets))
    ]


def signature(db: sqlite_utils.Database) -> tuple:
    """Changes whenever the themes or people's decisions change (a cached tagger is then rebuilt)."""
    row = next(
        db.query(
            "SELECT (SELECT count(*) FROM themes) AS themes, (SELECT max(rowid) FROM themes) AS last_theme, "
            "(SELECT group_concat(key || label || grp || description || seeds || requires_words || patterns "
            "|| not_within, '') FROM themes) "
            "AS wording, "
            "(SELECT count(*) FROM theme_decisions) AS decisions, (SELECT max(id) FROM theme_decisions) AS last"
        )
    )
    return (row["themes"], row["last_theme"], _sha(row["wording"] or ""), row["decisions"], row["last"])


class Tagging:
    """Tags a workspace's passages with its themes; one per Library, taggers cached by signature."""

    def __init__(self, store: Store, embedder_of):
        self.store = store
        self._embedder_of = embedder_of  # a callable, so the model loads only when a tagger is built
        self._cache: dict[tuple, ThemeTagger] = {}

    def tagger(self, groups: tuple[str, ...], targets: tuple[str, ...]) -> ThemeTagger:
        """A tagger for some groups, learning from people's decisions on some kinds of item."""
        install_bundled_vocabulary(self.store)  # a workspace without themes gets the shipped vocabulary
        db = self.store.read()
        key = (groups, targets, signature(db))
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[2] == key[2]}
            settings = PASSAGE_SETTINGS if "passage" in targets else SHORT_TEXT_SETTINGS
            self._cache[key] = ThemeTagger(**settings).fit(
                list_themes(db, groups), cached_encoder(self.store, self._embedder_of()), examples(db, targets)
            )
        return self._cache[key]

    # -------------------------------------------------------------- short texts

    def suggest(self, texts: list[str], group: str) -> list[dict[str, float]]:
        """Themes of one group for short texts (recommendations, QA areas, actions), best first.
        In the recommendation group, "other" is suggested only when no other theme applies."""
        if group not in GROUPS:
            raise ValidationError(f"group: one of {', '.join(GROUPS)}")
        tagger = self.tagger((group,), ITEM_TARGETS)
        vectors = cached_encoder(self.store, self._embedder_of())(texts)
        found = tagger.predict(texts, vectors)
        if group == "recommendation":
            found = [{k: s for k, s in f.items() if k != OTHER} or {OTHER: 0.0} for f in found]
        return found

    # -------------------------------------------------------------- passages

    def passage_tagger(self) -> ThemeTagger:
        return self.tagger(PASSAGE_GROUPS, ("passage",))

    def tag_passages(
        self, tx: Transaction, chunk_ids: list[int], texts: list[str], vectors: np.ndarray, cases: Sequence[bool]
    ) -> int:
        """Store the themes of some passages (replacing theirs), keeping people's decisions; ``cases``: whether
        each passage's document tells one case (``one_case``: only there are general statements told apart).
        Returns tags."""
        if not chunk_ids:
            return 0
        tagger = self.passage_tagger()
        scores, general = tagger.tag(texts, vectors, cases)
        decided = _decisions(tx.db, "passage", chunk_ids)
        rows = []
        for row, chunk_id in enumerate(chunk_ids):
            for column in np.flatnonzero(scores[row]):
                rows.append((chunk_id, tagger.keys[column], float(scores[row, column]), int(general[row, column])))
        rows = _apply_decisions(rows, decided)
        marks = ", ".join("?" for _ in chunk_ids)
        tx.db.execute(f"DELETE FROM passage_themes WHERE chunk_id IN ({marks})", chunk_ids)
        # one statement for every row: sqlite-utils' insert_all spent more in Python than SQLite did
        tx.db.conn.executemany(
            "INSERT INTO passage_themes (chunk_id, theme_key, score, general) VALUES (?, ?, ?, ?)",
            [(c, k, round(s, 4), g) for c, k, s, g in rows],
        )
        return len(rows)

    def refresh_documents(self, tx: Transaction, document_ids: Sequence[int] | None = None) -> None:
        refresh_document_themes(tx, document_ids)

    def retag_document(self, tx: Transaction, document_id: int) -> None:
        """Tag one document's passages again from their stored vectors, as its kind now reads them (a document
        that has come to tell one case, or no longer does, tells its general statements apart, or no longer)."""
        rows = list(
            tx.db.query("SELECT id, text, embedding FROM chunks WHERE document_id = ? ORDER BY id", [document_id])
        )
        kind = tx.db["documents"].get(document_id)["kind"]
        vectors = np.vstack([from_blob(r["embedding"]) for r in rows]) if rows else np.zeros((0, 1))
        ids, texts = [r["id"] for r in rows], [r["text"] for r in rows]
        self.tag_passages(tx, ids, texts, vectors, [one_case(kind)] * len(rows))
        self.refresh_documents(tx, [document_id])

    def retag(self, viewer: Viewer, progress=None) -> dict[str, int]:
        """Re-tag every stored passage from its stored vector (after the vocabulary or examples change)."""
        require_coordinator(viewer, "Only the coordinator can re-tag the library")
        db = self.store.read()
        total = db["chunks"].count
        done = tags = 0
        last = 0
        self.passage_tagger()  # build (and encode any new prototypes) before the write lock
        while True:
            batch = list(
                db.query(
                    "SELECT chunks.id, chunks.text, chunks.embedding, documents.kind FROM chunks "
                    "JOIN documents ON documents.id = chunks.document_id "
                    "WHERE chunks.id > ? ORDER BY chunks.id LIMIT ?",
                    [last, RETAG_BATCH],
                )
            )
            if not batch:
                break
            vectors = np.vstack([from_blob(r["embedding"]) for r in batch])
            cases = [one_case(r["kind"]) for r in batch]
            with self.store.write(viewer.username) as tx:
                tags += self.tag_passages(tx, [r["id"] for r in batch], [r["text"] for r in batch], vectors, cases)
            last = batch[-1]["id"]
            done += len(batch)
            if progress:
                progress(done, total)
        with self.store.write(viewer.username) as tx:
            self.refresh_documents(tx)
            tx.db["settings"].insert({"key": "themes_tagged_at", "value": utc_now()}, replace=True)
        return {"passages": done, "tags": tags}

    # -------------------------------------------------------------- people's decisions

    def decide(
        self,
        viewer: Viewer,
        *,
        target: str,
        target_id: int,
        theme_key: str,
        confirmed: bool,
        text: str,
        vector: np.ndarray,
    ) -> None:
        """A coordinator confirms or rejects a theme on a passage, recommendation, QA area or action.
        The decision is kept (audited), wins over the tagger for that item, and teaches the tagger."""
        require_coordinator(viewer, "Only the coordinator can confirm or reject themes")
        if target not in TARGETS:
            raise ValidationError(f"target: one of {', '.join(TARGETS)}")
        with self.store.write(viewer.username) as tx:
            if not tx.db["themes"].count_where("key = ?", [theme_key]):
                raise NotFound(f"No theme {theme_key!r}")
            record = {
                "target": target,
                "target_id": target_id,
                "theme_key": theme_key,
                "decision": "confirmed" if confirmed else "rejected",
                "text": text,
                "embedding": to_blob(vector),
                "decided_by": viewer.username,
                "decided_at": utc_now(),
            }
            found = list(
                tx.db["theme_decisions"].rows_where(
                    "target = ? AND target_id = ? AND theme_key = ?", [target, target_id, theme_key]
                )
            )
            if found:
                tx.update("theme_decisions", found[0]["id"], record)
            else:
                tx.insert("theme_decisions", record)
            if target == "passage":
                tx.db.execute("DELETE FROM passage_themes WHERE chunk_id = ? AND theme_key = ?", [target_id, theme_key])
                if confirmed:
                    tx.db["passage_themes"].insert({"chunk_id": target_id, "theme_key": theme_key, "score": 1.0})
                document = tx.db["chunks"].get(target_id)["document_id"]
                self.refresh_documents(tx, [document])

    def decide_passage(self, viewer: Viewer, *, chunk_id: int, theme_key: str, confirmed: bool) -> None:
        require_coordinator(viewer, "Only the coordinator can confirm or reject themes")
        rows = list(self.store.read()["chunks"].rows_where("id = ?", [chunk_id]))
        if not rows:
            raise NotFound(f"No passage {chunk_id}")
        self.decide(
            viewer,
            target="passage",
            target_id=chunk_id,
            theme_key=theme_key,
            confirmed=confirmed,
            text=rows[0]["text"],
            vector=from_blob(rows[0]["embedding"]),
        )


def refresh_document_themes(tx: Transaction, document_ids: Sequence[int] | None = None) -> None:
    """Aggregate passage tags into document themes: how many passages mention it, the best score, the share of the
    document's passages that are evidence of it (its salience: in a document telling one case, those that do not
    name it only in general statements) and whether the document is about the theme (SALIENCE), though not about
    one a broader salient theme holds (``bundled_held_within``); then the document's case facts (a coordinator's
    correction wins) decide the themes that rest on them (``decided_by_facts``). Run after tagging, after reading
    a document and after a fact is corrected."""
    where, params = "", []
    if document_ids is not None:
        if not document_ids:
            return
        where = f"WHERE chunks.document_id IN ({', '.join('?' for _ in document_ids)})"
        params = list(document_ids)
        tx.db.execute(f"DELETE FROM document_themes WHERE document_id IN ({', '.join('?' for _ in params)})", params)
    else:
        tx.db.execute("DELETE FROM document_themes")
    # the rules live once, in Python: in a document telling one case, only the passages that say the theme of
    # the case itself count towards its salience (a general statement is a mention, no evidence)
    tx.db.conn.create_function("dhr_one_case", 1, lambda kind: int(one_case(kind)))
    tx.db.conn.create_function(
        "dhr_salient", 4, lambda n, share, best, kind: int(bool(n) and SALIENCE.salient(n, share, best, one_case(kind)))
    )
    tx.db.execute(
        "INSERT INTO document_themes (document_id, theme_key, passages, score, salience, salient) "
        "SELECT document_id, theme_key, passages, score, evidence * 1.0 / total, "
        "dhr_salient(evidence, evidence * 1.0 / total, best, kind) FROM ("
        "SELECT chunks.document_id, passage_themes.theme_key, count(*) AS passages, "
        "max(passage_themes.score) AS score, "
        "(SELECT count(*) FROM chunks AS every WHERE every.document_id = chunks.document_id) AS total, documents.kind, "
        "CASE WHEN dhr_one_case(documents.kind) THEN sum(passage_themes.general = 0) ELSE count(*) END AS evidence, "
        "CASE WHEN dhr_one_case(documents.kind) THEN max(CASE WHEN passage_themes.general = 0 "
        "THEN passage_themes.score END) ELSE max(passage_themes.score) END AS best "
        "FROM passage_themes JOIN chunks ON chunks.id = passage_themes.chunk_id "
        f"JOIN documents ON documents.id = chunks.document_id {where} "
        "GROUP BY chunks.document_id, passage_themes.theme_key)",
        params,
    )
    only = f"document_id IN ({', '.join('?' for _ in params)}) AND " if params else ""
    for rule in bundled_held_within():  # a theme a broader salient one holds is not salient from its passages
        tx.db.execute(
            "UPDATE document_themes SET salient = 0 WHERE theme_key = ? AND salient = 1 AND document_id IN ("
            f"SELECT document_id FROM document_themes WHERE {only}theme_key = ? AND salient = 1)",
            [rule.theme, *params, rule.within],
        )
    _apply_facts(tx, document_ids)


def _apply_facts(tx: Transaction, document_ids: Sequence[int] | None) -> None:
    """The themes each document's case facts decide: about it (a row of full strength, with no passage
    behind it where none mentions it), or not about it (its passages' mentions kept, not salient)."""
    from indexing.reading.records import fact_rows  # here: reading stores its facts through this module

    # the fact that counts: a coordinator's correction wins over what was read (fact_rows' "value")
    facts = {
        document_id: {field: fact["value"] for field, fact in fields.items()}
        for document_id, fields in fact_rows(tx.db, None if document_ids is None else list(document_ids)).items()
    }
    known = {r["key"] for r in tx.db.query("SELECT key FROM themes")}
    for document_id, values in facts.items():
        for key, about in decided_by_facts(values).items():
            if key not in known:
                continue
            if about:
                tx.db.execute(
                    "INSERT INTO document_themes (document_id, theme_key, passages, score, salience, salient) "
                    "VALUES (?, ?, 0, 1.0, ?, 1) "
                    "ON CONFLICT (document_id, theme_key) DO UPDATE SET salience = excluded.salience, salient = 1",
                    [document_id, key, FACT_STRENGTH],
                )
            else:
                tx.db.execute(
                    "UPDATE document_themes SET salient = 0 WHERE document_id = ? AND theme_key = ?",
                    [document_id, key],
                )


def _decisions(db: sqlite_utils.Database, target: str, ids: list[int]) -> dict[tuple[int, str], bool]:
    marks = ", ".join("?" for _ in ids)
    return {
        (r["target_id"], r["theme_key"]): r["decision"] == "confirmed"
        for r in db.query(
            f"SELECT target_id, theme_key, decision FROM theme_decisions WHERE target = ? AND target_id IN ({marks})",
            [target, *ids],
        )
    }


def _apply_decisions(
    rows: list[tuple[int, str, float, int]], decided: dict[tuple[int, str], bool]
) -> list[tuple[int, str, float, int]]:
    """People's decisions win: a rejected tag goes, a confirmed one stays with full confidence, as evidence
    (``general`` 0: a person said the passage is about the theme, however it is worded)."""
    kept = [(c, k, s, 0 if decided.get((c, k)) else g) for c, k, s, g in rows if decided.get((c, k), True)]
    present = {(c, k) for c, k, _, _ in kept}
    kept += [(c, k, 1.0, 0) for (c, k), confirmed in decided.items() if confirmed and (c, k) not in present]
    return kept
