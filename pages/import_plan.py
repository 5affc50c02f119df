"""Import an action plan from Excel or CSV: map the columns, preview every row, then import all or nothing."""

from pathlib import Path

import pandas as pd
import streamlit as st

from core.agencies import agency_hint, list_agencies
from demo import is_demo
from recommendations import spreadsheet, theming
from reviews.register import list_reviews
from ui.format import data_table, no_reviews_hint
from ui.import_flow import finished, map_columns, readable, show_problems, show_skipped, stop_unless_mapped, uploaded
from ui.session import attempt, get_library, get_store, show_flash, viewer

DEMO_FILE = Path(__file__).resolve().parents[1] / "demo" / "action-plan-DHR-2026-02.xlsx"
store, me = get_store(), viewer()
st.title("Import an action plan")
st.caption(
    "From Excel (.xlsx) or CSV. Nothing is written until every row passes; free-text dates are kept and flagged."
)
show_flash()

references = [r.reference for r in list_reviews(store, me)]
reference = st.selectbox(  # opened from a review, that review; from anywhere else, chosen, never guessed
    "Into review",
    references,
    index=references.index(st.session_state["plan_review"])
    if st.session_state.get("plan_review") in references
    else None,
    placeholder="Choose the review",
)
if reference is None:
    st.info(
        "Choose the review the plan belongs to, then the file." if references else no_reviews_hint(me.is_coordinator)
    )
    st.stop()
if uploaded("plan_file", "Action plan", ["xlsx", "csv"]) is None and is_demo(store):
    if st.button("Load the fictional example plan", icon=":material/upload_file:"):
        st.session_state["plan_file"] = (DEMO_FILE.name, DEMO_FILE.read_bytes())

if "plan_file" in st.session_state:
    name, data = st.session_state["plan_file"]
    proposed = readable(lambda: spreadsheet.preview(store, data, name))
    st.subheader(f"1. Map the columns of {name}")
    st.caption(
        "Say what each column holds. “How success is measured” and “Expected outcome” are what the plan "
        "promises; only a column saying what was done is evidence."
    )
    mapping = map_columns(name, proposed.headers, proposed.mapping, spreadsheet.FIELDS, proposed.samples)
    add_all = me.is_coordinator and st.session_state.get(f"add-all-{name}", False)
    result = readable(
        lambda: spreadsheet.preview(store, data, name, mapping, viewer=me, reference=reference, add_agencies=add_all)
    )
    stop_unless_mapped(result.unmapped)
    step = 2
    if result.unknown_agencies or add_all:
        st.subheader("2. Agencies this workspace does not list")
        st.caption(
            "Choose the listed agency each name means"
            + (", or add it as a new agency." if me.is_coordinator else ". Only the coordinator can add agencies.")
            + " A cell such as “Police; CPS” names an owner and a partner agency. The closest names, by meaning "
            "and spelling, come first."
            + (
                " The workspace remembers the listed agency you choose for each name, here or on the command line, "
                "and does not ask again."
                if me.is_coordinator
                else ""
            )
        )
        if me.is_coordinator:
            st.checkbox("Add every name that is not on the list as a new agency", key=f"add-all-{name}")
        listed = list_agencies(store.read())
        agency_map = {}
        for unknown, closest in ({} if add_all else result.unknown_agencies).items():
            options = [*closest, *([spreadsheet.ADD] if me.is_coordinator else []), *sorted(set(listed) - set(closest))]
            choice = st.selectbox(
                f"“{unknown}” is",
                options,
                index=None,
                placeholder=f"Choose… ({agency_hint(me, unknown, closest)})",
                format_func=lambda a, u=unknown: f"Add “{u}” as a new agency" if a == spreadsheet.ADD else a,
                key=f"agency-{name}-{unknown}",
            )
            if choice:
                agency_map[unknown] = choice
        if agency_map:
            result = readable(
                lambda: spreadsheet.preview(
                    store, data, name, mapping, viewer=me, reference=reference, agency_map=agency_map
                )
            )
        step = 3
    st.subheader(f"{step}. Check every row")
    show_skipped(result.skipped)
    data_table(pd.DataFrame(spreadsheet.preview_rows(result)))
    if not result.ok:
        show_problems(result.problems)
    elif not result.new_rows:
        st.info(f"Every row of {name} is already in {reference}: there is nothing to import.")
    else:
        skipped = len(result.rows) - len(result.new_rows)
        st.success(
            f"{len(result.new_rows)} row(s) ready to import into {reference}."
            + (f" {skipped} row(s) are already in the review and will be skipped." if skipped else "")
        )
        if result.agencies_to_add:
            st.info("These agencies will be added to the list: " + ", ".join(result.agencies_to_add))
        if st.button(f"{step + 1}. Import all rows", type="primary"):
            added: list = []
            if attempt(lambda: added.append(spreadsheet.import_plan(store, me, reference, result)), ""):
                with st.spinner("Suggesting themes for the new recommendations…"):
                    theming.refresh(store, get_library(), me, ("recommendation", "action"))
                finished("plan_file", added[0].summary(reference) + " Themes are suggested on the review page.")
