"""The sign-in form. In the demo workspace the fictional accounts and their password are shown."""

import streamlit as st

from core.accounts import ROLES, authenticate
from core.errors import AccountLocked, AuthenticationFailed
from demo import DEMO_PASSWORD, DEMO_USERS, is_demo
from ui.session import get_store, start_session
from ui.sso import provider_button


def sign_in_page() -> None:
    """Shown at every address while signed out; the address is kept, so signing in opens it."""
    store = get_store()
    st.title("DHR Learning Repository")
    st.write("Domestic Homicide Reviews: stages, deadlines, Home Office QA, recommendations and learning.")
    if st.session_state.get("signed_out"):
        st.info(st.session_state.pop("signed_out"), icon=":material/logout:")
    provider_button()

    with st.form("sign_in"):
        username = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            start_session(authenticate(store, username, password))
        except (AuthenticationFailed, AccountLocked) as error:
            st.error(str(error))
        else:
            st.rerun()

    if is_demo(store):
        st.info(
            "This is the fictional demo workspace. Sign in as any of these accounts "
            f"with the password `{DEMO_PASSWORD}`:",
            icon=":material/key:",
        )
        st.table(
            [{"User name": u["username"], "Role": ROLES[u["role"]], "Name": u["display_name"]} for u in DEMO_USERS]
        )
