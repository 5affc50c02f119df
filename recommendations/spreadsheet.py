"""Action plans in and out of Excel: import with a column mapping and a preview, export to .xlsx.

Real plans have title rows above the header, the headings repeated on each page, section titles
("Prevention"), merged cells (a recommendation written once for several actions), text wrapped onto
the next row, blank lines, and free-text dates such as "March 2015", "Q3 2016" or "Ongoing". Month
and quarter dates are read as their last day; text that is not a date is kept as text and flagged,
never dropped. Import is all or nothing: any rejected row stops it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import tables
from core.accounts import Viewer
from core.agencies import (
    JOINED,
    add_named_agencies,
    canonical,
    in_own_area,
    own_places,
    remember_names,
    remembered_names,
    split_agencies,
    unknown_agencies,
    unknown_message,
)
from core.dates import read_free_date
from core.db import Store
from core.errors import ValidationError
from core.text import normalised
from recommendations import plan, theming
from recommendations.rag import derived_rag, effective_rag

FIELDS = {
    "reference": "Recommendation number",
    "recommendation": "Recommendation",
    "scope": "Scope",
    "action": "Action",
    "owner_agency": "Owner agency",
    "lead_officer": "Lead officer",
    "target_date": "Target date",
    "status": "Status",
    "rag": "RAG",
    "progress": "Progress",
    "expected_outcome": "Expected outcome",
    "success_measure": "How success is measured",
    "evidence": "Evidence of what was done",
    "completed_on": "Completed on",
}
REQUIRED = ("action", "owner_agency")  # and a recommendation number or text
# the words councils head their columns with; a plan's "Measurement/Evidence" says how success will be
# measured, never what was done, so only a column that says so is read as evidence of delivery
SYNONYMS = {
    "reference": ["ref", "no", "number", "rec no", "recommendation no", "rec", "#"],
    "recommendation": ["recommendation", "recommendations", "rec text", "objective", "objectives", "aim", "aims"],
    "scope": ["scope", "level"],
    "action": [
        "action",
        "actions",
        "action to be taken",
        "actions required",
        "what",
        "output",
        "outputs",
        "activity",
        "activities",
        "task",
        "tasks",
    ],
    "owner_agency": ["lead agency", "agency", "owner", "responsible agency", "organisation", "lead organisation"],
    "lead_officer": ["lead officer", "officer", "lead", "responsible officer", "named lead"],
    "target_date": ["target date", "deadline", "date", "by when", "timescale", "completion date", "due"],
    "status": ["status"],
    "rag": ["rag", "rag status", "rag rating", "brag", "brag status", "brag rating"],
    "progress": ["progress", "update", "progress update", "comments"],
    "success_measure": [
        "measurement evidence",
        "measurement",
        "measure",
        "measures",
        "success measure",
        "success measures",
        "measure of success",
        "success criteria",
        "performance measure",
        "kpi",
        "evidence required",
    ],
    "expected_outcome": ["outcome", "outcomes", "expected outcome", "intended outcome", "impact"],
    "evidence": ["evidence", "evidence of completion", "evidence of delivery", "what was done", "evidence provided"],
    "completed_on": ["completed", "completed on", "date completed", "date of completion", "actual completion date"],
}
STATUS_WORDS = {
    "not started": "not_started",
    "not_started": "not_started",
    "": "not_started",
    "in progress": "in_progress",
    "in_progress": "in_progress",
    "ongoing": "in_progress",
    "started": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "achieved": "complete",
    "blocked": "blocked",
    "on hold": "blocked",
}
RAG_WORDS = {"r": "red", "red": "red", "a": "amber", "amber": "amber", "g": "green", "green": "green"}
COMPLETE_RAG_WORDS = {"b": "complete", "blue": "complete"}  # a BRAG rating's blue: the action is done
# a plan's scope as councils write it -> ours. "Local" (the Home Office template's "Scope of recommendation i.e.
# local or regional") says only that it is not national: it is read from the agencies the recommendation's
# actions name (LOCAL, placed by _place_local). A region's bodies are several agencies; a "Partnership"
# recommendation is the CSP's. A cell naming several ("Local/National") is the widest of them.
LOCAL = "local"
SCOPE_WORDS = {" ".join(scope.casefold().replace("-", " ").split()): scope for scope in plan.SCOPES} | {
    "single": "single-agency",
    "agency": "single-agency",
    "multiagency": "multi-agency",
    "multi": "multi-agency",
    "partner agencies": "multi-agency",
    "regional": "multi-agency",
    "sub regional": "multi-agency",
    "partnership": "CSP",
    "community safety partnership": "CSP",
    "local": LOCAL,
}
WIDEST_FIRST = ("national", "multi-agency", "CSP", "single-agency", LOCAL)
SCOPE_SEPARATORS = re.compile(r"\s*(?:[/&,;+]|\band\b)\s*")
SCOPE_NOISE = re.compile(r"\b(?:level|scope|recommendations?)\b")
MAX_ROWS = 5000
NOT_RECORDED = "not recorded"  # a complete action's completion date nobody recorded
ADD = "+add"  # an agency map's value meaning "add this name to the list"


@dataclass
class Row:
    number: int  # the spreadsheet's own row number
    values: dict[str, str]
    target_date: date | None = None
    completed_on: date | None = None  # as the file gives it; None is "not recorded"
    partners: list[str] = field(default_factory=list)  # agencies after the first in the owner cell
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    already_there: bool = False  # the review already holds this recommendation's action
    read_as_complete: str = ""  # why a row with no status saying so was read as complete ("RAG 'Blue'")


@dataclass(frozen=True)
class ImportResult:
    recommendations: int
    actions: int
    already_there: int
    read_as_complete: tuple[str, ...] = ()  # "row 5 (completed on '12th Apr 2024', RAG 'Green')"

    def summary(self, reference: str) -> str:
        """What an import wrote, and which actions it read as complete without a status saying so, and why."""
        return (
            f"Imported {self.actions} action(s) under {self.recommendations} new recommendation(s) into {reference}"
            + (f"; {self.already_there} row(s) were already there and were skipped" if self.already_there else "")
            + "."
            + (
                " Read as complete, no status saying otherwise: " + "; ".join(self.read_as_complete) + "."
                if self.read_as_complete
                else ""
            )
        )


@dataclass
class Preview:
    headers: list[str]
    mapping: dict[str, str]
    rows: list[Row]
    unknown_agencies: dict[str, list[str]] = field(default_factory=dict)  # name -> closest listed names
    agencies_to_add: list[str] = field(default_factory=list)
    agencies_mapped: dict[str, str] = field(default_factory=dict)  # their name -> the listed agency it was mapped to
    samples: dict[str, list[str]] = field(default_factory=dict)  # their header -> a few of its values
    unmapped: list[str] = field(default_factory=list)  # what no column is mapped to yet, in the screen's words
    skipped: list[str] = field(default_factory=list)  # rows left out (headings repeated, section titles)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.already_there]

    @property
    def problems(self) -> list[str]:
        mapping = [
            f"choose the column that holds the {what} (the columns: {', '.join(h for h in self.headers if h)})"
            for what in self.unmapped
        ]
        return mapping + [f"row {r.number}: {p}" for r in self.rows for p in r.problems]


def propose_mapping(headers: list[str]) -> dict[str, str]:
    """Their header -> our field, from the headers an officer would write."""
    return tables.propose_mapping(headers, SYNONYMS)


def parse_target(text: str) -> tuple[date | None, str | None]:
    """A target date from free text: (date, None or a note), or (None, warning) when it must stay text."""
    try:
        return read_free_date(text)
    except ValueError as error:
        return None, f"target date {error}: kept as text, no RAG from dates"


def read_scope(text: str) -> str | None:
    """Our scope for a plan's scope cell ("Single Agency", "Local level", "Local/Regional"), ``LOCAL`` while
    the agencies decide it, or None where a word of it is not a scope (a blank cell too)."""
    words = [
        " ".join(SCOPE_NOISE.sub(" ", part.replace("-", " ")).split())
        for part in SCOPE_SEPARATORS.split(text.casefold())
    ]
    read = [SCOPE_WORDS.get(word) for word in words if word]
    if not read or None in read:
        return None
    return next(scope for scope in WIDEST_FIRST if scope in read)


def _place_local(rows: list[Row]) -> None:
    """A "Local" recommendation (or one whose scope is not written) is one agency's when all its actions name
    the same one agency, else several agencies'; its actions are its rows of the same number (or, without one,
    the same text)."""
    agencies: dict[str, set[str]] = {}
    for row in rows:
        agencies.setdefault(_recommendation_key(row), set()).update([row.values.get("owner_agency", ""), *row.partners])
    for row in rows:
        if row.values.get("scope") == LOCAL:
            row.values["scope"] = "single-agency" if len(agencies[_recommendation_key(row)]) == 1 else "multi-agency"


def _recommendation_key(row: Row) -> str:
    reference = row.values.get("reference")
    return f"number:{reference}" if reference else f"text:{_same(row.values.get('recommendation', ''))}"


def _same(text: str) -> str:
    return normalised(text).rstrip(".")


def _existing_plan(store: Store, viewer: Viewer | None, reference: str | None) -> list[plan.Recommendation]:
    return plan.recommendations_for(store, viewer, reference) if viewer and reference else []


def _mark_already_there(rows: list[Row], existing: list[plan.Recommendation]) -> None:
    """Rows whose recommendation (same number or same text) already has this action (same text)."""
    actions = {
        (key, _same(action.description))
        for rec in existing
        for key in (f"number:{rec.number}", f"text:{_same(rec.text)}")
        for action in rec.actions
    }
    for row in rows:
        action = _same(row.values.get("action", ""))
        keys = [f"number:{row.values['reference']}"] if row.values.get("reference") else []
        keys += [f"text:{_same(row.values['recommendation'])}"] if row.values.get("recommendation") else []
        row.already_there = any((key, action) in actions for key in keys)


def _continues(values: dict[str, str]) -> bool:
    """A row with no action of its own, or whose action starts in lower case, continues the row above:
    text wrapped onto the next row, as plans copied out of a PDF or Word have it."""
    action = values.get("action", "")
    return not action or action[0].islower()


def _join(above: str, more: str, separator: str) -> str:
    if not above or not more or more in above:
        return above or more
    if above.endswith("-") and more[0].islower():  # a word broken over two lines ("multi-" "agency")
        return above + more
    return f"{above}{separator}{more}"


def _sheet_rows(grid: list[list[str]], header_index: int, columns: dict[str, int]) -> tuple[list[Row], list[str]]:
    """The rows of actions, with what was skipped: blank lines, the headings repeated, section titles.
    A continuation row is joined to the row above it (and said so)."""
    headers = grid[header_index]
    rows: list[Row] = []
    skipped: list[str] = []
    joinable = False  # whether the row above is an action a continuation may join
    for number, cells in enumerate(grid[header_index + 1 :], start=header_index + 2):
        kind = tables.row_kind(cells, headers)
        if kind != "data":
            joinable = False
            if kind == "header":
                skipped.append(f"row {number}: the column headings again")
            elif kind == "section":
                skipped.append(f"row {number}: a section title ('{next(c for c in cells if c)[:60]}')")
            continue
        values = {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()}
        if not any(values.values()):
            continue  # text only in columns that are not imported
        if joinable and _continues(values):
            above = rows[-1]
            for key, more in values.items():
                above.values[key] = _join(above.values.get(key, ""), more, "\n" if key == "owner_agency" else " ")
            above.warnings.append(f"row {number} continues this row (its text is added here)")
            continue
        rows.append(Row(number, values))
        joinable = True
    return rows, skipped


def _carry_down(rows: list[Row], columns: dict[str, int], known_numbers: dict[str, str]) -> None:
    """A recommendation (and its scope) written once above several actions applies to each, and a
    recommendation's text that starts in lower case continues the one above (wrapped onto the next row).
    A blank lead agency is the one above it, as a merged cell would be (said so)."""
    carried = {"reference": "", "recommendation": "", "scope": ""}
    sharing: list[Row] = []  # the rows under the carried recommendation
    owner = ("", 0)  # (agency, row)
    for row in rows:
        values = row.values
        new_number = values.get("reference") and values["reference"] != carried["reference"]
        if new_number:  # a new recommendation never inherits the one above's text or scope
            carried.update(recommendation=known_numbers.get(values["reference"], ""), scope="")
        text = values.get("recommendation", "")
        if text and text[0].islower() and carried["recommendation"] and not new_number:
            text = _join(carried["recommendation"], text, " ")
            for above in sharing:
                above.values["recommendation"] = text
            values["recommendation"] = text
        elif text and text != carried["recommendation"]:
            sharing = []
        sharing.append(row)
        for key in carried:
            if values.get(key):
                carried[key] = values[key]
            elif key in columns:
                values[key] = carried[key]
        if new_number and "recommendation" in columns and not values.get("recommendation"):
            row.problems.append(f"recommendation {values['reference']} has no text")
        if values.get("owner_agency"):
            owner = (values["owner_agency"], row.number)
        elif "owner_agency" in columns and owner[0]:
            values["owner_agency"] = owner[0]
            row.warnings.append(f"no lead agency: {split_agencies(owner[0])[0]} from row {owner[1]}, as above it")


def preview(
    store: Store,
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    *,
    viewer: Viewer | None = None,
    reference: str | None = None,
    agency_map: dict[str, str] | None = None,
    add_agencies: bool = False,
) -> Preview:
    """Read a plan and check every row without writing anything; every problem of every row is listed
    at once. Given the review it goes into, rows that review already holds are marked as already there
    (they are skipped on import).

    ``mapping`` is their header -> our field (its key or its name on screen); proposed from the
    headers when left out. A field that must be mapped and is not is listed in ``unmapped`` (the
    preview then has no rows), with the file's headers and sample values to choose from.

    An owner cell naming several agencies ("Police; CPS") gives the owner and partner agencies.
    A name not on the workspace's list is looked up in ``agency_map`` (their name -> a listed
    agency, or ``ADD`` to add it), then in the names the workspace remembers (``remember_names``: mapped
    once, on the page or the command line, they are not asked for again); with ``add_agencies`` every
    such name is to be added. A name still unknown is a row problem, listed with the closest names in
    ``unknown_agencies``."""
    grid = tables.read_grid(data, filename)
    mapping = None if mapping is None else tables.checked_mapping(mapping, FIELDS)
    header_index = tables.heading_row(grid, SYNONYMS, mapping, "Action, Lead agency")
    headers = grid[header_index]
    mapping = propose_mapping(headers) if mapping is None else mapping
    result = Preview(headers, mapping, [], samples=tables.samples(grid, header_index))
    mapped = set(mapping.values())
    result.unmapped = [FIELDS[f] for f in REQUIRED if f not in mapped]
    if not mapped & {"reference", "recommendation"}:
        result.unmapped.append(f"{FIELDS['recommendation']} (or its number)")
    if result.unmapped:
        return result
    columns = {field_name: headers.index(header) for header, field_name in mapping.items() if header in headers}
    if len(grid) - header_index - 1 > MAX_ROWS:
        raise ValidationError(f"file: {len(grid) - header_index - 1} rows; split it into files of at most {MAX_ROWS}")
    existing = _existing_plan(store, viewer, reference)
    result.rows, result.skipped = _sheet_rows(grid, header_index, columns)
    _carry_down(result.rows, columns, {r.number: r.text for r in existing})
    resolve = _agency_resolver(store, agency_map or {}, add_agencies)
    for row in result.rows:
        _check_row(row, resolve)
    _place_local(result.rows)
    _mark_already_there(result.rows, existing)
    result.unknown_agencies, result.agencies_to_add = resolve.unknown, resolve.to_add
    result.agencies_mapped = resolve.mapped
    return result


def _check_row(row: Row, resolve: _agency_resolver) -> None:
    """Every problem and note of one row, in the screen's words."""
    values = row.values
    if not values.get("action"):
        row.problems.append("no action (say what will be done)")
    if not (values.get("reference") or values.get("recommendation")):
        row.problems.append("no recommendation number or text")
    named = [body for name in split_agencies(values.get("owner_agency", "")) for body in resolve.bodies(name)]
    if not named:
        row.problems.append("no owner agency")
    else:
        resolved = [resolve(name) for name in named]
        row.problems += unknown_message(
            {name: resolve.unknown[name] for name, found in zip(named, resolved, strict=True) if found is None},
            "map it to a listed agency or add it",
        )
        listed = list(dict.fromkeys(found for found in resolved if found))
        if listed and len(listed) == len(resolved):
            if len(listed) > 1 and len(split_agencies(values["owner_agency"])) < len(named):
                row.warnings.append(
                    f"'{values['owner_agency']}' read as {listed[0]}, with {', '.join(listed[1:])} as partner"
                )
            values["owner_agency"], row.partners = listed[0], listed[1:]
        row.warnings += [f"'{name}' read as {resolve.own_area[name]}" for name in named if name in resolve.own_area]
    _one_column_for_both(row)
    status = values.get("status", "").lower()
    rag = values.get("rag", "").lower()
    if rag in COMPLETE_RAG_WORDS and not status:  # BRAG: blue is done
        values["status"] = status = "complete"
        row.read_as_complete = f"RAG '{values['rag']}'"
        row.warnings.append(f"RAG '{values['rag']}' read as complete (blue in a BRAG rating)")
    if status not in STATUS_WORDS:
        row.problems.append(f"status '{values['status']}' is not one of not started, in progress, complete, blocked")
    if rag and rag not in RAG_WORDS | COMPLETE_RAG_WORDS:
        row.warnings.append(f"RAG '{values['rag']}' not understood; the RAG will be derived")
    elif RAG_WORDS.get(rag) == "red" and STATUS_WORDS.get(status) == "complete":
        row.warnings.append("RAG 'Red' on a complete action is not kept: a complete action is never Red")
    scope = values.get("scope", "")
    placed = read_scope(scope) if scope else LOCAL  # no scope written: its agencies say, as for "Local"
    values["scope"] = placed or scope
    if scope and not placed:
        row.warnings.append(
            f"scope '{scope}' not understood; recorded as multi-agency (write Local, Single agency, Multi-agency, "
            "Partnership, Regional or National in its Scope cell, or correct it after import under "
            "'Correct or delete a recommendation')"
        )
    row.target_date, warning = parse_target(values.get("target_date", ""))
    if warning:
        row.warnings.append(warning)
    _read_completion(row, status, RAG_WORDS.get(rag))


def _one_column_for_both(row: Row) -> None:
    """A plan keeping status and RAG in one column ("RAG / Status" holding "Complete" or "In progress", or a
    "Status" holding colours): a status word in the RAG column is the status, a colour in the Status column
    the RAG, each said in a note, when the other column is empty."""
    values = row.values
    status, rag = values.get("status", "").strip(), values.get("rag", "").strip()
    if rag and not status and rag.lower() in STATUS_WORDS:
        values["status"], values["rag"] = rag, ""
        row.warnings.append(f"RAG '{rag}' read as the status")
    elif status and not rag and status.lower() in RAG_WORDS | COMPLETE_RAG_WORDS:
        values["status"], values["rag"] = "", status
        row.warnings.append(f"status '{status}' read as the RAG")


def preview_rows(result: Preview) -> list[dict]:
    """The preview as the import page's table shows it: each row's problems and notes, then its values
    under our fields' names."""
    return [
        {
            "Row": r.number,
            "Problems": "; ".join(r.problems),
            "Notes": "; ".join(r.warnings),
            "Already in the review": "yes – skipped" if r.already_there else "",
            **{FIELDS[k]: v for k, v in r.values.items()},
            "Partner agencies": "; ".join(r.partners),
            "Target read as": r.target_date,
        }
        for r in result.rows
    ]


def _read_completion(row: Row, status: str, rag: str | None) -> None:
    """The completion date of a row marked complete, as the file gives it; a complete row without one
    is completed on a date "not recorded" (never the day of the import). A row with a completed date in the
    past and nothing saying it is not done (no status, a RAG blank or Green) is complete, as a coordinator
    reads it, and said so; a completed date beside a status or RAG saying otherwise is reported, not read."""
    text = row.values.get("completed_on", "").strip()
    if STATUS_WORDS.get(status) != "complete":
        done = _past_date(text) if text and not status and rag in (None, "green") else None
        if done:
            row.values["status"], row.completed_on = "complete", done
            row.read_as_complete = f"completed on '{text}'" + (f", RAG '{row.values['rag']}'" if rag else "")
            row.warnings.append(f"read as complete: completed on {done.isoformat()} and no status says otherwise")
        elif text:
            said = f"the status is '{row.values['status']}'" if status else f"the RAG is '{row.values.get('rag')}'"
            row.warnings.append(
                f"completed on '{text}' ignored: "
                + (said if status or rag not in (None, "green") else "it is not a date in the past")
            )
        return
    try:
        row.completed_on, note = read_free_date(text)
    except ValueError:
        row.problems.append(f"completed on '{text}' is not a date (leave it empty if not recorded)")
        return
    if note:
        row.warnings.append(f"completed on {note}")
    if row.completed_on is None:
        row.warnings.append("complete, completion date not recorded")
    elif row.completed_on > date.today():
        row.problems.append(f"completed on {row.completed_on.isoformat()} is in the future")


def _past_date(text: str) -> date | None:
    """The date a completed-date cell gives, where it is one and not after today ("TBC", "n/a": None)."""
    try:
        found, _ = read_free_date(text)
    except ValueError:
        return None
    return found if found and found <= date.today() else None


class _agency_resolver:
    """Their agency name -> the listed name (folded match, as mapped, or as the workspace remembers it),
    the name itself when it is to be added, the listed agency it names after the workspace's own place
    ("Eastmere Police": Police, in Eastmere's workspace; in ``own_area``), or None (recorded in ``unknown``
    with the closest listed names). The names mapped by ``agency_map`` are recorded in ``mapped``, to be
    remembered on import."""

    def __init__(self, store: Store, agency_map: dict[str, str], add_all: bool):
        self.db, self.listed, self.map, self.add_all = store.read(), canonical(store.read()), agency_map, add_all
        self.remembered = remembered_names(self.db)
        self.places = own_places(self.db)
        self.own_area: dict[str, str] = {}  # their name -> the listed agency, the workspace's place taken off it
        self.unknown: dict[str, list[str]] = {}
        self.to_add: list[str] = []
        self.mapped: dict[str, str] = {}

    def __call__(self, name: str) -> str | None:
        known = self.known(name)
        if known:
            return known
        if self.map.get(name) == ADD or self.add_all:
            if name not in self.to_add:
                self.to_add.append(name)
            return name
        self.unknown.update(unknown_agencies(self.db, [name]))
        return None

    def known(self, name: str) -> str | None:
        """The listed agency ``name`` is (folded) or is mapped to, if any."""
        folded = " ".join(name.split()).casefold()
        if folded in self.listed:
            return self.listed[folded]
        choice = self.map.get(name)
        if choice and choice != ADD:
            listed = self.listed.get(" ".join(choice.split()).casefold())
            if listed:
                self.mapped[name] = listed
            return listed
        if choice is not None:
            return None
        known = self.remembered.get(folded) or in_own_area(name, self.places, list(self.listed.values()))
        if known and folded not in self.remembered:
            self.own_area[name] = known
        return known

    def bodies(self, name: str) -> list[str]:
        """The agencies one name of an owner cell stands for: itself, or the listed agencies it joins with
        "and" or "&" ("Police and Children's Social Care"); "Policy Lead & MARAC Chair" stays one name."""
        parts = JOINED.split(name)
        return parts if len(parts) > 1 and not self.known(name) and all(map(self.known, parts)) else [name]


def agency_map_from(store: Store, pairs: list[str]) -> dict[str, str]:
    """An agency map as a command line gives it, "THEIR NAME=LISTED NAME" each ("Met Police=Police"; "=add"
    adds their name to the list): their name -> the listed name, or ``ADD``. Every pair that is not of
    that form, or names an agency the list does not hold, is refused with the list."""
    listed, agency_map, refused = canonical(store.read()), {}, []
    for pair in pairs:
        theirs, _, ours = (" ".join(part.split()) for part in pair.partition("="))
        if not theirs or not ours:
            refused.append(f"--map-agency {pair!r}: write it as 'THEIR NAME=LISTED NAME' (or 'THEIR NAME=add')")
        elif ours.casefold() == "add":
            agency_map[theirs] = ADD
        elif ours.casefold() not in listed:
            refused.append(f"--map-agency {pair!r}: {ours!r} is not on the list ({', '.join(listed.values())})")
        else:
            agency_map[theirs] = listed[ours.casefold()]
    if refused:
        raise ValidationError(refused)
    return agency_map


def import_plan(
    store: Store, viewer: Viewer, reference: str, result: Preview, today: date | None = None
) -> ImportResult:
    """Write a checked preview: all rows or none. Rows the review already holds (same recommendation
    and action text) are skipped and counted, so importing the same plan twice doubles nothing.
    Without a number column, rows with the same recommendation text share one recommendation.

    A RAG in the file becomes an override (with that reason) only where it differs from the RAG
    the dates and status give."""
    today = today or date.today()
    if not result.ok:
        raise ValidationError(result.problems or ["file: no rows to import"])
    added_recs, added_actions, already = 0, 0, 0
    with store.write(viewer.username) as tx:
        add_named_agencies(tx, viewer, result.agencies_to_add)
        if result.agencies_mapped and viewer.is_coordinator:  # only the coordinator's map is the workspace's
            remember_names(tx, viewer, result.agencies_mapped)
        current = plan.recommendations_for(store, viewer, reference)
        _mark_already_there(result.rows, current)
        existing = {r.number: r.id for r in current}
        by_text = {_same(r.text): r.number for r in current}
        for row in result.rows:
            v = row.values
            if row.already_there:
                already += 1
                continue
            text = v.get("recommendation") or v["action"]
            number = v.get("reference") or by_text.get(_same(text)) or _next_number(existing)
            by_text.setdefault(_same(text), number)
            if number not in existing:
                existing[number] = plan.add_recommendation(
                    store,
                    viewer,
                    reference,
                    number=number,
                    text=text,
                    scope=v.get("scope") if v.get("scope") in plan.SCOPES else "multi-agency",
                )
                added_recs += 1
            status = STATUS_WORDS[v.get("status", "").lower()]
            action_id = plan.add_action(
                store,
                viewer,
                reference,
                recommendation_id=existing[number],
                description=v["action"],
                owner_agency=v["owner_agency"],
                partner_agencies=row.partners,
                lead_officer=v.get("lead_officer", ""),
                target_date=row.target_date,
                target_text=v.get("target_date", "") if row.target_date is None else "",
                status=status,
                completed_on=row.completed_on,
                expected_outcome=v.get("expected_outcome", ""),
                success_measure=v.get("success_measure", ""),
            )
            added_actions += 1
            if v.get("progress") or v.get("evidence"):
                plan.update_action(
                    store,
                    viewer,
                    action_id,
                    note=v.get("progress", "") or "Evidence recorded in the imported plan",
                    evidence=v.get("evidence", ""),
                )
            rag = RAG_WORDS.get(v.get("rag", "").lower())
            derived = derived_rag(status, row.target_date, today)
            if rag and effective_rag(status, row.target_date, today, rag) != derived:
                plan.override_rag(store, viewer, action_id, rag=rag, reason="RAG as recorded in the imported plan")
        if added_recs or added_actions:
            theming.mark_pending(tx, ("recommendation", "action"))  # finished even if the process stops now
    read = tuple(f"row {r.number} ({r.read_as_complete})" for r in result.new_rows if r.read_as_complete)
    return ImportResult(added_recs, added_actions, already, read)


def _next_number(existing: dict[str, int]) -> str:
    numbers = [int(n) for n in existing if n.isdigit()]
    return str(max(numbers, default=0) + 1)


HEADER = [
    "Review",
    "Rec no.",
    "Recommendation",
    "Themes",
    "Action",
    "Lead agency",
    "Partner agencies",
    "Lead officer",
    "Target date",
    "Status",
    "RAG",
    "RAG note",
    "Latest progress",
    "Evidence",
    "Completed",
    "Signed off by",
]
RAG_FILLS = {"red": "F4B6B6", "amber": "FCE4B0", "green": "C6E9C6"}


def export_xlsx(actions: list[plan.Action], today: date) -> bytes:
    """One row per action with a header an officer would recognise; RAG cells coloured."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    tables.append_as_text(sheet, HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for action in actions:
        rag = action.rag(today)
        latest = action.progress[-1] if action.progress else None
        tables.append_as_text(
            sheet,
            [
                action.review,
                action.recommendation,
                action.recommendation_text,
                ", ".join(plan.theme_labels(None).get(t, t) for t in action.themes),
                action.description,
                action.owner_agency,
                "; ".join(action.partner_agencies),
                action.lead_officer,
                action.target_date or action.target_text,
                plan.STATUSES[action.status],
                rag.capitalize(),
                action.rag_override_reason,
                f"{latest.noted_on.isoformat()}: {latest.note}" if latest else "",
                action.evidence,
                action.completed_on or (NOT_RECORDED if action.status == "complete" else None),
                action.signed_off_by or "",
            ],
        )
        sheet.cell(sheet.max_row, HEADER.index("RAG") + 1).fill = PatternFill("solid", fgColor=RAG_FILLS[rag])
    widths = [12, 8, 50, 24, 50, 26, 26, 20, 12, 12, 8, 30, 50, 40, 12, 18]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        date_cell = row[HEADER.index("Target date")]
        if isinstance(date_cell.value, date):
            date_cell.number_format = "DD/MM/YYYY"
        done_cell = row[HEADER.index("Completed")]
        if isinstance(done_cell.value, date):
            done_cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
