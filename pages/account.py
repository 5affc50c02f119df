"""My account: who I am and my password."""

import streamlit as st

from core.accounts import MIN_PASSWORD_LENGTH, ROLES, change_own_password, own_email, set_email
from ui.session import attempt, get_store, show_flash, start_session, viewer

store, me = get_store(), viewer()
st.title("My account")
show_flash()
st.write(f"**{me.display_name}** · {ROLES[me.role]}" + (f" · {me.agency}" if me.agency else ""))
with st.form("own_email"):
    email = st.text_input("Email address for reminders", value=own_email(store, me) or "")
    if st.form_submit_button("Save the address"):
        attempt(lambda: set_email(store, me, username=me.username, email=email), "Email address saved.")
with st.form("change_password"):
    current = st.text_input("Current password", type="password")
    new = st.text_input("New password", type="password", help=f"At least {MIN_PASSWORD_LENGTH} characters")
    repeat = st.text_input("Repeat the new password", type="password")
    if st.form_submit_button("Change password"):
        if new != repeat:
            st.error("Nothing was changed: the two new passwords differ.")
        elif attempt(lambda: change_own_password(store, me, current=current, new=new), "Password changed."):
            start_session(me)  # this session goes on; others signed in before the change end
            st.rerun()
