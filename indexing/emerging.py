"""Emerging themes: what several documents discuss that no theme in the vocabulary covers well.

Passages whose meaning is far from every theme's prototypes are grouped by meaning with
scikit-learn: average-linkage agglomerative clustering on cosine distance (no number of clusters
to guess; a distance threshold says how alike a group must be), after MiniBatchKMeans has
condensed a large set into micro-clusters. Each group is labelled by its distinctive terms
(class-based TF-IDF: each group's passages against the others') and shown with its most
representative passages. Groups are stored, not recomputed when a page is drawn.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import NotFound
from indexing.library import Library, visible_documents
from indexing.themes import add_themes

# words every DHR document uses: they say nothing about what a group of passages is about
DOMAIN_STOP_WORDS = frozenset(
    "domestic abuse violence victim victims review reviews services service agency agencies partnership "
    "council borough local support strategy plan also would could should including within across ensure "
    "work working year years page per cent new use used make made".split()
)


@dataclass(frozen=True)
class Settings:
    coverage: float = 0.42  # a passage this close to some theme is already covered
    distance: float = 0.45  # average cosine distance within a group at most
    min_passages: int = 3
    min_documents: int = 2
    micro_clusters_above: int = 3000  # larger sets are condensed by MiniBatchKMeans first
    terms: int = 5
    examples: int = 5


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
    micro = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=1, batch_size=4096).fit(vectors)
    centres = micro.cluster_centers_ / np.linalg.norm(micro.cluster_centers_, axis=1, keepdims=True)
    merged = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=settings.distance
    ).fit_predict(centres)
    return merged[micro.labels_]


def _terms(texts_by_group: dict[int, list[str]], count: int) -> dict[int, list[str]]:
    """Each group's most distinctive terms: TF-IDF of the group's text against the other groups'."""
    groups = sorted(texts_by_group)
    if not groups:
        return {}
    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS),
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z\-]{2,}\b",
    )
    matrix = vectorizer.fit_transform([" ".join(texts_by_group[g]) for g in groups])
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    found = {}
    for row, group in enumerate(groups):
        weights = matrix[row].toarray().ravel()
        best = [vocabulary[i] for i in np.argsort(-weights)[: count * 3] if weights[i] > 0]
        chosen: list[str] = []
        for term in best:  # skip a word already inside a chosen phrase, and the reverse
            if not any(term in c or c in term for c in chosen):
                chosen.append(term)
            if len(chosen) == count:
                break
        found[group] = chosen
    return found


def compute(library: Library, viewer: Viewer, settings: Settings = Settings()) -> int:
    """Find and store the emerging themes over every indexed passage. Returns how many."""
    require_coordinator(viewer, "Only the coordinator can recompute emerging themes")
    ids, document_ids, vectors = library.matrix()
    tagger = library.tagging.passage_tagger()
    covered = tagger.closeness(vectors).max(axis=1) >= settings.coverage if len(ids) else np.zeros(0, bool)
    loose = np.flatnonzero(~covered)
    groups = _groups(vectors[loose], settings) if len(loose) else np.zeros(0, dtype=np.int64)
    kept: dict[int, np.ndarray] = {}
    for group in np.unique(groups):
        members = loose[groups == group]
        if len(members) >= settings.min_passages and len(set(document_ids[members])) >= settings.min_documents:
            kept[int(group)] = members
    texts = _texts(library, [int(ids[i]) for members in kept.values() for i in members])
    terms = _terms({g: [texts[int(ids[i])] for i in m] for g, m in kept.items()}, settings.terms)
    with library.store.write(viewer.username) as tx:
        tx.db.execute("DELETE FROM emerging_themes")
        for group, members in sorted(kept.items(), key=lambda kv: -len(kv[1])):
            centre = vectors[members].mean(axis=0)
            centre /= np.linalg.norm(centre) or 1.0
            closeness = vectors[members] @ centre
            label = " / ".join(terms[group][:3]) or "unlabelled"
            emerging_id = tx.insert(
                "emerging_themes", {"label": label, "terms": json.dumps(terms[group]), "computed_at": utc_now()}
            )
            tx.db["emerging_members"].insert_all(
                {"emerging_id": emerging_id, "chunk_id": int(ids[i]), "closeness": round(float(c), 4)}
                for i, c in zip(members, closeness, strict=True)
            )
    return len(kept)


def _texts(library: Library, chunk_ids: list[int]) -> dict[int, str]:
    found = {}
    db = library.store.read()
    for start in range(0, len(chunk_ids), 900):
        part = chunk_ids[start : start + 900]
        marks = ", ".join("?" for _ in part)
        for row in db.query(f"SELECT id, text FROM chunks WHERE id IN ({marks})", part):
            found[row["id"]] = row["text"]
    return found


def emerging(store: Store, viewer: Viewer, settings: Settings = Settings()) -> list[dict]:
    """The stored emerging themes as the viewer may see them: only passages of documents they may
    read, and only groups that still span enough of those documents."""
    db = store.read()
    sql = f"""
        SELECT emerging_members.emerging_id, emerging_members.chunk_id, emerging_members.closeness, chunks.text,
               chunks.page, documents.source_name AS document, documents.title
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
        if len(rows) < settings.min_passages or len(documents) < settings.min_documents:
            continue
        found.append(
            {
                "id": theme["id"],
                "label": theme["label"],
                "terms": json.loads(theme["terms"]),
                "documents": len(documents),
                "passage_count": len(rows),
                "document_names": sorted(documents),
                "computed_at": theme["computed_at"],
                "passages": [
                    {
                        "chunk_id": r["chunk_id"],
                        "document": r["document"],
                        "title": r["title"],
                        "page": r["page"],
                        "text": r["text"],
                    }
                    for r in rows[: settings.examples]
                ],
            }
        )
    return found


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
