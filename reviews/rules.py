"""Named, versioned deadline rule sets, stored as data.

A rule set is a JSON document (see ``rule_sets/HO-2016.json``). The bundled ones are
loaded into the ``rule_sets`` table when a workspace opens; another can be added with
``python -m reviews rule-sets add FILE`` without any change to the code.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import holidays
import sqlite_utils

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import NotFound, ValidationError
from core.text import without_controls
from reviews.calendar_math import add_months, add_working_days
from reviews.stages import DECISIONS, STAGE_KEYS

BUNDLED_DIR = Path(__file__).parent / "rule_sets"
DEFAULT_RULE_SET = "HO-2016"
BASES = ("statutory", "local")
PERIOD_UNITS = ("months", "days", "working_days")


@dataclass(frozen=True)
class Period:
    unit: str
    amount: int

    def after(self, start: date, calendar: tuple[str, str | None]) -> date:
        if self.unit == "months":
            return add_months(start, self.amount)
        if self.unit == "days":
            return start + timedelta(days=self.amount)
        return add_working_days(start, self.amount, *calendar)

    def describe(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    label: str
    basis: str
    rule: str
    source: str
    from_stage: str
    period: Period
    met_by_stage: str
    applies_to: tuple[str, ...]
    pausable: bool


@dataclass(frozen=True)
class ReturnRule:
    label: str
    basis: str
    rule: str
    source: str
    period: Period


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    title: str
    due_soon_days: int
    calendar: tuple[str, str | None]
    deadlines: tuple[DeadlineRule, ...]
    agency_returns: ReturnRule

    def return_due(self, requested: date) -> date:
        return self.agency_returns.period.after(requested, self.calendar)


TOP_LEVEL_FIELDS = {
    "name",
    "version",
    "title",
    "description",
    "due_soon_days",
    "working_day_calendar",
    "deadlines",
    "agency_returns",
}
DEADLINE_FIELDS = {
    "key",
    "label",
    "basis",
    "rule",
    "source",
    "from_stage",
    "period",
    "met_by_stage",
    "applies_to",
    "pausable",
}
RETURN_FIELDS = {"label", "basis", "rule", "source", "period"}
MAX_PERIOD = 3660
MAX_TEXT = 2000
"""The longest label, rule or source text: a paragraph of guidance. Longer is not a rule's wording."""
MAX_DEADLINES = 100
"""The most deadlines one rule set may list: the 2016 guidance has a handful; each is worked out for
every review on every page that shows deadlines."""


def _unknown_fields(raw: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(raw) - allowed):
        problems.append(f"{where}: unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _period(raw: object, where: str, problems: list[str]) -> Period:
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in PERIOD_UNITS:
        problems.append(f'{where}.period: give exactly one of {", ".join(PERIOD_UNITS)}, e.g. {{"months": 1}}')
        return Period("days", 0)
    unit, amount = next(iter(raw.items()))
    if not _whole_number(amount) or not 0 <= amount <= MAX_PERIOD:
        problems.append(f"{where}.period.{unit}: must be a whole number from 0 to {MAX_PERIOD}")
        return Period("days", 0)
    return Period(unit, amount)


def _text(raw: dict, key: str, where: str, problems: list[str], *, required: bool = True) -> str:
    """A text field, without characters no document can hold (a label with a control character broke
    every overview report; rule sets stored before are cleaned as they are read)."""
    value = raw.get(key, None if required else "")
    if isinstance(value, str):
        value = without_controls(value)
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}.{key}: {'missing or empty' if value in (None, '') else 'must be text'}")
        return ""
    if len(value) > MAX_TEXT:
        problems.append(f"{where}.{key}: {len(value):,} characters; keep it under {MAX_TEXT:,}")
        return ""
    return value


def _calendar(raw: object, problems: list[str]) -> tuple[str, str | None]:
    if raw is None:
        return ("GB", "ENG")
    if not isinstance(raw, dict) or not isinstance(raw.get("country"), str):
        problems.append('rule set.working_day_calendar: give {"country": "GB", "subdivision": "ENG"}')
        return ("GB", "ENG")
    _unknown_fields(raw, {"country", "subdivision"}, "rule set.working_day_calendar", problems)
    country, subdivision = raw["country"], raw.get("subdivision")
    supported = holidays.list_supported_countries()
    if country not in supported:
        problems.append(f"rule set.working_day_calendar.country: {country!r} is not a known country code")
    elif subdivision is not None and subdivision not in supported[country]:
        problems.append(
            f"rule set.working_day_calendar.subdivision: {subdivision!r} is not one of {', '.join(supported[country])}"
        )
    return (country, subdivision)


def _deadline(item: object, where: str, keys: set[str], problems: list[str]) -> DeadlineRule | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be an object")
        return None
    _unknown_fields(item, DEADLINE_FIELDS, where, problems)
    key, label, basis, rule = (_text(item, k, where, problems) for k in ("key", "label", "basis", "rule"))
    source = _text(item, "source", where, problems, required=False)
    if key in keys:
        problems.append(f"{where}.key: {key!r} appears twice")
    keys.add(key)
    if basis and basis not in BASES:
        problems.append(f"{where}.basis: must be 'statutory' or 'local'")
    for stage_field in ("from_stage", "met_by_stage"):
        if item.get(stage_field) not in STAGE_KEYS:
            problems.append(f"{where}.{stage_field}: {item.get(stage_field)!r} is not a stage key")
    applies_to = item.get("applies_to", ["hold"])
    if not isinstance(applies_to, list) or not applies_to or not set(map(str, applies_to)) <= set(DECISIONS):
        problems.append(f"{where}.applies_to: a list of decisions from {', '.join(DECISIONS)}")
        applies_to = ["hold"]
    pausable = item.get("pausable", False)
    if not isinstance(pausable, bool):
        problems.append(f"{where}.pausable: must be true or false")
    return DeadlineRule(
        key=key,
        label=label,
        basis=basis,
        rule=rule,
        source=source,
        from_stage=str(item.get("from_stage")),
        period=_period(item.get("period"), where, problems),
        met_by_stage=str(item.get("met_by_stage")),
        applies_to=tuple(applies_to),
        pausable=bool(pausable),
    )


def parse_rule_set(raw: object) -> RuleSet:
    """Check a rule-set document strictly and return it; ValidationError names every problem."""
    if not isinstance(raw, dict):
        raise ValidationError("rule set: the document must be a JSON object")
    problems: list[str] = []
    _unknown_fields(raw, TOP_LEVEL_FIELDS, "rule set", problems)
    name, version, title = (_text(raw, k, "rule set", problems) for k in ("name", "version", "title"))
    due_soon = raw.get("due_soon_days", 14)
    if not _whole_number(due_soon) or not 0 <= due_soon <= 365:
        problems.append("rule set.due_soon_days: must be a whole number of days from 0 to 365")
        due_soon = 14
    calendar = _calendar(raw.get("working_day_calendar"), problems)
    deadlines = raw.get("deadlines")
    if not isinstance(deadlines, list) or not deadlines:
        problems.append("rule set.deadlines: list at least one deadline")
        deadlines = []
    elif len(deadlines) > MAX_DEADLINES:
        raise ValidationError(f"rule set.deadlines: {len(deadlines):,} deadlines, more than {MAX_DEADLINES}")
    keys: set[str] = set()
    rules = [r for i, item in enumerate(deadlines) if (r := _deadline(item, f"deadlines[{i}]", keys, problems))]
    returns_raw = raw.get("agency_returns")
    if not isinstance(returns_raw, dict):
        problems.append("rule set.agency_returns: missing (how long agencies have to send their returns)")
        returns_raw = {}
    else:
        _unknown_fields(returns_raw, RETURN_FIELDS, "agency_returns", problems)
    returns = ReturnRule(
        label=_text(returns_raw, "label", "agency_returns", problems, required=False) or "Agency return",
        basis=_text(returns_raw, "basis", "agency_returns", problems, required=False) or "local",
        rule=_text(returns_raw, "rule", "agency_returns", problems, required=False),
        source=_text(returns_raw, "source", "agency_returns", problems, required=False),
        period=_period(returns_raw.get("period"), "agency_returns", problems) if returns_raw else Period("days", 0),
    )
    if returns.basis not in BASES:
        problems.append("agency_returns.basis: must be 'statutory' or 'local'")
    if problems:
        raise ValidationError(problems)
    return RuleSet(name, version, title, due_soon, calendar, tuple(rules), returns)


def _store_rule_set(store: Store, actor: str, document: dict) -> RuleSet:
    """Keep a version beside the older ones; the newest installed becomes the default for new reviews.
    Reviews already running keep the version they run under."""
    rule_set = parse_rule_set(document)
    definition = json.dumps(document, sort_keys=True)
    with store.write(actor) as tx:
        stored = list(
            tx.db["rule_set_versions"].rows_where("name = ? AND version = ?", [rule_set.name, rule_set.version])
        )
        if stored:
            if stored[0]["definition"] != definition:
                raise ValidationError(
                    f"version: {rule_set.name} version {rule_set.version} is already installed with different rules; "
                    "give the changed rules a new version"
                )
            return rule_set
        current = {
            "name": rule_set.name,
            "version": rule_set.version,
            "title": rule_set.title,
            "definition": definition,
        }
        if tx.db["rule_sets"].count_where("name = ?", [rule_set.name]):
            tx.update("rule_sets", rule_set.name, current)
        else:
            tx.insert("rule_sets", current)
        tx.insert("rule_set_versions", current | {"installed_at": utc_now()})
    return rule_set


def install_rule_set(store: Store, viewer: Viewer, *, document: dict) -> RuleSet:
    """The coordinator installs a rule set, or a new version of one (Administration page or CLI)."""
    require_coordinator(viewer, "Only the coordinator can install a rule set")
    return _store_rule_set(store, viewer.username, document)


def install_bundled_rule_sets(store: Store) -> None:
    """Load the rule sets shipped with the application into a workspace (idempotent)."""
    for path in sorted(BUNDLED_DIR.glob("*.json")):
        _store_rule_set(store, "system", json.loads(path.read_text(encoding="utf-8")))


def load_rule_set(db: sqlite_utils.Database, name: str, version: str | None = None) -> RuleSet:
    """A rule set as stored: the given version, or the newest installed."""
    if version is None:
        rows = list(db["rule_sets"].rows_where("name = ?", [name]))
    else:
        rows = list(db["rule_set_versions"].rows_where("name = ? AND version = ?", [name, version]))
    if not rows:
        raise NotFound(f"No rule set called {name!r}" + (f" in version {version!r}" if version else ""))
    return _parsed(rows[0]["definition"])


@functools.lru_cache(maxsize=64)
def _parsed(definition: str) -> RuleSet:
    """A stored rule set's definition, parsed once per process (a RuleSet is immutable): the register
    and the dashboard load one per review on every page."""
    return parse_rule_set(json.loads(definition))


def current_version(db: sqlite_utils.Database, name: str) -> str:
    """The newest installed version of a rule set (the default for new reviews)."""
    rows = list(db["rule_sets"].rows_where("name = ?", [name], select="version"))
    if not rows:
        raise NotFound(f"No rule set called {name!r}")
    return rows[0]["version"]


def rule_set_versions(db: sqlite_utils.Database, name: str) -> list[str]:
    return [
        r["version"] for r in db["rule_set_versions"].rows_where("name = ?", [name], order_by="installed_at, version")
    ]


def rule_set_names(db: sqlite_utils.Database) -> list[str]:
    return [row["name"] for row in db["rule_sets"].rows_where(order_by="name")]
