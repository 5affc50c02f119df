"""One review: summary, stages, deadlines, pauses, agency returns, panel and confidential register."""

import pandas as pd
import streamlit as st

from core.accounts import users_with_role
from core.agencies import list_agencies
from core.dates import days_phrase, uk_date
from core.errors import NotFound
from exports.calendar import deadlines_calendar, in_calendar
from reviews import pauses, qa, register, returns
from reviews.access import why_not_open
from reviews.deadlines import STATUS_LABELS, next_deadline
from reviews.listing import people_names, stage_history
from reviews.rules import rule_set_names, rule_set_versions
from reviews.stages import DECISIONS, STAGES
from ui.corrections import pause_corrections, return_corrections
from ui.exports_tab import exports_tab
from ui.format import data_table, no_reviews_hint, status_badge
from ui.review_tabs import review_plan_tab, review_qa_tab
from ui.session import attempt, form, get_store, show_flash, submit, today, viewer

store, me, now = get_store(), viewer(), today()
references = [r.reference for r in register.list_reviews(store, me)]
if not references:
    st.info(no_reviews_hint(me.is_coordinator))
    st.stop()

wanted = st.query_params.get("ref")
if wanted and wanted not in references:  # told why, never silently shown another review
    st.warning(why_not_open(me, wanted), icon=":material/lock:")
reference = st.selectbox(
    "Review",
    references,
    index=references.index(wanted) if wanted in references else None if wanted else 0,
    placeholder="Choose a review",
    key="review_ref",
)
if reference is None:
    st.stop()
st.query_params["ref"] = reference
try:
    review = register.get_review(store, me, reference)
except NotFound as error:
    st.error(str(error))
    st.stop()
deadlines = register.review_deadlines(review, store, now)

st.title(f"{review.reference} · {review.pseudonym}")
st.caption(f"{review.review_type} · {review.csp} · rule set {review.rule_set}, version {review.rule_set_version}")
show_flash()

chairs = {c.username: c.display_name for c in users_with_role(store, "chair")}
summary = st.columns(4)
for column, (caption, value) in zip(  # noqa: B905 - four columns, four facts
    summary,
    [
        ("Current stage", review.stage_label),
        ("Decision", DECISIONS[review.decision]),
        (
            "Independent chair",
            chairs.get(review.chair, review.chair)
            or ("Appointed, no account named" if review.past_chair_appointment else "Not yet appointed"),
        ),
        ("Death / notified", f"{uk_date(review.death_date)} / {uk_date(review.notification_date)}"),
    ],
):
    column.caption(caption)
    column.markdown(f"**{value}**")
upcoming = next_deadline(deadlines)
if upcoming and upcoming.status != "paused":
    st.markdown(
        f"**Next deadline:** {upcoming.label}, {uk_date(upcoming.due)} ({days_phrase(upcoming.due, now)})"
        f" · {status_badge(upcoming.status)}"
    )
for pause in (p for p in review.pauses if p.end is None):
    st.warning(
        f"{'Paused since' if pause.agreed_with_home_office else 'Pause proposed from'} "
        f"{uk_date(pause.start) if pause.start else 'a date not recorded (confirm it on the Pauses tab)'}: "
        f"{pauses.PAUSE_REASONS[pause.reason].lower()}"
        + (f" ({pause.details})" if pause.details else "")
        + f". {pauses.state(pause)}.",
        icon=":material/pause_circle:",
    )
if review.notes:  # as written: each line on its own line, a tracker's "*" or "#" never read as Markdown
    st.text(review.notes, width="stretch")
if review.decision_reasons:
    st.write(f"**Reasons for the decision:** {review.decision_reasons}")

if me.is_coordinator:
    with st.expander("Edit details"):
        with st.form("edit_review"):
            c1, c2 = st.columns(2)
            changes = {
                "pseudonym": c1.text_input("Victim pseudonym", value=review.pseudonym),
                "csp": c2.text_input("Community Safety Partnership", value=review.csp),
                "review_type": c1.selectbox(
                    "Review type", register.REVIEW_TYPES, index=register.REVIEW_TYPES.index(review.review_type)
                ),
                "death_date": c2.date_input("Date of death", value=review.death_date, format="DD/MM/YYYY"),
                "chair": c1.selectbox(
                    "Independent chair",
                    list(chairs),
                    index=list(chairs).index(review.chair) if review.chair in chairs else None,
                    format_func=chairs.get,
                    placeholder="Not yet appointed",
                ),
                "rule_set": c2.selectbox(
                    "Deadline rule set",
                    rule_set_names(store.read()),
                    index=rule_set_names(store.read()).index(review.rule_set),
                ),
                "notes": st.text_area("Notes", value=review.notes),
            }
            submit("Save details", lambda: register.update_review(store, me, reference, changes), "Details saved.")
        other_versions = [v for v in rule_set_versions(store.read(), review.rule_set) if v != review.rule_set_version]
        if other_versions:
            with form("rule_set_version"):
                st.markdown(
                    f"**Rule-set version**: this review runs under {review.rule_set} version "
                    f"{review.rule_set_version}. Moving it recalculates its deadlines, and is recorded."
                )
                version = st.selectbox("Move to version", other_versions, index=None)
                submit(
                    "Move the review to this version",
                    lambda: register.move_to_rule_set_version(store, me, reference, version=version or ""),
                    "Rule-set version changed; deadlines recalculated.",
                )

tab_stages, tab_deadlines, tab_pauses, tab_returns, tab_panel, tab_qa, tab_plan, tab_exports, tab_confidential = (
    st.tabs(
        [
            "Stages",
            "Deadlines",
            "Pauses",
            "Agency returns",
            "Panel",
            "Home Office QA",
            "Recommendations",
            "Drafting kit",
            "Confidential register",
        ],
        key="review_tab",  # the session remembers the open tab, so a save's rerun stays on it
        on_change="rerun",
    )
)

with tab_stages:
    data_table(
        pd.DataFrame(stage_history(review, qa.submissions(store, me, reference), people_names(store))),
        column_config={"Completed": st.column_config.DateColumn(format="DD MMM YYYY")},
    )
    if review.missing_stages:
        with form("missing_stage"):
            st.markdown("**Fill in a stage that was not recorded** (from the review's own papers)")
            c1, c2 = st.columns(2)
            gap = c1.selectbox("Stage", review.missing_stages, format_func=STAGES.get, index=None)
            gap_date = c2.date_input("Completed on", value=None, max_value=now, format="DD/MM/YYYY", key="gap-date")
            submit(
                "Record the date",
                lambda: register.record_missing_stage(store, me, reference, stage=gap or "", completed_on=gap_date),
                "Stage date recorded.",
            )
    upcoming = review.next_stage
    if upcoming is None:
        st.success("Every stage of this review is complete.")
    elif upcoming == "decision" and not me.is_coordinator:
        st.info("The coordinator records the CSP's decision.")
    elif upcoming == "qa_feedback":
        st.info(
            "**Next stage:** Home Office QA feedback received. Record the panel's letter on the Home Office QA "
            "tab; saving it completes this stage with the letter's date."
        )
    else:
        with st.form("complete_stage"):
            st.markdown(f"**Next stage:** {STAGES[upcoming]}")
            completed_on = st.date_input("Completed on", value=now, max_value=now, format="DD/MM/YYYY")
            decision, reasons, chair = None, "", None
            if upcoming == "chair_appointed" and me.is_coordinator:
                chair = st.selectbox(
                    "Which chair was appointed",
                    list(chairs),
                    index=list(chairs).index(review.chair) if review.chair in chairs else None,
                    format_func=chairs.get,
                    placeholder="Choose the independent chair",
                )
            if upcoming == "decision":
                decision = st.radio("Decision", ["hold", "not_to_hold"], format_func=DECISIONS.get, horizontal=True)
                reasons = st.text_area("Reasons (required if not holding a review)")
            if st.form_submit_button(f"Complete stage: {STAGES[upcoming]}", type="primary"):
                if attempt(
                    lambda: register.complete_stage(
                        store,
                        me,
                        reference,
                        stage=upcoming,
                        completed_on=completed_on,
                        decision=decision,
                        decision_reasons=reasons,
                        chair=chair,
                        today=now,
                    ),
                    f"{STAGES[upcoming]} recorded.",
                ):
                    st.rerun()
    if me.is_coordinator and review.current_stage != "notification":
        with st.popover("Undo the last stage"):
            st.write(f"Remove **{STAGES[review.current_stage]}** (recorded by mistake)?")
            if st.button("Undo", key="undo_stage") and attempt(
                lambda: register.undo_last_stage(store, me, reference), "Last stage removed."
            ):
                st.rerun()

with tab_deadlines:
    for d in deadlines:
        with st.container(border=True):
            left, right = st.columns([3, 1])
            left.markdown(f"**{d.label}** {status_badge(d.status)}")
            left.caption(f"{d.rule} · basis: **{d.basis}** · rule set {d.rule_set} ({d.rule_version})")
            if d.note:
                left.caption(d.note)
            due = uk_date(d.due) if d.due else ("paused" if d.status == "paused" else "—")
            right.markdown(f"Due **{due}**")
            if d.met_on:
                right.caption(f"Met {uk_date(d.met_on)}")
            elif d.due:
                right.caption(days_phrase(d.due, now))
    to_meet = len(in_calendar(deadlines))
    st.download_button(
        f"This review's {to_meet} deadline(s) still to meet, for Outlook (.ics)",
        deadlines_calendar(deadlines, name=f"{review.reference} deadlines"),
        file_name=f"{review.reference}-deadlines.ics",
        mime="text/calendar",
        icon=":material/calendar_month:",
        disabled=not to_meet,
        help="Overdue ones are flagged; met, paused and not applicable ones are left out.",
    )

with tab_pauses:
    if review.pauses:
        data_table(
            pd.DataFrame(
                [
                    {
                        "Reason": pauses.PAUSE_REASONS[p.reason],
                        "Details": p.details,
                        "From": p.start,
                        "To": p.end,
                        "Status": pauses.state(p),
                    }
                    for p in review.pauses
                ]
            ),
            column_config={
                "From": st.column_config.DateColumn(format="DD MMM YYYY"),
                "To": st.column_config.DateColumn(format="DD MMM YYYY"),
            },
        )
    else:
        st.caption("No pauses.")
    with form("add_pause"):
        st.markdown(
            "**Record a pause for parallel proceedings**"
            + ("" if me.is_coordinator else " (a proposal: the coordinator records the Home Office's agreement)")
        )
        c1, c2, c3 = st.columns(3)
        reason = c1.selectbox("Reason", list(pauses.PAUSE_REASONS), format_func=pauses.PAUSE_REASONS.get)
        start = c2.date_input("From", value=now, format="DD/MM/YYYY")
        end = c3.date_input("To (leave empty while it lasts)", value=None, format="DD/MM/YYYY")
        details = st.text_input("Details")
        agreed = st.checkbox("Agreed with the Home Office") if me.is_coordinator else False
        submit(
            "Add pause",
            lambda: pauses.add_pause(
                store,
                me,
                reference,
                reason=reason,
                start=start,
                end=end,
                agreed_with_home_office=agreed,
                details=details,
            ),
            "Pause recorded; deadlines recalculated.",
        )
    proposed = [p for p in review.pauses if not p.agreed_with_home_office]
    if proposed and me.is_coordinator:
        with form("agree_pause"):
            st.markdown("**Record the Home Office's agreement to a pause**")
            chosen = st.selectbox(
                "Pause",
                proposed,
                format_func=lambda p: f"{pauses.PAUSE_REASONS[p.reason]} from {uk_date(p.start)}",
            )
            submit(
                "Agreed with the Home Office",
                lambda: pauses.agree_pause(store, me, reference, pause_id=chosen.id),
                "Agreement recorded.",
            )
    pause_corrections(store, me, reference, review)
    open_pauses = [p for p in review.pauses if p.end is None and pauses.may_change(me, p.agreed_with_home_office)]
    if open_pauses:
        with st.form("end_pause"):
            st.markdown("**End a pause**")
            pause = st.selectbox(
                "Open pause",
                open_pauses,
                format_func=lambda p: f"{pauses.PAUSE_REASONS[p.reason]} from {uk_date(p.start)}",
            )
            ended = st.date_input("Ended on", value=now, format="DD/MM/YYYY")
            submit(
                "End pause",
                lambda: pauses.end_pause(store, me, reference, pause_id=pause.id, end=ended),
                "Pause ended; deadlines moved by the paused days.",
            )

with tab_returns:
    # the engine lists return deadlines in the review's own order of returns
    return_status = [d.status for d in deadlines if d.deadline == "agency_return"]
    if review.returns:
        data_table(
            pd.DataFrame(
                [
                    {
                        "Agency": r.agency,
                        "Return": r.kind,
                        "Requested": r.requested,
                        "Due": r.due,
                        "Received": r.received,
                        "Status": STATUS_LABELS[status],
                        "Chased": ", ".join(uk_date(c) for c in r.chases) or "—",
                    }
                    for r, status in zip(review.returns, return_status, strict=True)
                ]
            ),
            column_config={
                c: st.column_config.DateColumn(format="DD MMM YYYY") for c in ("Requested", "Due", "Received")
            },
        )
    else:
        st.caption("No returns requested yet.")
    agencies = list_agencies(store.read())
    with form("request_return"):
        st.markdown("**Request a return**")
        c1, c2, c3 = st.columns(3)
        agency = c1.selectbox("Agency", agencies)
        kind = c2.selectbox("Return", returns.RETURN_KINDS)
        requested = c3.date_input("Requested on", value=now, format="DD/MM/YYYY")
        st.caption("The due date comes from the review's rule set (working days, bank holidays excluded).")
        submit(
            "Record request",
            lambda: returns.request_return(store, me, reference, agency=agency, kind=kind, requested=requested),
            "Request recorded.",
        )
    outstanding = [r for r in review.returns if r.received is None]
    if outstanding:
        with st.form("return_progress"):
            st.markdown("**Record a chase or a receipt**")
            chosen = st.selectbox(
                "Return", outstanding, format_func=lambda r: f"{r.kind} from {r.agency} (due {uk_date(r.due)})"
            )
            c1, c2 = st.columns(2)
            on = c1.date_input("Date", value=now, max_value=now, format="DD/MM/YYYY")
            note = c2.text_input("Chase note (how, to whom)")
            chase, receive = st.columns(2)
            if chase.form_submit_button("Record chase") and attempt(
                lambda: returns.record_chase(store, me, reference, return_id=chosen.id, chased_on=on, note=note),
                "Chase recorded.",
            ):
                st.rerun()
            if receive.form_submit_button("Mark received") and attempt(
                lambda: returns.record_return_received(store, me, reference, return_id=chosen.id, received=on),
                "Return marked as received.",
            ):
                st.rerun()
    return_corrections(store, me, reference, review, agencies)

with tab_panel:
    st.write("**Agencies involved:** " + (", ".join(review.agencies) or "none recorded"))
    if review.panel:
        data_table(pd.DataFrame(review.panel).rename(columns=str.capitalize))
    with form("add_panel"):
        st.markdown("**Add a panel member**")
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("Name")
        member_agency = c2.selectbox("Agency", agencies)
        role = c3.text_input("Role on the panel")
        submit(
            "Add member",
            lambda: register.add_panel_member(store, me, reference, name=name, agency=member_agency, role=role),
            "Panel member added.",
        )
    if me.is_coordinator:
        with st.form("agencies"):
            involved = st.multiselect("Agencies involved", agencies, default=review.agencies)
            submit("Save agencies", lambda: register.set_agencies(store, me, reference, involved), "Agencies saved.")

with tab_qa:
    review_qa_tab(store, me, reference, now)

with tab_plan:
    review_plan_tab(store, me, reference, now)

with tab_exports:
    exports_tab(store, me, review, now)

with tab_confidential:
    st.warning(
        "Real names, for checking anonymisation before publication. Visible only to the coordinator and "
        "this review's chair. Never copy them into drafts.",
        icon=":material/lock:",
    )
    names = register.confidential_register(store, me, reference)
    if names:
        data_table(
            pd.DataFrame(names)[["category", "name", "notes"]].rename(columns=str.capitalize),
        )
    with form("add_name"):
        c1, c2, c3 = st.columns(3)
        category = c1.selectbox("Category", register.NAME_CATEGORIES)
        real_name = c2.text_input("Real name or alias")
        name_notes = c3.text_input("Notes")
        submit(
            "Add to register",
            lambda: register.add_confidential_name(
                store, me, reference, category=category, name=real_name, notes=name_notes
            ),
            "Name added to the confidential register.",
        )
