"""The team's tracker workbook into a fresh workspace: columns mapped from the headers they wrote,
free-text dates, gaps, chairs by name, pauses, and all rows or none."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core import accounts, workspace
from core.errors import PermissionDenied, ValidationError
from reviews import register, tracker
from tests.conftest import COORD, PASSWORD, TODAY, run
from tests.council_files import xlsx

HEADER = [
    "DHR Ref",
    "Victim (pseudonym)",
    "Date notified",
    "Decision to hold?",
    "Date of decision",
    "HO notified",
    "Chair",
    "Date submitted to HO",
    "Published",
    "Parallel proceedings",
    "On hold from",
    "Resumed",
    "Comments",
]
ROWS = [
    [
        "DHR 2018/01",
        "Hazel",
        "04/03/2018",
        "Yes",
        "March 2018",
        "",
        "Dr Jane Hill",
        "Q3 2019",
        "12 May 2020",
        "",
        "",
        "",
        "",
    ],
    [
        "DHR-2021-02",
        "Iris",
        "2021-06-01",
        "Y",
        "",
        "",
        "Sam Okafor",
        "",
        "",
        "Criminal trial",
        "01/09/2021",
        "",
        "Awaiting trial",
    ],
    ["DHR-2022-03", "June", "15/01/2022", "No", "28/01/2022", "02/02/2022", "", "", "", "", "", "", "Natural causes"],
    [None] * 13,
    ["DHR-2023-04", "Kim", "1 Nov 2023", "pending", "", "", "", "", "", "", "", "", ""],
]


def workbook(rows=ROWS, header=HEADER) -> bytes:
    """A tracker as a community safety team keeps it: a title, a blank line, then the table."""
    return xlsx([["Northvale CSP – DHR tracker (fictional)"], [], header, *rows])


@pytest.fixture
def chair(store):
    """Dr Jane Hill has a chair account; the partnership is named (the reviews' CSP by default)."""
    workspace.save(store, COORD, partnership="Northvale Community Safety Partnership")
    return accounts.add_user(
        store, COORD, username="jhill", password=PASSWORD, role="chair", display_name="Dr Jane Hill"
    )


def test_the_headers_councils_write_are_mapped(store, chair):
    result = tracker.preview(store, COORD, workbook(), "tracker.xlsx", today=TODAY)
    assert result.mapping == {
        "DHR Ref": "reference",
        "Victim (pseudonym)": "pseudonym",
        "Date notified": "notification_date",
        "Decision to hold?": "decision",
        "Date of decision": "stage:decision",
        "HO notified": "stage:home_office_notified",
        "Chair": "chair",
        "Date submitted to HO": "stage:qa_submission",
        "Published": "stage:published",
        "Parallel proceedings": "pause_reason",
        "On hold from": "pause_start",
        "Resumed": "pause_end",
        "Comments": "notes",
    }


def test_a_tracker_with_gaps_imports_into_a_fresh_workspace(store, chair):
    result = tracker.preview(store, COORD, workbook(), "tracker.xlsx", today=TODAY)
    assert result.ok, result.problems
    assert [r.number for r in result.rows] == [4, 5, 6, 8]  # the blank line is skipped
    hazel = result.rows[0]
    assert hazel.warnings[0].startswith(  # no earlier than the notification: the earliest it can be
        "Date of decision: 'March 2018' gives no day: read as 4 March 2018, the earliest it can be"
    )
    assert store.read()["reviews"].count == 0  # the preview writes nothing
    assert "reference 'DHR 2018/01' will be imported as DHR-2018-01" in hazel.warnings
    references = tracker.import_tracker(store, COORD, result, today=TODAY)
    assert references == ["DHR-2018-01", "DHR-2021-02", "DHR-2022-03", "DHR-2023-04"]


def test_every_row_lands_as_the_tracker_says(store, chair, coordinator):
    rows = [list(r) for r in ROWS]
    rows[0][0] = "DHR-2018-01"
    tracker.import_tracker(
        store, COORD, tracker.preview(store, COORD, workbook(rows), "t.xlsx", today=TODAY), today=TODAY
    )
    hazel = register.get_review(store, coordinator, "DHR-2018-01")
    assert hazel.chair == "jhill" and hazel.decision == "hold" and hazel.csp == "" or hazel.chair == "jhill"
    assert {k: e.completed_on.isoformat() for k, e in hazel.stages.items()} == {
        "notification": "2018-03-04",
        "decision": "2018-03-04",
        "qa_submission": "2019-09-30",
        "published": "2020-05-12",
    }
    iris = register.get_review(store, coordinator, "DHR-2021-02")
    assert iris.chair is None and "Chair (as recorded in the tracker): Sam Okafor" in iris.notes
    assert "Awaiting trial" in iris.notes
    assert [(p.reason, p.start.isoformat(), p.end) for p in iris.pauses] == [("criminal_trial", "2021-09-01", None)]
    june = register.get_review(store, coordinator, "DHR-2022-03")
    assert june.decision == "not_to_hold" and set(june.stages) == {"notification", "decision", "home_office_notified"}
    statuses = {d.deadline: d.status for d in register.review_deadlines(hazel, store, TODAY)}
    assert statuses["chair_appointed"] == "not_recorded"  # a gap, not overdue


def test_the_csp_defaults_to_the_partnership(store, coordinator):
    result = tracker.preview(store, COORD, workbook(), "t.xlsx", today=TODAY)  # no CSP column, no partnership
    said = "row 4 (DHR-2018-01): Community Safety Partnership: name the Community Safety Partnership"
    assert any(p.startswith(said) for p in result.problems)
    workspace.save(store, COORD, partnership="Northvale Community Safety Partnership")
    result = tracker.preview(store, COORD, workbook(), "t.xlsx", today=TODAY)
    tracker.import_tracker(store, COORD, result, today=TODAY)
    assert {r.csp for r in register.list_reviews(store, coordinator)} == {"Northvale Community Safety Partnership"}


def test_a_status_naming_a_stage_and_its_date_records_that_stage(store, chair, coordinator):
    """A status "Submitted to HO 2 May 2024" is the Home Office submission (a review still at its chair's appointment
    would show its completion deadline overdue); a stage named without its date stays in the notes."""
    header = ["DHR Ref", "Victim (pseudonym)", "Date notified", "Decision to hold?", "Status"]
    rows = [
        ["DHR-2023-04", "Moira", "21st Nov 2022", "", "Submitted to HO 2 May 2024"],
        ["DHR-2024-01", "Nadia", "01/02/2024", "Yes", "Chair appointed"],
        ["DHR-2024-02", "Ola", "01/03/2024", "Yes", "Draft report received 3/9/24"],
    ]
    result = tracker.preview(store, COORD, workbook(rows, header), "t.xlsx", today=TODAY)
    assert result.ok, result.problems
    assert "Status: 'Chair appointed' is kept in the notes" in result.rows[1].warnings
    tracker.import_tracker(store, COORD, result, today=TODAY)
    moira, nadia, ola = (register.get_review(store, coordinator, r[0]) for r in rows)
    assert moira.decision == "hold" and moira.stage_dates["qa_submission"] == date(2024, 5, 2)
    assert set(nadia.stage_dates) == {"notification"} and "Status in the tracker: Chair appointed" in nadia.notes
    assert ola.stage_dates["draft_report"] == date(2024, 9, 3)
    # the review page says a chair was appointed (none of them has a chair account) only where one was
    assert [r.past_chair_appointment for r in (moira, nadia, ola)] == [True, False, True]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda r: r[0].__setitem__(4, "01/01/2018"),
            "row 4 (DHR-2018-01): Date of decision (1 January 2018) is before Date notified (4 March 2018)",
        ),
        (lambda r: r[1].__setitem__(2, "sometime in 2021"), "row 5 (DHR-2021-02): Date notified: 'sometime in 2021'"),
        (lambda r: r[2].__setitem__(3, "Maybe"), "row 6 (DHR-2022-03): Decision to hold?: 'Maybe' is not understood"),
        (lambda r: r[4].__setitem__(0, "DHR-2022-03"), "row 8 (DHR-2022-03): reference DHR-2022-03 is also on row 6"),
        (lambda r: r[4].__setitem__(1, ""), "row 8 (DHR-2023-04): no Victim (pseudonym)"),
        (lambda r: r[4].__setitem__(2, "01/01/2030"), "Date notified: 1 January 2030 is in the future"),
        (
            lambda r: r[4].__setitem__(2, "TBC"),  # not recorded: a stage may be, the notification never
            "row 8 (DHR-2023-04): Date notified: 'TBC' gives no date, and every review needs the date the partnership",
        ),
        (
            lambda r: r[2].__setitem__(8, "2023-01-01"),
            "published cannot be recorded for a review marked “Not to hold a review”",
        ),
    ],
)
def test_one_bad_row_stops_the_whole_file_and_is_named(store, chair, change, message):
    rows = [list(r) for r in ROWS]
    change(rows)
    result = tracker.preview(store, COORD, workbook(rows), "tracker.xlsx", today=TODAY)
    assert not result.ok and any(message in p for p in result.problems), result.problems
    with pytest.raises(ValidationError):
        tracker.import_tracker(store, COORD, result, today=TODAY)
    assert store.read()["reviews"].count == 0


def test_a_review_already_in_the_register_is_refused(store, chair, new_review):
    new_review("DHR-2023-04")
    result = tracker.preview(store, COORD, workbook(), "tracker.xlsx", today=TODAY)
    assert any("row 8 (DHR-2023-04): DHR Ref: DHR-2023-04 is already in the register" in p for p in result.problems)


def test_only_the_coordinator_imports_the_register(store, people):
    with pytest.raises(PermissionDenied):
        tracker.preview(store, people["chair"], workbook(), "tracker.xlsx", today=TODAY)


def test_a_file_without_the_needed_columns_shows_its_columns_to_map(store):
    result = tracker.preview(store, COORD, workbook(header=["A", "B", "C"] + HEADER[3:4]), "t.xlsx")
    assert result.headers[:4] == ["A", "B", "C", "Decision to hold?"] and not result.ok
    assert result.samples["A"] == ["DHR 2018/01", "DHR-2021-02", "DHR-2022-03"]
    assert result.problems[0].startswith("choose the column that holds the Reference (the columns: A, B, C,")
    mapping = {"DHR Ref": "reference", "Victim (pseudonym)": "pseudonym"}
    result = tracker.preview(store, COORD, workbook(), "t.xlsx", mapping)
    assert result.unmapped == ["Date notified"] and result.rows == []


def test_cli_checks_then_imports_a_csv_tracker(tmp_path):
    data = tmp_path / "data"
    lines = ["Reference,Pseudonym,CSP,Date notified,Decision,Date of decision,Closed"]
    lines += ["DHR-2017-01,Lily,Northvale CSP,03/02/2017,no,20/02/2017,Q1 2017"]
    lines += ["DHR-2017-02,Rose,Northvale CSP,March 2017,yes,,"]
    source = tmp_path / "tracker.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = run(data, "reviews", "import", str(source), "--dry-run", "--json")
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["rows"][0]["stages"] == {"decision": "2017-02-20", "closed": "2017-03-31"}
    assert report["rows"][1]["notes"][0].startswith("Date notified: 'March 2017' gives no day: read as 1 March 2017")
    assert json.loads(run(data, "reviews", "deadlines", "--json").stdout) == []
    done = run(data, "reviews", "import", str(source))
    assert done.returncode == 0, done.stderr
    assert "Imported 2 review(s): DHR-2017-01, DHR-2017-02" in done.stdout
    deadlines = json.loads(run(data, "reviews", "deadlines", "--json", "--today", "2026-11-23").stdout)
    assert {d["reference"] for d in deadlines} == {"DHR-2017-01", "DHR-2017-02"}
    again = run(data, "reviews", "import", str(source))
    assert again.returncode != 0 and "already in the register" in again.stderr


def test_a_month_without_its_day_never_moves_a_statutory_deadline_later(store, chair, coordinator, tmp_path):
    """A decision dated "Sept 22" was read as 30 September 2022, and the review's six months ran to
    31 March 2023. A date a deadline counts from is read as the earliest day it can be, and the row asks
    for the day; a date a deadline is met by keeps its month's last day."""
    header = ["Ref", "Victim", "Date notified", "Decision", "Date of decision", "Date submitted to HO", "Resumed"]
    rows = [
        ["DHR-2022-05", "Nell", "Aug 22", "Yes", "Sept 22", "", ""],
        ["DHR-2022-06", "Opal", "12/09/2022", "Yes", "September 2022", "March 2023", ""],
        ["DHR-2022-07", "Pia", "05/08/2022", "Yes", "2022-08-30", "", ""],
    ]
    result = tracker.preview(store, COORD, workbook(rows, header), "tracker.xlsx", today=TODAY)
    assert result.ok, result.problems
    shown = {row["Row"]: row["Notes"] for row in tracker.preview_rows(result)}
    assert shown[4].startswith(
        "Date notified: 'Aug 22' gives no day: read as 1 August 2022, the earliest it can be, so that no deadline "
        "falls later than it may: write the day it was (e.g. 14/09/2022)"
    )
    assert "Date of decision: 'Sept 22' gives no day: read as 1 September 2022" in shown[4]
    # never before the notification it follows: the earliest the decision can be is that day
    assert "Date of decision: 'September 2022' gives no day: read as 12 September 2022" in shown[5]
    # a stage that meets a deadline is read at the month's end, as before: a late one never looks on time
    assert "Date submitted to HO: 'March 2023' read as the end of that month, 31 March 2023" in shown[5]
    tracker.import_tracker(store, COORD, result, today=TODAY)
    due = {
        (reference, d.deadline): d.due
        for reference in ("DHR-2022-05", "DHR-2022-06")
        for d in register.review_deadlines(register.get_review(store, coordinator, reference), store, TODAY)
    }
    assert due[("DHR-2022-05", "completion")] == date(2023, 3, 1)  # six months from 1 September 2022
    assert due[("DHR-2022-05", "decision")] == date(2022, 9, 1)  # one month from 1 August 2022
    assert due[("DHR-2022-06", "completion")] == date(2023, 3, 12)

    source = tmp_path / "tracker.csv"  # the same reading from the command line
    source.write_text("Reference,Pseudonym,CSP,Date notified,Decision,Date of decision\n"
                      "DHR-2022-08,Rue,Northvale CSP,Aug 22,Yes,Sept 22\n", encoding="utf-8")  # fmt: skip
    checked = run(tmp_path / "data", "reviews", "import", str(source), "--dry-run", "--json")
    assert checked.returncode == 0, checked.stderr
    (row,) = json.loads(checked.stdout)["rows"]
    assert row["stages"]["decision"] == "2022-09-01" and row["notification_date"] == "2022-08-01"


@pytest.mark.parametrize(
    "column, text, read",
    [
        ("Resumed", "Oct 2022", lambda record: record["pauses"][0]["end"] == "2022-10-01"),
        ("On hold from", "Oct 2022", lambda record: record["pauses"][0]["start"] == "2022-10-31"),
        ("Date of death", "July 2022", lambda record: record["death_date"] == "2022-07-01"),
    ],
)
def test_a_pause_without_its_day_is_read_as_its_shortest(store, column, text, read):
    """A pause moves the completion deadline by its days: one begun late and ended early is the shortest.
    A death comes before the notification, so its month's first day never moves the notification."""
    header = ["Ref", "Victim", "CSP", "Date notified", "Decision", "Parallel proceedings", "On hold from", "Resumed",
              "Date of death"]  # fmt: skip
    row = ["DHR-2022-09", "Quin", "Northvale CSP", "05/08/2022", "Yes", "Criminal trial", "01/09/2022", "", ""]
    row[header.index(column)] = text
    result = tracker.preview(store, COORD, workbook([row], header), "t.xlsx", today=TODAY)
    assert result.ok, result.problems
    assert read(result.rows[0].record), result.rows[0].record


def test_a_review_closed_with_no_date_counts_closed_and_its_date_is_asked_for(store, coordinator):
    """The walk's tracker row: a review not held ("Criteria not met") whose status says "Closed" with no date stood
    as in progress on the board's headline until the coordinator entered the date. Closed is closed: it counts
    closed on the coordinator's dashboard and the board's and partners' overview; its date is data to complete, shown
    on the register and the review page as not recorded."""
    from recommendations.figures import partnership_headline
    from reviews import listing, transfer
    from reviews.listing import RegisterFilters
    from reviews.records import standing_counts

    workspace.save(store, COORD, partnership="Wexcombe Community Safety Partnership")
    header = ["Ref", "Victim (pseudonym)", "Date notified", "Decision", "Date of decision", "Status"]
    rows = [["DHR/2024/03", "Sunita", "2 Sept 2024", "Criteria not met", "30/10/2024", "Closed"]]
    result = tracker.preview(store, COORD, workbook(rows, header), "t.xlsx", today=TODAY)
    assert result.ok, result.problems
    assert any("counts as closed; record the date it was closed" in w for w in result.rows[0].warnings)
    tracker.import_tracker(store, COORD, result, today=TODAY)

    assert standing_counts(register.list_reviews(store, coordinator)) == {"closed": 1}  # the dashboard's count
    assert partnership_headline(store, TODAY)["Reviews in progress"] == "0"  # the board's and partners' overview
    review = register.get_review(store, coordinator, "DHR-2024-03")
    assert review.standing == "closed" and review.stage_label == "Closed (date not recorded)"
    assert "closed" in review.missing_stages and review.next_stage is None
    assert review.standing_on(date(2024, 10, 29)) == "in_progress"  # before its last recorded stage
    # the register shows it, closed or not, until its date is entered; the review page says "not recorded"
    open_only = RegisterFilters(include_closed=False)
    shown = listing.register_rows(store, [review], open_only, TODAY)
    assert [r["Stage"] for r in shown] == ["Closed (date not recorded)"]
    assert {"Stage": "Closed", "Completed": None, "Recorded by": "not recorded"} in listing.stage_history(review, [])
    assert transfer.export_reviews(store, coordinator)["reviews"][0]["stages"]["closed"] is None

    register.record_missing_stage(store, coordinator, "DHR-2024-03", stage="closed", completed_on="2024-11-15")
    review = register.get_review(store, coordinator, "DHR-2024-03")
    assert review.stage_dates["closed"] == date(2024, 11, 15) and review.stage_label == "Closed"
    assert "closed" not in review.missing_stages and review.standing == "closed"
    assert not listing.register_rows(store, [review], open_only, TODAY)  # a closed review, its date entered
