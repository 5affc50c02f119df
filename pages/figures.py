"""Implementation and board figures: aggregate, naming no case, for every role."""

from datetime import date
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from exports.builders import board_report
from recommendations import figures
from ui.format import data_table
from ui.session import get_store, today

store, now = get_store(), today()
st.title("Implementation and board figures")
st.caption("Figures across every review. They name no victim and no case.")

current = figures.Quarter(now.year, (now.month - 1) // 3 + 1)
quarters = []
for back in range(8):
    index = current.year * 4 + current.number - 1 - back
    quarters.append(figures.Quarter(index // 4, index % 4 + 1))
quarter = st.selectbox("Quarter for the board", quarters, format_func=str)
board = figures.board_figures(store, quarter, today=now)
st.subheader(
    f"Board figures, {quarter} ({date.fromisoformat(board['from']):%d %b} – {date.fromisoformat(board['to']):%d %b %Y})"
)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Reviews opened", board["reviews_opened"])
c2.metric("Reviews closed", board["reviews_closed"])
c3.metric("Statutory deadlines met", board["statutory_deadlines_met"])
c4.metric("Statutory deadlines missed", board["statutory_deadlines_missed"])
c5, c6, c7, c8 = st.columns(4)
c5.metric("Actions completed", board["actions_completed"], help=f"{board['actions_completed_on_time']} on time")
c6.metric("Actions overdue", sum(board["actions_overdue_by_agency"].values()))
c7.metric(
    "Recommendations fully implemented",
    f"{board['recommendations_fully_implemented']} of {board['recommendations_total']}",
)
c8.metric(
    "QA letters",
    sum(board["qa_outcomes"].values()),
    help=", ".join(f"{k}: {v}" for k, v in board["qa_outcomes"].items()) or "none this quarter",
)
st.download_button(
    f"Board report {quarter} (.docx)",
    partial(board_report, store, str(quarter), now),
    f"board-report-{quarter}.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    icon=":material/description:",
)
if board["actions_overdue_by_agency"]:
    st.markdown(
        "**Overdue actions by agency:** " + ", ".join(f"{k} {v}" for k, v in board["actions_overdue_by_agency"].items())
    )

st.subheader("Implementation by agency")  # the page's width: eight columns, none cut off
agencies = pd.DataFrame(figures.agency_table(figures.all_actions(store), now))
if agencies.empty:
    st.info("No actions yet.")
else:
    number = st.column_config.NumberColumn
    data_table(
        agencies,
        column_config={  # widths in px: all eight in view in a 1400 px window; the long headings shortened
            "Agency": st.column_config.TextColumn(width=240),
            "Actions": number(width=70),
            "Complete": number(width=80),
            "Completed on time": number("On time", width=80, help="Completed by the target date"),
            "Complete, date not recorded": number(
                "Done, no date", width=105, help="Complete on a date nobody recorded: neither on time nor late"
            ),
            "Overdue": number(width=75),
            "% complete": st.column_config.TextColumn(width=95),
            "% on time (of those with a completion date)": st.column_config.TextColumn(
                "% on time", width=90, help="Of the actions completed on a recorded date"
            ),
        },
    )

st.subheader("Recommendations by theme")
by_theme = figures.recommendations_by_theme(store)
if any(by_theme.values()):
    st.altair_chart(
        alt.Chart(pd.DataFrame([{"Theme": k, "Recommendations": v} for k, v in by_theme.items()]))
        .mark_bar()
        .encode(
            x=alt.X("Recommendations:Q", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("Theme:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
        ),
        width="stretch",
    )
else:
    st.info("No recommendations yet: they are counted by theme once a review's action plan records them.")

left, right = st.columns(2)
with left:
    st.subheader("QA outcomes over time")
    outcomes = pd.DataFrame(figures.qa_outcomes(store))
    if outcomes.empty:
        st.info("No QA letters recorded yet.")
    else:
        st.altair_chart(
            alt.Chart(outcomes)
            .mark_bar()
            .encode(
                x=alt.X("year:O", title="Year of letter"),
                y=alt.Y("count():Q", title="Letters", axis=alt.Axis(tickMinStep=1, format="d")),
                color=alt.Color("outcome:N", title="Outcome"),
            ),
            width="stretch",
        )
with right:
    st.subheader("Most common QA themes")
    qa_themes = figures.qa_themes(store)
    if qa_themes:
        data_table(
            pd.DataFrame([{"Theme": k, "Areas for development": v} for k, v in qa_themes.items()]),
            column_config={  # the count in view beside the theme in half of a 1400 px page
                "Theme": st.column_config.TextColumn(width=250),
                "Areas for development": st.column_config.NumberColumn(width=160),
            },
        )
    else:
        st.info("No areas for development recorded yet.")
