"""Word exports as they print (issue #21 item 13): rendered by LibreOffice to PDF and read back with pypdf,
no page is blank, no table header breaks inside a word, and percentages read as the app shows them."""

import io
import os
import re
import shutil
import subprocess

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from core.workspace import load as load_settings
from demo import build_demo_workspace
from demo.plans import SYSTEM
from exports import builders, reports
from exports.docx_base import DRAFT_HEADER
from recommendations import figures, spreadsheet
from reviews import register, tracker
from tests.conftest import TODAY
from tests.council_files import xlsx

THEMES = [  # the board report's theme table, with the longest header word of all the exports
    {
        "label": "Identification of risk",
        "documents": 5,
        "reviews": 3,
        "recommendations": 4,
        "actions_complete": "1 of 3",
    }
]


@pytest.fixture
def demo_store(tmp_path):
    from core.schema import open_store

    store = open_store(tmp_path / "dhr.sqlite")
    build_demo_workspace(store, today=TODAY)
    return store


def printed(documents: dict[str, bytes], folder) -> dict[str, list[str]]:
    """Each document's pages as LibreOffice prints them: the text of every page."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing: the test command must install it")
        pytest.skip("LibreOffice is not installed")
    for name, data in documents.items():
        (folder / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sorted(map(str, folder.glob("*.docx"))),
        ],
        capture_output=True,
        timeout=300,
        env=os.environ | {"HOME": str(folder)},
        check=True,
    )
    return {name: [page.extract_text() for page in PdfReader(folder / f"{name}.pdf").pages] for name in documents}


def board(store) -> bytes:
    quarter = figures.Quarter.parse("2026Q4")
    return reports.board_report(
        figures.board_figures(store, quarter, today=TODAY),
        branding=load_settings(store.read()),
        agency_rows=figures.agency_table(figures.all_actions(store), TODAY),
        today=TODAY,
        theme_rows=THEMES,
    )


def chronology_of(store, entries: int) -> bytes:
    review = register.get_review(store, SYSTEM, "DHR-2025-04")
    row = {
        "date_label": "01/02/2025",
        "time": "10:00",
        "agency": "Police",
        "event": "Officers attended a call from a neighbour about shouting at the address.",
        "source_reference": "CAD 123",
        "note": "",
    }
    return reports.chronology(review, [row] * entries, branding=load_settings(store.read()))


def test_no_page_of_an_export_is_blank(demo_store, tmp_path):
    documents = {
        name: builders.review_document(demo_store, SYSTEM, "DHR-2025-04", name, TODAY)
        for name in builders.REVIEW_DOCUMENTS
    }
    documents["board-report"] = board(demo_store)
    # a table that ends just at a page's foot, whatever the page holds: one of these lengths does
    documents |= {f"chronology-{n}": chronology_of(demo_store, n) for n in range(22, 32)}
    pages = printed(documents, tmp_path)
    assert sum(len(p) for p in pages.values()) > len(documents)  # some run onto a second page
    for name, texts in pages.items():
        for number, text in enumerate(texts, 1):
            body = re.sub(r"Page \d+ of \d+", "", text.replace(DRAFT_HEADER, "")).strip()
            assert body, f"{name}: page {number} of {len(texts)} is blank"


def test_table_headers_never_break_inside_a_word(demo_store, tmp_path):
    documents = {
        name: builders.review_document(demo_store, SYSTEM, "DHR-2025-04", name, TODAY)
        for name in builders.REVIEW_DOCUMENTS
    }
    documents["board-report"] = board(demo_store)
    pages = printed(documents, tmp_path)
    for name, data in documents.items():
        text = " ".join(pages[name])
        for grid in docx.Document(io.BytesIO(data)).tables:
            for header in grid.rows[0].cells:
                for word in header.text.split():
                    if len(word) > 3:
                        assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), f"{name}: {word!r} broken"


def test_the_board_report_gives_percentages_as_the_app_shows_them(demo_store):
    shown = figures.agency_table(figures.all_actions(demo_store), TODAY)
    grid = next(
        t
        for t in docx.Document(io.BytesIO(builders.board_report(demo_store, "2026Q4", TODAY))).tables
        if t.rows[0].cells[-1].text == figures.AGENCY_COLUMNS["pct_complete_on_time"]
    )
    printed_rows = [[c.text for c in row.cells] for row in grid.rows[1:]]
    assert printed_rows == [[str(r[c]) for c in [c.text for c in grid.rows[0].cells]] for r in shown]
    assert [c.text for c in grid.rows[0].cells][5] == "Complete, date not recorded"
    assert any(row[4].endswith("%") for row in printed_rows) and not any(".0" in row[4] for row in printed_rows)


def test_an_imported_plan_prints_its_targets_and_evidence_whole(tmp_path):
    """A council's plan imported as it stands: a target in September (the longest month) prints whole in
    the action plan's "Target date" column (it broke as "Septembe r"), and evidence the plan gave is on a
    line of its own after the import's note, never "Imported evidence Evidence: ..."."""
    from core.schema import open_store
    from tests.test_council_layouts import plan_workbook

    store = open_store(tmp_path / "dhr.sqlite")
    build_demo_workspace(store, today=TODAY)
    register.create_review(
        store, SYSTEM, reference="BAR-DHR-21-01", pseudonym="Adele", csp="Barnet", notification_date="2021-02-02"
    )
    rows = [[*row] for row in openpyxl.load_workbook(io.BytesIO(plan_workbook())).active.iter_rows(values_only=True)]
    header = rows.index(next(r for r in rows if r[0] == "Rec No."))
    rows[header].append("Evidence of completion")
    rows[header + 1][4], rows[header + 1][2] = "30 September 2025", "Police"
    rows[header + 1].append("IRIS attendance list")
    data = xlsx([[c or "" for c in r] for r in rows[header:]])
    preview = spreadsheet.preview(store, data, "plan.xlsx", viewer=SYSTEM, reference="BAR-DHR-21-01", add_agencies=True)
    assert preview.ok, preview.problems
    spreadsheet.import_plan(store, SYSTEM, "BAR-DHR-21-01", preview, today=TODAY)
    document = builders.review_document(store, SYSTEM, "BAR-DHR-21-01", "action-plan", TODAY)
    cells = [row.cells for row in docx.Document(io.BytesIO(document)).tables[0].rows[1:]]
    assert "30 September 2025" in [c[6].text for c in cells]
    progress = next(c[8].text for c in cells if "IRIS" in c[8].text)
    assert progress.endswith("Evidence recorded in the imported plan\nEvidence: IRIS attendance list")
    (tmp_path / "print").mkdir()
    text = " ".join(printed({"plan": document}, tmp_path / "print")["plan"])
    assert re.search(r"(?<!\w)September(?!\w)", text), "'September' is broken inside the word"


def test_the_board_report_gives_its_quarter_in_words(demo_store):
    """The board report says which days its figures cover as the rest of it writes dates ("1 October 2026"),
    never as ISO keys ("2026-10-01")."""
    opening = docx.Document(io.BytesIO(board(demo_store))).paragraphs
    line = next(p.text for p in opening if "figures for" in p.text)
    assert "figures for 1 October 2026 to 23 November 2026" in line
    assert not re.search(r"\d{4}-\d{2}-\d{2}", line)


@pytest.mark.parametrize(
    "decision, decided, notified, chair, says",
    [
        ("", "", "", "", "The decision whether to hold a review has not yet been made."),
        ("Agreed", "02/02/2026", "", "", "The Home Office has not yet been notified of the decision."),
        ("Agreed", "02/02/2026", "", "20/02/2026", "The date the Home Office was notified is not recorded."),
        ("Agreed", "02/02/2026", "9 Feb 2026", "", "The Home Office was notified on 9 February 2026."),
    ],
)
def test_the_overview_draft_says_in_words_what_is_still_to_come(demo_store, decision, decided, notified, chair, says):
    """A tracker's review in the Drafting kit: its timescales never read "was notified on not yet"."""
    header = ["Case Ref", "Name (pseudonym)", "CSP", "Notification to CSP", "Panel decision", "Decision Date"]
    row = ["BAR/DHR/22/02", "Ben", "Barnet", "12/01/2026", decision, decided]
    data = xlsx([[*header, "HO notified", "Chair appointed"], [*row, notified, chair]])
    preview = tracker.preview(demo_store, SYSTEM, data, "tracker.xlsx", today=TODAY)
    assert preview.ok, preview.problems
    tracker.import_tracker(demo_store, SYSTEM, preview, today=TODAY)
    document = builders.review_document(demo_store, SYSTEM, "BAR-DHR-22-02", "overview-report", TODAY)
    text = " ".join(p.text for p in docx.Document(io.BytesIO(document)).paragraphs)
    assert says in text
    assert "on not yet" not in text
