"""Search lessons learned across the library: hybrid, keyword or meaning, with filters."""

from functools import partial

import streamlit as st

from core.errors import DHRError, ValidationError
from indexing.document_meta import ACCESS_LEVELS, KINDS
from indexing.learning_index import search_in
from indexing.repository import SCOPE_LABELS, repository_url
from indexing.search import MODES, Filters, hits_csv, more_like_this, no_word_matches, unmatched_words
from indexing.theme_figures import visible_document_count
from indexing.themes import PASSAGE_GROUPS, list_themes
from ui.format import no_documents_hint
from ui.session import get_library, viewer

library, me = get_library(), viewer()
MODE_LABELS = {"hybrid": "Hybrid (words and meaning)", "bm25": "Keywords (BM25)", "dense": "Meaning (semantic)"}

st.title("Search lessons learned")
st.caption("Ask in your own words. Results come only from documents your role may read, with the source and page.")
if not visible_document_count(library.store, me):
    st.info(no_documents_hint(me, "what they say can be searched here"))

with st.form("search"):
    query = st.text_input(
        "Question or keywords", placeholder="e.g. what have reviews said about GPs missing coercive control?"
    )
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    mode = c1.radio("Mode", MODES, format_func=MODE_LABELS.get, horizontal=True)
    kinds = c2.multiselect("Document kind", KINDS)
    year_from = c3.number_input("From year", min_value=1990, max_value=2100, value=None, step=1)
    year_to = c4.number_input("To year", min_value=1990, max_value=2100, value=None, step=1)
    c5, c6, c7, c8 = st.columns([2, 2, 2, 1])
    csp = c5.text_input("CSP (exact name)")
    review = c6.text_input("Review reference")
    access = c7.multiselect("Access level", ACCESS_LEVELS, help="You only ever see what your role may read")
    limit = c8.number_input("Results", min_value=1, max_value=50, value=10)
    theme_labels = {t.key: t.label for t in list_themes(library.store.read(), PASSAGE_GROUPS)}
    themes = st.multiselect(
        "Themes", list(theme_labels), format_func=theme_labels.get, help="Documents on any of these"
    )
    scope = (
        st.radio("Search in", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, horizontal=True)
        if repository_url()
        else "local"
    )
    submitted = st.form_submit_button("Search", type="primary", icon=":material/search:")

if submitted:
    st.session_state.pop("similar_to", None)
    st.session_state["search_request"] = dict(
        query=query,
        scope=scope,
        mode=mode,
        limit=int(limit),
        filters=Filters(
            kinds=tuple(kinds),
            year_from=year_from,
            year_to=year_to,
            csp=csp or None,
            review=review or None,
            access=tuple(access),
            themes=tuple(themes),
        ),
    )

request = st.session_state.get("search_request")
similar_to = st.session_state.get("similar_to")


def original_bytes(document_id: int) -> bytes:
    """The original file, read only when the person asks to download it."""
    return library.original(me, document_id)[1]


def where(hit) -> str:
    return f"page {hit.page}" if hit.page else (hit.heading or "")


def show(hits, title: str, *, question: str | None = None) -> None:
    st.subheader(title)
    if not hits:
        st.info("Nothing found in the documents you can see. Try other words, the Meaning mode, or fewer filters.")
        return
    missing = unmatched_words(library, hits, question) if question else []
    if question and no_word_matches(hits):
        st.warning(
            "No good match: no passage uses the words you asked with. These are only the closest in meaning "
            "and may not answer your question: try other words, or fewer filters.",
            icon=":material/help:",
        )
    elif missing:
        st.warning(
            f"No result mentions {' or '.join(f'“{word}”' for word in missing)}. These match the rest of your "
            "question, so they may not answer it: try other words for it, or the Meaning mode.",
            icon=":material/help:",
        )
    st.download_button("Download results (CSV)", hits_csv(hits), "search-results.csv", "text/csv")
    for rank, hit in enumerate(hits, start=1):
        with st.container(border=True):
            st.markdown(f"**{rank}. {hit.title}**")
            st.caption(
                " · ".join(str(x) for x in [hit.kind, hit.year, hit.document, where(hit), hit.review] if x)
                + f" · {hit.why}"
            )
            if hit.themes:
                st.markdown(" ".join(f":blue-badge[{theme_labels.get(k, k)}]" for k in hit.themes[:6]))
            st.markdown(hit.highlighted)
            if hit.repository:  # another partnership's published learning: read it where they published it
                st.caption(f"Shared by {hit.csp}")
                continue
            with st.expander("Surrounding text"):
                context = library.context(me, hit.chunk_id)
                st.text(context)
            if hit.more:
                with st.expander(f"More from this document ({len(hit.more)})"):
                    for more in hit.more:
                        st.caption(" · ".join(x for x in [where(more), more.why] if x))
                        st.markdown(more.highlighted)
            c1, c2 = st.columns(2)
            if c1.button("More like this", key=f"similar-{title}-{hit.chunk_id}"):
                st.session_state["similar_to"] = (hit.chunk_id, hit.title)
                st.rerun()
            c2.download_button(
                "Download the document" + (f" (the passage is on page {hit.page})" if hit.page else ""),
                partial(original_bytes, hit.document_id),
                hit.document,
                key=f"original-{title}-{hit.chunk_id}",
                icon=":material/download:",
            )


with st.spinner("Searching…"):
    try:
        if similar_to:
            chunk_id, source_title = similar_to
            if st.button("Back to the results", icon=":material/arrow_back:"):
                st.session_state.pop("similar_to")
                st.rerun()
            show(
                more_like_this(library, me, chunk_id, limit=10),
                f"Passages like the one from “{source_title}”",  # a passage, not a question: no word warnings
            )
        elif request:
            show(
                search_in(
                    library,
                    me,
                    request["query"],
                    scope=request["scope"],
                    mode=request["mode"],
                    limit=request["limit"],
                    filters=request["filters"],
                ),
                f"Results for “{request['query']}”",
                question=request["query"],
            )
    except ValidationError as error:
        st.error("; ".join(error.problems))
    except DHRError as error:  # the shared repository cannot be reached or refused
        st.error(str(error))
