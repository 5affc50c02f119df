"""A file uploader that states the limit the workspace really applies."""

from __future__ import annotations

import math

import streamlit as st

MEGABYTE = 1024 * 1024


def size_words(limit_bytes: int) -> str:
    """``512 KB``, ``2 MB``: a limit as a person reads it."""
    if limit_bytes % MEGABYTE == 0:
        return f"{limit_bytes // MEGABYTE} MB"
    return f"{math.ceil(limit_bytes / 1024)} KB"


def limited_uploader(label: str, *, limit_bytes: int, types: list[str], key: str, multiple: bool = False):
    """``st.file_uploader`` refusing files over ``limit_bytes`` with the limit in its label (each file's,
    when ``multiple``). Streamlit's own line under the drop zone can only state whole megabytes (it said
    "200MB per file" for a 512 KB logo), so it is hidden for this uploader and the label states the real
    limit instead."""
    st.html(f"<style>.st-key-{key} [data-testid='stFileUploaderDropzoneInstructions'] {{display: none}}</style>")
    return st.file_uploader(
        f"{label} ({', '.join(t.upper() for t in types)}; at most {size_words(limit_bytes)})",
        type=types,
        key=key,
        accept_multiple_files=multiple,
        max_upload_size=max(1, math.ceil(limit_bytes / MEGABYTE)),
    )
