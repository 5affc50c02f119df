"""Figures across every review: implementation by agency, themes, QA outcomes, and the board's quarter.

Aggregate figures name no victim and no case, so every role may see them.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from core.db import Store
from core.errors import ValidationError
from recommendations.plan import ACTION_SQL, Action, action_from_row, theme_labels
from reviews.deadlines import compute_deadlines
from reviews.qa import AREA_THEMES, OUTCOMES
from reviews.records import reviews_from_rows, standing_counts
from reviews.rules import load_rule_set
from reviews.stages import STANDING_HELP, STANDINGS


def all_actions(store: Store) -> list[Action]:
    """Every action, for aggregate figures only: never hand these to a page as a list."""
    db = store.read()
    return [action_from_row(db, row) for row in db.query(ACTION_SQL)]


AGENCY_COLUMNS = {
    "agency": "Agency",
    "actions": "Actions",
    "complete": "Complete",
    "on_time": "Completed on time",
    "not_known": "Complete, date not recorded",
    "overdue": "Overdue",
    "pct_complete": "% complete",
    "pct_complete_on_time": "% on time (of those with a completion date)",
}


HEADLINE_HELP = {  # the help each of ``partnership_headline``'s figures gives, by its label
    STANDINGS["in_progress"]: STANDING_HELP["in_progress"],
    STANDINGS["closing"]: STANDING_HELP["closing"],
    "Reviews published": "Every review published so far, closed ones included",
}


def partnership_headline(store: Store, today: date) -> dict[str, str]:
    """The partnership's headline figures for its board and partners: reviews in progress and published
    but not yet closed (counted as the dashboard counts them), reviews published, recommendations made,
    and how their actions stand. Aggregate figures, naming no one."""
    db = store.read()
    reviews = reviews_from_rows(db, list(db["reviews"].rows))
    standings = standing_counts(reviews)
    actions = all_actions(store)
    complete = sum(a.status == "complete" for a in actions)
    overdue = sum(a.status != "complete" and a.target_date is not None and a.target_date < today for a in actions)
    return {
        STANDINGS["in_progress"]: str(standings["in_progress"]),
        STANDINGS["closing"]: str(standings["closing"]),
        "Reviews published": str(sum("published" in r.stages for r in reviews)),
        "Recommendations made": str(db["recommendations"].count),
        "Actions complete": f"{complete} of {len(actions)}" if actions else "–",
        "Actions overdue": str(overdue),
    }


def agency_table(actions: list[Action], today: date) -> list[dict]:
    """``agency_figures`` as a table reads: the words people use as column names, percentages as "50%",
    and "–" where no action of the agency is complete on a recorded date yet (never "None")."""

    def shown(key: str, value):
        if key.startswith("pct_"):
            return "–" if value is None else f"{value:g}%"
        return value

    return [
        {AGENCY_COLUMNS[key]: shown(key, value) for key, value in row.items()} for row in agency_figures(actions, today)
    ]


def agency_figures(actions: list[Action], today: date) -> list[dict]:
    """Per owner agency: actions, complete, overdue, and % of completed actions done on time. An action
    complete on a date nobody recorded (an imported plan's) is neither on time nor late: it is counted as
    "not known" and left out of the percentage."""
    rows = {}
    for action in actions:
        row = rows.setdefault(
            action.owner_agency,
            {"agency": action.owner_agency, "actions": 0, "complete": 0, "on_time": 0, "not_known": 0, "overdue": 0},
        )
        row["actions"] += 1
        if action.status == "complete":
            row["complete"] += 1
            if action.completed_on is None:
                row["not_known"] += 1
            else:
                row["on_time"] += not action.completed_late()
        elif action.target_date and today > action.target_date:
            row["overdue"] += 1
    for row in rows.values():
        dated = row["complete"] - row["not_known"]
        row["pct_complete"] = round(100 * row["complete"] / row["actions"], 1)
        row["pct_complete_on_time"] = round(100 * row["on_time"] / dated, 1) if dated else None
    return sorted(rows.values(), key=lambda r: (-r["overdue"], r["agency"]))


def recommendations_by_theme(store: Store) -> dict[str, int]:
    """Recommendations per Home Office theme: the themes people gave them, else the suggested ones."""
    db = store.read()
    suggested: dict[int, list[str]] = {}
    for row in db.query(
        "SELECT target_id, theme_key FROM item_themes JOIN themes ON themes.key = item_themes.theme_key "
        "WHERE item_themes.target = 'recommendation' AND themes.grp = 'recommendation'"
    ):
        suggested.setdefault(row["target_id"], []).append(row["theme_key"])
    counts: Counter = Counter()
    for row in db["recommendations"].rows:
        counts.update(json.loads(row["themes"]) or suggested.get(row["id"]) or ["other"])
    return {label: counts.get(key, 0) for key, label in theme_labels(store.read()).items()}


def qa_outcomes(store: Store) -> list[dict]:
    """Each letter: year, round and outcome (no review named)."""
    return [
        {"year": int(r["letter_date"][:4]), "round": r["round"], "outcome": OUTCOMES[r["outcome"]]}
        for r in store.read()["qa_submissions"].rows_where("outcome IS NOT NULL", order_by="letter_date")
    ]


def qa_themes(store: Store) -> dict[str, int]:
    counts = Counter(r["theme"] for r in store.read()["qa_areas"].rows)
    return {AREA_THEMES[k]: v for k, v in counts.most_common()}


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = re.fullmatch(r"(\d{4})Q([1-4])", text.strip().upper())
        if not match:
            raise ValidationError(f"quarter: {text!r} should look like 2026Q3")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def board_figures(store: Store, quarter: Quarter, today: date | None = None) -> dict:
    """What a partnership board asks for, for one quarter; statuses are judged at the quarter's end,
    or today for the quarter in progress."""
    db = store.read()
    as_at = min(quarter.end, today or date.today())
    reviews = reviews_from_rows(db, list(db["reviews"].rows))
    opened = [r for r in reviews if r.decision == "hold" and r.stage_dates.get("decision") in quarter]
    closed = [r for r in reviews if r.stage_dates.get("closed") in quarter]
    deadlines = [
        d
        for r in reviews
        for d in compute_deadlines(r.timeline(), load_rule_set(db, r.rule_set, r.rule_set_version), as_at)
        if d.basis == "statutory" and d.deadline != "agency_return"
    ]
    met = [d for d in deadlines if d.status in ("met", "met_late") and d.met_on in quarter]
    missed = [
        d
        for d in deadlines
        if (d.status == "met_late" and d.met_on in quarter) or (d.status == "overdue" and d.due in quarter)
    ]
    letters = [
        r
        for r in db["qa_submissions"].rows_where("outcome IS NOT NULL")
        if date.fromisoformat(r["letter_date"]) in quarter
    ]
    actions = all_actions(store)
    completed = [a for a in actions if a.completed_on in quarter]
    overdue = [a for a in actions if a.status != "complete" and a.target_date and a.target_date < as_at]
    # every recommendation made, with or without actions: one nobody has planned to act on is not implemented
    recommendations: dict[int, list[Action]] = {row["id"]: [] for row in db.query("SELECT id FROM recommendations")}
    for action in actions:
        recommendations.setdefault(action.recommendation_id, []).append(action)
    fully = [
        rid
        for rid, acts in recommendations.items()
        # complete on a date not recorded (an imported plan's): complete before the import, so counted
        if acts and all(a.status == "complete" and (a.completed_on or date.min) <= as_at for a in acts)
    ]
    standings = standing_counts(reviews, as_at)
    return {
        "quarter": str(quarter),
        "from": quarter.start.isoformat(),
        "to": as_at.isoformat(),
        "reviews_opened": len(opened),
        "reviews_closed": len(closed),
        # where the reviews stood at the quarter's end, as the dashboard counts them today (``STANDINGS``)
        "reviews_in_progress_at_end": standings["in_progress"],
        "reviews_published_not_closed_at_end": standings["closing"],
        "statutory_deadlines_met": sum(1 for d in met if d.status == "met"),
        "statutory_deadlines_missed": len(missed),
        "qa_outcomes": dict(Counter(OUTCOMES[r["outcome"]] for r in letters)),
        "actions_completed": len(completed),
        "actions_completed_on_time": sum(1 for a in completed if not a.completed_late()),
        "actions_overdue_by_agency": dict(Counter(a.owner_agency for a in overdue).most_common()),
        "recommendations_total": len(recommendations),
        "recommendations_fully_implemented": len(fully),
        "rag_at_end": dict(Counter(a.rag(as_at) for a in actions)),
    }
