"""Day one with the council's own files (#21, items 1-6): the real Harrow action plan and a tracker laid
out the way teams keep one, through the domain functions and the two import commands."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core import workspace
from core.agencies import DEFAULT_AGENCIES, closest_agencies
from core.dates import read_free_date
from recommendations import __main__ as recommendations_cli
from recommendations import plan, spreadsheet
from recommendations.attention import needs_attention
from reviews import register, tracker
from tests.conftest import COORD, run
from tests.council_files import council_tracker, harrow_plan, xlsx

TODAY = date(2026, 11, 23)


# 1. The mapping step is always reachable; council words; nothing is evidence unless it says what was done


def test_the_harrow_plan_maps_councils_words_and_never_reads_a_measure_as_evidence(store, coordinator, new_review):
    result = spreadsheet.preview(store, harrow_plan(), "harrow.xlsx")
    assert result.mapping == {
        "Objective": "recommendation",
        "Output": "action",
        "Outcomes": "expected_outcome",
        "Measurement/Evidence": "success_measure",
        "Lead Agency": "owner_agency",
        "Completion Date": "target_date",
    }
    reference = new_review("DHR-2014-01")
    result = spreadsheet.preview(
        store, harrow_plan(), "harrow.xlsx", viewer=coordinator, reference=reference, add_agencies=True
    )
    assert result.ok, result.problems
    added = spreadsheet.import_plan(store, coordinator, reference, result, today=TODAY)
    assert (added.recommendations, added.actions) == (23, 45)
    actions = [a for r in plan.recommendations_for(store, coordinator, reference) for a in r.actions]
    assert all(a.evidence == "" and not a.progress for a in actions)  # the plan says what to do, not what was done
    marac = next(a for a in actions if a.description == "Continue to deliver the MARAC locally.")
    assert marac.success_measure == "MARAC Coordination extended to support increasing capacity."
    assert marac.expected_outcome == "High risk victims provide high quality and timely responses."
    assert marac.target_date == date(2015, 4, 30) and marac.owner_agency == "Steering Group"


def test_a_plan_whose_columns_are_not_recognised_shows_them_with_samples_to_map(store):
    data = xlsx([["Theme", "Plan", "Who"], ["Training", "Train GPs", "Police"], ["Risk", "Audit", "Housing"]])
    result = spreadsheet.preview(store, data, "plan.xlsx")  # nothing raised: the mapping step is shown
    assert not result.ok and result.rows == []
    assert result.samples == {
        "Theme": ["Training", "Risk"],
        "Plan": ["Train GPs", "Audit"],
        "Who": ["Police", "Housing"],
    }
    assert result.problems == [
        f"choose the column that holds the {what} (the columns: Theme, Plan, Who)"
        for what in ("Action", "Owner agency", "Recommendation (or its number)")
    ]
    mapping = {"Theme": "Recommendation", "Plan": "Action", "Who": "Owner agency"}  # the screen's words
    assert spreadsheet.preview(store, data, "plan.xlsx", mapping).ok


def test_cli_writes_a_mapping_to_edit_then_imports_with_it(workspace, tmp_path, monkeypatch, capsys):
    source = tmp_path / "harrow.xlsx"
    source.write_bytes(harrow_plan())
    written = tmp_path / "mapping.json"
    command = ("recommendations", "import", str(source), "--review", "DHR-2026-02")
    listed = run(workspace, *command, "--write-mapping", str(written))
    assert listed.returncode == 0, listed.stderr
    assert "'Measurement/Evidence' -> How success is measured   e.g. " in listed.stdout
    mapping = json.loads(written.read_text())
    assert mapping["Output"] == "Action" and mapping["Measurement/Evidence"] == "How success is measured"
    assert run(workspace, "recommendations", "actions", "--json").stdout.strip() == "[]"  # nothing imported
    mapping["Outcomes"] = ""  # left out by the person editing it
    written.write_text(json.dumps(mapping))
    monkeypatch.setenv("DHR_DATA_DIR", str(workspace))  # in this process: the themes it suggests load a model
    assert recommendations_cli.main([*command[1:], "--mapping", str(written), "--add-agencies"]) == 0
    done = capsys.readouterr().out
    assert "Imported 45 action(s) under 23 new recommendation(s) into DHR-2026-02." in done
    assert "row 6: the column headings again: skipped" in done
    assert "row 27: a section title ('Provision'): skipped" in done


# 2. Every problem at once, in the screen's words


def test_a_tracker_preview_lists_every_problem_of_every_row_at_once(store):
    workspace.save(store, COORD, partnership="Northvale Community Safety Partnership")
    rows = [
        ["Ref", "Victim", "Date referred to CSP", "Decision", "Date HO notified"],
        ["DHR 1", "Ann", "31/02/2026", "Maybe", ""],  # the row's own problems
        ["DHR 2", "Bea", "01/01/2030", "Yes", ""],  # only the register's checks find this one
        ["DHR 3", "Cat", "01/03/2026", "No", "01/02/2026"],  # nor this
        ["DHR 4", "Dee", "01/01/2030", "Perhaps", ""],  # a problem of its own and one the register finds
    ]
    result = tracker.preview(store, COORD, xlsx(rows), "t.xlsx", today=TODAY)
    assert result.problems == [
        "row 2 (DHR-1): Date referred to CSP: '31/02/2026' is not a real date: February 2026 has 28 days "
        "(write it as 31/03/2015 or March 2015)",
        "row 2 (DHR-1): Decision: 'Maybe' is not understood (write Yes or Hold DHR, No or Not proceeding, or leave it "
        "blank while pending)",
        "row 3 (DHR-2): Date referred to CSP: 1 January 2030 is in the future",
        "row 4 (DHR-3): Date HO notified (1 February 2026) is before Date referred to CSP (1 March 2026), which "
        "comes first",
        "row 5 (DHR-4): Decision: 'Perhaps' is not understood (write Yes or Hold DHR, No or Not proceeding, or "
        "leave it blank while pending)",
        "row 5 (DHR-4): Date referred to CSP: 1 January 2030 is in the future",
    ]


# 3. Dates as councils write them


@pytest.mark.parametrize(
    "text, expected",
    [
        ("21st Jan 2023", date(2023, 1, 21)),
        ("3rd February 2023", date(2023, 2, 3)),
        ("1 Sept 2024", date(2024, 9, 1)),
        ("Nov 23", date(2023, 11, 30)),
        ("w/c 5/12/22", date(2022, 12, 5)),
        ("2023-06-01", date(2023, 6, 1)),
        ("09/09/2024", date(2024, 9, 9)),
        ("05/12/22", date(2022, 12, 5)),
        ("TBC", None),
        ("n/a", None),
        ("unknown", None),
        ("-", None),
        ("", None),
    ],
)
def test_dates_as_councils_write_them(text, expected):
    assert read_free_date(text)[0] == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2026", "'31/02/2026' is not a real date: February 2026 has 28 days"),
        ("12/31/2024", "'12/31/2024' is not a date: there is no month 31 (it reads as month first; write the day"),
        ("31 Feb 2026", "'31 Feb 2026' is not a real date"),
        ("5 Jan", "'5 Jan' has no year"),
    ],
)
def test_an_impossible_or_ambiguous_date_is_named_never_moved(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_free_date(text)


def test_a_guessed_reading_is_said():
    assert read_free_date("Nov 23")[1] == "'Nov 23' read as the end of that month, 30 November 2023"
    assert read_free_date("w/c 5/12/22")[1] == "'w/c 5/12/22' read as the first day of that week, 5 December 2022"


# 4. The tracker's status and decision columns mean something


@pytest.fixture
def imported(store):
    workspace.save(store, COORD, partnership="Northvale Community Safety Partnership")
    result = tracker.preview(store, COORD, council_tracker(), "tracker.xlsx", today=TODAY)
    assert result.ok, result.problems
    return result, tracker.import_tracker(store, COORD, result, today=TODAY)


def test_title_and_section_rows_are_skipped_and_named_and_new_references_shown(imported):
    result, references = imported
    assert result.skipped == [
        "row 1: a title above the headings ('Northvale Community Safety Partnership – DHR tracker (fictio')",
        "row 4: a section row ('2022 referrals')",
        "row 7: a section row ('2023 referrals')",
    ]
    assert "reference 'DHR/2023/03' will be imported as DHR-2023-03" in result.rows[2].warnings
    assert references == ["DHR-2022-01", "DHR-2022-02", "DHR-2023-03", "DHR-2023-04", "DHR-2023-05"]


def test_status_and_decision_words_set_the_decision_publication_closure_and_pauses(store, imported):
    reviews = {r.reference: r for r in register.list_reviews(store, COORD)}
    published, not_held, trial, closed, inquest = (reviews[r] for r in imported[1])
    assert published.decision == "hold" and published.stage_dates["published"] == date(2024, 9, 1)
    assert not_held.decision == "not_to_hold" and "Criteria not met" in not_held.decision_reasons
    assert closed.decision == "not_to_hold" and not closed.is_open
    assert closed.stage_dates["closed"] == date(2024, 2, 3)
    (pause,) = trial.pauses
    assert (pause.reason, pause.start, pause.agreed_with_home_office) == ("criminal_trial", None, False)
    (pause,) = inquest.pauses
    assert (pause.reason, pause.start, pause.agreed_with_home_office) == ("inquest", None, True)
    to_confirm = [i for i in needs_attention(store, COORD, list(reviews.values()), [], TODAY) if i.kind == "pause"]
    assert [i.reference for i in to_confirm] == ["DHR-2023-03", "DHR-2023-05"]


def test_not_to_hold_and_published_reviews_are_never_open_or_overdue(workspace, tmp_path):
    source = tmp_path / "tracker.xlsx"
    source.write_bytes(council_tracker())
    assert run(workspace, "core", "settings", "--partnership", "Northvale CSP").returncode == 0
    done = run(workspace, "reviews", "import", str(source))
    assert done.returncode == 0, done.stderr
    deadlines = json.loads(run(workspace, "reviews", "deadlines", "--json", "--today", "2026-11-23").stdout)
    settled = [d for d in deadlines if d["reference"] in ("DHR-2022-01", "DHR-2022-02", "DHR-2023-04")]
    assert settled and not [d for d in settled if d["status"] in ("open", "overdue", "due_soon")]
    on_hold = ("DHR-2023-03", "DHR-2023-05")
    completion = [d for d in deadlines if d["reference"] in on_hold and d["deadline"] == "completion"]
    # DHR-2023-03's "On hold – criminal trial" does not say the Home Office agreed: a proposed pause, so its
    # clock keeps running (only an agreed pause moves it); DHR-2023-05's decision has no date
    assert [d["status"] for d in completion] == ["overdue", "not_recorded"]


# 5. Agency suggestions by meaning as well as spelling (real names: the Harrow plan, published reviews)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Adult Services", ["Adult Social Care"]),
        ("AS", ["Adult Social Care"]),
        ("C&F", ["Children's Social Care"]),
        ("Children & Families – YOT.", ["Children's Social Care"]),
        ("Gloucestershire Children Social Care", ["Children's Social Care"]),
        ("Metropolitan Police", ["Police"]),
        ("National Probation Service", ["Probation Service"]),
        ("Clinical Commissioning Group", ["Integrated Care Board (GP services)"]),
        ("Public Health", []),
        ("Public Health & FORWARD", []),
        ("Housin g", ["Housing"]),
    ],
)
def test_agency_suggestions_rank_by_meaning_then_spelling(name, expected):
    assert closest_agencies(list(DEFAULT_AGENCIES), name)[: len(expected) or 1] == expected


def test_a_public_health_agency_is_offered_when_the_list_has_one():
    assert closest_agencies([*DEFAULT_AGENCIES, "Public Health Team"], "Public Health") == ["Public Health Team"]


# 6. A successful import says what it wrote


def test_an_import_says_what_it_wrote():
    assert spreadsheet.ImportResult(2, 5, 1).summary("DHR-2026-02") == (
        "Imported 5 action(s) under 2 new recommendation(s) into DHR-2026-02; 1 row(s) were already there and "
        "were skipped."
    )
