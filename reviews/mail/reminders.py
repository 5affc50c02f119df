"""What a day's run sends, and the outbox that sends it once.

``run`` composes the day's messages (a digest to the coordinator and each chair of their deadlines overdue
or due soon; a chaser to an agency's named contact when its return is due within CHASE_WORKING_DAYS
working days, and another once it is overdue; a reminder to the agency leads of an action's owner agency,
or else its contact, when the action's target date is within ACTION_DAYS), keeps each in the outbox under
a key that says what it is for, and sends what the relay has not yet taken. A message whose key is in the
outbox is never composed again, so a second run on the same day sends nothing new; a message the relay did
not take stays pending and goes with the next run. A chaser, once sent, is recorded on its return as a
chase, as a coordinator's own chases are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core import workspace
from core.accounts import Viewer, require_coordinator
from core.agencies import contacts
from core.dates import days_phrase, uk_date
from core.db import Store, utc_now
from core.mail import Mailer, MailError, SmtpSettings
from recommendations.figures import all_actions
from reviews.calendar_math import is_working_day
from reviews.deadlines import by_urgency
from reviews.mail import templates
from reviews.records import reviews_from_rows
from reviews.register import review_deadlines
from reviews.rules import load_rule_set

CHASE_WORKING_DAYS = 5
ACTION_DAYS = 14
KINDS = {"digest": "Digest", "chase_due": "Chaser", "chase_overdue": "Chaser", "action_due": "Action reminder"}


@dataclass(frozen=True)
class Message:
    key: str  # what the message is for: composed once, ever
    kind: str
    recipient: str
    subject: str
    body: str
    return_id: int | None = None


@dataclass
class Report:
    composed: list[Message] = field(default_factory=list)  # new today
    sent: list[str] = field(default_factory=list)  # "recipient: subject"
    failed: list[str] = field(default_factory=list)  # "recipient: subject: why"
    held: int = 0  # pending after the run
    unreachable: list[str] = field(default_factory=list)  # who had no address, so got nothing
    off: str = ""  # why nothing was sent (email not configured), if so


def _working_days(start: date, end: date, calendar: tuple[str, str | None]) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return sum(is_working_day(start + timedelta(days=i), *calendar) for i in range(1, (end - start).days + 1))


def compose(store: Store, today: date) -> tuple[list[Message], list[str]]:
    """Every message due today (whether or not already in the outbox), and who could not be reached."""
    db = store.read()
    settings = workspace.load(db)
    texts = templates.load(db)
    partnership = settings.partnership_name
    reviews = [r for r in reviews_from_rows(db, list(db["reviews"].rows)) if r.is_open]
    deadlines = {r.reference: review_deadlines(r, store, today, settings) for r in reviews}
    messages: list[Message] = []
    unreachable: list[str] = []

    def add(key: str, kind: str, recipient: str, values: dict, return_id: int | None = None) -> None:
        subject, body = templates.render(texts[kind], values | {"partnership": partnership})
        messages.append(Message(key, kind, recipient, subject, body, return_id))

    for person in db["users"].rows_where("active = 1 AND role IN ('coordinator', 'chair')", order_by="username"):
        mine = [r for r in reviews if person["role"] == "coordinator" or r.chair == person["username"]]
        urgent = by_urgency(
            [d for r in mine for d in deadlines[r.reference] if d.status in ("overdue", "due_soon") and d.due]
        )
        if not urgent:
            continue
        if not person["email"]:
            unreachable.append(f"{person['display_name']} ({person['username']}) has no email address for the digest")
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
        add(f"digest:{person['username']}:{today.isoformat()}", "digest", person["email"], values)

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
                unreachable.append(
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
            if overdue:
                key = f"chase:{ret.id}:overdue:{ret.due.isoformat()}"
                add(key, "chase_overdue", contact["email"], values, ret.id)
            else:
                key = f"chase:{ret.id}:before:{ret.due.isoformat()}"
                add(key, "chase_due", contact["email"], values | {"working_days": left}, ret.id)

    leads: dict[str, list[dict]] = {}
    for person in db["users"].rows_where("active = 1 AND role = 'agency_lead' AND email IS NOT NULL"):
        leads.setdefault(person["agency"], []).append(person)
    open_references = {r.reference for r in reviews}
    for action in all_actions(store):
        if action.status == "complete" or action.target_date is None or action.review not in open_references:
            continue
        if not 0 <= (action.target_date - today).days <= ACTION_DAYS:
            continue
        people = [{"name": p["display_name"], "email": p["email"]} for p in leads.get(action.owner_agency, [])]
        if not people and action.owner_agency in named:
            people = [named[action.owner_agency]]
        if not people:
            unreachable.append(
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
            key = f"action:{action.id}:{action.target_date.isoformat()}:{person['email']}"
            add(key, "action_due", person["email"], values)
    return messages, unreachable


def _queue(store: Store, viewer: Viewer, messages: list[Message], today: date) -> list[Message]:
    """Keep the messages not already in the outbox; the ones added."""
    added = []
    with store.write(viewer.username) as tx:
        known = {row["key"] for row in tx.db.query("SELECT key FROM outbox")}
        for message in messages:
            if message.key in known:
                continue
            tx.insert(
                "outbox",
                {
                    "key": message.key,
                    "kind": message.kind,
                    "recipient": message.recipient,
                    "subject": message.subject,
                    "body": message.body,
                    "composed_on": today.isoformat(),
                    "return_id": message.return_id,
                },
            )
            added.append(message)
    return added


def _send_pending(store: Store, viewer: Viewer, settings: SmtpSettings, today: date, report: Report) -> None:
    pending = list(store.read()["outbox"].rows_where("status = 'pending'", order_by="id"))
    if not pending:
        return
    try:
        with Mailer(settings) as mailer:
            for row in pending:
                label = f"{row['recipient']}: {row['subject']}"
                try:
                    mailer.send(row["recipient"], row["subject"], row["body"])
                except MailError as error:
                    _failed(store, viewer, row, str(error))
                    report.failed.append(f"{label}: {error}")
                    continue
                with store.write(viewer.username) as tx:
                    tx.update(
                        "outbox", row["id"], {"status": "sent", "sent_at": utc_now(), "attempts": row["attempts"] + 1}
                    )
                    if row["return_id"] and tx.db["agency_returns"].count_where("id = ?", [row["return_id"]]):
                        note = "emailed to the agency's contact (automatic chaser)"
                        tx.insert(
                            "return_chases",
                            {"return_id": row["return_id"], "chased_on": today.isoformat(), "note": note},
                        )
                report.sent.append(label)
    except MailError as error:  # the relay is down: every message waits for the next run
        for row in pending:
            if f"{row['recipient']}: {row['subject']}" not in report.sent:
                _failed(store, viewer, row, str(error))
                report.failed.append(f"{row['recipient']}: {row['subject']}: {error}")


def _failed(store: Store, viewer: Viewer, row: dict, why: str) -> None:
    with store.write(viewer.username) as tx:
        tx.update("outbox", row["id"], {"attempts": row["attempts"] + 1, "last_error": why})


def run(
    store: Store, viewer: Viewer, *, today: date, dry_run: bool = False, settings: SmtpSettings | None = None
) -> Report:
    """The day's reminders and chasers (the coordinator, or the scheduled job acting as one). With
    ``dry_run``, only what would be composed is reported: nothing is kept and nothing sent."""
    require_coordinator(viewer, "Only the coordinator can send reminders")
    messages, unreachable = compose(store, today)
    report = Report(unreachable=unreachable)
    if dry_run:
        known = {row["key"] for row in store.read().query("SELECT key FROM outbox")}
        report.composed = [m for m in messages if m.key not in known]
        report.held = store.read()["outbox"].count_where("status = 'pending'")
        return report
    report.composed = _queue(store, viewer, messages, today)
    if settings is None:
        report.off = "email is not set up (DHR_SMTP_HOST is not set): messages are kept and sent once it is"
    else:
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
        mailer.send(row["email"], subject, body)
    return row["email"]


def outbox_rows(store: Store, limit: int = 200) -> list[dict]:
    """The outbox as the Administration page lists it, newest first: what was sent, what is waiting, why."""
    return [
        {
            "Composed": row["composed_on"],
            "Kind": KINDS.get(row["kind"], row["kind"]),
            "To": row["recipient"],
            "Subject": row["subject"],
            "State": "Sent" if row["status"] == "sent" else ("Failed, will retry" if row["last_error"] else "Waiting"),
            "Why not sent": row["last_error"] if row["status"] == "pending" else "",
            "Sent": (row["sent_at"] or "")[:16].replace("T", " "),
        }
        for row in store.read()["outbox"].rows_where(order_by="id DESC", limit=limit)
    ]
