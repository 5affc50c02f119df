"""The library's documents as the Library page lists them: readable columns, and failed uploads apart
(they are not documents: nothing of them can be searched, opened or given as evidence)."""

from __future__ import annotations

STATUS_LABELS = {"indexed": "In the library", "pending": "Being indexed", "failed": "Failed"}


def document_rows(documents: list[dict]) -> list[dict]:
    """One row per document in the library (``Library.list_documents``); a status column only while
    some document is still being indexed."""
    indexing = any(d["status"] != "indexed" for d in documents)
    return [
        {
            "Title": d["title"],
            "Kind": d["kind"],
            "Access": d["access"],
            "Review": d["review"] or "—",
            "Year": str(d["year"]) if d["year"] else "—",
            "File": d["source_name"],
            "Passages": d["chunks"],
        }
        | ({"Status": STATUS_LABELS[d["status"]]} if indexing else {})
        for d in documents
    ]


def failed_rows(failed: list[dict]) -> list[dict]:
    """One row per upload that could not be read (``Library.list_documents(statuses=("failed",))``),
    with what to do about it."""
    return [
        {"File": d["source_name"], "Why it was not added": d["error"] or "not readable", "Tried": d["added_at"][:10]}
        for d in failed
    ]
