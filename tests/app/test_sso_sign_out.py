"""Single sign-on in the real app.py: once the provider's sign-in is ended (``st.logout``), the run stops,
so nothing acts on the identity it has just emptied (it was once offered to the coordinator as a request
from nobody)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import accounts, sso
from core.accounts import Viewer
from core.db import Store
from core.schema import open_store
from core.settings import database_path
from tests.app.conftest import APP, TIMEOUT

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "dhr",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
}


def _signed_in_by_provider(tmp_path, monkeypatch, subject: str, **state) -> tuple[AppTest, Store, Viewer]:
    """app.py, on a workspace with its first coordinator, for someone the provider signed in."""
    monkeypatch.setenv("DHR_DATA_DIR", str(tmp_path))
    store = open_store(database_path(tmp_path))
    coordinator = accounts.create_first_coordinator(store, username="sam", password="lantern meadow copper")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": "https://login.example/tenant", "sub": subject, "email": "jo@example.org"}
    for key, value in state.items():
        at.session_state[key] = value
    return at.run(), store, coordinator


def test_the_run_stops_once_the_providers_sign_in_is_ended(tmp_path, monkeypatch):
    signed_out = "You were signed out after 120 minutes without a click."
    at, store, coordinator = _signed_in_by_provider(tmp_path, monkeypatch, "0f3a", signed_out=signed_out)
    assert not at.exception and not at.error  # stopped: nothing went on to sign in an emptied identity
    assert sso.requests(store, coordinator) == []
    assert not store.read()["sign_in_events"].count
    store.close()


def test_a_provider_sign_in_naming_no_one_is_refused_in_words(tmp_path, monkeypatch):
    at, store, coordinator = _signed_in_by_provider(tmp_path, monkeypatch, "")
    assert not at.exception
    assert "did not say who you are" in at.error[0].value
    assert sso.requests(store, coordinator) == []
    store.close()
