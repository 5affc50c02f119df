"""Single sign-on's accounts: someone the provider signed in gets no access until the coordinator gives
them a role (or a configured claim maps to one); each sign-in, refusal and request is recorded."""

import threading
from datetime import UTC, datetime

import pytest

from core import accounts, sso
from core.db import Store
from core.errors import AuthenticationFailed, PermissionDenied, ValidationError

ISSUER = "https://login.microsoftonline.com/tenant/v2.0"
ROLE_MAP = {"DHR.Board": "board", "DHR.Chair": "chair"}


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


@pytest.mark.parametrize("issuer, subject", [("", "0f3a"), (ISSUER, ""), ("  ", "0f3a"), (ISSUER, " ")])
def test_a_sign_in_without_issuer_or_subject_is_refused_and_nothing_stored(store, coordinator, issuer, subject):
    with pytest.raises(AuthenticationFailed, match="did not say who you are"):
        sso.resolve(store, issuer=issuer, subject=subject, email="", name="")
    with pytest.raises(AuthenticationFailed):  # not even with a claim that maps to a role
        sso.resolve(store, issuer=issuer, subject=subject, claimed_roles=("DHR.Board",), role_map=ROLE_MAP)
    assert sso.requests(store, coordinator) == []
    assert not store.read()["users"].count_where("sso_identity IS NOT NULL")



def test_role_claims_are_read_at_every_sign_in(store, coordinator):
    assert _resolve(store, claimed_roles=("DHR.Board",), role_map=ROLE_MAP).role == "board"
    assert _resolve(store, claimed_roles=("DHR.Chair",), role_map=ROLE_MAP).role == "chair"
    # the app role removed in the provider: the role here goes too, recorded with the reason
    assert _resolve(store, claimed_roles=(), role_map=ROLE_MAP) is None
    assert accounts.current_viewer(store, "jo.bell") is None
    reasons = [r["reason"] for r in store.read()["audit_log"].rows_where("entity = 'users' AND reason IS NOT NULL")]
    assert reasons == ["the app role the provider gives changed", "the provider no longer gives an app role"]
    assert _resolve(store, claimed_roles=("DHR.Board",), role_map=ROLE_MAP).role == "board"  # given back


def test_claims_never_change_an_account_the_coordinator_manages(store, coordinator):
    _resolve(store)
    [waiting] = sso.requests(store, coordinator)
    sso.grant(store, coordinator, identity_key=waiting["identity"], role="agency_lead", agency="Police")
    assert _resolve(store, claimed_roles=("DHR.Board",), role_map=ROLE_MAP).role == "agency_lead"
    _resolve(store, subject="99bb", claimed_roles=("DHR.Board",), role_map=ROLE_MAP)
    accounts.change_role(store, coordinator, username="jo.bell2", role="partner")
    assert _resolve(store, subject="99bb", claimed_roles=(), role_map=ROLE_MAP).role == "partner"


@pytest.mark.parametrize("claims", [(), ("DHR.Board",)])
def test_two_first_sign_ins_at_once_never_raise(store, coordinator, claims):
    start = threading.Barrier(4)
    results, errors = [], []

    def sign_in() -> None:
        mine = Store(store.path)
        start.wait()
        try:
            results.append(_resolve(mine, claimed_roles=claims, role_map=ROLE_MAP))
        except Exception as error:  # noqa: BLE001 (the assertion names it)
            errors.append(error)

    for _ in range(5):
        threads = [threading.Thread(target=sign_in) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert store.read()["users"].count_where("sso_identity IS NOT NULL") == (1 if claims else 0)
    if not claims:
        [waiting] = sso.requests(store, coordinator)
        assert waiting["attempts"] == 20
