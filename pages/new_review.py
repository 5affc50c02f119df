"""Register a notified death (coordinator)."""

import streamlit as st

from core import workspace
from core.accounts import users_with_role
from core.agencies import list_agencies
from reviews import register
from reviews.rules import rule_set_names
from ui.session import attempt, get_store, show_flash, today, viewer

store, me, now = get_store(), viewer(), today()
st.title("Register a notified death")
st.caption("Use a pseudonym agreed with the family. Real names go only in the review's confidential register.")
show_flash()

chairs = {c.username: c.display_name for c in users_with_role(store, "chair")}
rule_sets = rule_set_names(store.read())
settings = workspace.load(store.read())
with st.form("new_review"):
    c1, c2 = st.columns(2)
    reference = c1.text_input("Reference", placeholder="DHR-2026-09")
    pseudonym = c2.text_input("Victim pseudonym")
    csp = c1.text_input("Community Safety Partnership", value=settings.partnership)
    review_type = c2.selectbox("Review type", register.REVIEW_TYPES)
    death_date = c1.date_input("Date of death", value=None, max_value=now, format="DD/MM/YYYY")
    notification_date = c2.date_input("Date notified to the CSP", value=now, max_value=now, format="DD/MM/YYYY")
    chair = c1.selectbox(
        "Independent chair",
        list(chairs),
        index=None,
        format_func=chairs.get,
        placeholder="Not yet appointed",
        help="A chair named now is recorded as appointed when the Home Office is told of the decision.",
    )
    rule_set = c2.selectbox(
        "Deadline rule set", rule_sets, index=rule_sets.index(register.default_rule_set(store.read()))
    )
    agencies = st.multiselect("Agencies involved", list_agencies(store.read()))
    notes = st.text_area("Notes")
    if st.form_submit_button("Register", type="primary"):
        created: list[str] = []
        if attempt(
            lambda: created.append(
                register.create_review(
                    store,
                    me,
                    reference=reference,
                    pseudonym=pseudonym,
                    csp=csp,
                    review_type=review_type,
                    death_date=death_date,
                    notification_date=notification_date,
                    chair=chair,
                    rule_set=rule_set,
                    agencies=agencies,
                    notes=notes,
                    today=now,
                )
            ),
            f"{reference.strip().upper()} registered. The decision is due within the rule set's period.",
        ):
            st.switch_page("pages/review.py", query_params={"ref": created[0]})
