"""The Administration page's email parts: each person's address, each agency's named contact for
chasers, the relay in use, the outbox (what was sent, what failed and why), the templates, a test email."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core import accounts, agencies
from core.accounts import Viewer
from core.db import Store
from core.errors import ValidationError
from core.mail import MailError, SmtpSettings
from reviews.mail import reminders, templates
from ui.format import data_table
from ui.session import attempt, form, submit


def email_addresses(store: Store, me: Viewer, usernames: list[str]) -> None:
    with form("user_email"):
        st.markdown("**Email address** (digests, reminders; empty removes it)")
        c1, c2 = st.columns(2)
        who = c1.selectbox("Account", usernames, index=None, key="email-account")
        address = c2.text_input("Email address", key="email-address")
        submit(
            "Save the address",
            lambda: accounts.set_email(store, me, username=who or "", email=address),
            "Email address saved.",
        )


def agency_contacts(store: Store, me: Viewer, names: list[str]) -> None:
    known = agencies.contacts(store.read())
    if known:
        data_table(
            pd.DataFrame([{"Agency": k, "Contact": v["name"], "Email": v["email"]} for k, v in known.items()]),
        )
    with form("agency_contact"):
        st.markdown("**Named contact for chasers** (who is emailed when the agency's return is due or late)")
        c1, c2, c3 = st.columns(3)
        agency = c1.selectbox("Agency", names, index=None, key="contact-agency")
        contact = c2.text_input("Contact's name")
        address = c3.text_input("Contact's email")
        submit(
            "Save the contact",
            lambda: agencies.set_contact(store, me, name=agency or "", contact_name=contact, contact_email=address),
            "Contact saved.",
        )


def email_tab(store: Store, me: Viewer, today: date) -> None:
    try:
        settings = SmtpSettings.from_env()
    except ValidationError as error:
        st.error("Email is set up wrongly; fix the environment and restart: " + "; ".join(error.problems))
        settings = None
    if settings:
        st.success(f"Email goes through {settings.describe()}.", icon=":material/mail:")
    else:
        st.info(
            "Email is off: set DHR_SMTP_HOST and DHR_MAIL_FROM (see the README). Nothing is kept meanwhile: "
            "once email is on, the daily run sends that day's messages.",
            icon=":material/mail:",
        )
    st.caption(
        "`python -m reviews remind` sends the day's digests, chasers and action reminders; run it daily "
        "from cron or Windows Task Scheduler. Running it twice sends nothing twice."
    )
    if st.button("Send a test email to me", icon=":material/send:"):
        try:
            st.success(f"Sent to {reminders.send_test(store, me, settings=settings, today=today)}.")
        except MailError as error:
            st.error(f"Not sent: {error}.")
    rows = reminders.outbox_rows(store)
    st.subheader(f"Outbox ({len(rows)} latest)")
    if rows:
        data_table(pd.DataFrame(rows))
    else:
        st.caption("Nothing composed yet.")
    st.subheader("Templates")
    current = templates.load(store.read())
    for key, label in templates.LABELS.items():
        with st.expander(label):
            st.caption("Placeholders: " + ", ".join(f"${p}" for p in sorted(templates.PLACEHOLDERS[key])))
            with form(f"template-{key}"):
                subject = st.text_input("Subject", value=current[key]["subject"], key=f"subject-{key}")
                body = st.text_area("Body", value=current[key]["body"], height=220, key=f"body-{key}")
                submit(
                    "Save the template",
                    lambda key=key, subject=subject, body=body: templates.save(
                        store, me, key=key, subject=subject, body=body
                    ),
                    "Template saved.",
                )
            if st.button("Back to the bundled template", key=f"restore-{key}") and attempt(
                lambda key=key: templates.restore(store, me, key=key), "Template restored."
            ):
                st.rerun()
