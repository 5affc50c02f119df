"""Where the workspace lives. Every entry point takes its data directory from here."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "DHR_DATA_DIR"


def data_dir() -> Path:
    """The data directory from ``DHR_DATA_DIR`` (default ``./data``), created if missing."""
    path = Path(os.environ.get(DATA_DIR_ENV) or "data").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / "dhr.sqlite"
