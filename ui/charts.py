"""Charts the pages draw."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from reviews.deadlines import STATUS_LABELS
from reviews.stages import STAGES
from ui.format import STATUS_COLOURS


def reviews_by_stage(rows: list[dict]) -> None:
    """A bar per stage (rows from ``attention.stage_rows``, already in the order of the stages), counted in
    whole reviews."""
    st.altair_chart(
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X("Reviews:Q", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("Stage:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        ),
        width="stretch",
    )


def review_timeline(drawn: dict[str, list[dict]], today: date) -> None:
    """The open reviews' stages as bars, their pauses as dark lines across them and their deadlines as
    diamonds (``drawn`` from ``attention.timeline``, with at least one stage), today as a dashed rule. A
    layer with nothing to draw (no pause, no deadline) is left out: an empty frame gives Altair no column
    types to infer."""
    layers = [_stage_bars(drawn["stages"])]
    if drawn["pauses"]:
        layers.append(_pause_lines(drawn["pauses"]))
    if drawn["deadlines"]:
        layers.append(_deadline_marks(drawn["deadlines"]))
    layers.append(alt.Chart(pd.DataFrame([{"Today": today}])).mark_rule(strokeDash=[4, 4]).encode(x="Today:T"))
    chart = alt.layer(*layers).resolve_scale(color="independent", fill="independent")
    st.altair_chart(
        chart.resolve_legend(color="independent", fill="independent"),
        width="stretch",
        height=40 * len({span["Review"] for span in drawn["stages"]}) + 200,  # room for the legends
    )


def _stage_bars(spans: list[dict]) -> alt.Chart:
    return (
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


def _pause_lines(pauses: list[dict]) -> alt.Chart:
    return (
        alt.Chart(pd.DataFrame(pauses))
        .mark_bar(color="#444", opacity=0.9, height=6)
        .encode(
            x="From:T",
            x2="To:T",
            y="Review:N",
            tooltip=[
                "Review",
                alt.Tooltip("Pause", title="Paused for"),
                alt.Tooltip("From:T", format="%d %b %Y"),
                alt.Tooltip("To:T", format="%d %b %Y"),
            ],
        )
    )


def _deadline_marks(marks: list[dict]) -> alt.Chart:
    statuses = list(STATUS_LABELS.values())
    return (
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
