"""The first-run screen of an empty workspace: create the first coordinator account, nothing else."""

import streamlit as st

from core.accounts import MIN_PASSWORD_LENGTH, create_first_coordinator
from ui.session import attempt, get_store, start_session


def first_run_page() -> None:
    store = get_store()
    st.title("DHR Learning Repository")
    st.subheader("Set up this workspace")
    st.write(
        "This workspace is empty. Create the first account: the DHR coordinator, who then adds the "
        "other accounts, the agencies and the reviews from the Administration page."
    )
    with st.form("first_coordinator"):
        username = st.text_input("User name", help="Letters, digits, '.', '-' or '_'")
        name = st.text_input("Your name")
        password = st.text_input(
            "Password",
            type="password",
            help=f"At least {MIN_PASSWORD_LENGTH} characters; three unrelated words work well. "
            "Common passwords and keyboard patterns are refused.",
        )
        repeat = st.text_input("Repeat the password", type="password")
        submitted = st.form_submit_button("Create the coordinator account", type="primary")
    if submitted:
        if password != repeat:
            st.error("Nothing was saved: the two passwords differ.")
        elif attempt(
            lambda: start_session(
                create_first_coordinator(store, username=username, password=password, display_name=name)
            ),
            "The coordinator account is ready. Next: add agencies and accounts on the Administration page.",
        ):
            st.rerun()
