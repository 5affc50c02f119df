"""Reviews as the app reads them: the register's rows with their stages, pauses, agency returns,
agencies and panel, loaded with one query per table however many reviews are read."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from core.dates import parse_date
from reviews.deadlines import Pause, ReturnRequest, Timeline
from reviews.stages import STAGES, current_stage, missing_stages, next_stage, path_for, standing


@dataclass
class PauseRecord:
    id: int
    reason: str
    start: date | None  # not recorded until the coordinator confirms it (an imported "on hold")
    end: date | None
    agreed_with_home_office: bool
    details: str = ""


@dataclass
class AgencyReturn:
    id: int
    agency: str
    kind: str
    requested: date
    due: date
    received: date | None
    chases: list[date] = field(default_factory=list)


@dataclass
class StageEvent:
    stage: str
    completed_on: date
    recorded_by: str
    recorded_at: str


@dataclass
class Review:
    id: int
    reference: str
    pseudonym: str
    csp: str
    review_type: str
    death_date: date | None
    notification_date: date
    decision: str
    decision_reasons: str
    chair: str | None
    rule_set: str
    notes: str
    rule_set_version: str | None = None
    published_url: str | None = None
    closed_date_missing: bool = False  # closed without the date it closed on (a tracker's "Closed", no date)
    agencies: list[str] = field(default_factory=list)
    panel: list[dict] = field(default_factory=list)
    stages: dict[str, StageEvent] = field(default_factory=dict)
    pauses: list[PauseRecord] = field(default_factory=list)
    returns: list[AgencyReturn] = field(default_factory=list)
    qa_round: int = 0  # the latest round sent to the Home Office QA panel
    qa_letter_awaited: bool = False  # whether that round's letter is still to come

    @property
    def stage_dates(self) -> dict[str, date]:
        return {key: event.completed_on for key, event in self.stages.items()}

    @property
    def current_stage(self) -> str:
        return current_stage(self.decision, self.stage_dates)

    @property
    def stage_now(self) -> str:
        """Where the review stands: its current stage, except that a resubmission to the Home Office QA
        panel (round 2 or later) puts it back at "submitted" until that round's letter comes."""
        if self.current_stage == "qa_feedback" and self.qa_round > 1 and self.qa_letter_awaited:
            return "qa_submission"
        return "closed" if self.closed_undated else self.current_stage

    @property
    def closed_undated(self) -> bool:
        """Closed, and the date it closed on not recorded yet (a tracker's "Closed" with no date)."""
        return self.closed_date_missing and "closed" not in self.stages

    @property
    def stage_label(self) -> str:
        """``stage_now`` in words, naming the QA round after the first."""
        label = STAGES[self.stage_now]
        if self.stage_now in ("qa_submission", "qa_feedback") and self.qa_round > 1:
            return f"{label} (round {self.qa_round})"
        return f"{label} (date not recorded)" if self.closed_undated else label

    @property
    def next_stage(self) -> str | None:
        return None if self.closed_undated else next_stage(self.decision, self.stage_dates)

    @property
    def past_chair_appointment(self) -> bool:
        """Whether the chair's appointment is behind the review (its stage or a later one recorded), whether or
        not a chair account is named: a register imported from a tracker names none for a chair without one."""
        path = path_for(self.decision)
        return "chair_appointed" in path and path.index(self.current_stage) >= path.index("chair_appointed")

    @property
    def missing_stages(self) -> list[str]:
        """Stages of a historical record nobody recorded (shown as "not recorded"), its closure among them where it
        was closed without its date."""
        return missing_stages(self.decision, self.stage_dates, closed_date_missing=self.closed_date_missing)

    @property
    def is_open(self) -> bool:
        return self.standing != "closed"

    @property
    def standing(self) -> str:
        """In progress, published with its closing steps outstanding, or closed (``stages.STANDINGS``): closed is
        closed, with its date or without (the date then among ``missing_stages``, for the coordinator to enter)."""
        return standing(self.stages, closed_date_missing=self.closed_date_missing)

    def standing_on(self, day: date) -> str | None:
        """``standing`` as at the end of ``day``, from the stages completed by then; None before the
        death was notified (the review did not exist yet). A review closed without its date counts as closed from
        its last recorded stage on (it closed after it; when, the coordinator is asked to enter)."""
        if self.notification_date > day:
            return None
        done = {stage: on for stage, on in self.stage_dates.items() if on <= day}
        undated = self.closed_undated and max(self.stage_dates.values(), default=self.notification_date) <= day
        return standing(done, closed_date_missing=undated)

    def timeline(self) -> Timeline:
        return Timeline(
            reference=self.reference,
            decision=self.decision,
            notification_date=self.notification_date,
            death_date=self.death_date,
            stages=self.stage_dates,
            pauses=tuple(Pause(p.reason, p.start, p.end, p.agreed_with_home_office) for p in self.pauses),
            returns=tuple(
                ReturnRequest(r.agency, r.kind, r.requested, r.due, r.received, tuple(r.chases)) for r in self.returns
            ),
        )


def standing_counts(reviews: Iterable[Review], as_at: date | None = None) -> Counter[str]:
    """How many of ``reviews`` stand in each of ``stages.STANDINGS`` today, or as at ``as_at``: the one
    count behind the dashboard, the partners' overview and the board report."""
    standings = (r.standing if as_at is None else r.standing_on(as_at) for r in reviews)
    return Counter(s for s in standings if s is not None)


def _grouped(db: sqlite_utils.Database, table: str, key: str, ids: list[int], order_by: str) -> dict[int, list[dict]]:
    """The rows of ``table`` whose ``key`` is one of ``ids``, grouped by it, each group in ``order_by``."""
    groups: dict[int, list[dict]] = defaultdict(list)
    sql = f"SELECT * FROM {table} WHERE {key} IN (SELECT value FROM json_each(?)) ORDER BY {order_by}"
    for row in db.query(sql, [json.dumps(ids)]):
        groups[row[key]].append(row)
    return groups


def reviews_from_rows(db: sqlite_utils.Database, rows: list[dict]) -> list[Review]:
    """The reviews of these register rows, in their order."""
    ids = [row["id"] for row in rows]
    returns = _grouped(db, "agency_returns", "review_id", ids, "requested, id")
    chases = _grouped(db, "return_chases", "return_id", [r["id"] for rs in returns.values() for r in rs], "chased_on")
    agencies = _grouped(db, "review_agencies", "review_id", ids, "agency")
    panel = _grouped(db, "panel_members", "review_id", ids, "id")
    stages = _grouped(db, "stage_events", "review_id", ids, "completed_on")
    pauses = _grouped(db, "pauses", "review_id", ids, "start, id")
    qa_rounds = _grouped(db, "qa_submissions", "review_id", ids, "round")
    order = list(STAGES)
    return [
        Review(
            id=row["id"],
            reference=row["reference"],
            pseudonym=row["pseudonym"],
            csp=row["csp"],
            review_type=row["review_type"],
            death_date=parse_date(row["death_date"], "death_date", required=False),
            notification_date=date.fromisoformat(row["notification_date"]),
            decision=row["decision"],
            decision_reasons=row["decision_reasons"],
            chair=row["chair"],
            rule_set=row["rule_set"],
            rule_set_version=row.get("rule_set_version"),
            notes=row["notes"],
            published_url=row.get("published_url"),
            closed_date_missing=bool(row.get("closed_date_missing")),
            agencies=[a["agency"] for a in agencies[row["id"]]],
            panel=[{"name": p["name"], "agency": p["agency"], "role": p["role"]} for p in panel[row["id"]]],
            stages={
                e["stage"]: StageEvent(
                    e["stage"], date.fromisoformat(e["completed_on"]), e["recorded_by"], e["recorded_at"]
                )
                for e in sorted(stages[row["id"]], key=lambda e: order.index(e["stage"]))
            },
            pauses=[
                PauseRecord(
                    p["id"],
                    p["reason"],
                    parse_date(p["start"], "start", required=False),
                    parse_date(p["end"], "end", required=False),
                    bool(p["agreed_with_home_office"]),
                    p["details"],
                )
                for p in pauses[row["id"]]
            ],
            returns=[
                AgencyReturn(
                    r["id"],
                    r["agency"],
                    r["kind"],
                    date.fromisoformat(r["requested"]),
                    date.fromisoformat(r["due"]),
                    parse_date(r["received"], "received", required=False),
                    [date.fromisoformat(c["chased_on"]) for c in chases[r["id"]]],
                )
                for r in returns[row["id"]]
            ],
            qa_round=len(qa_rounds[row["id"]]),
            qa_letter_awaited=bool(qa_rounds[row["id"]]) and qa_rounds[row["id"]][-1]["outcome"] is None,
        )
        for row in rows
    ]


def review_from_row(db: sqlite_utils.Database, row: dict) -> Review:
    return reviews_from_rows(db, [row])[0]
