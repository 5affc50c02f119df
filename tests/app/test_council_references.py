"""A council's own references ("BAR/DHR/24/03" imported as BAR-DHR-24-03) are longer than the demo's
DHR-2026-02: the register, the dashboard and the actions show them whole at 1400 px (two reviews of one
year differed only in the cut-off digits), with the columns a person needs still in view."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core import accounts
from core.schema import open_store
from core.settings import database_path
from demo import build_demo_workspace
from recommendations import plan
from reviews import register
from tests.app.conftest import open_signed_in
from tests.app.test_tables import PAGE_PX, ROW_SELECTOR_PX, in_view

REFERENCE = "BAR-DHR-24-03"
SHOWS_IT_WHOLE = 7 * len(REFERENCE) + 16  # Source Sans at the grid's size, and the cell's padding


@pytest.fixture(scope="module")
def council_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("council-references")
    store = open_store(database_path(directory))
    build_demo_workspace(store)
    coordinator = accounts.get_viewer(store, "coordinator")
    register.create_review(
        store, coordinator, reference=REFERENCE, pseudonym="Renée", csp="Barnet", notification_date="2024-06-21"
    )
    rec = plan.add_recommendation(
        store, coordinator, REFERENCE, number="1", text="Audit MARAC repeats", scope="single-agency"
    )
    plan.add_action(
        store,
        coordinator,
        REFERENCE,
        recommendation_id=rec,
        description="Audit 20 cases",
        owner_agency="Police",
        target_date=date(2025, 3, 31),
    )
    store.close()
    return directory


@pytest.mark.parametrize(
    "page, column, needed, budget",
    [
        ("pages/register.py", "Reference", ["Stage", "Chair", "Next deadline", "Due"], PAGE_PX - ROW_SELECTOR_PX),
        ("pages/dashboard.py", "Review", ["What", "Item", "When"], PAGE_PX),
        ("pages/actions.py", "Review", ["Owner agency", "Lead officer", "Target", "Status"], PAGE_PX),
    ],
)
def test_a_council_reference_is_shown_whole(council_dir, monkeypatch, page, column, needed, budget):
    store = open_store(database_path(council_dir))
    coordinator = accounts.get_viewer(store, "coordinator")
    store.close()
    at = open_signed_in(council_dir, monkeypatch, coordinator, page)
    table = at.dataframe[0]
    assert REFERENCE in table.value.astype(str).to_string()
    assert json.loads(table.proto.columns)[column]["width"] >= SHOWS_IT_WHOLE
    assert in_view(table.proto, [column, *needed], budget=budget) == []
