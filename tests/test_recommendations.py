"""Recommendations, actions, agency-lead permissions, spreadsheet import/export and board figures."""

import io
import json
from datetime import date

import openpyxl
import pytest

from core.errors import NotFound, PermissionDenied, ValidationError
from recommendations import figures, plan, spreadsheet
from reviews import qa, register
from tests.conftest import TODAY, add_police_action


@pytest.fixture
def review(new_review):
    return new_review("DHR-2025-02", chair="chair")


@pytest.fixture
def police_action(store, coordinator, review):
    return add_police_action(store, coordinator, review, target_date="2027-03-01")


def test_agency_lead_updates_own_action_and_rag_changes(store, people, police_action):
    lead = people["police.lead"]
    before = plan.list_actions(store, lead)[0]
    assert before.rag(TODAY) == "green"
    plan.update_action(
        store,
        lead,
        police_action,
        status="blocked",
        note="Trainer unavailable",
        evidence="Email from training unit",
        today=TODAY,
    )
    after = plan.list_actions(store, lead)[0]
    assert after.status == "blocked" and after.rag(TODAY) == "amber"
    assert after.progress[-1].note == "Trainer unavailable" and after.progress[-1].author == "police.lead"
    assert "Email from training unit" in after.evidence
    plan.update_action(store, lead, police_action, status="complete", note="All 40 staff trained", today=TODAY)
    done = plan.list_actions(store, lead)[0]
    assert done.rag(TODAY) == "green" and done.completed_on == TODAY


def test_agency_lead_cannot_touch_another_agencys_action(store, people, coordinator, review, police_action):
    rec = plan.recommendations_for(store, coordinator, review)[0].id
    housing = plan.add_action(
        store,
        coordinator,
        review,
        recommendation_id=rec,
        description="Housing review",
        owner_agency="Housing",
        target_date="2026-12-01",
    )
    lead = people["police.lead"]
    assert [a.id for a in plan.list_actions(store, lead)] == [police_action]
    with pytest.raises(NotFound):
        plan.update_action(store, lead, housing, note="Not mine", today=TODAY)
    with pytest.raises(NotFound):
        plan.override_rag(store, lead, housing, rag="green", reason="x")
    with pytest.raises(PermissionDenied):
        plan.add_recommendation(store, lead, review, number="9", text="x", scope="CSP")
    with pytest.raises(PermissionDenied):
        plan.recommendations_for(store, lead, review)
    with pytest.raises(PermissionDenied):
        plan.sign_off(store, lead, police_action)
    assert store.read()["action_progress"].count == 0


@pytest.mark.parametrize("who", ["partner", "board"])
def test_partners_and_board_get_figures_not_action_lists(store, people, police_action, who):
    with pytest.raises(PermissionDenied):
        plan.list_actions(store, people[who])


def test_override_needs_a_reason_and_is_kept(store, coordinator, police_action):
    with pytest.raises(ValidationError, match="reason"):
        plan.override_rag(store, coordinator, police_action, rag="red", reason="")
    plan.override_rag(store, coordinator, police_action, rag="red", reason="Funding withdrawn")
    action = plan.list_actions(store, coordinator)[0]
    assert action.rag(TODAY) == "red" and action.derived_rag(TODAY) == "green"
    assert action.as_json(TODAY)["rag_overridden"] and action.rag_override_reason == "Funding withdrawn"
    plan.override_rag(store, coordinator, police_action, rag=None)
    assert plan.list_actions(store, coordinator)[0].rag_override is None


def test_sign_off_only_when_complete(store, coordinator, police_action):
    with pytest.raises(ValidationError, match="only a complete action"):
        plan.sign_off(store, coordinator, police_action)
    plan.update_action(
        store, coordinator, police_action, status="complete", note="Done", evidence="Training log", today=TODAY
    )
    plan.sign_off(store, coordinator, police_action, on=TODAY)
    assert plan.list_actions(store, coordinator)[0].signed_off_on == TODAY


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"scope": "global"}, "scope"),
        ({"themes": ["budget"]}, "themes"),
        ({"target_agencies": ["Nobody"]}, "unknown agency"),
    ],
)
def test_bad_recommendations_refused(store, coordinator, review, kwargs, fragment):
    values = {"number": "2", "text": "Text", "scope": "CSP"} | kwargs
    with pytest.raises(ValidationError, match=fragment):
        plan.add_recommendation(store, coordinator, review, **values)


def test_a_recommendation_added_by_hand_is_offered_the_number_after_the_highest(store, coordinator, review):
    """A plan imported with 1, 2 and 10 offers 11 (not 4, which the report's own list may still bring); a plan
    numbered "1.1", "R2" offers one after how many there are. Found on the s13 acceptance walk."""
    assert plan.next_number([]) == "1"
    for number in ("1", "2", "10"):
        plan.add_recommendation(store, coordinator, review, number=number, text=f"Rec {number}", scope="CSP")
    assert plan.next_number(plan.recommendations_for(store, coordinator, review)) == "11"
    dotted = [plan.Recommendation(i, review, n, "t", "CSP", [], [], "") for i, n in enumerate(["1.1", "R2"])]
    assert plan.next_number(dotted) == "3"


# ----------------------------------------------------------------- spreadsheets


def messy_workbook() -> bytes:
    """A plan as councils keep them: a title block, merged cells, blank lines and free-text dates."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Northvale CSP – DHR action plan (fictional)"])
    sheet.merge_cells("A1:I1")
    sheet.append(["Updated for the board"])
    sheet.append([])
    sheet.append(
        ["Ref", "Recommendation", "Action", "Lead agency", "Lead officer", "Target date", "RAG", "Progress", "Evidence"]
    )
    sheet.append(
        [
            "1",
            "Improve GP enquiry about abuse",
            "Train practice staff",
            "Integrated Care Board (GP services)",
            "Dr A",
            "March 2015",
            "G",
            "Two sessions held",
            "Attendance list",
        ]
    )
    sheet.append(
        [
            None,
            None,
            "Add a coded alert to records",
            "integrated care board (gp services)",
            "Dr B",
            "Q3 2016",
            "A",
            "",
            "",
        ]
    )
    sheet.merge_cells("A5:A6")
    sheet.merge_cells("B5:B6")
    sheet.append([])
    sheet.append(["2", "Share MARAC actions", "Track MARAC actions", "Police", "DI C", "Ongoing", "", "", ""])
    sheet.append(["3", "Housing referrals", "Train repairs staff", "Housing", "", datetime_cell(), "R", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def datetime_cell():
    from datetime import datetime

    return datetime(2017, 1, 31)


def test_messy_workbook_preview_maps_parses_and_flags(store, review):
    result = spreadsheet.preview(store, messy_workbook(), "plan.xlsx")
    assert result.mapping["Lead agency"] == "owner_agency" and result.mapping["Ref"] == "reference"
    assert [r.number for r in result.rows] == [5, 6, 8, 9]  # blank line 7 skipped
    first, second, ongoing, dated = result.rows
    assert first.target_date == date(2015, 3, 31) and "end of that month" in first.warnings[0]
    assert second.values["reference"] == "1" and second.values["recommendation"] == "Improve GP enquiry about abuse"
    assert second.target_date == date(2016, 9, 30)
    assert second.values["owner_agency"] == "Integrated Care Board (GP services)"  # case-insensitive match
    assert ongoing.target_date is None and "kept as text" in ongoing.warnings[0]
    assert dated.target_date == date(2017, 1, 31)
    assert result.ok


def test_import_writes_everything_with_free_text_dates_kept(store, coordinator, review):
    result = spreadsheet.preview(store, messy_workbook(), "plan.xlsx")
    assert spreadsheet.import_plan(store, coordinator, review, result, today=TODAY) == spreadsheet.ImportResult(3, 4, 0)
    actions = plan.list_actions(store, coordinator)
    ongoing = next(a for a in actions if a.description == "Track MARAC actions")
    assert ongoing.target_text == "Ongoing" and ongoing.target_date is None
    gp = next(a for a in actions if a.description == "Train practice staff")
    assert gp.progress[0].note == "Two sessions held" and "Attendance list" in gp.evidence
    assert gp.rag_override == "green" and gp.derived_rag(TODAY) == "red"  # the file's G differs from the dates
    housing = next(a for a in actions if a.description == "Train repairs staff")
    assert housing.rag_override is None  # R agrees with a past target date


def test_unknown_agency_rejects_the_whole_file(store, coordinator, review):
    book = openpyxl.load_workbook(io.BytesIO(messy_workbook()))
    book.active["D8"] = "Ministry of Magic"
    buffer = io.BytesIO()
    book.save(buffer)
    result = spreadsheet.preview(store, buffer.getvalue(), "plan.xlsx")
    assert not result.ok and result.problems == [
        "row 8: unknown agency 'Ministry of Magic' (nothing close on the list); map it to a listed agency or add it"
    ]
    with pytest.raises(ValidationError):
        spreadsheet.import_plan(store, coordinator, review, result)
    assert store.read()["actions"].count == 0 and store.read()["recommendations"].count == 0


def test_csv_with_explicit_mapping(store, coordinator, review):
    text = "No.,What we will do,Who,When,State\n1,Audit records,Police,31/12/2026,in progress\n"
    mapping = {
        "No.": "reference",
        "What we will do": "action",
        "Who": "owner_agency",
        "When": "target_date",
        "State": "status",
    }
    result = spreadsheet.preview(store, text.encode(), "plan.csv", mapping)
    assert result.ok and result.rows[0].target_date == date(2026, 12, 31)
    spreadsheet.import_plan(store, coordinator, review, result, today=TODAY)
    assert plan.list_actions(store, coordinator)[0].status == "in_progress"


@pytest.mark.parametrize(
    "data, name, fragment",
    [
        (b"not a workbook", "plan.xlsx", "damaged or is not an Office file"),
        (b"a,b\n1,2\n", "plan.csv", "no header row"),
        (b"x", "plan.pdf", "upload an Excel"),
    ],
)
def test_unreadable_files(store, data, name, fragment):
    with pytest.raises(ValidationError, match=fragment):
        spreadsheet.preview(store, data, name)


def test_export_round_trip(store, coordinator, review, new_review, tmp_path):
    spreadsheet.import_plan(
        store, coordinator, review, spreadsheet.preview(store, messy_workbook(), "plan.xlsx"), today=TODAY
    )
    exported = spreadsheet.export_xlsx(plan.list_actions(store, coordinator), TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    assert [c.value for c in sheet[1]][:6] == ["Review", "Rec no.", "Recommendation", "Themes", "Action", "Lead agency"]
    assert sheet.max_row == 5
    other = new_review("DHR-2025-03", pseudonym="Una")
    again = spreadsheet.preview(store, exported, "export.xlsx")
    assert again.ok
    spreadsheet.import_plan(store, coordinator, other, again, today=TODAY)
    key = lambda a: (
        a.recommendation,
        a.description,
        a.owner_agency,
        a.lead_officer,
        a.target_date,  # noqa: E731
        a.target_text,
        a.status,
        a.rag(TODAY),
    )
    first = sorted(key(a) for a in plan.list_actions(store, coordinator) if a.review == review)
    second = sorted(key(a) for a in plan.list_actions(store, coordinator) if a.review == other)
    assert first == second


# ----------------------------------------------------------------- figures


def test_board_figures_against_a_hand_built_fixture(store, coordinator, new_review):
    ref = new_review("DHR-2026-01", pseudonym="Ada", notification_date="2026-06-02")
    register.complete_stage(
        store, coordinator, ref, stage="decision", completed_on="2026-07-10", decision="hold", today=TODAY
    )  # opened in 2026Q3; decision due 2 July: met late (missed)
    late = new_review("DHR-2026-02", pseudonym="Bo", notification_date="2026-07-01")
    register.complete_stage(
        store,
        coordinator,
        late,
        stage="decision",
        completed_on="2026-07-20",
        decision="not_to_hold",
        decision_reasons="Natural causes",
        today=TODAY,
    )  # met
    register.complete_stage(
        store, coordinator, late, stage="home_office_notified", completed_on="2026-07-21", today=TODAY
    )
    register.complete_stage(store, coordinator, late, stage="closed", completed_on="2026-08-01", today=TODAY)
    new_review("DHR-2026-03", pseudonym="Cy", notification_date="2026-08-03")  # decision due 3 Sept, overdue at 30 Sept
    rec = plan.add_recommendation(store, coordinator, ref, number="1", text="R", scope="CSP", themes=["policy"])
    a1 = plan.add_action(
        store,
        coordinator,
        ref,
        recommendation_id=rec,
        description="A1",
        owner_agency="Police",
        target_date="2026-08-31",
    )
    plan.add_action(
        store,
        coordinator,
        ref,
        recommendation_id=rec,
        description="A2",
        owner_agency="Housing",
        target_date="2026-09-15",
    )
    plan.update_action(
        store, coordinator, a1, status="complete", noted_on="2026-08-20", note="Done", evidence="Audit", today=TODAY
    )
    figures_q3 = figures.board_figures(store, figures.Quarter.parse("2026Q3"), today=TODAY)
    assert figures_q3["reviews_opened"] == 1 and figures_q3["reviews_closed"] == 1
    assert figures_q3["statutory_deadlines_met"] == 1 and figures_q3["statutory_deadlines_missed"] == 2
    assert figures_q3["actions_completed"] == 1 and figures_q3["actions_completed_on_time"] == 1
    assert figures_q3["actions_overdue_by_agency"] == {"Housing": 1}
    assert figures_q3["recommendations_total"] == 1 and figures_q3["recommendations_fully_implemented"] == 0
    plan.add_recommendation(store, coordinator, ref, number="2", text="No action planned yet", scope="CSP")
    unplanned = figures.board_figures(store, figures.Quarter.parse("2026Q3"), today=TODAY)
    assert unplanned["recommendations_total"] == 2  # a recommendation nobody acts on is counted, not implemented
    assert unplanned["recommendations_fully_implemented"] == 0
    assert json.loads(json.dumps(figures_q3))["to"] == "2026-09-30"
    with pytest.raises(ValidationError, match="2026Q3"):
        figures.Quarter.parse("2026-3")


def test_agency_figures_and_themes(store, coordinator, police_action):
    plan.update_action(
        store, coordinator, police_action, status="complete", note="Done", evidence="Training log", today=TODAY
    )
    rows = figures.agency_figures(figures.all_actions(store), TODAY)
    assert rows == [
        {
            "agency": "Police",
            "actions": 1,
            "complete": 1,
            "on_time": 1,
            "not_known": 0,
            "overdue": 0,
            "pct_complete": 100.0,
            "pct_complete_on_time": 100.0,
        }
    ]
    assert figures.recommendations_by_theme(store)["Training"] == 1


def test_complete_on_a_date_not_recorded_is_neither_on_time_nor_late(store, coordinator, review, police_action):
    """An imported plan's action marked complete without its date is "not known": the on-time percentage
    is of the actions whose completion date is known."""
    plan.update_action(
        store, coordinator, police_action, status="complete", note="Done", evidence="Training log", today=TODAY
    )  # on time
    rec = plan.recommendations_for(store, coordinator, review)[0].id
    plan.add_action(
        store, coordinator, review, recommendation_id=rec, description="Audit referrals", owner_agency="Police",
        target_date="2025-01-01", status="complete",
    )  # fmt: skip
    [row] = figures.agency_figures(figures.all_actions(store), TODAY)
    assert (row["complete"], row["on_time"], row["not_known"], row["pct_complete_on_time"]) == (2, 1, 1, 100.0)
    [shown] = figures.agency_table(figures.all_actions(store), TODAY)
    assert shown["Complete, date not recorded"] == 1 and shown["% on time (of those with a completion date)"] == "100%"


def test_qa_figures(store, coordinator, review):
    register.complete_stage(
        store, coordinator, review, stage="decision", completed_on="2025-01-30", decision="hold", today=TODAY
    )
    submission = qa.record_submission(store, coordinator, review, sent_on="2025-07-25", today=TODAY)
    qa.record_letter(
        store,
        coordinator,
        review,
        submission_id=submission,
        outcome="resubmit",
        letter_date="2025-09-20",
        areas=[("A", "analysis"), ("B", "analysis"), ("C", "anonymisation")],
    )
    assert figures.qa_outcomes(store) == [{"year": 2025, "round": 1, "outcome": "Resubmit"}]
    assert figures.qa_themes(store) == {"Analysis rather than description": 2, "Anonymisation": 1}


def test_evidence_can_link_a_library_document_the_viewer_can_see(store, people, coordinator, review, police_action):
    from core.db import utc_now

    with store.write("test") as tx:
        public = tx.insert(
            "documents",
            {
                "title": "Training log",
                "kind": "other",
                "access": "partners",
                "source_name": "log.pdf",
                "sha256": "a",
                "size_bytes": 1,
                "status": "indexed",
                "added_by": "t",
                "added_at": utc_now(),
            },
        )
        secret = tx.insert(
            "documents",
            {
                "title": "Minutes",
                "kind": "other",
                "access": "confidential",
                "review_id": 1,
                "source_name": "minutes.pdf",
                "sha256": "b",
                "size_bytes": 1,
                "status": "indexed",
                "added_by": "t",
                "added_at": utc_now(),
            },
        )
    lead = people["police.lead"]
    with pytest.raises(ValidationError, match="evidence_document_id"):
        plan.update_action(store, lead, police_action, evidence_document_id=secret, today=TODAY)
    plan.update_action(store, lead, police_action, evidence_document_id=public, note="Log attached", today=TODAY)
    assert store.read()["actions"].get(police_action)["evidence_document_id"] == public


def test_importing_the_same_plan_twice_doubles_nothing(store, coordinator, review):
    first = spreadsheet.preview(store, messy_workbook(), "plan.xlsx", viewer=coordinator, reference=review)
    spreadsheet.import_plan(store, coordinator, review, first, today=TODAY)
    again = spreadsheet.preview(store, messy_workbook(), "plan.xlsx", viewer=coordinator, reference=review)
    assert all(r.already_there for r in again.rows) and again.new_rows == []
    assert spreadsheet.import_plan(store, coordinator, review, again, today=TODAY) == spreadsheet.ImportResult(0, 0, 4)
    assert store.read()["actions"].count == 4 and store.read()["recommendations"].count == 3


def test_a_plan_without_numbers_groups_rows_by_recommendation_text(store, coordinator, review):
    text = (
        "Recommendation,Action,Lead agency\n"
        "Improve risk assessment,Train officers in DASH,Police\n"
        "Improve risk assessment,Audit DASH forms,Police\n"
        "Share information at MARAC,Attend every MARAC,Housing\n"
    )
    result = spreadsheet.preview(store, text.encode(), "plan.csv")
    assert spreadsheet.import_plan(store, coordinator, review, result, today=TODAY) == spreadsheet.ImportResult(2, 3, 0)
    numbers = sorted(r.number for r in plan.recommendations_for(store, coordinator, review))
    assert numbers == ["1", "2"]


def test_a_new_number_with_no_text_does_not_inherit_the_previous_text(store, review):
    text = (
        "No,Recommendation,Action,Lead agency\n1,Improve risk assessment,Train officers,Police\n2,,Audit forms,Police\n"
    )
    result = spreadsheet.preview(store, text.encode(), "plan.csv")
    assert not result.ok and result.problems == ["row 3: recommendation 2 has no text"]
    assert result.rows[1].values["recommendation"] == ""


def test_an_action_without_an_owner_agency_is_refused_in_words(store, coordinator, review, police_action):
    """The page's owner select starts empty: nothing is saved under an agency nobody chose."""
    rec = plan.recommendations_for(store, coordinator, review)[0].id
    with pytest.raises(ValidationError, match="owner_agency: choose the agency"):
        plan.add_action(store, coordinator, review, recommendation_id=rec, description="Audit", owner_agency=None)


def test_the_agency_table_uses_words_not_field_names(store, coordinator, police_action):
    rows = figures.agency_table(figures.all_actions(store), TODAY)
    assert list(rows[0]) == list(figures.AGENCY_COLUMNS.values())
    assert rows[0]["Agency"] == "Police"
    assert rows[0]["% on time (of those with a completion date)"] == "–"  # none complete yet


def test_an_imported_complete_action_keeps_the_files_completion_date_or_none(store, coordinator, review):
    text = (
        "No.,Action,Lead agency,Target date,Status,Date completed\n"
        "1,Audit records,Police,31/03/2020,Complete,15/06/2020\n"
        "2,Train staff,Police,30/09/2020,Complete,\n"
        "3,Review policy,Police,31/12/2027,In progress,\n"
    )
    result = spreadsheet.preview(store, text.encode(), "plan.csv")
    assert result.mapping["Date completed"] == "completed_on" and result.ok
    assert "complete, completion date not recorded" in result.rows[1].warnings
    spreadsheet.import_plan(store, coordinator, review, result, today=TODAY)
    completed = {a.description: a.completed_on for a in plan.list_actions(store, coordinator)}
    assert completed == {"Audit records": date(2020, 6, 15), "Train staff": None, "Review policy": None}
    # the quarter of the import (the real day: the old code stamped it) counts none of them as completed, late or not
    today = date.today()
    quarter = figures.Quarter.parse(f"{today.year}Q{(today.month - 1) // 3 + 1}")
    board = figures.board_figures(store, quarter, today=today)
    assert (board["actions_completed"], board["actions_completed_on_time"]) == (0, 0)
    assert board["recommendations_total"] == 3 and board["recommendations_fully_implemented"] == 2

    exported = spreadsheet.export_xlsx(plan.list_actions(store, coordinator), TODAY)
    again = spreadsheet.preview(store, exported, "plan.xlsx")
    assert [row.completed_on for row in again.rows] == [date(2020, 6, 15), None, None]
    assert "complete, completion date not recorded" in again.rows[1].warnings
