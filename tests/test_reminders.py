"""Reminders and chasers through a real SMTP server (aiosmtpd, in-process): each message once, each chase
recorded on its return, nothing lost while the relay is down; templates as data that name no one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import accounts, agencies
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
    rec = plan.add_recommendation(store, coordinator, reference, number="1", text="Train staff", scope="single-agency")
    plan.add_action(
        store,
        coordinator,
        reference,
        recommendation_id=rec,
        description="Deliver stalking training to call handlers",
        owner_agency="Police",
        target_date=(TODAY + timedelta(days=10)).isoformat(),
    )
    return reference


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
    assert later.held == 0 and len(later.sent) == 5 + len(later.composed)  # yesterday's held, and today's digests
    assert len(relay.inbox.to("kay@police.example")) == 1  # the overdue chaser went once, late
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
