"""Hostile input and faults: broken files are refused in words, never a traceback, a hang or a
memory blow-up; a folder ingests file by file; exports never carry a live formula."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest

from core.tables import read_grid
from indexing.library import Library
from indexing.search import Hit, hits_csv
from recommendations import plan, spreadsheet
from tests.conftest import ROOT, TODAY
from tests.council_files import xlsx
from tests.indexing_helpers import make_docx, words

PATHS = {"library", "table", "plan", "tracker", "logo", "rule set", "vocabulary", "transfer", "restore"}


def test_fuzz_files_are_accepted_or_refused_never_crash_or_hang():
    """200 broken and hostile files, every kind the reliability probe sent among them, through every
    upload path under its limits (tests.fuzz caps its own address space at 2.5 GB, and each file at 60 s):
    no crash, hang or abort, every refusal in words, nothing half-written (``python -m tests.fuzz
    --count 3000`` for a longer run). An abort or a blow-up past the cap ends the process."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.fuzz", "--count", "200"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["crashed"] == report["hung"] == report["unworded"] == report["half_written"] == 0
    assert set(report["paths"]) == PATHS
    assert report["accepted"] > 50 and report["refused"] > 100  # both paths were exercised


def test_a_folder_with_one_broken_file_ingests_the_rest_and_names_it(store, coordinator, embedder, tmp_path):
    folder = tmp_path / "briefs"
    (folder / "2019").mkdir(parents=True)
    (folder / "2020").mkdir()
    (folder / "2019" / "brief.md").write_text("# Brief 2019\n\n" + words("risk", 80))
    (folder / "2020" / "brief.md").write_text("# Brief 2020\n\n" + words("abuse", 80))  # same name, other folder
    (folder / "2020" / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    (folder / "notes.txt").write_bytes(bytes(range(256)) * 20)
    library = Library(store, embedder)
    results = {r.source_name: r for r in library.ingest_paths([folder], viewer=coordinator)}
    assert results["briefs/2019/brief.md"].outcome == "ingested"
    assert results["briefs/2020/brief.md"].outcome == "ingested"  # not overwritten by its namesake
    assert results["briefs/2020/broken.docx"].outcome == "failed"
    assert "damaged" in results["briefs/2020/broken.docx"].reason
    assert results["briefs/notes.txt"].outcome == "failed" and "not text" in results["briefs/notes.txt"].reason
    assert store.read()["documents"].count_where("status = 'indexed'") == 2


def test_the_same_file_with_another_access_level_is_an_edit(store, coordinator, embedder):
    library = Library(store, embedder)
    data = ("# Brief\n\n" + words("risk", 80)).encode()
    first = library.ingest(data, "brief.md", viewer=coordinator, access="public")
    again = library.ingest(data, "brief.md", viewer=coordinator, access="partners")
    assert again.outcome == "skipped" and "access updated" in again.reason
    assert store.read()["documents"].get(first.document_id)["access"] == "partners"
    assert library.ingest(data, "brief.md", viewer=coordinator, access="partners").reason.startswith("unchanged")


def test_an_interrupted_original_leaves_no_temporary_file(store, coordinator, embedder):
    library = Library(store, embedder)
    (library.originals / "ab").mkdir(parents=True)
    partial = library.originals / "ab" / ".partial-x1y2"
    partial.write_bytes(b"half a file")
    library.resume_pending()
    assert not partial.exists()


FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=x", '=HYPERLINK("http://evil","click")']


def test_exported_spreadsheets_hold_no_formula_whatever_the_input(store, coordinator, new_review):
    reference = new_review("DHR-2026-01")
    rec = plan.add_recommendation(store, coordinator, reference, number="1", text=FORMULAS[0], scope="CSP")
    for text in FORMULAS:
        action = plan.add_action(
            store, coordinator, reference, recommendation_id=rec, description=text, owner_agency="Police"
        )
        plan.update_action(store, coordinator, action, note=text + "\x00\x07", evidence=text, today=TODAY)
    actions = plan.list_actions(store, coordinator)
    data = spreadsheet.export_xlsx(actions, TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells} >= {a.description for a in actions}  # as text, every one
    assert not any("\x00" in str(c.value) for c in cells)


def test_search_results_csv_escapes_formulas():
    hit = Hit(
        1,
        1,
        "a.pdf",
        "=cmd|' /C calc'!A0",
        "learning brief",
        2024,
        "",
        None,
        "public",
        1,
        "",
        "-2+3",
        "",
        0,
        1,
        0.5,
        ["bm25"],
    )
    text = hits_csv([hit]).decode("utf-8-sig")
    assert "'=cmd" in text and "'-2+3" in text


@pytest.mark.parametrize(
    "data, name, fragment",
    [
        (b'Ref,Action\n1,"' + b"x" * 1_200_000 + b'"\n', "plan.csv", "line 2 cannot be read as CSV"),
        (b'Ref,Action\n1,"unclosed\n', "plan.csv", None),
        (make_docx([("x", ["y"])]), "plan.docx", "has no table"),
    ],
)
def test_table_files_are_refused_in_words(data, name, fragment):
    if fragment is None:
        assert read_grid(data, name)[0] == ["Ref", "Action"]  # csv reads an unclosed quote to the end
        return
    from core.errors import ValidationError

    with pytest.raises(ValidationError, match=fragment):
        read_grid(data, name)


def test_a_table_file_is_read_as_what_its_bytes_are():
    """An Excel workbook saved with a Word document's name is read as the workbook; a PDF is refused saying so."""
    book = xlsx([["Recommendation", "Action"], ["Share risk", "Refer to MARAC"]])
    assert [row[:2] for row in read_grid(book, "plan.docx")] == [
        ["Recommendation", "Action"],
        ["Share risk", "Refer to MARAC"],
    ]
    from core.errors import ValidationError

    with pytest.raises(ValidationError, match="this is a PDF, which cannot be read as rows"):
        read_grid(b"%PDF-1.7\n" + b"0" * 100, "plan.xlsx")
    from core.docx_package import Package

    with pytest.raises(ValidationError, match="an Excel workbook with a Word document's name"):
        Package(book)  # a Word document is wanted (the library, the publication check): it says what it got
    with pytest.raises(ValidationError, match="this is a PDF, not a Word .docx; give the Word .docx it was made from"):
        Package(b"%PDF-1.7\n" + b"0" * 100)  # the publication check reads the Word file, not its PDF


def test_headings_in_two_rows_name_each_column_by_both():
    """A heading merged across columns over one heading for each column ("Action" over "What" and "Outcome"),
    the other headings merged down both rows: each column is headed by both, never two columns "Action"."""
    rows = [
        ["No.", "Recommendation", "Action", None, "Lead agency"],
        [None, None, "What", "Outcome", None],
        ["1", "Train officers", "Deliver training", "Officers trained", "Police"],
    ]
    grid = read_grid(xlsx(rows, merged=("C1:D1", "A1:A2", "B1:B2", "E1:E2")), "plan.xlsx")
    assert grid[0][:5] == ["No.", "Recommendation", "Action: What", "Action: Outcome", "Lead agency"]
    assert not any(grid[1])
    title = read_grid(xlsx([["Plan", None, None], ["Rec", "Action", "Agency"]], merged=("A1:C1",)), "plan.xlsx")
    assert title[1][:3] == ["Rec", "Action", "Agency"]  # a title merged across the sheet is no heading


def test_a_json_upload_that_is_another_kind_of_file_says_so():
    from core.errors import ValidationError
    from core.jsonfile import read_json

    with pytest.raises(ValidationError, match="rule set: the file is a PDF, not a JSON file"):
        read_json(b"%PDF-1.4 ...", what="rule set")
    with pytest.raises(ValidationError, match="the file is an Excel workbook, not a JSON file"):
        read_json(xlsx([["a"]]), what="rule set")


def test_a_csv_whose_utf8_mark_an_editor_kept_over_windows_1252_is_read():
    text = "Recommendation,Action\nShare risk – café staff,Siân’s audit\n"
    grid = read_grid(b"\xef\xbb\xbf" + text.encode("cp1252"), "plan.csv")
    assert grid[1] == ["Share risk – café staff", "Siân’s audit"]
