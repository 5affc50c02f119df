"""Exception classes whose messages a coordinator can act on."""

from __future__ import annotations


class DHRError(Exception):
    """Base class for every error the application reports to a person."""


class ValidationError(DHRError):
    """Input that cannot be stored. ``problems`` lists one message per field."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class NotFound(DHRError):
    """A record named by the caller does not exist."""


class PermissionDenied(DHRError):
    """The signed-in person may not see or change this record."""


class Busy(DHRError):
    """Another program holds what this write needs (the search index's lock); nothing was changed."""


class AccountLocked(DHRError):
    """Too many failed sign-ins; the account is locked for a while."""


class AuthenticationFailed(DHRError):
    """Unknown user name or wrong password (never says which)."""


def deletion_reason(why: str) -> str:
    """The reason a person gives for deleting a record (kept in the audit log); refused if blank."""
    why = " ".join((why or "").split())
    if not why:
        raise ValidationError("reason: say why this is being deleted (kept in the audit log)")
    return why
