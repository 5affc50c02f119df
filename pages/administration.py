"""Administration (coordinator): the workspace's settings, accounts, agencies, rule sets, themes, backup."""

from pathlib import Path

import pandas as pd
import streamlit as st

from core import accounts, backup, workspace
from core.agencies import add_agency, list_agencies, remove_agency, rename_agency
from core.jsonfile import read_json
from indexing.themes import GROUPS, add_themes, install_bundled_vocabulary, list_themes
from reviews.register import default_rule_set
from reviews.rules import install_rule_set, load_rule_set, rule_set_names, rule_set_versions
from ui.email_admin import agency_contacts, email_addresses, email_tab
from ui.format import data_table
from ui.session import attempt, form, get_store, show_flash, submit, today, viewer
from ui.sso import waiting_requests
from ui.uploads import limited_uploader

store, me = get_store(), viewer()


def json_upload(label: str, button: str, store_it, success: str) -> None:
    """A JSON file uploaded and handed to ``store_it``; what is wrong with it is said on screen."""
    upload = st.file_uploader(label, type=["json"], key=f"upload-{button}")
    if upload is None or not st.button(button):
        return
    if attempt(lambda: store_it(read_json(upload.getvalue(), what=upload.name)), success):
        st.rerun()


st.title("Administration")
show_flash()
settings_tab, users_tab, agencies_tab, email_tab_, rules_tab, themes_tab, backup_tab = st.tabs(
    ["Workspace", "Accounts", "Agencies", "Email", "Deadline rule sets", "Themes", "Backup"]
)

with settings_tab:
    settings = workspace.load(store.read())
    names = rule_set_names(store.read())
    with form("workspace"):
        st.markdown("**Your partnership** (printed on every Word document and the board report)")
        c1, c2 = st.columns(2)
        partnership = c1.text_input(
            "Partnership name", value=settings.partnership, placeholder="Northvale Community Safety Partnership"
        )
        area = c2.text_input("Area", value=settings.area, placeholder="Northvale Borough")
        window = c1.text_input(
            "Due-soon window (days)",
            value="" if settings.due_soon_days is None else str(settings.due_soon_days),
            placeholder="blank: each rule set's own window",
            help="A deadline this many days away or fewer shows as due soon.",
        )
        chosen_rule_set = c2.selectbox(
            "Rule set for new reviews", names, index=names.index(default_rule_set(store.read()))
        )
        submit(
            "Save settings",
            lambda: workspace.save(
                store, me, partnership=partnership, area=area, due_soon_days=window, rule_set=chosen_rule_set
            ),
            "Settings saved.",
        )
    st.markdown("**Logo** for the top of every Word document")
    if settings.logo:
        st.image(settings.logo, width=160)
        if st.button("Remove the logo") and attempt(lambda: workspace.set_logo(store, me, None), "Logo removed."):
            st.rerun()
    logo = limited_uploader(
        "Logo image", limit_bytes=workspace.MAX_LOGO_BYTES, types=["png", "jpg", "jpeg", "gif"], key="logo-upload"
    )
    if logo is not None and st.button("Use this logo", type="primary"):
        if attempt(lambda: workspace.set_logo(store, me, logo.getvalue()), "Logo saved."):
            st.rerun()

with users_tab:
    users = pd.DataFrame(accounts.list_users(store))
    data_table(
        users.assign(
            role=users["role"].map(accounts.ROLES),
            active=users["active"].map({1: "Active", 0: "Deactivated"}),
            locked=users["locked"].map({True: "Locked", False: ""}),
        )[["username", "display_name", "email", "role", "agency", "active", "locked"]].rename(
            columns={
                "username": "User name",
                "display_name": "Name",
                "email": "Email",
                "role": "Role",
                "agency": "Agency",
                "active": "Can sign in",
                "locked": "Sign-in locked",
            }
        ),
    )
    agencies = list_agencies(store.read())
    waiting_requests(store, me, agencies)
    email_addresses(store, me, list(users["username"]))
    with form("add_user"):
        st.markdown("**Add an account**")
        c1, c2 = st.columns(2)
        username = c1.text_input("User name")
        name = c2.text_input("Display name")
        role = c1.selectbox("Role", list(accounts.ROLES), format_func=accounts.ROLES.get, index=None)
        agency = c2.selectbox("Agency (agency leads)", agencies, index=None)
        password = st.text_input(
            "Initial password", type="password", help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters"
        )
        submit(
            "Add account",
            lambda: accounts.add_user(
                store,
                me,
                username=username,
                password=password,
                role=role,
                display_name=name,
                agency=agency,
            ),
            f"Account {username} added.",
        )
    with form("reset_password"):
        st.markdown("**Reset a password** (also unlocks the account)")
        who = st.selectbox("Account", list(users["username"]))
        new_password = st.text_input("New password", type="password")
        submit(
            "Reset password",
            lambda: accounts.reset_password(store, me, username=who, password=new_password),
            f"Password reset for {who}.",
        )
    with form("change_account"):
        st.markdown("**Change an account's role, or stop it signing in**")
        c1, c2, c3 = st.columns(3)
        account = c1.selectbox("Account", list(users["username"]), key="change_account_user")
        new_role = c2.selectbox("Role", list(accounts.ROLES), format_func=accounts.ROLES.get, index=None)
        new_agency = c3.selectbox("Agency (agency leads)", agencies, index=None, key="change_account_agency")
        b1, b2, b3 = st.columns(3)
        if (
            b1.form_submit_button("Change role")
            and new_role
            and attempt(
                lambda: accounts.change_role(store, me, username=account, role=new_role, agency=new_agency),
                f"{account} is now {accounts.ROLES.get(new_role, '')}.",
            )
        ):
            st.rerun()
        if b2.form_submit_button("Deactivate") and attempt(
            lambda: accounts.set_active(store, me, username=account, active=False),
            f"{account} can no longer sign in.",
        ):
            st.rerun()
        if b3.form_submit_button("Reactivate") and attempt(
            lambda: accounts.set_active(store, me, username=account, active=True), f"{account} can sign in again."
        ):
            st.rerun()

with agencies_tab:
    st.write(", ".join(agencies))
    with form("add_agency"):
        agency_name = st.text_input("Agency name")
        submit("Add agency", lambda: add_agency(store, me, name=agency_name), f"{agency_name} added.")
    with form("change_agency"):
        st.markdown("**Rename or remove an agency** (a rename reaches every record that names it)")
        c1, c2 = st.columns(2)
        chosen_agency = c1.selectbox("Agency", agencies, index=None, key="change-agency")
        renamed = c2.text_input("New name")
        b1, b2 = st.columns(2)
        if b1.form_submit_button("Rename") and attempt(
            lambda: rename_agency(store, me, name=chosen_agency or "", new_name=renamed), "Agency renamed."
        ):
            st.rerun()
        if b2.form_submit_button("Remove") and attempt(
            lambda: remove_agency(store, me, name=chosen_agency or ""), "Agency removed."
        ):
            st.rerun()
    agency_contacts(store, me, agencies)

with email_tab_:
    email_tab(store, me, today())

with rules_tab:
    for name in rule_set_names(store.read()):
        rule_set = load_rule_set(store.read(), name)
        with st.expander(f"{rule_set.name} (version {rule_set.version})"):
            st.caption(
                f"{rule_set.title}. Versions installed: {', '.join(rule_set_versions(store.read(), name))}; "
                "new reviews use the newest, running reviews keep theirs (Review page → Edit details to move one)."
            )
            data_table(
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
            )
    json_upload(
        "Add a rule set (JSON, in the same form as HO-2016)",
        "Install rule set",
        lambda document: install_rule_set(store, me, document=document),
        "Rule set installed.",
    )

with themes_tab:
    install_bundled_vocabulary(store)
    data_table(
        pd.DataFrame(
            [
                {
                    "Group": GROUPS[t.group],
                    "Key": t.key,
                    "Theme": t.label,
                    "Description": t.description,
                    "Seed phrases": ", ".join(t.seeds),
                    "Added by": "vocabulary" if t.origin == "vocabulary" else "this partnership",
                }
                for t in list_themes(store.read())
            ]
        ),
    )
    st.caption(
        'Add your own themes as a JSON list: [{"key": "gambling_harm", "label": "Gambling harm", "group": '
        '"circumstances", "description": "...", "seeds": ["gambling", "betting"]}]. Then re-tag the library '
        "from the Themes page."
    )
    json_upload(
        "Themes (JSON)", "Add these themes", lambda document: add_themes(store, me, document=document), "Themes added."
    )

with backup_tab:
    taken = backup.last_backup(store)
    st.write(f"Last backup: **{taken or 'never'}**" + (" (UTC)" if taken else ""))
    st.caption(
        "One archive of the whole workspace (the database, taken consistently while people work, the "
        "original documents and a manifest of checksums). Keep it somewhere safe: it holds the confidential "
        "registers. To restore, start from an empty data directory and run "
        "`python -m core restore FILE` (the search indexes are rebuilt)."
    )
    if st.button("Take a backup now", icon=":material/backup:"):
        made: list = []
        if attempt(lambda: made.append(backup.backup(store, me, store.directory / "backups")), "Backup taken."):
            st.session_state["backup_file"] = str(made[0])
    if st.session_state.get("backup_file"):
        path = Path(st.session_state["backup_file"])
        st.download_button("Download the backup", path.read_bytes, path.name, "application/zip")
