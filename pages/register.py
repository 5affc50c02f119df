"""The review register, with filters."""

import pandas as pd
import streamlit as st

from reviews.deadlines import STATUS_LABELS, by_urgency
from reviews.register import REVIEW_TYPES, list_reviews, review_deadlines
from reviews.stages import DECISIONS, STAGES
from ui.session import get_store, today, viewer

store, me, now = get_store(), viewer(), today()
reviews = list_reviews(store, me)
st.title("Review register")

c1, c2, c3, c4 = st.columns(4)
stage_filter = c1.multiselect("Stage", list(STAGES), format_func=STAGES.get)
type_filter = c2.multiselect("Review type", REVIEW_TYPES)
decision_filter = c3.multiselect("Decision", list(DECISIONS), format_func=DECISIONS.get)
show_closed = c4.toggle("Include closed reviews", value=True)
search = st.text_input("Find by reference, pseudonym or chair", placeholder="e.g. DHR-2026 or Rose")

rows = []
for review in reviews:
    if stage_filter and review.current_stage not in stage_filter:
        continue
    if type_filter and review.review_type not in type_filter:
        continue
    if decision_filter and review.decision not in decision_filter:
        continue
    if not show_closed and not review.is_open:
        continue
    haystack = " ".join([review.reference, review.pseudonym, review.chair or ""]).lower()
    if search and search.lower() not in haystack:
        continue
    pending = [
        d
        for d in by_urgency(review_deadlines(review, store, now))
        if d.status in ("overdue", "due_soon", "paused", "open")
    ]
    first = pending[0] if pending else None
    rows.append(
        {
            "Reference": review.reference,
            "Pseudonym": review.pseudonym,
            "Type": review.review_type,
            "Stage": STAGES[review.current_stage],
            "Decision": DECISIONS[review.decision],
            "Chair": review.chair or "—",
            "Next deadline": f"{first.label}: {STATUS_LABELS[first.status]}" if first else "—",
            "Due": first.due if first else None,
        }
    )

st.caption(f"{len(rows)} of {len(reviews)} review(s)")
if rows:
    table = st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={"Due": st.column_config.DateColumn(format="DD MMM YYYY")},
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
    st.info("No review matches these filters.")
