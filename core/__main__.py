"""Administration CLI: ``python -m core users ...`` and ``python -m core agencies ...``.

The workspace is the one in ``DHR_DATA_DIR`` (default ./data).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from core import accounts, agencies
from core.cli import CLI_ACTOR, run_in_workspace
from core.db import Store
from core.errors import DHRError


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Repeat it: "):
        raise DHRError("The two passwords differ; nothing was changed")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)

    users = groups.add_parser("users", help="local accounts").add_subparsers(dest="command", required=True)
    add = users.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(accounts.ROLES))
    add.add_argument("--name", default="", help="display name")
    add.add_argument("--agency", help="required for agency leads")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    reset = users.add_parser("reset-password", help="set a new password and unlock the account")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    users.add_parser("list", help="list accounts")

    agency = groups.add_parser("agencies", help="the agencies list").add_subparsers(dest="command", required=True)
    agency_add = agency.add_parser("add")
    agency_add.add_argument("name")
    agency.add_parser("list")

    args = parser.parse_args(argv)

    def command(store: Store) -> None:
        if args.group == "users" and args.command == "add":
            viewer = accounts.add_user(
                store,
                actor=CLI_ACTOR,
                username=args.username,
                password=_read_password(args),
                role=args.role,
                display_name=args.name,
                agency=args.agency,
            )
            print(f"Created {viewer.username} ({accounts.ROLES[viewer.role]})")
        elif args.group == "users" and args.command == "reset-password":
            accounts.reset_password(store, actor=CLI_ACTOR, username=args.username, password=_read_password(args))
            print(f"Password reset for {args.username}; the account is unlocked")
        elif args.group == "users":
            for user in accounts.list_users(store):
                locked = " (locked)" if accounts.is_locked(user) else ""
                print(
                    f"{user['username']:<20} {user['role']:<12} {user['agency'] or '':<30} "
                    f"{user['display_name']}{locked}"
                )
        elif args.command == "add":
            print("Added", agencies.add_agency(store, actor=CLI_ACTOR, name=args.name))
        else:
            print("\n".join(agencies.list_agencies(store.read())))

    return run_in_workspace(command)


if __name__ == "__main__":
    sys.exit(main())
