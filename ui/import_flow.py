"""What the two spreadsheet imports (action plans, the register of reviews) share on screen: the
file kept across reruns, and one select per column to say which of our fields it holds."""

from __future__ import annotations

import streamlit as st


def uploaded(key: str, label: str, types: list[str]) -> tuple[str, bytes] | None:
    """The uploaded file (name, bytes), kept in the session until the import is done."""
    upload = st.file_uploader(label, type=types, key=f"{key}-upload")
    if upload is not None:
        st.session_state[key] = (upload.name, upload.getvalue())
    return st.session_state.get(key)


def map_columns(name: str, headers: list[str], proposed: dict[str, str], fields: dict[str, str]) -> dict[str, str]:
    """One select per column of the file, starting at the proposed field; their header -> our field."""
    choices = [None, *fields]
    mapping = {}
    columns = st.columns(min(4, max(1, len(headers))))
    for i, header in enumerate(h for h in headers if h):
        field = columns[i % len(columns)].selectbox(
            f"“{header}” is",
            choices,
            index=choices.index(proposed.get(header)),
            format_func=lambda f: "Ignore" if f is None else fields[f],
            key=f"map-{name}-{header}",
        )
        if field:
            mapping[header] = field
    return mapping
