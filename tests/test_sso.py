"""Single sign-on's accounts: someone the provider signed in gets no access until the coordinator gives
them a role (or a configured claim maps to one); each sign-in, refusal and request is recorded."""

from datetime import UTC, datetime

import pytest

from core import accounts, sso
from core.errors import AuthenticationFailed, PermissionDenied, ValidationError

ISSUER = "https://login.microsoftonline.com/tenant/v2.0"


def _resolve(store, subject="0f3a", **more):
    return sso.resolve(store, issuer=ISSUER, subject=subject, email="jo.bell@northvale.gov.uk", name="Jo Bell", **more)


def test_an_unknown_person_waits_until_the_coordinator_gives_a_role(store, coordinator, people):
    assert _resolve(store) is None and _resolve(store) is None
    [waiting] = sso.requests(store, coordinator)
    assert waiting["email"] == "jo.bell@northvale.gov.uk" and waiting["attempts"] == 2
    assert store.read()["audit_log"].count_where("entity = 'sso_requests'") == 2  # the request, then again
    with pytest.raises(PermissionDenied):
        sso.requests(store, people["partner"])
    with pytest.raises(ValidationError, match="an agency lead must belong to an agency"):
        sso.grant(store, coordinator, identity_key=waiting["identity"], role="agency_lead")
    username = sso.grant(store, coordinator, identity_key=waiting["identity"], role="agency_lead", agency="Police")
    assert username == "jo.bell" and sso.requests(store, coordinator) == []
    person = _resolve(store)
    assert person.username == "jo.bell" and person.role == "agency_lead" and person.agency == "Police"
    events = [r["outcome"] for r in store.read()["sign_in_events"].rows_where("username = 'jo.bell'")]
    assert events == ["signed_in"]
    with pytest.raises(AuthenticationFailed):  # no password can open an account of the provider's
        accounts.authenticate(store, "jo.bell", "!sso-only")


def test_a_deactivated_account_is_refused_and_the_refusal_recorded(store, coordinator):
    _resolve(store)
    [waiting] = sso.requests(store, coordinator)
    sso.grant(store, coordinator, identity_key=waiting["identity"], role="partner")
    accounts.set_active(store, coordinator, username="jo.bell", active=False)
    assert _resolve(store, now=datetime(2026, 11, 24, tzinfo=UTC)) is None
    assert [r["outcome"] for r in store.read()["sign_in_events"].rows_where("username = 'jo.bell'")] == ["inactive"]


def test_a_configured_claim_gives_a_role_at_once(store):
    person = _resolve(store, claimed_roles=("DHR.Board",), role_map={"DHR.Board": "board"})
    assert person.role == "board" and person.display_name == "Jo Bell"
    # an agency lead needs an agency, which a claim cannot say: they wait instead
    assert _resolve(store, subject="77aa", claimed_roles=("Lead",), role_map={"Lead": "agency_lead"}) is None
