"""Hostile files of the kinds a reliability probe sent through every upload path, generated afresh
from a seed: small files that inflate to tens of megabytes of text, markup that hangs or trips a
parser, Word tables that explode, images Word refuses, JSON that breaks a parser, text no document
can hold, and crafted backup archives. Used by the fuzz run (tests/fuzz.py) and the unit tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
import zlib
from pathlib import Path

from PIL import Image

W_BODY = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>{}</w:body></w:document>"
)
RULE_SET = Path(__file__).resolve().parents[1] / "reviews" / "rule_sets" / "HO-2016.json"


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_body(xml: str) -> bytes:
    return zipped({"word/document.xml": W_BODY.format(xml).encode()})


# ---- text that inflates: refused in words within seconds, memory bounded


def pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (a deflated content stream)."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_text_bomb(rng: random.Random) -> bytes:
    """About 100 KB that inflates to 30-70 MB of text on one page."""
    repeats = rng.randint(2_000_000, 5_000_000)
    return pdf_with_content(b"BT /F1 12 Tf 72 700 Td (" + b"risk learning " * repeats + b") Tj ET")


def docx_many_paragraphs(rng: random.Random, count: int = 200_000) -> bytes:
    """A .docx of ``count`` paragraphs of repeated text: about 150 KB, 40 MB of text."""
    text = ("risk assessment learning " * 10)[: rng.randint(150, 220)]
    return docx_body(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * count)


def one_line(rng: random.Random) -> bytes:
    """8-48 MB of words on a single line."""
    return b"word " * rng.randint(1_600_000, 9_600_000)


def hashes(rng: random.Random) -> bytes:
    """5-48 MB of "#": one word the tokenizer makes one piece per character of."""
    return b"#" * rng.randint(5_000_000, 48_000_000)


# ---- markup that hangs or trips Python's HTML parser


def html_unclosed_comment(rng: random.Random) -> bytes:
    return b"<p>risk learning for the review panel</p><!-- never closed " + b"x <p>y</p> " * rng.randint(10**5, 10**6)


def html_junk_attributes(rng: random.Random) -> bytes:
    """6 MB of "<a b='" (Python's HTMLParser rescans it on every feed: hours)."""
    return b"<a b='" * rng.randint(500_000, 1_000_000)


def html_marked_section(rng: random.Random) -> bytes:
    """"<![foo[" raised AssertionError in Python's HTMLParser."""
    words = " ".join(["risk", "learning", "agency", "panel"] * rng.randint(10, 200))
    return f"<html><body><p>{words}</p><![{rng.choice(['foo', 'x', 'CDATAX'])}[ {words}</body></html>".encode()


# ---- Word tables that hang the plan import or take gigabytes


def _tc(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


PLAN_HEADER = ["Ref", "Recommendation", "Action", "Lead agency", "Target date"]


def docx_merged_rows(rng: random.Random, rows: int = 5000) -> bytes:
    """A plan table whose recommendation cell is merged down ``rows`` rows (python-docx: a hang)."""
    header = "<w:tr>" + "".join(_tc(h) for h in PLAN_HEADER) + "</w:tr>"
    first = "<w:tr>" + _tc("1") + _tc("Train staff", '<w:vMerge w:val="restart"/>') + _tc("a0")
    first += _tc("Police") + _tc("March 2027") + "</w:tr>"
    rest = "".join(
        "<w:tr>" + _tc("1") + _tc("", "<w:vMerge/>") + _tc(f"a{i}") + _tc("Police") + _tc("March 2027") + "</w:tr>"
        for i in range(1, rows + rng.randint(0, 50))
    )
    return docx_body("<w:tbl>" + header + first + rest + "</w:tbl>")


def docx_wide_span(rng: random.Random) -> bytes:
    """A table cell spanning 2^31 columns (python-docx built a list that long: 1.9 GB)."""
    span = rng.choice(["2147483648", "2147483647", "99999999999999", "-5", "x"])
    header = "<w:tr>" + "".join(_tc(h) for h in PLAN_HEADER) + "</w:tr>"
    row = "<w:tr>" + _tc("1", f'<w:gridSpan w:val="{span}"/>') + "</w:tr>"
    return docx_body("<w:tbl>" + header + row + "</w:tbl>")


# ---- logos Pillow reads and Word refuses


def _image(mode: str, colour, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (40, 20), colour).save(buffer, **save)
    return buffer.getvalue()


def cmyk_jpeg(rng: random.Random) -> bytes:
    return _image("CMYK", tuple(rng.randrange(256) for _ in range(4)), format="JPEG")


def png_one_pixel_per_metre(rng: random.Random) -> bytes:
    return _image("RGB", tuple(rng.randrange(256) for _ in range(3)), format="PNG", dpi=(0.0254, 0.0254))


def png_bad_end_checksum(rng: random.Random) -> bytes:
    data = _image("RGB", tuple(rng.randrange(256) for _ in range(3)), format="PNG")
    return data[:-4] + rng.randbytes(4)


# ---- JSON that breaks a parser, and documents too big to hold


def json_deep(rng: random.Random) -> bytes:
    depth = rng.choice([2_000, 100_000])
    return b"[" * depth + b"]" * depth


def json_long_number(rng: random.Random) -> bytes:
    return b'{"name": "X", "version": ' + b"9" * rng.randint(4_400, 6_000) + b"}"


def with_bom(data: bytes) -> bytes:
    """What Windows Notepad saves: a UTF-8 byte-order mark, then the text."""
    return b"\xef\xbb\xbf" + data


def rule_set(rng: random.Random, *, controls: bool = False, deadlines: int | None = None) -> dict:
    """The bundled rule set under a new version; ``controls`` puts control characters and U+FFFE in its
    labels; ``deadlines`` repeats its deadlines that many times (keys made unique)."""
    document = json.loads(RULE_SET.read_text(encoding="utf-8"))
    document["version"] = f"fuzz-{rng.randrange(10**9)}"
    if controls:
        for deadline in document["deadlines"]:
            deadline["label"] = "\x01" + deadline["label"] + "\x0b\ufffe\x1f"
        document["title"] += "\x07"
    if deadlines:
        base = document["deadlines"]
        document["deadlines"] = [{**base[i % len(base)], "key": f"k{i}"} for i in range(deadlines)]
    return document


def vocabulary(rng: random.Random, themes: int, seeds: int = 2) -> dict:
    return {
        "themes": [
            {
                "key": f"fuzz_{rng.randrange(10**6)}_{i}",
                "label": f"Theme {i}\x02",
                "group": "circumstances",
                "description": "A theme added by the fuzz run\ufffe.",
                "seeds": [f"seed {j}" for j in range(seeds)],
            }
            for i in range(themes)
        ]
    }


# ---- text no Word or Excel file can hold, entering through an import


NONCHARACTERS = ["\ufffe", "\uffff", "\x0b", "\x1f"]


def plan_csv_with_noncharacters(rng: random.Random) -> bytes:
    """A plan as CSV whose cells carry U+FFFE and U+FFFF (valid UTF-8, so the file reads as text)."""
    bad = lambda: rng.choice(NONCHARACTERS[:2])  # noqa: E731
    rows = [",".join(PLAN_HEADER)]
    for i in range(1, rng.randint(2, 6)):
        rows.append(f"{i},Train staff{bad()} on risk {i},Deliver{bad()} training {i},Police,March 2027")
    return ("\n".join(rows) + "\n").encode("utf-8")


def transfer_with_surrogates(rng: random.Random, document: dict, reference: str) -> bytes:
    """A register transfer (reviews export) of one review whose text carries lone surrogates and
    noncharacters as JSON escapes ("\\ud800"), which json.loads turns into strings no export can hold."""
    review = json.loads(json.dumps(document["reviews"][0]))
    review["reference"] = reference
    review["pseudonym"] = "Ivy" + rng.choice(["\ud800", "\udfff", "\ufffe", "\uffff"])
    review["notes"] = "Notes" + rng.choice(["\ud83d", "\ufffe"]) + " end"
    return json.dumps({**document, "reviews": [review]}).encode("ascii")


# ---- backup archives crafted to break a restore


def restore_archives(rng: random.Random, good: bytes) -> list[tuple[str, bytes]]:
    """Variants of a real backup archive ``good``: a deflate bomb under a small declared size, lying
    manifests, paths out of the data directory, a database that is not one, nested JSON."""
    source = zipfile.ZipFile(io.BytesIO(good))
    members = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(members["manifest.json"])

    def archive(manifest_doc, extra: dict[str, bytes] | None = None, drop: str | None = None) -> bytes:
        parts = {k: v for k, v in members.items() if k != drop}
        parts["manifest.json"] = manifest_doc if isinstance(manifest_doc, bytes) else json.dumps(manifest_doc).encode()
        return zipped(parts | (extra or {}))

    bomb_size = rng.randint(200, 400) * 1024 * 1024
    bomb = {**manifest, "files": {**manifest["files"], "originals/aa/bomb": {"sha256": "0" * 64, "bytes": 10}}}
    escape = {**manifest, "files": {**manifest["files"], "../../escaped.txt": {"sha256": "0" * 64, "bytes": 1}}}
    absolute = {**manifest, "files": {**manifest["files"], "/tmp/escaped.txt": {"sha256": "0" * 64, "bytes": 1}}}
    nul = {**manifest, "files": {**manifest["files"], "a\u0000b": {"sha256": "0" * 64, "bytes": 1}}}
    folder = {
        **manifest,
        "files": {
            **manifest["files"],
            "originals/x": {"sha256": "0" * 64, "bytes": 1},
            "originals/x/y": {"sha256": "0" * 64, "bytes": 1},
        },
    }
    short = {**manifest, "files": {**manifest["files"], "dhr.sqlite": {**manifest["files"]["dhr.sqlite"], "bytes": 10}}}
    not_a_database = rng.randbytes(4096)
    garbage_db = {
        **manifest,
        "files": {
            **manifest["files"],
            "dhr.sqlite": {"sha256": hashlib.sha256(not_a_database).hexdigest(), "bytes": len(not_a_database)},
        },
    }
    return [
        ("bomb.zip", archive(bomb, {"originals/aa/bomb": b"\0" * bomb_size})),
        ("escape.zip", archive(escape, {"../../escaped.txt": b"x"})),
        ("absolute.zip", archive(absolute, {"/tmp/escaped.txt": b"x"})),
        ("nul-name.zip", archive(nul)),
        ("file-and-folder.zip", archive(folder, {"originals/x": b"x", "originals/x/y": b"y"})),
        ("manifest-list.zip", archive([1, 2, 3])),
        ("manifest-deep.zip", archive(json_deep(rng))),
        ("manifest-number.zip", archive(json_long_number(rng))),
        ("entry-shape.zip", archive({**manifest, "files": {"dhr.sqlite": "yes"}})),
        ("size-lies.zip", archive(short)),
        ("not-a-database.zip", archive(garbage_db, {"dhr.sqlite": not_a_database})),
        ("no-database.zip", archive(manifest, drop="dhr.sqlite")),
        ("random.zip", rng.randbytes(rng.randint(1, 5000))),
    ]
