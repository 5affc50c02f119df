"""The agencies a workspace knows: the statutory list on a fresh workspace, renamed or removed."""

from __future__ import annotations

import pytest

from core.agencies import (
    DEFAULT_AGENCIES,
    add_agency,
    contacts,
    list_agencies,
    remove_agency,
    rename_agency,
    set_contact,
)
from core.errors import PermissionDenied, ValidationError
from core.schema import open_store
from recommendations import plan
from reviews import register
from tests.conftest import run


def test_a_fresh_workspace_starts_with_the_statutory_agencies(tmp_path):
    fresh = open_store(tmp_path / "dhr.sqlite")
    assert list_agencies(fresh.read()) == sorted(DEFAULT_AGENCIES)
    assert "Police" in run(tmp_path / "cli", "core", "agencies", "list").stdout


def test_renaming_reaches_every_record_and_is_audited(store, coordinator, people, new_review):
    reference = new_review("DHR-2026-01", agencies=["Police"], chair="chair")
    register.add_panel_member(store, coordinator, reference, name="DI Shaw", agency="Police")
    with pytest.raises(PermissionDenied):
        rename_agency(store, people["partner"], name="Police", new_name="Northvale Police")
    rename_agency(store, coordinator, name="Police", new_name="Northvale Police")
    review = register.get_review(store, coordinator, reference)
    assert review.agencies == ["Northvale Police"] and review.panel[0]["agency"] == "Northvale Police"
    assert next(store.read()["users"].rows_where("username = 'police.lead'"))["agency"] == "Northvale Police"
    assert "Police" not in list_agencies(store.read())
    assert store.read()["audit_log"].count_where("entity = 'panel_members' AND after LIKE '%Northvale Police%'") == 1
    with pytest.raises(ValidationError, match="already listed"):
        rename_agency(store, coordinator, name="Housing", new_name="northvale police")


def test_an_agency_in_use_is_not_removed_and_an_unused_one_is(store, coordinator, new_review):
    new_review("DHR-2026-01", agencies=["Housing"])
    with pytest.raises(ValidationError, match="rename it instead"):
        remove_agency(store, coordinator, name="Housing")
    add_agency(store, coordinator, name="Fire and Rescue Service")
    remove_agency(store, coordinator, name="Fire and Rescue Service")
    assert "Fire and Rescue Service" not in list_agencies(store.read())


def test_renaming_keeps_the_chaser_contact_and_recommendations_targets(store, coordinator, new_review):
    reference = new_review("DHR-2026-01")
    set_contact(store, coordinator, name="Police", contact_name="DS Kay", contact_email="kay@example.org")
    targeted = plan.add_recommendation(
        store,
        coordinator,
        reference,
        number="1",
        text="Train call handlers",
        scope="multi-agency",
        target_agencies=["Police", "Housing"],
    )
    rename_agency(store, coordinator, name="Police", new_name="Northvale Police")
    assert contacts(store.read())["Northvale Police"] == {"name": "DS Kay", "email": "kay@example.org"}
    recommendation = plan.recommendations_for(store, coordinator, reference)[0]
    assert recommendation.id == targeted and recommendation.target_agencies == ["Northvale Police", "Housing"]
    # a name only a recommendation's targets use is in use: renamed, never removed from under it
    with pytest.raises(ValidationError, match="rename it instead"):
        remove_agency(store, coordinator, name="Housing")
