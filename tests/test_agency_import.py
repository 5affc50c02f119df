"""Agencies an import names that the workspace does not list: closest names, mapping, adding,
combined cells ("Police; CPS" is an owner and a partner), and the --add-agencies flags."""

import io
import json

import openpyxl
import pytest

from core.agencies import (
    agency_hint,
    closest_agencies,
    list_agencies,
    remember_names,
    remembered_names,
    remove_agency,
    rename_agency,
    split_agencies,
)
from core.errors import PermissionDenied, ValidationError
from recommendations import plan, spreadsheet
from reviews import transfer
from tests.conftest import COORD, TODAY, run


def real_plan() -> bytes:
    """A plan laid out as a council keeps it, naming agencies the way officers write them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DHR 'Jo' – action plan (fictional)"])
    sheet.append([])
    sheet.append(["Rec No.", "Recommendation", "Action", "Lead Agency", "Target Date", "Status"])
    sheet.append(["1", "Share risk at MARAC", "Refer all high-risk cases", "Police; CPS", "March 2027", "In progress"])
    sheet.append([None, None, "Audit referrals", "Met Police", "Q2 2027", "Not started"])
    sheet.append(["2", "Name a MARAC lead", "Appoint the lead", "Policy Lead & MARAC Chair", "Ongoing", ""])
    sheet.append(["3", "Ask about abuse", "Routine enquiry in surgeries", "GP", "31/12/2026", "Complete"])
    sheet.append(["4", "Joint visits", "Agree a protocol", "Children's Services /\nEducation", "June 2027", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "cell, names",
    [
        ("Police; CPS", ["Police", "CPS"]),
        ("Police, CPS", ["Police", "CPS"]),
        ("Police /\nProbation", ["Police", "Probation"]),
        (
            "Police | Office for the Police and Crime Commissioner",
            ["Police", "Office for the Police and Crime Commissioner"],
        ),
        ("ICB (GP, dental)", ["ICB (GP, dental)"]),
        ("Policy Lead & MARAC Chair", ["Policy Lead & MARAC Chair"]),
        ("  ", []),
    ],
)
def test_a_cell_names_one_or_more_agencies(cell, names):
    assert split_agencies(cell) == names


def test_closest_names_come_from_the_list(store):
    listed = list_agencies(store.read())
    assert closest_agencies(listed, "Met Police")[0] == "Police"
    assert closest_agencies(listed, "GP")[0] == "Integrated Care Board (GP services)"
    assert closest_agencies(listed, "Adult Social Services")[0] == "Adult Social Care"
    assert closest_agencies(listed, "CPS") == []


def test_unknown_agencies_are_shown_with_their_closest_names_and_nothing_is_written(store, coordinator, new_review):
    reference = new_review("DHR-2026-09")
    result = spreadsheet.preview(store, real_plan(), "plan.xlsx", viewer=coordinator, reference=reference)
    assert not result.ok
    assert result.unknown_agencies["Met Police"][0] == "Police"
    assert result.unknown_agencies["GP"][0] == "Integrated Care Board (GP services)"
    assert set(result.unknown_agencies) == {
        "CPS",
        "Met Police",
        "Policy Lead & MARAC Chair",
        "GP",
        "Children's Services",
    }
    assert any("row 5: unknown agency 'Met Police' (closest on the list: Police" in p for p in result.problems)
    with pytest.raises(ValidationError):
        spreadsheet.import_plan(store, coordinator, reference, result)
    assert store.read()["actions"].count == 0 and "CPS" not in list_agencies(store.read())


def test_mapping_each_unknown_agency_imports_owner_and_partners(store, coordinator, new_review):
    reference = new_review("DHR-2026-09")
    choices = {
        "Met Police": "Police",
        "GP": "Integrated Care Board (GP services)",
        "Children's Services": "children's social care",  # any case
        "CPS": spreadsheet.ADD,
        "Policy Lead & MARAC Chair": spreadsheet.ADD,
    }
    result = spreadsheet.preview(
        store, real_plan(), "plan.xlsx", viewer=coordinator, reference=reference, agency_map=choices
    )
    assert result.ok, result.problems
    assert result.agencies_to_add == ["CPS", "Policy Lead & MARAC Chair"]
    spreadsheet.import_plan(store, coordinator, reference, result, today=TODAY)
    actions = {a.description: a for a in plan.list_actions(store, coordinator)}
    assert actions["Refer all high-risk cases"].owner_agency == "Police"
    assert actions["Refer all high-risk cases"].partner_agencies == ["CPS"]
    assert actions["Audit referrals"].owner_agency == "Police"
    assert actions["Agree a protocol"].owner_agency == "Children's Social Care"
    assert actions["Agree a protocol"].partner_agencies == ["Education"]
    assert actions["Appoint the lead"].owner_agency == "Policy Lead & MARAC Chair"
    assert {"CPS", "Policy Lead & MARAC Chair"} <= set(list_agencies(store.read()))
    added = [
        json.loads(r["after"])["name"]
        for r in store.read()["audit_log"].rows_where("entity = 'agencies' AND action = 'insert'")
    ]
    assert added[-2:] == ["CPS", "Policy Lead & MARAC Chair"]


def test_a_chair_may_map_but_not_add_agencies(store, people, new_review):
    reference = new_review("DHR-2026-09", chair="chair")
    chair = people["chair"]
    result = spreadsheet.preview(store, real_plan(), "plan.xlsx", viewer=chair, reference=reference, add_agencies=True)
    assert result.ok
    with pytest.raises(PermissionDenied):
        spreadsheet.import_plan(store, chair, reference, result, today=TODAY)
    assert store.read()["actions"].count == 0 and store.read()["recommendations"].count == 0


def test_renaming_an_agency_renames_it_as_a_partner_too(store, coordinator, new_review):
    reference = new_review("DHR-2026-09")
    result = spreadsheet.preview(
        store, real_plan(), "plan.xlsx", viewer=coordinator, reference=reference, add_agencies=True
    )
    spreadsheet.import_plan(store, coordinator, reference, result, today=TODAY)
    rename_agency(store, COORD, name="CPS", new_name="Crown Prosecution Service")
    action = next(a for a in plan.list_actions(store, coordinator) if a.description == "Refer all high-risk cases")
    assert action.partner_agencies == ["Crown Prosecution Service"]


def test_cli_reports_unknown_agencies_then_adds_them(workspace, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(real_plan())
    refused = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02")
    assert refused.returncode == 1 and "nothing imported" in refused.stderr
    assert "'Met Police' (closest on the list: Police" in refused.stderr and "--add-agencies" in refused.stderr
    assert json.loads(run(workspace, "recommendations", "actions", "--json").stdout) == []
    done = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02", "--add-agencies")
    assert done.returncode == 0, done.stderr
    assert "Agencies to add to the list: CPS, Met Police" in done.stdout
    actions = json.loads(run(workspace, "recommendations", "actions", "--json").stdout)
    assert len(actions) == 5
    first = next(a for a in actions if a["action"] == "Refer all high-risk cases")
    assert first["owner_agency"] == "Police" and first["partner_agencies"] == ["CPS"]


def test_review_file_agencies_are_refused_unless_added(workspace, tmp_path):
    document = {
        "format": "dhr-reviews",
        "version": 1,
        "reviews": [
            {
                "reference": "DHR-2019-01",
                "pseudonym": "Ann",
                "csp": "Northvale CSP",
                "notification_date": "2019-02-01",
                "agencies": ["Police", "west midlands ambulance service"],
                "panel": [{"name": "J Smith", "agency": "CPS"}],
                "agency_returns": [{"agency": "police", "kind": "IMR", "requested": "2019-03-01"}],
            }
        ],
    }
    path = tmp_path / "history.json"
    path.write_text(json.dumps(document, indent=2))
    refused = run(workspace, "reviews", "import", str(path))
    assert refused.returncode != 0
    assert "reviews[0] (DHR-2019-01).agencies[1]: unknown agency 'west midlands ambulance service'" in refused.stderr
    assert "closest on the list: Ambulance Service" in refused.stderr
    assert "reviews[0] (DHR-2019-01).panel[0].agency: unknown agency 'CPS'" in refused.stderr
    exported = tmp_path / "out.json"
    run(workspace, "reviews", "export", str(exported))
    assert "DHR-2019-01" not in exported.read_text()
    done = run(workspace, "reviews", "import", str(path), "--add-agencies")
    assert done.returncode == 0, done.stderr
    run(workspace, "reviews", "export", str(exported))
    review = next(r for r in json.loads(exported.read_text())["reviews"] if r["reference"] == "DHR-2019-01")
    assert review["agency_returns"][0]["agency"] == "Police"  # "police" is the listed agency
    assert review["panel"][0]["agency"] == "CPS"


def test_only_the_coordinator_adds_agencies_from_a_review_file(store, people):
    text = json.dumps(
        {
            "reviews": [
                {
                    "reference": "R-1",
                    "pseudonym": "A",
                    "csp": "C",
                    "notification_date": "2020-01-01",
                    "agencies": ["CPS"],
                }
            ]
        }
    )
    with pytest.raises(PermissionDenied):
        transfer.import_reviews(store, people["chair"], text, today=TODAY, add_agencies=True)
    assert store.read()["reviews"].count == 0


def trust_plan() -> bytes:
    """A review's plan as a partnership keeps it: its agencies by their local names, a trust as "NHS FT"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DHR 'Harriet' – action plan, November 2025 (fictional)"])
    sheet.append([])
    sheet.append(["No.", "Recommendation", "Scope", "Action", "Lead Agency", "Lead Officer", "Target Date", "RAG"])
    sheet.append(
        ["2", "Speak to victims alone", "Single agency", "Briefing for officers", "Ashcombe Police", "", "", ""]
    )
    sheet.append(
        ["3", "Routine enquiry in ED", "Single agency", "Triage prompt", "Ashcombe and Lowfield NHS FT", "", "", ""]
    )
    sheet.append(["10", "Carers' assessments", "Single agency", "Guidance revised", "Adult Services", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_name_that_says_only_it_is_an_nhs_trust_is_offered_the_listed_trusts_and_mapped_to_none(
    store, coordinator, new_review
):
    listed = list_agencies(store.read())
    for name in ("Ashcombe and Lowfield NHS FT", "Lowfield NHS Foundation Trust", "Tarnby NHS Trust"):
        assert closest_agencies(listed, name) == ["Acute Hospital Trust", "Mental Health Trust"], name
    assert closest_agencies(listed, "Ashcombe Mental Health NHS FT") == ["Mental Health Trust"]
    assert closest_agencies(listed, "Lowfield Ambulance NHS Trust") == ["Ambulance Service"]
    assert closest_agencies([a for a in listed if "Trust" not in a], "Ashcombe and Lowfield NHS FT") == []
    result = spreadsheet.preview(store, trust_plan(), "plan.xlsx", viewer=coordinator, reference=new_review("DHR-1"))
    assert result.unknown_agencies["Ashcombe and Lowfield NHS FT"] == ["Acute Hospital Trust", "Mental Health Trust"]
    assert not result.ok  # offered, never chosen for the person


TRUST_MAP = [
    "Ashcombe Police=Police",
    "Ashcombe and Lowfield NHS FT=Acute Hospital Trust",
    "Adult Services=Adult Social Care",
]


def test_agencies_mapped_once_are_remembered_for_the_workspace(store, coordinator, people, new_review):
    """A plan's names mapped on one import (the command line's --map-agency, or the page's choices) are read
    alike on the next, so the page does not ask again; a rename follows them, and only the coordinator's map
    is remembered."""
    first, second = new_review("DHR-2026-09", chair="chair"), new_review("DHR-2026-10", chair="chair")
    chairs = spreadsheet.preview(
        store,
        trust_plan(),
        "plan.xlsx",
        viewer=people["chair"],
        reference=first,
        agency_map=spreadsheet.agency_map_from(store, TRUST_MAP),
    )
    spreadsheet.import_plan(store, people["chair"], first, chairs, today=TODAY)
    assert spreadsheet.preview(store, trust_plan(), "plan.xlsx", viewer=coordinator, reference=second).unknown_agencies
    mapped = spreadsheet.preview(
        store,
        trust_plan(),
        "plan.xlsx",
        viewer=coordinator,
        reference=second,
        agency_map=spreadsheet.agency_map_from(store, TRUST_MAP),
    )
    assert mapped.agencies_mapped == dict(pair.split("=") for pair in TRUST_MAP)
    spreadsheet.import_plan(store, coordinator, second, mapped, today=TODAY)
    again = spreadsheet.preview(store, trust_plan(), "plan.xlsx", viewer=coordinator, reference=second)
    assert again.ok and not again.unknown_agencies and not again.agencies_mapped
    assert {row.values["owner_agency"] for row in again.rows} == {"Police", "Acute Hospital Trust", "Adult Social Care"}
    assert all(row.already_there for row in again.rows)
    rename_agency(store, COORD, name="Acute Hospital Trust", new_name="Ashcombe Hospitals Trust")
    renamed = spreadsheet.preview(store, trust_plan(), "plan.xlsx", viewer=coordinator, reference=second)
    assert "Ashcombe Hospitals Trust" in {row.values["owner_agency"] for row in renamed.rows}
    with store.write(COORD.username) as tx:
        remember_names(tx, COORD, {"Ashcombe Schools": "Education"})
    remove_agency(store, COORD, name="Education")  # an agency nothing names goes, with the names remembered for it
    assert remembered_names(store.read()) == {
        "ashcombe police": "Police",
        "ashcombe and lowfield nhs ft": "Ashcombe Hospitals Trust",
        "adult services": "Adult Social Care",
    }
    with pytest.raises(PermissionDenied), store.write("chair") as tx:
        remember_names(tx, people["chair"], {"Ashcombe Police": "Police"})


def test_a_mapping_made_on_the_command_line_is_not_asked_for_again(workspace, tmp_path):
    path = tmp_path / "DHR Harriet action plan.xlsx"
    path.write_bytes(trust_plan())
    refused = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02")
    assert refused.returncode == 1
    # the example names both trusts to choose from, never one for the person (as written, it is refused)
    assert '"Ashcombe and Lowfield NHS FT=Acute Hospital Trust or Mental Health Trust"' in refused.stderr
    assert '"Ashcombe Police=Police"' in refused.stderr
    maps = [option for pair in TRUST_MAP for option in ("--map-agency", pair)]
    done = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02", *maps)
    assert done.returncode == 0, done.stderr
    again = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02")  # the same plan again
    assert again.returncode == 0 and "unknown agency" not in again.stderr, again.stderr
    owners = {a["owner_agency"] for a in json.loads(run(workspace, "recommendations", "actions", "--json").stdout)}
    assert owners == {"Police", "Acute Hospital Trust", "Adult Social Care"}


@pytest.mark.parametrize(
    "name",
    ["Police and Crime Commissioner", "Police and Crime Panel", "Children's Commissioner", "Safeguarding Adults Board"],
)
def test_a_body_of_its_own_is_offered_nothing_but_to_add_it(store, name):
    """The PCC's office is not the force: an import offers no listed service for a body of its own."""
    assert closest_agencies(list_agencies(store.read()), name) == []


def test_a_body_of_its_own_is_offered_the_listed_agency_that_is_that_body(store):
    listed = [*list_agencies(store.read()), "Police and Crime Commissioner"]
    assert closest_agencies(listed, "Office of the Police and Crime Commissioner") == ["Police and Crime Commissioner"]


def test_the_hint_beside_an_unknown_agency_says_what_this_person_can_do(people):
    assert agency_hint(COORD, "Met Police", ["Police"]) == "closest: Police"
    both = ["Acute Hospital Trust", "Mental Health Trust"]
    assert agency_hint(COORD, "Tarnby NHS Trust", both) == "closest: Acute Hospital Trust or Mental Health Trust"
    assert agency_hint(COORD, "Police and Crime Commissioner", []) == "nothing close: add it"
    assert agency_hint(people["chair"], "Police and Crime Commissioner", []) == (
        "nothing close: ask the coordinator to add it"
    )


def test_a_remembered_name_is_remapped_and_audited_once(store):
    with store.write(COORD.username) as tx:
        remember_names(tx, COORD, {"Ashcombe Police ": "Police"})
        remember_names(tx, COORD, {"ashcombe  police": "Police"})  # the same again: nothing changes
        remember_names(tx, COORD, {"Ashcombe Police": "Probation Service"})
    assert remembered_names(store.read()) == {"ashcombe police": "Probation Service"}
    audited = [row["action"] for row in store.read()["audit_log"].rows_where("entity = 'agency_names'")]
    assert audited == ["insert", "update"]
