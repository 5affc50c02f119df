import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from core import accounts
from core.cli import run_reporting
from core.db import Store
from core.errors import AccountLocked, AuthenticationFailed, PermissionDenied, ValidationError
from tests.conftest import COORD, PASSWORD


def test_passwords_are_hashed_never_stored_in_clear(store, people):
    row = next(store.read()["users"].rows_where("username = 'coord'"))
    assert PASSWORD not in row["password_hash"] and row["password_hash"].startswith("$argon2")
    assert all("password_hash" not in u for u in accounts.list_users(store))


def test_sign_in_returns_the_viewer(store, people):
    viewer = accounts.authenticate(store, "Police.Lead", PASSWORD)
    assert viewer.role == "agency_lead" and viewer.agency == "Police" and not viewer.sees_case_records


def test_wrong_password_and_unknown_user_read_the_same(store, people):
    with pytest.raises(AuthenticationFailed) as wrong:
        accounts.authenticate(store, "coord", "nope")
    with pytest.raises(AuthenticationFailed) as unknown:
        accounts.authenticate(store, "nobody", "nope")
    assert str(wrong.value) == str(unknown.value)


def test_account_locks_after_repeated_failures_then_unlocks(store, people):
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(store, "chair", "wrong-password", now=now)
    with pytest.raises(AccountLocked) as locked:
        accounts.authenticate(store, "chair", PASSWORD, now=now + timedelta(minutes=1))
    assert "minute" in str(locked.value)
    later = now + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.authenticate(store, "chair", PASSWORD, now=later).username == "chair"


def test_reset_password_unlocks(store, people):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(store, "chair", "wrong-password")
    accounts.reset_password(store, COORD, username="chair", password="a-new-long-password")
    assert accounts.authenticate(store, "chair", "a-new-long-password").role == "chair"


def test_successful_sign_in_clears_failures(store, people):
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(store, "chair", "wrong")
    accounts.authenticate(store, "chair", PASSWORD)
    assert not store.read()["sign_in_throttle"].count_where("username = 'chair'")


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"username": "x y", "role": "chair"}, "User name"),
        ({"username": "new", "role": "superuser"}, "Role"),
        ({"username": "lead", "role": "agency_lead"}, "agency lead must belong"),
        (
            {"username": "lead", "role": "agency_lead", "agency": "Ministry of Magic"},
            "not on the agencies list (Acute Hospital Trust, Adult Social Care, ",  # what to write instead
        ),
        ({"username": "coord", "role": "chair"}, "already taken"),
        ({"username": "short", "role": "chair", "password": "short"}, "at least"),
    ],
)
def test_bad_accounts_are_refused_with_the_field(store, people, kwargs, fragment):
    kwargs = {"password": PASSWORD} | kwargs
    with pytest.raises(ValidationError) as error:
        accounts.add_user(store, COORD, **kwargs)
    assert fragment in str(error.value)


@pytest.mark.parametrize(
    "password",
    ["1234567890", " " * 12, "1234567890ab", "password1234", "qwertyuiopas", "aaaaaaaaaaaa", "chair2026chair"],
)
def test_weak_passwords_are_refused(store, people, password):
    with pytest.raises(ValidationError, match="Password"):
        accounts.add_user(store, COORD, username="chair2026", password=password, role="chair")
    assert not store.read()["users"].count_where("username = 'chair2026'")


def test_a_long_unpredictable_password_is_accepted_without_composition_rules(store, people):
    accounts.add_user(store, COORD, username="newchair", password="marble kettle orchard", role="chair")
    assert accounts.authenticate(store, "newchair", "marble kettle orchard").role == "chair"


def test_unknown_and_known_accounts_lock_alike(store, people):
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    messages = {}
    for name in ("chair", "nobody"):
        for _ in range(accounts.MAX_FAILED_ATTEMPTS):
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate(store, name, "wrong-password", now=now)
        with pytest.raises(AccountLocked) as locked:
            accounts.authenticate(store, name, "wrong-password", now=now)
        messages[name] = str(locked.value)
    assert messages["chair"] == messages["nobody"]


def test_failed_sign_ins_are_recorded_and_audited(store, people):
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(store, "coord", "not the password")
    events = list(store.read()["sign_in_events"].rows_where("username = 'coord'"))
    assert [e["outcome"] for e in events] == ["failed"]
    assert store.read()["audit_log"].count_where("entity = 'sign_in_events'") == 1


def test_password_hashes_never_reach_the_audit_log(store, people):
    accounts.reset_password(store, COORD, username="chair", password="a-new-long-password")
    for row in store.read()["audit_log"].rows_where("entity = 'users'"):
        assert "$argon2" not in (row["before"] or "") + (row["after"] or "")
    last = list(store.read()["audit_log"].rows_where("entity = 'users'", order_by="id desc", limit=1))[0]
    assert '"password_hash": "(changed)"' in last["after"]


def test_a_deactivated_account_cannot_sign_in(store, people):
    accounts.set_active(store, COORD, username="chair", active=False)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(store, "chair", PASSWORD)
    assert accounts.current_viewer(store, "chair") is None
    accounts.set_active(store, COORD, username="chair", active=True)
    assert accounts.authenticate(store, "chair", PASSWORD).username == "chair"


def test_role_change_is_audited_and_the_last_coordinator_is_kept(store, people):
    accounts.change_role(store, COORD, username="partner", role="board")
    assert accounts.get_viewer(store, "partner").role == "board"
    assert store.read()["audit_log"].count_where("entity = 'users' AND after LIKE '%\"board\"%'") >= 1
    with pytest.raises(ValidationError, match="at least one active coordinator"):
        accounts.change_role(store, COORD, username="coord", role="chair")
    with pytest.raises(ValidationError, match="at least one active coordinator"):
        accounts.set_active(store, COORD, username="coord", active=False)


def test_first_coordinator_only_on_an_empty_workspace(tmp_path):
    from core.schema import open_store

    empty = open_store(tmp_path / "dhr.sqlite")
    first = accounts.create_first_coordinator(empty, username="Sam", password="marble kettle orchard")
    assert first.role == "coordinator" and accounts.authenticate(empty, "sam", "marble kettle orchard")
    with pytest.raises(PermissionDenied):
        accounts.create_first_coordinator(empty, username="eve", password="another long phrase here")
    assert empty.read()["users"].count == 1


def test_changing_your_own_password_needs_the_current_one(store, people):
    chair = people["chair"]
    with pytest.raises(AuthenticationFailed):
        accounts.change_own_password(store, chair, current="not it at all", new="a brand new phrase")
    accounts.change_own_password(store, chair, current=PASSWORD, new="a brand new phrase")
    assert accounts.authenticate(store, "chair", "a brand new phrase")


def test_a_password_reset_ends_sessions_signed_in_before_it(store, people):
    signed_in = datetime.now(UTC)
    assert accounts.current_viewer(store, "chair", signed_in_at=signed_in) is not None
    accounts.reset_password(store, COORD, username="chair", password="marble kettle orchard")
    assert accounts.current_viewer(store, "chair", signed_in_at=signed_in) is None
    assert accounts.current_viewer(store, "chair", signed_in_at=datetime.now(UTC)) is not None
    later = signed_in + timedelta(minutes=121)
    assert accounts.current_viewer(store, "partner", last_seen=signed_in, now=later, idle_minutes=120) is None
    assert accounts.current_viewer(store, "partner", last_seen=signed_in, now=later, idle_minutes=180) is not None


def test_a_busy_workspace_is_reported_not_a_traceback():
    def busy():
        raise sqlite3.OperationalError("database is locked")

    assert run_reporting(busy) == 3


def _guess_in_parallel(store, username: str, sessions: int = 4, guesses: int = 12) -> list[str]:
    """``sessions`` threads, each with its own connection to the workspace, guessing at once."""
    outcomes: list[str] = []
    start = threading.Barrier(sessions)

    def guess(n: int) -> None:
        mine = Store(store.path)
        start.wait()
        for i in range(guesses):
            try:
                accounts.authenticate(mine, username, f"wrong guess {n}-{i}")
            except AuthenticationFailed:
                outcomes.append("wrong")
            except AccountLocked:
                outcomes.append("locked")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("username", ["chair", "nobody"])
def test_the_lockout_holds_under_parallel_guessing(store, people, monkeypatch, username):
    # a hash that takes a few milliseconds, as a real one takes tens: guesses overlap their checks
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=3, memory_cost=16384, parallelism=1))
    outcomes = _guess_in_parallel(store, username)
    assert outcomes.count("wrong") <= accounts.MAX_FAILED_ATTEMPTS
    failed_checks = store.read()["sign_in_events"].count_where("outcome = 'failed'")
    assert failed_checks == outcomes.count("wrong") <= accounts.MAX_FAILED_ATTEMPTS
    assert accounts.is_locked(store, username)
    refusals = store.read()["sign_in_events"].count_where("outcome = 'locked'")
    assert refusals == outcomes.count("locked") > 0  # every refusal recorded


def test_a_password_typed_as_the_user_name_is_never_stored(store, people):
    typed = "Marble-Kettle-Orchard-77"
    for _ in range(accounts.MAX_FAILED_ATTEMPTS + 1):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            accounts.authenticate(store, typed, "chair")
    assert accounts.is_locked(store, typed)  # counted all the same
    db = store.read()
    for table in ("sign_in_events", "sign_in_throttle", "audit_log"):
        for row in db[table].rows:
            assert typed.lower() not in json.dumps(row).lower(), table
    # a known user name is recorded as it is
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(store, "chair", "wrong-password")
    assert db["sign_in_events"].count_where("username = 'chair'") == 1


@pytest.mark.parametrize(
    "password",
    ["demo-password-2026", "Northvale2024!", "NorthvaleBorough-2025", "IvyHartnell1987", "hartnell-ivy-1987"],
)
def test_the_workspaces_own_words_make_weak_passwords(store, people, coordinator, new_review, password):
    from core import workspace
    from reviews import register

    workspace.save(store, coordinator, partnership="Northvale Community Safety Partnership", area="Northvale Borough")
    reference = new_review("DHR-2025-09")
    register.add_confidential_name(store, coordinator, reference, category="victim", name="Ivy Hartnell")
    with pytest.raises(ValidationError, match="confidential register"):
        accounts.add_user(store, COORD, username="newchair", password=password, role="chair")
    with pytest.raises(ValidationError, match="Password"):
        accounts.reset_password(store, COORD, username="chair", password=password)


def test_user_names_stored_in_clear_before_are_rewritten_on_upgrade(tmp_path):
    """A workspace from before m020 that recorded a password typed as a user name keeps the attempt,
    not the password."""
    import sqlite_utils

    from core.schema import migrations, open_store

    path = tmp_path / "dhr.sqlite"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m020_sign_in_key")
    typed = "marble-kettle-orchard-77"
    old["sign_in_events"].insert({"at": "2026-11-20T09:00:00", "username": typed, "outcome": "failed"})
    old["sign_in_throttle"].insert({"username": typed, "failed_attempts": 1, "locked_until": None})
    old["audit_log"].insert(
        {
            "at": "2026-11-20T09:00:00",
            "actor": typed,
            "action": "insert",
            "entity": "sign_in_throttle",
            "entity_id": json.dumps(typed),
            "after": json.dumps({"username": typed, "failed_attempts": 1, "locked_until": None}),
        }
    )
    old.close()
    store = open_store(path)
    db = store.read()
    assert db["sign_in_events"].count == db["sign_in_throttle"].count == 1
    for table in ("sign_in_events", "sign_in_throttle", "audit_log"):
        assert not any(typed in json.dumps(row) for row in db[table].rows), table
    assert db["sign_in_throttle"].get(accounts._sign_in_key(db, typed))["failed_attempts"] == 1  # still counted
    store.close()
