"""Local accounts, roles and sign-in.

Passwords follow the NCSC's guidance: at least ``MIN_PASSWORD_LENGTH`` characters, refused when
they are common or trivially guessable (zxcvbn's frequency lists and pattern matching), and no
composition rules; the workspace's own words (the published demo password, the partnership's and
area's names, names in any confidential register) count as guessable too. They are hashed with Argon2
(argon2-cffi) and never stored in clear or in the audit log. After ``MAX_FAILED_ATTEMPTS`` wrong
passwords a user name is locked for ``LOCKOUT``, whether or not an account of that name exists, so the
answers never say who exists.

Each attempt is counted, and the lock decided, inside one write *before* the Argon2 check (which runs
outside the write lock, so failed sign-ins cannot stall other writers): however many sessions guess at
once, a user name gets at most ``MAX_FAILED_ATTEMPTS`` wrong-password checks per lockout, and a failure
never clears a lock. A user name that names no account is recorded only as a keyed digest, so a password
typed into the user-name box is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from core.db import Store, Transaction, utc_now
from core.errors import AccountLocked, AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from core.mail import checked_address

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
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# zxcvbn's estimate of guesses (log10) below which a password is refused as too predictable
MIN_GUESSES_LOG10 = 10
SIGN_IN_REFUSED = "Unknown user name or wrong password"
# published in the README and on the demo's sign-in page: refused as a password outside the demo workspace
DEMO_PASSWORD = "demo-password-2026"
COORDINATOR_ONLY = "Only the coordinator can manage accounts"

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


def person_name(username: str | None, display_name: str | None = None) -> str:
    """Who wrote or recorded something, as people know them: their name (else their user name); the app
    itself (the demo's set-up, an import: user names starting "system") as such, and a command run on the
    server ("cli:root") as the command line and the system account that ran it."""
    if not username:
        return ""
    if username.startswith("system"):
        return "the app (set-up or import)"
    if username.startswith("cli:"):
        return f"the command line ({username.removeprefix('cli:')})"
    return display_name or username


def require_coordinator(viewer: Viewer, message: str = "Only the coordinator can do this") -> None:
    if not viewer.is_coordinator:
        raise PermissionDenied(message)


def _now_iso() -> str:
    """Now, to the microsecond: a password changed and a sign-in in the same second stay in order."""
    return datetime.now(UTC).isoformat()


def _viewer(row: dict) -> Viewer:
    return Viewer(row["username"], row["role"], row["display_name"], row["agency"])


def check_password(password: str, *, username: str = "", display_name: str = "", avoid: tuple[str, ...] = ()) -> None:
    """Refuse a password an attacker would guess early; say why in plain words. ``avoid``: the
    workspace's own words (see :func:`guessable_words`), which count as guessable as the user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Password: use at least {MIN_PASSWORD_LENGTH} characters (a few unrelated words work well)"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Password: use at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise ValidationError("Password: it cannot be only spaces")
    estimate = zxcvbn(password[:100], user_inputs=[u for u in (username, display_name, *avoid) if u])
    if estimate["guesses_log10"] < MIN_GUESSES_LOG10:
        raise ValidationError(
            "Password: this is a common password, a keyboard or number pattern, or close to the user name, "
            "the partnership's or area's name or a name in a confidential register; choose something less "
            "predictable (three unrelated words work well)"
        )


def is_demo_workspace(db) -> bool:
    return bool(db["settings"].count_where("key = 'demo' AND value = '1'"))


def guessable_words(db) -> tuple[str, ...]:
    """Words an attacker who knows this workspace tries first: the published demo password (outside the
    demo), the partnership's and area's names, and every name in a confidential register; each whole
    and word by word, so that "Northvale2024" or "IvyHartnell1987" reads as predictable."""
    names = [
        row["value"] for row in db["settings"].rows_where("key IN ('partnership_name', 'partnership_area')")
    ] + [row["name"] for row in db["confidential_names"].rows]
    words = {w for name in names for w in [re.sub(r"\W+", "", name)] + re.findall(r"\w{3,}", name)}
    if not is_demo_workspace(db):
        words.add(DEMO_PASSWORD)
    return tuple(sorted(w.lower() for w in words if w))


def _check_account_fields(username: str, role: str, agency: str | None) -> list[str]:
    problems = []
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        problems.append("User name: use letters, digits, '.', '-' or '_' only")
    return problems + _check_role(role, agency)


def _check_role(role: str, agency: str | None) -> list[str]:
    problems = []
    if not role:
        problems.append("Role: choose the account's role")
    elif role not in ROLES:
        problems.append(f"Role: {role!r} is not one of {', '.join(ROLES.values())}")
    if role == "agency_lead" and not agency:
        problems.append("Agency: an agency lead must belong to an agency")
    return problems


def _check_known_agency(tx: Transaction, agency: str | None) -> None:
    if agency and not tx.db["agencies"].count_where("name = ?", [agency]):
        listed = [row["name"] for row in tx.db["agencies"].rows_where(order_by="name")]
        raise ValidationError(
            f"Agency: {agency!r} is not on the agencies list ({', '.join(listed)}); use a listed name or add it "
            "first (Administration → Agencies, or python -m core agencies add NAME)"
        )


def _insert_user(tx: Transaction, *, username: str, password: str, role: str, display_name: str, agency: str | None):
    if tx.db["users"].count_where("username = ?", [username]):
        raise ValidationError(f"User name: {username!r} is already taken")
    _check_known_agency(tx, agency)
    tx.insert(
        "users",
        {
            "username": username,
            "display_name": display_name or username,
            "role": role,
            "agency": agency if role == "agency_lead" else None,
            "password_hash": _hasher.hash(password),
            "created_at": utc_now(),
        },
    )


def add_user(
    store: Store,
    viewer: Viewer,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    agency: str | None = None,
) -> Viewer:
    """Create an account (coordinator only). Agency leads must name their agency."""
    require_coordinator(viewer, COORDINATOR_ONLY)
    username, display_name = username.strip().lower(), display_name.strip()
    problems = _check_account_fields(username, role, agency)
    if problems:
        raise ValidationError(problems)
    check_password(password, username=username, display_name=display_name, avoid=guessable_words(store.read()))
    with store.write(viewer.username) as tx:
        _insert_user(tx, username=username, password=password, role=role, display_name=display_name, agency=agency)
    return Viewer(username, role, display_name or username, agency if role == "agency_lead" else None)


def has_accounts(store: Store) -> bool:
    return bool(store.read()["users"].count)


def create_first_coordinator(store: Store, *, username: str, password: str, display_name: str = "") -> Viewer:
    """The first-run screen: the first account of an empty workspace, always a coordinator.
    Refused once any account exists, so it cannot be used to add a second coordinator."""
    username, display_name = username.strip().lower(), display_name.strip()
    problems = _check_account_fields(username, "coordinator", None)
    if problems:
        raise ValidationError(problems)
    check_password(password, username=username, display_name=display_name, avoid=guessable_words(store.read()))
    with store.write(f"first-run:{username}") as tx:
        if tx.db["users"].count:
            raise PermissionDenied("This workspace already has accounts: sign in, or ask its coordinator")
        _insert_user(
            tx, username=username, password=password, role="coordinator", display_name=display_name, agency=None
        )
    return Viewer(username, "coordinator", display_name or username, None)


def _user_row(db, username: str) -> dict:
    rows = list(db["users"].rows_where("username = ?", [username.strip().lower()]))
    if not rows:
        raise NotFound(f"No account called {username!r}")
    return rows[0]


def _throttle(db, username: str) -> dict:
    rows = list(db["sign_in_throttle"].rows_where("username = ?", [username]))
    return rows[0] if rows else {"username": username, "failed_attempts": 0, "locked_until": None}


def _locked_until(throttle: dict, now: datetime) -> datetime | None:
    until = throttle.get("locked_until")
    return datetime.fromisoformat(until) if until and datetime.fromisoformat(until) > now else None


def is_locked(store: Store, username: str, now: datetime | None = None) -> bool:
    """Whether sign-in under this user name is locked out now."""
    db = store.read()
    key = _sign_in_key(db, username.strip().lower())
    return _locked_until(_throttle(db, key), now or datetime.now(UTC)) is not None


def get_viewer(store: Store, username: str) -> Viewer:
    return _viewer(_user_row(store.read(), username))


def current_viewer(
    store: Store,
    username: str,
    *,
    signed_in_at: datetime | None = None,
    last_seen: datetime | None = None,
    now: datetime | None = None,
    idle_minutes: int | None = None,
) -> Viewer | None:
    """The account as it is now, or None when its open session must end: the account was
    deactivated or removed, its password changed after the session signed in, or the session sat
    idle longer than ``idle_minutes``."""
    now = now or datetime.now(UTC)
    if last_seen is not None and idle_minutes is not None and now - last_seen > timedelta(minutes=idle_minutes):
        return None
    rows = list(store.read()["users"].rows_where("username = ? AND active = 1", [username]))
    if not rows:
        return None
    changed = rows[0]["password_changed_at"]
    if signed_in_at is not None and changed and datetime.fromisoformat(changed) > signed_in_at:
        return None
    return _viewer(rows[0])


def list_users(store: Store) -> list[dict]:
    """Accounts without their password hashes, with whether each is locked now."""
    db = store.read()
    now = datetime.now(UTC)
    return [
        {k: v for k, v in row.items() if k not in ("password_hash", "failed_attempts", "locked_until")}
        | {"locked": _locked_until(_throttle(db, row["username"]), now) is not None}
        for row in db["users"].rows_where(order_by="role, username")
    ]


def set_email(store: Store, viewer: Viewer, *, username: str, email: str) -> None:
    """Set (or, empty, clear) the address reminders go to: the coordinator for anyone, a person for
    themselves."""
    if viewer.username != username:
        require_coordinator(viewer, "Only the coordinator can change someone else's email address")
    address = checked_address(email, "email") if email.strip() else None
    with store.write(viewer.username) as tx:
        row = _user_row(tx.db, username)
        tx.update("users", row["id"], {"email": address})


def own_email(store: Store, viewer: Viewer) -> str | None:
    return _user_row(store.read(), viewer.username)["email"]


def users_with_role(store: Store, role: str) -> list[Viewer]:
    return [
        _viewer(r) for r in store.read()["users"].rows_where("role = ? AND active = 1", [role], order_by="username")
    ]


def _clear_throttle(tx: Transaction, username: str) -> None:
    if tx.db["sign_in_throttle"].count_where("username = ?", [username]):
        tx.delete("sign_in_throttle", username)


def reset_password(store: Store, viewer: Viewer, *, username: str, password: str) -> None:
    """The coordinator sets a new password for an account and clears any lock."""
    require_coordinator(viewer, COORDINATOR_ONLY)
    row = _user_row(store.read(), username)
    avoid = guessable_words(store.read())
    check_password(password, username=row["username"], display_name=row["display_name"], avoid=avoid)
    with store.write(viewer.username) as tx:
        row = _user_row(tx.db, username)
        tx.update("users", row["id"], {"password_hash": _hasher.hash(password), "password_changed_at": _now_iso()})
        _clear_throttle(tx, row["username"])


def change_own_password(store: Store, viewer: Viewer, *, current: str, new: str) -> None:
    """Anyone changes their own password, after proving they know the current one."""
    avoid = guessable_words(store.read())
    check_password(new, username=viewer.username, display_name=viewer.display_name, avoid=avoid)
    authenticate(store, viewer.username, current)
    with store.write(viewer.username) as tx:
        row = _user_row(tx.db, viewer.username)
        tx.update("users", row["id"], {"password_hash": _hasher.hash(new), "password_changed_at": _now_iso()})


def _keep_a_coordinator(tx: Transaction, row: dict, field: str) -> None:
    """Refuse a change that would take away the workspace's last active coordinator."""
    others = tx.db["users"].count_where("role = 'coordinator' AND active = 1 AND username != ?", [row["username"]])
    if row["role"] == "coordinator" and not others:
        raise ValidationError(f"{field}: the workspace must keep at least one active coordinator")


def set_active(store: Store, viewer: Viewer, *, username: str, active: bool) -> None:
    """Deactivate an account (it can no longer sign in; open sessions end) or reactivate it. Either way
    the provider's claims no longer change it (single sign-on)."""
    require_coordinator(viewer, COORDINATOR_ONLY)
    with store.write(viewer.username) as tx:
        row = _user_row(tx.db, username)
        if not active:
            _keep_a_coordinator(tx, row, "Active")
        tx.update("users", row["id"], {"active": int(active), "role_from_claim": 0})  # the coordinator decides now


def change_role(store: Store, viewer: Viewer, *, username: str, role: str, agency: str | None = None) -> None:
    """Give an account another role (and agency, for agency leads)."""
    require_coordinator(viewer, COORDINATOR_ONLY)
    problems = _check_role(role, agency)
    if problems:
        raise ValidationError(problems)
    with store.write(viewer.username) as tx:
        row = _user_row(tx.db, username)
        if role != "coordinator":
            _keep_a_coordinator(tx, row, "Role")
        _check_known_agency(tx, agency)
        changes = {"role": role, "agency": agency if role == "agency_lead" else None, "role_from_claim": 0}
        tx.update("users", row["id"], changes)  # the provider's claims no longer change it


def _sign_in_key(db, typed: str) -> str:
    """How a typed user name is recorded (sign-in events, throttle, audit): as it is when it names an
    account, else as a keyed digest, so that a password typed into the user-name box is never stored
    and repeated tries of one unknown name still count together."""
    if db["users"].count_where("username = ?", [typed]):
        return typed
    secret = next(db["sign_in_key"].rows)["secret"]
    return "unknown:" + hmac.new(secret.encode(), typed.encode(), hashlib.sha256).hexdigest()[:16]


def _record_sign_in(tx: Transaction, key: str, outcome: str, now: datetime) -> None:
    tx.insert("sign_in_events", {"at": now.isoformat(timespec="seconds"), "username": key, "outcome": outcome})


def record_sign_in(store: Store, username: str, outcome: str, now: datetime) -> None:
    """Record a sign-in by an account (known by name); a success clears its failed attempts."""
    with store.write(actor=username) as tx:
        _record_sign_in(tx, username, outcome, now)
        if outcome == "signed_in":
            _clear_throttle(tx, username)


def _take_a_try(store: Store, key: str, now: datetime) -> None:
    """Count this attempt before its password is checked, and decide the lock, in one write: the attempt
    that reaches ``MAX_FAILED_ATTEMPTS`` locks the name (if its password is right, its success clears the
    lock), so parallel guesses get no more checks than that. Raises AccountLocked (the refusal recorded)."""
    with store.write(actor=key) as tx:
        throttle = _throttle(tx.db, key)
        until = _locked_until(throttle, now)
        if until is not None:
            _record_sign_in(tx, key, "locked", now)
        else:
            expired = throttle["locked_until"] is not None  # a lock that has run out starts the count afresh
            tries = (0 if expired else throttle["failed_attempts"]) + 1
            changes = {"failed_attempts": tries, "locked_until": None}
            if tries >= MAX_FAILED_ATTEMPTS:
                changes["locked_until"] = (now + LOCKOUT).isoformat()
            if tx.db["sign_in_throttle"].count_where("username = ?", [key]):
                tx.update("sign_in_throttle", key, changes)
            else:
                tx.insert("sign_in_throttle", {"username": key, **changes})
    if until is not None:
        minutes = int((until - now).total_seconds() // 60) + 1
        raise AccountLocked(
            f"Sign-in is locked after {MAX_FAILED_ATTEMPTS} failed attempts. "
            f"Try again in {minutes} minute(s), or ask the coordinator to reset the password."
        )


def authenticate(store: Store, username: str, password: str, *, now: datetime | None = None) -> Viewer:
    """Check a password. Raises AuthenticationFailed or AccountLocked, the same for every user name."""
    now = now or datetime.now(UTC)
    typed = username.strip().lower()
    key = _sign_in_key(store.read(), typed)
    _take_a_try(store, key, now)
    rows = list(store.read()["users"].rows_where("username = ?", [typed]))
    row = rows[0] if rows else None
    try:  # outside any write: Argon2 is slow on purpose
        if row is None:
            _hasher.hash(password)  # the same work as a real check, so timing reveals nothing
            raise VerificationError
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        with store.write(actor=key) as tx:  # counted already; a failure never touches the lock
            _record_sign_in(tx, key, "failed", now)
        raise AuthenticationFailed(SIGN_IN_REFUSED) from None
    if not row["active"]:
        with store.write(actor=key) as tx:
            _record_sign_in(tx, key, "inactive", now)
        raise AuthenticationFailed(SIGN_IN_REFUSED)
    record_sign_in(store, key, "signed_in", now)
    return _viewer(row)
