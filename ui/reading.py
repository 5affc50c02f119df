"""What the library read out of the reports, on the pages that show it: a document's case facts and
recommendations (Library), a report's recommendations into the review's plan (Review), recurring lessons
and the case characteristics (Themes), the national recommendations (their own page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.accounts import Viewer
from core.agencies import list_agencies
from core.db import Store
from core.errors import DHRError
from indexing.reading import documents as reading
from indexing.reading import figures
from indexing.reading.facts import DEATHS, RELATIONSHIP_LABELS, SEXES, STATED_BANDS
from indexing.reading.records import FIELD_LABELS
from recommendations import from_reports, national, plan, recurring
from ui.format import data_table
from ui.session import form, get_library, submit

CHOICES = {  # what the coordinator may pick for each fact ("" = the text does not say)
    "victim_sex": ["", *SEXES],
    "perpetrator_sex": ["", *SEXES],
    "relationship": ["", *RELATIONSHIP_LABELS],
    "death": ["", *DEATHS],
    "perpetrator_suicide": ["", "yes", "no"],
    "children_in_household": ["", "yes", "no"],
    "victim_age_band": ["", *STATED_BANDS],
}


def _shown(value) -> str:
    if value is None:
        return "Not stated"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return RELATIONSHIP_LABELS.get(value, str(value).capitalize() if isinstance(value, str) else str(value))


def document_reading(store: Store, me: Viewer, document_id: int) -> None:
    """A document's case facts, each with the sentence it was read from, and its recommendations."""
    try:
        read = reading.document_reading(store, me, document_id)
    except DHRError as error:
        st.error(str(error))
        return
    st.markdown("**Case facts read from the document**")
    data_table(
        pd.DataFrame(
            [
                {
                    "Fact": FIELD_LABELS[field],
                    "Value": _shown(fact["value"]),
                    "Read from": fact["sentence"] or "—",
                    "Checked": f"by {fact['corrected_by']}" if fact["corrected_by"] else "",
                }
                for field, fact in read["facts"].items()
            ]
        ),
        column_config={"Read from": st.column_config.TextColumn(width="large")},
    )
    if me.is_coordinator:
        _correct_facts(store, me, document_id, read["facts"])
    recs = read["recommendations"]
    st.markdown(f"**{len(recs)} recommendation(s) read from the document**")
    if recs:
        data_table(
            pd.DataFrame(
                [
                    {
                        "No.": r["number"],
                        "Recommendation": r["text"],
                        "Addressed to": r["addressee"] or "Not stated",
                        "National": "Yes" if r["national"] else "",
                    }
                    for r in recs
                ]
            ),
            column_config={"Recommendation": st.column_config.TextColumn(width="large")},
        )


def _correct_facts(store: Store, me: Viewer, document_id: int, facts: dict) -> None:
    st.markdown("**Confirm or correct a fact** (your value wins over what is read, and is recorded)")
    field = st.selectbox("Fact", list(FIELD_LABELS), format_func=FIELD_LABELS.get, key=f"fact-field-{document_id}")
    with form(f"facts-{document_id}-{field}"):
        current = facts[field]["value"]
        if field in CHOICES:
            value = st.selectbox(
                "Value",
                CHOICES[field],
                format_func=lambda v: _shown(v) if v else "Not stated",
                index=CHOICES[field].index({True: "yes", False: "no"}.get(current, current) or ""),
            )
        else:
            value = st.text_input(
                "Value (whole years; empty for not stated)", value="" if current is None else str(current)
            )
        submit(
            "Save the fact",
            lambda: reading.correct_fact(store, me, document_id, field, value),
            f"{FIELD_LABELS[field]} saved.",
        )


def report_recommendations_to_plan(store: Store, me: Viewer, reference: str) -> None:
    """The recommendations read from the review's own reports, ticked and edited, added in one step."""
    try:
        offered = from_reports.report_recommendations(store, me, reference)
    except DHRError as error:
        st.error(str(error))
        return
    if not offered:
        st.caption("No recommendations read from this review's library documents yet.")
        return
    agencies = list_agencies(store.read())
    table = pd.DataFrame(
        [
            {
                "Add": not r["in_plan"],
                "No.": r["number"],
                "Recommendation": r["text"],
                "Scope": r["scope"],
                "Agencies": r["target_agencies"],
                "Read as addressed to": r["addressee"] or "",
                "From": r["title"],
            }
            for r in offered
        ]
    )
    with form("report-recommendations"):
        st.markdown("**Recommendations read from this review's reports** (tick, edit, then add them together)")
        edited = st.data_editor(
            table,
            hide_index=True,
            width="stretch",
            placeholder="—",  # an empty cell (a number not read): Streamlit's own word is "None"
            disabled=["Read as addressed to", "From"],
            column_config={  # widths in px: every column in view in the main column of a 1400 px window
                "Add": st.column_config.CheckboxColumn(width=60),
                "No.": st.column_config.TextColumn(width=55),
                "Recommendation": st.column_config.TextColumn(width=300),
                "Scope": st.column_config.SelectboxColumn(options=list(plan.SCOPES), required=True, width=110),
                "Agencies": st.column_config.MultiselectColumn(options=agencies, width=150),
                "Read as addressed to": st.column_config.TextColumn(width=135),
                "From": st.column_config.TextColumn(width=130),
            },
            key="report-recommendations-editor",
        )
        chosen = [
            {
                "number": row["No."],
                "text": row["Recommendation"],
                "scope": row["Scope"],
                "target_agencies": list(row["Agencies"] or []),
            }
            for row in edited.to_dict("records")
            if row["Add"]
        ]
        submit(
            "Add the ticked recommendations to the action plan",
            lambda: from_reports.add_to_plan(store, get_library(), me, reference, chosen),
            f"{len(chosen)} recommendation(s) added to the action plan.",
        )


def recurring_lessons(store: Store, me: Viewer, embedder) -> None:
    """Lessons not learned: recommendations different reviews and reports make again, with what was done."""
    st.caption(
        "Recommendations from different reviews and reports that ask for the same change in different words, "
        "from the plans and from every report in the library you can read. Only close matches are grouped, so a "
        "missed pair is likelier than a wrong one."
    )
    try:
        groups_found = recurring.recurring(store, me, embedder)
    except DHRError as error:
        st.error(str(error))
        return
    if not groups_found:
        st.info(nothing_recurs(recurring.compared(store, me), me, recurring.reports_not_public(store, me)))
    elif note := not_public_note(recurring.reports_not_public(store, me), me):
        st.caption(note)
    for found in groups_found:
        years = (
            f", {found['first_year']}–{found['latest_year']}"
            if found["first_year"] != found["latest_year"]
            else f", {found['first_year']}"
            if found["first_year"]
            else ""
        )
        # a report linked to no review in the register is a report, not a review: the count says which is which
        with st.expander(
            f"{found['label']} · made by {recurring.said(found)}{years} · {recurring.actions_said(found)}"
        ):
            if found["addressed_to"]:
                st.caption("Addressed to: " + ", ".join(found["addressed_to"]))
            for rec in found["recommendations"]:
                st.markdown(f"**{rec['shown']} · {rec['number'] or '—'}** {rec['text']}")
                for action in rec["actions"]:
                    st.caption(
                        f"{action['owner_agency']}: {action['description']} — {action['status'].replace('_', ' ')}"
                    )


def nothing_recurs(compared: dict[str, int], me: Viewer, not_public: int) -> str:
    """Why the recurring lessons are empty (what was compared, and when a lesson recurs) and what would fill
    them, in the words of the menu the person has; ``not_public``: the reports they may read that are not public
    (``recurring.reports_not_public``)."""
    found = (
        f"{compared['recommendations']} recommendation(s) you can read, from {compared['sources']} review(s) and "
        "report(s), were compared"
        if compared["recommendations"]
        else "There is no recommendation you can read to compare yet"
    )
    if me.is_coordinator:
        then = (
            "Recommendations come from each review's action plan (Import an action plan, or the review's page) "
            "and from the reports added to the library (Library documents)."
        )
    elif me.sees_case_records:
        then = (
            "Recommendations come from your reviews' action plans (Import an action plan, or the review's page) "
            "and from the reports the coordinator adds to the library."
        )
    else:
        then = (
            "Recommendations appear here as reviews are published and their reports are added to the library as "
            "public documents."
        )
    said = f"Nothing recurs yet. {found}: a lesson recurs when two different reviews or reports make it. {then}"
    return " ".join(filter(None, (said, not_public_note(not_public, me))))


def not_public_note(not_public: int, me: Viewer) -> str:
    """What the reports that are not public leave out: a board member's or partner's lessons and national
    recommendations come from public documents only (``recurring.reports_not_public``), which the coordinator,
    who sees every report's, is told too."""
    if not not_public or (me.sees_case_records and not me.is_coordinator):
        return ""
    if me.is_coordinator:
        return (
            f"Board members and partners see recommendations from public documents only: {not_public} report(s) "
            "with recommendations here are not public, so theirs are not shown to them (Library documents: a "
            "document's access level)."
        )
    return (
        f"{not_public} report(s) you can read are shared with partners only: board members and partners see "
        "recommendations from public documents only."
    )


PER_ROW = 3  # case characteristics' tables in a row: each wide enough for its longest category and its count


def case_characteristics(store: Store, me: Viewer) -> None:
    """The library counted by the facts read from its reports; each count opens onto the documents."""
    found = figures.case_characteristics(store, me)
    st.subheader("Case characteristics")
    if not found["documents"]:
        st.caption("No document you can read states case facts yet.")
        return
    st.caption(f"Read from {found['documents']} report(s) you can read; corrected by the coordinator where checked.")
    shown = list(figures.CHARACTERISTICS.items())
    for start in range(0, len(shown), PER_ROW):  # six side by side cut "Former partner" and "Reports" short
        row = shown[start : start + PER_ROW]
        for column, (characteristic, label) in zip(st.columns(PER_ROW), row, strict=False):
            with column:
                st.markdown(f"**{label}**")
                data_table(  # the heading above names the figure: the table's own headers stay short
                    pd.DataFrame(found[characteristic]).rename(columns={"category": "", "documents": "Reports"})
                )
    c1, c2 = st.columns(2)
    characteristic = c1.selectbox(
        "Open the reports behind a figure",
        list(figures.CHARACTERISTICS),
        format_func=figures.CHARACTERISTICS.get,
        key="characteristic",
    )
    category = c2.selectbox(
        "Which", [row["category"] for row in found[characteristic]], key=f"characteristic-{characteristic}"
    )
    for document in figures.documents_with(store, me, characteristic, category):
        st.markdown(
            f"**{document['title']}** · {document['document']}" + (" · checked" if document["corrected"] else "")
        )
        if document["sentence"]:
            st.caption(document["sentence"])


def national_recommendations_downloads(
    bodies: list[dict], csv_bytes: bytes, word_bytes: bytes, me: Viewer, not_public: int
) -> None:
    note = not_public_note(not_public, me)
    if not bodies:  # nothing to send on: no empty file to download
        st.caption(" ".join(filter(None, ("No recommendation you can read is addressed to a national body.", note))))
        return
    if note:
        st.caption(note)
    c1, c2 = st.columns(2)
    c1.download_button("Download as CSV", csv_bytes, "national-recommendations.csv", icon=":material/download:")
    c2.download_button("Download as Word", word_bytes, "national-recommendations.docx", icon=":material/download:")
    for body in bodies:
        st.subheader(f"{body['body']} · {recurring.said(body)}")
        for lesson in body["lessons"]:
            since = f" since {lesson['first_year']}" if lesson["first_year"] else ""
            with st.expander(f"{lesson['label']} · made by {recurring.said(lesson)}{since}"):
                for rec in lesson["recommendations"]:
                    st.markdown(f"**{national.named(rec)} · {rec['number'] or '—'}** {rec['text']}")
