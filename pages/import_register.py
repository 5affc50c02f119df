"""Import the register of reviews the team kept before (coordinator): map the columns, check every
row, then import all rows or none."""

import pandas as pd
import streamlit as st

from reviews import tracker
from ui.format import data_table
from ui.import_flow import finished, map_columns, readable, show_problems, show_skipped, stop_unless_mapped, uploaded
from ui.session import attempt, get_store, show_flash, today, viewer

store, me, now = get_store(), viewer(), today()
st.title("Import the register of reviews")
st.caption(
    "From the tracker workbook you kept before (Excel .xlsx or CSV): one row per review. Stage dates "
    "nobody recorded may be left blank; they show as “not recorded”. Dates such as 31/03/2015, "
    "“21st Jan 2023”, “Nov 23” or “w/c 5/12/22” are read and flagged; “TBC”, “n/a” and “-” are not "
    "recorded. A notification or decision date without its day (“Sept 22”) is read as the earliest day it "
    "can be, so that no deadline falls later than it may, and its row asks for the day. "
    "Nothing is written until every row passes."
)
show_flash()

if (upload := uploaded("register_file", "Register of reviews", ["xlsx", "csv"])) is not None:
    name, data = upload
    proposed = readable(lambda: tracker.preview(store, me, data, name, today=now))
    st.subheader(f"1. Map the columns of {name}")
    st.caption(
        "Say what each column holds. A status column (“Published 1 Sept 2024”, “On hold – criminal trial”, "
        "“Not proceeding”, “Closed”) sets the stage, pause or decision it names."
    )
    mapping = map_columns(name, proposed.headers, proposed.mapping, tracker.FIELDS, proposed.samples)
    result = readable(lambda: tracker.preview(store, me, data, name, mapping, today=now))
    stop_unless_mapped(result.unmapped)
    st.subheader("2. Check every row")
    show_skipped(result.skipped)
    data_table(pd.DataFrame(tracker.preview_rows(result)))
    if not result.ok:
        show_problems(result.problems)
    else:
        st.success(f"{len(result.rows)} review(s) ready to import.")
        if st.button("3. Import all rows", type="primary"):
            added: list = []
            if attempt(lambda: added.extend(tracker.import_tracker(store, me, result, today=now)), ""):
                finished("register_file", f"Imported {len(added)} review(s): {', '.join(added)}.")
