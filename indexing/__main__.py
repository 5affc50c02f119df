"""Library CLI: ``python -m indexing ingest|search|verify|rebuild|stats|themes|extract|repository``.

The workspace is the one in ``DHR_DATA_DIR`` (default ./data).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from core import workspace
from core.accounts import ROLES, Viewer
from core.cli import CLI_ACTOR, CLI_VIEWER, run_in_workspace
from core.db import Store
from core.errors import ValidationError
from core.jsonfile import read_json
from core.workspace import setting
from indexing import emerging, theme_figures
from indexing.document_meta import ACCESS_LEVELS, KINDS
from indexing.learning_index import search_in
from indexing.library import Library
from indexing.reading import documents as reading
from indexing.reading.records import read_unread
from indexing.repository import SCOPES
from indexing.repository import cli as repository_cli
from indexing.search import MODES, Filters
from indexing.sentence_vectors import FillProgress
from indexing.themes import GROUPS, add_themes, install_bundled_vocabulary, list_themes


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


PROGRESS_EVERY_S = 3.0  # how often rebuild says how far it has come


def _sentence_progress() -> Callable[[FillProgress], None]:
    """Rebuild's encoding of sentence vectors in words on the terminal (a log, not a bar: it runs for as long
    as an ingest): when it starts, every few seconds, and when it is done."""
    told = {"at": 0.0}

    def tell(done: FillProgress) -> None:
        now = time.monotonic()
        if done.passages_done and done.documents_done < done.documents and now - told["at"] < PROGRESS_EVERY_S:
            return
        told["at"] = now
        if not done.passages_done:
            line = (
                f"Encoding the sentence vectors of {done.passages} passage(s) of {done.documents} document(s) "
                "stored without them (about as long as ingesting them again)"
            )
        else:
            line = (
                f"Sentence vectors: {done.documents_done} of {done.documents} document(s) done "
                f"({done.passages_done} of {done.passages} passages)"
            )
        print(line, file=sys.stderr, flush=True)

    return tell


def _theme_commands(parser: argparse.ArgumentParser) -> None:
    themes = parser.add_subparsers(dest="themes_command", required=True)
    themes.add_parser("list", help="every theme with its group and seed phrases")
    add = themes.add_parser("add", help="add local themes from a JSON file (a list of themes)")
    add.add_argument("file", type=Path)
    themes.add_parser("retag", help="re-tag every passage after the vocabulary or people's decisions changed")
    suggest = themes.add_parser("suggest", help='themes for texts in a JSON file: [{"id", "text"}]')
    suggest.add_argument("file", type=Path)
    suggest.add_argument("--group", required=True, choices=list(GROUPS))
    suggest.add_argument("--json", action="store_true")
    for name, help_text in (
        ("documents", "every indexed document the role may see, with its themes"),
        ("emerging", "groups of passages no theme covers (recomputed first)"),
    ):
        command = themes.add_parser(name, help=help_text)
        command.add_argument("--json", action="store_true")
        command.add_argument("--role", default="coordinator", choices=list(ROLES))


def _read_json(path: Path):
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"{path.name}: cannot be read ({error.strerror})") from None
    return read_json(data, what=path.name)


def _suggest_items(document) -> list[tuple[object, str]]:
    if not isinstance(document, list):
        raise ValidationError('file: a JSON list of {"id", "text"} objects')
    problems = [
        f'item {i}: needs "id" and a non-empty "text"'
        for i, item in enumerate(document)
        if not isinstance(item, dict) or "id" not in item or not str(item.get("text") or "").strip()
    ]
    if problems:
        raise ValidationError(problems)
    return [(item["id"], str(item["text"])) for item in document]


def _themes(library: Library, args: argparse.Namespace) -> None:
    store = library.store
    viewer = Viewer(CLI_ACTOR, getattr(args, "role", "coordinator"), "Command line")
    if args.themes_command == "list":
        install_bundled_vocabulary(store)
        for theme in list_themes(store.read()):
            print(f"{theme.group:<15} {theme.key:<28} {theme.label}  [{theme.origin}]")
    elif args.themes_command == "add":
        added = add_themes(store, CLI_VIEWER, document=_read_json(args.file))
        print(f"Added {len(added)} theme(s): {', '.join(t.key for t in added)}. Run `themes retag` to apply them.")
    elif args.themes_command == "retag":
        counts = library.tagging.retag(CLI_VIEWER, progress=lambda done, total: _progress(done, total, "passages"))
        print(f"Re-tagged {counts['passages']} passage(s): {counts['tags']} theme tag(s)")
    elif args.themes_command == "suggest":
        items = _suggest_items(_read_json(args.file))
        found = library.tagging.suggest([t for _, t in items], args.group)
        result = [{"id": i, "themes": list(f), "scores": f} for (i, _), f in zip(items, found, strict=True)]
        print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else _plain_suggestions(result))
    elif args.themes_command == "documents":
        documents = theme_figures.document_themes(store, viewer)
        if args.json:
            print(json.dumps(documents, indent=2, ensure_ascii=False))
        for d in documents if not args.json else []:
            print(
                f"{d['document']}: "
                + (", ".join(f"{t['label']} ({t['passages']})" for t in d["themes"]) or "no themes")
            )
    else:
        emerging.compute(library, CLI_VIEWER)  # the command line recomputes, then shows what the role may see
        found = emerging.emerging(store, viewer)
        if args.json:
            keep = ("label", "terms", "documents", "passages")
            print(json.dumps([{k: g[k] for k in keep} for g in found], indent=2, ensure_ascii=False))
        for group in found if not args.json else []:
            print(f"{group['label']}: {group['documents']} document(s), {group['passage_count']} passage(s)")


def _extract(documents: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(documents, indent=2, ensure_ascii=False))
        return
    for d in documents:
        facts = ", ".join(f"{k}={v}" for k, v in d["facts"].items() if v is not None) or "no case facts"
        print(f"{d['document']}: {facts}; {len(d['recommendations'])} recommendation(s)")
        for r in d["recommendations"]:
            national = " (national)" if r["national"] else ""
            print(f"  {r['number'] or '-'}: {r['addressee'] or 'addressee not stated'}{national}: {r['text'][:100]}")


def _plain_suggestions(result: list[dict]) -> str:
    return "\n".join(f"{r['id']}: {', '.join(r['themes'])}" for r in result)


def _recompute_emerging(library: Library) -> None:
    """Look for emerging themes again across the whole library, saying so first: it takes a while on a large
    one (about a minute at 100,000 passages)."""
    passages = library.store.read()["chunks"].count
    print(f"emerging themes: looking for them again across the library's {passages} passage(s)…", flush=True)
    started = time.monotonic()
    found = emerging.compute(library, CLI_VIEWER)
    print(f"emerging themes: {found} (looked for again across the library in {time.monotonic() - started:.1f} s)")


def _default_csp(store: Store, review: str | None) -> str:
    """The CSP a document ingested without --csp is marked with: this partnership's for a document of one of its
    reviews; none for any other (another partnership's or a national body's: the library's, never this one's)."""
    return workspace.load(store.read()).partnership if review else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="add files or folders (recursively) to the library")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--kind", default="other", choices=KINDS)
    ingest.add_argument("--access", default="partners", choices=ACCESS_LEVELS)
    ingest.add_argument("--review", help="link to a review (required for confidential documents)")
    ingest.add_argument(
        "--csp",
        help="the partnership whose document it is (default: this workspace's partnership for a document of one of "
        "its reviews, --review; none for any other, which then counts as the library's, not this partnership's)",
    )
    ingest.add_argument("--year", type=int)
    ingest.add_argument("--title", default="", help="title (default: the document's first heading or file name)")
    find = commands.add_parser("search", help="search the library")
    find.add_argument("query")
    find.add_argument("--mode", default="hybrid", choices=MODES)
    find.add_argument("--limit", type=int, default=10)
    find.add_argument("--role", default="coordinator", choices=list(ROLES), help="search as this role sees")
    find.add_argument("--kind", action="append", choices=KINDS)
    find.add_argument("--json", action="store_true")
    find.add_argument("--scope", default="local", choices=SCOPES, help="national and all: the shared repository too")
    commands.add_parser("verify", help="compare the whoosh index and vectors with the database")
    commands.add_parser("rebuild", help="recreate the derived indexes from the database")
    commands.add_parser("stats", help="documents and chunks in the library")
    _theme_commands(commands.add_parser("themes", help="the theme vocabulary, tags and emerging themes"))
    repository_cli.add_commands(commands.add_parser("repository", help="the shared repository (DHR_REPOSITORY_URL)"))
    extract = commands.add_parser("extract", help="case facts and recommendations read from each document")
    extract.add_argument("--json", action="store_true")
    extract.add_argument("--role", default="coordinator", choices=list(ROLES), help="as this role may read")
    args = parser.parse_args(argv)
    outcome = {"exit": 0}

    def command(store: Store) -> None:
        library = Library(store)
        if args.command != "rebuild" and library.recreate_missing_indexes():
            print("Rebuilt the search indexes from the database (a restored workspace has none)", file=sys.stderr)
        retitled = library.retitle(CLI_ACTOR)  # titles an earlier release read otherwise (indexing/titles.py)
        if retitled:
            print(f"Titled {len(retitled)} document(s) anew from their covers: {', '.join(retitled)}", file=sys.stderr)
        if args.command == "ingest":
            version = setting(store.read(), "library_version")
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
                csp=args.csp if args.csp is not None else _default_csp(store, args.review),
                year=args.year,
                title=args.title,
            )
            for label in ("ingested", "skipped", "failed"):
                group = [r for r in results if r.outcome == label]
                print(f"{label}: {len(group)}")
                for r in group:
                    detail = r.reason
                    if label == "ingested":  # and what it is, where its name says otherwise
                        detail = f"{r.chunks} passages" + (f"; {r.reason}" if r.reason else "")
                    print(f"  {r.source_name}: {detail}")
            # the Themes page then shows the library as it now is; an ingest that changed nothing leaves them be
            if setting(store.read(), "library_version") != version and emerging.out_of_date(store):
                _recompute_emerging(library)
            outcome["exit"] = 1 if any(r.outcome == "failed" for r in results) else 0
        elif args.command == "search":
            viewer = Viewer(CLI_ACTOR, args.role, "Command line")
            hits = search_in(
                library,
                viewer,
                args.query,
                scope=args.scope,
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
        elif args.command == "themes":
            _themes(library, args)
        elif args.command == "repository":
            outcome["exit"] = repository_cli.run(library, args)
        elif args.command == "extract":
            read_unread(store, CLI_ACTOR)  # documents stored by an earlier release are read first
            _extract(reading.library_readings(store, Viewer(CLI_ACTOR, args.role, "Command line")), args.json)
        elif args.command == "rebuild":
            print("\n".join(library.rebuild(progress=_sentence_progress()).lines()))
        else:
            print(json.dumps(library.stats(), indent=2))

    code = run_in_workspace(command)
    return code or outcome["exit"]


if __name__ == "__main__":
    sys.exit(main())
