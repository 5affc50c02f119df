"""Import the register of reviews the team kept before (coordinator): map the columns, check every
row, then import all rows or none."""

import pandas as pd
import streamlit as st

from core.errors import ValidationError
from reviews import tracker
from ui.import_flow import map_columns, uploaded
from ui.session import attempt, get_store, show_flash, today, viewer

store, me, now = get_store(), viewer(), today()
st.title("Import the register of reviews")
st.caption(
    "From the tracker workbook you kept before (Excel .xlsx or CSV): one row per review. Stage dates "
    "nobody recorded may be left blank; they show as “not recorded”. Dates such as 31/03/2015, "
    "“March 2015” or “Q3 2016” are read and flagged. Nothing is written until every row passes."
)
show_flash()

if (upload := uploaded("register_file", "Register of reviews", ["xlsx", "csv"])) is not None:
    name, data = upload
    try:
        proposed = tracker.preview(store, me, data, name, today=now)
    except ValidationError as error:
        st.error("This file cannot be read: " + "; ".join(error.problems))
        st.stop()
    st.subheader(f"1. Map the columns of {name}")
    mapping = map_columns(name, proposed.headers, proposed.mapping, tracker.FIELDS)
    try:
        result = tracker.preview(store, me, data, name, mapping, today=now)
    except ValidationError as error:
        st.error("; ".join(error.problems))
        st.stop()
    st.subheader("2. Check every row")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Row": r.number,
                    "Problems": "; ".join(r.problems),
                    "Notes": "; ".join(r.warnings),
                    **{tracker.FIELDS[k]: v for k, v in r.values.items()},
                }
                for r in result.rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if result.ok:
        st.success(f"{len(result.rows)} review(s) ready to import.")
        if st.button("3. Import all rows", type="primary"):
            added: list = []
            if attempt(lambda: added.extend(tracker.import_tracker(store, me, result, today=now)), ""):
                st.session_state.pop("register_file")
                st.session_state["flash"] = f"Imported {len(added)} review(s): {', '.join(added)}."
                st.rerun()
    else:
        st.error("Nothing can be imported until these are fixed:\n\n" + "\n".join(f"- {p}" for p in result.problems))
