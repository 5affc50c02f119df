"""The dashboard's domain: what needs attention (deadlines, QA areas past their date, overdue actions) and
the timeline with its pauses, each limited to the reviews the viewer can see."""

import io
from datetime import date

import docx

from exports import builders
from recommendations import attention as everything
from recommendations import figures
from reviews import attention, pauses, qa, register
from reviews.stages import STANDINGS
from tests.conftest import TODAY, add_police_action
from tests.test_qa import held_review


def _letter(store, coordinator, reference: str, **letter) -> None:
    """The review sent to the QA panel on 25 July 2025 and its letter of 20 September back."""
    submission = qa.record_submission(store, coordinator, reference, sent_on="2025-07-25", today=TODAY)
    qa.record_letter(store, coordinator, reference, submission_id=submission, letter_date="2025-09-20", **letter)


def _seen(store, viewer) -> list[attention.Attention]:
    reviews = register.list_reviews(store, viewer)
    deadlines = [d for r in reviews for d in register.review_deadlines(r, store, TODAY)]
    return everything.needs_attention(store, viewer, reviews, deadlines, TODAY)


def test_needs_attention_lists_late_qa_areas_and_overdue_actions(store, coordinator, people):
    mine = held_review(store, coordinator, "DHR-2025-01")
    _letter(
        store,
        coordinator,
        mine,
        outcome="approved_subject_to_amendments",
        answer_by="2025-10-31",
        areas=[("Analysis is descriptive", "analysis"), ("Family not involved", "family_involvement")],
    )
    first = qa.submissions(store, coordinator, mine)[0].areas[0]
    qa.answer_area(store, coordinator, mine, area_id=first.id, status="addressed", response="Rewritten")
    add_police_action(store, coordinator, mine, target_date="2026-09-30")
    other = held_review(store, coordinator, "DHR-2025-02", until="home_office_notified")
    register.update_review(store, coordinator, other, {"chair": "chair2"})  # someone else's review
    add_police_action(store, coordinator, other, target_date="2026-10-31")

    items = _seen(store, coordinator)
    kinds = {(i.reference, i.kind) for i in items}
    assert {("DHR-2025-01", "qa_area"), ("DHR-2025-01", "action"), ("DHR-2025-02", "action")} <= kinds
    [area] = [i for i in items if i.kind == "qa_area"]  # the answered area is not listed
    assert area.what == "Round 1, area 2: Family not involved" and area.due == date(2025, 10, 31)
    assert area.detail == "Family involvement" and area.status == "overdue"
    assert [i.status for i in items] == sorted((i.status for i in items), key=lambda s: s != "overdue")
    rows = attention.attention_rows(items, TODAY)
    assert {r["What"] for r in rows} >= {"QA area for development", "Action"}
    assert (
        next(r for r in rows if r["What"] == "Action" and r["Review"] == "DHR-2025-01")["When"]
        == "30 Sep 2026 · 54 day(s) late"
    )

    chair_items = _seen(store, people["chair"])  # a chair sees only their own reviews
    assert {i.reference for i in chair_items} == {"DHR-2025-01"}


def test_no_date_in_the_letter_means_never_late(store, coordinator):
    mine = held_review(store, coordinator, "DHR-2025-01")
    _letter(store, coordinator, mine, outcome="resubmit", areas=[("Analysis is descriptive", "analysis")])
    assert not [i for i in _seen(store, coordinator) if i.kind == "qa_area"]


def test_timeline_draws_pauses_and_an_open_pause_runs_to_today(store, coordinator):
    reference = held_review(store, coordinator, "DHR-2025-01")
    pauses.add_pause(store, coordinator, reference, reason="inquest", start="2025-03-10", end="2025-04-10")
    pauses.add_pause(
        store, coordinator, reference, reason="criminal_trial", start="2026-06-01", agreed_with_home_office=True
    )
    pauses.add_pause(store, coordinator, reference, reason="other", start="2027-01-01")  # not started yet
    reviews = register.list_reviews(store, coordinator)
    deadlines = [d for r in reviews for d in register.review_deadlines(r, store, TODAY)]
    drawn = attention.timeline(reviews, deadlines, TODAY)
    assert drawn["pauses"] == [
        {
            "Review": reference,
            "Pause": "Inquest (proposed: the clock runs on)",
            "From": date(2025, 3, 10),
            "To": date(2025, 4, 10),
        },
        {"Review": reference, "Pause": "Criminal trial (still paused)", "From": date(2026, 6, 1), "To": TODAY},
    ]
    assert drawn["stages"][-1]["To"] == TODAY
    assert all(d["Review"] == reference for d in drawn["deadlines"])
    figures = attention.headline(reviews, deadlines, TODAY)
    assert figures.in_progress == 1 and figures.closing == 0 and figures.paused == 1


def test_by_stage_counts_in_stage_order(store, coordinator):
    held_review(store, coordinator, "DHR-2025-01")
    held_review(store, coordinator, "DHR-2025-02", until="home_office_notified")
    held_review(store, coordinator, "DHR-2025-03", until="home_office_notified")
    rows = attention.by_stage(register.list_reviews(store, coordinator))
    assert rows == [
        {"Stage": "Independent chair appointed", "Reviews": 2},
        {"Stage": "CSP sign-off", "Reviews": 1},
    ]


def _reviews_in_each_standing(store, coordinator) -> None:
    """Two reviews in progress (one under way, one with its decision to make), two published and not yet
    closed (one awaiting action plan monitoring, one monitored), and one published in September 2025 and
    closed on 2 March 2026."""
    held_review(store, coordinator, "DHR-2025-01")  # under way
    register.create_review(  # a decision still to make
        store, coordinator, reference="DHR-2025-02", pseudonym="Jo", csp="C", notification_date="2025-02-03",
        today=TODAY,
    )  # fmt: skip
    for reference, last in (("DHR-2025-03", "published"), ("DHR-2025-04", "monitoring"), ("DHR-2025-05", "closed")):
        held_review(store, coordinator, reference)
        review_id = next(store.read()["reviews"].rows_where("reference = ?", [reference]))["id"]
        with store.write(coordinator.username) as tx:
            for stage, day in (("published", date(2025, 9, 1)), ("monitoring", date(2025, 9, 2))):
                register.insert_stage_event(tx, review_id, stage, day)
                if stage == last:
                    break
            if last == "closed":
                register.insert_stage_event(tx, review_id, "closed", date(2026, 3, 2))


def test_a_published_review_awaiting_its_closing_steps_is_not_counted_as_in_progress(store, coordinator):
    """The dashboard's "Open reviews" counted published reviews still awaiting action plan monitoring or
    closure with those still being run. It now shows reviews in progress and published ones not yet closed
    apart, and a closed review in neither."""
    _reviews_in_each_standing(store, coordinator)
    reviews = register.list_reviews(store, coordinator)
    figures = attention.headline(reviews, [], TODAY)
    assert (figures.in_progress, figures.closing) == (2, 2)
    assert {r.reference: r.standing for r in reviews} == {
        "DHR-2025-01": "in_progress",
        "DHR-2025-02": "in_progress",
        "DHR-2025-03": "closing",
        "DHR-2025-04": "closing",
        "DHR-2025-05": "closed",
    }


def test_the_overview_and_the_board_report_count_reviews_as_the_dashboard_does(store, coordinator):
    """The partners' overview and the board report said "Open reviews", counting a published review
    awaiting its closing steps with those still being run. Both now give the dashboard's two figures in its
    words; the board report's as the reviews stood at the quarter's end."""
    _reviews_in_each_standing(store, coordinator)
    headline = figures.partnership_headline(store, TODAY)
    assert "Open reviews" not in headline
    assert (headline[STANDINGS["in_progress"]], headline[STANDINGS["closing"]]) == ("2", "2")
    assert headline["Reviews published"] == "3"  # the closed one too
    dashboard = attention.headline(register.list_reviews(store, coordinator), [], TODAY)
    assert (dashboard.in_progress, dashboard.closing) == (2, 2)

    quarter_end = {}  # DHR-2025-05 was published, not yet closed, on 31 December 2025; closed by 31 December 2026
    for quarter in ("2025Q4", "2026Q4"):
        board = figures.board_figures(store, figures.Quarter.parse(quarter), today=TODAY)
        assert "open_reviews_at_end" not in board
        quarter_end[quarter] = (board["reviews_in_progress_at_end"], board["reviews_published_not_closed_at_end"])
        rows = {
            row.cells[0].text: row.cells[1].text
            for table in docx.Document(io.BytesIO(builders.board_report(store, quarter, TODAY))).tables
            for row in table.rows
        }
        assert not any("Open reviews" in measure for measure in rows)
        assert rows["Reviews in progress at the end of the quarter"] == str(quarter_end[quarter][0])
        assert rows["Published, not yet closed, at the end of the quarter"] == str(quarter_end[quarter][1])
    assert quarter_end == {"2025Q4": (2, 3), "2026Q4": (2, 2)}
    before_any = figures.board_figures(store, figures.Quarter.parse("2024Q4"), today=TODAY)
    assert (before_any["reviews_in_progress_at_end"], before_any["reviews_published_not_closed_at_end"]) == (0, 0)
