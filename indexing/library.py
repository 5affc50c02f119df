"""The lessons-learned library: documents, ingestion, and the derived indexes kept true to SQLite.

SQLite holds every document, chunk and embedding. The whoosh index and the memory-mapped vector
store (indexing/vectors.py) are caches: ``verify`` compares them with the database and ``rebuild`` recreates them.

An ingest extracts, chunks and embeds outside any transaction, then (1) stores the document
as *pending* with its chunks and vectors in one transaction, (2) replaces the document's
entries in whoosh, (3) marks it *indexed*. A kill between steps leaves a pending document,
which search never shows and ``resume_pending`` finishes; it is never half-indexed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

import numpy as np
import sqlite_utils

from core.accounts import Viewer
from core.db import Store, Transaction, utc_now
from core.errors import DHRError, NotFound, PermissionDenied, ValidationError, deletion_reason
from core.settings import max_upload_bytes
from indexing.access import visible_document, visible_documents
from indexing.chunking import chunk, embedding_text
from indexing.embeddings import DIMENSIONS, Embedder, from_blob, to_blob
from indexing.extract import SUFFIXES, ExtractionError, extract
from indexing.lexical import LexicalIndex
from indexing.reading.records import read_text, read_unread, save_reading, stored_text
from indexing.theming import Tagging
from indexing.titles import derive_title
from indexing.vectors import VectorStore

KINDS = (
    "overview report",
    "executive summary",
    "learning brief",
    "QA letter",
    "action plan",
    "national analysis",
    "strategy",
    "other",
)
ACCESS_LEVELS = ("public", "partners", "confidential")
FILL_VECTORS = " (the app fills it when it starts; or run python -m indexing rebuild)"
PARTIAL_PREFIX = ".partial-"  # an original being written; removed if the writing was interrupted


def clean_source_name(name: str) -> str:
    """A document's name as given (a folder path kept, "briefs/2019/brief.pdf"), without drive,
    leading slash or "..", so it can never point outside the library."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("/", ".", "..") and ":" not in p]
    return "/".join(parts) or "unnamed"


@dataclass
class IngestResult:
    source_name: str
    outcome: str  # ingested | skipped | failed
    reason: str = ""
    chunks: int = 0
    document_id: int | None = None


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class Library:
    """A workspace's library. The embedder loads its model only when first used."""

    def __init__(self, store: Store, embedder: Embedder | None = None, *, max_bytes: int | None = None):
        self.store = store
        self.lexical = LexicalIndex(store.directory / "whoosh")
        self.originals = store.directory / "originals"
        self._embedder = embedder
        self.max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
        self.vectors = VectorStore(store.directory / "vectors")
        self._spans_cache: tuple[tuple, dict[int, tuple[int, int]]] | None = None
        self.tagging = Tagging(store, lambda: self.embedder)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder()
        return self._embedder

    # ------------------------------------------------------------ metadata and access

    def _check_metadata(self, db: sqlite_utils.Database, meta: dict) -> dict:
        problems = []
        kind, access = meta.get("kind", "other"), meta.get("access", "partners")
        if kind not in KINDS:
            problems.append(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
        if access not in ACCESS_LEVELS:
            problems.append(f"access: {access!r} is not one of {', '.join(ACCESS_LEVELS)}")
        review_id = None
        if meta.get("review"):
            rows = list(db["reviews"].rows_where("reference = ?", [str(meta["review"]).upper()]))
            if not rows:
                problems.append(f"review: no review {meta['review']!r} in the register")
            else:
                review_id = rows[0]["id"]
        if access == "confidential" and not meta.get("review"):
            problems.append("access: a confidential document must be linked to its review (--review REF)")
        year = meta.get("year")
        if year is not None and year != "":
            try:
                year = int(year)
            except (TypeError, ValueError):
                problems.append(f"year: {year!r} is not a year")
            else:
                if not 1990 <= year <= date.today().year + 1:
                    problems.append(f"year: {year} is outside 1990-{date.today().year + 1}")
        else:
            year = None
        if problems:
            raise ValidationError(problems)
        return {
            "kind": kind,
            "access": access,
            "review_id": review_id,
            "csp": str(meta.get("csp") or "").strip(),
            "year": year,
            "title": str(meta.get("title") or "").strip(),
        }

    def list_documents(self, viewer: Viewer, *, statuses: tuple[str, ...] = ("indexed", "pending")) -> list[dict]:
        """The documents the viewer can see, newest first: those in the library (indexed, or being
        indexed) unless ``statuses`` asks for others, such as the uploads that ``("failed",)``."""
        db = self.store.read()
        condition = visible_documents(viewer)
        sql = f"""
            SELECT documents.*, reviews.reference AS review,
                   (SELECT count(*) FROM chunks WHERE chunks.document_id = documents.id) AS chunks
            FROM documents LEFT JOIN reviews ON reviews.id = documents.review_id
            WHERE {condition} AND documents.status IN (SELECT value FROM json_each(:statuses))
            ORDER BY documents.added_at DESC, documents.id DESC
        """
        return [dict(row) for row in db.query(sql, {"viewer": viewer.username, "statuses": json.dumps(statuses)})]

    # ------------------------------------------------------------ ingestion

    def _save_original(self, sha: str, data: bytes) -> None:
        target = self.originals / sha[:2] / sha
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=PARTIAL_PREFIX, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)

    def _bump_version(self, tx: Transaction) -> None:
        row = (
            tx.db["settings"].get("library_version")
            if tx.db["settings"].count_where("key = 'library_version'")
            else None
        )
        version = str(int(row["value"]) + 1) if row else "1"
        if row:
            tx.update("settings", "library_version", {"value": version})
        else:
            tx.insert("settings", {"key": "library_version", "value": version})

    def _check_may_add(self, db: sqlite_utils.Database, viewer: Viewer, review_id: int | None) -> None:
        """The coordinator adds any document; a chair only documents of a review they chair."""
        if viewer.is_coordinator:
            return
        if (
            viewer.role == "chair"
            and review_id is not None
            and db["reviews"].get(review_id)["chair"] == viewer.username
        ):
            return
        raise PermissionDenied("Only the coordinator, or a review's chair for that review, can add library documents")

    def ingest(self, data: bytes, source_name: str, *, viewer: Viewer, **meta) -> IngestResult:
        """Add or replace one document. Unchanged content (same SHA-256) does no work."""
        source_name = clean_source_name(source_name)
        sha = hashlib.sha256(data).hexdigest()
        db = self.store.read()
        checked = self._check_metadata(db, meta)
        self._check_may_add(db, viewer, checked["review_id"])
        actor = viewer.username
        existing = list(db["documents"].rows_where("source_name = ?", [source_name]))
        if existing and existing[0]["sha256"] == sha and existing[0]["status"] == "indexed":
            # a title or year left out keeps the one read from the document
            changed = {k: v for k, v in checked.items() if v != existing[0][k] and (v or k not in ("title", "year"))}
            if changed:  # the same file with other details: an edit of its record, not a re-ingest
                self.update_document(viewer, existing[0]["id"], **self._as_meta(db, changed))
                return IngestResult(
                    source_name,
                    "skipped",
                    f"content unchanged; {', '.join(changed)} updated",
                    document_id=existing[0]["id"],
                )
            return IngestResult(
                source_name, "skipped", "unchanged since it was last ingested", document_id=existing[0]["id"]
            )
        twin = [r for r in db["documents"].rows_where("sha256 = ? AND source_name != ?", [sha, source_name])]
        if twin:
            return IngestResult(
                source_name, "skipped", f"same content as {twin[0]['source_name']}", document_id=twin[0]["id"]
            )
        try:
            extracted = extract(data, source_name, max_bytes=self.max_bytes)
            chunks = chunk(extracted)
        except ExtractionError as error:
            self._record_failure(
                existing[0] if existing else None, source_name, sha, len(data), checked, str(error), actor
            )
            return IngestResult(source_name, "failed", str(error))
        found = derive_title(extracted)
        title = checked.pop("title") or found.title or Path(source_name).stem  # the stem: a text of no words
        checked["year"] = checked["year"] or found.year
        vectors = self.embedder.encode([c.text for c in chunks])  # what the passage says: themes, "more like this"
        # what search compares with a question: the passage in its document's title and heading
        search_vectors = self.embedder.encode([embedding_text(title, c.heading, c.text) for c in chunks])
        self.tagging.passage_tagger()  # built (and cached) outside the write lock
        reading = read_text(extracted.text, checked["kind"])  # case facts and recommendations, with their sentences
        self._save_original(sha, data)
        with self.store.write(actor) as tx:
            record = {
                "title": title,
                **checked,
                "source_name": source_name,
                "sha256": sha,
                "size_bytes": len(data),
                "status": "pending",
                "error": None,
                "added_by": actor,
                "added_at": utc_now(),
                "indexed_at": None,
            }
            rows = list(tx.db["documents"].rows_where("source_name = ?", [source_name]))
            if rows:
                document_id = rows[0]["id"]
                tx.update("documents", document_id, record)
                tx.db.execute("DELETE FROM chunks WHERE document_id = ?", [document_id])
            else:
                document_id = tx.insert("documents", record)
            tx.db["chunks"].insert_all(
                {
                    "document_id": document_id,
                    "ordinal": c.ordinal,
                    "text": c.text,
                    "page": c.page,
                    "heading": c.heading,
                    "char_start": c.char_start,
                    "char_end": c.char_end,
                    "embedding": to_blob(v),
                    "search_embedding": to_blob(in_context),
                }
                for c, v, in_context in zip(chunks, vectors, search_vectors, strict=True)
            )
            chunk_ids = [
                r["id"] for r in tx.db["chunks"].rows_where("document_id = ?", [document_id], order_by="ordinal")
            ]
            self._append_vectors(tx, document_id, chunk_ids, search_vectors)
            self.tagging.tag_passages(tx, chunk_ids, [c.text for c in chunks], vectors)
            self.tagging.refresh_documents(tx, [document_id])
            save_reading(tx, document_id, reading)
            self._bump_version(tx)
        self._publish(document_id, actor)
        return IngestResult(source_name, "ingested", chunks=len(chunks), document_id=document_id)

    def _record_failure(self, existing, source_name, sha, size, checked, error, actor) -> None:
        with self.store.write(actor) as tx:
            if existing and existing["status"] == "indexed":
                return  # the indexed version stays searchable; the new file is reported, not stored
            record = {
                "title": checked.get("title") or Path(source_name).stem,
                **{k: v for k, v in checked.items() if k != "title"},
                "source_name": source_name,
                "sha256": sha,
                "size_bytes": size,
                "status": "failed",
                "error": error,
                "added_by": actor,
                "added_at": utc_now(),
            }
            if existing:
                tx.update("documents", existing["id"], record)
            else:
                tx.insert("documents", record)

    def _publish(self, document_id: int, actor: str) -> None:
        """Steps 2 and 3: copy the stored chunks into whoosh, then mark the document indexed."""
        db = self.store.read()
        title = db["documents"].get(document_id)["title"]
        rows = [
            {"chunk_id": r["id"], "title": title, "text": r["text"]}
            for r in db["chunks"].rows_where("document_id = ?", [document_id], order_by="ordinal")
        ]
        self.lexical.replace_document(document_id, rows)
        with self.store.write(actor) as tx:
            tx.update("documents", document_id, {"status": "indexed", "indexed_at": utc_now()})
            self._bump_version(tx)

    def resume_pending(self, actor: str = "system") -> list[str]:
        """Finish ingests that were interrupted after their chunks were stored, remove the temporary
        file of an original whose saving was interrupted, fill the vector store where it lacks
        a document (a workspace from an earlier release, a restored backup) and read the documents
        no reader has read (their case facts and recommendations)."""
        for partial in self.originals.glob(f"*/{PARTIAL_PREFIX}*"):
            partial.unlink(missing_ok=True)
        pending = list(self.store.read()["documents"].rows_where("status = 'pending'"))
        for row in pending:
            self._publish(row["id"], actor)
        self.sync_vectors(actor)
        read_unread(self.store, actor)  # documents stored before the library read facts and recommendations
        return [row["source_name"] for row in pending]

    # ------------------------------------------------------------ the vector store

    def _store_id(self, db: sqlite_utils.Database) -> str | None:
        rows = list(db["settings"].rows_where("key = 'vector_store'"))
        return rows[0]["value"] if rows else None

    def _new_vector_store(self, tx: Transaction) -> str:
        """Start an empty store: every document's rows are to be written again (``sync_vectors``)."""
        store_id = self.vectors.create()
        tx.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('vector_store', ?)", [store_id])
        tx.db.execute("UPDATE documents SET vector_start = NULL, vector_end = NULL")
        return store_id

    def _append_vectors(self, tx: Transaction, document_id: int, chunk_ids: list[int], vectors: np.ndarray) -> None:
        """Append a document's vectors and point the document at them, inside its write transaction
        (the derived columns are written directly: they are a cache, not a change anyone made)."""
        store_id = self._store_id(tx.db)
        if not self.vectors.exists(store_id):
            store_id = self._new_vector_store(tx)
        start, end = self.vectors.append(store_id, chunk_ids, vectors)
        tx.db.execute("UPDATE documents SET vector_start = ?, vector_end = ? WHERE id = ?", [start, end, document_id])

    def _unsynced(self, db: sqlite_utils.Database, store_id: str | None) -> list[int]:
        """Documents with passages whose rows are not in the store."""
        rows = self.vectors.rows(store_id) if self.vectors.exists(store_id) else -1
        return [
            row[0]
            for row in db.execute(
                "SELECT id FROM documents WHERE status IN ('indexed', 'pending') "
                "AND (vector_end IS NULL OR vector_end > ?) ORDER BY id",
                [rows],
            )
        ]

    def sync_vectors(self, actor: str = "system") -> int:
        """Write the rows of every document the store lacks, from the vectors SQLite keeps; returns how
        many documents. Each is its own transaction and is checked again inside it, so two processes
        doing this at once do not write a document twice."""
        db = self.store.read()
        if not self.vectors.exists(self._store_id(db)):
            with self.store.write(actor) as tx:
                if not self.vectors.exists(self._store_id(tx.db)):
                    self._new_vector_store(tx)
        done = 0
        for document_id in self._unsynced(self.store.read(), self._store_id(self.store.read())):
            with self.store.write(actor) as tx:
                if document_id not in self._unsynced(tx.db, self._store_id(tx.db)):
                    continue
                found = list(  # a passage stored by an earlier release has no vector in context: its own then
                    tx.db.execute(
                        "SELECT id, coalesce(search_embedding, embedding) FROM chunks "
                        "WHERE document_id = ? ORDER BY id",
                        [document_id],
                    )
                )
                if not found:
                    continue
                vectors = np.vstack([from_blob(embedding) for _, embedding in found])
                self._append_vectors(tx, document_id, [chunk_id for chunk_id, _ in found], vectors)
                done += 1
        self._spans_cache = None
        return done

    def vector_view(self) -> tuple[np.ndarray, object, dict[int, tuple[int, int]]]:
        """(chunk id per row, the float16 vectors as a torch tensor, {document id: (first row, end row)})
        of the indexed documents: the mapping is shared by every session, the spans cached until the
        library changes."""
        db = self.store.read()
        settings = dict(db.execute("SELECT key, value FROM settings WHERE key IN ('library_version', 'vector_store')"))
        store_id = settings.get("vector_store")
        if not self.vectors.exists(store_id):
            self.sync_vectors()
            return self.vector_view()
        ids, matrix = self.vectors.mapped(store_id)
        key = (settings.get("library_version"), store_id, len(ids))
        if self._spans_cache is None or self._spans_cache[0] != key:  # checked once per change, not per search
            if self._unsynced(db, store_id):
                self.sync_vectors()
                return self.vector_view()
            spans = {
                document_id: (start, end)
                for document_id, start, end in db.execute(
                    "SELECT id, vector_start, vector_end FROM documents WHERE status = 'indexed'"
                )
            }
            self._spans_cache = (key, spans)
        return ids, matrix, self._spans_cache[1]

    def ingest_paths(self, paths: list[Path], *, viewer: Viewer, progress=None, **meta) -> list[IngestResult]:
        """Ingest files and folders (recursively); each file is ingested or refused on its own.
        A file in a folder is named by its path from that folder ("briefs/2019/brief.pdf"), so two
        files with one name in different folders are two documents. ``progress(done, total, name)``
        is called per file. Details that are wrong for every file (an unknown review) stop it first."""
        db = self.store.read()
        self._check_may_add(db, viewer, self._check_metadata(db, meta)["review_id"])
        files: list[tuple[Path, str]] = []
        for path in paths:
            path = Path(path)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
                files += [(p, f"{path.resolve().name}/{p.relative_to(path).as_posix()}") for p in found]
            else:
                files.append((path, path.name))
        results = []
        for done, (file, name) in enumerate(files, start=1):
            try:
                results.append(self.ingest(file.read_bytes(), name, viewer=viewer, **meta))
            except OSError as error:
                results.append(IngestResult(name, "failed", f"cannot read the file ({error.strerror})"))
            except (DHRError, sqlite3.Error) as error:
                results.append(IngestResult(name, "failed", str(error)))
            if progress:
                progress(done, len(files), name)
        return results

    def _as_meta(self, db: sqlite_utils.Database, checked: dict) -> dict:
        """Checked metadata back in the form ``update_document`` takes (a review by its reference)."""
        meta = {k: v for k, v in checked.items() if k != "review_id"}
        if "review_id" in checked:
            meta["review"] = db["reviews"].get(checked["review_id"])["reference"] if checked["review_id"] else None
        return meta

    def _changeable(self, db: sqlite_utils.Database, viewer: Viewer, document_id: int) -> dict:
        """A document the viewer may change: the coordinator any, a chair those of a review they chair."""
        rows = list(db["documents"].rows_where("id = ?", [document_id]))
        if not rows:
            raise NotFound(f"No document {document_id}")
        self._check_may_add(db, viewer, rows[0]["review_id"])
        return rows[0]

    def update_document(self, viewer: Viewer, document_id: int, **meta) -> None:
        """Correct a document's title, kind, year, CSP, access or review link: an edit of its record,
        never a re-ingest (its passages, vectors and themes stay). A new title is re-indexed for search."""
        db = self.store.read()
        row = self._changeable(db, viewer, document_id)
        current = {
            "title": row["title"],
            "kind": row["kind"],
            "access": row["access"],
            "csp": row["csp"],
            "year": row["year"],
            "review": db["reviews"].get(row["review_id"])["reference"] if row["review_id"] else None,
        }
        checked = self._check_metadata(db, current | meta)
        if not checked["title"]:
            raise ValidationError("title: give the document a title")
        self._check_may_add(db, viewer, checked["review_id"])
        with self.store.write(viewer.username) as tx:
            tx.update("documents", document_id, checked)
            if checked["kind"] != row["kind"] and row["status"] == "indexed":  # its kind says whether it tells one case
                save_reading(tx, document_id, read_text(stored_text(tx.db, document_id), checked["kind"]))
            self._bump_version(tx)
        if checked["title"] != row["title"] and row["status"] == "indexed":
            self._publish(document_id, viewer.username)

    def original(self, viewer: Viewer, document_id: int) -> tuple[str, bytes]:
        """The file as it was added (its name and bytes), for a viewer who may read the document."""
        row = visible_document(self.store.read(), viewer, document_id)
        path = self.originals / row["sha256"][:2] / row["sha256"]
        if row["status"] != "indexed" or not path.exists():
            raise NotFound(f"The original of {row['source_name']} is not stored (it was not added successfully)")
        return PurePosixPath(row["source_name"]).name, path.read_bytes()

    def delete(self, viewer: Viewer, document_id: int, *, why: str) -> None:
        """Remove a document, its passages and, unless another document shares it, its original file.
        The audit log keeps the document's record and the reason."""
        why = deletion_reason(why)
        if not viewer.is_coordinator:
            raise PermissionDenied("Only the coordinator can delete library documents")
        rows = list(self.store.read()["documents"].rows_where("id = ?", [document_id]))
        if not rows:
            raise NotFound(f"No document {document_id}")
        self.lexical.delete_document(document_id)
        with self.store.write(viewer.username) as tx:
            tx.delete("documents", document_id, reason=why)
            self._bump_version(tx)
            shared = tx.db["documents"].count_where("sha256 = ?", [rows[0]["sha256"]])
        if not shared:
            (self.originals / rows[0]["sha256"][:2] / rows[0]["sha256"]).unlink(missing_ok=True)

    def context(self, viewer: Viewer, chunk_id: int, words: int = 120) -> str:
        """The passage with the text of its neighbours around it, if the viewer may read its document."""
        db = self.store.read()
        visible = (
            "SELECT chunks.* FROM chunks JOIN documents ON documents.id = chunks.document_id "
            f"WHERE chunks.id = :id AND {visible_documents(viewer)}"
        )
        found = list(db.query(visible, {"id": chunk_id, "viewer": viewer.username}))
        if not found:
            raise NotFound(f"No passage {chunk_id} in the documents you can see")
        row = found[0]
        rows = list(
            db["chunks"].rows_where(
                "document_id = ? AND ordinal BETWEEN ? AND ?",
                [row["document_id"], row["ordinal"] - 1, row["ordinal"] + 1],
                order_by="ordinal",
            )
        )
        before = " ".join(" ".join(r["text"] for r in rows if r["ordinal"] < row["ordinal"]).split()[-words:])
        after = " ".join(" ".join(r["text"] for r in rows if r["ordinal"] > row["ordinal"]).split()[:words])
        return "\n\n".join(
            part for part in (f"… {before}" if before else "", row["text"], f"{after} …" if after else "") if part
        )

    # ------------------------------------------------------------ derived indexes

    def indexed_documents(self) -> set[int]:
        return {row[0] for row in self.store.read().execute("SELECT id FROM documents WHERE status = 'indexed'")}

    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(chunk ids, their document ids, the passages' own unit vectors, not in context) of the indexed
        documents, read from SQLite: for whole-library analysis (emerging themes), not for search."""
        found = self.store.read().execute(
            "SELECT chunks.id, chunks.document_id, chunks.embedding FROM chunks "
            "JOIN documents ON documents.id = chunks.document_id "
            "WHERE documents.status = 'indexed' ORDER BY chunks.id"
        )
        ids, document_ids, vectors = [], [], []
        for chunk_id, document_id, embedding in found:
            ids.append(chunk_id)
            document_ids.append(document_id)
            vectors.append(from_blob(embedding))
        return (
            np.array(ids, dtype=np.int64),
            np.array(document_ids, dtype=np.int64),
            np.vstack(vectors) if vectors else np.zeros((0, DIMENSIONS), np.float32),
        )

    def verify(self) -> VerifyReport:
        """Compare the whoosh index and the vectors with the database."""
        db = self.store.read()
        report = VerifyReport()
        documents = {r["id"]: r for r in db["documents"].rows}
        expected: dict[int, set[int]] = {}
        for row in db.query("SELECT id, document_id, length(embedding) AS size FROM chunks"):
            expected.setdefault(row["document_id"], set()).add(row["id"])
            report.chunks += 1
            if row["size"] != DIMENSIONS * 4:
                report.problems.append(
                    f"chunk {row['id']}: embedding has {row['size']} bytes, expected {DIMENSIONS * 4}"
                )
        indexed = self.lexical.chunk_ids_by_document()
        for document_id, document in documents.items():
            name = document["source_name"]
            if document["status"] == "pending":
                report.pending.append(name)
                continue
            report.documents += document["status"] == "indexed"
            want, have = expected.get(document_id, set()), indexed.get(document_id, set())
            if document["status"] == "indexed" and not want:
                report.problems.append(f"{name}: indexed but has no chunks in the database")
            if want - have:
                report.problems.append(f"{name}: {len(want - have)} chunk(s) missing from the whoosh index")
            if have - want:
                report.problems.append(f"{name}: {len(have - want)} whoosh entr(ies) for chunks no longer stored")
        for document_id in set(indexed) - set(documents):
            report.problems.append(
                f"whoosh holds {len(indexed[document_id])} entr(ies) of deleted document {document_id}"
            )
        report.problems += self._vector_problems(db, documents, expected)
        return report

    def _vector_problems(self, db: sqlite_utils.Database, documents: dict, expected: dict[int, set[int]]) -> list[str]:
        """Indexed documents whose rows in the vector store are missing or are not their passages."""
        store_id = self._store_id(db)
        if not self.vectors.exists(store_id):
            return (
                ["the vector store is missing" + FILL_VECTORS]
                if any(d["status"] == "indexed" for d in documents.values())
                else []
            )
        rows = self.vectors.rows(store_id)
        ids = self.vectors.chunk_ids(store_id, rows)
        problems = []
        for document_id, document in documents.items():
            if document["status"] != "indexed":
                continue
            start, end = document["vector_start"], document["vector_end"]
            if end is None or end > rows:
                problems.append(
                    f"{document['source_name']}: its passages are missing from the vector store" + FILL_VECTORS
                )
            elif set(ids[start:end].tolist()) != expected.get(document_id, set()):
                problems.append(f"{document['source_name']}: the vector store holds other passages than its own")
        return problems

    def rebuild(self) -> int:
        """Recreate the whoosh index and the vector store from the database. Returns chunks indexed."""
        with self.store.write("system") as tx:
            store_id = self._new_vector_store(tx)  # a fresh store: rows of replaced documents are dropped
        self.resume_pending()  # finishes interrupted ingests and fills the fresh store
        db = self.store.read()
        rows = db.query(
            "SELECT chunks.id AS chunk_id, chunks.document_id, documents.title, chunks.text FROM chunks "
            "JOIN documents ON documents.id = chunks.document_id WHERE documents.status = 'indexed' ORDER BY chunks.id"
        )
        count = self.lexical.recreate(rows)
        self.vectors.remove_others(store_id)
        return count

    def recreate_missing_indexes(self) -> bool:
        """A workspace restored from a backup (which holds the database and the originals, not the derived
        indexes) has passages but no keyword index: rebuild both indexes from the database. True if it did."""
        if self.lexical.exists() or not self.store.read().execute("SELECT 1 FROM chunks LIMIT 1").fetchone():
            return False
        self.rebuild()
        return True

    def stats(self) -> dict:
        db = self.store.read()
        by_status = {
            r["status"]: r["n"] for r in db.query("SELECT status, count(*) AS n FROM documents GROUP BY status")
        }
        by_kind = {r["kind"]: r["n"] for r in db.query("SELECT kind, count(*) AS n FROM documents GROUP BY kind")}
        return {
            "documents": sum(by_status.values()),
            "by_status": by_status,
            "by_kind": by_kind,
            "chunks": db["chunks"].count,
            "words": sum(len(r["text"].split()) for r in db.query("SELECT text FROM chunks")),
        }
