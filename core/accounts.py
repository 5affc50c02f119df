"""Local accounts, roles and sign-in.

Passwords are hashed with Argon2 (argon2-cffi) and never stored in clear. After
``MAX_FAILED_ATTEMPTS`` wrong passwords in a row an account is locked for ``LOCKOUT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.db import Store, utc_now
from core.errors import AccountLocked, AuthenticationFailed, NotFound, ValidationError

ROLES: dict[str, str] = {
    "coordinator": "DHR coordinator",
    "chair": "Independent chair",
    "agency_lead": "Agency lead",
    "partner": "Partner",
    "board": "Board member",
}
CASE_ROLES = frozenset({"coordinator", "chair"})
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Viewer:
    """Who is asking. Every domain read of case data takes one and enforces access itself."""

    username: str
    role: str
    display_name: str = ""
    agency: str | None = None

    @property
    def sees_case_records(self) -> bool:
        return self.role in CASE_ROLES

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


def _viewer(row: dict) -> Viewer:
    return Viewer(row["username"], row["role"], row["display_name"], row["agency"])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"password: use at least {MIN_PASSWORD_LENGTH} characters")


def add_user(
    store: Store,
    *,
    actor: str,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    agency: str | None = None,
) -> Viewer:
    """Create an account. Agency leads must name their agency."""
    username = username.strip().lower()
    problems = []
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        problems.append("username: use letters, digits, '.', '-' or '_' only")
    if role not in ROLES:
        problems.append(f"role: {role!r} is not one of {', '.join(ROLES)}")
    if role == "agency_lead" and not agency:
        problems.append("agency: an agency lead must belong to an agency")
    if problems:
        raise ValidationError(problems)
    _check_password(password)
    with store.write(actor) as tx:
        if tx.db["users"].count_where("username = ?", [username]):
            raise ValidationError(f"username: {username!r} is already taken")
        if agency and not tx.db["agencies"].count_where("name = ?", [agency]):
            raise ValidationError(f"agency: {agency!r} is not a known agency")
        tx.insert(
            "users",
            {
                "username": username,
                "display_name": display_name.strip() or username,
                "role": role,
                "agency": agency,
                "password_hash": _hasher.hash(password),
                "created_at": utc_now(),
            },
        )
    return Viewer(username, role, display_name.strip() or username, agency)


def _user_row(db, username: str) -> dict:
    rows = list(db["users"].rows_where("username = ?", [username.strip().lower()]))
    if not rows:
        raise NotFound(f"No account called {username!r}")
    return rows[0]


def is_locked(user: dict, now: datetime | None = None) -> bool:
    """Whether an account row is locked out now."""
    until = user.get("locked_until")
    return bool(until) and datetime.fromisoformat(until) > (now or datetime.now(UTC))


def get_viewer(store: Store, username: str) -> Viewer:
    return _viewer(_user_row(store.read(), username))


def list_users(store: Store) -> list[dict]:
    """Accounts without their password hashes."""
    return [
        {k: v for k, v in row.items() if k != "password_hash"}
        for row in store.read()["users"].rows_where(order_by="role, username")
    ]


def users_with_role(store: Store, role: str) -> list[Viewer]:
    return [
        _viewer(r) for r in store.read()["users"].rows_where("role = ? AND active = 1", [role], order_by="username")
    ]


def reset_password(store: Store, *, actor: str, username: str, password: str) -> None:
    """Set a new password and clear any lock."""
    _check_password(password)
    with store.write(actor) as tx:
        row = _user_row(tx.db, username)
        tx.update(
            "users",
            row["id"],
            {"password_hash": _hasher.hash(password), "failed_attempts": 0, "locked_until": None},
        )


def authenticate(store: Store, username: str, password: str, *, now: datetime | None = None) -> Viewer:
    """Check a password. Raises AuthenticationFailed or AccountLocked; counts failures."""
    now = now or datetime.now(UTC)
    with store.write(actor=username.strip().lower() or "anonymous") as tx:
        try:
            row = _user_row(tx.db, username)
        except NotFound:
            _hasher.hash(password)  # same work as a real check, so timing reveals nothing
            raise AuthenticationFailed("Unknown user name or wrong password") from None
        if not row["active"]:
            raise AuthenticationFailed("Unknown user name or wrong password")
        if is_locked(row, now):
            minutes = int((datetime.fromisoformat(row["locked_until"]) - now).total_seconds() // 60) + 1
            raise AccountLocked(
                f"This account is locked after {MAX_FAILED_ATTEMPTS} failed sign-ins. "
                f"Try again in {minutes} minute(s), or ask the coordinator to reset the password."
            )
        try:
            _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            failures = row["failed_attempts"] + 1
            changes: dict = {"failed_attempts": failures}
            if failures >= MAX_FAILED_ATTEMPTS:
                changes = {"failed_attempts": 0, "locked_until": (now + LOCKOUT).isoformat()}
            tx.update("users", row["id"], changes)
            failure = AuthenticationFailed("Unknown user name or wrong password")
        else:
            if row["failed_attempts"] or row["locked_until"]:
                tx.update("users", row["id"], {"failed_attempts": 0, "locked_until": None})
            return _viewer(row)
    raise failure  # raised after the failure count is committed
