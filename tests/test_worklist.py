"""The Actions page's filters and an agency lead's "due soonest" list; the overview's headline figures."""

from datetime import date

from recommendations import plan
from recommendations.figures import partnership_headline
from recommendations.worklist import ActionFilters, due_soonest, filter_actions, what_to_update
from tests.conftest import TODAY
from tests.test_qa import held_review


def _actions(store, coordinator, reference: str) -> dict[str, int]:
    rec = plan.add_recommendation(
        store, coordinator, reference, number="1", text="Train staff on stalking", scope="multi-agency"
    )
    made = {}
    for name, agency, target in [
        ("late", "Police", "2026-10-01"),
        ("soon", "Police", "2026-12-10"),
        ("later", "Police", "2027-06-30"),
        ("undated", "Police", None),
        ("health", "Housing", "2026-09-01"),
        ("done", "Police", "2026-08-01"),
    ]:
        made[name] = plan.add_action(
            store,
            coordinator,
            reference,
            recommendation_id=rec,
            description=f"Action {name}",
            owner_agency=agency,
            target_date=target,
        )
    plan.update_action(
        store,
        coordinator,
        made["done"],
        note="Done",
        evidence="Training register",
        status="complete",
        noted_on="2026-07-30",
        today=TODAY,
    )
    plan.update_action(store, coordinator, made["later"], note="Course booked", noted_on="2026-11-01", today=TODAY)
    return made


def test_an_agency_lead_sees_their_open_actions_due_soonest_with_what_to_update(store, coordinator, people):
    reference = held_review(store, coordinator, "DHR-2025-01")
    _actions(store, coordinator, reference)
    mine = plan.list_actions(store, people["police.lead"])
    rows = due_soonest(mine, TODAY)
    assert [r["Action"] for r in rows] == ["Action late", "Action soon", "Action later", "Action undated"]
    update = {r["Action"]: r["What to update"] for r in rows}
    assert update["Action late"].startswith("Overdue by 53 day(s)")
    assert "no progress recorded yet" in update["Action late"]
    assert update["Action soon"].startswith("Due in 17 day(s): record progress or completion")
    assert update["Action later"] == "Due in 219 day(s): on track (last update 22 day(s) ago)"
    assert update["Action undated"].startswith("No target date: agree one with the coordinator")


def test_filters_put_overdue_first_and_complete_last(store, coordinator):
    reference = held_review(store, coordinator, "DHR-2025-01")
    _actions(store, coordinator, reference)
    actions = plan.list_actions(store, coordinator)
    ordered = [a.description for a in filter_actions(actions, ActionFilters(), TODAY)]
    assert ordered == [
        "Action health",
        "Action late",
        "Action soon",
        "Action later",
        "Action undated",
        "Action done",
    ]
    overdue = filter_actions(actions, ActionFilters(window="overdue"), TODAY)
    assert [a.description for a in overdue] == ["Action health", "Action late"]
    soon = filter_actions(actions, ActionFilters(window="30", agencies=("Police",)), TODAY)
    assert [a.description for a in soon] == ["Action soon"]
    assert what_to_update(actions[0], date(2027, 1, 1)).startswith("Overdue")


def test_partnership_headline(store, coordinator):
    reference = held_review(store, coordinator, "DHR-2025-01")
    _actions(store, coordinator, reference)
    assert partnership_headline(store, TODAY) == {
        "Reviews in progress": "1",
        "Published, not yet closed": "0",
        "Reviews published": "0",
        "Recommendations made": "1",
        "Actions complete": "1 of 6",
        "Actions overdue": "2",
    }
