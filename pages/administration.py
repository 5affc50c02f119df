"""Administration (coordinator): accounts, agencies and deadline rule sets."""

import json

import pandas as pd
import streamlit as st

from core import accounts
from core.agencies import add_agency, list_agencies
from reviews.rules import install_rule_set, load_rule_set, rule_set_names
from ui.session import attempt, get_store, show_flash, submit, viewer

store, me = get_store(), viewer()
st.title("Administration")
show_flash()
users_tab, agencies_tab, rules_tab = st.tabs(["Accounts", "Agencies", "Deadline rule sets"])

with users_tab:
    users = pd.DataFrame(accounts.list_users(store))
    st.dataframe(
        users[["username", "display_name", "role", "agency", "locked_until"]].rename(
            columns={
                "username": "User name",
                "display_name": "Name",
                "role": "Role",
                "agency": "Agency",
                "locked_until": "Locked until",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    agencies = list_agencies(store.read())
    with st.form("add_user", clear_on_submit=True):
        st.markdown("**Add an account**")
        c1, c2 = st.columns(2)
        username = c1.text_input("User name")
        name = c2.text_input("Display name")
        role = c1.selectbox("Role", list(accounts.ROLES), format_func=accounts.ROLES.get)
        agency = c2.selectbox("Agency (agency leads)", agencies, index=None)
        password = st.text_input(
            "Initial password", type="password", help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters"
        )
        submit(
            "Add account",
            lambda: accounts.add_user(
                store,
                actor=me.username,
                username=username,
                password=password,
                role=role,
                display_name=name,
                agency=agency,
            ),
            f"Account {username} added.",
        )
    with st.form("reset_password", clear_on_submit=True):
        st.markdown("**Reset a password** (also unlocks the account)")
        who = st.selectbox("Account", list(users["username"]))
        new_password = st.text_input("New password", type="password")
        submit(
            "Reset password",
            lambda: accounts.reset_password(store, actor=me.username, username=who, password=new_password),
            f"Password reset for {who}.",
        )

with agencies_tab:
    st.write(", ".join(agencies))
    with st.form("add_agency", clear_on_submit=True):
        new_agency = st.text_input("Agency name")
        submit("Add agency", lambda: add_agency(store, actor=me.username, name=new_agency), f"{new_agency} added.")

with rules_tab:
    for name in rule_set_names(store.read()):
        rule_set = load_rule_set(store.read(), name)
        with st.expander(f"{rule_set.name} (version {rule_set.version})"):
            st.caption(rule_set.title)
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Deadline": r.label,
                            "Basis": r.basis,
                            "Period": r.period.describe(),
                            "Rule": r.rule,
                            "Source": r.source,
                        }
                        for r in rule_set.deadlines
                    ]
                    + [
                        {
                            "Deadline": rule_set.agency_returns.label,
                            "Basis": rule_set.agency_returns.basis,
                            "Period": rule_set.agency_returns.period.describe(),
                            "Rule": rule_set.agency_returns.rule,
                            "Source": rule_set.agency_returns.source,
                        }
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
    upload = st.file_uploader("Add a rule set (JSON, in the same form as HO-2016)", type=["json"])
    if upload is not None and st.button("Install rule set"):
        try:
            document = json.loads(upload.getvalue().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            st.error(f"Nothing was installed: the file is not valid JSON ({error}).")
        else:
            if attempt(lambda: install_rule_set(store, actor=me.username, document=document), "Rule set installed."):
                st.rerun()
