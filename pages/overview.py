"""Overview for partners, agency leads and board members: the partnership's headline figures, the latest
lessons and the most widespread themes, reviews by stage. Aggregate figures, no case records."""

import pandas as pd
import streamlit as st

from core.accounts import ROLES
from indexing.theme_figures import DOCUMENTS_HELP, REVIEWS_HELP, latest_lessons, prevalence
from recommendations.figures import HEADLINE_HELP, partnership_headline
from reviews.attention import stage_rows
from reviews.register import stage_counts
from ui.charts import reviews_by_stage
from ui.format import data_table
from ui.session import get_store, today, viewer

store, me, now = get_store(), viewer(), today()
st.title("Partnership overview")
st.caption(
    f"You are signed in as {ROLES[me.role].lower()}. Case records are visible only to the coordinator "
    "and each review's chair; these figures name no one."
)
figure_row = st.container(horizontal=True, gap="medium")  # each figure as wide as its words, as on the dashboard
for label, value in partnership_headline(store, now).items():
    figure_row.metric(label, value, help=HEADLINE_HELP.get(label), width="content")

lessons, themes = st.columns([3, 2])
with lessons:
    st.subheader("Latest lessons")
    latest = latest_lessons(store, me)
    if latest:
        for lesson in latest:
            year = f" · {lesson['year']}" if lesson["year"] else ""
            st.markdown(f"**{lesson['title']}**  \n:gray[{lesson['kind'].capitalize()}{year}]")
            if lesson["themes"]:
                st.caption("Themes: " + ", ".join(lesson["themes"]))
        st.page_link("pages/search.py", label="Search every lesson", icon=":material/search:")
    else:
        st.info("No learning briefs or reports are in the library yet.")
with themes:
    st.subheader("Themes that recur most")
    st.caption(
        "The partnership's reviews (in the register) and the library documents that are about each theme, not "
        "every passing mention. A published review of another partnership counts as a document."
    )
    widespread = prevalence(store, me, by="reviews")[:8]
    if widespread:
        data_table(
            pd.DataFrame([{"Theme": p.label, "Reviews": p.reviews, "Documents": p.documents} for p in widespread]),
            column_config={
                "Theme": st.column_config.TextColumn(width=200),
                "Reviews": st.column_config.NumberColumn(help=REVIEWS_HELP),
                "Documents": st.column_config.NumberColumn(help=DOCUMENTS_HELP),
            },
        )
        st.page_link("pages/themes.py", label="Explore the themes", icon=":material/hub:")
    else:
        st.info("No themes yet: they appear when documents are in the library.")

st.subheader("Reviews by stage")
summary = stage_rows(stage_counts(store))
if not summary:
    st.info("No reviews in the register yet.")
else:
    reviews_by_stage(summary)
