"""Named, versioned deadline rule sets, stored as data.

A rule set is a JSON document (see ``rule_sets/HO-2016.json``). The bundled ones are
loaded into the ``rule_sets`` table when a workspace opens; another can be added with
``python -m reviews rule-sets add FILE`` without any change to the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from core.db import Store
from core.errors import NotFound, ValidationError
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


def _period(raw: object, where: str, problems: list[str]) -> Period:
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in PERIOD_UNITS:
        problems.append(f'{where}.period: give exactly one of {", ".join(PERIOD_UNITS)}, e.g. {{"months": 1}}')
        return Period("days", 0)
    unit, amount = next(iter(raw.items()))
    if not isinstance(amount, int) or amount < 0:
        problems.append(f"{where}.period.{unit}: must be a whole number, 0 or more")
        return Period("days", 0)
    return Period(unit, amount)


def _text(raw: dict, key: str, where: str, problems: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}.{key}: missing or empty")
        return ""
    return value


def parse_rule_set(raw: object) -> RuleSet:
    """Check a rule-set document and return it; ValidationError lists every problem by field."""
    if not isinstance(raw, dict):
        raise ValidationError("rule set: the document must be a JSON object")
    problems: list[str] = []
    name, version, title = (_text(raw, k, "rule set", problems) for k in ("name", "version", "title"))
    due_soon = raw.get("due_soon_days", 14)
    if not isinstance(due_soon, int) or due_soon < 0:
        problems.append("rule set.due_soon_days: must be a whole number of days")
    cal = raw.get("working_day_calendar", {"country": "GB", "subdivision": "ENG"})
    calendar = (cal.get("country", "GB"), cal.get("subdivision")) if isinstance(cal, dict) else ("GB", "ENG")
    rules = []
    keys: set[str] = set()
    for i, item in enumerate(raw.get("deadlines") or []):
        where = f"deadlines[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        key, label, basis, rule = (_text(item, k, where, problems) for k in ("key", "label", "basis", "rule"))
        if key in keys:
            problems.append(f"{where}.key: {key!r} appears twice")
        keys.add(key)
        if basis and basis not in BASES:
            problems.append(f"{where}.basis: must be 'statutory' or 'local'")
        for stage_field in ("from_stage", "met_by_stage"):
            if item.get(stage_field) not in STAGE_KEYS:
                problems.append(f"{where}.{stage_field}: {item.get(stage_field)!r} is not a stage key")
        applies_to = tuple(item.get("applies_to") or ("hold",))
        if not set(applies_to) <= set(DECISIONS):
            problems.append(f"{where}.applies_to: use decisions from {', '.join(DECISIONS)}")
        rules.append(
            DeadlineRule(
                key=key,
                label=label,
                basis=basis,
                rule=rule,
                source=str(item.get("source", "")),
                from_stage=str(item.get("from_stage")),
                period=_period(item.get("period"), where, problems),
                met_by_stage=str(item.get("met_by_stage")),
                applies_to=applies_to,
                pausable=bool(item.get("pausable", False)),
            )
        )
    if not rules:
        problems.append("rule set.deadlines: list at least one deadline")
    returns_raw = raw.get("agency_returns")
    if not isinstance(returns_raw, dict):
        problems.append("rule set.agency_returns: missing (how long agencies have to send their returns)")
        returns_raw = {}
    returns = ReturnRule(
        label=str(returns_raw.get("label", "Agency return")),
        basis=str(returns_raw.get("basis", "local")),
        rule=str(returns_raw.get("rule", "")),
        source=str(returns_raw.get("source", "")),
        period=_period(returns_raw.get("period"), "agency_returns", problems) if returns_raw else Period("days", 0),
    )
    if returns.basis not in BASES:
        problems.append("agency_returns.basis: must be 'statutory' or 'local'")
    if problems:
        raise ValidationError(problems)
    return RuleSet(name, version, title, due_soon, calendar, tuple(rules), returns)


def install_rule_set(store: Store, *, actor: str, document: dict) -> RuleSet:
    """Store a rule set (new name, or a new version of an existing one)."""
    rule_set = parse_rule_set(document)
    with store.write(actor) as tx:
        row = {
            "name": rule_set.name,
            "version": rule_set.version,
            "title": rule_set.title,
            "definition": json.dumps(document, sort_keys=True),
        }
        existing = tx.db["rule_sets"].count_where("name = ?", [rule_set.name])
        if not existing:
            tx.insert("rule_sets", row)
        elif tx.db["rule_sets"].get(rule_set.name)["definition"] != row["definition"]:
            tx.update("rule_sets", rule_set.name, row)
    return rule_set


def install_bundled_rule_sets(store: Store) -> None:
    """Load the rule sets shipped with the application into a workspace (idempotent)."""
    for path in sorted(BUNDLED_DIR.glob("*.json")):
        install_rule_set(store, actor="system", document=json.loads(path.read_text(encoding="utf-8")))


def load_rule_set(db: sqlite_utils.Database, name: str) -> RuleSet:
    rows = list(db["rule_sets"].rows_where("name = ?", [name]))
    if not rows:
        raise NotFound(f"No rule set called {name!r}")
    return parse_rule_set(json.loads(rows[0]["definition"]))


def rule_set_names(db: sqlite_utils.Database) -> list[str]:
    return [row["name"] for row in db["rule_sets"].rows_where(order_by="name")]
