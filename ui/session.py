"""The workspace as a cached resource and the signed-in person."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import streamlit as st

from core.accounts import Viewer, current_viewer, has_accounts
from core.db import Store
from core.errors import DHRError, ValidationError
from core.schema import open_store
from core.settings import data_dir, database_path, demo_requested, session_idle_minutes
from demo import build_demo_workspace, is_demo
from demo.library import build_demo_library, is_demo_library_built
from indexing.library import Library
from indexing.themes import install_bundled_vocabulary
from recommendations import theming
from reviews.access import why_page_closed
from reviews.rules import install_bundled_rule_sets
from ui.labels import readable


@st.cache_resource(show_spinner="Opening the workspace…")
def _store_for(directory: str) -> Store:
    store = open_store(database_path(Path(directory)))
    install_bundled_rule_sets(store)
    install_bundled_vocabulary(store)  # the themes to filter by, before the first document is tagged
    if demo_requested() and not has_accounts(store):
        build_demo_workspace(store)
    return store


@st.cache_resource
def _library_for(directory: str) -> Library:
    library = Library(_store_for(directory))
    library.recreate_missing_indexes()  # a workspace restored from a backup: its indexes from the database
    library.resume_pending()  # an ingest a restart interrupted is finished, a half-saved file removed
    theming.resume_pending(library.store, library)  # suggested themes a stopped plan import owed
    return library


def get_library() -> Library:
    """The workspace's library; its embedding model loads only when a search or ingest needs it."""
    return _library_for(str(data_dir()))


_demo_library_lock = threading.Lock()


def ensure_demo_library(store: Store) -> None:
    """On the demo's first start, index the fictional library with a progress bar (once)."""
    if not is_demo(store) or is_demo_library_built(store):
        return
    with _demo_library_lock:
        if is_demo_library_built(store):
            return
        bar = st.progress(0.0, text="Indexing the fictional demo library (first start only)…")
        build_demo_library(
            store,
            progress=lambda done, total, name: bar.progress(done / total, text=f"Indexed {done} of {total}: {name}"),
        )
        bar.empty()


def get_store() -> Store:
    """The workspace for ``DHR_DATA_DIR``; an empty one is filled with the fictional demo only when
    ``DHR_DEMO=1`` asks for it."""
    return _store_for(str(data_dir()))


def viewer() -> Viewer:
    """The signed-in person; pages are only routed to after sign-in."""
    return st.session_state["viewer"]


def closed_page(title: str, home: st.Page):
    """The page at the address of one the viewer's role cannot open (a deep link, a bookmark): it opens
    their home page, which says which page did not open and why, as a case link's refusal does."""

    def closed() -> None:
        st.session_state["refused_page"] = why_page_closed(viewer(), title, st.query_params.get("ref"))
        st.switch_page(home)

    return closed


def start_session(person: Viewer) -> None:
    """Sign ``person`` in for this browser session, from now; the question encoder (ONNX Runtime, not the
    torch model) starts loading in the background, so that the first search does not wait for it."""
    now = datetime.now(UTC)
    st.session_state.update(viewer=person, signed_in_at=now, last_seen=now)
    get_library().embedder.load_in_background()


def check_session(store: Store) -> Viewer | None:
    """The signed-in person as their account is now, or None once the session has ended: the account
    was deactivated, its password changed elsewhere, or nobody clicked for the idle time."""
    if "viewer" not in st.session_state:
        return None
    now = datetime.now(UTC)
    person = current_viewer(
        store,
        st.session_state["viewer"].username,
        signed_in_at=st.session_state.get("signed_in_at"),
        last_seen=st.session_state.get("last_seen"),
        now=now,
        idle_minutes=session_idle_minutes(),
    )
    if person is None:
        for key in ("viewer", "signed_in_at", "last_seen"):
            st.session_state.pop(key, None)
        st.session_state["signed_out"] = (
            "You were signed out (idle for a while, or your account changed). Sign in again."
        )
        return None
    st.session_state.update(viewer=person, last_seen=now)
    return person


def today() -> date:
    return date.today()


def attempt(action, success: str) -> bool:
    """Run a write; show what to fix if it is refused. Nothing is stored when it fails."""
    try:
        action()
    except DHRError as error:
        problems = [readable(p) for p in (error.problems if isinstance(error, ValidationError) else [str(error)])]
        st.error(
            "Nothing was saved. "
            + ("Please fix:\n\n" if len(problems) > 1 else "")
            + "\n".join(f"- {p}" if len(problems) > 1 else p for p in problems)
        )
        return False
    st.session_state["flash"] = success
    st.session_state["form_generation"] = st.session_state.get("form_generation", 0) + 1
    return True


def form(name: str):
    """A form that keeps what was typed when a save is refused and starts empty after one succeeds
    (``clear_on_submit`` would also wipe a refused entry)."""
    return st.form(f"{name}-{st.session_state.get('form_generation', 0)}")


def show_flash() -> None:
    """Show the confirmation of the last successful write once, after the rerun."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def submit(label: str, action, success: str, **button) -> None:
    """A form's submit button that runs a write and, once it is stored, reruns the page."""
    if st.form_submit_button(label, **button) and attempt(action, success):
        st.rerun()
