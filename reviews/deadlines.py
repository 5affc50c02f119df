"""The deadline engine: pure functions, no Streamlit and no database.

Given a review's dates, stage events and pauses, and a rule set, return every deadline
with its due date and status. Pauses (parallel proceedings) agreed with the Home Office move a
pausable deadline by the paused days; an open one shows it as paused rather than overdue. A pause
only proposed (by the chair, waiting for the coordinator) never stops the clock. A pause counts
from its first to its last day inclusive; overlapping pauses are counted once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.errors import ValidationError
from reviews.rules import RuleSet
from reviews.stages import STAGES, missing_stages, path_for

STATUSES = ("met", "met_late", "overdue", "due_soon", "open", "paused", "not_recorded", "not_applicable")
STATUS_LABELS = {
    "met": "Met",
    "met_late": "Met late",
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "open": "Open",
    "paused": "Paused",
    "not_recorded": "Not recorded",
    "not_applicable": "Not applicable",
}
URGENCY = {
    "overdue": 0,
    "due_soon": 1,
    "paused": 2,
    "open": 3,
    "met_late": 4,
    "met": 5,
    "not_recorded": 6,
    "not_applicable": 7,
}


@dataclass(frozen=True)
class Pause:
    reason: str
    start: date | None  # None: not recorded (a tracker said "on hold" without saying since when)
    end: date | None
    agreed_with_home_office: bool = False


@dataclass(frozen=True)
class ReturnRequest:
    agency: str
    kind: str
    requested: date
    due: date
    received: date | None = None
    chases: tuple[date, ...] = ()


@dataclass(frozen=True)
class Timeline:
    """What the engine needs to know about one review."""

    reference: str
    decision: str
    notification_date: date
    death_date: date | None = None
    stages: dict[str, date] = field(default_factory=dict)
    pauses: tuple[Pause, ...] = ()
    returns: tuple[ReturnRequest, ...] = ()


@dataclass(frozen=True)
class Deadline:
    reference: str
    deadline: str
    label: str
    due: date | None
    status: str
    rule_set: str
    rule_version: str
    basis: str
    rule: str
    met_on: date | None = None
    paused_days: int = 0
    note: str = ""
    agency: str | None = None
    kind: str | None = None

    def as_json(self) -> dict:
        data = {
            "reference": self.reference,
            "deadline": self.deadline,
            "label": self.label,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
            "rule_set": self.rule_set,
            "rule_version": self.rule_version,
            "basis": self.basis,
            "rule": self.rule,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "paused_days": self.paused_days,
            "note": self.note,
        }
        if self.agency:
            data |= {"agency": self.agency, "kind": self.kind}
        return data


def validate_timeline(timeline: Timeline) -> None:
    """Reject dates out of order, naming the fields. Collects every problem before raising."""
    problems: list[str] = []
    stages = dict(timeline.stages)
    if stages.get("notification", timeline.notification_date) != timeline.notification_date:
        problems.append("stages.notification must equal notification_date")
    stages["notification"] = timeline.notification_date
    if timeline.death_date and timeline.death_date > timeline.notification_date:
        problems.append(f"death_date ({timeline.death_date}) is after notification_date ({timeline.notification_date})")
    path = path_for(timeline.decision)
    off_path = [s for s in stages if s not in path]
    if off_path:
        problems.append(
            f"stages: {', '.join(off_path)} cannot be recorded for a review whose decision is {timeline.decision!r}"
        )
    previous: tuple[str, date] | None = None
    for stage in path:
        if stage not in stages:
            continue  # a historical record may skip a stage nobody recorded
        if previous and stages[stage] < previous[1]:
            problems.append(
                f"stages.{stage} ({stages[stage]}) is before stages.{previous[0]} ({previous[1]}), which comes first"
            )
        previous = (stage, stages[stage])
    for i, pause in enumerate(timeline.pauses):
        if pause.start is None:
            continue
        if pause.end and pause.end < pause.start:
            problems.append(f"pauses[{i}].end ({pause.end}) is before pauses[{i}].start ({pause.start})")
        if pause.start < timeline.notification_date:
            problems.append(
                f"pauses[{i}].start ({pause.start}) is before notification_date ({timeline.notification_date})"
            )
    for i, ret in enumerate(timeline.returns):
        where = f"agency_returns[{i}] ({ret.agency} {ret.kind})"
        if ret.due < ret.requested:
            problems.append(f"{where}.due ({ret.due}) is before requested ({ret.requested})")
        if ret.received and ret.received < ret.requested:
            problems.append(f"{where}.received ({ret.received}) is before requested ({ret.requested})")
        for chase in ret.chases:
            if chase < ret.requested:
                problems.append(f"{where}.chases: {chase} is before requested ({ret.requested})")
    if problems:
        raise ValidationError(problems)


def clock_pauses(pauses: tuple[Pause, ...] | list[Pause], today: date) -> tuple[Pause, ...]:
    """The pauses that stop the clock on ``today``: agreed with the Home Office ("extended by agreed
    pauses") and started. A proposed pause waits for the coordinator; a pause recorded ahead of time
    (a trial listed for next month) stops the clock only from its start; an agreed pause whose start was
    not recorded (brought in from a tracker) counts as started."""
    return tuple(p for p in pauses if p.agreed_with_home_office and (p.start is None or p.start <= today))


def merge_pauses(pauses: tuple[Pause, ...] | list[Pause]) -> list[tuple[date, date | None]]:
    """Union of the pause periods, as sorted, non-overlapping (start, end) pairs; end None = open. A
    start not recorded counts from the beginning (the clock is taken as stopped since it started)."""
    merged: list[list] = []
    for pause in sorted(pauses, key=lambda p: p.start or date.min):
        start = pause.start or date.min
        if merged and (merged[-1][1] is None or start <= merged[-1][1] + timedelta(days=1)):
            if merged[-1][1] is not None:
                merged[-1][1] = None if pause.end is None else max(merged[-1][1], pause.end)
        else:
            merged.append([start, pause.end])
    return [(start, end) for start, end in merged]


def extend_for_pauses(
    anchor: date, due: date, pauses: tuple[Pause, ...], met_on: date | None
) -> tuple[date | None, int]:
    """Move ``due`` by the days paused between ``anchor`` and the (moving) due date.

    Returns (due, paused_days); due is None while an open pause holds the clock. A pause
    that starts after the deadline was met, or after it had already passed, changes nothing.
    """
    paused_days = 0
    for start, end in merge_pauses(pauses):
        if end is not None and end < anchor:
            continue
        start = max(start, anchor)
        if start > due or (met_on is not None and start > met_on):
            break
        if end is None:
            return None, paused_days
        days = (end - start).days + 1
        paused_days += days
        due += timedelta(days=days)
    return due, paused_days


def _status(due: date | None, met_on: date | None, today: date, due_soon_days: int) -> str:
    if met_on is not None:
        return "met" if due is None or met_on <= due else "met_late"
    if due is None:
        return "paused"
    if today > due:
        return "overdue"
    if (due - today).days <= due_soon_days:
        return "due_soon"
    return "open"


def compute_deadlines(
    timeline: Timeline, rule_set: RuleSet, today: date, due_soon_days: int | None = None
) -> list[Deadline]:
    """Every deadline of one review, in rule-set order, then its agency returns."""
    validate_timeline(timeline)
    window = rule_set.due_soon_days if due_soon_days is None else due_soon_days
    stages = dict(timeline.stages, notification=timeline.notification_date)
    common = {"reference": timeline.reference, "rule_set": rule_set.name, "rule_version": rule_set.version}
    results: list[Deadline] = []
    stopping = clock_pauses(timeline.pauses, today)
    for rule in rule_set.deadlines:
        described = {"deadline": rule.key, "label": rule.label, "basis": rule.basis, "rule": rule.rule, **common}
        anchor = stages.get(rule.from_stage)
        met_on = stages.get(rule.met_by_stage)
        if timeline.decision not in rule.applies_to:
            note = (
                "Applies only if a review is held" if timeline.decision == "pending" else "Not required by the decision"
            )
            results.append(Deadline(due=None, status="not_applicable", note=note, **described))
            continue
        missing = missing_stages(timeline.decision, stages)
        unknown = rule.from_stage if rule.from_stage in missing else None
        if met_on is None and rule.met_by_stage in missing:
            unknown = rule.met_by_stage
        if unknown:  # a historical record without this date: neither met nor overdue
            note = f"{STAGES[unknown]}: not recorded"
            results.append(Deadline(due=None, status="not_recorded", note=note, **described))
            continue
        if anchor is None:
            results.append(
                Deadline(
                    due=None, status="not_applicable", note=f"Starts when '{rule.from_stage}' is recorded", **described
                )
            )
            continue
        due: date | None = rule.period.after(anchor, rule_set.calendar)
        paused_days = 0
        if rule.pausable:
            due, paused_days = extend_for_pauses(anchor, due, stopping, met_on)
        status = _status(due, met_on, today, window)
        note = f"Moved {paused_days} day(s) by pauses" if paused_days else ""
        if status == "paused":
            note = "Clock stopped by an open pause" + (f"; {paused_days} day(s) already added" if paused_days else "")
        results.append(Deadline(due=due, status=status, met_on=met_on, paused_days=paused_days, note=note, **described))
    returns_rule = rule_set.agency_returns
    for ret in timeline.returns:
        results.append(
            Deadline(
                deadline="agency_return",
                label=f"{ret.kind} from {ret.agency}",
                due=ret.due,
                status=_status(ret.due, ret.received, today, window),
                met_on=ret.received,
                basis=returns_rule.basis,
                rule=returns_rule.rule,
                note=f"Chased {len(ret.chases)} time(s), last {max(ret.chases)}" if ret.chases else "",
                agency=ret.agency,
                kind=ret.kind,
                **common,
            )
        )
    return results


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The deadline a review's header and the register name: the most urgent one still to meet."""
    pending = [d for d in by_urgency(deadlines) if d.status in ("overdue", "due_soon", "paused", "open")]
    return pending[0] if pending else None


def by_urgency(deadlines: list[Deadline]) -> list[Deadline]:
    """Most urgent first: overdue (oldest first), due soon (soonest first), then the rest."""
    return sorted(deadlines, key=lambda d: (URGENCY[d.status], d.due or date.max, d.reference))
