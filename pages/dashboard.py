"""Dashboard: what needs attention, reviews by stage, and a timeline of open reviews with their pauses."""

from functools import partial

import pandas as pd
import streamlit as st

from core import workspace
from core.dates import uk_date
from exports.builders import board_report
from exports.calendar import deadlines_calendar
from recommendations.attention import needs_attention
from reviews.attention import attention_rows, by_stage, headline, timeline
from reviews.register import list_reviews, review_deadlines
from reviews.stages import STANDING_HELP, STANDINGS
from ui.charts import review_timeline, reviews_by_stage
from ui.format import data_table, no_reviews_hint, reference_widths
from ui.session import get_store, today, viewer
from ui.setup_checklist import setup_checklist

store, me, now = get_store(), viewer(), today()
reviews = list_reviews(store, me)
settings = workspace.load(store.read())
flat = [d for r in reviews for d in review_deadlines(r, store, now, settings)]
figures = headline(reviews, flat, now)

st.title("Dashboard")
st.caption(f"{len(reviews)} review(s) you can see · statuses as at {uk_date(now)}")
setup_checklist(store, me)

figure_row = st.container(horizontal=True, gap="medium")  # each figure as wide as its words, wrapping when narrow
figure_row.metric(
    STANDINGS["in_progress"],
    figures.in_progress,
    help=STANDING_HELP["in_progress"],
    width="content",
)
figure_row.metric(
    STANDINGS["closing"],
    figures.closing,
    help=STANDING_HELP["closing"],
    width="content",
)
figure_row.metric("Overdue deadlines", figures.overdue, width="content")
figure_row.metric("Due within the window", figures.due_soon, width="content")
figure_row.metric("Reviews paused", figures.paused, width="content")

st.subheader("Needs attention")
urgent = attention_rows(needs_attention(store, me, reviews, flat, now), now)
if urgent:
    review_width, item_width = reference_widths([r["Review"] for r in urgent], 105, 265)
    data_table(
        pd.DataFrame(urgent),
        column_config={  # a reference and the kind of item whole; the text of the item and its detail after
            "Review": st.column_config.TextColumn(width=review_width),
            "What": st.column_config.TextColumn(width=165),
            "Item": st.column_config.TextColumn(width=item_width, help="Hover over an item to read it whole"),
            "When": st.column_config.TextColumn(width=170),
        },
    )
else:
    st.success("Nothing is overdue or due soon: no deadline, QA area for development or action.")

left, right = st.columns([1, 2]), st.container()
with left[0]:
    st.subheader("Reviews by stage")
    summary = by_stage(reviews)
    if not summary:
        st.info(no_reviews_hint(me.is_coordinator))
    else:
        reviews_by_stage(summary)
with right:
    st.subheader("Timeline of open reviews")
    drawn = timeline(reviews, flat, now)
    if drawn["stages"]:
        review_timeline(drawn, now)
        if drawn["pauses"]:
            st.caption("The dark line across a review is a pause for parallel proceedings (hover for the reason).")
    else:
        st.info("No open reviews.")

st.download_button(
    "Deadlines for Outlook (.ics), overdue ones flagged",
    deadlines_calendar(flat, name="DHR deadlines"),
    file_name="dhr-deadlines.ics",
    mime="text/calendar",
    icon=":material/calendar_month:",
)

quarter = f"{now.year}Q{(now.month - 1) // 3 + 1}"
left, right = st.columns([1, 2])
left.download_button(
    f"Board report {quarter} (.docx)",
    partial(board_report, store, quarter, now),
    f"board-report-{quarter}.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    icon=":material/description:",
)
right.page_link("pages/figures.py", label="Board figures for any quarter", icon=":material/bar_chart:")
