"""Overview for partners, agency leads and board members: aggregate figures, no case records."""

import altair as alt
import pandas as pd
import streamlit as st

from core.accounts import ROLES
from reviews.register import stage_counts
from reviews.stages import STAGES
from ui.session import get_store, viewer

store, me = get_store(), viewer()
st.title("Partnership overview")
st.caption(
    f"You are signed in as {ROLES[me.role].lower()}. Case records are visible only to the coordinator "
    "and each review's chair; these figures name no one."
)
counts = stage_counts(store)
total = sum(counts.values())
open_reviews = total - counts["closed"]
c1, c2, c3 = st.columns(3)
c1.metric("Reviews in the register", total)
c2.metric("Open reviews", open_reviews)
c3.metric("In action-plan monitoring", counts["monitoring"])
data = pd.DataFrame([{"Stage": STAGES[k], "Reviews": v, "order": i} for i, (k, v) in enumerate(counts.items())])
st.altair_chart(
    alt.Chart(data)
    .mark_bar()
    .encode(
        x=alt.X("Reviews:Q", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("Stage:N", sort=list(STAGES.values()), title=None, axis=alt.Axis(labelLimit=320)),
    ),
    width="stretch",
)
