"""Library documents (coordinator): upload with metadata and progress, the list with status, errors and delete,
and what was read out of a document (case facts and recommendations), confirmed or corrected."""

import pandas as pd
import streamlit as st

from core import workspace
from core.errors import DHRError, ValidationError
from indexing.document_meta import ACCESS_LEVELS, KINDS
from indexing.extract import named_otherwise, read_as
from indexing.listing import document_rows, failed_rows
from indexing.repository import repository_url
from reviews.register import list_reviews
from ui.format import data_table, moment, reference_widths
from ui.reading import document_reading
from ui.session import attempt, form, get_library, show_flash, submit, viewer
from ui.uploads import limited_uploader

library, me = get_library(), viewer()
st.title("Library documents")
show_flash()

with form("upload"):
    st.markdown("**Add documents** (PDF, Word .docx, HTML, text or Markdown)")
    files = limited_uploader(
        "Files",
        limit_bytes=library.max_bytes,
        types=["pdf", "docx", "html", "htm", "txt", "md"],
        key="library-files",
        multiple=True,
    )
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox("Kind", KINDS, index=KINDS.index("learning brief"))
    access = c2.selectbox(
        "Access", ACCESS_LEVELS, index=1, help="Confidential: coordinator and the linked review's chair only"
    )
    reviews = [r.reference for r in list_reviews(library.store, me)]
    review = c3.selectbox("Linked review", reviews, index=None, placeholder="None")
    c4, c5 = st.columns(2)
    csp = c4.text_input(
        "CSP",
        value=workspace.load(library.store.read()).partnership,
        help="This partnership's name counts the document as its own. For another partnership's or a national "
        "body's document, give their name or leave it empty.",
    )
    year = c5.number_input("Year", min_value=1990, max_value=2100, value=None, step=1)
    submitted = st.form_submit_button("Add to the library", type="primary")

if submitted and files:
    bar = st.progress(0.0, text="Reading and indexing…")
    results = []
    try:
        for done, upload in enumerate(files, start=1):
            results.append(
                library.ingest(
                    upload.getvalue(),
                    upload.name,
                    viewer=me,
                    kind=kind,
                    access=access,
                    review=review,
                    csp=csp,
                    year=year,
                )
            )
            bar.progress(done / len(files), text=f"{done} of {len(files)}: {upload.name}")
    except ValidationError as error:  # the details apply to every file: nothing was added
        st.error("Nothing was added. Please fix: " + "; ".join(error.problems))
    bar.empty()
    for result in results:
        if result.outcome == "ingested":
            said = f"indexed, {result.chunks} passage(s)" + (f"; {result.reason}" if result.reason else "")
            st.success(f"{result.source_name}: {said}.")
        elif result.outcome == "skipped":
            st.info(f"{result.source_name}: skipped, {result.reason}.")
        else:
            st.error(f"{result.source_name}: not added. {result.reason[0].upper()}{result.reason[1:]}.")
elif submitted:
    st.warning("Choose one or more files first.")

documents = library.list_documents(me)
failed = library.list_documents(me, statuses=("failed",))
st.subheader(f"{len(documents)} document(s)")
if documents:
    rows = document_rows(documents)
    review_width, title_width = reference_widths([r["Review"] for r in rows], 100, 290)
    data_table(
        pd.DataFrame(rows),
        column_config={  # widths that show a reference and a kind whole, the title and file name wrapped
            "Title": st.column_config.TextColumn(width=title_width),
            "Kind": st.column_config.TextColumn(width=125),
            "Access": st.column_config.TextColumn(width=85),
            "Review": st.column_config.TextColumn(width=review_width),
            "Year": st.column_config.TextColumn(width=50),
            "File": st.column_config.TextColumn(width=170),
            "Passages": st.column_config.NumberColumn(width=70),
        },
    )
if failed:
    st.subheader(f"{len(failed)} upload(s) that failed")
    st.caption(
        "These files could not be read, so they are not in the library: nothing in them can be searched or "
        "given as evidence. Fix the file (a scanned PDF needs its text recognised first) and upload it again, "
        "or remove it from this list."
    )
    data_table(pd.DataFrame(failed_rows(failed)))
if documents or failed:
    by_id = {d["id"]: d for d in documents + failed}
    chosen_id = st.selectbox(  # ids as options, so the choice survives a change of title
        "Open a document (or a failed upload) to correct, download or delete it",
        list(by_id),
        index=None,
        placeholder="Choose a document",
        format_func=lambda i: f"{by_id[i]['title']} ({by_id[i]['source_name']})",
        key="document-choice",
    )
    if chosen_id in by_id:
        chosen = by_id[chosen_id]
        if chosen["status"] == "indexed":
            name, data = library.original(me, chosen["id"])
            if what_it_is := named_otherwise(name, read_as(data, name)):
                st.caption(f"This file is {what_it_is}.")
            st.download_button("Download the original", data, name, icon=":material/download:")
            document_reading(library.store, me, chosen["id"])
        with form(f"edit-document-{chosen['id']}"):
            e1, e2, e3 = st.columns(3)
            title = e1.text_input("Title", value=chosen["title"])
            new_kind = e2.selectbox("Kind", KINDS, index=KINDS.index(chosen["kind"]), key=f"edit-kind-{chosen['id']}")
            new_access = e3.selectbox(
                "Access", ACCESS_LEVELS, index=ACCESS_LEVELS.index(chosen["access"]), key=f"edit-access-{chosen['id']}"
            )
            e4, e5, e6 = st.columns(3)
            new_review = e4.selectbox(
                "Linked review",
                reviews,
                index=reviews.index(chosen["review"]) if chosen["review"] in reviews else None,
                placeholder="None",
                key=f"edit-review-{chosen['id']}",
            )
            new_csp = e5.text_input("CSP", value=chosen["csp"] or "", key=f"edit-csp-{chosen['id']}")
            new_year = e6.number_input(
                "Year", min_value=1990, max_value=2100, value=chosen["year"], step=1, key=f"edit-year-{chosen['id']}"
            )
            submit(
                "Save changes",
                lambda: library.update_document(
                    me,
                    chosen["id"],
                    title=title,
                    kind=new_kind,
                    access=new_access,
                    review=new_review,
                    csp=new_csp,
                    year=new_year,
                ),
                "Document updated.",
            )
        with form(f"delete-document-{chosen['id']}"):
            why = st.text_input("Why delete it? (kept in the audit log)")
            submit(
                "Delete the document",
                lambda: library.delete(me, chosen["id"], why=why),
                f"Deleted {chosen['source_name']}; it is no longer searchable.",
            )
report = library.verify()
if report.ok:
    st.caption(
        f"Indexes checked against the database: {report.documents} document(s), {report.chunks} passage(s), consistent."
    )
else:
    st.warning("The search indexes differ from the database: " + "; ".join(report.problems), icon=":material/warning:")

if repository_url():  # the shared repository: what this partnership shares, and publishing it
    from indexing.repository.index import RepositoryIndex, shared_by
    from indexing.repository.publish import choose_partners_sharing, shares_partners_documents

    st.subheader("Shared learning repository")
    st.caption(
        "Publishing sends this partnership's public documents (and partners-level ones if you choose), their "
        "passages and themes, and published reviews' recommendations with their actions' status. Confidential "
        "documents, registers, drafts and names never leave this workspace."
    )
    with form("repository-sharing"):
        share = st.checkbox("Share partners-level documents too", value=shares_partners_documents(library.store))
        submit("Save the choice", lambda: choose_partners_sharing(library.store, me, share), "Choice saved.")
    published = []
    if st.button("Publish to the shared repository", type="primary", icon=":material/publish:") and attempt(
        lambda: published.append(RepositoryIndex(library).index(me)), "Published to the shared repository."
    ):
        st.text("\n".join(published[0].lines()))
    try:
        shared = shared_by(library)
    except DHRError as error:
        st.warning(str(error), icon=":material/cloud_off:")
    else:
        own = shared["own"] or {"documents": 0, "passages": 0, "recommendations": 0, "published_at": None}
        st.markdown(
            f"**What is shared** as {shared['csp']}: {own['documents']} document(s), {own['passages']} passage(s), "
            f"{own['recommendations']} recommendation(s); last published {moment(own['published_at'])}. "
            f"The repository holds {shared['repository']['documents']} document(s) from "
            f"{shared['repository']['csps']} partnership(s)."
        )
