"""What a day's run sends, and the outbox that sends it once, and only while it is news.

``run`` composes the day's messages (a digest to the coordinator and each chair of their deadlines overdue
or due soon; a chaser to an agency's named contact when its return is due within CHASE_WORKING_DAYS
working days, and another once it is overdue; a reminder to the agency leads of an action's owner agency,
or else its contact, when the action's target date is within ACTION_DAYS, and weekly once it is overdue),
keeps each in the outbox under a key that says what it is for, and sends what the relay has not yet taken.
A message whose key was sent is never composed again, so a second run on the same day sends nothing new.

The outbox never sends stale news. A message the relay did not take is composed again by the next run in
that day's words, or withdrawn when it is no longer due (the return came in, a newer digest replaces it);
one not sent within the expiry (DHR_MAIL_EXPIRE_DAYS) expires; with email off nothing is kept, so turning
email on sends that day's messages only. Each message is taken, and checked once more, in one write just
before it is sent, so two runs at once never send it twice nor record two chases. A chaser, once sent, is
recorded on its return as a chase, as a coordinator's own chases are. A message that would name anyone
in a confidential register, through whatever a placeholder carries, is never kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core import workspace
from core.accounts import Viewer, require_coordinator
from core.agencies import contacts
from core.dates import days_phrase, uk_date
from core.db import Store, Transaction, utc_now
from core.mail import Mailer, MailError, SmtpSettings
from reviews.calendar_math import is_working_day
from reviews.deadlines import by_urgency
from reviews.mail import templates
from reviews.records import reviews_from_rows
from reviews.register import review_deadlines
from reviews.rules import load_rule_set

CHASE_WORKING_DAYS = 5
ACTION_DAYS = 14
OVERDUE_ACTION_EVERY_DAYS = 7
KINDS = {
    "digest": "Digest",
    "chase_due": "Chaser",
    "chase_overdue": "Chaser",
    "action_due": "Action reminder",
    "action_overdue": "Action reminder",
}
STATES = {"sent": "Sent", "taken": "Being sent", "withdrawn": "Withdrawn", "expired": "Expired"}


@dataclass(frozen=True)
class Message:
    key: str  # what the message is for: composed once, ever
    kind: str
    recipient: str
    subject: str
    body: str
    return_id: int | None = None
    action_id: int | None = None


@dataclass
class Report:
    composed: list[Message] = field(default_factory=list)  # new today
    sent: list[str] = field(default_factory=list)  # "recipient: subject"
    failed: list[str] = field(default_factory=list)  # "recipient: subject: why"
    held: int = 0  # pending after the run
    unreachable: list[str] = field(default_factory=list)  # who got nothing, and why
    notes: list[str] = field(default_factory=list)  # templates that could not be used, and what was instead
    withdrawn: list[str] = field(default_factory=list)  # "recipient: subject: why" no longer sent
    off: str = ""  # why nothing was sent (email not configured), if so


def _working_days(start: date, end: date, calendar: tuple[str, str | None]) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return sum(is_working_day(start + timedelta(days=i), *calendar) for i in range(1, (end - start).days + 1))


def compose(store: Store, today: date, report: Report) -> list[Message]:
    """Every message due today (whether or not already in the outbox); who could not be reached, and the
    templates that could not be used, go in ``report``."""
    db = store.read()
    settings = workspace.load(db)
    texts, report.notes = templates.for_sending(db)
    partnership = settings.partnership_name
    reviews = [r for r in reviews_from_rows(db, list(db["reviews"].rows)) if r.is_open]
    deadlines = {r.reference: review_deadlines(r, store, today, settings) for r in reviews}
    messages: list[Message] = []
    confidential = templates.confidential_patterns(db)

    def add(key: str, kind: str, recipient: str, values: dict, about: str, **record: int) -> None:
        subject, body = templates.render(texts[kind], values | {"partnership": partnership})
        if templates.names_anyone(confidential, f"{subject}\n{body}"):
            report.unreachable.append(
                f"The {KINDS[kind].lower()} to {recipient} about {about} would name someone in a confidential "
                "register (through the template or the text it quotes), so it was not composed: reword it"
            )
            return
        messages.append(Message(key, kind, recipient, subject, body, **record))

    for person in db["users"].rows_where("active = 1 AND role IN ('coordinator', 'chair')", order_by="username"):
        mine = [r for r in reviews if person["role"] == "coordinator" or r.chair == person["username"]]
        urgent = by_urgency(
            [d for r in mine for d in deadlines[r.reference] if d.status in ("overdue", "due_soon") and d.due]
        )
        if not urgent:
            continue
        if not person["email"]:
            who = f"{person['display_name']} ({person['username']})"
            report.unreachable.append(f"{who} has no email address for the digest")
            continue
        pseudonyms = {r.reference: r.pseudonym for r in mine}
        items = "\n".join(
            f"- {d.reference} ({pseudonyms[d.reference]}): {d.label}, due {uk_date(d.due)}, {days_phrase(d.due, today)}"
            for d in urgent
        )
        values = {
            "name": person["display_name"],
            "date": uk_date(today),
            "overdue": sum(d.status == "overdue" for d in urgent),
            "due_soon": sum(d.status == "due_soon" for d in urgent),
            "items": items,
        }
        add(f"digest:{person['username']}:{today.isoformat()}", "digest", person["email"], values, "deadlines")

    named = contacts(db)
    for review in reviews:
        calendar = load_rule_set(db, review.rule_set, review.rule_set_version).calendar
        for ret in review.returns:
            if ret.received:
                continue
            overdue = today > ret.due
            left = 0 if overdue else _working_days(today, ret.due, calendar)
            if not overdue and left > CHASE_WORKING_DAYS:
                continue
            contact = named.get(ret.agency)
            if contact is None:
                report.unreachable.append(
                    f"{ret.agency} has no contact email, so its {ret.kind} for {review.reference} "
                    "cannot be chased (Administration → Agencies)"
                )
                continue
            values = {
                "contact": contact["name"],
                "agency": ret.agency,
                "kind": ret.kind,
                "reference": review.reference,
                "pseudonym": review.pseudonym,
                "due": uk_date(ret.due),
            }
            about = f"{review.reference}'s {ret.kind} from {ret.agency}"
            if overdue:
                key = f"chase:{ret.id}:overdue:{ret.due.isoformat()}"
                add(key, "chase_overdue", contact["email"], values, about, return_id=ret.id)
            else:
                key = f"chase:{ret.id}:before:{ret.due.isoformat()}"
                values |= {"working_days": left}
                add(key, "chase_due", contact["email"], values, about, return_id=ret.id)

    leads: dict[str, list[dict]] = {}
    for person in db["users"].rows_where("active = 1 AND role = 'agency_lead' AND email IS NOT NULL"):
        leads.setdefault(person["agency"], []).append(person)
    open_references = {r.reference for r in reviews}
    for action in _open_actions(db, open_references):
        days_left = (action.target_date - today).days
        if days_left > ACTION_DAYS:
            continue
        if days_left >= 0:
            kind, when = "action_due", action.target_date.isoformat()
        else:  # overdue: once a week, counted from the day after its target
            week = (-days_left - 1) // OVERDUE_ACTION_EVERY_DAYS
            kind, when = "action_overdue", f"{action.target_date.isoformat()}:week{week}"
        people = [{"name": p["display_name"], "email": p["email"]} for p in leads.get(action.owner_agency, [])]
        if not people and action.owner_agency in named:
            people = [named[action.owner_agency]]
        if not people:
            report.unreachable.append(
                f"{action.owner_agency} has no agency lead with an email address and no contact, "
                f"so its action on {action.review} cannot be sent a reminder"
            )
            continue
        for person in people:
            values = {
                "name": person["name"],
                "agency": action.owner_agency,
                "reference": action.review,
                "recommendation": action.recommendation,
                "action": action.description,
                "target": uk_date(action.target_date),
                "when": days_phrase(action.target_date, today),
            }
            key = f"action:{action.id}:{when}:{person['email']}"
            about = f"an action on {action.review}"
            add(key, kind, person["email"], values, about, action_id=action.id)
    return messages


@dataclass(frozen=True)
class _OpenAction:
    """What an action reminder says of an action (the action plan itself is recommendations' business)."""

    id: int
    review: str
    recommendation: str
    description: str
    owner_agency: str
    target_date: date


def _open_actions(db, references: set[str]) -> list[_OpenAction]:
    """The actions not yet complete, with a target date, of the open reviews named by ``references``."""
    rows = db.query(
        """SELECT actions.id, reviews.reference, recommendations.number, actions.description,
                  actions.owner_agency, actions.target_date
           FROM actions JOIN recommendations ON recommendations.id = actions.recommendation_id
           JOIN reviews ON reviews.id = recommendations.review_id
           WHERE actions.status != 'complete' AND actions.target_date IS NOT NULL ORDER BY actions.id"""
    )
    return [
        _OpenAction(
            r["id"],
            r["reference"],
            r["number"],
            r["description"],
            r["owner_agency"],
            date.fromisoformat(r["target_date"]),
        )
        for r in rows
        if r["reference"] in references
    ]


def _queue(tx: Transaction, messages: list[Message], today: date, expire_days: int, report: Report) -> None:
    """Keep today's news in the outbox: a new message added; one still waiting composed again in today's
    words, or expired once it has waited ``expire_days``; one waiting that today's run no longer composes
    withdrawn. Messages already sent (or taken, withdrawn, expired) are not composed again."""
    waiting = {row["key"]: row for row in tx.db["outbox"].rows_where("status = 'pending'")}
    closed = {row["key"] for row in tx.db.query("SELECT key FROM outbox WHERE status != 'pending'")}
    for message in messages:
        row = waiting.pop(message.key, None)
        record = {"recipient": message.recipient, "subject": message.subject, "body": message.body}
        if row is None and message.key not in closed:
            tx.insert(
                "outbox",
                record
                | {
                    "key": message.key,
                    "kind": message.kind,
                    "composed_on": today.isoformat(),
                    "first_composed_on": today.isoformat(),
                    "return_id": message.return_id,
                    "action_id": message.action_id,
                },
            )
            report.composed.append(message)
        elif row is not None and (today - date.fromisoformat(row["first_composed_on"])).days >= expire_days:
            why = f"not sent within {expire_days} day(s) of {uk_date(date.fromisoformat(row['first_composed_on']))}"
            _close(tx, row, "expired", why, report)
        elif row is not None:
            tx.update("outbox", row["id"], record | {"composed_on": today.isoformat()})
    for row in waiting.values():
        why = f"no longer due on {uk_date(today)} (received, completed or replaced by a newer message)"
        _close(tx, row, "withdrawn", why, report)


def _close(tx: Transaction, row: dict, status: str, why: str, report: Report) -> None:
    tx.update("outbox", row["id"], {"status": status, "closed_reason": why})
    report.withdrawn.append(f"{row['recipient']}: {row['subject']}: {why}")


def _stale(db, row: dict, today: date) -> str | None:
    """Why a waiting message is no longer news now, just before it is sent, or None."""
    if row["composed_on"] != today.isoformat():
        return f"composed on {uk_date(date.fromisoformat(row['composed_on']))}, not today"
    if row["return_id"] is not None:
        received = db.execute("SELECT received FROM agency_returns WHERE id = ?", [row["return_id"]]).fetchone()
        if received is None or received[0]:
            return "the return has been received"
    if row["action_id"] is not None:
        status = db.execute("SELECT status FROM actions WHERE id = ?", [row["action_id"]]).fetchone()
        if status is None or status[0] == "complete":
            return "the action is complete"
    return None


def _take(store: Store, viewer: Viewer, row_id: int, today: date, report: Report) -> dict | None:
    """Take a waiting message for sending, in one write that checks it is still waiting (another run may
    have taken it) and still news; the row, or None when it is not to be sent."""
    with store.write(viewer.username) as tx:
        row = tx.db["outbox"].get(row_id)
        if row["status"] != "pending":
            return None
        why = _stale(tx.db, row, today)
        if why is not None:
            _close(tx, row, "withdrawn", why, report)
            return None
        return tx.update("outbox", row_id, {"status": "taken", "taken_at": utc_now()})


def _sent(store: Store, viewer: Viewer, row: dict, today: date) -> None:
    with store.write(viewer.username) as tx:
        tx.update("outbox", row["id"], {"status": "sent", "sent_at": utc_now(), "attempts": row["attempts"] + 1})
        if row["return_id"] and tx.db["agency_returns"].count_where("id = ?", [row["return_id"]]):
            note = "emailed to the agency's contact (automatic chaser)"
            tx.insert("return_chases", {"return_id": row["return_id"], "chased_on": today.isoformat(), "note": note})


def _failed(store: Store, viewer: Viewer, row: dict, why: str) -> None:
    """The relay did not take it: it waits again (if this run had taken it) for the next run."""
    with store.write(viewer.username) as tx:
        tx.update("outbox", row["id"], {"status": "pending", "attempts": row["attempts"] + 1, "last_error": why})


def reply_address(store: Store, settings: SmtpSettings) -> str:
    """Where replies go: DHR_MAIL_REPLY_TO, else the active coordinators' addresses."""
    if settings.reply_to:
        return settings.reply_to
    rows = store.read()["users"].rows_where("role = 'coordinator' AND active = 1 AND email IS NOT NULL", order_by="id")
    return ", ".join(row["email"] for row in rows)


def _send_pending(store: Store, viewer: Viewer, settings: SmtpSettings, today: date, report: Report) -> None:
    pending = [row["id"] for row in store.read()["outbox"].rows_where("status = 'pending'", order_by="id")]
    if not pending:
        return
    reply_to = reply_address(store, settings)
    try:
        with Mailer(settings) as mailer:
            for row_id in pending:
                row = _take(store, viewer, row_id, today, report)
                if row is None:
                    continue
                label = f"{row['recipient']}: {row['subject']}"
                try:
                    mailer.send(row["recipient"], row["subject"], row["body"], reply_to=reply_to)
                except MailError as error:
                    _failed(store, viewer, row, str(error))
                    report.failed.append(f"{label}: {error}")
                    continue
                _sent(store, viewer, row, today)
                report.sent.append(label)
    except MailError as error:  # the relay cannot be reached: every message waits for the next run
        for row in store.read()["outbox"].rows_where("status = 'pending'", order_by="id"):
            _failed(store, viewer, row, str(error))
            report.failed.append(f"{row['recipient']}: {row['subject']}: {error}")


def run(
    store: Store, viewer: Viewer, *, today: date, dry_run: bool = False, settings: SmtpSettings | None = None
) -> Report:
    """The day's reminders and chasers (the coordinator, or the scheduled job acting as one). With
    ``dry_run``, or with email off (no ``settings``), only what would be composed is reported: nothing
    is kept and nothing sent."""
    require_coordinator(viewer, "Only the coordinator can send reminders")
    report = Report()
    if dry_run or settings is None:
        messages = compose(store, today, report)
        sent = {row["key"] for row in store.read().query("SELECT key FROM outbox WHERE status != 'pending'")}
        report.composed = [m for m in messages if m.key not in sent]
        if settings is None and not dry_run:
            report.off = (
                "email is not set up (DHR_SMTP_HOST is not set): nothing is kept, and once it is set up "
                "the day's run sends that day's messages"
            )
    else:
        with store.write(viewer.username) as tx:  # composed and kept in one unit: two runs never both add
            messages = compose(store, today, report)
            _queue(tx, messages, today, settings.expire_days, report)
        _send_pending(store, viewer, settings, today, report)
    report.held = store.read()["outbox"].count_where("status = 'pending'")
    return report


def send_test(store: Store, viewer: Viewer, *, settings: SmtpSettings | None, today: date) -> str:
    """Send the test template to the signed-in coordinator's own address now (not through the outbox);
    the address it went to."""
    require_coordinator(viewer, "Only the coordinator can send a test email")
    db = store.read()
    row = next(db["users"].rows_where("username = ?", [viewer.username]))
    if settings is None:
        raise MailError("email is not set up: set DHR_SMTP_HOST and DHR_MAIL_FROM (see the README)")
    if not row["email"]:
        raise MailError("your account has no email address: add it on My account")
    subject, body = templates.render(
        templates.load(db)["test"],
        {"name": row["display_name"], "date": uk_date(today), "partnership": workspace.load(db).partnership_name},
    )
    with Mailer(settings) as mailer:
        mailer.send(row["email"], subject, body, reply_to=reply_address(store, settings))
    return row["email"]


def outbox_rows(store: Store, limit: int = 200) -> list[dict]:
    """The outbox as the Administration page lists it, newest first: what was sent, what is waiting, why."""
    return [
        {
            "Composed": row["composed_on"],
            "Kind": KINDS.get(row["kind"], row["kind"]),
            "To": row["recipient"],
            "Subject": row["subject"],
            "State": STATES.get(row["status"]) or ("Failed, will retry" if row["last_error"] else "Waiting"),
            "Why not sent": row["closed_reason"] or (row["last_error"] if row["status"] == "pending" else ""),
            "Sent": (row["sent_at"] or "")[:16].replace("T", " "),
        }
        for row in store.read()["outbox"].rows_where(order_by="id DESC", limit=limit)
    ]
