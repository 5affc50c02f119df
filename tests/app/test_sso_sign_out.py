"""Single sign-on in the real app.py: once the provider's sign-in is ended (``st.logout``), the run stops,
so nothing acts on the identity it has just emptied (it was once offered to the coordinator as a request
from nobody)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import accounts, sso
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


def test_the_run_stops_once_the_providers_sign_in_is_ended(tmp_path, monkeypatch):
    monkeypatch.setenv("DHR_DATA_DIR", str(tmp_path))
    store = open_store(database_path(tmp_path))
    coordinator = accounts.create_first_coordinator(store, username="sam", password="lantern meadow copper")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": "https://login.example/tenant", "sub": "0f3a", "email": "jo@example.org"}
    at.session_state["signed_out"] = "You were signed out after 120 minutes without a click."
    at.run()
    assert not at.exception and not at.error  # stopped: nothing went on to sign in an emptied identity
    assert sso.requests(store, coordinator) == []
    assert not store.read()["sign_in_events"].count
    store.close()


def test_a_provider_sign_in_naming_no_one_is_refused_in_words(tmp_path, monkeypatch):
    monkeypatch.setenv("DHR_DATA_DIR", str(tmp_path))
    store = open_store(database_path(tmp_path))
    coordinator = accounts.create_first_coordinator(store, username="sam", password="lantern meadow copper")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": "https://login.example/tenant", "sub": "", "email": "jo@example.org"}
    at.run()
    assert not at.exception
    assert "did not say who you are" in at.error[0].value
    assert sso.requests(store, coordinator) == []
    store.close()
