"""What a council's own files hold on day one: a tracker headed "Date of Incident" and "Notification to
CSP", plan targets in financial-year quarters ("Q3 2024/25"), agencies written as "Barnet CCG" or
"NHS North Central London ICB", a BRAG rating's Blue, and agencies mapped on the command line."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.agencies import closest_agencies, list_agencies
from core.dates import read_free_date
from core.errors import ValidationError
from recommendations import spreadsheet
from recommendations.plan import list_actions
from reviews import tracker
from tests.conftest import COORD, run
from tests.council_files import xlsx


def plan_workbook() -> bytes:
    """A plan as a partnership keeps it (fictional): a title block in merged cells above the headings."""
    return xlsx(
        [
            ["Northvale Safer Communities Partnership"],
            ["DHR 'Mo' – action plan (v2)"],
            [],
            ["Rec No.", "Recommendation", "Lead Agency", "Action(s)", "Target Date", "RAG"],
            ["1", "Ask about abuse at every injury", "Met Police", "Refresh training", "Q3 2024/25", "Amber"],
            ["", "", "Northvale CCG", "IRIS in every practice", "Q4 24/25", "G"],
            ["2", "Audit MARAC repeats", "NHS North Central London ICB", "Audit 20 cases", "2025/26", "Blue"],
        ],
        merged=("A1:F1", "A2:F2"),
    )


@pytest.mark.parametrize(
    "text, day",
    [
        ("Q3 2024/25", date(2024, 12, 31)),
        ("Q1 2025/26", date(2025, 6, 30)),
        ("Q4 24/25", date(2025, 3, 31)),
        ("2024/25 Q2", date(2024, 9, 30)),
        ("2024-25", date(2025, 3, 31)),
        ("FY 2024/2025", date(2025, 3, 31)),
        ("FY 24/25", date(2025, 3, 31)),
        ("Q3 2016", date(2016, 9, 30)),
    ],
)
def test_financial_years_and_their_quarters_are_read_as_their_last_day(text, day):
    read, note = read_free_date(text)
    assert read == day and note and "read as the end of" in note


@pytest.mark.parametrize("text", ["2024/26", "12/25", "12/2024", "11/12"])
def test_two_years_that_do_not_follow_are_no_financial_year(text):
    with pytest.raises(ValueError, match="is not a date"):
        read_free_date(text)


def test_a_tracker_headed_date_of_incident_and_notification_to_csp_is_mapped():
    headers = ["Case Ref", "Name (pseudonym)", "Date of Incident", "Notification to CSP", "Panel decision"]
    mapping = tracker.propose_mapping(headers)
    assert mapping["Date of Incident"] == "death_date"
    assert mapping["Notification to CSP"] == "notification_date"
    assert tracker.propose_mapping(["DHR Ref", "Notification received"])["Notification received"] == "notification_date"


def test_a_plan_headed_brag_with_scopes_in_capitals_is_read(store, coordinator, new_review):
    """A "BRAG" column is the RAG (its Blue completes the action); "Multi-agency" and "Single agency" are scopes."""
    reference = new_review("DHR-2026-12")
    plan = xlsx(
        [
            [
                "Rec No.",
                "Recommendation",
                "Scope",
                "Action to take",
                "Lead Agency",
                "Target Date",
                "Date Completed",
                "BRAG",
            ],
            ["1", "Ask about abuse", "Multi-agency", "IRIS in every practice", "Police", "31/03/2025", "", "Amber"],
            ["2", "Audit MARAC repeats", "Single agency", "Audit 20 cases", "Police", "Dec 24", "5/12/24", "Blue"],
        ]
    )
    result = spreadsheet.preview(store, plan, "plan.xlsx", viewer=coordinator, reference=reference)
    assert result.ok, result.problems
    assert result.mapping["BRAG"] == "rag"
    assert [row.values["scope"] for row in result.rows] == ["multi-agency", "single-agency"]
    assert not any("scope" in w for row in result.rows for w in row.warnings)
    done = result.rows[1]
    assert done.values["status"] == "complete" and done.completed_on == date(2024, 12, 5)


def test_a_plan_keeping_status_and_rag_in_one_column_is_read_either_way(store, coordinator, new_review):
    """A "RAG / Status" column of status words is the status (its completion dates kept); a "Status" column of
    colours is the RAG (Blue completes the action), each said in a note; found on the s13 acceptance walk."""
    reference = new_review("DHR-2026-15")
    header = ["Rec no.", "Recommendation", "Action to be taken", "Lead agency", "Target date"]
    rag_status = xlsx(
        [
            [*header, "RAG / Status", "Date completed"],
            ["1", "Ask about abuse", "Train", "Police", "31/03/2025", "Complete", date(2025, 3, 18)],
            ["2", "Audit MARAC repeats", "Audit", "Police", "June 2025", "In progress", ""],
            ["3", "Name a lead", "Appoint", "Police", "June 2025", "Amber", ""],
        ]
    )
    result = spreadsheet.preview(store, rag_status, "plan.xlsx", viewer=coordinator, reference=reference)
    assert result.ok, result.problems
    assert [(r.values.get("status", ""), r.values["rag"]) for r in result.rows] == [
        ("Complete", ""),
        ("In progress", ""),
        ("", "Amber"),
    ]
    assert result.rows[0].completed_on == date(2025, 3, 18)
    assert "RAG 'Complete' read as the status" in result.rows[0].warnings
    assert not any("ignored" in w or "not understood" in w for r in result.rows for w in r.warnings)
    spreadsheet.import_plan(store, coordinator, reference, result)
    recorded = [(a.status, a.completed_on) for a in list_actions(store, coordinator) if a.review == reference]
    assert recorded == [("complete", date(2025, 3, 18)), ("in_progress", None), ("not_started", None)]

    colours = xlsx(
        [
            [*header, "Status"],
            ["1", "Ask about abuse", "Train", "Police", "31/03/2025", "Green"],
            ["2", "Audit MARAC repeats", "Audit", "Police", "June 2025", "Blue"],
            ["3", "Name a lead", "Appoint", "Police", "June 2025", "Not started"],
        ]
    )
    result = spreadsheet.preview(store, colours, "plan.xlsx", viewer=coordinator, reference=reference)
    assert result.ok, result.problems
    assert [(r.values["status"], r.values.get("rag", "")) for r in result.rows] == [
        ("", "Green"),
        ("complete", "Blue"),
        ("Not started", ""),
    ]
    assert "status 'Green' read as the RAG" in result.rows[0].warnings


def test_short_forms_in_capitals_inside_a_name_are_read_by_meaning(store):
    listed = list_agencies(store.read())
    icb = "Integrated Care Board (GP services)"
    assert closest_agencies(listed, "Barnet CCG") == [icb]
    assert closest_agencies(listed, "NHS North Central London ICB") == [icb]
    assert closest_agencies(listed, "Camden ASC") == ["Adult Social Care"]
    assert "Adult Social Care" not in closest_agencies(listed, "Police as lead")


def test_a_plan_in_financial_quarters_with_a_brag_blue_is_read(store, coordinator, new_review):
    reference = new_review("DHR-2026-11")
    result = spreadsheet.preview(
        store,
        plan_workbook(),
        "plan.xlsx",
        viewer=coordinator,
        reference=reference,
        agency_map={
            "Met Police": "Police",
            "Northvale CCG": "Integrated Care Board (GP services)",
            "NHS North Central London ICB": "Integrated Care Board (GP services)",
        },
    )
    assert result.ok, result.problems
    targets = [row.target_date for row in result.rows]
    assert targets == [date(2024, 12, 31), date(2025, 3, 31), date(2026, 3, 31)]
    blue = result.rows[2]
    assert blue.values["status"] == "complete" and blue.completed_on is None
    assert any("'Blue' read as complete" in w for w in blue.warnings)


def test_an_agency_map_naming_no_listed_agency_is_refused_with_the_list(store):
    with pytest.raises(ValidationError) as refused:
        spreadsheet.agency_map_from(store, ["Met Police=Metropolitan", "no equals sign"])
    text = " ".join(refused.value.problems)
    assert "'Metropolitan' is not on the list" in text and "Police" in text
    assert "THEIR NAME=LISTED NAME" in text
    assert spreadsheet.agency_map_from(store, ["Met  Police = police", "Comms=add"]) == {
        "Met Police": "Police",
        "Comms": spreadsheet.ADD,
    }


def test_cli_maps_each_agency_to_a_listed_one(workspace, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_workbook())
    refused = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02")
    assert refused.returncode == 1 and "nothing imported" in refused.stderr
    assert '--map-agency "Northvale CCG=Integrated Care Board (GP services)"' in refused.stderr
    wrong = run(
        workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02", "--map-agency", "Met Police=Met"
    )
    assert wrong.returncode != 0 and "'Met' is not on the list" in wrong.stderr
    assert json.loads(run(workspace, "recommendations", "actions", "--json").stdout) == []
    mapped = [
        "--map-agency",
        "Met Police=Police",
        "--map-agency",
        "Northvale CCG=Integrated Care Board (GP services)",
        "--map-agency",
        "NHS North Central London ICB=Integrated Care Board (GP services)",
    ]
    done = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02", *mapped)
    assert done.returncode == 0, done.stderr
    actions = json.loads(run(workspace, "recommendations", "actions", "--json").stdout)
    assert sorted(a["owner_agency"] for a in actions) == ["Integrated Care Board (GP services)"] * 2 + ["Police"]
    assert "Met Police" not in run(workspace, "core", "agencies", "list").stdout


def test_stages_a_command_line_import_recorded_say_so_in_words(workspace, tmp_path):
    """A tracker imported with `python -m reviews import` shows its stages as recorded by the command line,
    not by the key "cli:root"."""
    from core.schema import open_store
    from core.settings import database_path
    from reviews.listing import stage_history
    from reviews.register import get_review

    path = tmp_path / "tracker.csv"
    path.write_text("Case Ref,Name (pseudonym),CSP,Notification to CSP\nBAR/DHR/24/02,Zoë,Barnet,12/03/2024\n", "utf-8")
    done = run(workspace, "reviews", "import", str(path))
    assert done.returncode == 0, done.stderr
    store = open_store(database_path(workspace))
    review = get_review(store, COORD, "BAR-DHR-24-02")
    recorded = stage_history(review, [])[0]["Recorded by"]
    store.close()
    assert recorded.startswith("the command line (") and "cli:" not in recorded


def home_office_template_plan() -> bytes:
    """A plan in the Home Office template's columns (fictional rows): its scope column says "i.e. local or
    regional", and councils fill it with every word they use, or leave it blank."""
    return xlsx(
        [
            ["Cheshire East Domestic Abuse Partnership – DHR 'Rae' action plan"],
            [
                "Rec No.",
                "Recommendation",
                "Scope of recommendation i.e. local or regional",
                "Action to take",
                "Lead Agency",
                "Target Date",
            ],
            ["1", "Ask about abuse at every injury", "Local", "Refresh training", "Police", "Mar 2025"],
            ["", "", "", "Brief the control room", "Police", "Jun 2025"],
            ["2", "Audit MARAC repeats", "Local", "Audit 20 cases", "Police", "Dec 2025"],
            ["", "", "", "Join the audit", "Housing", "Dec 2025"],
            ["3", "Share records across the region", "Regional", "Agree a protocol", "Police", "2025/26"],
            ["4", "Fund advocates for older victims", "National", "Write to the Home Office", "Police", "2025/26"],
            ["5", "Review the partnership's training offer", "Partnership", "Map courses", "Police", "2025/26"],
            ["6", "Train call handlers", "Single Agency", "Add a module", "Police", "2025/26"],
            ["7", "Name a lead for carers", "", "Appoint a lead", "Police", "2025/26"],
            ["8", "Tell national bodies what was learnt", "Local/National", "Send the brief", "Police", "2025/26"],
            ["9", "Write a leaflet", "Tier 2", "Draft it", "Police", "2025/26"],
        ],
        merged=("A1:F1",),
    )


def test_a_plans_scope_words_are_recorded_as_their_closest_scope_and_only_a_word_it_cannot_place_is_flagged(
    store, coordinator, new_review
):
    """ "Local" is one agency's or several agencies' by the agencies its actions name, "Regional" several
    agencies', "Partnership" the CSP's; a blank is read from its agencies as "Local" is (one agency's here), and
    "Tier 2" is flagged with what to write."""
    from recommendations import plan as action_plan

    reference = new_review("DHR-2026-13")
    result = spreadsheet.preview(
        store, home_office_template_plan(), "plan.xlsx", viewer=coordinator, reference=reference
    )
    assert result.ok, result.problems
    assert result.mapping["Scope of recommendation i.e. local or regional"] == "scope"
    scopes = {row.values["reference"]: row.values["scope"] for row in result.rows}
    assert scopes == {
        "1": "single-agency",
        "2": "multi-agency",
        "3": "multi-agency",
        "4": "national",
        "5": "CSP",
        "6": "single-agency",
        "7": "single-agency",
        "8": "national",
        "9": "Tier 2",
    }
    flagged = [(row.values["reference"], w) for row in result.rows for w in row.warnings if "scope" in w]
    assert len(flagged) == 1 and flagged[0][0] == "9"
    assert "Local, Single agency, Multi-agency, Partnership, Regional or National" in flagged[0][1]
    spreadsheet.import_plan(store, coordinator, reference, result)
    recorded = {r.number: r.scope for r in action_plan.recommendations_for(store, coordinator, reference)}
    assert recorded == scopes | {"9": "multi-agency"}


@pytest.mark.parametrize(
    "cell, owner, partners",
    [
        ("Police and Children's Social Care", "Police", ["Children's Social Care"]),
        ("Police & Probation Service; Housing", "Police", ["Probation Service", "Housing"]),
        ("Adult Social Care and Children's Social Care", "Adult Social Care", ["Children's Social Care"]),
    ],
)
def test_an_owner_cell_joining_listed_agencies_with_and_is_each_of_them(
    store, coordinator, new_review, cell, owner, partners
):
    reference = new_review("DHR-2026-14")
    data = xlsx([["Rec No.", "Recommendation", "Action", "Lead Agency"], ["1", "Ask about abuse", "Train", cell]])
    (row,) = spreadsheet.preview(store, data, "plan.xlsx", viewer=coordinator, reference=reference).rows
    assert not row.problems
    assert (row.values["owner_agency"], row.partners) == (owner, partners)
    assert f"'{cell}' read as {owner}, with {', '.join(partners)} as partner" in row.warnings  # the cell as written


def test_a_name_with_and_that_is_no_two_listed_agencies_stays_one_name_to_map(store, coordinator, new_review):
    """ "Policy Lead & MARAC Chair" and "Police and Crime Commissioner" are one body each, to map or add."""
    reference = new_review("DHR-2026-15")
    data = xlsx(
        [
            ["Rec No.", "Recommendation", "Action", "Lead Agency"],
            ["1", "Ask about abuse", "Train", "Policy Lead & MARAC Chair"],
            ["2", "Fund advocates", "Bid", "Police and Crime Commissioner"],
        ]
    )
    result = spreadsheet.preview(store, data, "plan.xlsx", viewer=coordinator, reference=reference)
    assert set(result.unknown_agencies) == {"Policy Lead & MARAC Chair", "Police and Crime Commissioner"}
    mapped = spreadsheet.preview(
        store,
        data,
        "plan.xlsx",
        viewer=coordinator,
        reference=reference,
        agency_map={"Police and Crime Commissioner": "Police"},
    )
    assert mapped.rows[1].values["owner_agency"] == "Police" and mapped.rows[1].partners == []
