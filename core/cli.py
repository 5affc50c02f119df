"""What every command line shares: the workspace from DHR_DATA_DIR and errors a person can act on."""

from __future__ import annotations

import getpass
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from core.accounts import Viewer
from core.db import Store
from core.errors import Busy, DHRError, ValidationError
from core.jsonfile import read_json
from core.schema import open_store
from core.settings import database_path

CLI_ACTOR = "cli:" + (getpass.getuser() or "admin")
# whoever can run the commands can read the data directory, so the command line acts as the coordinator
CLI_VIEWER = Viewer(CLI_ACTOR, "coordinator", "Command line")


def run_reporting(action: Callable[[], None]) -> int:
    """Run ``action``; print what to fix and return 2 if it is refused."""
    try:
        action()
    except ValidationError as error:
        print("error: nothing was changed. Fix these and try again:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except Busy as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    except DHRError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a file named on the command line: its name and the system's reason, no "[Errno 2]"
        where = f"{error.filename}: " if error.filename else ""
        hint = " (check the name and its folder)" if isinstance(error, FileNotFoundError) else ""
        print(f"error: {where}{error.strerror or 'cannot be read or written'}{hint}", file=sys.stderr)
        return 2
    except sqlite3.OperationalError:
        print(
            "error: the workspace is busy (another program held it for 30 seconds); nothing was changed. "
            "Try again in a minute.",
            file=sys.stderr,
        )
        return 3
    return 0


def run_in_workspace(command: Callable[[Store], None]) -> int:
    """Run ``command`` on the workspace; print what to fix and return 2 if it is refused."""
    store = open_store(database_path())
    try:
        return run_reporting(lambda: command(store))
    finally:
        store.close()


def show_columns(
    preview, fields: dict[str, str], *, write_to: Path | None = None, skipped: bool = True
) -> None:
    """Print the file's columns (an import preview's headers, proposed mapping and sample values), each
    with what it is mapped to, then the rows it skips. With ``write_to``, write them as a ready-to-edit
    ``--mapping`` file in the screen's words ("" leaves a column out) and say how to use it."""
    headers = [h for h in preview.headers if h]
    print("Columns of the file:")
    for header in headers:
        values = preview.samples.get(header)
        mapped = fields[preview.mapping[header]] if header in preview.mapping else "(left out)"
        print(f"  {header!r} -> {mapped}" + (f"   e.g. {' | '.join(values)}" if values else ""))
    for line in preview.skipped if skipped else []:
        print(f"{line}: skipped")
    if write_to is not None:
        proposed = {h: fields[preview.mapping[h]] if h in preview.mapping else "" for h in headers}
        write_to.write_text(json.dumps(proposed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(
            f"Wrote the proposed mapping to {write_to}: put what each column holds against it, one of: "
            + ", ".join(fields.values())
            + f' ("" leaves a column out); then run again with --mapping {write_to}'
        )


def read_mapping(path: Path | None) -> dict[str, str] | None:
    """A ``--mapping`` file ({"their header": "our field"}), or None to propose one from the headers."""
    if path is None:
        return None
    return read_json(path.read_bytes(), what="mapping")
