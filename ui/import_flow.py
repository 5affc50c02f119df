"""What the two spreadsheet imports (action plans, the register of reviews) share on screen: the
file kept across reruns, a file that cannot be read or lacks a column, one select per column (with a few of
its values) to say which of our fields it holds, what was skipped, and the end of an import that leaves
nothing to press again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from core.errors import ValidationError

Preview = TypeVar("Preview")


def readable(preview: Callable[[], Preview]) -> Preview:
    """The file's first preview; one that cannot be read says why, and the page stops there."""
    try:
        return preview()
    except ValidationError as error:
        st.error("This file cannot be read: " + "; ".join(error.problems))
        st.stop()


def stop_unless_mapped(unmapped: list[str]) -> None:
    """Ask for the column of each field the import cannot do without, and stop the page until it is chosen."""
    if unmapped:
        st.warning("Choose above the column that holds the " + ", and the ".join(unmapped) + ".")
        st.stop()


def uploaded(key: str, label: str, types: list[str]) -> tuple[str, bytes] | None:
    """The uploaded file (name, bytes), kept in the session until the import is done."""
    upload = st.file_uploader(label, type=types, key=f"{key}-upload-{st.session_state.get(f'{key}-round', 0)}")
    if upload is not None:
        st.session_state[key] = (upload.name, upload.getvalue())
    return st.session_state.get(key)


def finished(key: str, summary: str) -> None:
    """After an import: forget the file and empty the uploader (a new one is drawn), say what was written."""
    st.session_state.pop(key, None)
    st.session_state[f"{key}-round"] = st.session_state.get(f"{key}-round", 0) + 1
    st.session_state["flash"] = summary
    st.rerun()


def map_columns(
    name: str, headers: list[str], proposed: dict[str, str], fields: dict[str, str], samples: dict[str, list[str]]
) -> dict[str, str]:
    """One select per column of the file, starting at the proposed field, with a few of the column's
    values under it; their header -> our field. One to a row, the width of the page, so that a choice as
    long as "Stage date – Agency returns received (IMRs, chronologies)" reads whole, in the select and in
    its list, from 1000 px wide (two to a row cut it to "Stage date – Agency returns received" there)."""
    choices = [None, *fields]
    mapping = {}
    for header in (h for h in headers if h):
        field = st.selectbox(
            f"“{header}” is",
            choices,
            index=choices.index(proposed.get(header)),
            format_func=lambda f: "Left out" if f is None else fields[f],
            key=f"map-{name}-{header}",
        )
        if samples.get(header):
            st.caption("e.g. " + " · ".join(value[:40] for value in samples[header]))
        if field:
            mapping[header] = field
    return mapping


def show_skipped(skipped: list[str]) -> None:
    if skipped:
        with st.expander(f"{len(skipped)} row(s) skipped: titles, section rows, headings repeated"):
            st.markdown("\n".join(f"- {line}" for line in skipped))


def show_problems(problems: list[str]) -> None:
    st.error("Nothing can be imported until these are fixed:\n\n" + "\n".join(f"- {p}" for p in problems))
