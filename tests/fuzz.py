"""Broken and hostile files of every type the app accepts, sent through every upload path: the
library's extractor and chunker, the table reader, and, on a real workspace, the plan and register
imports, the logo, rule sets, theme vocabularies, register transfers and restore, each file under
the reliability probe's limit of 60 s, the whole run under its 2.5 GB memory cap.

    python -m tests.fuzz --count 3000 [--seed 7]

prints the counts of files accepted, refused (with a reason), crashed, hung, refused with a
programmer's words (exception text) and half-written (a refusal that changed the workspace's rows, or
left files behind), as JSON, and exits non-zero if any of those four happened. After every accepted
workspace file every Word and Excel export is built again: a file that breaks them is a crash. An
abort (the tokenizer failing to allocate) or a memory blow-up ends the process: the test sees that.
The bombs are small in bytes: a few kilobytes that claim or inflate to gigabytes.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl

from core import backup, workspace
from core.accounts import Viewer
from core.errors import DHRError
from core.jsonfile import read_json, utf8_text
from core.schema import open_store
from core.tables import read_grid
from exports import builders
from indexing.chunking import chunk
from indexing.extract import extract
from indexing.library import Library
from indexing.themes import add_themes
from recommendations import plan, spreadsheet
from reviews import register, rules, tracker, transfer
from tests import hostile_files as hostile
from tests.indexing_helpers import make_docx, make_pdf, words

SECONDS_PER_FILE = 60
"""The reliability probe's limit for one file."""
MEMORY_LIMIT = int(2.5 * 1024**3)
"""The reliability probe's cap on the whole process's address space (RLIMIT_AS)."""
PROGRAMMERS_WORDS = re.compile(r"Traceback|\b\w+(Error|Exception)\b|\[Errno|object at 0x|\bNone\b")


class Hung(Exception):
    pass


def _mutate(rng: random.Random, data: bytes, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


LOL = (
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _docx_cases(rng: random.Random, good: bytes) -> list[tuple[str, bytes]]:
    depth = rng.choice([300, 3000, 30000])
    return [
        ("mutated.docx", _mutate(rng, good, rng.randint(1, 50))),
        ("truncated.docx", _truncate(rng, good)),
        ("random.docx", rng.randbytes(rng.randint(1, 4000))),
        ("bomb.docx", hostile.zipped({"word/document.xml": b"<a>" + b" " * (rng.randint(60, 120) << 20) + b"</a>"})),
        (
            "lol.docx",
            hostile.zipped(
                {"word/document.xml": (LOL + hostile.W_BODY.format("<w:p><w:r><w:t>&d;&d;</w:t></w:r></w:p>")).encode()}
            ),
        ),
        (
            "deep.docx",
            hostile.docx_body("<w:p>" + "<w:r>" * depth + "</w:r>" * depth + "</w:p>"),
        ),
        ("malformed.docx", hostile.docx_body("<w:p><w:r><w:t>unclosed")),
        ("no-body.docx", hostile.zipped({"word/other.xml": b"<x/>"})),
        ("parts.docx", hostile.zipped({f"word/p{i}.xml": b"<x/>" for i in range(rng.choice([2100, 2500]))})),
        (
            "control.docx",
            hostile.docx_body("<w:p><w:r><w:t>risk &#1; x</w:t></w:r></w:p>"),
        ),
    ]


def _pdf_cases(rng: random.Random, good: bytes) -> list[tuple[str, bytes]]:
    nested = b"[" * rng.choice([1000, 10000, 100000]) + b"]" * 10
    return [
        ("mutated.pdf", _mutate(rng, good, rng.randint(1, 80))),
        ("truncated.pdf", _truncate(rng, good)),
        ("random.pdf", b"%PDF-1.7\n" + rng.randbytes(rng.randint(1, 4000))),
        ("nested.pdf", b"%PDF-1.7\n1 0 obj\n" + nested + b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF"),
        ("header-only.pdf", b"%PDF-1.4\n%%EOF"),
        ("encrypted.pdf", make_pdf([words("risk", 60)], password="secret")),
    ]


def _text_cases(rng: random.Random, suffix: str) -> list[tuple[str, bytes]]:
    text = words("risk", rng.randint(30, 400))
    return [
        (f"random{suffix}", rng.randbytes(rng.randint(1, 6000))),
        (f"utf16{suffix}", text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))),
        (f"cp1252{suffix}", ("Café – £5 " + text).encode("cp1252")),
        (
            f"hashes{suffix}",
            ("#" + " " * rng.randint(1000, 5000) + "#" * rng.randint(1000, 5000) + " x\n" + text).encode(),
        ),
        (f"nul{suffix}", b"\x00" * rng.randint(1, 5000) + text.encode()),
        (f"one-line{suffix}", ("word " * rng.randint(10000, 60000)).encode()),
        (f"tags{suffix}", ("<div>" * rng.randint(1000, 20000) + text).encode()),
        (f"empty{suffix}", b""),
    ]


def _xlsx(rows: list[list], *, sheet_xml_extra: bytes = b"") -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not sheet_xml_extra:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b"</sheetData>" + sheet_xml_extra
    )
    return hostile.zipped(parts)


def _table_cases(rng: random.Random, good_xlsx: bytes) -> list[tuple[str, bytes]]:
    header = ["Ref", "Recommendation", "Action", "Lead agency", "Target date"]
    merge = rng.choice([b"A20:XFD1048576", b"A1:XFD1048576", b"B2:ZZZ9", b"nonsense"])
    return [
        ("mutated.xlsx", _mutate(rng, good_xlsx, rng.randint(1, 40))),
        ("truncated.xlsx", _truncate(rng, good_xlsx)),
        (
            "merged.xlsx",
            _xlsx(
                [header, ["1", "a", "b", "Police", "March 0000"]],
                sheet_xml_extra=b'<mergeCells count="1"><mergeCell ref="' + merge + b'"/></mergeCells>',
            ),
        ),
        ("formula.xlsx", _xlsx([header, ["1", "=1+1", '=HYPERLINK("x")', "Police", "=TODAY()"]])),
        ("random.xlsx", rng.randbytes(rng.randint(1, 3000))),
        ("long-field.csv", b'Ref,Action\n1,"' + b"x" * rng.randint(200_000, 2_000_000) + b'"\n'),
        ("unclosed.csv", b'Ref,Action,Lead agency\n1,"never closed,Police\n'),
        ("nul.csv", b"Ref,Action\x00,Lead agency\n1,\x00x,Police\n"),
        ("random.csv", rng.randbytes(rng.randint(1, 3000))),
        ("cp1252.csv", "Ref,Action,Lead agency,Target date\n1,Train staff – £,Police,March 0000\n".encode("cp1252")),
        ("table.docx", make_docx([("Plan", ["x"])], table=[header, ["1", "a", "b", "Police", "Q9 2020"]])),
        ("mutated-table.docx", _mutate(rng, make_docx([("Plan", ["x"])], table=[header]), rng.randint(1, 30))),
    ]


def _new_kinds(rng: random.Random, good_docx: bytes) -> list[tuple[str, Callable[[], bytes], str]]:
    """The probe's kinds, each made only when its turn comes (some are tens of megabytes)."""
    return [
        ("text-bomb.pdf", lambda: hostile.pdf_text_bomb(rng), "library"),
        ("paragraphs.docx", lambda: hostile.docx_many_paragraphs(rng), "library"),
        ("one-line.txt", lambda: hostile.one_line(rng), "library"),
        ("hashes.md", lambda: hostile.hashes(rng), "library"),
        ("unclosed-comment.html", lambda: hostile.html_unclosed_comment(rng), "library"),
        ("junk-attributes.html", lambda: hostile.html_junk_attributes(rng), "library"),
        ("marked-section.htm", lambda: hostile.html_marked_section(rng), "library"),
        ("merged-rows.docx", lambda: hostile.docx_merged_rows(rng), "plan"),
        ("wide-span.docx", lambda: hostile.docx_wide_span(rng), "plan"),
        ("merged-rows-register.docx", lambda: hostile.docx_merged_rows(rng), "table"),
        ("noncharacters.csv", lambda: hostile.plan_csv_with_noncharacters(rng), "plan"),
        ("noncharacters-register.csv", lambda: hostile.plan_csv_with_noncharacters(rng), "tracker"),
        ("cmyk.jpg", lambda: hostile.cmyk_jpeg(rng), "logo"),
        ("one-ppm.png", lambda: hostile.png_one_pixel_per_metre(rng), "logo"),
        ("bad-checksum.png", lambda: hostile.png_bad_end_checksum(rng), "logo"),
        ("mutated-logo.png", lambda: _mutate(rng, hostile.png_one_pixel_per_metre(rng), rng.randint(1, 8)), "logo"),
        ("logo.docx", lambda: good_docx, "logo"),
        ("deep.json", lambda: hostile.json_deep(rng), "rule set"),
        ("long-number.json", lambda: hostile.json_long_number(rng), "rule set"),
        ("bom.json", lambda: hostile.with_bom(json.dumps(hostile.rule_set(rng)).encode()), "rule set"),
        ("controls.json", lambda: json.dumps(hostile.rule_set(rng, controls=True)).encode(), "rule set"),
        ("many-deadlines.json", lambda: json.dumps(hostile.rule_set(rng, deadlines=100_000)).encode(), "rule set"),
        ("deep-vocabulary.json", lambda: hostile.json_deep(rng), "vocabulary"),
        ("number-vocabulary.json", lambda: hostile.json_long_number(rng), "vocabulary"),
        ("bom-themes.json", lambda: hostile.with_bom(json.dumps(hostile.vocabulary(rng, 3)).encode()), "vocabulary"),
        ("100k-themes.json", lambda: json.dumps(hostile.vocabulary(rng, 100_000)).encode(), "vocabulary"),
        ("many-seeds.json", lambda: json.dumps(hostile.vocabulary(rng, 2, seeds=10_000)).encode(), "vocabulary"),
        ("surrogates.json", lambda: b"", "transfer"),  # made from the workspace's own export
        ("restore", lambda: b"", "restore"),  # one of the crafted archives, made from a real backup
    ]


def cases(count: int, seed: int):
    """``count`` (name, bytes maker, target) triples; target names the upload path."""
    rng = random.Random(seed)
    good_docx = make_docx([("Findings", [words("risk", 200)])], table=[["a", "b"], ["c", "d"]])
    good_pdf = make_pdf([words("risk", 150), words("abuse", 150)])
    good_xlsx = _xlsx([["Ref", "Action", "Lead agency"], ["1", "Train", "Police"]])
    made = 0
    while made < count:
        ready = [(n, d, "library") for n, d in _docx_cases(rng, good_docx) + _pdf_cases(rng, good_pdf)]
        for suffix in (".txt", ".md", ".html", ".htm"):
            ready += [(n, d, "library") for n, d in _text_cases(rng, suffix)]
        ready += [(n, d, "table") for n, d in _table_cases(rng, good_xlsx)]
        batch = [(n, (lambda d=d: d), t) for n, d, t in ready] + _new_kinds(rng, good_docx)
        rng.shuffle(batch)
        for item in batch[: count - made]:
            yield item
            made += 1


def _on_alarm(signum, frame):
    raise Hung()


class Workspace:
    """A real workspace in a temporary directory, with one review and a plan, that the workspace
    paths write into; its rows are compared before and after every refusal."""

    TODAY = date(2026, 11, 23)

    def __init__(self, directory: Path, rng: random.Random):
        self.directory, self.rng = directory, rng
        self.store = open_store(directory / "data" / "dhr.sqlite")
        rules.install_bundled_rule_sets(self.store)
        self.viewer = Viewer("fuzz", "coordinator", "Fuzz run")
        self.references = [self._review("DHR-2026-01")]
        self.transfer = transfer.export_reviews(self.store, self.viewer)
        self.good_backup = backup.backup(self.store, self.viewer, directory / "backups").read_bytes()
        self.made = 0

    def _review(self, reference: str, rule_set: str | None = None) -> str:
        return register.create_review(
            self.store,
            self.viewer,
            reference=reference,
            pseudonym="Ivy",
            csp="Northvale CSP",
            notification_date="2026-01-05",
            rule_set=rule_set,
            today=self.TODAY,
        )

    def reopen(self) -> None:
        """After a file was stopped part-way (a write of its may be open), the workspace opened afresh,
        so one stopped file cannot hold the write lock over the files after it."""
        self.store.close()
        self.store = open_store(self.directory / "data" / "dhr.sqlite")

    def rows(self) -> dict:
        db = self.store.read()
        return {t: sorted(map(repr, db[t].rows)) for t in db.table_names() if not t.startswith("sqlite_")}

    def send(self, name: str, data: bytes, target: str) -> None:
        """Send one file down its workspace path (the way the page and the CLI do), then build the
        exports of the reviews it could have touched: the first (its plan, the logo) and any it added."""
        self.made += 1
        known = len(self.references)
        if target == "plan":
            result = spreadsheet.preview(self.store, data, name, viewer=self.viewer, reference=self.references[0])
            spreadsheet.import_plan(self.store, self.viewer, self.references[0], result, today=self.TODAY)
        elif target == "tracker":
            result = tracker.preview(self.store, self.viewer, data, name, today=self.TODAY)
            self.references += tracker.import_tracker(self.store, self.viewer, result, today=self.TODAY)
        elif target == "logo":
            workspace.set_logo(self.store, self.viewer, data)
        elif target == "rule set":
            installed = rules.install_rule_set(self.store, self.viewer, document=read_json(data, what=name))
            self.references.append(self._review(f"FUZZ-{self.made}", installed.name))  # a review under it
        elif target == "vocabulary":
            add_themes(self.store, self.viewer, document=read_json(data, what=name))
        elif target == "transfer":
            self.references += transfer.import_reviews(self.store, self.viewer, utf8_text(data, what=name))
        self.check_exports(self.references[:1] + self.references[known:])

    def transfer_file(self) -> bytes:
        return hostile.transfer_with_surrogates(self.rng, self.transfer, f"DHR-2026-{100 + self.made}")

    def check_exports(self, references: list[str]) -> None:
        """Every Word document of these reviews, the action plan workbook and the board report."""
        for reference in references:
            for document in builders.REVIEW_DOCUMENTS:
                builders.review_document(self.store, self.viewer, reference, document, self.TODAY)
        spreadsheet.export_xlsx(plan.list_actions(self.store, self.viewer), self.TODAY)
        builders.board_report(self.store, "2026Q4", self.TODAY)

    def restore(self, archive: bytes) -> None:
        """Restore into an empty directory; a refusal says whether it left anything there."""
        file, target = self.directory / "archive.zip", self.directory / "restored"
        file.write_bytes(archive)
        try:
            backup.restore(file, target)
            Library(open_store(target / "dhr.sqlite")).recreate_missing_indexes()  # as the app does when it next opens
        except DHRError as error:
            raise _Refused(error, left=target.exists() and any(target.iterdir())) from None
        finally:
            shutil.rmtree(target, ignore_errors=True)


def _send(ws: Workspace, name: str, make: Callable[[], bytes], target: str, restores: list) -> None:
    if target == "library":
        chunk(extract(make(), name, max_bytes=50 * 1024 * 1024))
    elif target == "table":
        read_grid(make(), name)
    elif target == "restore":
        if not restores:
            restores += hostile.restore_archives(ws.rng, ws.good_backup) + [("good.zip", ws.good_backup)]
            ws.rng.shuffle(restores)
        ws.restore(restores.pop()[1])
    else:
        ws.send(name, ws.transfer_file() if target == "transfer" else make(), target)


class _Refused(Exception):
    """A restore refused, and whether it left anything in the directory it was refused into."""

    def __init__(self, error: DHRError, *, left: bool):
        super().__init__(str(error))
        self.left = left


def run(count: int, seed: int) -> dict:
    outcomes: Counter = Counter()
    problems: list[str] = []
    slowest = (0.0, "")
    by_path: Counter = Counter()
    seconds: Counter = Counter()
    signal.signal(signal.SIGALRM, _on_alarm)
    with tempfile.TemporaryDirectory() as scratch:
        ws = Workspace(Path(scratch), random.Random(seed))
        restores: list = []
        for name, make, target in cases(count, seed):
            started = time.monotonic()
            before = ws.rows() if target not in ("library", "table", "restore") else None
            by_path[target] += 1
            signal.alarm(SECONDS_PER_FILE)
            try:
                _send(ws, name, make, target, restores)
                outcomes["accepted"] += 1
            except (DHRError, _Refused) as error:
                signal.alarm(0)
                outcomes["refused"] += 1
                words_ = str(error)
                if PROGRAMMERS_WORDS.search(words_):
                    outcomes["unworded"] += 1
                    problems.append(f"{target} {name}: refused in a programmer's words: {words_[:200]}")
                if (before is not None and ws.rows() != before) or getattr(error, "left", False):
                    outcomes["half_written"] += 1
                    problems.append(f"{target} {name}: refused, but it changed the workspace or left files")
            except Hung:
                outcomes["hung"] += 1
                problems.append(f"{target} {name}: over {SECONDS_PER_FILE} s")
                ws.reopen()
            except Exception as error:  # what the fuzz test looks for: a crash
                outcomes["crashed"] += 1
                problems.append(f"{target} {name}: {type(error).__name__}: {error}"[:300])
            finally:
                signal.alarm(0)
            elapsed = time.monotonic() - started
            seconds[target] += elapsed
            slowest = max(slowest, (elapsed, f"{target} {name}"))
        ws.store.close()
    return {
        "files": count,
        "paths": dict(by_path),
        "seconds_by_path": {k: round(v, 1) for k, v in seconds.items()},
        "accepted": outcomes["accepted"],
        "refused": outcomes["refused"],
        "crashed": outcomes["crashed"],
        "hung": outcomes["hung"],
        "unworded": outcomes["unworded"],
        "half_written": outcomes["half_written"],
        "slowest_file": {"name": slowest[1], "seconds": round(slowest[0], 2)},
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "problems": problems[:50],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-memory-limit", action="store_true", help="run without the 2.5 GB cap")
    args = parser.parse_args(argv)
    if not args.no_memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    report = run(args.count, args.seed)
    print(json.dumps(report, indent=2))
    return 1 if any(report[k] for k in ("crashed", "hung", "unworded", "half_written")) else 0


if __name__ == "__main__":
    sys.exit(main())
