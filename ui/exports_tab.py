"""The review page's drafting kit: Word downloads, the combined chronology and the publication check."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from core.accounts import Viewer
from core.agencies import list_agencies
from core.dates import uk_date
from core.db import Store
from core.errors import DHRError, ValidationError
from exports import builders
from reviews import chronology, publication, register
from ui.format import data_table
from ui.labels import readable
from ui.session import attempt, form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LABELS = {
    "overview-report": "Overview report draft",
    "executive-summary": "Executive summary draft",
    "action-plan": "Action plan",
    "qa-log": "QA response log",
    "chronology": "Combined chronology",
}


def exports_tab(store: Store, me: Viewer, review: register.Review, today: date) -> None:
    st.markdown("**Word documents** (confidential drafts, filled with what the app holds)")
    columns = st.columns(len(LABELS))
    for column, (name, label) in zip(columns, LABELS.items(), strict=True):
        column.download_button(
            label,
            partial(builders.review_document, store, me, review.reference, name, today),
            f"{review.reference}-{name}.docx",
            DOCX,
            key=f"download-{name}",
            width="stretch",
        )
    st.divider()
    _chronology_tool(store, me, review)
    st.divider()
    _publication_check(store, me, review, today)


def _chronology_tool(store: Store, me: Viewer, review: register.Review) -> None:
    st.markdown("**Combined chronology**: add each agency's chronology (Excel, CSV or a Word table)")
    with form("chronology"):
        files = st.file_uploader("Chronologies", type=["xlsx", "csv", "docx"], accept_multiple_files=True)
        agency = st.selectbox("Agency, where a file has no agency column", list_agencies(store.read()), index=None)
        if st.form_submit_button("Add to the combined chronology") and files:
            try:
                entries = [
                    e
                    for f in files
                    for e in chronology.read_chronology(f.getvalue(), f.name, default_agency=agency or "")
                ]
            except ValidationError as error:
                st.error("Nothing was added. Please fix:\n\n" + "\n".join(f"- {p}" for p in error.problems))
            else:
                saved = []
                if attempt(
                    lambda: saved.append(chronology.save(store, me, review.reference, entries)),
                    "Chronology updated.",
                ):
                    st.session_state["flash"] = f"{saved[0].added} entries added to the combined chronology" + (
                        f"; {saved[0].already_there} were already there." if saved[0].already_there else "."
                    )
                    st.rerun()
    entries = chronology.load(store, me, review.reference)
    if not entries:
        st.caption("No entries yet.")
        return
    data_table(pd.DataFrame(chronology.as_rows(entries)).rename(columns=str.capitalize))
    suspected = [e for e in entries if e.duplicate_status == "suspected"]
    if suspected:
        with st.form("duplicates"):
            entry = st.selectbox(
                "Possible duplicate",
                suspected,
                format_func=lambda e: (
                    f"{e.date_label} {e.agency}: {e.event[:60]} ≈ {entries[e.duplicate_of].agency}: "
                    f"{entries[e.duplicate_of].event[:60]}"
                ),
            )
            confirm, reject = st.columns(2)
            if confirm.form_submit_button("Same event: leave it out") and attempt(
                lambda: chronology.decide_duplicate(store, me, review.reference, entry_id=entry.id, confirmed=True),
                "Marked as a duplicate.",
            ):
                st.rerun()
            if reject.form_submit_button("Different events: keep both") and attempt(
                lambda: chronology.decide_duplicate(store, me, review.reference, entry_id=entry.id, confirmed=False),
                "Kept as a separate event.",
            ):
                st.rerun()
    st.download_button(
        "Combined chronology (.xlsx)", partial(chronology.to_xlsx, entries), f"{review.reference}-chronology.xlsx", XLSX
    )


def _publication_check(store: Store, me: Viewer, review: register.Review, today: date) -> None:
    st.markdown("**Publication check**: scan the final overview report or executive summary before it is published")
    upload = st.file_uploader("Final report (.docx)", type=["docx"], key="publication-upload")
    if upload is not None:
        try:
            findings = builders.publication_findings(store, me, review.reference, upload.getvalue())
        except DHRError as error:
            st.error(readable(str(error)))
            return
        accepted = publication.accepted(store, me, review.reference)
        remaining = publication.open_findings(store, me, review.reference, findings)
        data_table(
            pd.DataFrame([{**f.as_json(), "accepted because": accepted.get(f.key, "")} for f in findings]),
        )
        if remaining and me.is_coordinator:
            with form("accept"):
                finding = st.selectbox("Finding", remaining, format_func=lambda f: f"{f.kind}: {f.text} ({f.location})")
                reason = st.text_input("Why this may stay in the published version")
                if st.form_submit_button("Accept this finding") and attempt(
                    lambda: publication.accept(store, me, review.reference, finding_key=finding.key, reason=reason),
                    "Finding accepted.",
                ):
                    st.rerun()
        if remaining:
            st.error(
                f"{len(remaining)} finding(s) open: correct the report, or the coordinator records why each is "
                "acceptable, before a published version can be exported."
            )
        else:
            st.success("Nothing open. The published version can be exported.")
            st.download_button(
                "Published version (.docx)",
                partial(builders.published_version, store, me, review.reference, upload.getvalue()),
                f"{review.reference}-published.docx",
                DOCX,
            )
    published_on = review.stage_dates.get("published")
    if published_on:
        until = publication.online_until(published_on)
        st.info(
            f"Published {uk_date(published_on)}"
            + (f" at {review.published_url}" if review.published_url else "")
            + f". It must stay online until at least {uk_date(until)}."
        )
    if me.is_coordinator:
        with form("web_address"):
            url = st.text_input("Web address of the published report", value=review.published_url or "")
            if st.form_submit_button("Save web address") and attempt(
                lambda: publication.record_web_address(store, me, review.reference, url=url), "Web address saved."
            ):
                st.rerun()
