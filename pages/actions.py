"""Actions across every review: filters, overdue first, progress updates, and implementation figures."""

from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from core.agencies import list_agencies
from core.dates import uk_date
from recommendations import figures, plan
from recommendations.rag import RAGS
from recommendations.spreadsheet import export_xlsx
from recommendations.worklist import WINDOWS, ActionFilters, due_soonest, filter_actions
from ui.corrections import action_corrections, progress_corrections
from ui.format import RAG_BADGES, data_table, no_actions_hint
from ui.review_tabs import actions_table
from ui.session import attempt, form, get_library, get_store, show_flash, submit, today, viewer

store, me, now = get_store(), viewer(), today()
actions = plan.list_actions(store, me)
st.title("Actions")
st.caption(
    f"Your agency's actions ({me.agency})" if me.role == "agency_lead" else f"{len(actions)} action(s) you can see"
)
show_flash()

if me.role == "agency_lead" and actions:  # none yet: the hint under the filters says where they come from
    st.subheader("Due soonest: what to update")
    soonest = due_soonest(actions, now)
    if soonest:
        with st.container(border=True):
            for row in soonest:  # a list that wraps, so that what to update is read whole
                due = uk_date(row["Target date"]) if row["Target date"] else "no target date"
                st.markdown(
                    f"**{row['Review']} · recommendation {row['Recommendation']}**: {row['Action']} (target {due})"
                    f"  \n:{'red' if row['overdue'] else 'gray'}[{row['What to update']}]"
                )
        st.caption("Choose the action under **Update an action** below to record progress or completion.")
    else:
        st.success("None of your agency's actions is open.")
    st.subheader("All your agency's actions")

c1, c2, c3, c4, c5, c6 = st.columns(6)
labels = plan.theme_labels(store.read())
filters = ActionFilters(
    agencies=tuple(c1.multiselect("Filter: agency", sorted({a.owner_agency for a in actions}))),
    statuses=tuple(c2.multiselect("Filter: status", list(plan.STATUSES), format_func=plan.STATUSES.get)),
    rags=tuple(c3.multiselect("Filter: RAG", RAGS, format_func=str.capitalize)),
    themes=tuple(c4.multiselect("Filter: theme", list(labels), format_func=labels.get)),
    reviews=tuple(c5.multiselect("Filter: review", sorted({a.review for a in actions}))),
    window=c6.selectbox("Filter: due", list(WINDOWS), format_func=WINDOWS.get),
)
overdue_first = filter_actions(actions, filters, now)
if overdue_first:
    actions_table(overdue_first, now)
    st.download_button(
        "Download as Excel",
        partial(export_xlsx, overdue_first, now),
        "action-plans.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
    )
else:
    st.info("No action matches these filters." if actions else no_actions_hint(me))

if actions:
    st.subheader("Update an action")
    by_id = {a.id: a for a in filter_actions(actions, ActionFilters(), now)}  # overdue first
    if st.session_state.get("action-choice") in by_id:  # so the label is drawn with the RAG as it is now
        st.session_state["action-choice"] = st.session_state["action-choice"]
    chosen = by_id[
        st.selectbox(  # ids as options, so the choice survives a change of RAG in its label
            "Action",
            list(by_id),
            format_func=lambda i: (
                f"{by_id[i].review} · {by_id[i].recommendation} · {by_id[i].description[:70]} "
                f"({RAG_BADGES[by_id[i].rag(now)]})"
            ),
            key="action-choice",
        )
    ]
    left, right = st.columns(2)
    with left, form("progress"):
        st.markdown("**Progress note and evidence**")
        status = st.selectbox(
            "New status",
            list(plan.STATUSES),
            index=list(plan.STATUSES).index(chosen.status),
            format_func=plan.STATUSES.get,
        )
        note = st.text_area("What has happened")
        evidence = st.text_area("Evidence (what shows it, where it is kept)")
        documents = get_library().list_documents(me, statuses=("indexed",))  # never a failed upload
        document = st.selectbox(
            "Evidence document in the library (optional)",
            documents,
            index=None,
            placeholder="None",
            format_func=lambda d: f"{d['title']} ({d['source_name']})",
        )
        why_no_evidence = st.text_input(
            "Completing without evidence? Say why there is none",
            help="Complete needs evidence (here or in an earlier note) or a reason there is none.",
        )
        submit(
            "Save progress",
            lambda: plan.update_action(
                store,
                me,
                chosen.id,
                status=status,
                note=note,
                evidence=evidence,
                today=now,
                evidence_document_id=document["id"] if document else None,
                why_no_evidence=why_no_evidence,
            ),
            "Progress saved.",
        )
    with right:
        with form("override"):
            st.markdown(
                f"**RAG** derived: {RAG_BADGES[chosen.derived_rag(now)]}"
                + (
                    f" · overridden to {RAG_BADGES[chosen.rag_override]}: {chosen.rag_override_reason}"
                    if chosen.rag_override
                    else ""
                )
            )
            rag = st.selectbox(
                "Override", [None, *RAGS], format_func=lambda r: "No override" if r is None else r.capitalize()
            )
            reason = st.text_input("Reason for the override")
            submit("Save RAG", lambda: plan.override_rag(store, me, chosen.id, rag=rag, reason=reason), "RAG saved.")
        if me.role in ("coordinator", "chair") and chosen.status == "complete" and not chosen.signed_off_by:
            if st.button("Sign off this action") and attempt(
                lambda: plan.sign_off(store, me, chosen.id), "Signed off."
            ):
                st.rerun()
        if chosen.progress:
            st.markdown("**History**")
            for entry in reversed(chosen.progress):
                st.caption(
                    f"{entry.noted_on:%d %b %Y} · {entry.author_name}: {entry.note}"
                    + (f" — evidence: {entry.evidence}" if entry.evidence else "")
                )
        progress_corrections(store, me, chosen)
    action_corrections(store, me, chosen, list_agencies(store.read()))

if me.role != "agency_lead" and actions:
    st.subheader("Implementation by agency")
    table = pd.DataFrame(figures.agency_table(actions, now))
    data_table(table)
    st.altair_chart(
        alt.Chart(
            table.melt(id_vars="Agency", value_vars=["Complete", "Overdue"], var_name="Measure", value_name="Count")
        )
        .mark_bar()
        .encode(
            y=alt.Y("Agency:N", title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("Count:Q", title="Actions", axis=alt.Axis(tickMinStep=1, format="d")),  # whole numbers
            color=alt.Color("Measure:N", scale=alt.Scale(range=["#2e7d32", "#c62828"])),
        ),
        width="stretch",
    )
