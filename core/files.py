"""Files written whole or not at all."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import threading
import zipfile
from pathlib import Path

PARTIAL_PREFIX = ".partial-"
"""The name of a file being written starts with this: one left behind (the process was killed while
writing) is a partial file, never the file itself, and may be removed."""


ZIP = b"PK\x03\x04"  # how a zip package starts: a Word .docx, an Excel .xlsx or another Office file
# the part that makes an Office zip package one kind of document
OFFICE_PARTS = {"word/document.xml": ".docx", "xl/workbook.xml": ".xlsx"}
KINDS = {".pdf": "a PDF", ".docx": "a Word document", ".xlsx": "an Excel workbook"}


def suffix_by_bytes(data: bytes) -> str | None:
    """The suffix a file's bytes say it should have, whatever its name: ".pdf" (it starts "%PDF-"), ".docx" or
    ".xlsx" (a zip package holding a Word document's or an Excel workbook's main part); None when they say
    nothing (text, an image, a damaged zip: the name's reader says what is wrong)."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(ZIP):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error):
            return None
        return next((suffix for part, suffix in OFFICE_PARTS.items() if part in names), None)
    return None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (its folder made if missing) through a temporary file beside it, renamed
    over ``path`` once complete: a process reading ``path`` meanwhile sees the old file or the new one, never
    part of one. An OSError (a full disk, a folder that cannot be written) removes the temporary file and is
    raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=PARTIAL_PREFIX, delete=False)
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def link_atomically(source: Path, path: Path) -> None:
    """Make ``path`` the same file as ``source`` (one more name for it, no copy) where the disk allows,
    else a copy of it written by ``write_atomically``; ``path`` changes at once, as there. An OSError
    (``source`` gone, a folder that cannot be written) is raised, and nothing partial is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{PARTIAL_PREFIX}{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        os.link(source, partial)
    except OSError:  # another disk, or one without hard links (FAT on a USB stick)
        write_atomically(path, source.read_bytes())
        return
    try:
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
