"""The lessons-learned library: documents, ingestion, and the derived indexes kept true to SQLite.

SQLite holds every document, chunk and embedding. The whoosh index and the memory-mapped vector
store are caches: ``verify`` compares them with the database and ``rebuild`` recreates them (indexing/upkeep.py;
the vector store's rows in indexing/vector_sync.py). A document's details are checked in indexing/document_meta.py.

An ingest extracts, chunks and embeds outside any transaction, then (1) stores the document
as *pending* with its chunks and vectors in one transaction, (2) replaces the document's
entries in whoosh, (3) marks it *indexed*. A kill between steps leaves a pending document,
which search never shows and ``resume_pending`` finishes; it is never half-indexed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import sqlite_utils

from core import workspace
from core.accounts import Viewer
from core.db import Store, Transaction, utc_now
from core.errors import DHRError, NotFound, PermissionDenied, ValidationError, deletion_reason
from core.files import PARTIAL_PREFIX, write_atomically
from core.settings import max_upload_bytes
from core.workspace import put_setting, setting
from indexing import sentence_vectors, upkeep
from indexing.access import review_shown, visible_document, visible_documents
from indexing.chunking import chunk, embedding_text
from indexing.document_meta import as_meta, check_may_add, check_metadata, clean_source_name
from indexing.embeddings import Embedder, to_blob
from indexing.extract import SUFFIXES, ExtractionError, extract, named_otherwise
from indexing.lexical import LexicalIndex
from indexing.reading.records import read_text, read_unread, save_reading, stored_text
from indexing.theming import Tagging, one_case
from indexing.titles import TITLES_VERSION, derive_title, earlier_titles
from indexing.upkeep import RebuildReport, VerifyReport
from indexing.vector_sync import VectorSync


@dataclass
class IngestResult:
    source_name: str
    outcome: str  # ingested | skipped | failed
    reason: str = ""  # why it was skipped or failed; for one ingested, what it is where its name says otherwise
    chunks: int = 0
    document_id: int | None = None


class Library:
    """A workspace's library. The embedder loads its model only when first used."""

    def __init__(self, store: Store, embedder: Embedder | None = None, *, max_bytes: int | None = None):
        self.store = store
        self.lexical = LexicalIndex(store.directory / "whoosh")
        self.originals = store.directory / "originals"
        self._embedder = embedder
        self.max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
        self.vectors = VectorSync(store, store.directory / "vectors")
        self.tagging = Tagging(store, lambda: self.embedder)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(cache=self.store.directory / "models")
        return self._embedder

    # ------------------------------------------------------------ metadata and access

    def list_documents(self, viewer: Viewer, *, statuses: tuple[str, ...] = ("indexed", "pending")) -> list[dict]:
        """The documents the viewer can see, newest first: those in the library (indexed, or being
        indexed) unless ``statuses`` asks for others, such as the uploads that ``("failed",)``."""
        db = self.store.read()
        condition = visible_documents(viewer)
        sql = f"""
            SELECT documents.*, {review_shown(viewer)} AS review,
                   (SELECT count(*) FROM chunks WHERE chunks.document_id = documents.id) AS chunks
            FROM documents LEFT JOIN reviews ON reviews.id = documents.review_id
            WHERE {condition} AND documents.status IN (SELECT value FROM json_each(:statuses))
            ORDER BY documents.added_at DESC, documents.id DESC
        """
        return [dict(row) for row in db.query(sql, {"viewer": viewer.username, "statuses": json.dumps(statuses)})]

    # ------------------------------------------------------------ ingestion

    def _save_original(self, sha: str, data: bytes) -> None:
        target = self.originals / sha[:2] / sha
        if not target.exists():
            write_atomically(target, data)

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

    def ingest(self, data: bytes, source_name: str, *, viewer: Viewer, **meta) -> IngestResult:
        """Add or replace one document. Unchanged content (same SHA-256) does no work."""
        source_name = clean_source_name(source_name)
        sha = hashlib.sha256(data).hexdigest()
        db = self.store.read()
        checked = check_metadata(db, meta)
        check_may_add(db, viewer, checked["review_id"])
        actor = viewer.username
        existing = list(db["documents"].rows_where("source_name = ?", [source_name]))
        if existing and existing[0]["sha256"] == sha and existing[0]["status"] == "indexed":
            # a title or year left out keeps the one read from the document
            changed = {k: v for k, v in checked.items() if v != existing[0][k] and (v or k not in ("title", "year"))}
            if changed:  # the same file with other details: an edit of its record, not a re-ingest
                self.update_document(viewer, existing[0]["id"], **as_meta(db, changed))
                return IngestResult(
                    source_name,
                    "skipped",
                    f"content unchanged; {', '.join(changed)} updated",
                    document_id=existing[0]["id"],
                )
            return IngestResult(
                source_name, "skipped", "unchanged since it was last ingested", document_id=existing[0]["id"]
            )
        # a twin is a document in the library: a copy of an upload that failed (every empty file is one) is
        # read, and refused for its own reason, never "skipped" as if it were there
        twin = list(
            db["documents"].rows_where("sha256 = ? AND source_name != ? AND status = 'indexed'", [sha, source_name])
        )
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
        found = derive_title(extracted, partnership=workspace.load(self.store.read()).partnership)
        title = checked.pop("title") or found.title or Path(source_name).stem  # the stem: a text of no words
        checked["year"] = checked["year"] or found.year
        vectors = self.embedder.encode([c.text for c in chunks])  # what the passage says: themes, "more like this"
        # what search compares with a question: the passage in its document's title (not a running header read
        # as one: indexing/titles.py) and heading
        context = found.search_context(title)
        search_vectors = self.embedder.encode([embedding_text(context, c.heading, c.text) for c in chunks])
        sentences = sentence_vectors.encode_passages(self.embedder, [c.text for c in chunks])  # search's re-rank
        self.embedder.keep_question_encoder()  # while torch is loaded: the workspace's searches then never load it
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
            self.vectors.append(tx, document_id, chunk_ids, search_vectors)
            sentence_vectors.save(tx, chunk_ids, sentences)
            cases = [one_case(checked["kind"])] * len(chunk_ids)
            self.tagging.tag_passages(tx, chunk_ids, [c.text for c in chunks], vectors, cases)
            self.tagging.refresh_documents(tx, [document_id])
            save_reading(tx, document_id, reading)
            self._bump_version(tx)
        self._publish(document_id, actor)
        # a file named as another type is read as what it is: the person who added it is told
        return IngestResult(
            source_name,
            "ingested",
            named_otherwise(source_name, extracted.read_as),
            chunks=len(chunks),
            document_id=document_id,
        )

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
        self.vectors.sync(actor)
        read_unread(self.store, actor)  # documents stored before the library read facts and recommendations
        self.retitle(actor)  # titles an earlier release read otherwise
        return [row["source_name"] for row in pending]

    def retitle(self, actor: str = "system") -> list[str]:
        """Once for each ``TITLES_VERSION``: the documents whose stored title is one an earlier release read from
        them (no one typed it; ``earlier_titles``) and that this release reads otherwise (a PDF's running page header
        or a Word brief's logo line then, the cover's title or the heading after the logo now) take the new title,
        their passages' search vectors in it and their keyword entries with it; a title someone typed stays. Returns
        the names of the documents retitled."""
        if int(setting(self.store.read(), "titles_version") or 1) >= TITLES_VERSION:
            return []
        retitled, partnership = [], workspace.load(self.store.read()).partnership
        for row in list(self.store.read()["documents"].rows_where("status = 'indexed'", order_by="id")):
            path = self.originals / row["sha256"][:2] / row["sha256"]
            if not path.exists():
                continue
            try:
                extracted = extract(path.read_bytes(), row["source_name"], max_bytes=self.max_bytes)
            except ExtractionError:
                continue
            found = derive_title(extracted, partnership=partnership)
            if (
                not found.title
                or found.title == row["title"]
                or row["title"].casefold() not in earlier_titles(extracted)
            ):
                continue
            passages = list(self.store.read()["chunks"].rows_where("document_id = ?", [row["id"]], order_by="ordinal"))
            context = found.search_context(found.title)
            vectors = self.embedder.encode([embedding_text(context, p["heading"], p["text"]) for p in passages])
            with self.store.write(actor) as tx:
                if tx.db["documents"].get(row["id"])["title"] != row["title"]:
                    continue  # retitled meanwhile, by someone or by another process
                tx.update("documents", row["id"], {"title": found.title})
                tx.db.conn.executemany(
                    "UPDATE chunks SET search_embedding = ? WHERE id = ?",
                    [(to_blob(v), p["id"]) for p, v in zip(passages, vectors, strict=True)],
                )
                self.vectors.append(tx, row["id"], [p["id"] for p in passages], vectors)
                self._bump_version(tx)
            self._publish(row["id"], actor)
            retitled.append(row["source_name"])
        with self.store.write(actor) as tx:
            put_setting(tx, "titles_version", str(TITLES_VERSION))
        return retitled

    def ingest_paths(self, paths: list[Path], *, viewer: Viewer, progress=None, **meta) -> list[IngestResult]:
        """Ingest files and folders (recursively); each file is ingested or refused on its own.
        A file in a folder is named by its path from that folder ("briefs/2019/brief.pdf"), so two
        files with one name in different folders are two documents. ``progress(done, total, name)``
        is called per file. Details that are wrong for every file (an unknown review) stop it first."""
        db = self.store.read()
        check_may_add(db, viewer, check_metadata(db, meta)["review_id"])
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

    def _changeable(self, db: sqlite_utils.Database, viewer: Viewer, document_id: int) -> dict:
        """A document the viewer may change: the coordinator any, a chair those of a review they chair."""
        rows = list(db["documents"].rows_where("id = ?", [document_id]))
        if not rows:
            raise NotFound(f"No document {document_id}")
        check_may_add(db, viewer, rows[0]["review_id"])
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
        checked = check_metadata(db, current | meta)
        if not checked["title"]:
            raise ValidationError("title: give the document a title")
        check_may_add(db, viewer, checked["review_id"])
        with self.store.write(viewer.username) as tx:
            tx.update("documents", document_id, checked)
            if checked["kind"] != row["kind"] and row["status"] == "indexed":  # its kind says whether it tells one case
                save_reading(tx, document_id, read_text(stored_text(tx.db, document_id), checked["kind"]))
                if one_case(checked["kind"]) != one_case(row["kind"]):
                    self.tagging.retag_document(tx, document_id)
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

    def verify(self) -> VerifyReport:
        """Compare the whoosh index and the vectors with the database."""
        return upkeep.verify(self)

    def rebuild(self, progress=None) -> RebuildReport:
        """Recreate the whoosh index and the vector store from the database, and fill the sentence vectors of
        passages stored without them (``progress`` is told how that goes: indexing/upkeep.py)."""
        return upkeep.rebuild(self, progress)

    def recreate_missing_indexes(self) -> bool:
        """Rebuild the indexes of a workspace restored from a backup (which has none). True if it did."""
        return upkeep.recreate_missing_indexes(self)

    def stats(self) -> dict:
        return upkeep.stats(self.store)
