from datetime import UTC, datetime, timedelta

import pytest

from core import accounts
from core.errors import AccountLocked, AuthenticationFailed, ValidationError
from tests.conftest import PASSWORD


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
    accounts.reset_password(store, actor="coord", username="chair", password="a-new-long-password")
    assert accounts.authenticate(store, "chair", "a-new-long-password").role == "chair"


def test_successful_sign_in_clears_failures(store, people):
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(store, "chair", "wrong")
    accounts.authenticate(store, "chair", PASSWORD)
    assert next(store.read()["users"].rows_where("username = 'chair'"))["failed_attempts"] == 0


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"username": "x y", "role": "chair"}, "username"),
        ({"username": "new", "role": "superuser"}, "role"),
        ({"username": "lead", "role": "agency_lead"}, "agency lead must belong"),
        ({"username": "lead", "role": "agency_lead", "agency": "Ministry of Magic"}, "not a known agency"),
        ({"username": "coord", "role": "chair"}, "already taken"),
        ({"username": "short", "role": "chair", "password": "short"}, "at least"),
    ],
)
def test_bad_accounts_are_refused_with_the_field(store, people, kwargs, fragment):
    kwargs = {"password": PASSWORD} | kwargs
    with pytest.raises(ValidationError) as error:
        accounts.add_user(store, actor="coord", **kwargs)
    assert fragment in str(error.value)
