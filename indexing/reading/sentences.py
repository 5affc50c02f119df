"""Sentences with their offsets, for the facts' evidence.

A regular expression is enough here (and costs microseconds a document): a sentence ends at ., ! or ?
followed by space and a capital, a quote or a digit, except after a title or an initial ("Mrs.",
"Dr.", "J."); a blank line before a capital, a table row and a bullet end one too. Text from PDFs wraps lines
mid-sentence, so a single newline does not end a sentence (and a word broken after its hyphen, "ex-" /
"partner", is joined whole). A Markdown table's separator row ("|---|:---:|") is
no part of any sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset("mr mrs ms miss dr prof st no nos para paras e.g i.e etc cf vs approx".split())
_END = re.compile(
    r"[.!?][\"'”’)]*\s+(?=[A-Z“\"‘'(\d])|\n\s*\n(?=\s*[A-Z\d“\"‘'(|•\-–*])|\n(?=\s*(?:[|•\-–*]|\d+[.)]\s))|\s+(?=\d+\.\d+\s+[A-Z])"
)

# a Markdown table's separator row: cells of three or more dashes (aligned with colons) between pipes
_TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?$", re.MULTILINE)


_BROKEN_AFTER_HYPHEN = re.compile(r"(?<=[A-Za-z])-[ \t]*\n\s*(?=[a-z])")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def without_table_rules(text: str) -> str:
    """The text with each table separator row blanked out (spaces: every offset stays where it was)."""
    return _TABLE_RULE.sub(lambda rule: " " * len(rule.group()), text)


def sentences(text: str) -> list[Sentence]:
    text = without_table_rules(text)
    found: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if text[match.start()] == ".":
            word = re.search(r"(\S*)$", text[start : match.start()]).group(1).lower().lstrip("(“\"'‘")
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _add(found, text, start, match.start() + (1 if text[match.start()] in ".!?" else 0))
        start = match.end()
    _add(found, text, start, len(text))
    return found


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped[0])
        joined = _BROKEN_AFTER_HYPHEN.sub("-", stripped)  # a PDF's "ex-" / "partner" is one word
        found.append(Sentence(" ".join(joined.split()), offset, offset + len(stripped)))
