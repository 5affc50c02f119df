"""Every refusal of both spreadsheet importers (and their commands) in the screen's words: a walk over
each way a file, a mapping or a row can be refused, failing if a field key reaches the person."""

from __future__ import annotations

import re

import pytest

from core import workspace
from core.errors import PermissionDenied, ValidationError
from recommendations import spreadsheet
from reviews import tracker
from reviews.stages import STAGES
from tests.conftest import COORD, TODAY, run
from tests.council_files import TRACKER_HEADER, xlsx

KEYS = set(spreadsheet.FIELDS) | set(tracker.FIELDS) | set(STAGES) | {
    "description",
    "completed_on",
    "date completed",
    "decision_reasons",
    "rule_set",
    "agreed_with_home_office",
}
# a key with an underscore or a dot anywhere, or any key written as a key ("action:", 'status')
AS_KEY = re.compile(
    r"\b\w+_\w+\b|stages\.|pauses\[|stage:|(?:^|[:;(] ?)(?:"
    + "|".join(map(re.escape, sorted(KEYS, key=len, reverse=True)))
    + r")(?=:)|'(?:"
    + "|".join(map(re.escape, KEYS))
    + r")'"
)



PLAN_HEADER = ["Rec no", "Recommendation", "Action", "Lead agency", "Target date", "Status", "RAG", "Scope"]
PLAN_FILES = {
    "unreadable": (b"not a workbook", "plan.xlsx", None),
    "not a spreadsheet": (b"x", "plan.pdf", None),
    "no headings": (xlsx([["a", "b"], ["1", "2"]]), "plan.xlsx", None),
    "columns not known": (xlsx([["Theme", "Plan", "Who"], ["x", "y", "z"]]), "plan.xlsx", None),
    "a mapping naming no field": (xlsx([PLAN_HEADER]), "plan.xlsx", {"Action": "Deliverable", "Rec no": "ref"}),
    "a mapping naming other headings": (xlsx([PLAN_HEADER]), "plan.xlsx", {"Activity": "Action"}),
    "bad rows": (
        xlsx(
            [
                PLAN_HEADER,
                ["1", "", "Train staff", "Polise", "31/02/2026", "Half done", "Purple", "Tier 2"],
                ["", "", "", "Police", "", "", "", ""],
                ["2", "", "Audit", "", "Nov 23", "done", "", ""],
            ]
        ),
        "plan.xlsx",
        None,
    ),
}
TRACKER_FILES = {
    "no headings": (xlsx([["a", "b"]]), None),
    "a pause ending before it starts": (
        xlsx(
            [
                ["Ref", "Victim", "Date referred to CSP", "Decision", "Paused for", "Paused from", "Paused until"],
                ["DHR 5", "Fay", "10/01/2026", "Yes", "criminal trial", "01/06/2026", "01/03/2026"],
            ]
        ),
        None,
    ),
    "columns not known": (xlsx([["Case", "Person", "When"], ["1", "Ann", "2020-01-01"]]), None),
    "a mapping naming no field": (xlsx([TRACKER_HEADER]), {"DHR Ref": "Case number"}),
    "a mapping naming other headings": (xlsx([TRACKER_HEADER]), {"Case": "Reference"}),
    "bad rows": (
        xlsx(
            [
                ["Ref", "Victim", "Date referred to CSP", "Decision", "Date HO notified", "Published", "Type"]
                + ["Status"],
                ["DHR 1", "", "31/02/2026", "Maybe", "soon", "", "Inquiry", "Something else"],
                ["DHR 2", "Bea", "01/01/2030", "Yes", "", "", "", ""],
                ["DHR 3", "Cat", "01/03/2026", "No", "01/02/2026", "03/03/2026", "", ""],
                ["DHR 3", "Dee", "", "", "", "", "", "On hold"],
                ["DHR 4", "Eve", "01/03/2026", "Yes", "", "", "", "Published"],
            ]
        ),
        None,
    ),
}


def _said(action) -> list[str]:
    try:
        result = action()
    except (ValidationError, PermissionDenied) as error:
        return getattr(error, "problems", [str(error)])
    lines = result.problems + result.skipped + [w for r in result.rows for w in r.warnings]
    assert lines, "this case was meant to be refused or flagged"
    return lines


def _keys_in(lines: list[str]) -> list[str]:
    return [f"{match.group()!r} in {line!r}" for line in lines for match in AS_KEY.finditer(line)]


def test_the_check_finds_the_keys_the_old_messages_showed():
    old = [
        "row 4 (DHR-1): stages.home_office_notified: 2030-01-01 is in the future",
        "mapping: map one column to 'action'",
        "row 2: csp: name the Community Safety Partnership",
        "decision: 'x' is not one of pending, hold, not_to_hold",
    ]
    assert all(_keys_in([line]) for line in old)


@pytest.mark.parametrize("case", PLAN_FILES)
def test_every_refusal_of_the_plan_import_is_in_the_screens_words(store, coordinator, new_review, case):
    data, name, mapping = PLAN_FILES[case]
    reference = new_review("DHR-2026-07")
    lines = _said(lambda: spreadsheet.preview(store, data, name, mapping, viewer=coordinator, reference=reference))
    if case == "bad rows":
        result = spreadsheet.preview(store, data, name, viewer=coordinator, reference=reference)
        lines += _said(lambda: spreadsheet.import_plan(store, coordinator, reference, result))
    assert not _keys_in(lines), lines


@pytest.mark.parametrize("case", TRACKER_FILES)
def test_every_refusal_of_the_tracker_import_is_in_the_screens_words(store, case):
    data, mapping = TRACKER_FILES[case]
    lines = _said(lambda: tracker.preview(store, COORD, data, "t.xlsx", mapping, today=TODAY))  # no CSP named yet
    workspace.save(store, COORD, partnership="Northvale CSP")
    lines += _said(
        lambda: tracker.import_tracker(
            store, COORD, tracker.preview(store, COORD, data, "t.xlsx", mapping, today=TODAY), today=TODAY
        )
    )
    assert not _keys_in(lines), lines


def test_refusals_to_other_roles_are_in_words(store, people, new_review):
    data, name, _ = PLAN_FILES["bad rows"]
    reference = new_review("DHR-2026-08", chair="chair")
    lines = _said(lambda: tracker.preview(store, people["chair"], TRACKER_FILES["bad rows"][0], "t.xlsx"))
    result = spreadsheet.preview(store, data, name, viewer=people["chair"], reference=reference, add_agencies=True)
    lines += _said(lambda: spreadsheet.import_plan(store, people["chair"], reference, result))
    assert not _keys_in(lines), lines


def test_both_commands_refuse_in_the_screens_words(workspace, tmp_path):
    said = []
    for case, (data, name, _) in PLAN_FILES.items():
        path = tmp_path / f"{case}-{name}"
        path.write_bytes(data)
        result = run(workspace, "recommendations", "import", str(path), "--review", "DHR-2026-02")
        assert result.returncode != 0
        said += (result.stdout + result.stderr).splitlines()
    for case, (data, _) in TRACKER_FILES.items():
        path = tmp_path / f"{case}-tracker.xlsx"
        path.write_bytes(data)
        result = run(workspace, "reviews", "import", str(path))
        assert result.returncode != 0
        said += (result.stdout + result.stderr).splitlines()
    assert not _keys_in(said), _keys_in(said)
