"""My account: who I am and my password."""

import streamlit as st

from core.accounts import ROLES, authenticate, reset_password
from core.errors import AccountLocked, AuthenticationFailed
from ui.session import attempt, get_store, show_flash, viewer

store, me = get_store(), viewer()
st.title("My account")
show_flash()
st.write(f"**{me.display_name}** · {ROLES[me.role]}" + (f" · {me.agency}" if me.agency else ""))
with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password")
    new = st.text_input("New password", type="password")
    repeat = st.text_input("Repeat the new password", type="password")
    if st.form_submit_button("Change password"):
        if new != repeat:
            st.error("The two new passwords differ; nothing was changed.")
        else:
            try:
                authenticate(store, me.username, current)
            except (AuthenticationFailed, AccountLocked) as error:
                st.error(f"Nothing was changed: {error}.")
            else:
                if attempt(
                    lambda: reset_password(store, actor=me.username, username=me.username, password=new),
                    "Password changed.",
                ):
                    st.rerun()
