"""DHR Learning Repository: entry point. Page config, sign-in gate, navigation by role."""

from __future__ import annotations

import streamlit as st

from core.accounts import ROLES
from demo import DEMO_NOTICE, is_demo
from ui.session import get_store

st.set_page_config(page_title="DHR Learning Repository", page_icon=":material/balance:", layout="wide")

store = get_store()
viewer = st.session_state.get("viewer")

if is_demo(store):
    st.sidebar.warning(DEMO_NOTICE, icon=":material/theater_comedy:")

if viewer is None:
    navigation = st.navigation([st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:")], position="hidden")
else:
    case_pages = [
        st.Page("pages/dashboard.py", title="Dashboard", icon=":material/dashboard:", default=True),
        st.Page("pages/register.py", title="Review register", icon=":material/folder_open:", url_path="reviews"),
        st.Page("pages/review.py", title="Review", icon=":material/description:", url_path="review"),
    ]
    overview = [st.Page("pages/overview.py", title="Overview", icon=":material/insights:", default=True)]
    admin = [
        st.Page("pages/new_review.py", title="Register a death", icon=":material/add_circle:", url_path="new-review"),
        st.Page("pages/administration.py", title="Administration", icon=":material/manage_accounts:"),
    ]
    account = [st.Page("pages/account.py", title="My account", icon=":material/person:")]
    by_role = {
        "coordinator": {"Reviews": case_pages, "Coordinator": admin, "Account": account},
        "chair": {"Reviews": case_pages, "Account": account},
    }
    sections = by_role.get(viewer.role, {"Partnership": overview, "Account": account})
    navigation = st.navigation(sections)
    with st.sidebar:
        st.caption(f"Signed in as **{viewer.display_name}** · {ROLES[viewer.role]}")
        if st.button("Sign out", icon=":material/logout:"):
            del st.session_state["viewer"]
            st.rerun()

navigation.run()
