"""Recommendations CLI: ``python -m recommendations import|export|actions|board|recurring|national``.

The workspace is the one in ``DHR_DATA_DIR`` (default ./data). Commands act as the coordinator.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from core.agencies import may_be_several, unknown_message
from core.cli import CLI_VIEWER, read_mapping, run_in_workspace, show_columns
from core.dates import parse_date
from core.db import Store
from indexing.library import Library
from recommendations import figures, national, plan, recurring, spreadsheet, theming


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recommendations", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import an action plan (.xlsx or .csv) into a review, all or nothing")
    imp.add_argument("file", type=Path)
    imp.add_argument("--review", required=True)
    imp.add_argument(
        "--mapping", type=Path, help='JSON {"their header": "our field"}; proposed from headers if left out'
    )
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported and every problem")
    imp.add_argument(
        "--add-agencies",
        action="store_true",
        help="add every agency the file names that the workspace does not list (without it they are reported)",
    )
    imp.add_argument(
        "--map-agency",
        action="append",
        default=[],
        metavar="'THEIR NAME=LISTED NAME'",
        help="read an agency the file names as a listed one ('Met Police=Police'), or add it ('Barnet Comms=add'); "
        "repeat for each. The workspace remembers each name mapped to a listed agency: later imports, here or on "
        "the page, read it alike",
    )
    imp.add_argument("--json", action="store_true")
    imp.add_argument(
        "--write-mapping",
        type=Path,
        metavar="FILE",
        help="write the proposed mapping of the file's columns to FILE to edit (then use it with --mapping); "
        "imports nothing",
    )
    exp = commands.add_parser("export", help="export action plans to .xlsx")
    exp.add_argument("file", type=Path)
    exp.add_argument("--review")
    act = commands.add_parser("actions", help="every action with its RAG")
    act.add_argument("--json", action="store_true")
    act.add_argument("--today")
    board = commands.add_parser("board", help="the partnership board's figures for a quarter")
    board.add_argument("--quarter", required=True, help="e.g. 2026Q3")
    board.add_argument("--json", action="store_true")
    again = commands.add_parser("recurring", help="recommendations from different reviews that ask for the same change")
    again.add_argument("--json", action="store_true")
    bodies = commands.add_parser("national", help="recommendations addressed to national bodies, by body and lesson")
    bodies.add_argument("--json", action="store_true")
    bodies.add_argument("--csv", type=Path, help="also write them to this CSV file")
    args = parser.parse_args(argv)
    outcome = {"exit": 0}

    def command(store: Store) -> None:
        theming.resume_pending(store, Library(store), CLI_VIEWER.username)  # what a stopped import owed
        if args.command == "import":
            outcome["exit"] = import_plan_file(store, args)
        elif args.command == "export":
            actions = plan.list_actions(store, CLI_VIEWER)
            if args.review:
                actions = [a for a in actions if a.review == args.review.upper()]
            args.file.write_bytes(spreadsheet.export_xlsx(actions, date.today()))
            print(f"Exported {len(actions)} action(s) to {args.file}")
        elif args.command == "actions":
            today = parse_date(args.today, "--today") if args.today else date.today()
            actions = plan.list_actions(store, CLI_VIEWER)
            if args.json:
                print(json.dumps([a.as_json(today) for a in actions], indent=2, ensure_ascii=False))
            else:
                for a in actions:
                    rag = a.rag(today)
                    print(f"{a.review:<13} {a.recommendation:<5} {rag:<6} {a.owner_agency:<30} {a.description[:60]}")
        elif args.command == "national":
            found = national.national_recommendations(store, CLI_VIEWER, Library(store).embedder)
            if args.csv:
                args.csv.write_bytes(national.as_csv(found))
            if args.json:
                print(json.dumps(found, indent=2, ensure_ascii=False))
            for body in found if not args.json else []:
                print(f"{body['body']}: {recurring.said(body)}")
                for lesson in body["lessons"]:
                    print(f"  {lesson['label']} ({recurring.said(lesson)}, since {lesson['first_year'] or '?'})")
        elif args.command == "recurring":
            groups = recurring.recurring(store, CLI_VIEWER, Library(store).embedder)
            if args.json:
                print(json.dumps(groups, indent=2, ensure_ascii=False))
            for group in groups if not args.json else []:
                print(
                    f"{group['label']}: {recurring.said(group)} ({', '.join(group['review_references'])}), "
                    f"{group['first_year']}-{group['latest_year']}, "
                    f"{recurring.actions_said(group)}"
                )
        else:
            result = figures.board_figures(store, figures.Quarter.parse(args.quarter))
            print(json.dumps(result, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))

    return run_in_workspace(command) or outcome["exit"]


def _map_example(unknown: dict[str, list[str]]) -> str:
    """The --map-agency options that would map each unknown agency to its closest listed one (or add it); a
    name that may be any of several (an NHS trust) shows them all, to choose one: as written it is refused."""

    def listed(name: str, close: list[str]) -> str:
        return " or ".join(close) if len(close) > 1 and may_be_several(name) else close[0] if close else "add"

    return "(" + " ".join(f'--map-agency "{name}={listed(name, close)}"' for name, close in unknown.items()) + ")"


def import_plan_file(store: Store, args: argparse.Namespace) -> int:
    """An action plan: its columns and every row as read (every problem and note), then all imported or
    none. Returns the exit status: 1 when anything stops the import."""
    reference = args.review.upper()
    result = spreadsheet.preview(
        store,
        args.file.read_bytes(),
        args.file.name,
        read_mapping(args.mapping),
        viewer=CLI_VIEWER,
        reference=reference,
        agency_map=spreadsheet.agency_map_from(store, args.map_agency),
        add_agencies=args.add_agencies,
    )
    aside = sys.stderr if args.json else sys.stdout
    if args.write_mapping:
        show_columns(result, spreadsheet.FIELDS, write_to=args.write_mapping, skipped=False)
        return 0
    if args.json:
        print(json.dumps(_report(result), indent=2, ensure_ascii=False))
    else:
        show_columns(result, spreadsheet.FIELDS)
        for r in result.rows:
            marks = "; ".join(r.problems + r.warnings)
            print(
                f"row {r.number}: {r.values.get('reference', '')} {r.values.get('action', '')[:60]}"
                + (f"  [{marks}]" if marks else "")
            )
    if result.agencies_to_add:
        print("Agencies to add to the list: " + ", ".join(result.agencies_to_add), file=aside)
    if not result.ok:
        print(f"{len(result.problems)} problem(s): nothing imported", file=sys.stderr)
        for problem in result.problems if result.unmapped else []:
            print(f"  - {problem}", file=sys.stderr)
        if result.unmapped:
            print(
                "Run again with --write-mapping FILE to write a mapping to edit, then --mapping FILE.", file=sys.stderr
            )
        if result.unknown_agencies:
            print(
                "The file names agencies the workspace does not list:\n"
                + "\n".join(f"  {line}" for line in unknown_message(result.unknown_agencies))
                + "\nRun again mapping each to a listed agency or adding it "
                + _map_example(result.unknown_agencies)
                + ", or with --add-agencies to add them all, or rename them in the file "
                "(or rename the listed agency: python -m core agencies rename).",
                file=sys.stderr,
            )
        return 1
    if args.dry_run:
        return 0
    added = spreadsheet.import_plan(store, CLI_VIEWER, reference, result)
    print(added.summary(reference), file=aside)
    if added.recommendations or added.actions:
        theming.refresh(store, Library(store), CLI_VIEWER, ("recommendation", "action"))
        print("Themes suggested for the new recommendations: accept or reject them on the review page", file=aside)
    return 0


def _report(result: spreadsheet.Preview) -> dict:
    return {
        "mapping": result.mapping,
        "columns": result.samples,
        "skipped": result.skipped,
        "rows": [
            {
                "row": r.number,
                **r.values,
                "target_date_parsed": r.target_date.isoformat() if r.target_date else None,
                "problems": r.problems,
                "warnings": r.warnings,
                "already_there": r.already_there,
            }
            for r in result.rows
        ],
        "problems": result.problems,
        "unknown_agencies": result.unknown_agencies,
        "agencies_to_add": result.agencies_to_add,
    }


if __name__ == "__main__":
    sys.exit(main())
