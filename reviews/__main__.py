"""Review CLI: ``python -m reviews import|export|deadlines|remind|rule-sets``.

``import`` reads the JSON format ``export`` writes, or the team's own tracker workbook (.xlsx or .csv)
with its columns mapped as on the "Import the register" page.

The workspace is the one in ``DHR_DATA_DIR`` (default ./data). Commands act as the coordinator.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from core.cli import CLI_VIEWER, read_mapping, run_in_workspace, show_columns
from core.dates import parse_date
from core.db import Store
from core.errors import ValidationError
from core.files import suffix_by_bytes
from core.jsonfile import read_json, utf8_text
from core.mail import SmtpSettings
from reviews import register, rules, tracker, transfer
from reviews.deadlines import STATUS_LABELS, by_urgency
from reviews.mail import reminders


def _today(value: str | None) -> date:
    return parse_date(value, "--today") if value else date.today()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reviews", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser(
        "import", help="import reviews from a JSON file, or the team's tracker workbook (.xlsx/.csv), all or nothing"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--mapping", type=Path, help='tracker only: JSON {"their header": "our field"}; proposed if left out'
    )
    imp.add_argument("--dry-run", action="store_true", help="check every review and write nothing")
    imp.add_argument("--json", action="store_true", help="tracker only: print the rows as read, as JSON")
    imp.add_argument(
        "--write-mapping",
        type=Path,
        metavar="FILE",
        help="tracker only: write the proposed mapping of its columns to FILE to edit (then use --mapping); "
        "imports nothing",
    )
    imp.add_argument(
        "--add-agencies",
        action="store_true",
        help="add every agency the file names that the workspace does not list (without it they are reported)",
    )
    exp = commands.add_parser("export", help="export reviews to a JSON file (contains the confidential register)")
    exp.add_argument("file", type=Path)
    exp.add_argument("--review", action="append", help="only this reference (repeatable)")
    dl = commands.add_parser("deadlines", help="every review's deadlines")
    dl.add_argument("--json", action="store_true", help="print JSON")
    dl.add_argument("--today", help="the date statuses are judged on (YYYY-MM-DD)")
    rem = commands.add_parser(
        "remind",
        help="send the day's email reminders and chasers (run daily by cron or Task Scheduler); exit 1 if the "
        "relay did not take some (they are kept and sent on the next run)",
    )
    rem.add_argument("--dry-run", action="store_true", help="print what would be sent; keep and send nothing")
    rem.add_argument("--today", help="the day to compose for (YYYY-MM-DD); default today")
    rs = commands.add_parser("rule-sets", help="deadline rule sets").add_subparsers(dest="action", required=True)
    rs.add_parser("list")
    rs_add = rs.add_parser("add", help="install a rule set from a JSON file")
    rs_add.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    outcome = {"failed": False}

    def command(store: Store) -> None:
        rules.install_bundled_rule_sets(store)
        if args.command == "import" and (
            args.file.suffix.lower() in (".xlsx", ".xlsm", ".csv") or suffix_by_bytes(args.file.read_bytes()) == ".xlsx"
        ):
            import_tracker(store, args)
        elif args.command == "import":
            references = transfer.import_reviews(
                store,
                CLI_VIEWER,
                utf8_text(args.file.read_bytes(), what=args.file.name),
                add_agencies=args.add_agencies,
                check_only=args.dry_run,
            )
            verb = "Checked (nothing written)" if args.dry_run else "Imported"
            print(f"{verb} {len(references)} review(s): {', '.join(references)}")
        elif args.command == "export":
            document = transfer.export_reviews(store, CLI_VIEWER, references=args.review)
            args.file.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"Exported {len(document['reviews'])} review(s) to {args.file}")
            print("The file holds real names from the confidential registers: keep it secure.", file=sys.stderr)
        elif args.command == "deadlines":
            deadlines = by_urgency(register.all_deadlines(store, CLI_VIEWER, _today(args.today)))
            if args.json:
                print(json.dumps([d.as_json() for d in deadlines], indent=2))
            else:
                for d in deadlines:
                    due = d.due.isoformat() if d.due else "—"
                    print(f"{d.reference:<14} {d.label:<48} {due:<11} {STATUS_LABELS[d.status]:<15} {d.basis}")
        elif args.command == "remind":
            outcome["failed"] = remind(store, args)
        elif args.action == "list":
            for name in rules.rule_set_names(store.read()):
                rule_set = rules.load_rule_set(store.read(), name)
                print(f"{name:<12} version {rule_set.version:<10} {rule_set.title}")
        else:
            document = read_json(args.file.read_bytes(), what=args.file.name)
            rule_set = rules.install_rule_set(store, CLI_VIEWER, document=document)
            print(f"Installed rule set {rule_set.name} version {rule_set.version}")

    code = run_in_workspace(command)
    return 1 if code == 0 and outcome["failed"] else code


def remind(store: Store, args: argparse.Namespace) -> bool:
    """The day's reminders and chasers; whether the relay failed to take any."""
    report = reminders.run(
        store, CLI_VIEWER, today=_today(args.today), dry_run=args.dry_run, settings=SmtpSettings.from_env()
    )
    verb = "Would compose" if args.dry_run else "Composed"
    print(f"{verb} {len(report.composed)} new message(s)")
    for message in report.composed:
        print(f"  {message.recipient}: {message.subject}")
    for line in report.sent:
        print(f"Sent  {line}")
    for line in report.failed:
        print(f"Not sent  {line}", file=sys.stderr)
    for line in report.withdrawn:
        print(f"No longer news, not sent  {line}")
    for line in report.unreachable:
        print(f"Not composed: {line}", file=sys.stderr)
    for line in report.notes:
        print(line, file=sys.stderr)
    if report.off:
        print(f"Not sent: {report.off}", file=sys.stderr)
    print(f"{report.held} message(s) waiting for the next run")
    return bool(report.failed)


def import_tracker(store: Store, args: argparse.Namespace) -> None:
    """A tracker workbook: its columns and the rows as read (every problem and note), then all imported
    or none. With --write-mapping, the proposed mapping is written to edit and nothing is imported."""
    result = tracker.preview(store, CLI_VIEWER, args.file.read_bytes(), args.file.name, read_mapping(args.mapping))
    if args.write_mapping:
        show_columns(result, tracker.FIELDS, write_to=args.write_mapping, skipped=False)
        return
    rows = [{"row": r.number, **r.record, "problems": r.problems, "notes": r.warnings} for r in result.rows]
    if args.json:
        report = {"mapping": result.mapping, "columns": result.samples, "skipped": result.skipped, "rows": rows}
        print(json.dumps(report | {"problems": result.problems}, indent=2, ensure_ascii=False))
    else:
        show_columns(result, tracker.FIELDS)
        for r in result.rows:
            marks = "; ".join(r.problems + r.warnings)
            print(f"{r.place}: {r.record['pseudonym']}" + (f"  [{marks}]" if marks else ""))
    if result.unmapped:
        print("Run again with --write-mapping FILE to write a mapping to edit, then --mapping FILE.", file=sys.stderr)
    if not result.ok:
        raise ValidationError(result.problems or ["file: no rows to import"])
    if not args.dry_run:
        references = tracker.import_tracker(store, CLI_VIEWER, result)
        print(
            f"Imported {len(references)} review(s): {', '.join(references)}",
            file=sys.stderr if args.json else sys.stdout,
        )


if __name__ == "__main__":
    sys.exit(main())
