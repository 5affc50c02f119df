"""The memory-mapped vector store: grows by appending, never searches a row that is not a document's
current passage, is filled from SQLite for a workspace that lacks it, and is shared by every session."""

import numpy as np
import pytest

from core.accounts import Viewer
from indexing.embeddings import from_blob
from indexing.library import Library
from indexing.search import search
from tests.conftest import COORD

READER = Viewer("reader", "partner")
STALKING = b"Stalking after separation: the police linked 23 reports into one course of conduct. " * 6
HOUSING = b"Housing officers repaired the door four times without asking how it was damaged. " * 6


def rows(library: Library) -> int:
    return library.vectors.files.rows(library.vectors.store_id(library.store.read()))


def test_ingest_appends_and_a_replaced_document_s_old_rows_are_never_searched(store, embedder):
    library = Library(store, embedder)
    first = library.ingest(STALKING, "brief.txt", viewer=COORD, access="public")
    before = rows(library)
    assert before == first.chunks
    library.ingest(HOUSING, "brief.txt", viewer=COORD, access="public")  # the same document, new content
    assert rows(library) > before  # appended, not rebuilt
    hits = search(library, READER, "stalking course of conduct", mode="dense", limit=20)
    assert hits and all("Housing" in hit.text for hit in hits)  # the old passages' rows belong to nobody
    assert library.verify().ok


def test_a_failed_transaction_leaves_its_rows_unreferenced(store, embedder, monkeypatch):
    library = Library(store, embedder)
    library.ingest(STALKING, "stalking.txt", viewer=COORD, access="public")

    def fail(*_):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(library.tagging, "refresh_documents", fail)
    with pytest.raises(RuntimeError):
        library.ingest(HOUSING, "housing.txt", viewer=COORD, access="public")
    monkeypatch.undo()
    assert library.verify().ok
    assert [h.document for h in search(library, READER, "door repairs", mode="dense")] == ["stalking.txt"]
    assert library.ingest(HOUSING, "housing.txt", viewer=COORD, access="public").outcome == "ingested"
    assert search(library, READER, "door repairs", mode="dense")[0].document == "housing.txt"


def test_a_workspace_without_the_store_is_filled_from_sqlite(store, embedder):
    """As after an upgrade from a release that kept vectors only in SQLite, or a restored backup."""
    library = Library(store, embedder)
    library.ingest(STALKING, "stalking.txt", viewer=COORD, access="public")
    library.ingest(HOUSING, "housing.txt", viewer=COORD, access="public")
    with store.write("test") as tx:
        tx.db.execute("UPDATE documents SET vector_start = NULL, vector_end = NULL")
        tx.db.execute("DELETE FROM settings WHERE key = 'vector_store'")
        tx.db.execute("UPDATE chunks SET search_embedding = NULL")  # passages embedded by an earlier release
    problems = Library(store, embedder).verify().problems
    assert len(problems) == 1 and problems[0].startswith("the vector store is missing")
    reopened = Library(store, embedder)
    assert reopened.resume_pending() == [] and reopened.verify().ok
    assert search(reopened, READER, "door repairs", mode="dense")[0].document == "housing.txt"


def test_rebuild_drops_rows_no_document_uses(store, embedder):
    library = Library(store, embedder)
    library.ingest(STALKING, "brief.txt", viewer=COORD, access="public")
    library.ingest(HOUSING, "brief.txt", viewer=COORD, access="public")
    old_files = set(library.vectors.files.directory.iterdir())
    library.rebuild()
    assert rows(library) == store.read()["chunks"].count
    assert not old_files & set(library.vectors.files.directory.iterdir())
    assert library.verify().ok and search(library, READER, "door", mode="dense")


def test_sessions_share_one_mapping_of_the_store(store, embedder):
    first = Library(store, embedder)
    first.ingest(STALKING, "stalking.txt", viewer=COORD, access="public")
    _, matrix, _ = first.vectors.view()
    _, again, _ = Library(store, embedder).vectors.view()
    assert again is matrix
    stored = from_blob(next(store.read()["chunks"].rows)["search_embedding"])  # SQLite keeps float32
    assert np.allclose(matrix.float().numpy()[0], stored, atol=1e-3)
