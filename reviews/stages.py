"""The stages of a review, in order, and the two paths through them."""

from __future__ import annotations

from datetime import date

STAGES: dict[str, str] = {
    "notification": "Death notified to the CSP",
    "decision": "Decision whether to hold a review",
    "home_office_notified": "Home Office notified of the decision",
    "chair_appointed": "Independent chair appointed",
    "terms_of_reference": "Terms of reference agreed / first panel",
    "agency_returns": "Agency returns received (IMRs, chronologies)",
    "family_engagement": "Family and friends engagement",
    "draft_report": "Draft overview report",
    "panel_signoff": "Panel sign-off",
    "csp_signoff": "CSP sign-off",
    "qa_submission": "Submitted to the Home Office QA panel",
    "qa_feedback": "Home Office QA feedback received",
    "approved": "Approved for publication",
    "published": "Published",
    "monitoring": "Action plan monitoring",
    "closed": "Closed",
}
STANDING_HELP = {  # what the figures of the open standings count, in the words their help gives
    "in_progress": "From notification until publication (or until closed)",
    "closing": "Published; action plan monitoring or closure still to record",
}
STAGE_KEYS: tuple[str, ...] = tuple(STAGES)
NOT_TO_HOLD_PATH: tuple[str, ...] = ("notification", "decision", "home_office_notified", "closed")
DECISIONS = {"pending": "Decision pending", "hold": "Review to be held", "not_to_hold": "Not to hold a review"}
# where a review stands as a coordinator counts it: still being run (a decision pending, a review under
# way, a decision not to hold one not yet closed), published with its closing steps (action plan
# monitoring, closure) outstanding, or closed
STANDINGS = {
    "in_progress": "Reviews in progress",
    "closing": "Published, not yet closed",
    "closed": "Closed",
}


def path_for(decision: str) -> tuple[str, ...]:
    """The stages a review with this decision goes through, in order."""
    if decision == "not_to_hold":
        return NOT_TO_HOLD_PATH
    if decision == "hold":
        return STAGE_KEYS
    return ("notification", "decision")


def current_stage(decision: str, completed: dict[str, object]) -> str:
    """The last stage on the review's path that has been completed."""
    done = [stage for stage in path_for(decision) if stage in completed]
    return done[-1] if done else "notification"


def standing(completed: dict[str, object], *, closed_date_missing: bool = False) -> str:
    """A key of ``STANDINGS``: closed once closed (its date recorded or not: ``closed_date_missing``); published
    (and not closed): its closing steps are outstanding; in progress otherwise."""
    if "closed" in completed or closed_date_missing:
        return "closed"
    return "closing" if "published" in completed else "in_progress"


def next_stage(decision: str, completed: dict[str, object]) -> str | None:
    """The first stage after the last one recorded; None once the path is complete.

    A pending review's path ends at the decision, which itself chooses the rest of the path. A
    historical record may skip stages nobody recorded: those are ``missing_stages``, filled in apart."""
    path = path_for(decision)
    recorded = [i for i, stage in enumerate(path) if stage in completed]
    after = recorded[-1] + 1 if recorded else 0
    return path[after] if after < len(path) else None


def missing_stages(decision: str, completed: dict[str, object], *, closed_date_missing: bool = False) -> list[str]:
    """Stages before the last one recorded that have no date: "not recorded", never overdue. A decision
    that was made (an imported register says "Not proceeding" without its date) is such a stage too, and so is
    the closure of a review closed without its date (``closed_date_missing``), with every stage before it."""
    path = path_for(decision)
    recorded = [i for i, stage in enumerate(path) if stage in completed]
    last = recorded[-1] if recorded else 0
    if decision != "pending":
        last = max(last, path.index("decision") + 1)
    if closed_date_missing and "closed" in path:
        last = len(path)
    return [stage for stage in path[:last] if stage not in completed and stage != "notification"]


def stage_spans(decision: str, completed: dict[str, date], today: date) -> list[tuple[str, date, date]]:
    """(stage, start, end) for each completed stage: from its completion until the next one's, or today."""
    done = [(stage, completed[stage]) for stage in path_for(decision) if stage in completed]
    spans = []
    for i, (stage, start) in enumerate(done):
        end = done[i + 1][1] if i + 1 < len(done) else today
        spans.append((stage, start, max(end, start)))
    return spans
