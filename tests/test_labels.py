"""Messages in the words on the screen, and dates written the same way on every platform."""

from datetime import date
from pathlib import Path

import pytest

from core.dates import long_date
from ui.labels import readable

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "problem, shown",
    [
        (
            "death_date (2026-01-05) is after notification_date (2026-01-02)",
            "Date of death (5 January 2026) is after date notified (2 January 2026)",
        ),
        (
            "pauses[0].end (2026-01-02) is before pauses[0].start (2026-02-01)",
            "Pause 1, end date (2 January 2026) is before pause 1, start date (1 February 2026)",
        ),
        ("sent_on: 2026-12-01 is in the future", "Date sent: 1 December 2026 is in the future"),
        (
            "chased_on: this return was already received on 2026-01-01",
            "Date chased: this return was already received on 1 January 2026",
        ),
        ("Password: use at least 12 characters", "Password: use at least 12 characters"),
        # a file's or a web address's dots are theirs
        (
            "rules-half.json: the file is a PDF, not a JSON file; choose the .json file",
            "Rules-half.json: the file is a PDF, not a JSON file; choose the .json file",
        ),
        ("the relay refused dhr@council.gov.uk", "The relay refused dhr@council.gov.uk"),
    ],
)
def test_field_names_become_screen_labels(problem, shown):
    assert readable(problem) == shown


def test_long_dates_need_no_platform_specific_codes():
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    for path in ROOT.glob("[!.]*/**/*.py"):
        if ".venv" not in path.parts:
            assert "%-d" not in path.read_text() or path.name in ("dates.py", "test_labels.py"), path
