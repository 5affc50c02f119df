"""Message templates as data: bundled defaults (templates.json) the coordinator may rewrite. A template
may use only its own placeholders: reviews are named by reference and pseudonym. A template that contains
a name from any review's confidential register (a whole name or a word of one, not a piece of a word) is
refused; and since a placeholder's value (an action's text, a contact) can carry a name too, every
rendered message is checked the same way before it is kept (:func:`names_anyone`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Template

import sqlite_utils

from core.accounts import Viewer, require_coordinator
from core.db import Store
from core.errors import ValidationError
from core.mail import one_line
from core.text import fold, name_patterns

BUNDLED = Path(__file__).with_name("templates.json")
PLACEHOLDERS = {
    "digest": {"name", "date", "overdue", "due_soon", "items", "partnership"},
    "chase_due": {"contact", "agency", "kind", "reference", "pseudonym", "due", "working_days", "partnership"},
    "chase_overdue": {"contact", "agency", "kind", "reference", "pseudonym", "due", "partnership"},
    "action_due": {"name", "agency", "reference", "recommendation", "action", "target", "when", "partnership"},
    "action_overdue": {"name", "agency", "reference", "recommendation", "action", "target", "when", "partnership"},
    "test": {"name", "date", "partnership"},
}
LABELS = {
    "digest": "Daily digest to the coordinator and each chair",
    "chase_due": "Chaser: agency return due soon",
    "chase_overdue": "Chaser: agency return overdue",
    "action_due": "Reminder: action due soon",
    "action_overdue": "Reminder: action overdue (weekly)",
    "test": "Test email",
}


def _bundled() -> dict[str, dict[str, str]]:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def load(db: sqlite_utils.Database) -> dict[str, dict[str, str]]:
    """Every template: the coordinator's version where there is one, else the bundled one."""
    templates = _bundled()
    for row in db["mail_templates"].rows:
        templates[row["key"]] = {"subject": row["subject"], "body": row["body"]}
    return templates


def render(template: dict[str, str], values: dict[str, object]) -> tuple[str, str]:
    """(subject, body) with the placeholders filled; the subject on one line, whatever a value holds."""
    text = {key: str(value) for key, value in values.items()}
    return one_line(Template(template["subject"]).substitute(text)), Template(template["body"]).substitute(text)


def confidential_patterns(db: sqlite_utils.Database) -> list[re.Pattern]:
    """Every name in every review's confidential register (whole names and their words), pseudonyms aside."""
    return name_patterns(
        [row["name"] for row in db["confidential_names"].rows], [row["pseudonym"] for row in db["reviews"].rows]
    )


def names_anyone(patterns: list[re.Pattern], text: str) -> bool:
    folded = fold(text)[0]
    return any(pattern.search(folded) for pattern in patterns)


def _problems(key: str, subject: str, body: str) -> list[str]:
    """What stops a template being filled in or sent, in the words of the Administration page."""
    label = LABELS[key]
    problems = []
    if not subject.strip() or not body.strip():
        problems.append(f"{label}: a template needs a subject and a body")
    if len(subject.strip().splitlines()) > 1:
        problems.append(f"{label}, subject: write the subject on one line")
    for field, text in (("subject", subject), ("body", body)):
        template = Template(text)
        if not template.is_valid():
            problems.append(f"{label}, {field}: a $ must start a placeholder such as $reference ($$ for a $ sign)")
            continue
        unknown = sorted(set(template.get_identifiers()) - PLACEHOLDERS[key])
        if unknown:
            problems.append(
                f"{label}, {field}: unknown placeholder(s) {', '.join('$' + u for u in unknown)}; "
                f"this template can use {', '.join('$' + p for p in sorted(PLACEHOLDERS[key]))}"
            )
    return problems


def _check(db: sqlite_utils.Database, key: str, subject: str, body: str) -> None:
    problems = _problems(key, subject, body)
    if names_anyone(confidential_patterns(db), f"{subject}\n{body}"):
        problems.append(f"{LABELS[key]}: a template must not name anyone in a confidential register; remove it")
    if problems:
        raise ValidationError(problems)


def for_sending(db: sqlite_utils.Database) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The templates a run fills in, and what it must say about them: a coordinator's template that cannot
    be filled in (kept by an earlier release, or changed outside the app) gives way to the bundled one, so
    that no template can stop the day's messages."""
    texts, bundled, notes = load(db), _bundled(), []
    for key in PLACEHOLDERS:
        problems = _problems(key, texts[key]["subject"], texts[key]["body"])
        if problems:
            texts[key] = bundled[key]
            notes.append(
                f"The template \u201c{LABELS[key]}\u201d cannot be filled in ({'; '.join(problems)}), so the bundled "
                "one was used: correct it under Administration \u2192 Email"
            )
    return texts, notes


def save(store: Store, viewer: Viewer, *, key: str, subject: str, body: str) -> None:
    """The coordinator rewrites a template (audited)."""
    require_coordinator(viewer, "Only the coordinator can change the email templates")
    if key not in PLACEHOLDERS:
        raise ValidationError(f"key: {key!r} is not one of {', '.join(PLACEHOLDERS)}")
    with store.write(viewer.username) as tx:
        _check(tx.db, key, subject, body)
        values = {"key": key, "subject": subject.strip(), "body": body.strip()}
        if tx.db["mail_templates"].count_where("key = ?", [key]):
            tx.update("mail_templates", key, values)
        else:
            tx.insert("mail_templates", values)


def restore(store: Store, viewer: Viewer, *, key: str) -> None:
    """Go back to the bundled template."""
    require_coordinator(viewer, "Only the coordinator can change the email templates")
    with store.write(viewer.username) as tx:
        if tx.db["mail_templates"].count_where("key = ?", [key]):
            tx.delete("mail_templates", key, reason="back to the bundled template")
