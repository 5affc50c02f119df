"""The dashboard's domain: what in the reviews a coordinator or chair can see needs attention (late and
near deadlines, QA areas for development past the letter's date, pauses to confirm), and the timeline of
open reviews with their pauses drawn. Overdue actions join them in ``recommendations.attention``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from core.dates import days_phrase, uk_date
from core.db import Store
from reviews.deadlines import STATUS_LABELS, Deadline, by_urgency, clock_pauses
from reviews.pauses import PAUSE_REASONS
from reviews.qa import AREA_THEMES
from reviews.records import PauseRecord, Review, standing_counts
from reviews.stages import STAGES, stage_spans

KINDS = {
    "deadline": "Deadline",
    "qa_area": "QA area for development",
    "action": "Action",
    "pause": "Pause to confirm",
}


@dataclass(frozen=True)
class Attention:
    reference: str
    kind: str  # a key of KINDS
    what: str
    due: date
    status: str  # "overdue" or "due_soon"
    detail: str


@dataclass(frozen=True)
class Headline:
    in_progress: int  # reviews still being run: a published one awaiting its closing steps is not
    closing: int  # published, action plan monitoring or closure outstanding
    overdue: int
    due_soon: int
    paused: int


def headline(reviews: list[Review], deadlines: list[Deadline], today: date) -> Headline:
    """The dashboard's figures: reviews in progress and those published with their closing steps
    outstanding (``stages.STANDINGS``), deadlines overdue and due soon; a review counts as paused while
    a pause that stops its clock (agreed and started) is open."""
    standings = standing_counts(reviews)
    return Headline(
        in_progress=standings["in_progress"],
        closing=standings["closing"],
        overdue=sum(d.status == "overdue" for d in deadlines),
        due_soon=sum(d.status == "due_soon" for d in deadlines),
        paused=sum(r.is_open and any(p.end is None for p in clock_pauses(r.timeline().pauses, today)) for r in reviews),
    )


def stage_rows(counts: Mapping[str, int]) -> list[dict]:
    """Reviews per stage as the "Reviews by stage" charts read them: in the order of the stages, stages
    with none left out."""
    return [{"Stage": label, "Reviews": counts[key]} for key, label in STAGES.items() if counts.get(key)]


def by_stage(reviews: list[Review]) -> list[dict]:
    """``stage_rows`` of the reviews a coordinator or chair can see."""
    return stage_rows(Counter(r.stage_now for r in reviews))


def review_attention(reviews: list[Review], deadlines: list[Deadline], store: Store, today: date) -> list[Attention]:
    """Every deadline overdue or due soon, every open QA area for development whose letter's date has
    passed, of the reviews the viewer can see (``reviews``), and every pause imported without its start
    date (to confirm); in ``by_priority`` order."""
    items = [
        Attention(d.reference, "deadline", d.label, d.due, d.status, f"{d.basis} deadline")
        for d in by_urgency(deadlines)
        if d.status in ("overdue", "due_soon") and d.due
    ]
    visible = {r.reference for r in reviews}
    late_areas = store.read().query(
        """
        SELECT reviews.reference, s.round, a.number, a.text, a.theme, s.answer_by
        FROM qa_areas AS a
        JOIN qa_submissions AS s ON s.id = a.submission_id
        JOIN reviews ON reviews.id = s.review_id
        WHERE a.status = 'open' AND s.answer_by < :today
          AND s.round = (SELECT max(round) FROM qa_submissions WHERE review_id = s.review_id)
        ORDER BY s.answer_by, reviews.reference, a.number
        """,
        {"today": today.isoformat()},
    )
    items += [
        Attention(
            row["reference"],
            "qa_area",
            f"Round {row['round']}, area {row['number']}: {row['text']}",
            date.fromisoformat(row["answer_by"]),
            "overdue",
            AREA_THEMES[row["theme"]],
        )
        for row in late_areas
        if row["reference"] in visible
    ]
    items += [
        Attention(
            review.reference,
            "pause",
            f"{PAUSE_REASONS[pause.reason]} pause: its start date was not recorded; confirm it",
            today,
            "due_soon",
            "imported without a start date",
        )
        for review in reviews
        for pause in review.pauses
        if pause.start is None
    ]
    return by_priority(items)


def by_priority(items: list[Attention]) -> list[Attention]:
    """Overdue first, then oldest first."""
    return sorted(items, key=lambda i: (i.status != "overdue", i.due, i.reference))


def attention_rows(items: list[Attention], today: date) -> list[dict]:
    """The "Needs attention" table as the dashboard shows it."""
    return [
        {
            "Review": item.reference,
            "What": KINDS[item.kind],
            "Item": item.what,
            "When": f"{uk_date(item.due)} · {days_phrase(item.due, today)}",
            "Detail": item.detail,
        }
        for item in items
    ]


def _pause_suffix(pause: PauseRecord) -> str:
    if not pause.agreed_with_home_office:
        return " (proposed: the clock runs on)"
    return "" if pause.end else " (still paused)"


def timeline(reviews: list[Review], deadlines: list[Deadline], today: date) -> dict[str, list[dict]]:
    """The open reviews' stages as spans, their pauses as spans (an open pause runs to today) and their
    deadlines (not agency returns) as marks, for the dashboard's timeline."""
    open_reviews = [r for r in reviews if r.is_open]
    references = {r.reference for r in open_reviews}
    return {
        "stages": [
            {"Review": r.reference, "Stage": STAGES[stage], "From": start, "To": end}
            for r in open_reviews
            for stage, start, end in stage_spans(r.decision, r.stage_dates, today)
        ],
        "pauses": [
            {
                "Review": r.reference,
                "Pause": PAUSE_REASONS[p.reason] + _pause_suffix(p),
                "From": p.start,
                "To": p.end or today,
            }
            for r in open_reviews
            for p in r.pauses
            if p.start and p.start <= today
        ],
        "deadlines": [
            {"Review": d.reference, "Deadline": d.label, "Due": d.due, "Status": STATUS_LABELS[d.status]}
            for d in deadlines
            if d.due and d.deadline != "agency_return" and d.reference in references
        ],
    }
