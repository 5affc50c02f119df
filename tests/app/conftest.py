"""AppTest fixtures: the real app.py on a demo workspace in a temporary data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import accounts
from core.schema import open_store
from core.settings import database_path
from demo import build_demo_workspace
from demo.library import build_demo_library

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo-data")
    store = open_store(database_path(directory))
    build_demo_workspace(store)
    build_demo_library(store)
    store.close()
    return directory


def open_signed_in(data_dir: Path, monkeypatch, viewer, page: str, query: dict | None = None) -> AppTest:
    """The app on ``data_dir`` signed in as ``viewer``, switched to ``page`` (with ``query`` in the URL)."""
    monkeypatch.setenv("DHR_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["viewer"] = viewer
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


@pytest.fixture
def app(demo_dir, monkeypatch):
    """Return a function that opens the app signed in as a demo user (or signed out)."""
    monkeypatch.setenv("DHR_DATA_DIR", str(demo_dir))

    def open_app(username: str | None = None, page: str | None = None, query: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if username:
            store = open_store(database_path(demo_dir))
            at.session_state["viewer"] = accounts.get_viewer(store, username)
            store.close()
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return open_app
