"""A review's notes as a tracker left them ("Trial listed ...", then what the import kept of its status and
chair, one per line) read line by line on the review page, never run together or read as Markdown."""

from __future__ import annotations

import io

import openpyxl

from core import accounts, workspace
from core.schema import open_store
from core.settings import database_path
from demo import build_demo_workspace
from reviews import tracker
from tests.app.conftest import open_signed_in
from tests.conftest import TODAY


def tracker_file() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Case Ref", "Name (pseudonym)", "Notification to CSP", "Panel decision", "Current Status", "Notes"])
    sheet.append(["BAR/DHR/22/02", "Ben", "w/c 15/8/22", "Agreed", "On hold – criminal trial", "*Trial* listed #3"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_notes_from_a_tracker_read_line_by_line(tmp_path, monkeypatch):
    store = open_store(database_path(tmp_path))
    build_demo_workspace(store)
    coordinator = accounts.get_viewer(store, "coordinator")
    workspace.save(store, coordinator, partnership="Barnet Safer Communities Partnership")
    preview = tracker.preview(store, coordinator, tracker_file(), "tracker.xlsx", today=TODAY)
    assert preview.ok, preview.problems
    tracker.import_tracker(store, coordinator, preview, today=TODAY)
    notes = next(store.read()["reviews"].rows_where("reference = 'BAR-DHR-22-02'", select="notes"))["notes"]
    assert notes.startswith("*Trial* listed #3\n") and "On hold – criminal trial" in notes
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/review.py", {"ref": "BAR-DHR-22-02"})
    assert notes in [element.value for element in at.text]
    assert not any("Trial listed" in element.value for element in at.markdown)
