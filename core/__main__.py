"""Administration CLI: ``python -m core users|agencies|settings|backup|restore ...``.

The workspace is the one in ``DHR_DATA_DIR`` (default ./data).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from core import accounts, agencies, backup, workspace
from core.cli import CLI_VIEWER, run_in_workspace, run_reporting
from core.db import Store
from core.errors import DHRError
from core.settings import data_dir


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        first = getpass.getpass("New password: ")
        again = getpass.getpass("Repeat it: ")
    except EOFError:  # no one at a keyboard (a script, a scheduled task): nothing to read
        raise DHRError(
            "No password was typed; nothing was changed. Run it at a keyboard, or give the password on "
            "standard input with --password-stdin"
        ) from None
    if first != again:
        raise DHRError("The two passwords differ; nothing was changed")
    return first


def _settings(store: Store, args: argparse.Namespace) -> None:
    """Change the settings given on the command line, keep the others, then print them all."""
    current = workspace.load(store.read())
    given = {k: getattr(args, k) for k in ("partnership", "area", "due_soon_days", "rule_set")}
    if any(v is not None for v in given.values()):
        kept = {
            "partnership": current.partnership,
            "area": current.area,
            "due_soon_days": current.due_soon_days,
            "rule_set": current.rule_set,
        }
        workspace.save(store, CLI_VIEWER, **(kept | {k: v for k, v in given.items() if v is not None}))
    if args.logo:
        workspace.set_logo(store, CLI_VIEWER, args.logo.read_bytes())
    now = workspace.load(store.read())
    print(f"Partnership:      {now.partnership or '(not set: documents say ' + now.partnership_name + ')'}")
    print(f"Area:             {now.area or '(not set)'}")
    window = "each rule set's own" if now.due_soon_days is None else f"{now.due_soon_days} days"
    print(f"Due-soon window:  {window}")
    print(f"New reviews use:  {now.rule_set or 'HO-2016 (the bundled Home Office rule set)'}")
    print(f"Logo:             {'set' if now.logo else 'none'}")


def _restore(file: Path) -> None:
    restored = backup.restore(file, data_dir())
    print(f"Restored {restored['files']} file(s) from the backup of {restored['created_at']} into {data_dir()}")
    print("The search indexes are rebuilt from the database when the library next opens (the app, or any")
    print("python -m indexing command).")


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
    for name, help_text in (("deactivate", "stop an account signing in"), ("activate", "let it sign in again")):
        users.add_parser(name, help=help_text).add_argument("username")
    set_role = users.add_parser("set-role", help="give an account another role")
    set_role.add_argument("username")
    set_role.add_argument("--role", required=True, choices=list(accounts.ROLES))
    set_role.add_argument("--agency", help="required for agency leads")

    agency = groups.add_parser("agencies", help="the agencies list").add_subparsers(dest="command", required=True)
    agency_add = agency.add_parser("add")
    agency_add.add_argument("name")
    agency_rename = agency.add_parser("rename", help="rename an agency everywhere it is named")
    agency_rename.add_argument("name")
    agency_rename.add_argument("new_name")
    agency.add_parser("remove", help="remove an agency no record names").add_argument("name")
    agency.add_parser("list")

    settings = groups.add_parser(
        "settings", help="the partnership's name and area, due-soon window and default rule set (shown if none given)"
    )
    settings.add_argument("--partnership", help="e.g. 'Northvale Community Safety Partnership'")
    settings.add_argument("--area")
    settings.add_argument("--due-soon-days", help="days; '' for each rule set's own window")
    settings.add_argument("--rule-set", help="the rule set new reviews use")
    settings.add_argument("--logo", type=Path, help="a PNG, JPEG or GIF for the Word documents")
    save = groups.add_parser("backup", help="write one archive of the whole workspace into DIR")
    save.add_argument("directory", type=Path)
    load = groups.add_parser("restore", help="restore an archive into the empty data directory")
    load.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.group == "restore":
        return run_reporting(lambda: _restore(args.file))

    def command(store: Store) -> None:
        if args.group == "backup":
            print(backup.backup(store, CLI_VIEWER, args.directory))
        elif args.group == "settings":
            _settings(store, args)
        elif args.group == "users" and args.command == "add":
            viewer = accounts.add_user(
                store,
                CLI_VIEWER,
                username=args.username,
                password=_read_password(args),
                role=args.role,
                display_name=args.name,
                agency=args.agency,
            )
            print(f"Created {viewer.username} ({accounts.ROLES[viewer.role]})")
        elif args.group == "users" and args.command == "reset-password":
            accounts.reset_password(store, CLI_VIEWER, username=args.username, password=_read_password(args))
            print(f"Password reset for {args.username}; the account is unlocked")
        elif args.group == "users" and args.command in ("deactivate", "activate"):
            accounts.set_active(store, CLI_VIEWER, username=args.username, active=args.command == "activate")
            print(f"{args.username} {args.command}d")
        elif args.group == "users" and args.command == "set-role":
            accounts.change_role(store, CLI_VIEWER, username=args.username, role=args.role, agency=args.agency)
            print(f"{args.username} is now {accounts.ROLES[args.role]}")
        elif args.group == "users":
            for user in accounts.list_users(store):
                locked = (" (locked)" if user["locked"] else "") + ("" if user["active"] else " (deactivated)")
                print(
                    f"{user['username']:<20} {user['role']:<12} {user['agency'] or '':<30} "
                    f"{user['display_name']}{locked}"
                )
        elif args.command == "add":
            print("Added", agencies.add_agency(store, CLI_VIEWER, name=args.name))
        elif args.command == "rename":
            print("Renamed to", agencies.rename_agency(store, CLI_VIEWER, name=args.name, new_name=args.new_name))
        elif args.command == "remove":
            agencies.remove_agency(store, CLI_VIEWER, name=args.name)
            print("Removed", args.name)
        else:
            print("\n".join(agencies.list_agencies(store.read())))

    return run_in_workspace(command)


if __name__ == "__main__":
    sys.exit(main())
