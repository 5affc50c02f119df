"""The deadline engine: pure functions over a review's dates, stages and pauses."""

import json
from datetime import date

import pytest

from core.errors import ValidationError
from reviews.deadlines import (
    Pause,
    ReturnRequest,
    Timeline,
    by_urgency,
    compute_deadlines,
    merge_pauses,
    next_deadline,
    validate_timeline,
)
from reviews.rules import BUNDLED_DIR, parse_rule_set

HO_2016 = parse_rule_set(json.loads((BUNDLED_DIR / "HO-2016.json").read_text()))
D = date.fromisoformat


def deadline(timeline: Timeline, key: str, today: str = "2026-01-15", **kwargs):
    found = [d for d in compute_deadlines(timeline, HO_2016, D(today), **kwargs) if d.deadline == key]
    assert len(found) == 1
    return found[0]


def agreed(reason: str, start: date, end: date | None) -> Pause:
    """A pause the Home Office agreed: the only kind that stops the clock."""
    return Pause(reason, start, end, agreed_with_home_office=True)


def held(notified="2025-01-10", decided="2025-01-31", pauses=(), **stages):
    all_stages = {"decision": D(decided)} | {k: D(v) for k, v in stages.items()}
    return Timeline("DHR-T-01", "hold", D(notified), stages=all_stages, pauses=tuple(pauses))


# ----------------------------------------------------------------- decision deadline


@pytest.mark.parametrize(
    "notified, expected_due",
    [
        ("2025-01-31", "2025-02-28"),  # clamps at month end
        ("2024-01-31", "2024-02-29"),  # leap year
        ("2025-12-15", "2026-01-15"),
        ("2025-03-31", "2025-04-30"),
    ],
)
def test_decision_due_one_calendar_month_after_notification(notified, expected_due):
    d = deadline(Timeline("R", "pending", D(notified)), "decision", today=notified)
    assert d.due == D(expected_due)
    assert d.basis == "statutory" and d.rule_set == "HO-2016"


@pytest.mark.parametrize(
    "today, status",
    [
        ("2025-01-20", "open"),  # 21 days before due: outside the 14-day window
        ("2025-01-27", "due_soon"),  # 14 days before
        ("2025-02-10", "due_soon"),  # due today is not overdue
        ("2025-02-11", "overdue"),
    ],
)
def test_decision_status_by_date(today, status):
    assert deadline(Timeline("R", "pending", D("2025-01-10")), "decision", today).status == status


def test_due_soon_window_is_configurable():
    timeline = Timeline("R", "pending", D("2025-01-10"))
    assert deadline(timeline, "decision", "2025-01-20", due_soon_days=30).status == "due_soon"
    assert deadline(timeline, "decision", "2025-02-05", due_soon_days=0).status == "open"


@pytest.mark.parametrize(
    "decided, status",
    [("2025-02-10", "met"), ("2025-01-11", "met"), ("2025-02-11", "met_late")],
)
def test_decision_met_on_time_or_late(decided, status):
    d = deadline(held(decided=decided), "decision", "2026-01-01")
    assert d.status == status and d.met_on == D(decided)


# ----------------------------------------------------------------- completion deadline


def test_completion_six_months_after_decision_and_met_by_qa_submission():
    timeline = held(decided="2025-08-31")
    d = deadline(timeline, "completion", "2025-10-01")
    assert d.due == D("2026-02-28") and d.status == "open"
    submitted = held(
        decided="2025-08-31",
        **{
            "home_office_notified": "2025-09-01",
            "chair_appointed": "2025-09-10",
            "terms_of_reference": "2025-09-20",
            "agency_returns": "2025-10-30",
            "family_engagement": "2025-11-15",
            "draft_report": "2025-12-20",
            "panel_signoff": "2026-01-10",
            "csp_signoff": "2026-01-20",
            "qa_submission": "2026-03-02",
        },
    )
    late = deadline(submitted, "completion", "2026-04-01")
    assert late.status == "met_late" and late.met_on == D("2026-03-02")


def test_completion_not_applicable_when_not_holding_a_review():
    timeline = Timeline("R", "not_to_hold", D("2025-01-10"), stages={"decision": D("2025-01-20")})
    d = deadline(timeline, "completion")
    assert d.status == "not_applicable" and d.due is None
    assert deadline(timeline, "chair_appointed").status == "not_applicable"


def test_completion_waits_for_the_decision():
    d = deadline(Timeline("R", "pending", D("2025-01-10")), "completion")
    assert d.status == "not_applicable" and "held" in d.note


# ----------------------------------------------------------------- pauses


def test_closed_pause_moves_completion_by_paused_days_inclusive():
    pause = agreed("criminal_trial", D("2025-03-01"), D("2025-03-10"))  # 10 days
    d = deadline(held(pauses=[pause]), "completion", "2025-05-01")
    assert d.due == D("2025-08-10")  # 31 July + 10 days
    assert d.paused_days == 10 and "10 day" in d.note


def test_open_pause_shows_paused_not_overdue():
    pause = agreed("inquest", D("2025-06-01"), None)
    d = deadline(held(pauses=[pause]), "completion", "2026-06-01")  # long past the unpaused due date
    assert d.status == "paused" and d.due is None


def test_open_pause_after_earlier_closed_pause_keeps_count():
    pauses = [agreed("iopc", D("2025-02-01"), D("2025-02-05")), agreed("inquest", D("2025-06-01"), None)]
    d = deadline(held(pauses=pauses), "completion", "2026-06-01")
    assert d.status == "paused" and d.paused_days == 5


def test_overlapping_pauses_counted_once():
    pauses = [
        agreed("criminal_trial", D("2025-03-01"), D("2025-03-20")),
        agreed("inquest", D("2025-03-10"), D("2025-03-31")),  # overlaps: union is 1-31 March
    ]
    d = deadline(held(pauses=pauses), "completion", "2025-05-01")
    assert d.paused_days == 31
    assert d.due == D("2025-08-31")  # 31 July + 31 days


def test_adjacent_pauses_merge_and_contained_pause_adds_nothing():
    assert merge_pauses(
        [Pause("a", D("2025-01-01"), D("2025-01-05")), Pause("b", D("2025-01-06"), D("2025-01-09"))]
    ) == [(D("2025-01-01"), D("2025-01-09"))]
    assert merge_pauses(
        [Pause("a", D("2025-01-01"), D("2025-01-31")), Pause("b", D("2025-01-10"), D("2025-01-12"))]
    ) == [(D("2025-01-01"), D("2025-01-31"))]
    assert merge_pauses([Pause("a", D("2025-01-01"), None), Pause("b", D("2025-01-10"), D("2025-01-12"))]) == [
        (D("2025-01-01"), None)
    ]


def test_pause_before_the_decision_only_counts_from_the_decision():
    pause = agreed("criminal_trial", D("2025-01-20"), D("2025-02-09"))  # decision 31 Jan: 10 days count
    assert deadline(held(pauses=[pause]), "completion", "2025-03-01").paused_days == 10


def test_pause_after_the_deadline_passed_does_not_rescue_it():
    pause = agreed("inquest", D("2025-09-01"), None)  # due 31 July
    assert deadline(held(pauses=[pause]), "completion", "2025-10-01").status == "overdue"


def test_pause_starting_on_the_due_date_counts():
    pause = agreed("inquest", D("2025-07-31"), D("2025-08-01"))
    d = deadline(held(pauses=[pause]), "completion", "2025-08-01")
    assert d.due == D("2025-08-02") and d.status == "due_soon"


def test_pause_that_extends_into_a_second_pause_chains():
    # the first pause moves the due date past the start of the second, which then counts too
    pauses = [agreed("a", D("2025-07-01"), D("2025-07-30")), agreed("b", D("2025-08-20"), D("2025-08-29"))]
    d = deadline(held(pauses=pauses), "completion", "2025-09-01")
    assert d.paused_days == 40 and d.due == D("2025-09-09")


def test_pause_after_deadline_met_is_ignored():
    stages = {
        "home_office_notified": "2025-02-01",
        "chair_appointed": "2025-02-10",
        "terms_of_reference": "2025-02-20",
        "agency_returns": "2025-03-30",
        "family_engagement": "2025-04-15",
        "draft_report": "2025-05-20",
        "panel_signoff": "2025-06-01",
        "csp_signoff": "2025-06-10",
        "qa_submission": "2025-07-01",
    }
    d = deadline(held(pauses=[agreed("inquest", D("2025-07-10"), None)], **stages), "completion", "2025-09-01")
    assert d.status == "met" and d.due == D("2025-07-31")


def test_decision_deadline_is_not_paused():
    timeline = Timeline("R", "pending", D("2025-01-10"), pauses=(agreed("criminal_trial", D("2025-01-15"), None),))
    assert deadline(timeline, "decision", "2025-03-01").status == "overdue"


# ----------------------------------------------------------------- agency returns


def test_agency_return_statuses_and_chases():
    returns = (
        ReturnRequest("Police", "IMR", D("2025-03-03"), D("2025-03-31"), received=D("2025-03-28")),
        ReturnRequest(
            "Housing", "chronology", D("2025-03-03"), D("2025-03-31"), chases=(D("2025-04-02"), D("2025-04-09"))
        ),
        ReturnRequest("Education", "IMR", D("2025-03-03"), D("2025-03-31"), received=D("2025-04-04")),
    )
    timeline = Timeline("R", "hold", D("2025-01-10"), stages={"decision": D("2025-01-31")}, returns=returns)
    found = [d for d in compute_deadlines(timeline, HO_2016, D("2025-04-10")) if d.deadline == "agency_return"]
    assert [d.status for d in found] == ["met", "overdue", "met_late"]
    assert found[1].basis == "local" and "2 time(s)" in found[1].note and found[1].agency == "Housing"


def test_return_due_uses_working_days_from_the_rule_set():
    assert HO_2016.return_due(D("2025-12-19")) == D("2026-01-21")


# ----------------------------------------------------------------- order and validation


def test_by_urgency_puts_oldest_overdue_first():
    timelines = [Timeline(f"R{i}", "pending", D(n)) for i, n in enumerate(["2025-01-10", "2024-12-01", "2025-02-20"])]
    deadlines = [d for t in timelines for d in compute_deadlines(t, HO_2016, D("2025-03-10"))]
    ordered = by_urgency(deadlines)
    assert [(d.reference, d.status) for d in ordered[:3]] == [("R1", "overdue"), ("R0", "overdue"), ("R2", "due_soon")]


def test_the_next_deadline_is_the_most_urgent_one_still_to_meet():
    deadlines = compute_deadlines(Timeline("R1", "pending", D("2025-01-10")), HO_2016, D("2025-03-10"))
    assert next_deadline(deadlines) == by_urgency(deadlines)[0] and next_deadline(deadlines).status == "overdue"
    met = [d for d in deadlines if d.status not in ("overdue", "due_soon", "paused", "open")]
    assert next_deadline(met) is None


@pytest.mark.parametrize(
    "timeline, fragment",
    [
        (
            Timeline("R", "hold", D("2025-01-10"), stages={"decision": D("2025-01-05")}),
            "stages.decision (2025-01-05) is before stages.notification",
        ),
        (
            Timeline("R", "pending", D("2025-01-10"), death_date=D("2025-01-12")),
            "death_date (2025-01-12) is after notification_date",
        ),
        (
            Timeline(
                "R", "hold", D("2025-01-10"), stages={"decision": D("2025-01-20"), "qa_submission": D("2025-01-15")}
            ),
            "stages.qa_submission (2025-01-15) is before stages.decision (2025-01-20)",
        ),
        (
            held(pauses=[Pause("inquest", D("2025-03-10"), D("2025-03-01"))]),
            "pauses[0].end (2025-03-01) is before pauses[0].start",
        ),
        (
            Timeline(
                "R",
                "not_to_hold",
                D("2025-01-10"),
                stages={"decision": D("2025-01-20"), "draft_report": D("2025-02-01")},
            ),
            "draft_report cannot be recorded",
        ),
        (
            Timeline(
                "R",
                "hold",
                D("2025-01-10"),
                stages={"decision": D("2025-01-20")},
                returns=(ReturnRequest("Police", "IMR", D("2025-03-01"), D("2025-02-01")),),
            ),
            "due (2025-02-01) is before requested",
        ),
        (
            Timeline(
                "R",
                "hold",
                D("2025-01-10"),
                stages={"decision": D("2025-01-20")},
                returns=(ReturnRequest("Police", "IMR", D("2025-03-01"), D("2025-04-01"), chases=(D("2025-02-01"),)),),
            ),
            "chases: 2025-02-01 is before requested",
        ),
    ],
)
def test_dates_out_of_order_are_rejected_naming_the_fields(timeline, fragment):
    with pytest.raises(ValidationError) as error:
        compute_deadlines(timeline, HO_2016, D("2026-01-01"))
    assert any(fragment in problem for problem in error.value.problems), error.value.problems


def test_every_problem_reported_at_once():
    timeline = Timeline(
        "R",
        "hold",
        D("2025-01-10"),
        death_date=D("2025-02-01"),
        stages={"decision": D("2025-01-01")},
        pauses=(Pause("inquest", D("2025-03-10"), D("2025-03-01")),),
    )
    with pytest.raises(ValidationError) as error:
        compute_deadlines(timeline, HO_2016, D("2026-01-01"))
    assert len(error.value.problems) == 3


def test_a_pause_recorded_ahead_of_its_start_does_not_stop_the_clock_until_then():
    trial = agreed("criminal_trial", D("2025-07-25"), None)
    before = deadline(held(pauses=[trial]), "completion", "2025-07-20")
    without = deadline(held(), "completion", "2025-07-20")
    assert (before.due, before.status, before.paused_days) == (without.due, without.status, 0)
    assert before.status == "due_soon"  # due 31 July 2025; the trial has not started
    started = deadline(held(pauses=[trial]), "completion", "2025-07-26")
    assert started.status == "paused" and started.due is None


# ----------------------------------------------------------------- historical records with gaps


def history(**stages) -> Timeline:
    """A review brought in from a spreadsheet: only some stage dates were ever recorded."""
    return Timeline("DHR-H-01", "hold", D("2023-01-10"), stages={k: D(v) for k, v in stages.items()})


def test_a_history_with_unrecorded_stages_is_accepted_and_its_deadlines_are_right():
    timeline = history(decision="2023-02-01", home_office_notified="2023-02-06", qa_submission="2023-07-20")
    validate_timeline(timeline)
    found = {d.deadline: d for d in compute_deadlines(timeline, HO_2016, D("2026-01-01"))}
    assert (found["decision"].status, found["decision"].met_on) == ("met", D("2023-02-01"))
    assert (found["completion"].status, found["completion"].due) == ("met", D("2023-08-01"))
    assert found["chair_appointed"].status == "not_recorded"  # never overdue for a stage nobody recorded
    assert found["chair_appointed"].note == "Independent chair appointed: not recorded"


def test_a_missing_anchor_makes_its_deadline_not_recorded_rather_than_open():
    found = {d.deadline: d for d in compute_deadlines(history(qa_submission="2023-07-20"), HO_2016, D("2026-01-01"))}
    assert found["decision"].status == "not_recorded" and found["completion"].status == "not_recorded"


def test_given_dates_must_still_be_in_order_naming_both_stages():
    with pytest.raises(ValidationError) as error:
        validate_timeline(history(decision="2023-02-01", panel_signoff="2023-06-01", draft_report="2023-07-01"))
    assert error.value.problems == [
        "stages.panel_signoff (2023-06-01) is before stages.draft_report (2023-07-01), which comes first"
    ]
