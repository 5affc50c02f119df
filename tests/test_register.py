"""The review register: creating reviews, stages, pauses, returns and who may see what."""

from datetime import date

import pytest

from core.errors import NotFound, PermissionDenied, ValidationError
from reviews import pauses, register, returns
from tests.conftest import TODAY


@pytest.fixture
def review(store, coordinator):
    return register.create_review(
        store,
        coordinator,
        reference="dhr-2026-01",
        pseudonym="Ava",
        csp="Test CSP",
        notification_date="2026-05-04",
        death_date="2026-05-01",
        chair="chair",
        agencies=["Police"],
        today=TODAY,
    )


def hold(store, coordinator, reference, on="2026-05-20"):
    register.complete_stage(
        store, coordinator, reference, stage="decision", completed_on=on, decision="hold", today=TODAY
    )


def test_create_review_records_notification_and_normalises_reference(store, coordinator, review):
    assert review == "DHR-2026-01"
    loaded = register.get_review(store, coordinator, review)
    assert loaded.current_stage == "notification" and loaded.next_stage == "decision"
    assert loaded.stage_dates == {"notification": date(2026, 5, 4)}
    assert loaded.agencies == ["Police"] and loaded.decision == "pending"


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"reference": "not a ref"}, "reference"),
        ({"pseudonym": " "}, "pseudonym"),
        ({"review_type": "SAR"}, "review_type"),
        ({"notification_date": "12/05/2026"}, "notification_date: '12/05/2026' is not a date"),
        ({"notification_date": "2027-01-01"}, "in the future"),
        ({"death_date": "2026-06-01"}, "death_date (2026-06-01) is after notification_date"),
        ({"chair": "partner"}, "not an account with the chair role"),
        ({"rule_set": "HO-1999"}, "rule_set"),
        ({"agencies": ["Ministry of Magic"]}, "unknown agency 'Ministry of Magic'"),
    ],
)
def test_bad_review_details_are_refused_by_field(store, coordinator, people, changes, fragment):
    fields = dict(reference="DHR-2026-02", pseudonym="Bea", csp="CSP", notification_date="2026-05-04") | changes
    with pytest.raises(ValidationError) as error:
        register.create_review(store, coordinator, today=TODAY, **fields)
    assert fragment in str(error.value)
    assert store.read()["reviews"].count == 0


def test_duplicate_reference_refused(store, coordinator, review):
    with pytest.raises(ValidationError, match="already in the register"):
        register.create_review(
            store, coordinator, reference=review, pseudonym="X", csp="C", notification_date="2026-05-04", today=TODAY
        )


def test_complete_stages_in_order_with_decision(store, coordinator, review):
    hold(store, coordinator, review)
    register.complete_stage(
        store, coordinator, review, stage="home_office_notified", completed_on="2026-05-21", today=TODAY
    )
    loaded = register.get_review(store, coordinator, review)
    # the chair named at registration was in place when the Home Office was told
    assert loaded.decision == "hold" and loaded.current_stage == "chair_appointed"
    assert loaded.stage_dates["chair_appointed"] == loaded.stage_dates["home_office_notified"]
    assert loaded.stages["decision"].recorded_by == "coord"


@pytest.mark.parametrize(
    "stage, completed_on, fragment",
    [
        ("chair_appointed", "2026-05-20", "the next stage is 'decision'"),
        ("decision", "2026-05-01", "before notification was completed"),
        ("decision", "2027-01-01", "in the future"),
    ],
)
def test_stage_out_of_order_refused(store, coordinator, review, stage, completed_on, fragment):
    with pytest.raises(ValidationError) as error:
        register.complete_stage(
            store, coordinator, review, stage=stage, completed_on=completed_on, decision="hold", today=TODAY
        )
    assert fragment in str(error.value)
    assert register.get_review(store, coordinator, review).current_stage == "notification"


def test_not_to_hold_needs_reasons_and_takes_the_short_path(store, coordinator, review):
    with pytest.raises(ValidationError, match="decision_reasons"):
        register.complete_stage(
            store, coordinator, review, stage="decision", completed_on="2026-05-10", decision="not_to_hold", today=TODAY
        )
    register.complete_stage(
        store,
        coordinator,
        review,
        stage="decision",
        completed_on="2026-05-10",
        decision="not_to_hold",
        decision_reasons="Natural causes",
        today=TODAY,
    )
    assert register.get_review(store, coordinator, review).next_stage == "home_office_notified"
    register.complete_stage(
        store, coordinator, review, stage="home_office_notified", completed_on="2026-05-12", today=TODAY
    )
    register.complete_stage(store, coordinator, review, stage="closed", completed_on="2026-05-13", today=TODAY)
    loaded = register.get_review(store, coordinator, review)
    assert loaded.next_stage is None and not loaded.is_open
    statuses = {d.deadline: d.status for d in register.review_deadlines(loaded, store, TODAY)}
    assert statuses == {"decision": "met", "chair_appointed": "not_applicable", "completion": "not_applicable"}


def test_undo_last_stage_restores_pending_decision(store, coordinator, review):
    hold(store, coordinator, review)
    assert register.undo_last_stage(store, coordinator, review) == "decision"
    assert register.get_review(store, coordinator, review).decision == "pending"


def test_only_the_coordinator_records_the_decision(store, people, review):
    with pytest.raises(PermissionDenied):
        register.complete_stage(
            store, people["chair"], review, stage="decision", completed_on="2026-05-20", decision="hold", today=TODAY
        )


def test_pause_moves_completion_and_open_pause_pauses_it(store, coordinator, review):
    hold(store, coordinator, review, on="2026-05-20")  # completion due 20 Nov 2026
    pause_id = pauses.add_pause(
        store, coordinator, review, reason="criminal_trial", start="2026-07-01", agreed_with_home_office=True
    )
    completion = lambda: next(  # noqa: E731
        d
        for d in register.review_deadlines(register.get_review(store, coordinator, review), store, TODAY)
        if d.deadline == "completion"
    )
    assert completion().status == "paused"
    pauses.end_pause(store, coordinator, review, pause_id=pause_id, end="2026-07-30")
    assert completion().due == date(2026, 12, 20) and completion().paused_days == 30


def test_pause_ending_before_it_starts_is_refused_and_nothing_stored(store, coordinator, review):
    with pytest.raises(ValidationError, match=r"pauses\[0\]\.end"):
        pauses.add_pause(store, coordinator, review, reason="inquest", start="2026-07-01", end="2026-06-01")
    assert store.read()["pauses"].count == 0
    with pytest.raises(ValidationError, match="reason"):
        pauses.add_pause(store, coordinator, review, reason="holiday", start="2026-07-01")


def test_agency_return_due_from_rule_set_chased_and_received(store, coordinator, review):
    return_id = returns.request_return(store, coordinator, review, agency="Police", kind="IMR", requested="2026-06-01")
    returns.record_chase(store, coordinator, review, return_id=return_id, chased_on="2026-07-02", note="email")
    loaded = register.get_review(store, coordinator, review)
    assert loaded.returns[0].due == date(2026, 6, 29) and loaded.returns[0].chases == [date(2026, 7, 2)]
    status = [d for d in register.review_deadlines(loaded, store, TODAY) if d.deadline == "agency_return"][0]
    assert status.status == "overdue"
    returns.record_return_received(store, coordinator, review, return_id=return_id, received="2026-07-10")
    with pytest.raises(ValidationError, match="already received"):
        returns.record_chase(store, coordinator, review, return_id=return_id, chased_on="2026-07-11")
    with pytest.raises(ValidationError, match="unknown agency"):
        returns.request_return(store, coordinator, review, agency="Nobody", kind="IMR", requested="2026-06-01")


def test_received_before_requested_refused(store, coordinator, review):
    return_id = returns.request_return(store, coordinator, review, agency="Police", kind="IMR", requested="2026-06-01")
    with pytest.raises(ValidationError, match="received"):
        returns.record_return_received(store, coordinator, review, return_id=return_id, received="2026-05-01")
    assert register.get_review(store, coordinator, review).returns[0].received is None


# ----------------------------------------------------------------- access


def test_the_same_return_requested_twice_is_refused_so_chasers_go_once(store, coordinator, review):
    first = returns.request_return(store, coordinator, review, agency="Police", kind="IMR", requested="2026-06-01")
    chronology = returns.request_return(
        store, coordinator, review, agency="Police", kind="chronology", requested="2026-06-01"
    )
    with pytest.raises(ValidationError, match="Police was already asked for the IMR .* on 01 Jun 2026: record a chase"):
        returns.request_return(store, coordinator, review, agency="Police", kind="IMR", requested="2026-06-08")
    with pytest.raises(ValidationError, match="already asked for the IMR"):  # nor made a twin by a correction
        returns.update_return(
            store,
            coordinator,
            review,
            return_id=chronology,
            agency="Police",
            kind="IMR",
            requested="2026-06-01",
            due="2026-06-29",
        )
    requested = register.get_review(store, coordinator, review).returns
    assert [(r.id, r.kind) for r in requested] == [(first, "IMR"), (chronology, "chronology")]
    # correcting a request itself is not a duplicate of it
    returns.update_return(
        store,
        coordinator,
        review,
        return_id=first,
        agency="Police",
        kind="IMR",
        requested="2026-06-02",
        due="2026-06-30",
    )


def test_chair_sees_only_assigned_reviews(store, people, coordinator, review, new_review):
    new_review("DHR-2026-03", pseudonym="Cy", notification_date="2026-05-04", chair="chair2")
    assert [r.reference for r in register.list_reviews(store, people["chair"])] == ["DHR-2026-01"]
    with pytest.raises(NotFound):
        register.get_review(store, people["chair"], "DHR-2026-03")
    with pytest.raises(NotFound):
        register.confidential_register(store, people["chair"], "DHR-2026-03")


@pytest.mark.parametrize("who", ["police.lead", "partner", "board"])
def test_non_case_roles_see_no_case_records(store, people, review, who):
    viewer = people[who]
    for call in (
        lambda: register.list_reviews(store, viewer),
        lambda: register.get_review(store, viewer, review),
        lambda: register.confidential_register(store, viewer, review),
        lambda: register.all_deadlines(store, viewer, TODAY),
        lambda: pauses.add_pause(store, viewer, review, reason="inquest", start="2026-06-01"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_confidential_register_for_coordinator_and_chair(store, people, coordinator, review):
    register.add_confidential_name(store, coordinator, review, category="victim", name="Real Name")
    assert [n["name"] for n in register.confidential_register(store, people["chair"], review)] == ["Real Name"]
    with pytest.raises(ValidationError, match="category"):
        register.add_confidential_name(store, coordinator, review, category="neighbour", name="X")


def test_stage_counts_are_aggregate(store, coordinator, review):
    counts = register.stage_counts(store)
    assert counts["notification"] == 1 and sum(counts.values()) == 1


def test_update_review_is_for_the_coordinator_and_checked(store, people, coordinator, review):
    register.update_review(store, coordinator, review, {"chair": "chair2", "notes": "Chair changed"})
    assert register.get_review(store, coordinator, review).chair == "chair2"
    with pytest.raises(NotFound):  # no longer this chair's review
        register.update_review(store, people["chair"], review, {"notes": "x"})
    with pytest.raises(PermissionDenied):
        register.update_review(store, people["chair2"], review, {"notes": "x"})
    with pytest.raises(ValidationError, match="death_date"):
        register.update_review(store, coordinator, review, {"death_date": "2026-06-01"})
    with pytest.raises(ValidationError, match="reference: cannot be changed"):
        register.update_review(store, coordinator, review, {"reference": "DHR-9"})
    assert register.get_review(store, coordinator, review).death_date == date(2026, 5, 1)


def test_chair_appointment_needs_a_chair_assigned(store, coordinator, new_review):
    reference = new_review("DHR-2026-04", pseudonym="Di", notification_date="2026-05-04")
    hold(store, coordinator, reference)
    register.complete_stage(
        store, coordinator, reference, stage="home_office_notified", completed_on="2026-05-21", today=TODAY
    )
    with pytest.raises(ValidationError, match="choose the independent chair"):
        register.complete_stage(
            store, coordinator, reference, stage="chair_appointed", completed_on="2026-05-22", today=TODAY
        )


def test_completing_the_chair_appointment_names_the_chair_appointed(store, people, coordinator, new_review):
    """Recording "Independent chair appointed" asks which chair: the one chosen becomes the review's
    chair, in the same write; only an account with the chair role can be chosen."""
    reference = new_review("DHR-2026-05", pseudonym="Di", notification_date="2026-05-04")
    hold(store, coordinator, reference)
    register.complete_stage(
        store, coordinator, reference, stage="home_office_notified", completed_on="2026-05-21", today=TODAY
    )
    appoint = {"stage": "chair_appointed", "completed_on": "2026-05-22", "today": TODAY}
    with pytest.raises(ValidationError, match="not an account with the chair role"):
        register.complete_stage(store, coordinator, reference, chair="partner", **appoint)
    assert register.get_review(store, coordinator, reference).chair is None  # nothing half-written
    register.complete_stage(store, coordinator, reference, chair="chair2", **appoint)
    review = register.get_review(store, coordinator, reference)
    assert review.chair == "chair2" and review.stage_dates["chair_appointed"] == date(2026, 5, 22)
    assert register.get_review(store, people["chair2"], reference).reference == reference  # now theirs to see


def test_a_chair_cannot_appoint_another_chair(store, people, coordinator, review):
    register.update_review(store, coordinator, review, {"chair": "chair"})
    hold(store, coordinator, review)
    register.complete_stage(
        store, coordinator, review, stage="home_office_notified", completed_on="2026-05-21", today=TODAY
    )
    register.undo_last_stage(store, coordinator, review)  # the named chair's appointment, recorded with it
    appoint = {"stage": "chair_appointed", "completed_on": "2026-05-22", "today": TODAY}
    with pytest.raises(PermissionDenied):
        register.complete_stage(store, people["chair"], review, chair="chair2", **appoint)
    register.complete_stage(store, people["chair"], review, **appoint)
    assert register.get_review(store, coordinator, review).chair == "chair"


def test_every_write_leaves_an_audit_trail(store, coordinator, review):
    hold(store, coordinator, review)
    audit = list(store.read()["audit_log"].rows_where("actor = 'coord'"))
    assert {"reviews", "stage_events", "review_agencies"} <= {row["entity"] for row in audit}


def test_reviews_read_together_equal_reviews_read_one_by_one(store, coordinator, review, new_review):
    """The register reads every review's stages, pauses, returns, agencies and panel with one query per
    table; each review comes out as it does read on its own."""
    from reviews import pauses, returns
    from reviews.records import review_from_row, reviews_from_rows

    hold(store, coordinator, review)
    other = new_review("DHR-2026-09", pseudonym="Bo", notification_date="2026-06-01")
    pauses.add_pause(store, coordinator, review, reason="inquest", start="2026-06-01", end="2026-06-20")
    returns.request_return(store, coordinator, review, agency="Police", kind="IMR", requested="2026-06-01")
    register.add_panel_member(store, coordinator, review, name="A Person", agency="Police")
    db = store.read()
    rows = list(db["reviews"].rows_where(order_by="reference"))
    together = reviews_from_rows(db, rows)
    assert together == [review_from_row(db, row) for row in rows]
    assert [r.reference for r in together] == ["DHR-2026-01", other]
    assert together[0].pauses and together[0].returns and together[0].panel and together[0].agencies == ["Police"]
    assert not together[1].pauses and not together[1].returns
