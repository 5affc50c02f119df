"""Dashboard: reviews by stage, every overdue and due-soon deadline, and a timeline of open reviews."""

from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from exports.builders import board_report
from exports.calendar import deadlines_calendar
from reviews.deadlines import STATUS_LABELS, by_urgency
from reviews.register import list_reviews, review_deadlines
from reviews.stages import STAGES, stage_spans
from ui.format import STATUS_COLOURS, days_phrase, uk_date
from ui.session import get_store, today, viewer

store, me, now = get_store(), viewer(), today()
reviews = list_reviews(store, me)
deadlines = {r.reference: review_deadlines(r, store, now) for r in reviews}
flat = [d for ds in deadlines.values() for d in ds]

st.title("Dashboard")
st.caption(f"{len(reviews)} review(s) you can see · statuses as at {uk_date(now)}")

overdue = [d for d in flat if d.status == "overdue"]
due_soon = [d for d in flat if d.status == "due_soon"]
paused = {d.reference for d in flat if d.status == "paused"}
cols = st.columns(4)
cols[0].metric("Open reviews", sum(r.is_open for r in reviews))
cols[1].metric("Overdue deadlines", len(overdue))
cols[2].metric("Due within the window", len(due_soon))
cols[3].metric("Reviews paused", len(paused))

st.subheader("Needs attention")
urgent = by_urgency(overdue + due_soon)
if urgent:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Review": d.reference,
                    "Deadline": d.label,
                    "Due": d.due,
                    "When": days_phrase(d.due, now),
                    "Status": STATUS_LABELS[d.status],
                    "Basis": d.basis,
                    "Rule": d.rule,
                }
                for d in urgent
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"Due": st.column_config.DateColumn(format="DD MMM YYYY")},
    )
else:
    st.success("No deadline is overdue or due soon.")

left, right = st.columns([1, 2]), st.container()
with left[0]:
    st.subheader("Reviews by stage")
    counts = pd.DataFrame(
        [{"Stage": STAGES[r.current_stage], "order": list(STAGES).index(r.current_stage)} for r in reviews]
    )
    if counts.empty:
        st.info("No reviews yet.")
    else:
        summary = counts.groupby(["order", "Stage"]).size().reset_index(name="Reviews").sort_values("order")
        st.altair_chart(
            alt.Chart(summary)
            .mark_bar()
            .encode(
                x=alt.X("Reviews:Q", axis=alt.Axis(tickMinStep=1, format="d")),
                y=alt.Y("Stage:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            ),
            width="stretch",
        )
with right:
    st.subheader("Timeline of open reviews")
    spans = [
        {"Review": r.reference, "Stage": STAGES[stage], "From": start, "To": end}
        for r in reviews
        if r.is_open
        for stage, start, end in stage_spans(r.decision, r.stage_dates, now)
    ]
    marks = [
        {"Review": d.reference, "Deadline": d.label, "Due": d.due, "Status": STATUS_LABELS[d.status]}
        for d in flat
        if d.due and d.deadline != "agency_return" and d.reference in {r.reference for r in reviews if r.is_open}
    ]
    if spans:
        bars = (
            alt.Chart(pd.DataFrame(spans))
            .mark_bar(opacity=0.55)
            .encode(
                x=alt.X("From:T", title=None),
                x2="To:T",
                y=alt.Y("Review:N", title=None),
                color=alt.Color(
                    "Stage:N",
                    sort=list(STAGES.values()),
                    legend=alt.Legend(title="Stage", orient="bottom", columns=3, labelLimit=260),
                ),
                tooltip=[
                    "Review",
                    "Stage",
                    alt.Tooltip("From:T", format="%d %b %Y"),
                    alt.Tooltip("To:T", format="%d %b %Y"),
                ],
            )
        )
        statuses = list(STATUS_LABELS.values())
        points = (
            alt.Chart(pd.DataFrame(marks))
            .mark_point(shape="diamond", size=140, filled=True)
            .encode(
                x="Due:T",
                y="Review:N",
                fill=alt.Fill(
                    "Status:N",
                    scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in STATUS_LABELS]),
                    legend=alt.Legend(title="Deadline", orient="top", direction="horizontal"),
                ),
                tooltip=["Review", "Deadline", alt.Tooltip("Due:T", format="%d %b %Y"), "Status"],
            )
        )
        today_rule = alt.Chart(pd.DataFrame([{"Today": now}])).mark_rule(strokeDash=[4, 4]).encode(x="Today:T")
        chart = alt.layer(bars, points, today_rule).resolve_scale(color="independent", fill="independent")
        st.altair_chart(
            chart.resolve_legend(color="independent", fill="independent"),
            width="stretch",
            height=40 * len({span["Review"] for span in spans}) + 200,  # room for the legends
        )
    else:
        st.info("No open reviews.")

st.download_button(
    "Upcoming deadlines for Outlook (.ics)",
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
