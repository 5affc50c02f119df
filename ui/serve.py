"""Serve the app: ``python -m ui.serve [streamlit run options]`` is ``streamlit run app.py`` with the
app's own navigation from the very first paint.

Streamlit treats an entry script with a ``pages/`` folder beside it as an old-style multipage app until
the script first calls ``st.navigation``, so the first visitor after each start would see the page
files' raw names in the sidebar while the app's first run loads. app.py declares every page with
``st.navigation``; saying so before the server starts means that list is never drawn.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False
    return cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], standalone_mode=False) or 0


if __name__ == "__main__":
    raise SystemExit(main())
