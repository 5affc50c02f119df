"""The register as read on its page: chairs by name, found by name, filters applied in the domain."""

from core import accounts
from reviews import register
from reviews.listing import RegisterFilters, register_rows
from tests.conftest import COORD, PASSWORD, TODAY


def _reviews(store, coordinator):
    accounts.add_user(store, COORD, username="m.ellis", password=PASSWORD, role="chair", display_name="Dr Morgan Ellis")
    for reference, pseudonym, chair in [("DHR-2026-01", "Ava", "m.ellis"), ("DHR-2026-02", "Bea", None)]:
        register.create_review(
            store,
            coordinator,
            reference=reference,
            pseudonym=pseudonym,
            csp="C",
            notification_date="2026-05-04",
            chair=chair,
            today=TODAY,
        )
    return register.list_reviews(store, coordinator)


def test_the_register_shows_chairs_by_name_and_finds_them_by_name(store, coordinator):
    reviews = _reviews(store, coordinator)
    rows = register_rows(store, reviews, RegisterFilters(), TODAY)
    assert {r["Reference"]: r["Chair"] for r in rows} == {"DHR-2026-01": "Dr Morgan Ellis", "DHR-2026-02": "—"}
    for text in ("morgan", "ELLIS", "m.ellis", "dhr-2026-01", "ava"):
        found = register_rows(store, reviews, RegisterFilters(text=text), TODAY)
        assert [r["Reference"] for r in found] == ["DHR-2026-01"], text


def test_the_register_filters_by_stage_and_decision(store, coordinator):
    reviews = _reviews(store, coordinator)
    assert register_rows(store, reviews, RegisterFilters(stages=("decision",)), TODAY) == []
    pending = register_rows(store, reviews, RegisterFilters(decisions=("pending",)), TODAY)
    assert len(pending) == 2 and all(r["Decision"] == "Decision pending" for r in pending)
