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


DEMO_ENV = "DHR_DEMO"


def demo_requested() -> bool:
    """Whether an empty workspace should be filled with the fictional demo (``DHR_DEMO=1``, set by
    scripts/demo.sh). A real install never gets the demo and its published passwords by default."""
    return os.environ.get(DEMO_ENV, "").strip().lower() in ("1", "true", "yes")


MAX_UPLOAD_ENV = "DHR_MAX_UPLOAD_MB"


def max_upload_bytes() -> int:
    """The largest file the library accepts: ``DHR_MAX_UPLOAD_MB`` megabytes (default 50)."""
    value = os.environ.get(MAX_UPLOAD_ENV, "50")
    try:
        megabytes = float(value)
    except ValueError:
        raise ValueError(f"{MAX_UPLOAD_ENV}={value!r} is not a number of megabytes") from None
    return int(megabytes * 1024 * 1024)


IDLE_ENV = "DHR_SESSION_IDLE_MINUTES"


def session_idle_minutes() -> int:
    """Minutes without a click after which a signed-in session ends (``DHR_SESSION_IDLE_MINUTES``,
    default 120)."""
    value = os.environ.get(IDLE_ENV, "120")
    try:
        minutes = int(value)
    except ValueError:
        raise ValueError(f"{IDLE_ENV}={value!r} is not a whole number of minutes") from None
    return max(minutes, 1)
