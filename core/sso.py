"""Single sign-on: a person the council's OpenID provider signed in (Streamlit's ``st.login``) is matched
to an account by the provider and their subject, both required. Someone no account knows gets no access:
they are kept as a request until the coordinator gives them a role, unless a claim the partnership
configured maps to one. An account whose role came from a claim follows the claims at every sign-in: a
changed app role changes it, a removed one deactivates it (until the claim returns or the coordinator
takes the account over). Each sign-in is matched and recorded in one write, so two first sign-ins at once
make one account (or one request). Every sign-in, refusal and request is recorded (sign-in events, and
the audit log)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from core.accounts import (
    ROLES,
    Viewer,
    _check_known_agency,
    _check_role,
    _viewer,
    record_sign_in,
    require_coordinator,
)
from core.db import Store, Transaction, utc_now
from core.errors import AuthenticationFailed, NotFound, ValidationError

SSO_ONLY = "!sso-only"  # an account's password hash when it signs in only through the provider
NO_IDENTITY = (
    "Your council's sign-in did not say who you are (no issuer or subject), so this workspace cannot let "
    "you in: sign in again, or ask the coordinator to check the single sign-on set-up"
)


def identity(issuer: str, subject: str) -> str:
    return f"{issuer}|{subject}"


def _username_from(email: str, name: str) -> str:
    base = (email.split("@")[0] if email else name).lower()
    return re.sub(r"[^a-z0-9._-]+", ".", base).strip(".-_") or "user"


def resolve(
    store: Store,
    *,
    issuer: str,
    subject: str,
    email: str = "",
    name: str = "",
    claimed_roles: tuple[str, ...] = (),
    role_map: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Viewer | None:
    """The account this person signs in to, or None (recorded as waiting for a role, or refused).
    Raises AuthenticationFailed when the provider named no issuer or subject: nothing is stored."""
    now = now or datetime.now(UTC)
    if not issuer.strip() or not subject.strip():
        raise AuthenticationFailed(NO_IDENTITY)
    key = identity(issuer, subject)
    mapped = _mapped_role(claimed_roles, role_map or {})
    with store.write(f"sso:{email or subject}") as tx:
        rows = list(tx.db["users"].rows_where("sso_identity = ?", [key]))
        if rows:
            row = _follow_claims(tx, rows[0], mapped) if role_map else rows[0]
        elif mapped is not None:
            username = _free_username(tx.db, _username_from(email, name))
            _insert_sso_user(tx, key, username, name, email, mapped, None, from_claim=True)
            row = next(tx.db["users"].rows_where("username = ?", [username]))
        else:
            _wait_for_a_role(tx, key, email, name, now)
            return None
        record_sign_in(store, row["username"], "signed_in" if row["active"] else "inactive", now)
    return _viewer(row) if row["active"] else None


def _mapped_role(claimed_roles: tuple[str, ...], role_map: dict[str, str]) -> str | None:
    """The role the first mapped claim gives (never agency lead: a claim cannot name the agency)."""
    return next((role_map[c] for c in claimed_roles if role_map.get(c) in ROLES and role_map[c] != "agency_lead"), None)


def _follow_claims(tx: Transaction, row: dict, mapped: str | None) -> dict:
    """An account whose role came from a claim takes the role the claims give now; with none, it is
    deactivated (and reactivated when a mapped claim returns). Recorded with the reason. The row as it is."""
    if not row["role_from_claim"]:
        return row
    if mapped is None:
        if not row["active"]:
            return row
        return tx.update("users", row["id"], {"active": 0}, reason="the provider no longer gives an app role")
    changes = {"role": mapped, "active": 1}
    if {k: row[k] for k in changes} == changes:
        return row
    return tx.update("users", row["id"], changes, reason="the app role the provider gives changed")


def _wait_for_a_role(tx: Transaction, key: str, email: str, name: str, now: datetime) -> None:
    seen = now.isoformat(timespec="seconds")
    if tx.db["sso_requests"].count_where("identity = ?", [key]):
        before = tx.db["sso_requests"].get(key)
        tx.update(
            "sso_requests", key, {"last_seen": seen, "attempts": before["attempts"] + 1, "email": email, "name": name}
        )
    else:
        request = {"identity": key, "email": email, "name": name, "first_seen": seen, "last_seen": seen}
        tx.insert("sso_requests", request)


def _free_username(db, base: str) -> str:
    """``base``, or ``base2``, ``base3``... whichever no account has."""
    taken = {row["username"] for row in db["users"].rows}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    return candidate


def _insert_sso_user(
    tx, key: str, username: str, name: str, email: str, role: str, agency: str | None, *, from_claim: bool = False
) -> None:
    tx.insert(
        "users",
        {
            "username": username,
            "display_name": name or username,
            "role": role,
            "agency": agency if role == "agency_lead" else None,
            "password_hash": SSO_ONLY,
            "email": email or None,
            "sso_identity": key,
            "role_from_claim": int(from_claim),
            "created_at": utc_now(),
        },
    )


def requests(store: Store, viewer: Viewer) -> list[dict]:
    """The people the provider signed in who have no role yet (coordinator only), latest first."""
    require_coordinator(viewer, "Only the coordinator sees who is waiting for access")
    return list(store.read()["sso_requests"].rows_where(order_by="last_seen DESC"))


def grant(store: Store, viewer: Viewer, *, identity_key: str, role: str, agency: str | None = None) -> str:
    """The coordinator gives a waiting person a role: an account that signs in only through the provider.
    Its user name."""
    require_coordinator(viewer, "Only the coordinator can give someone access")
    problems = _check_role(role, agency)
    if problems:
        raise ValidationError(problems)
    with store.write(viewer.username) as tx:
        if not tx.db["sso_requests"].count_where("identity = ?", [identity_key]):
            raise NotFound("Nobody with that sign-in is waiting for access")
        request = tx.db["sso_requests"].get(identity_key)
        _check_known_agency(tx, agency)
        username = _free_username(tx.db, _username_from(request["email"], request["name"]))
        _insert_sso_user(tx, identity_key, username, request["name"], request["email"], role, agency)
        tx.delete("sso_requests", identity_key, reason=f"given the role {ROLES[role]}")
    return username
