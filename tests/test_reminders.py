"""Reminders and chasers through a real SMTP server (aiosmtpd, in-process): each message once, each chase
recorded on its return, nothing lost while the relay is down; templates as data that name no one."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta

import pytest

from core import accounts, agencies
from core.db import Store
from core.errors import ValidationError
from core.mail import MailError, SmtpSettings
from recommendations import plan
from reviews import register, returns
from reviews.mail import reminders, templates
from tests.conftest import TODAY, run
from tests.test_qa import held_review


@pytest.fixture
def partnership(store, coordinator, people):
    """A review with a return overdue from Police and another due from Housing in three working days, and
    a Police action due in ten days; the coordinator, the chair and the Police lead have addresses."""
    accounts.set_email(store, coordinator, username="coord", email="sam@northvale.example")
    accounts.set_email(store, coordinator, username="chair", email="morgan@chairs.example")
    accounts.set_email(store, people["police.lead"], username="police.lead", email="lee.hartley@police.example")
    agencies.set_contact(store, coordinator, name="Police", contact_name="DS Kay", contact_email="kay@police.example")
    agencies.set_contact(store, coordinator, name="Housing", contact_name="Jo Bell", contact_email="jo@housing.example")
    reference = held_review(store, coordinator, "DHR-2025-01", until="terms_of_reference")
    returns.request_return(
        store, coordinator, reference, agency="Police", kind="IMR", requested="2026-10-01", due="2026-11-02"
    )
    returns.request_return(
        store, coordinator, reference, agency="Housing", kind="chronology", requested="2026-11-01", due="2026-11-26"
    )
    _police_action(store, coordinator, reference, "1", "Deliver stalking training to call handlers", days=10)
    return reference


def _police_action(store, coordinator, reference: str, number: str, description: str, *, days: int) -> None:
    """A recommendation with one Police action, its target ``days`` from TODAY."""
    rec = plan.add_recommendation(store, coordinator, reference, number=number, text="Learn", scope="single-agency")
    plan.add_action(
        store,
        coordinator,
        reference,
        recommendation_id=rec,
        description=description,
        owner_agency="Police",
        target_date=(TODAY + timedelta(days=days)).isoformat(),
    )


def _chases(store) -> int:
    return store.read()["return_chases"].count


def test_each_reminder_is_sent_once_and_each_chase_recorded(store, coordinator, partnership, relay):
    report = reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    assert not report.failed and report.held == 0
    inbox = relay.inbox
    [digest] = inbox.to("sam@northvale.example")
    assert digest["Subject"].startswith("DHR deadlines: ")
    assert "DHR-2025-01 (Ivy): IMR from Police" in digest.get_payload()
    assert len(inbox.to("morgan@chairs.example")) == 1  # the chair's own review
    [overdue] = inbox.to("kay@police.example")
    assert overdue["Subject"] == "Overdue: DHR-2025-01: IMR from Police was due on 02 Nov 2026"
    assert overdue["From"] == "dhr@northvale.example" and "Dear DS Kay" in overdue.get_payload()
    [soon] = inbox.to("jo@housing.example")
    assert "in 3 working day(s)" in soon.get_payload()
    [action] = inbox.to("lee.hartley@police.example")
    assert "Deliver stalking training" in action.get_payload() and "in 10 day(s)" in action.get_payload()
    assert _chases(store) == 2  # both returns, recorded as chased today
    chased = register.get_review(store, coordinator, partnership).returns
    assert all(r.chases == [TODAY] for r in chased)

    again = reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    assert again.composed == [] and again.sent == []
    assert len(inbox.messages) == 5 and _chases(store) == 2  # nothing twice


def test_a_relay_that_is_down_loses_nothing(store, coordinator, partnership, relay):
    settings = relay.settings
    relay.stop()
    report = reminders.run(store, coordinator, today=TODAY, settings=settings)
    assert report.sent == [] and report.held == 5
    assert all("could not reach the relay" in line for line in report.failed)
    assert _chases(store) == 0  # a chase is recorded only once it is sent
    rows = reminders.outbox_rows(store)
    assert {row["State"] for row in rows} == {"Failed, will retry"} and "connection refused" in rows[0]["Why not sent"]

    relay.start()
    later = reminders.run(store, coordinator, today=TODAY + timedelta(days=1), settings=settings)
    # the chasers and the action reminder go, in the next day's words; yesterday's digests give way to today's
    assert later.held == 0 and len(later.sent) == 5 and len(later.composed) == 2
    assert sorted(line.split(": ")[0] for line in later.withdrawn) == ["morgan@chairs.example", "sam@northvale.example"]
    assert "(23 Nov 2026)" not in "".join(later.sent)
    assert len(relay.inbox.to("kay@police.example")) == 1  # the overdue chaser went once, late
    [soon] = relay.inbox.to("jo@housing.example")
    assert "in 2 working day(s)" in soon.get_payload()  # not yesterday's "3"
    assert _chases(store) == 2


def test_a_dry_run_keeps_and_sends_nothing(store, coordinator, partnership, relay):
    report = reminders.run(store, coordinator, today=TODAY, dry_run=True, settings=relay.settings)
    assert len(report.composed) == 5
    assert store.read()["outbox"].count == 0 and relay.inbox.messages == [] and _chases(store) == 0


def test_who_cannot_be_reached_is_said(store, coordinator, partnership, relay):
    agencies.set_contact(store, coordinator, name="Housing", contact_name="", contact_email="")
    report = reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    assert any(line.startswith("Housing has no contact email") for line in report.unreachable)
    assert relay.inbox.to("jo@housing.example") == []


def test_templates_are_data_the_coordinator_edits_and_they_name_no_one(store, coordinator, partnership, relay):
    register.add_confidential_name(store, coordinator, partnership, category="victim", name="Ivy Hartnell")
    with pytest.raises(ValidationError, match="unknown placeholder"):
        templates.save(store, coordinator, key="chase_overdue", subject="$victim_name overdue", body="Dear $contact")
    with pytest.raises(ValidationError, match="must not name anyone in a confidential register"):
        templates.save(store, coordinator, key="chase_overdue", subject="Ivy Hartnell", body="Dear $contact")
    templates.save(
        store, coordinator, key="chase_overdue", subject="Late: $reference $kind", body="Hello $contact, $agency."
    )
    reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    [chaser] = relay.inbox.to("kay@police.example")
    assert chaser["Subject"] == "Late: DHR-2025-01 IMR" and chaser.get_payload().strip() == "Hello DS Kay, Police."
    for _, message in relay.inbox.messages:  # the pseudonym, never the real name
        assert "Hartnell" not in message.get_payload()
    templates.restore(store, coordinator, key="chase_overdue")
    assert templates.load(store.read())["chase_overdue"]["subject"].startswith("Overdue: ")


def test_the_test_email_goes_to_the_coordinator(store, coordinator, partnership, relay):
    assert reminders.send_test(store, coordinator, settings=relay.settings, today=TODAY) == "sam@northvale.example"
    assert relay.inbox.to("sam@northvale.example")[0]["Subject"] == "Test email from the DHR Learning Repository"
    with pytest.raises(MailError, match="email is not set up"):
        reminders.send_test(store, coordinator, settings=None, today=TODAY)


def test_settings_come_from_the_environment_and_are_checked(monkeypatch):
    monkeypatch.delenv("DHR_SMTP_HOST", raising=False)
    assert SmtpSettings.from_env() is None
    monkeypatch.setenv("DHR_SMTP_HOST", "relay.council.example")
    monkeypatch.setenv("DHR_SMTP_PORT", "smtp")
    monkeypatch.setenv("DHR_SMTP_USER", "dhr-app")
    monkeypatch.setenv("DHR_MAIL_FROM", "not an address")
    with pytest.raises(ValidationError) as error:
        SmtpSettings.from_env()
    assert [p.split(":")[0] for p in error.value.problems] == [
        "DHR_SMTP_PORT",
        "DHR_SMTP_USER and DHR_SMTP_PASSWORD",
        "DHR_MAIL_FROM",
    ]
    monkeypatch.setenv("DHR_SMTP_PORT", "587")
    monkeypatch.setenv("DHR_SMTP_PASSWORD", "s3cret")
    monkeypatch.setenv("DHR_MAIL_FROM", "dhr@northvale.gov.uk")
    settings = SmtpSettings.from_env()
    assert settings.starttls and "s3cret" not in settings.describe()
    assert (settings.reply_to, settings.app_url, settings.expire_days) == ("", "", 3)
    monkeypatch.setenv("DHR_MAIL_REPLY_TO", "nobody")
    monkeypatch.setenv("DHR_APP_URL", "dhr.northvale.gov.uk")
    monkeypatch.setenv("DHR_MAIL_EXPIRE_DAYS", "0")
    with pytest.raises(ValidationError) as error:
        SmtpSettings.from_env()
    fields = ["DHR_MAIL_REPLY_TO", "DHR_APP_URL", "DHR_MAIL_EXPIRE_DAYS"]
    assert [p.split(":")[0] for p in error.value.problems] == fields


def test_remind_cli_against_the_test_server(tmp_path, relay):
    data = tmp_path / "data"
    assert (
        run(
            data,
            "core",
            "users",
            "add",
            "sam",
            "--role",
            "coordinator",
            "--password-stdin",
            stdin="long-enough-password\n",
        ).returncode
        == 0
    )
    env = {
        "DHR_SMTP_HOST": "127.0.0.1",
        "DHR_SMTP_PORT": str(relay.port),
        "DHR_SMTP_STARTTLS": "0",
        "DHR_MAIL_FROM": "dhr@northvale.example",
    }
    dry = run(data, "reviews", "remind", "--dry-run", "--today", "2026-11-23", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Would compose 0 new message(s)" in dry.stdout
    relay.stop()
    down = run(data, "reviews", "remind", "--today", "2026-11-23", env=env)
    assert down.returncode == 0  # nothing to send, so nothing failed
    bad = run(data, "reviews", "remind", env=env | {"DHR_MAIL_FROM": "nobody"})
    assert bad.returncode == 2 and "DHR_MAIL_FROM" in bad.stderr


def _police_imr(store, coordinator, reference) -> int:
    return next(r.id for r in register.get_review(store, coordinator, reference).returns if r.agency == "Police")


def test_a_chaser_for_a_return_received_since_is_never_sent(store, coordinator, partnership, relay):
    settings = relay.settings
    relay.stop()
    reminders.run(store, coordinator, today=TODAY, settings=settings)  # the relay is down: all wait
    returns.record_return_received(
        store, coordinator, partnership, return_id=_police_imr(store, coordinator, partnership), received=TODAY
    )
    relay.start()
    report = reminders.run(store, coordinator, today=TODAY, settings=settings)
    assert relay.inbox.to("kay@police.example") == []
    assert [line for line in report.withdrawn if line.startswith("kay@police.example")]
    assert _chases(store) == 1  # Housing's only
    states = {row["To"]: row["State"] for row in reminders.outbox_rows(store)}
    assert states["kay@police.example"] == "Withdrawn" and states["jo@housing.example"] == "Sent"


def test_messages_expire_instead_of_piling_up_while_the_relay_is_down(store, coordinator, partnership, relay):
    settings = relay.settings
    relay.stop()
    for day in range(settings.expire_days):  # one message a day per person would pile up: they are kept once
        reminders.run(store, coordinator, today=TODAY + timedelta(days=day), settings=settings)
    assert store.read()["outbox"].count_where("status = 'pending'") == 5
    relay.start()
    week_later = TODAY + timedelta(days=7)
    report = reminders.run(store, coordinator, today=week_later, settings=settings)
    subjects = [message["Subject"] for _, message in relay.inbox.messages]
    assert subjects and all("23 Nov 2026)" not in s for s in subjects)  # no digest from last week
    assert relay.inbox.to("kay@police.example") == []  # its chaser waited past the expiry
    expired = [row for row in reminders.outbox_rows(store) if row["State"] == "Expired"]
    assert {row["To"] for row in expired} == {"kay@police.example", "lee.hartley@police.example"}
    [late] = relay.inbox.to("jo@housing.example")  # today's news: its return is now overdue
    assert late["Subject"].startswith("Overdue: ")
    assert "not sent within 3 day(s) of 23 Nov 2026" in expired[0]["Why not sent"]
    assert report.held == 0 and _chases(store) == 1


def test_turning_email_on_sends_todays_messages_only(store, coordinator, partnership, relay):
    for day in range(5):  # email off all week
        off = reminders.run(store, coordinator, today=TODAY + timedelta(days=day), settings=None)
        assert "email is not set up" in off.off and off.composed
    assert store.read()["outbox"].count == 0
    friday = TODAY + timedelta(days=5)
    report = reminders.run(store, coordinator, today=friday, settings=relay.settings)
    assert len(report.sent) == len(report.composed) == len(relay.inbox.messages)
    digests = [m for m in report.composed if m.kind == "digest"]
    assert digests and all("(28 Nov 2026)" in m.subject for m in digests)


def test_two_runs_at_once_never_send_twice_nor_record_two_chases(store, coordinator, partnership, relay):
    start = threading.Barrier(3)
    reports = []

    def daily_job() -> None:
        mine = Store(store.path)
        start.wait()
        reports.append(reminders.run(mine, coordinator, today=TODAY, settings=relay.settings))

    threads = [threading.Thread(target=daily_job) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(relay.inbox.messages) == 5 and sum(len(r.sent) for r in reports) == 5
    assert _chases(store) == 2


def test_every_message_has_date_message_id_reply_to_and_a_link(store, coordinator, partnership, relay):
    reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    for _, message in relay.inbox.messages:
        assert message["Date"] and message["Message-ID"].endswith("@northvale.example>")
        assert message["Reply-To"] == "sam@northvale.example"  # the coordinator, by default
    relay.inbox.messages.clear()
    configured = dataclasses.replace(
        relay.settings, reply_to="dhr.team@northvale.example", app_url="https://dhr.northvale.example"
    )
    reminders.send_test(store, coordinator, settings=configured, today=TODAY)
    [(_, test)] = relay.inbox.messages
    assert test["Reply-To"] == "dhr.team@northvale.example"
    assert test.get_payload().rstrip().endswith("https://dhr.northvale.example")


def test_no_line_break_reaches_a_header_and_no_template_blocks_a_run(store, coordinator, partnership, relay):
    with pytest.raises(ValidationError, match="one line"):
        templates.save(store, coordinator, key="chase_due", subject="Due\nBcc: x@evil.example", body="Dear $contact")
    with store.write("test") as tx:  # a pseudonym with a line break in it, stored before anything refused one
        tx.db.execute("UPDATE reviews SET pseudonym = 'Ivy\r\nBcc: x@evil.example'")
    templates.save(store, coordinator, key="chase_due", subject="$reference ($pseudonym) $kind", body="Dear $contact")
    report = reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    assert not report.failed and len(report.sent) == 5
    [chaser] = relay.inbox.to("jo@housing.example")
    assert chaser["Subject"] == "DHR-2025-01 (Ivy Bcc: x@evil.example) chronology" and not chaser["Bcc"]
    assert all(recipients != ["x@evil.example"] for recipients, _ in relay.inbox.messages)


def test_a_template_that_cannot_be_filled_in_never_stops_the_days_messages(store, coordinator, partnership, relay):
    with store.write("an earlier release") as tx:  # kept before templates were checked, or edited outside the app
        tx.insert("mail_templates", {"key": "chase_overdue", "subject": "Late: $reference $", "body": "$victim"})
    report = reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    assert not report.failed and len(report.sent) == 5
    [chaser] = relay.inbox.to("kay@police.example")
    assert chaser["Subject"].startswith("Overdue: DHR-2025-01")  # the bundled template
    [note] = report.notes
    assert "Chaser: agency return overdue" in note and "bundled one was used" in note and "chase_overdue" not in note


def test_a_confidential_name_in_what_a_placeholder_carries_never_reaches_an_email(
    store, coordinator, partnership, relay
):
    register.add_confidential_name(store, coordinator, partnership, category="perpetrator", name="Dale Pritchard")
    agencies.set_contact(
        store, coordinator, name="Housing", contact_name="Dale Pritchard", contact_email="jo@housing.example"
    )
    description = "Review why Pritchard's bail address was not shared with Housing"
    _police_action(store, coordinator, partnership, "2", description, days=5)
    report = reminders.run(store, coordinator, today=TODAY, settings=relay.settings)
    for _, message in relay.inbox.messages:
        assert "pritchard" not in (message["Subject"] + message.get_payload()).lower()
    assert relay.inbox.to("jo@housing.example") == []
    assert len([line for line in report.unreachable if "confidential register" in line]) == 2
    assert len(relay.inbox.to("lee.hartley@police.example")) == 1  # the other action's reminder still goes
    assert not any("Pritchard" in line for line in report.unreachable)


def test_the_template_check_matches_whole_names_not_pieces_of_words(store, coordinator, partnership):
    register.add_confidential_name(store, coordinator, partnership, category="other", name="Ed")
    body = "Dear $contact,\n\nWe have not received $agency's $kind for $reference."
    templates.save(store, coordinator, key="chase_overdue", subject="Overdue: $reference", body=body)
    for named in ("Ed", "ed's", "Dear ED,"):
        with pytest.raises(ValidationError, match="confidential register"):
            templates.save(store, coordinator, key="chase_overdue", subject="Overdue", body=f"{named} $contact")


def test_overdue_actions_are_reminded_weekly_to_the_owner_agencys_leads(store, coordinator, partnership, relay):
    _police_action(store, coordinator, partnership, "3", "Audit MARAC referrals", days=-30)
    for day in range(15):
        reminders.run(store, coordinator, today=TODAY + timedelta(days=day), settings=relay.settings)
    overdue = [m for m in relay.inbox.to("lee.hartley@police.example") if "Audit MARAC" in m.get_payload()]
    assert len(overdue) == 3  # days 0, 7 and 14
    assert overdue[0]["Subject"].startswith("Action overdue since 24 Oct 2026")
    assert "30 day(s) late" in overdue[0].get_payload()
