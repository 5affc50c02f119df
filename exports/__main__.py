"""Word exports: ``python -m exports DOCUMENT --review REF --out FILE`` and the publication check.

DOCUMENT is overview-report, executive-summary, action-plan, qa-log or chronology (a .docx, or
.xlsx for the chronology when FILE ends .xlsx); ``board-report --quarter YYYYQn --out FILE``;
``check-publication FILE.docx --review REF [--json]`` exits 1 when anything is found.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from core.cli import CLI_VIEWER, run_in_workspace
from core.db import Store
from exports import builders

DOCUMENTS = (
    "overview-report",
    "executive-summary",
    "action-plan",
    "qa-log",
    "chronology",
    "board-report",
    "check-publication",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m exports", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("document", choices=DOCUMENTS)
    parser.add_argument("file", nargs="?", type=Path, help="the .docx to check (check-publication)")
    parser.add_argument("--review")
    parser.add_argument("--quarter")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    outcome = {"exit": 0}

    def command(store: Store) -> None:
        today = date.today()
        if args.document == "check-publication":
            if not args.file or not args.review:
                parser.error("check-publication needs FILE.docx and --review REF")
            findings = builders.publication_findings(store, CLI_VIEWER, args.review.upper(), args.file.read_bytes())
            if args.json:
                print(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
            else:
                for f in findings:
                    print(f"{f.kind:<14} {f.text!r:<30} {f.location}: {f.context}")
                print(f"{len(findings)} finding(s)")
            outcome["exit"] = 1 if findings else 0
            return
        if not args.out:
            parser.error("--out FILE is required")
        if args.document == "board-report":
            if not args.quarter:
                parser.error("board-report needs --quarter YYYYQn")
            data = builders.board_report(store, args.quarter, today)
        else:
            if not args.review:
                parser.error(f"{args.document} needs --review REF")
            data = builders.review_document(
                store, CLI_VIEWER, args.review.upper(), args.document, today, xlsx=args.out.suffix.lower() == ".xlsx"
            )
        args.out.write_bytes(data)
        print(f"Wrote {args.out} ({len(data):,} bytes)")

    return run_in_workspace(command) or outcome["exit"]


if __name__ == "__main__":
    sys.exit(main())
