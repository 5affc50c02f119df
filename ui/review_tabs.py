"""The review page's QA and recommendations tabs (kept here so the page file stays readable)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.accounts import Viewer
from core.agencies import list_agencies
from core.dates import uk_date
from core.db import Store
from core.errors import ValidationError
from recommendations import plan, theming
from reviews import qa
from ui.corrections import recommendation_corrections
from ui.format import RAG_BADGES, RAG_COLOURS, data_table, reference_widths
from ui.reading import report_recommendations_to_plan
from ui.session import attempt, form, get_library, submit


def review_qa_tab(store: Store, me: Viewer, reference: str, today: date) -> None:
    rounds = qa.submissions(store, me, reference)
    labels = plan.theme_labels(store.read())
    blockers = qa.publication_status(store, me, reference)
    if blockers:
        st.warning("**Cannot be published yet:**\n\n" + "\n".join(f"- {b}" for b in blockers), icon=":material/block:")
    else:
        st.success("The latest QA outcome allows publication.", icon=":material/verified:")
    for submission in rounds:
        with st.container(border=True):
            outcome = qa.OUTCOMES.get(submission.outcome, "Awaiting the panel's letter")
            st.markdown(f"**Round {submission.round}** · sent {uk_date(submission.sent_on)} · **{outcome}**")
            if submission.letter_date:
                st.caption(
                    f"Panel {uk_date(submission.panel_date)} · letter {uk_date(submission.letter_date)}"
                    + (f" · areas to be answered by {uk_date(submission.answer_by)}" if submission.answer_by else "")
                )
            for area in submission.areas:
                status = qa.AREA_STATUSES[area.status]
                st.markdown(f"{area.number}. {area.text}  \n:gray[{qa.AREA_THEMES[area.theme]}] · **{status}**")
                suggested = theming.suggestions(store, "qa_area", area.id)
                if suggested:
                    st.caption("Suggested recommendation themes: " + ", ".join(labels.get(k, k) for k in suggested))
                if area.response:
                    st.caption(f"Response ({area.answered_by_name}, {uk_date(area.answered_on)}): {area.response}")
            if submission.outcome is None:
                _letter_form(store, me, reference, submission.id, today)
            open_areas = [a for a in submission.areas if a.status == "open"]
            if open_areas and submission is rounds[-1]:
                with form(f"answer-{submission.id}"):
                    area = st.selectbox(
                        "Area for development", open_areas, format_func=lambda a: f"{a.number}. {a.text[:80]}"
                    )
                    status = st.radio(
                        "Answer", ["addressed", "not_accepted"], format_func=qa.AREA_STATUSES.get, horizontal=True
                    )
                    response = st.text_area("Response (what changed, or why it is not accepted)")
                    submit(
                        "Record answer",
                        lambda area=area, status=status, response=response: qa.answer_area(
                            store, me, reference, area_id=area.id, status=status, response=response
                        ),
                        "Answer recorded.",
                    )
    if not rounds or rounds[-1].outcome == "resubmit":
        with form("qa_submission"):
            label = "Resubmit to the QA panel" if rounds else "Record submission to the Home Office QA panel"
            sent_on = st.date_input("Sent on", value=today, max_value=today, format="DD/MM/YYYY")
            submit(
                label,
                lambda: qa.record_submission(store, me, reference, sent_on=sent_on, today=today),
                "Submission recorded.",
            )


def _letter_form(store: Store, me: Viewer, reference: str, submission_id: int, today: date) -> None:
    st.markdown("**Record the panel's letter**")
    count = st.number_input(
        "Areas for development in the letter", min_value=0, max_value=40, value=3, key=f"area-count-{submission_id}"
    )
    with st.form(f"letter-{submission_id}"):
        c1, c2, c3 = st.columns(3)
        outcome = c1.selectbox("Outcome", list(qa.OUTCOMES), format_func=qa.OUTCOMES.get)
        panel_date = c2.date_input("Panel met", value=None, max_value=today, format="DD/MM/YYYY")
        letter_date = c3.date_input("Letter dated", value=today, max_value=today, format="DD/MM/YYYY")
        areas = []
        for number in range(1, int(count) + 1):
            text_column, theme_column = st.columns([3, 1])
            text = text_column.text_input(f"Area {number}", key=f"area-{submission_id}-{number}")
            theme = theme_column.selectbox(
                f"Theme of area {number}",
                list(qa.AREA_THEMES),
                format_func=qa.AREA_THEMES.get,
                index=None,  # no sensible default: the theme is chosen, never saved by accident
                placeholder="Choose the theme",
                key=f"theme-{submission_id}-{number}",
            )
            areas.append((text, theme))
        answer_by = st.date_input(
            "Areas to be answered by (if the letter sets a date)", value=None, format="DD/MM/YYYY"
        )
        letter = st.file_uploader("The letter (PDF or Word), kept in the library as confidential", type=["pdf", "docx"])

        def save() -> None:
            qa.record_letter(
                store,
                me,
                reference,
                submission_id=submission_id,
                outcome=outcome,
                letter_date=letter_date,
                panel_date=panel_date,
                areas=areas,
                answer_by=answer_by,
                letter_document_id=_store_letter(me, reference, letter, letter_date) if letter else None,
            )
            theming.refresh(store, get_library(), me, ("qa_area",))  # suggested themes for the new areas

        submit("Save letter", save, "Letter recorded.")


def _store_letter(me: Viewer, reference: str, upload, letter_date: date) -> int:
    """Ingest the uploaded letter as a confidential QA letter linked to the review; its document id."""
    result = get_library().ingest(
        upload.getvalue(),
        upload.name,
        viewer=me,
        kind="QA letter",
        access="confidential",
        review=reference,
        year=letter_date.year,
        title=f"Home Office QA panel letter: {reference}",
    )
    if result.outcome == "failed":
        raise ValidationError(f"letter: {result.reason}")
    return result.document_id


def _suggested_themes(store: Store, me: Viewer, rec: plan.Recommendation, labels: dict[str, str]) -> None:
    """The Home Office themes suggested for a recommendation; the coordinator accepts or rejects each."""
    suggested = [k for k in theming.suggestions(store, "recommendation", rec.id) if k in labels and k not in rec.themes]
    if not suggested:
        return
    st.caption("Suggested themes: " + ", ".join(labels[k] for k in suggested))
    if not me.is_coordinator:
        return
    columns = st.columns(min(len(suggested), 4) * 2)
    for i, key in enumerate(suggested[:4]):
        for offset, accepted, label in ((0, True, f"Accept: {labels[key]}"), (1, False, "Reject")):
            if columns[2 * i + offset].button(label, key=f"theme-{rec.id}-{key}-{accepted}") and attempt(
                lambda k=key, a=accepted: theming.decide_recommendation_theme(
                    store, get_library(), me, rec.id, k, accepted=a
                ),
                f"Theme {'accepted' if accepted else 'rejected'}.",
            ):
                st.rerun()


def review_plan_tab(store: Store, me: Viewer, reference: str, today: date) -> None:
    recommendations = plan.recommendations_for(store, me, reference)
    agencies = list_agencies(store.read())
    labels = plan.theme_labels(store.read())
    for rec in recommendations:
        with st.container(border=True):
            st.markdown(f"**Recommendation {rec.number}** ({rec.scope}) {rec.text}")
            st.caption(
                " · ".join(
                    filter(
                        None,
                        [
                            ", ".join(labels.get(t, t) for t in rec.themes),
                            f"Finding: {rec.finding}" if rec.finding else "",
                        ],
                    )
                )
            )
            _suggested_themes(store, me, rec, labels)
            if rec.actions:
                actions_table(rec.actions, today)
    recommendation_corrections(store, me, recommendations)
    if st.button("Import an action plan into this review", icon=":material/upload_file:"):
        st.session_state["plan_review"] = reference  # the import page opens on this review
        st.switch_page("pages/import_plan.py")
    report_recommendations_to_plan(store, me, reference)
    with form("add_recommendation"):
        st.markdown("**Add a recommendation**")
        c1, c2 = st.columns([1, 3])
        number = c1.text_input("Number", value=plan.next_number(recommendations))
        text = c2.text_area("Recommendation")
        c3, c4, c5 = st.columns(3)
        scope = c3.selectbox("Scope", plan.SCOPES)
        themes = c4.multiselect("Themes", list(labels), format_func=labels.get)
        targets = c5.multiselect("Target agencies", agencies)
        finding = st.text_input("Finding or lesson it answers")
        submit(
            "Add recommendation",
            lambda: plan.add_recommendation(
                store,
                me,
                reference,
                number=number,
                text=text,
                scope=scope,
                target_agencies=targets,
                themes=themes,
                finding=finding,
            ),
            "Recommendation added.",
        )
    if recommendations:
        with form("add_action"):
            st.markdown("**Add an action**")
            rec = st.selectbox("To recommendation", recommendations, format_func=lambda r: f"{r.number}. {r.text[:80]}")
            description = st.text_input("Action")
            c1, c2, c3 = st.columns(3)
            owner = c1.selectbox("Owner agency", agencies, index=None, placeholder="Choose the agency")
            officer = c2.text_input("Lead officer")
            target = c3.date_input("Target date", value=None, format="DD/MM/YYYY")
            submit(
                "Add action",
                lambda: plan.add_action(
                    store,
                    me,
                    reference,
                    recommendation_id=rec.id,
                    description=description,
                    owner_agency=owner,
                    lead_officer=officer,
                    target_date=target,
                ),
                "Action added.",
            )


def action_table(actions: list[plan.Action], today: date) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "RAG": RAG_BADGES[a.rag(today)] + (" (set)" if a.rag_override else ""),
                "Review": a.review,
                "Rec": a.recommendation,
                "Action": a.description,
                "Owner agency": a.owner_agency,
                "Lead officer": a.lead_officer,
                "Target": uk_date(a.target_date) if a.target_date else (a.target_text or "—"),
                "Status": plan.STATUSES[a.status],
                "Latest progress": f"{uk_date(a.progress[-1].noted_on)}: {a.progress[-1].note}" if a.progress else "",
                "Signed off": a.signed_off_by or "",
            }
            for a in actions
        ]
    )


# the columns a person acts on (who leads, by when, where it stands) fit a 1400 px screen; the action's
# text is cut there (hover reads it whole) and the latest progress and sign-off scroll into view
ACTION_COLUMNS = {
    "RAG": st.column_config.TextColumn(width=92, help="(set): set by an officer, with a reason"),
    "Rec": st.column_config.TextColumn(width=40),
    "Owner agency": st.column_config.TextColumn(width=173),
    "Lead officer": st.column_config.TextColumn(width=115),
    "Target": st.column_config.TextColumn(width=95),
    "Status": st.column_config.TextColumn(width=100),
}


def actions_table(actions: list[plan.Action], today: date) -> None:
    """The actions as a table, RAG coloured, the columns a person needs in view: the review's reference
    whole, the action's text giving up what a long reference takes."""
    review_width, action_width = reference_widths([a.review for a in actions], 95, 180)
    columns = ACTION_COLUMNS | {
        "Review": st.column_config.TextColumn(width=review_width),
        "Action": st.column_config.TextColumn(width=action_width, help="Hover over an action to read it whole"),
    }
    data_table(rag_styled(action_table(actions, today)), column_config=columns)


def rag_styled(table: pd.DataFrame):
    """The action table with its RAG cells coloured."""
    return table.style.map(
        lambda value: f"background-color: {RAG_COLOURS.get(value.split(' ')[0], '')}", subset=["RAG"]
    )
