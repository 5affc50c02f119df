"""The command lines, run as an administrator would: separate processes on a DHR_DATA_DIR."""

import json
import re

from demo import demo_document
from tests.conftest import TODAY, run
from tests.indexing_helpers import make_docx


def test_deadlines_json_contract(workspace):
    result = run(workspace, "reviews", "deadlines", "--json", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    deadlines = json.loads(result.stdout)
    for item in deadlines:
        assert {"reference", "deadline", "due", "status", "rule_set", "basis"} <= set(item)
        assert item["status"] in {"met", "met_late", "overdue", "due_soon", "open", "paused", "not_applicable"}
        assert item["basis"] in {"statutory", "local"}
    by_key = {(d["reference"], d["deadline"]): d for d in deadlines if d["deadline"] != "agency_return"}
    assert by_key[("DHR-2026-07", "decision")]["status"] == "overdue"
    assert by_key[("DHR-2026-07", "decision")]["due"] == "2026-11-14"
    assert (
        by_key[("DHR-2025-11", "completion")]["status"] == "paused"
        and by_key[("DHR-2025-11", "completion")]["due"] is None
    )
    assert by_key[("DHR-2026-05", "completion")]["status"] == "not_applicable"
    assert by_key[("DHR-2026-08", "decision")]["status"] == "due_soon"
    overdue_returns = [d for d in deadlines if d["deadline"] == "agency_return" and d["status"] == "overdue"]
    assert {d["reference"] for d in overdue_returns} == {"DHR-2026-02"}


def test_today_option_changes_statuses(workspace):
    early = json.loads(run(workspace, "reviews", "deadlines", "--json", "--today", "2026-10-20").stdout)
    decision = next(d for d in early if d["reference"] == "DHR-2026-07" and d["deadline"] == "decision")
    assert decision["status"] == "open"


def test_export_then_import_round_trips_through_files(workspace, tmp_path):
    out = tmp_path / "export.json"
    assert run(workspace, "reviews", "export", str(out)).returncode == 0
    fresh = tmp_path / "fresh"
    for name in ("chair", "chair2"):
        run(fresh, "core", "users", "add", name, "--role", "chair", "--password-stdin", stdin="long-enough-password\n")
    assert run(fresh, "reviews", "import", str(out)).returncode == 0
    again = tmp_path / "again.json"
    assert run(fresh, "reviews", "export", str(again)).returncode == 0
    assert json.loads(again.read_text()) == json.loads(out.read_text())


def test_bad_import_exits_non_zero_and_changes_nothing(workspace, tmp_path):
    bad = tmp_path / "bad.json"
    document = demo_document(TODAY)
    for review in document["reviews"]:
        review["reference"] += "-X"
    document["reviews"][3]["pauses"] = [{"reason": "inquest", "start": "2026-09-10", "end": "2026-09-01"}]
    bad.write_text(json.dumps(document, indent=2))
    before = run(workspace, "reviews", "deadlines", "--json").stdout
    result = run(workspace, "reviews", "import", str(bad))
    assert result.returncode == 2
    assert "pauses[0].end" in result.stderr and "line " in result.stderr and "nothing was changed" in result.stderr
    assert run(workspace, "reviews", "deadlines", "--json").stdout == before


def test_users_cli_adds_lists_and_resets(tmp_path):
    data = tmp_path / "data"
    assert run(data, "core", "agencies", "add", "Fire and Rescue").returncode == 0
    added = run(
        data,
        "core",
        "users",
        "add",
        "fire.lead",
        "--role",
        "agency_lead",
        "--agency",
        "Fire and Rescue",
        "--password-stdin",
        stdin="long-enough-password\n",
    )
    assert added.returncode == 0, added.stderr
    listed = run(data, "core", "users", "list").stdout
    assert "fire.lead" in listed and "long-enough-password" not in listed
    assert (
        run(
            data, "core", "users", "reset-password", "fire.lead", "--password-stdin", stdin="another-long-password\n"
        ).returncode
        == 0
    )
    refused = run(
        data, "core", "users", "add", "x", "--role", "agency_lead", "--password-stdin", stdin="long-enough-password\n"
    )
    assert refused.returncode == 2 and "agency" in refused.stderr


def test_users_add_without_a_keyboard_says_how_to_give_the_password(tmp_path):
    data = tmp_path / "data"
    for args in (("add", "coord", "--role", "coordinator"), ("reset-password", "coord")):
        result = run(data, "core", "users", *args, stdin="")  # a script: no terminal, nothing typed
        assert result.returncode == 2, result.stderr
        assert "--password-stdin" in result.stderr and "Traceback" not in result.stderr
    assert "coord" not in run(data, "core", "users", "list").stdout


def test_ingest_files_a_reviews_document_under_the_workspaces_partnership_and_no_other_unless_told(tmp_path):
    """A document of one of this partnership's reviews (--review) is filed under its name, as the Library page's
    CSP field starts; one linked to no review is filed under no partnership unless --csp names one: the library's
    (the real fragments the README ingests), which the Themes page counted as this partnership's."""
    from core.schema import open_store
    from core.settings import database_path

    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    (folder / "brief.txt").write_text("# Learning brief\n\nAgencies should ask about coercive control.\n")
    (folder / "other.txt").write_text("# Another brief\n\nGPs should ask about domestic abuse directly.\n")
    (folder / "ours.txt").write_text("# Our strategy\n\nEvery agency should train its staff.\n")
    (folder / "review.txt").write_text("# Overview report\n\nThe panel met.\n")
    assert run(data, "core", "settings", "--partnership", "Northvale CSP").returncode == 0
    register = {
        "format": "dhr-reviews",
        "version": 1,
        "reviews": [
            {"reference": "DHR-2026-01", "pseudonym": "Ivy", "csp": "Northvale CSP", "notification_date": "2026-01-05"}
        ],
    }
    (folder / "register.json").write_text(json.dumps(register))
    assert run(data, "reviews", "import", str(folder / "register.json")).returncode == 0
    assert run(data, "indexing", "ingest", str(folder / "brief.txt")).returncode == 0
    assert run(data, "indexing", "ingest", str(folder / "other.txt"), "--csp", "Southmoor CSP").returncode == 0
    assert run(data, "indexing", "ingest", str(folder / "ours.txt"), "--csp", "Northvale CSP").returncode == 0
    assert run(data, "indexing", "ingest", str(folder / "review.txt"), "--review", "DHR-2026-01").returncode == 0
    store = open_store(database_path(data))
    filed = {r["source_name"]: r["csp"] for r in store.read()["documents"].rows}
    store.close()
    assert filed == {
        "brief.txt": "",
        "other.txt": "Southmoor CSP",
        "ours.txt": "Northvale CSP",
        "review.txt": "Northvale CSP",
    }


def test_a_damaged_pdf_is_refused_in_the_librarys_words_only(tmp_path):
    """pypdf's own warnings ("EOF marker not found") reached the person running the ingest."""
    damaged = tmp_path / "report.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n")
    result = run(tmp_path / "data", "indexing", "ingest", str(damaged))
    assert result.returncode == 1
    assert "report.pdf: the PDF is damaged or not a PDF; export it again from the original" in result.stdout
    assert "EOF marker" not in result.stderr and "Traceback" not in result.stderr


def test_a_word_document_named_pdf_is_ingested_as_what_it_is_and_said_so(tmp_path):
    """Refused before as "the PDF is damaged or not a PDF": its bytes are a Word document's, and it is read as one."""
    renamed = tmp_path / "report.pdf"
    renamed.write_bytes(make_docx([("Summary", ["Agencies should ask about coercive control and record it."])]))
    result = run(tmp_path / "data", "indexing", "ingest", str(renamed))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "report.pdf: 1 passages; a Word document named .pdf, read as a Word document" in result.stdout


def test_a_file_that_cannot_be_written_is_named_in_words(tmp_path):
    result = run(tmp_path / "data", "recommendations", "export", str(tmp_path / "no-such-folder" / "plans.xlsx"))
    assert result.returncode == 2
    assert "plans.xlsx: no such file or directory (check the name and its folder)" in result.stderr.lower()
    assert "[Errno" not in result.stderr


def test_ingest_looks_for_emerging_themes_again_only_when_it_changed_the_library(tmp_path):
    """Emerging themes are looked for again across the whole library (about a minute at 100,000 passages):
    after an ingest that added a document, saying so and how long it took; not after one that changed
    nothing, even where the library changed otherwise since (the Themes page says so)."""
    from core.schema import open_store
    from core.settings import database_path
    from indexing.library import Library
    from tests.conftest import COORD

    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    (folder / "brief.txt").write_text("# Learning brief\n\nAgencies should ask about coercive control.\n")
    (folder / "other.txt").write_text("# Another brief\n\nGPs should ask about domestic abuse directly.\n")
    added = run(data, "indexing", "ingest", str(folder), timeout=300)
    assert added.returncode == 0, added.stderr
    assert "emerging themes: looking for them again across the library's 2 passage(s)" in added.stdout
    assert re.search(r"emerging themes: \d+ \(looked for again across the library in \d+\.\d s\)", added.stdout)
    store = open_store(database_path(data))
    library = Library(store)
    other = next(r["id"] for r in store.read()["documents"].rows if r["source_name"].endswith("other.txt"))
    library.delete(COORD, other, why="Added by mistake")  # as the Library page would
    store.close()
    unchanged = run(data, "indexing", "ingest", str(folder / "brief.txt"), timeout=300)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "skipped: 1" in unchanged.stdout and "emerging themes" not in unchanged.stdout
