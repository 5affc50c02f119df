"""Broken and hostile files of every type the library and the imports accept, run through the
library's extractor and chunker and the table import, each under a time limit.

    python -m tests.fuzz --count 3000 [--seed 7]

prints the counts of files accepted, refused (with a reason), crashed and hung, as JSON, and exits
non-zero if any crashed or hung. Run it under a memory limit (the test does) to catch blow-ups.
The bombs are small in bytes: a few kilobytes that claim or inflate to gigabytes.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import signal
import sys
import time
import zipfile
from collections import Counter

import openpyxl

from core.errors import ValidationError
from core.tables import read_grid
from indexing.chunking import chunk
from indexing.extract import ExtractionError, extract
from tests.indexing_helpers import make_docx, make_pdf, words

SECONDS_PER_FILE = 10


class Hung(Exception):
    pass


def _zip(parts: dict[str, bytes], *, stored_size: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _mutate(rng: random.Random, data: bytes, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


BODY = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>'
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
        ("bomb.docx", _zip({"word/document.xml": b"<a>" + b" " * (rng.randint(60, 120) * 1024 * 1024) + b"</a>"})),
        (
            "lol.docx",
            _zip({"word/document.xml": (LOL + BODY.format("<w:p><w:r><w:t>&d;&d;</w:t></w:r></w:p>")).encode()}),
        ),
        (
            "deep.docx",
            _zip({"word/document.xml": BODY.format("<w:p>" + "<w:r>" * depth + "</w:r>" * depth + "</w:p>").encode()}),
        ),
        ("malformed.docx", _zip({"word/document.xml": BODY.format("<w:p><w:r><w:t>unclosed").encode()})),
        ("no-body.docx", _zip({"word/other.xml": b"<x/>"})),
        ("parts.docx", _zip({f"word/p{i}.xml": b"<x/>" for i in range(rng.choice([2100, 2500]))})),
        (
            "control.docx",
            _zip({"word/document.xml": BODY.format("<w:p><w:r><w:t>risk &#1; x</w:t></w:r></w:p>").encode()}),
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
    return _zip(parts)


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


def cases(count: int, seed: int):
    """``count`` (name, bytes, target) triples; target is "library" or "table"."""
    rng = random.Random(seed)
    good_docx = make_docx([("Findings", [words("risk", 200)])], table=[["a", "b"], ["c", "d"]])
    good_pdf = make_pdf([words("risk", 150), words("abuse", 150)])
    good_xlsx = _xlsx([["Ref", "Action", "Lead agency"], ["1", "Train", "Police"]])
    made = 0
    while made < count:
        batch = [(n, d, "library") for n, d in _docx_cases(rng, good_docx) + _pdf_cases(rng, good_pdf)]
        for suffix in (".txt", ".md", ".html", ".htm"):
            batch += [(n, d, "library") for n, d in _text_cases(rng, suffix)]
        batch += [(n, d, "table") for n, d in _table_cases(rng, good_xlsx)]
        rng.shuffle(batch)
        for item in batch[: count - made]:
            yield item
            made += 1


def _on_alarm(signum, frame):
    raise Hung()


def run(count: int, seed: int) -> dict:
    outcomes: Counter = Counter()
    problems: list[str] = []
    slowest = (0.0, "")
    signal.signal(signal.SIGALRM, _on_alarm)
    for name, data, target in cases(count, seed):
        started = time.monotonic()
        signal.alarm(SECONDS_PER_FILE)
        try:
            if target == "library":
                chunk(extract(data, name, max_bytes=50 * 1024 * 1024))
            else:
                read_grid(data, name)
            outcomes["accepted"] += 1
        except (ExtractionError, ValidationError):
            outcomes["refused"] += 1
        except Hung:
            outcomes["hung"] += 1
            problems.append(f"{name}: over {SECONDS_PER_FILE} s")
        except Exception as error:  # what the fuzz test looks for: a crash
            outcomes["crashed"] += 1
            problems.append(f"{name}: {type(error).__name__}: {error}"[:300])
        finally:
            signal.alarm(0)
        elapsed = time.monotonic() - started
        slowest = max(slowest, (elapsed, name))
    return {
        "files": count,
        "accepted": outcomes["accepted"],
        "refused": outcomes["refused"],
        "crashed": outcomes["crashed"],
        "hung": outcomes["hung"],
        "slowest_file": {"name": slowest[1], "seconds": round(slowest[0], 2)},
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "problems": problems[:50],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    report = run(args.count, args.seed)
    print(json.dumps(report, indent=2))
    return 1 if report["crashed"] or report["hung"] else 0


if __name__ == "__main__":
    sys.exit(main())
