"""Home Office QA rounds and the publication gate."""

from datetime import date

import pytest

from core.errors import NotFound, ValidationError
from reviews import qa, register
from reviews.listing import RegisterFilters, people_names, register_rows, stage_history
from tests.conftest import TODAY

HELD_TO_QA = {
    "home_office_notified": "2025-02-03",
    "chair_appointed": "2025-02-10",
    "terms_of_reference": "2025-03-01",
    "agency_returns": "2025-05-01",
    "family_engagement": "2025-06-01",
    "draft_report": "2025-07-01",
    "panel_signoff": "2025-07-15",
    "csp_signoff": "2025-07-20",
}


def held_review(store, coordinator, reference: str, *, until: str = "csp_signoff") -> str:
    """A review held and taken through its stages up to ``until`` (inclusive), on HELD_TO_QA's dates; the
    chair named at registration is recorded as appointed when the Home Office is notified."""
    register.create_review(
        store,
        coordinator,
        reference=reference,
        pseudonym="Ivy",
        csp="C",
        notification_date="2025-01-06",
        chair="chair",
        today=TODAY,
    )
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on="2025-01-30", decision="hold", today=TODAY
    )
    for stage, day in list(HELD_TO_QA.items())[: list(HELD_TO_QA).index(until) + 1]:
        if stage not in register.get_review(store, coordinator, reference).stages:
            register.complete_stage(store, coordinator, reference, stage=stage, completed_on=day, today=TODAY)
    return reference


@pytest.fixture
def review(store, coordinator, people):
    return held_review(store, coordinator, "DHR-2025-01")


def publish(store, viewer, reference):
    """Approve the review for publication, then publish it (both by hand, on the stage list)."""
    register.complete_stage(store, viewer, reference, stage="approved", completed_on="2025-10-25", today=TODAY)
    register.complete_stage(store, viewer, reference, stage="published", completed_on="2025-11-01", today=TODAY)


AREAS = [
    ("Analysis is descriptive", "analysis"),
    ("Family not involved", "family_involvement"),
    ("Recommendations not SMART", "recommendations"),
]


def test_qa_stages_completed_by_hand_keep_to_the_qa_log(store, coordinator, review):
    """One truth: the submission completed on the stage list is the QA log's first round; the feedback
    stage needs the letter in the log; approval needs an approving outcome."""
    register.complete_stage(store, coordinator, review, stage="qa_submission", completed_on="2025-07-25", today=TODAY)
    [first] = qa.submissions(store, coordinator, review)
    assert first.round == 1 and first.sent_on == date(2025, 7, 25)
    with pytest.raises(ValidationError, match="record the panel's letter in the QA log"):
        register.complete_stage(store, coordinator, review, stage="qa_feedback", completed_on="2025-09-20", today=TODAY)
    qa.record_letter(store, coordinator, review, submission_id=first.id, outcome="resubmit", letter_date="2025-09-20")
    assert register.get_review(store, coordinator, review).stage_dates["qa_feedback"] == date(2025, 9, 20)
    with pytest.raises(ValidationError, match="approved: not yet: round 1: the QA panel asked for the report"):
        publish(store, coordinator, review)
    assert "approved" not in register.get_review(store, coordinator, review).stages
    second = qa.record_submission(store, coordinator, review, sent_on="2025-10-05", today=TODAY)
    qa.record_letter(store, coordinator, review, submission_id=second, outcome="approved", letter_date="2025-10-20")
    publish(store, coordinator, review)
    assert {"approved", "published"} <= set(register.get_review(store, coordinator, review).stages)


def test_a_hand_completed_submission_must_carry_the_qa_logs_date(store, coordinator):
    reference = held_review(store, coordinator, "DHR-2025-08", until="panel_signoff")
    qa.record_submission(store, coordinator, reference, sent_on="2025-07-25", today=TODAY)  # before CSP sign-off
    assert "qa_submission" not in register.get_review(store, coordinator, reference).stages  # not next yet
    register.complete_stage(store, coordinator, reference, stage="csp_signoff", completed_on="2025-07-20", today=TODAY)
    with pytest.raises(ValidationError, match="the QA log says the report was sent on 2025-07-25"):
        register.complete_stage(
            store, coordinator, reference, stage="qa_submission", completed_on="2025-07-27", today=TODAY
        )
    register.complete_stage(
        store, coordinator, reference, stage="qa_submission", completed_on="2025-07-25", today=TODAY
    )
    assert len(qa.submissions(store, coordinator, reference)) == 1  # no second round


def test_a_chair_named_at_registration_is_recorded_as_appointed(store, coordinator):
    reference = held_review(store, coordinator, "DHR-2025-06", until="home_office_notified")
    review = register.get_review(store, coordinator, reference)
    assert review.stage_dates["chair_appointed"] == date(2025, 2, 3)  # in place when the Home Office was told
    assert review.next_stage == "terms_of_reference"
    status = {d.deadline: d.status for d in register.review_deadlines(review, store, TODAY)}
    assert status["chair_appointed"] == "met"


def test_amendments_must_all_be_answered_before_publication(store, coordinator, people, review):
    submission = qa.record_submission(store, coordinator, review, sent_on="2025-07-25", today=TODAY)
    qa.record_letter(
        store,
        coordinator,
        review,
        submission_id=submission,
        outcome="approved_subject_to_amendments",
        letter_date="2025-09-20",
        areas=AREAS,
    )
    areas = qa.submissions(store, coordinator, review)[0].areas
    with pytest.raises(ValidationError) as error:
        publish(store, coordinator, review)
    assert len(error.value.problems) == 3 and "area for development 1 is still open" in error.value.problems[0]
    qa.answer_area(
        store, people["chair"], review, area_id=areas[0].id, status="addressed", response="Analysis section rewritten"
    )
    qa.answer_area(
        store,
        coordinator,
        review,
        area_id=areas[1].id,
        status="not_accepted",
        response="The family declined to take part; their wishes are recorded",
    )
    with pytest.raises(ValidationError) as error:
        publish(store, coordinator, review)
    assert len(error.value.problems) == 1 and "area for development 3" in error.value.problems[0]
    qa.answer_area(store, coordinator, review, area_id=areas[2].id, status="addressed", response="Rewritten SMART")
    publish(store, coordinator, review)
    answered = qa.submissions(store, coordinator, review)[0].areas[0]
    assert answered.answered_by == "chair" and answered.answered_on is not None


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"letter_date": "2025-07-01"}, "letter_date"),
        ({"panel_date": "2025-07-01"}, "panel_date"),
        ({"outcome": "approved_subject_to_amendments", "areas": []}, "list the amendments"),
        ({"areas": [("", "analysis")]}, "areas[1].text"),
        ({"areas": [("Text", "spelling")]}, "areas[1].theme"),
        ({"areas": [("Text", None)]}, "choose the theme of area 1"),  # the page's select starts empty
        ({"answer_by": "2025-09-01"}, "answer_by: 2025-09-01 is before the letter"),
        ({"outcome": "approved", "areas": [], "answer_by": "2025-10-01"}, "lists no areas for development"),
    ],
)
def test_bad_letters_refused(store, coordinator, review, kwargs, fragment):
    submission = qa.record_submission(store, coordinator, review, sent_on="2025-07-25", today=TODAY)
    values = {"outcome": "resubmit", "letter_date": "2025-09-20", "areas": AREAS} | kwargs
    with pytest.raises(ValidationError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        qa.record_letter(store, coordinator, review, submission_id=submission, **values)
    assert store.read()["qa_areas"].count == 0


def test_rounds_must_follow_the_letters(store, coordinator, review):
    first = qa.record_submission(store, coordinator, review, sent_on="2025-07-25", today=TODAY)
    with pytest.raises(ValidationError, match="still waiting"):
        qa.record_submission(store, coordinator, review, sent_on="2025-08-01", today=TODAY)
    qa.record_letter(store, coordinator, review, submission_id=first, outcome="approved", letter_date="2025-09-20")
    with pytest.raises(ValidationError, match="no resubmission is needed"):
        qa.record_submission(store, coordinator, review, sent_on="2025-10-01", today=TODAY)


def test_answer_needs_a_response_and_stays_inside_the_review(store, coordinator, people, review, new_review):
    submission = qa.record_submission(store, coordinator, review, sent_on="2025-07-25", today=TODAY)
    qa.record_letter(
        store, coordinator, review, submission_id=submission, outcome="resubmit", letter_date="2025-09-20", areas=AREAS
    )
    area = qa.submissions(store, coordinator, review)[0].areas[0]
    with pytest.raises(ValidationError, match="response"):
        qa.answer_area(store, coordinator, review, area_id=area.id, status="not_accepted", response=" ")
    other = new_review("DHR-2025-09", pseudonym="Zoe", chair="chair2")
    with pytest.raises(NotFound):
        qa.answer_area(store, coordinator, other, area_id=area.id, status="addressed", response="x")
    with pytest.raises(NotFound):
        qa.submissions(store, people["chair2"], review)


def test_the_qa_log_completes_the_stages_it_records(store, coordinator):
    """One truth: the first submission is the 'submitted to the Home Office' stage (the one the completion
    deadline is met by) and the first letter the 'feedback received' stage; a resubmission and its letter
    are shown in the stage list after them."""
    reference = held_review(store, coordinator, "DHR-2025-07", until="csp_signoff")
    first = qa.record_submission(store, coordinator, reference, sent_on="2025-07-28", today=TODAY)
    review = register.get_review(store, coordinator, reference)
    assert review.stage_dates["qa_submission"] == date(2025, 7, 28)
    deadline = next(d for d in register.review_deadlines(review, store, TODAY) if d.met_on == date(2025, 7, 28))
    assert deadline.status.startswith("met")
    qa.record_letter(store, coordinator, reference, submission_id=first, outcome="resubmit", letter_date="2025-09-22")
    assert register.get_review(store, coordinator, reference).stage_dates["qa_feedback"] == date(2025, 9, 22)
    second = qa.record_submission(store, coordinator, reference, sent_on="2025-10-06", today=TODAY)
    qa.record_letter(store, coordinator, reference, submission_id=second, outcome="approved", letter_date="2025-10-21")
    review = register.get_review(store, coordinator, reference)
    assert review.stage_dates["qa_submission"] == date(2025, 7, 28)  # the first round's, not moved
    history = stage_history(review, qa.submissions(store, coordinator, reference), people_names(store))
    assert history[0]["Recorded by"] == coordinator.display_name  # by name, not user name
    rows = [(r["Stage"], r["Completed"]) for r in history]
    at = rows.index(("Home Office QA feedback received", date(2025, 9, 22)))
    assert rows[at + 1 : at + 3] == [
        ("Resubmitted to the QA panel (round 2)", date(2025, 10, 6)),
        ("QA feedback, round 2: approved", date(2025, 10, 21)),
    ]


def test_a_resubmission_moves_the_review_back_to_submitted_until_its_letter(store, coordinator):
    """Round 2 sent: the register, the dashboard's counts and the review's page say "submitted (round 2)",
    not "feedback received"; its letter brings "feedback received (round 2)"."""

    reference = held_review(store, coordinator, "DHR-2025-08", until="csp_signoff")
    first = qa.record_submission(store, coordinator, reference, sent_on="2025-07-28", today=TODAY)
    qa.record_letter(store, coordinator, reference, submission_id=first, outcome="resubmit", letter_date="2025-09-22")
    assert register.get_review(store, coordinator, reference).stage_label == "Home Office QA feedback received"
    second = qa.record_submission(store, coordinator, reference, sent_on="2025-10-06", today=TODAY)
    review = register.get_review(store, coordinator, reference)
    assert review.stage_now == "qa_submission"
    assert review.stage_label == "Submitted to the Home Office QA panel (round 2)"
    assert register.stage_counts(store)["qa_submission"] == 1 and register.stage_counts(store)["qa_feedback"] == 0
    rows = register_rows(store, [review], RegisterFilters(stages=("qa_submission",)), TODAY)
    assert [r["Stage"] for r in rows] == ["Submitted to the Home Office QA panel (round 2)"]
    qa.record_letter(store, coordinator, reference, submission_id=second, outcome="approved", letter_date="2025-10-21")
    review = register.get_review(store, coordinator, reference)
    assert review.stage_label == "Home Office QA feedback received (round 2)"
