"""The review register, with filters."""

import pandas as pd
import streamlit as st

from reviews.listing import RegisterFilters, register_rows
from reviews.register import REVIEW_TYPES, list_reviews
from reviews.stages import DECISIONS, STAGES
from ui.format import data_table, no_reviews_hint, reference_widths
from ui.session import get_store, today, viewer

store, me, now = get_store(), viewer(), today()
reviews = list_reviews(store, me)
st.title("Review register")

c1, c2, c3, c4 = st.columns(4)
stage_filter = c1.multiselect("Stage", list(STAGES), format_func=STAGES.get)
type_filter = c2.multiselect("Review type", REVIEW_TYPES)
decision_filter = c3.multiselect("Decision", list(DECISIONS), format_func=DECISIONS.get)
show_closed = c4.toggle("Include closed reviews", value=True)
search = st.text_input("Find by reference, pseudonym or chair", placeholder="e.g. DHR-2026, Rose or Morgan Ellis")

filters = RegisterFilters(tuple(stage_filter), tuple(type_filter), tuple(decision_filter), show_closed, search)
rows = register_rows(store, reviews, filters, now)
st.caption(f"{len(rows)} of {len(reviews)} review(s)")
if rows:
    reference_width, deadline_width = reference_widths([r["Reference"] for r in rows], 92, 290)
    table = data_table(
        pd.DataFrame(rows),
        # type and decision are filters above; the stage and the next deadline are read whole at 1400 px
        column_order=["Reference", "Pseudonym", "Stage", "Chair", "Next deadline", "Due"],
        column_config={
            "Reference": st.column_config.TextColumn(width=reference_width),
            "Pseudonym": st.column_config.TextColumn(width=75),
            "Stage": st.column_config.TextColumn(width=248),
            "Chair": st.column_config.TextColumn(width=105),
            "Next deadline": st.column_config.TextColumn(width=deadline_width, help="Hover to read it whole"),
            "Due": st.column_config.DateColumn(format="DD MMM YYYY", width=100),
        },
        on_select="rerun",
        selection_mode="single-row",
    )
    selected = table.selection.rows
    chosen = rows[selected[0]]["Reference"] if selected else None
    chosen = (
        st.selectbox(
            "Open a review",
            [r["Reference"] for r in rows],
            index=None,
            placeholder="Choose a review, or select its row",
        )
        or chosen
    )
    if chosen:
        st.switch_page("pages/review.py", query_params={"ref": chosen})
else:
    st.info("No review matches these filters." if reviews else no_reviews_hint(me.is_coordinator))
