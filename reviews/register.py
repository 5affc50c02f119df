"""The review register: reading and writing reviews, with access enforced here, not in pages.

Coordinators see and change every review. A chair sees, and records progress on, only the
reviews assigned to them. Agency leads, partners and board members see no case records.
"""

from __future__ import annotations

import re
from datetime import date

import sqlite_utils

from core import workspace
from core.accounts import Viewer, require_coordinator
from core.agencies import check_agencies
from core.dates import parse_date
from core.db import Store, Transaction, utc_now
from core.errors import PermissionDenied, ValidationError
from reviews.access import CASE_RECORDS_ONLY, case_row, editable_row, may_see
from reviews.deadlines import Deadline, compute_deadlines, validate_timeline
from reviews.qa import check_stage_by_hand, publication_blockers
from reviews.records import Review, review_from_row, reviews_from_rows
from reviews.rules import DEFAULT_RULE_SET, current_version, load_rule_set, rule_set_names, rule_set_versions
from reviews.stages import DECISIONS, STAGES

REVIEW_TYPES = ("DHR", "DARDR", "joint DHR/SAR")
NAME_CATEGORIES = ("victim", "perpetrator", "child", "other")
REFERENCE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
EDITABLE_FIELDS = ("pseudonym", "csp", "review_type", "death_date", "chair", "rule_set", "notes", "decision_reasons")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- reading


def get_review(store: Store, viewer: Viewer, reference: str) -> Review:
    db = store.read()
    return review_from_row(db, case_row(db, viewer, reference))


def list_reviews(store: Store, viewer: Viewer) -> list[Review]:
    """The reviews this viewer may see, newest notification first."""
    if not viewer.sees_case_records:
        raise PermissionDenied(CASE_RECORDS_ONLY)
    db = store.read()
    rows = db["reviews"].rows_where(order_by="notification_date DESC, reference")
    return reviews_from_rows(db, [row for row in rows if may_see(viewer, row)])


def review_deadlines(
    review: Review, store: Store, today: date, settings: workspace.WorkspaceSettings | None = None
) -> list[Deadline]:
    """A review's deadlines under its rule set, with the workspace's due-soon window where it set one
    (``settings`` when the caller has read them already)."""
    settings = settings or workspace.load(store.read())
    rule_set = load_rule_set(store.read(), review.rule_set, review.rule_set_version)
    return compute_deadlines(review.timeline(), rule_set, today, settings.due_soon_days)


def default_rule_set(db: sqlite_utils.Database) -> str:
    """The rule set new reviews use: the workspace's choice, else the bundled Home Office one."""
    return _default_rule_set(workspace.load(db))


def _default_rule_set(settings: workspace.WorkspaceSettings) -> str:
    return settings.rule_set or DEFAULT_RULE_SET


def all_deadlines(store: Store, viewer: Viewer, today: date) -> list[Deadline]:
    """Every deadline of every review the viewer may see."""
    settings = workspace.load(store.read())
    return [d for review in list_reviews(store, viewer) for d in review_deadlines(review, store, today, settings)]


def confidential_register(store: Store, viewer: Viewer, reference: str) -> list[dict]:
    """Real names behind a review's pseudonyms: coordinator and that review's chair only."""
    db = store.read()
    row = case_row(db, viewer, reference)
    return list(db["confidential_names"].rows_where("review_id = ?", [row["id"]], order_by="category, name"))


def stage_counts(store: Store) -> dict[str, int]:
    """How many open reviews stand at each stage: aggregate figures, no case detail, for any role."""
    db = store.read()
    counts = {stage: 0 for stage in STAGES}
    for review in reviews_from_rows(db, list(db["reviews"].rows)):
        counts[review.stage_now] += 1
    return counts


# ---------------------------------------------------------------- writing


def _check_fields(db: sqlite_utils.Database, values: dict) -> list[str]:
    problems = []
    if "pseudonym" in values and not str(values["pseudonym"]).strip():
        problems.append("pseudonym: give the pseudonym used in the report (never the real name)")
    if "csp" in values and not str(values["csp"]).strip():
        problems.append(
            "csp: name the Community Safety Partnership (or set the partnership's name once: "
            "Administration → Workspace, or python -m core settings --partnership NAME)"
        )
    if "review_type" in values and values["review_type"] not in REVIEW_TYPES:
        problems.append(f"review_type: {values['review_type']!r} is not one of {', '.join(REVIEW_TYPES)}")
    if "rule_set" in values and values["rule_set"] not in rule_set_names(db):
        problems.append(f"rule_set: {values['rule_set']!r} is not installed ({', '.join(rule_set_names(db))})")
    if values.get("chair"):
        chairs = list(db["users"].rows_where("username = ? AND role = 'chair'", [values["chair"]]))
        if not chairs:
            problems.append(f"chair: {values['chair']!r} is not an account with the chair role")
    if values.get("decision", "pending") not in DECISIONS:
        problems.append(f"decision: {values['decision']!r} is not one of {', '.join(DECISIONS)}")
    return problems


def check_review_dates(tx: Transaction, review_id: int) -> None:
    """Re-read the review inside the transaction and check its dates still hang together."""
    row = tx.db["reviews"].get(review_id)
    validate_timeline(review_from_row(tx.db, row).timeline())


def create_review(
    store: Store,
    viewer: Viewer,
    *,
    reference: str,
    pseudonym: str,
    notification_date: date | str,
    csp: str = "",
    review_type: str = "DHR",
    death_date: date | str | None = None,
    chair: str | None = None,
    rule_set: str | None = None,
    notes: str = "",
    agencies: list[str] | None = None,
    today: date | None = None,
) -> str:
    """Register a notified death. The notification stage is recorded with the notification date.
    Left out, the CSP is the workspace's partnership and the rule set the workspace's default."""
    if not viewer.is_coordinator:
        raise PermissionDenied("Only the coordinator can register a review")
    today = today or date.today()
    settings = workspace.load(store.read())
    csp = csp.strip() or settings.partnership
    rule_set = rule_set or _default_rule_set(settings)
    reference = reference.strip().upper()
    problems: list[str] = []
    if not REFERENCE_PATTERN.match(reference):
        problems.append(f"reference: {reference!r} should look like DHR-2025-03 (letters, digits and hyphens)")
    try:
        notified = parse_date(notification_date, "notification_date")
        died = parse_date(death_date, "death_date", required=False)
    except ValidationError as error:
        raise ValidationError(problems + error.problems) from None
    if notified and notified > today:
        problems.append(f"notification_date: {notified} is in the future")
    values = {"pseudonym": pseudonym, "csp": csp, "review_type": review_type, "rule_set": rule_set, "chair": chair}
    with store.write(viewer.username) as tx:
        problems += _check_fields(tx.db, values)
        if tx.db["reviews"].count_where("reference = ?", [reference]):
            problems.append(f"reference: {reference} is already in the register")
        if problems:
            raise ValidationError(problems)
        check_agencies(tx.db, agencies or [], "agencies")
        review_id = tx.insert(
            "reviews",
            {
                "reference": reference,
                "pseudonym": pseudonym.strip(),
                "csp": csp.strip(),
                "review_type": review_type,
                "death_date": iso(died),
                "notification_date": iso(notified),
                "chair": chair or None,
                "rule_set": rule_set,
                "rule_set_version": current_version(tx.db, rule_set),
                "notes": notes,
            },
        )
        insert_stage_event(tx, review_id, "notification", notified)
        for agency in agencies or []:
            tx.insert("review_agencies", {"review_id": review_id, "agency": agency})
        check_review_dates(tx, review_id)
    return reference


def update_review(store: Store, viewer: Viewer, reference: str, changes: dict) -> None:
    """Change register fields (coordinator only). Unknown fields are refused by name."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(f"{', '.join(unknown)}: cannot be changed here")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)
        changes = dict(changes)
        if "death_date" in changes:
            changes["death_date"] = iso(parse_date(changes["death_date"], "death_date", required=False))
        problems = _check_fields(tx.db, changes)
        if problems:
            raise ValidationError(problems)
        if changes.get("rule_set", row["rule_set"]) != row["rule_set"]:
            changes["rule_set_version"] = current_version(tx.db, changes["rule_set"])
        tx.update("reviews", row["id"], changes)
        check_review_dates(tx, row["id"])


def move_to_rule_set_version(store: Store, viewer: Viewer, reference: str, *, version: str) -> None:
    """Put a running review under another stored version of its rule set: an explicit, audited act.
    Installing a new version never does this by itself."""
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)
        versions = rule_set_versions(tx.db, row["rule_set"])
        if version not in versions:
            raise ValidationError(
                f"Rule-set version: {row['rule_set']} has versions {', '.join(versions)}, not {version!r}"
            )
        tx.update("reviews", row["id"], {"rule_set_version": version})
        check_review_dates(tx, row["id"])


def set_agencies(store: Store, viewer: Viewer, reference: str, agencies: list[str]) -> None:
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)
        check_agencies(tx.db, agencies, "agencies")
        current = {a["agency"] for a in tx.db["review_agencies"].rows_where("review_id = ?", [row["id"]])}
        for agency in current - set(agencies):
            tx.delete("review_agencies", (row["id"], agency))
        for agency in sorted(set(agencies) - current):
            tx.insert("review_agencies", {"review_id": row["id"], "agency": agency})


def add_panel_member(store: Store, viewer: Viewer, reference: str, *, name: str, agency: str, role: str = "") -> None:
    if not name.strip():
        raise ValidationError("name: give the panel member's name")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        check_agencies(tx.db, [agency], "agency")
        tx.insert(
            "panel_members", {"review_id": row["id"], "name": name.strip(), "agency": agency, "role": role.strip()}
        )


def add_confidential_name(
    store: Store, viewer: Viewer, reference: str, *, category: str, name: str, notes: str = ""
) -> None:
    if category not in NAME_CATEGORIES:
        raise ValidationError(f"category: {category!r} is not one of {', '.join(NAME_CATEGORIES)}")
    if not name.strip():
        raise ValidationError("name: give the real name to record")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference)
        tx.insert(
            "confidential_names", {"review_id": row["id"], "category": category, "name": name.strip(), "notes": notes}
        )


def insert_stage_event(tx: Transaction, review_id: int, stage: str, completed_on: date) -> None:
    tx.insert(
        "stage_events",
        {
            "review_id": review_id,
            "stage": stage,
            "completed_on": completed_on.isoformat(),
            "recorded_by": tx.actor,
            "recorded_at": utc_now(),
        },
    )


# stages the CSP itself records: its decision, its dealings with the Home Office, publication, closure
COORDINATOR_STAGES = frozenset(
    {
        "decision",
        "home_office_notified",
        "csp_signoff",
        "qa_submission",
        "qa_feedback",
        "approved",
        "published",
        "closed",
    }
)


def complete_stage(
    store: Store,
    viewer: Viewer,
    reference: str,
    *,
    stage: str,
    completed_on: date | str,
    decision: str | None = None,
    decision_reasons: str = "",
    chair: str | None = None,
    today: date | None = None,
) -> None:
    """Record that the review's next stage was completed on ``completed_on``.

    Completing the decision stage needs the decision (hold or not_to_hold), which sets the
    rest of the review's path; completing the chair's appointment names the ``chair`` appointed (an
    account with the chair role; the coordinator's choice), unless the review already has one. The
    stages in ``COORDINATOR_STAGES`` are for the coordinator alone.
    """
    today = today or date.today()
    completed = parse_date(completed_on, "completed_on")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=stage in COORDINATOR_STAGES)
        review = review_from_row(tx.db, row)
        expected = review.next_stage
        if stage != expected:
            where = f"the next stage is {expected!r} ({STAGES[expected]})" if expected else "every stage is complete"
            raise ValidationError(f"stage: {stage!r} cannot be completed now; {where}")
        if completed > today:
            raise ValidationError(f"completed_on: {completed} is in the future")
        previous = review.current_stage
        previous_date = review.stage_dates.get(previous, review.notification_date)
        if completed < previous_date:
            raise ValidationError(
                f"completed_on: {completed} is before {previous} was completed ({previous_date}); "
                f"a stage cannot finish before the one it follows"
            )
        if stage in ("qa_submission", "qa_feedback", "approved"):
            check_stage_by_hand(tx, row["id"], stage, completed)
        if stage == "published":
            blockers = publication_blockers(tx.db, row["id"])
            if blockers:
                raise ValidationError([f"published: not yet: {b}" for b in blockers])
        if stage == "chair_appointed":
            _appoint_chair(tx, viewer, row, chair)
        if stage == "decision":
            if decision not in ("hold", "not_to_hold"):
                raise ValidationError("decision: choose 'hold' or 'not_to_hold'")
            if decision == "not_to_hold" and not decision_reasons.strip():
                raise ValidationError("decision_reasons: record why the CSP decided not to hold a review")
            tx.update("reviews", row["id"], {"decision": decision, "decision_reasons": decision_reasons.strip()})
        insert_stage_event(tx, row["id"], stage, completed)
        if row["chair"] and review_from_row(tx.db, row).next_stage == "chair_appointed":
            # a chair named before the review reached this stage was in place by the date it did
            insert_stage_event(tx, row["id"], "chair_appointed", completed)
        check_review_dates(tx, row["id"])


def _appoint_chair(tx: Transaction, viewer: Viewer, row: dict, chair: str | None) -> None:
    """Name the chair whose appointment is being recorded: the one chosen, else the one already named."""
    chosen = chair or row["chair"]
    if not chosen:
        raise ValidationError("chair: choose the independent chair who was appointed")
    if chosen == row["chair"]:
        return
    require_coordinator(viewer, "Only the coordinator appoints the independent chair")
    problems = _check_fields(tx.db, {"chair": chosen})
    if problems:
        raise ValidationError(problems)
    tx.update("reviews", row["id"], {"chair": chosen})


def record_missing_stage(store: Store, viewer: Viewer, reference: str, *, stage: str, completed_on: date | str) -> None:
    """Fill in a stage of a historical record that was not recorded. Its date must fall between the
    recorded stages around it; the CSP's own stages are for the coordinator."""
    completed = parse_date(completed_on, "completed_on")
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=stage in COORDINATOR_STAGES)
        review = review_from_row(tx.db, row)
        missing = review.missing_stages
        if stage not in missing:
            raise ValidationError(
                f"stage: {stage!r} is not a stage left unrecorded"
                + (f" (unrecorded: {', '.join(missing)})" if missing else " (none is)")
            )
        insert_stage_event(tx, row["id"], stage, completed)
        check_review_dates(tx, row["id"])


def undo_last_stage(store: Store, viewer: Viewer, reference: str) -> str:
    """Remove the most recent stage record (coordinator only), e.g. one recorded by mistake."""
    with store.write(viewer.username) as tx:
        row = editable_row(tx.db, viewer, reference, coordinator_only=True)
        review = review_from_row(tx.db, row)
        stage = review.current_stage
        if stage == "notification":
            raise ValidationError("stage: the notification cannot be undone; correct the notification date instead")
        tx.delete("stage_events", (row["id"], stage))
        if stage == "decision":
            tx.update("reviews", row["id"], {"decision": "pending"})
        return stage
