"""``python -m indexing repository init|publish|stats|verify|add-partnership`` (the library CLI's part)."""

from __future__ import annotations

import argparse
import json

from core.cli import CLI_VIEWER
from core.errors import PermissionDenied
from indexing.library import Library

HOST_COMMANDS = ("init", "add-partnership")  # the host's role only: they create tables and roles


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="repository_command", required=True)
    commands.add_parser("init", help="create or update the repository's tables (the host's role)")
    for name, help_text in (
        ("publish", "send what this workspace shares; update what changed; withdraw the rest"),
        ("stats", "what the repository holds: documents, passages, partnerships, recommendations"),
        ("verify", "compare what the repository holds for this partnership with what it shares now"),
    ):
        commands.add_parser(name, help=help_text).add_argument("--json", action="store_true")
    add = commands.add_parser("add-partnership", help="give a partnership its own login role (the host's role)")
    add.add_argument("csp", help="the partnership's name, as its workspace's settings give it")
    add.add_argument("--role", required=True, help="the PostgreSQL role to create, e.g. northvale_csp")


def _host_command(args: argparse.Namespace) -> None:
    from indexing.repository import schema

    if args.repository_command == "init":
        schema.init()
        print("The repository is ready: tables, search indexes and row-level security are in place.")
    else:
        password = schema.add_partnership(args.csp, args.role)
        print(f"{args.csp} publishes as role {args.role} with password {password}")
        print("Give the partnership DHR_REPOSITORY_URL=postgresql://ROLE:PASSWORD@HOST/DATABASE; it is shown once.")


def run(library: Library, args: argparse.Namespace) -> int:
    """Run one repository command; returns the exit code."""
    from indexing.repository import index

    command = args.repository_command
    if command in HOST_COMMANDS:
        try:
            _host_command(args)
        except PermissionDenied:  # the partnership's own refusal says "its own rows": this needs another role
            raise PermissionDenied(
                f"`repository {command}` needs the host's role (the one that owns the repository's tables); "
                "DHR_REPOSITORY_URL names a partnership's role. Nothing was changed there."
            ) from None
    elif command == "publish":
        report = index.RepositoryIndex(library).index(CLI_VIEWER)
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False) if args.json else "\n".join(report.lines()))
    elif command == "stats":
        figures = index.stats()
        if args.json:
            print(json.dumps(figures, indent=2, ensure_ascii=False))
        else:
            print(
                f"{figures['documents']} document(s), {figures['passages']} passage(s) from {figures['csps']} "
                f"partnership(s); {figures['recommendations']} recommendation(s), {figures['actions']} action(s)"
            )
            for row in figures["by_csp"]:
                print(
                    f"  {row['csp']}: {row['documents']} document(s), last published {row['published_at'] or 'never'}"
                )
    else:
        report = index.RepositoryIndex(library).verify()
        if args.json:
            print(json.dumps({"ok": report.ok, "documents": report.documents, "passages": report.chunks,
                              "problems": report.problems}, indent=2, ensure_ascii=False))  # fmt: skip
        else:
            print(f"{report.documents} shared document(s), {report.chunks} passage(s)")
            for problem in report.problems:
                print(f"PROBLEM: {problem}")
            print(
                "OK: the repository holds what this workspace shares"
                if report.ok
                else "Run `publish` to bring it up to date"
            )
        return 0 if report.ok else 1
    return 0
