"""Ingestion, incremental re-ingest, the derived indexes, search modes and role filtering."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.accounts import Viewer
from core.errors import PermissionDenied, ValidationError
from indexing.library import Library
from indexing.listing import failed_rows
from indexing.search import Filters, more_like_this, search
from recommendations import plan
from tests.conftest import COORD
from tests.indexing_helpers import make_docx, make_pdf

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
CONFIDENTIAL_TEXT = (
    "Panel minutes. Zebrafinch Lane is where the perpetrator kept a second phone. The quokka protocol was "
    "agreed between the police and the hospital to flag repeat attendances. "
)
PUBLIC_TEXT = (
    "Learning brief on coercive control. Agencies did not recognise controlling behaviour when the victim "
    "said her partner managed all the money and stopped her seeing friends. GPs should ask about control. "
)


@pytest.fixture
def library(store, embedder, new_review):
    new_review("DHR-2026-01", pseudonym="Ava", notification_date="2026-05-04", chair="chair")
    new_review("DHR-2026-02", pseudonym="Bea", notification_date="2026-05-04", chair="chair2")
    return Library(store, embedder)


def ingest_corpus(library):
    library.ingest(
        (PUBLIC_TEXT * 3).encode(),
        "coercive-control-brief.txt",
        viewer=COORD,
        kind="learning brief",
        access="public",
        year=2024,
    )
    library.ingest(
        make_docx([("Executive summary", [PUBLIC_TEXT.replace("coercive", "economic") * 2])]),
        "exec-summary.docx",
        viewer=COORD,
        kind="executive summary",
        access="partners",
        year=2025,
    )
    library.ingest(
        (CONFIDENTIAL_TEXT * 4).encode(),
        "panel-minutes.md",
        viewer=COORD,
        kind="other",
        access="confidential",
        review="DHR-2026-01",
    )


def test_every_format_ingests_and_verifies(library):
    results = [
        library.ingest(
            make_pdf(["Housing officers saw the damage to the door.", "Second page on MARAC."]),
            "housing.pdf",
            viewer=COORD,
            kind="learning brief",
            access="public",
        ),
        library.ingest(make_docx([("Findings", ["The GP practice did not ask."])]), "gp.docx", viewer=COORD),
        library.ingest(b"<h1>Stalking</h1><p>The victim reported 40 incidents.</p>", "stalking.html", viewer=COORD),
        library.ingest(b"# Older victims\n\nCarers may also be abusers.", "older.md", viewer=COORD),
        library.ingest(b"Substance misuse services held the only record of threats.", "substance.txt", viewer=COORD),
    ]
    assert [r.outcome for r in results] == ["ingested"] * 5
    report = library.verify()
    assert report.ok and report.documents == 5
    pdf_chunk = next(library.store.read()["chunks"].rows_where("document_id = ?", [results[0].document_id]))
    assert pdf_chunk["page"] == 1
    titles = {d["source_name"]: d["title"] for d in library.list_documents(Viewer("coord", "coordinator"))}
    assert titles["gp.docx"] == "Findings"
    assert titles["substance.txt"] == "Substance misuse services held the only record of threats."  # never the name


def test_unchanged_file_does_no_work(library):
    first = library.ingest(PUBLIC_TEXT.encode(), "brief.txt", viewer=COORD)
    audit_before = library.store.read()["audit_log"].count
    chunks_before = [r["id"] for r in library.store.read()["chunks"].rows]
    again = library.ingest(PUBLIC_TEXT.encode(), "brief.txt", viewer=COORD)
    assert again.outcome == "skipped" and "unchanged" in again.reason and again.document_id == first.document_id
    assert library.store.read()["audit_log"].count == audit_before
    assert [r["id"] for r in library.store.read()["chunks"].rows] == chunks_before
    twin = library.ingest(PUBLIC_TEXT.encode(), "copy-of-brief.txt", viewer=COORD)
    assert twin.outcome == "skipped" and "same content as brief.txt" in twin.reason


def test_a_copy_of_an_upload_that_failed_is_refused_for_its_own_reason(library):
    assert library.ingest(b"", "empty.pdf", viewer=COORD).reason == "the file is empty"
    again = library.ingest(b"", "another-empty.pdf", viewer=COORD)  # every empty file has the same SHA-256
    assert (again.outcome, again.reason) == ("failed", "the file is empty")
    assert "same content" not in again.reason


def test_changed_file_replaces_its_chunks(library):
    first = library.ingest(PUBLIC_TEXT.encode(), "brief.txt", viewer=COORD)
    old = {r["id"] for r in library.store.read()["chunks"].rows}
    second = library.ingest(
        b"Completely new text about immigration status and no recourse to public funds.", "brief.txt", viewer=COORD
    )
    assert second.outcome == "ingested" and second.document_id == first.document_id
    rows = list(library.store.read()["chunks"].rows)
    assert not old & {r["id"] for r in rows} and "immigration" in rows[0]["text"]
    assert library.verify().ok
    viewer = Viewer("coord", "coordinator")
    assert search(library, viewer, "coercive control", mode="bm25") == []
    assert search(library, viewer, "immigration", mode="bm25")[0].document == "brief.txt"


def test_bad_file_is_recorded_as_failed_and_stores_nothing(library):
    result = library.ingest(b"%PDF-1.4 garbage", "broken.pdf", viewer=COORD)
    assert result.outcome == "failed" and "damaged" in result.reason
    row = next(library.store.read()["documents"].rows_where("source_name = 'broken.pdf'"))
    assert row["status"] == "failed" and "damaged" in row["error"]
    assert library.store.read()["chunks"].count == 0
    assert not (library.originals).exists() or not any(library.originals.rglob("*"))
    assert library.verify().ok


def test_a_failed_upload_is_not_a_document_and_never_evidence(library, coordinator):
    library.ingest(b"%PDF-1.4 garbage", "broken.pdf", viewer=COORD)
    assert library.list_documents(coordinator) == []  # not listed as a document
    [failed] = library.list_documents(coordinator, statuses=("failed",))
    assert failed_rows([failed])[0]["Why it was not added"].startswith("the PDF")
    rec = plan.add_recommendation(
        library.store, coordinator, "DHR-2026-01", number="1", text="Train staff", scope="single-agency"
    )
    action = plan.add_action(
        library.store, coordinator, "DHR-2026-01", recommendation_id=rec, description="Train", owner_agency="Police"
    )
    with pytest.raises(ValidationError, match="no document .* in the library"):
        plan.update_action(library.store, coordinator, action, note="Done", evidence_document_id=failed["id"])
    assert library.store.read()["action_progress"].count == 0


def test_corrupt_new_version_keeps_the_indexed_one(library):
    library.ingest(make_pdf([PUBLIC_TEXT]), "brief.pdf", viewer=COORD)
    result = library.ingest(b"%PDF-1.4 garbage", "brief.pdf", viewer=COORD)
    assert result.outcome == "failed"
    row = next(library.store.read()["documents"].rows_where("source_name = 'brief.pdf'"))
    assert row["status"] == "indexed"
    assert search(library, Viewer("coord", "coordinator"), "coercive control", mode="bm25")


@pytest.mark.parametrize(
    "meta, fragment",
    [
        ({"kind": "novel"}, "kind"),
        ({"access": "secret"}, "access"),
        ({"access": "confidential"}, "must be linked to its review"),
        ({"review": "DHR-1999-01"}, "no review"),
        ({"year": "next year"}, "not a year"),
        ({"year": 1850}, "outside"),
    ],
)
def test_bad_metadata_refused(library, meta, fragment):
    with pytest.raises(ValidationError, match=fragment):
        library.ingest(PUBLIC_TEXT.encode(), "brief.txt", viewer=COORD, **meta)
    assert library.store.read()["documents"].count == 0


def test_originals_are_kept_content_addressed(library):
    result = library.ingest(PUBLIC_TEXT.encode(), "brief.txt", viewer=COORD)
    sha = library.store.read()["documents"].get(result.document_id)["sha256"]
    assert (library.originals / sha[:2] / sha).read_bytes() == PUBLIC_TEXT.encode()


def test_modes_and_hit_fields(library):
    ingest_corpus(library)
    viewer = Viewer("coord", "coordinator")
    for mode in ("bm25", "dense", "hybrid"):
        hits = search(library, viewer, "controlling partner took the money", mode=mode, limit=5)
        assert hits, mode
        hit = hits[0]
        assert hit.document in {"coercive-control-brief.txt", "exec-summary.docx"}
        assert hit.text and hit.char_end > hit.char_start and hit.modes
        assert mode == "hybrid" or hit.modes == [mode]
    hybrid = search(library, viewer, "money", mode="hybrid")
    assert any(set(h.modes) == {"bm25", "dense"} for h in hybrid)
    assert "**money**" in hybrid[0].highlighted or "**money**" in " ".join(h.highlighted for h in hybrid)


def test_dense_finds_meaning_in_other_words(library):
    ingest_corpus(library)
    hits = search(library, Viewer("coord", "coordinator"), "financial abuse by a husband", mode="dense", limit=2)
    assert hits[0].document in {"exec-summary.docx", "coercive-control-brief.txt"}
    # keyword search shares no word with it: it finds the passage, if at all, only by the thesaurus's everyday
    # names (financial / money)
    by_words = search(library, Viewer("coord", "coordinator"), "financial abuse by a husband", mode="bm25")
    assert all(not hit.shared_words and hit.related_words for hit in by_words)


def test_filters(library):
    ingest_corpus(library)
    viewer = Viewer("coord", "coordinator")
    assert {h.kind for h in search(library, viewer, "control", filters=Filters(kinds=("executive summary",)))} == {
        "executive summary"
    }
    assert {h.year for h in search(library, viewer, "control", filters=Filters(year_from=2025))} == {2025}
    assert {h.review for h in search(library, viewer, "phone", filters=Filters(review="DHR-2026-01"))} == {
        "DHR-2026-01"
    }


QUERIES = [
    "Zebrafinch Lane",
    "quokka protocol",
    "second phone",
    "panel minutes",
    "police hospital repeat attendances",
    "perpetrator",
    "*",
    "Zebrafinch OR quokka",
    "title:panel",
    "coercive control",
    "money",
    "phone hospital",
]


@pytest.mark.parametrize("role", ["partner", "board", "agency_lead"])
def test_non_case_roles_never_receive_confidential_text(library, role):
    ingest_corpus(library)
    viewer = Viewer("someone", role)
    for query in QUERIES:
        for mode in ("bm25", "dense", "hybrid"):
            for filters in (Filters(), Filters(access=("confidential",)), Filters(review="DHR-2026-01")):
                for hit in search(library, viewer, query, mode=mode, limit=50, filters=filters):
                    assert hit.access != "confidential" and "Zebrafinch" not in hit.text, (query, mode)
    assert "panel-minutes.md" not in {d["source_name"] for d in library.list_documents(viewer)}


def test_confidential_only_for_coordinator_and_that_reviews_chair(library, people):
    ingest_corpus(library)
    assert search(library, people["coord"], "Zebrafinch Lane", mode="bm25")
    assert search(library, people["chair"], "Zebrafinch Lane", mode="bm25")
    assert search(library, people["chair2"], "Zebrafinch Lane", mode="bm25") == []
    assert all(h.access != "confidential" for h in search(library, people["chair2"], "phone", mode="dense", limit=50))
    with pytest.raises(ValidationError):
        confidential_chunk = search(library, people["coord"], "Zebrafinch Lane", mode="bm25")[0].chunk_id
        more_like_this(library, people["partner"], confidential_chunk)


def test_more_like_this_excludes_the_passage_itself(library):
    ingest_corpus(library)
    viewer = Viewer("coord", "coordinator")
    hit = search(library, viewer, "coercive control", mode="bm25")[0]
    similar = more_like_this(library, viewer, hit.chunk_id, limit=3)
    assert similar and hit.chunk_id not in {h.chunk_id for h in similar}


def test_delete_is_for_the_coordinator_and_clears_both_indexes(library, people):
    ingest_corpus(library)
    doc = next(d for d in library.list_documents(people["coord"]) if d["source_name"] == "exec-summary.docx")
    with pytest.raises(PermissionDenied):
        library.delete(people["partner"], doc["id"], why="wrong file")
    library.delete(people["coord"], doc["id"], why="wrong file")
    assert library.verify().ok
    assert all(h.document != "exec-summary.docx" for h in search(library, people["coord"], "economic", limit=50))


def test_verify_finds_a_damaged_index_and_rebuild_repairs_it(library):
    ingest_corpus(library)
    shutil.rmtree(library.lexical.directory)
    report = library.verify()
    assert not report.ok and any("missing from the whoosh index" in p for p in report.problems)
    assert library.rebuild().passages == library.store.read()["chunks"].count
    assert library.verify().ok


def test_after_a_rebuild_a_search_in_the_same_process_finds_each_passage_once(library):
    ingest_corpus(library)
    viewer = Viewer("coord", "coordinator")
    before = [hit.chunk_id for hit in search(library, viewer, "partner money control", mode="bm25", limit=50)]
    library.rebuild()
    after = [hit.chunk_id for hit in search(library, viewer, "partner money control", mode="bm25", limit=50)]
    assert len(set(after)) == len(after) and set(after) == set(before)  # each passage once, none lost


def test_pending_document_is_hidden_then_resumed(library):
    result = library.ingest(PUBLIC_TEXT.encode(), "brief.txt", viewer=COORD)
    with library.store.write("test") as tx:  # as if killed between storing chunks and publishing them
        tx.update("documents", result.document_id, {"status": "pending"})
    viewer = Viewer("coord", "coordinator")
    assert search(library, viewer, "coercive control") == []
    assert library.verify().ok and library.verify().pending == ["brief.txt"]
    assert library.resume_pending() == ["brief.txt"]
    assert search(library, viewer, "coercive control")


def test_kill_during_ingest_leaves_a_consistent_library(tmp_path):
    """A real CLI ingest killed mid-way: verify passes, and the next ingest completes the rest."""
    data = tmp_path / "data"
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"{i}-{seed.name}").write_text(seed.read_text() + f"\n\nCopy {i}.\n")
    env = os.environ | {"DHR_DATA_DIR": str(data)}
    cli = [sys.executable, "-m", "indexing"]
    process = subprocess.Popen(
        [*cli, "ingest", str(folder)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    database = data / "dhr.sqlite"
    deadline = time.monotonic() + 180
    import sqlite3

    while time.monotonic() < deadline and process.poll() is None:
        if database.exists():
            try:
                with sqlite3.connect(database, timeout=1) as conn:
                    if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 2:
                        break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    verify = subprocess.run([*cli, "verify"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    again = subprocess.run(
        [*cli, "ingest", str(folder)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout + again.stderr
    final = subprocess.run([*cli, "verify"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0 and "15 indexed document(s)" in final.stdout, final.stdout


def test_the_question_encoder_loads_in_the_background_once_and_the_torch_model_does_not():
    """Signing in starts loading what a search needs; the torch model (seconds, hundreds of MB) is left to
    whatever encodes passages."""
    from indexing.embeddings import Embedder

    Embedder().encode_question("stalking")  # the process's question encoder, as a workspace's cache gives it
    embedder = Embedder()
    embedder.load_in_background()
    started = embedder._loading
    embedder.load_in_background()  # a second sign-in starts nothing new
    assert embedder._loading is started
    started.join(timeout=120)
    assert embedder._questions is not None and embedder._model is None
    assert embedder.encode_question("coercive control").shape == (384,)


def test_a_word_document_named_pdf_is_read_as_one_and_the_library_page_says_so(
    library, coordinator, tmp_path, monkeypatch
):
    """A Word document saved as "summary.pdf" was refused as "the PDF is damaged or not a PDF". It is read as the
    Word document it is; the ingest's result (the Library page's upload and the command line print it) and the
    document, opened on the Library page, say what it is."""
    from tests.app.conftest import open_signed_in

    said = "a Word document named .pdf, read as a Word document"
    word = make_docx([("Executive summary", [PUBLIC_TEXT])])
    result = library.ingest(word, "summary.pdf", viewer=coordinator, kind="executive summary", access="public")
    assert (result.outcome, result.reason) == ("ingested", said)
    assert "GPs should ask about control" in " ".join(r["text"] for r in library.store.read()["chunks"].rows)
    library.store.close()
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/library.py")
    next(s for s in at.selectbox if s.label.startswith("Open a document")).select_index(0).run()
    assert not at.exception, at.exception
    assert f"This file is {said}." in [c.value for c in at.caption]
