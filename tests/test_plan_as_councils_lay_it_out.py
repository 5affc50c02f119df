"""A council's action plan as councils lay it out (s15 walk, items 1, 3 and 7): a band of merged cells over the
headings, two columns of the same name, a Green row with a completed date, agencies written with the area in
front, and a recommendation one agency owns."""

from __future__ import annotations

import json
from datetime import date

from core import workspace
from core.cli import read_mapping, show_columns
from recommendations import plan, spreadsheet
from reviews import tracker
from tests.conftest import COORD
from tests.council_files import xlsx

HEADINGS = [
    "No.",
    "Recommendation",
    "Action to take",
    "Lead Agency",
    "Target Date",
    "Completed Date",
    "RAG",
    "Progress",
]


def band_plan(*rows: list, headings: list[str] = HEADINGS) -> bytes:
    """A title merged across the sheet, then a band ("Recommendation | Action | Delivery | Progress"), each
    merged across the headings under it and naming three of our fields, then the headings, then the rows."""
    return xlsx(
        [
            ["Eastmere Community Safety Partnership - DHR 'Peggy' Action Plan (version 3)"],
            [],
            ["Recommendation", None, "Action", None, "Delivery", None, None, "Progress"],
            headings,
            *rows,
        ],
        merged=("A1:H1", "A3:B3", "C3:D3", "E3:G3"),
    )


def test_the_headings_under_a_band_of_merged_cells_are_the_headings(store, coordinator, new_review):
    data = band_plan(
        ["1", "GPs should ask about abuse", "Refresher for every practice", "Police", "31st Mar 2024", "", "Amber"],
        ["2", "Police should flag repeat calls", "Flag repeat addresses", "Housing", "1st June 2024", "", "Red"],
    )
    reference = new_review("DHR-2026-20")
    result = spreadsheet.preview(store, data, "plan.xlsx", viewer=coordinator, reference=reference)
    assert [h for h in result.headers if h] == HEADINGS
    assert result.mapping == {
        "No.": "reference",
        "Recommendation": "recommendation",
        "Action to take": "action",
        "Lead Agency": "owner_agency",
        "Target Date": "target_date",
        "Completed Date": "completed_on",
        "RAG": "rag",
        "Progress": "progress",
    }
    assert result.ok, result.problems
    assert [r.values["action"] for r in result.rows] == ["Refresher for every practice", "Flag repeat addresses"]


def test_two_columns_of_one_name_are_told_apart_by_their_column_in_the_mapping_file(store, tmp_path, capsys):
    """Two "Date" columns: the mapping, the written mapping file and the mapping read back name each once."""
    headings = ["No.", "Recommendation", "Action", "Lead agency", "Date", "Date"]
    data = xlsx([headings, ["1", "Train GPs", "Refresher", "Police", "31/03/2024", "12/04/2024"]])
    result = spreadsheet.preview(store, data, "plan.xlsx")
    assert [h for h in result.headers if h] == [
        "No.",
        "Recommendation",
        "Action",
        "Lead agency",
        "Date",
        "Date (column F)",
    ]
    written = tmp_path / "mapping.json"
    show_columns(result, spreadsheet.FIELDS, write_to=written)
    mapping = json.loads(written.read_text())
    assert list(mapping) == [h for h in result.headers if h] and mapping["Date"] == "Target date"
    mapping["Date (column F)"] = "Completed on"
    written.write_text(json.dumps(mapping))
    again = spreadsheet.preview(store, data, "plan.xlsx", read_mapping(written))
    assert again.ok, again.problems
    assert again.rows[0].target_date == date(2024, 3, 31) and again.rows[0].completed_on == date(2024, 4, 12)


def test_a_completed_date_with_nothing_saying_otherwise_is_complete_and_the_summary_says_why(
    store, coordinator, new_review
):
    rows = [
        ["1", "GPs should ask", "Refresher", "Police", "31st Mar 2024", "12th Apr 2024", "Green"],
        ["2", "Police should flag", "Flag addresses", "Police", "1st June 2024", "3rd June 2024", ""],
        ["3", "Carers assessed", "Revise the form", "Housing", "1st June 2024", "4th June 2024", "Amber"],
        ["4", "Housing briefed", "Brief officers", "Housing", "1st June 2024", "TBC", "Green"],
        ["5", "Refuge places", "Fund places", "Housing", "1st June 2024", "1st June 2099", "Green"],
    ]
    headings = [*HEADINGS, "Status"]
    data = band_plan(*[[*row, "", "In progress" if row[0] == "2" else ""] for row in rows], headings=headings)
    reference = new_review("DHR-2026-21")
    result = spreadsheet.preview(store, data, "plan.xlsx", viewer=coordinator, reference=reference)
    assert result.ok, result.problems
    by_number = {r.values["reference"]: r for r in result.rows}
    assert by_number["1"].completed_on == date(2024, 4, 12) and by_number["1"].values["status"] == "complete"
    assert "read as complete: completed on 2024-04-12 and no status says otherwise" in by_number["1"].warnings
    assert "completed on '3rd June 2024' ignored: the status is 'In progress'" in by_number["2"].warnings
    assert "completed on '4th June 2024' ignored: the RAG is 'Amber'" in by_number["3"].warnings
    assert "completed on 'TBC' ignored: it is not a date in the past" in by_number["4"].warnings
    assert "completed on '1st June 2099' ignored: it is not a date in the past" in by_number["5"].warnings
    assert [r for r in result.rows if r.completed_on] == [by_number["1"]]
    added = spreadsheet.import_plan(store, coordinator, reference, result)
    assert added.summary(reference).endswith(
        "Read as complete, no status saying otherwise: row 5 (completed on '12th Apr 2024', RAG 'Green')."
    )
    actions = {a.recommendation: a for a in plan.list_actions(store, coordinator)}
    assert actions["1"].status == "complete" and actions["1"].completed_on == date(2024, 4, 12)
    assert actions["1"].rag(date(2026, 11, 23)) == "green"
    assert {actions[n].status for n in "2345"} == {"in_progress", "not_started"}


def test_a_completed_date_with_no_status_or_rag_column_is_complete(store, coordinator, new_review):
    data = xlsx(
        [
            ["No.", "Recommendation", "Action", "Lead agency", "Completed"],
            ["1", "Train", "Train", "Police", "12/04/2024"],
        ]
    )
    reference = new_review("DHR-2026-22")
    result = spreadsheet.preview(store, data, "plan.xlsx", viewer=coordinator, reference=reference)
    assert result.rows[0].values["status"] == "complete" and result.rows[0].completed_on == date(2024, 4, 12)


def test_agencies_with_the_workspaces_own_area_in_front_are_the_listed_agencies(store, coordinator, new_review):
    rows = [
        ["1", "GPs should ask", "Refresher", "Eastmere ICB", "31st Mar 2024", "", "Amber"],
        ["2", "Police should flag", "Flag addresses", "Eastmere Police", "1st June 2024", "", "Red"],
        ["3", "Others", "Write", "Westmere Police", "1st June 2024", "", "Red"],
    ]
    reference = new_review("DHR-2026-23")
    before = spreadsheet.preview(store, band_plan(*rows), "plan.xlsx", viewer=coordinator, reference=reference)
    assert set(before.unknown_agencies) == {"Eastmere ICB", "Eastmere Police", "Westmere Police"}
    workspace.save(store, COORD, partnership="Eastmere Community Safety Partnership", area="Eastmere Borough")
    result = spreadsheet.preview(store, band_plan(*rows), "plan.xlsx", viewer=coordinator, reference=reference)
    assert list(result.unknown_agencies) == ["Westmere Police"]  # another area's force is for a person to say
    owners = [r.values["owner_agency"] for r in result.rows]
    assert owners[:2] == ["Integrated Care Board (GP services)", "Police"]
    assert "'Eastmere Police' read as Police" in result.rows[1].warnings


def test_an_imported_recommendation_one_agency_owns_is_single_agency(store, coordinator, new_review):
    data = band_plan(
        ["1", "Police should flag", "Flag addresses", "Police", "1st June 2024", "", "Red"],
        ["", "", "Train call handlers", "Police", "1st June 2024", "", "Red"],
        ["2", "GPs and police share", "Share records", "Police; Integrated Care Board (GP services)", "", "", ""],
        ["3", "Housing and police meet", "Meet", "Housing", "", "", ""],
        ["", "", "Meet again", "Police", "", "", ""],
    )
    reference = new_review("DHR-2026-24")
    result = spreadsheet.preview(store, data, "plan.xlsx", viewer=coordinator, reference=reference)
    assert result.ok, result.problems
    spreadsheet.import_plan(store, coordinator, reference, result)
    scopes = {r.number: r.scope for r in plan.recommendations_for(store, coordinator, reference)}
    assert scopes == {"1": "single-agency", "2": "multi-agency", "3": "multi-agency"}


def test_the_register_import_tells_two_columns_of_one_name_apart_too(store):
    workspace.save(store, COORD, partnership="Eastmere Community Safety Partnership")
    data = xlsx([["Ref", "Victim", "Date", "Date", "Decision"], ["DHR 1", "Ann", "01/03/2026", "02/03/2026", "Yes"]])
    result = tracker.preview(store, COORD, data, "tracker.xlsx")
    assert [h for h in result.headers if h] == ["Ref", "Victim", "Date", "Date (column D)", "Decision"]
