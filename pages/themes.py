"""Themes: what the lessons are, how often and where they recur, and whether anyone acted on them.
Every count covers only the documents the signed-in person may read; every figure opens onto
the passages behind it."""

import textwrap

import altair as alt
import pandas as pd
import streamlit as st

from indexing import emerging, theme_figures
from indexing.repository import SCOPE_LABELS, repository_url
from indexing.themes import GROUPS, PASSAGE_GROUPS, list_themes
from recommendations import theming
from ui.format import data_table, fitted_widths, no_documents_hint, text_width
from ui.reading import case_characteristics, recurring_lessons
from ui.session import attempt, form, get_library, get_store, show_flash, viewer

# the "By CSP and kind" tables' widths in pixels: the whole table in view in a 1280 px window, the theme's column at
# most THEME_WIDTH, a count's never under COUNT_WIDTH
TABLE_WIDTH, THEME_WIDTH, COUNT_WIDTH = 800, 250, 70

store, me, library = get_store(), viewer(), get_library()
st.title("Themes")
documents = theme_figures.visible_document_count(store, me)
st.caption(
    f"Across the {documents} library {'document' if documents == 1 else 'documents'} you can read. Figures count "
    "the documents that are about a theme (at least a fifth of their passages, or a fact stated outright, not a "
    "passing mention) and the reviews in the register they are linked to: a report linked to no review counts as "
    "a document. Themes are tagged automatically and corrected by the "
    "coordinator; each figure opens onto every passage that mentions the theme."
)
show_flash()
if not documents:  # the recurring lessons read the review plans as well: they are shown all the same
    st.info(no_documents_hint(me, "themes appear"))
    st.subheader("Recurring lessons")
    recurring_lessons(store, me, library.embedder)
    st.stop()

labels = {t.key: t.label for t in list_themes(store.read())}
group = st.segmented_control(
    "Themes", ["all", *PASSAGE_GROUPS], default="all", format_func=lambda g: "All" if g == "all" else GROUPS[g]
)
groups = PASSAGE_GROUPS if group in (None, "all") else (group,)
prevalence = theme_figures.prevalence(store, me, groups, by="reviews")
in_order = [p.label for p in prevalence]  # every figure lists the themes as "How often" does


def passages(theme: str, **where) -> None:
    """The passages behind a figure; the coordinator confirms or rejects each tag."""
    found = theme_figures.passages_for(store, me, theme, **where)
    if not found:
        st.caption("No passages.")
    for row in found:
        with st.container(border=True):
            place = f"page {row['page']}" if row["page"] else (row["heading"] or "")
            st.markdown(f"**{row['title']}** · {row['document']}" + (f" · {place}" if place else ""))
            st.caption(" · ".join(str(x) for x in (row["kind"], row["year"], row["csp"], row["review"]) if x))
            st.write(textwrap.shorten(row["text"], 900, placeholder=" …"))
            if me.is_coordinator:
                left, right, _ = st.columns([1, 1, 4])
                for column, confirmed, label in ((left, True, "Confirm"), (right, False, "Not this theme")):
                    if column.button(label, key=f"{label}-{theme}-{row['chunk_id']}"):
                        if attempt(
                            lambda c=confirmed, r=row: library.tagging.decide_passage(
                                me, chunk_id=r["chunk_id"], theme_key=theme, confirmed=c
                            ),
                            f"'{labels[theme]}' {'confirmed' if confirmed else 'removed'} on that passage.",
                        ):
                            st.rerun()


def recommendations_on(theme: str) -> None:
    found = theming.on_theme(store, me, theme)
    if not found:
        st.caption("No recommendations on this theme that you can read.")
        return
    data_table(
        pd.DataFrame(found).rename(
            columns={
                "review": "Review",
                "number": "No.",
                "text": "Recommendation",
                "how": "Theme",
                "actions": "Actions",
                "complete": "Complete",
                "in_progress": "In progress",
                "not_started": "Not started or blocked",
            }
        ),
        column_config={"Recommendation": st.column_config.TextColumn(width="large")},
    )


(tab_prevalence, tab_time, tab_where, tab_national, tab_together, tab_emerging, tab_recurring) = st.tabs(
    ["How often", "Over time", "By CSP and kind", "Local and national", "Together", "Emerging", "Recurring lessons"]
)

with tab_prevalence:
    if not prevalence:
        st.info(
            "No themes tagged yet. Documents added before themes existed are tagged when the coordinator "
            "re-tags the library (the button at the foot of this page, or python -m indexing themes retag)."
        )
    else:
        counts = theme_figures.how_often_counts(prevalence)
        st.caption(
            (
                "Themes in order of how many of the partnership's reviews in the register are about them (the left "
                "bars: reviews with a document about the theme linked to them), then how many library documents are "
                "(the right bars). "
                if "reviews" in counts
                else "Themes in order of how many library documents are about them (none of the reviews in the "
                "register you can see has a document linked to it). "
            )
            + "Each document bar shows the reviews' own documents (summaries, overview reports, learning briefs, QA "
            "letters, this partnership's or published by others) first, then national analyses, strategies and "
            "plans, and other documents."
        )
        frame = pd.DataFrame(theme_figures.by_dimension(store, me, "family", [p.key for p in prevalence]))
        frame["label"] = frame["theme"].map(labels)
        frame["reviews"] = frame["theme"].map({p.key: p.reviews for p in prevalence})
        frame["stack"] = frame["value"].map(theme_figures.FAMILIES.index)  # the reviews' own documents first
        y = alt.Y("label:N", sort=in_order, title=None, axis=alt.Axis(labelLimit=320))
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("documents:Q", title="Documents about the theme", axis=alt.Axis(tickMinStep=1, format="d")),
                y=y,
                color=alt.Color(
                    "value:N", title=None, sort=list(theme_figures.FAMILIES), legend=alt.Legend(orient="top")
                ),
                order=alt.Order("stack:Q"),
                tooltip=[
                    alt.Tooltip("label:N", title="Theme"),
                    alt.Tooltip("reviews:Q", title="Reviews in the register about it"),
                    alt.Tooltip("value:N", title="Documents"),
                    alt.Tooltip("documents:Q", title="How many"),
                ],
            )
            .properties(height=max(200, 30 * len(prevalence)))
        )
        if "reviews" in counts:
            reviews = pd.DataFrame([{"label": p.label, "reviews": p.reviews} for p in prevalence])
            chart = alt.hconcat(
                alt.Chart(reviews)
                .mark_bar(color="#0b3d91")
                .encode(
                    x=alt.X("reviews:Q", title="Reviews in the register", axis=alt.Axis(tickMinStep=1, format="d")),
                    y=y,
                    tooltip=[alt.Tooltip("label:N", title="Theme"), alt.Tooltip("reviews:Q", title="Reviews")],
                )
                .properties(width=140, height=max(200, 30 * len(prevalence))),
                chart.encode(y=alt.Y("label:N", sort=in_order, title=None, axis=None)),
            )
        st.altair_chart(chart, width="stretch")
        chosen = st.selectbox(
            "Open a theme",
            [p.key for p in prevalence],
            format_func=lambda k: labels[k],
            index=None,
            placeholder="Choose a theme to see the passages and recommendations behind it",
        )
        if chosen:
            figure = next(p for p in prevalence if p.key == chosen)
            st.markdown(
                f"**{labels[chosen]}**: {figure.documents} document(s) about it, {figure.review_documents} of them "
                f"reviews' reports or briefs; {figure.reviews} review(s) in the register linked to them; "
                f"{figure.passages} passage(s) of them carry it"
            )
            st.markdown("**Recommendations on this theme, and whether they were acted on**")
            recommendations_on(chosen)
            st.markdown("**Passages**")
            passages(chosen)

with tab_time:
    rows = [r for r in theme_figures.by_dimension(store, me, "year", [p.key for p in prevalence]) if r["value"]]
    if not rows:
        st.caption("No dated documents.")
    else:
        st.caption("Documents about each theme by the year of the document: the darker, the more documents.")
        frame = pd.DataFrame(rows).assign(theme=lambda f: f["theme"].map(labels))
        st.altair_chart(
            alt.Chart(frame)
            .mark_rect()
            .encode(
                x=alt.X("value:O", title="Year"),
                y=alt.Y("theme:N", title=None, sort=in_order, axis=alt.Axis(labelLimit=320)),
                color=alt.Color("documents:Q", title="Documents", legend=alt.Legend(format="d", tickMinStep=1)),
                tooltip=[
                    alt.Tooltip("theme:N", title="Theme"),
                    alt.Tooltip("value:O", title="Year"),
                    alt.Tooltip("documents:Q", title="Documents"),
                ],
            ),
            width="stretch",
        )

with tab_where:
    for dimension, title in (("csp", "Community Safety Partnership"), ("kind", "Document kind")):
        rows = theme_figures.by_dimension(store, me, dimension, [p.key for p in prevalence])
        if rows:
            frame = pd.DataFrame(rows).assign(theme=lambda f: f["theme"].map(labels))
            frame["value"] = frame["value"].replace(
                "", "Not recorded (the library's)" if dimension == "csp" else "Not recorded"
            )
            st.markdown(f"**{title}**")
            table = (
                frame.pivot_table(index="theme", columns="value", values="documents", fill_value=0)
                .astype(int)
                .reindex([label for label in in_order if label in set(frame["theme"])])
                .reset_index()
                .rename(columns={"theme": "Theme"})
            )
            headings = [str(c) for c in table.columns[1:]]
            theme_width = min(THEME_WIDTH, max(text_width(label) for label in table["Theme"]))
            widths = fitted_widths(headings, TABLE_WIDTH - theme_width, COUNT_WIDTH)
            data_table(  # every column in view: a partnership's long name cut short is read whole in its help
                table,
                column_config={
                    "Theme": st.column_config.TextColumn(width=theme_width),
                    **{
                        heading: st.column_config.NumberColumn(width=width, help=heading)
                        for heading, width in zip(headings, widths, strict=True)
                    },
                },
            )

with tab_national:
    scope = (
        st.radio("Figures for", list(SCOPE_LABELS), index=2, format_func=SCOPE_LABELS.get, horizontal=True)
        if repository_url()
        else "all"
    )
    rows, unavailable = theme_figures.theme_shares(store, me, labels, scope)
    if unavailable:
        st.warning(unavailable, icon=":material/cloud_off:")
    if not repository_url():
        st.caption(
            "The share of the national analyses in this library, of this partnership's own documents (linked to "
            "one of its reviews or marked with its CSP), and of the library's other documents, that are about each "
            "theme."
            + (
                " To compare with every partnership's shared learning, set DHR_REPOSITORY_URL to the shared "
                "repository (see the README)."
                if me.is_coordinator
                else ""
            )
        )
    if scope == "all" and not {r["scope"] for r in rows} >= {"local", "national"}:
        st.caption("Add national analyses to the library to compare local reviews with national learning.")
    if rows:
        from_repository = bool(repository_url()) and scope != "local" and not unavailable
        series = {  # each series in words: "national" is the repository when it was read, else national analyses
            "local": "This partnership's documents",
            "library": "Other partnerships' documents in the library",
            "national": SCOPE_LABELS["national"] if from_repository else "National analyses in the library",
        }
        frame = pd.DataFrame(rows).assign(
            theme=lambda f: f["theme"].map(labels), series=lambda f: f["scope"].map(series)
        )
        st.altair_chart(
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("share:Q", title="Share of documents", axis=alt.Axis(format="%")),
                y=alt.Y("theme:N", title=None, sort=in_order, axis=alt.Axis(labelLimit=320)),
                color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top", labelLimit=320)),
                yOffset="series:N",
                tooltip=[
                    alt.Tooltip("theme:N", title="Theme"),
                    alt.Tooltip("series:N", title="Documents"),
                    alt.Tooltip("documents:Q", title="How many"),
                    alt.Tooltip("share:Q", title="Share", format=".0%"),
                ],
            ),
            width="stretch",
        )

with tab_together:
    keys = [p.key for p in prevalence[:20]]
    matrix = theme_figures.co_occurrence(store, me, keys)
    if keys:
        cells = pd.DataFrame(
            [
                {"a": labels[a], "b": labels[b], "documents": int(matrix[i, j])}
                for i, a in enumerate(keys)
                for j, b in enumerate(keys)
            ]
        )
        st.altair_chart(
            alt.Chart(cells)
            .mark_rect()
            .encode(
                x=alt.X(
                    "a:N", title=None, sort=[labels[k] for k in keys], axis=alt.Axis(labelLimit=200, labelAngle=-45)
                ),
                y=alt.Y("b:N", title=None, sort=[labels[k] for k in keys], axis=alt.Axis(labelLimit=320)),
                color=alt.Color("documents:Q", title="Documents with both", legend=alt.Legend(format="d")),
                tooltip=["a", "b", "documents"],
            )
            .properties(height=28 * len(keys) + 120),
            width="stretch",
        )
        c1, c2 = st.columns(2)
        first = c1.selectbox("Theme", keys, format_func=labels.get, index=None, key="cell-a")
        second = c2.selectbox("occurring with", keys, format_func=labels.get, index=None, key="cell-b")
        if first and second:
            passages(first, also=second)

with tab_emerging:
    found = emerging.emerging(store, me)
    if me.is_coordinator and st.button("Recompute emerging themes", icon=":material/refresh:"):
        with st.spinner("Looking for topics that recur across documents…"):
            if attempt(lambda: emerging.compute(library, me), "Emerging themes recomputed."):
                st.rerun()
    st.caption(
        "Topics that several documents discuss but no theme names, found by grouping passages by meaning (and "
        "short documents by the rare words they share) and named by the words that set each group apart (never "
        "place or organisation names, headings or the themes' own words). Each may be a new pattern in the reviews; "
        "the coordinator can make one a theme."
    )
    if emerging.out_of_date(store):  # what is stored says nothing of the documents added since
        st.warning(
            "The library, or how this release finds topics, has changed since emerging themes were last looked for, so "
            "what is shown may be out of date: "
            + (
                "recompute them (the button above, or python -m indexing themes emerging)."
                if me.is_coordinator
                else "the coordinator recomputes them."
            ),
            icon=":material/update:",
        )
    elif not found:
        st.info(
            "No emerging themes: no group of passages from several documents shares a word that no theme names and "
            "the rest of the library seldom uses."
        )
    for theme in found:
        heading = theme["label"][:1].upper() + theme["label"][1:]
        with st.expander(f"{heading} · {theme['documents']} documents · {theme['passage_count']} passages"):
            st.markdown("**Words that set it apart:** " + ", ".join(theme["terms"]))
            st.markdown("**Documents:** " + "; ".join(theme["document_titles"]))
            for passage in theme["passages"]:
                st.markdown(f"> {textwrap.shorten(passage['text'], 500, placeholder=' …')}  \n— *{passage['title']}*")
            if me.is_coordinator:
                with form(f"promote-{theme['id']}"):
                    st.markdown("**Make this a local theme**")
                    c1, c2, c3 = st.columns(3)
                    key = c1.text_input("Key", help="lower-case words joined by _, e.g. gambling_harm")
                    label = c2.text_input("Label")
                    group_choice = c3.selectbox("Group", PASSAGE_GROUPS, format_func=GROUPS.get, index=None)
                    description = st.text_input("Description (plain language)")
                    if st.form_submit_button("Promote and re-tag the library"):
                        with st.spinner("Re-tagging every passage…"):
                            if attempt(
                                lambda t=theme, k=key, lb=label, d=description, g=group_choice: emerging.promote(
                                    library, me, t["id"], key=k, label=lb, description=d, group=g or ""
                                ),
                                f"'{label}' is now a local theme.",
                            ):
                                st.rerun()

with tab_recurring:
    recurring_lessons(store, me, library.embedder)

case_characteristics(store, me)  # the library by the facts read from its reports (indexing/reading)

if me.is_coordinator:
    st.divider()
    if st.button("Re-tag the library", help="After the vocabulary or your corrections change", icon=":material/sell:"):
        progress = st.progress(0.0, text="Re-tagging…")
        if attempt(
            lambda: library.tagging.retag(
                me, progress=lambda done, total: progress.progress(done / max(total, 1), text=f"{done} of {total}")
            ),
            "Library re-tagged.",
        ):
            st.rerun()
