"""Library CLI: ``python -m indexing ingest|search|verify|rebuild|stats``.

The workspace is the one in ``DHR_DATA_DIR`` (default ./data).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.accounts import ROLES, Viewer
from core.cli import CLI_ACTOR, CLI_VIEWER, run_in_workspace
from core.db import Store
from indexing.library import ACCESS_LEVELS, KINDS, Library
from indexing.search import MODES, Filters, search


def _progress(done: int, total: int, name: str) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}",
        end="",
        file=sys.stderr,
        flush=True,
    )
    if done == total:
        print(file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="add files or folders (recursively) to the library")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--kind", default="other", choices=KINDS)
    ingest.add_argument("--access", default="partners", choices=ACCESS_LEVELS)
    ingest.add_argument("--review", help="link to a review (required for confidential documents)")
    ingest.add_argument("--csp", default="")
    ingest.add_argument("--year", type=int)
    ingest.add_argument("--title", default="", help="title (default: the document's first heading or file name)")
    find = commands.add_parser("search", help="search the library")
    find.add_argument("query")
    find.add_argument("--mode", default="hybrid", choices=MODES)
    find.add_argument("--limit", type=int, default=10)
    find.add_argument("--role", default="coordinator", choices=list(ROLES), help="search as this role sees")
    find.add_argument("--kind", action="append", choices=KINDS)
    find.add_argument("--json", action="store_true")
    commands.add_parser("verify", help="compare the whoosh index and vectors with the database")
    commands.add_parser("rebuild", help="recreate the derived indexes from the database")
    commands.add_parser("stats", help="documents and chunks in the library")
    args = parser.parse_args(argv)
    outcome = {"exit": 0}

    def command(store: Store) -> None:
        library = Library(store)
        if args.command == "ingest":
            resumed = library.resume_pending(CLI_ACTOR)
            if resumed:
                print(f"Finished {len(resumed)} interrupted ingest(s): {', '.join(resumed)}")
            results = library.ingest_paths(
                args.paths,
                viewer=CLI_VIEWER,
                progress=_progress,
                kind=args.kind,
                access=args.access,
                review=args.review,
                csp=args.csp,
                year=args.year,
                title=args.title,
            )
            for label in ("ingested", "skipped", "failed"):
                group = [r for r in results if r.outcome == label]
                print(f"{label}: {len(group)}")
                for r in group:
                    detail = f"{r.chunks} passages" if label == "ingested" else r.reason
                    print(f"  {r.source_name}: {detail}")
            outcome["exit"] = 1 if any(r.outcome == "failed" for r in results) else 0
        elif args.command == "search":
            viewer = Viewer(CLI_ACTOR, args.role, "Command line")
            hits = search(
                library,
                viewer,
                args.query,
                mode=args.mode,
                limit=args.limit,
                filters=Filters(kinds=tuple(args.kind or ())),
            )
            if args.json:
                print(json.dumps([h.as_json() for h in hits], indent=2, ensure_ascii=False))
            for rank, hit in enumerate(hits if not args.json else [], start=1):
                where = f"p.{hit.page}" if hit.page else hit.heading or "—"
                print(f"{rank:>2}. {hit.title} ({hit.document}, {where}) score {hit.score:.4f} [{'+'.join(hit.modes)}]")
                print("    " + " ".join(hit.text.split())[:300])
        elif args.command == "verify":
            report = library.verify()
            print(f"{report.documents} indexed document(s), {report.chunks} passage(s)")
            for name in report.pending:
                print(f"pending (finished by the next ingest or rebuild): {name}")
            for problem in report.problems:
                print(f"PROBLEM: {problem}")
            print("OK: the indexes match the database" if report.ok else "Run `python -m indexing rebuild` to repair")
            outcome["exit"] = 0 if report.ok else 1
        elif args.command == "rebuild":
            print(f"Rebuilt the whoosh index with {library.rebuild()} passage(s)")
        else:
            print(json.dumps(library.stats(), indent=2))

    code = run_in_workspace(command)
    return code or outcome["exit"]


if __name__ == "__main__":
    sys.exit(main())
