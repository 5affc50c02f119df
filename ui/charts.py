"""Charts more than one page draws."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st


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
