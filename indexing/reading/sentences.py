"""Sentences with their offsets, for the facts' evidence.

A regular expression is enough here (and costs microseconds a document): a sentence ends at ., ! or ?
followed by space and a capital, a quote or a digit, except after a title or an initial ("Mrs.",
"Dr.", "J."); a blank line before a capital, a table row and a bullet end one too. Text from PDFs wraps lines
mid-sentence, so a single newline does not end a sentence (and a word broken after its hyphen, "ex-" /
"partner", is joined whole). A Markdown table's separator row ("|---|:---:|") is
no part of any sentence.

A PDF's narrow table column breaks a word too long for it with no hyphen at all ("understandi" / "ng",
"recommendatio" / "n"): ``rejoined`` puts such a word back together, where the two pieces make a word of
everyday English and one of them is none (word frequencies from ``wordfreq``); "the" / "rapist" stay apart.
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


# a line's last word, and after it the next line's first, lower-case, piece (with any stop after it):
# "Recomme" / "ndation", "practitioner" / "s."
_LINE_END_WORD = re.compile(r"(?<![\w'’-])([A-Za-z]{2,}[a-z])([ \t]*\n[ \t]*)(?=([a-z]+[.,;:!?)]*)(?!\S))")
WORD_ZIPF = 3.0  # a word of everyday English: used at least once in a million words (wordfreq's Zipf scale)
PIECE_ZIPF = 2.5  # a piece rarer than this is no word by itself ("understandi" 0, "ation" 2.1, "ity" 2.2)
SHORT_TAIL_ZIPF = 5.0  # nor is a tail of three letters or fewer rarer than this ("ng" 3.9, "ing" 4.0, "ed" 4.8)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def without_table_rules(text: str) -> str:
    """The text with each table separator row blanked out (spaces: every offset stays where it was)."""
    if "---" not in text:  # a row holds three dashes at least: most texts hold no table, and are not searched
        return text
    return _TABLE_RULE.sub(lambda rule: " " * len(rule.group()), text)


def rejoined(text: str) -> str:
    """``text`` with each word a PDF broke without a hyphen at a line's end whole again, every offset where it was
    (the line break moves after the word; a piece that was a whole line leaves spaces, never a blank line)."""
    from wordfreq import zipf_frequency  # imported here: it takes a moment to load; extraction alone needs it

    def no_word(piece: str, short: float = PIECE_ZIPF) -> bool:
        if len(piece) == 1:
            return piece not in "aAI"
        return zipf_frequency(piece, "en") < (short if len(piece) <= 3 else PIECE_ZIPF)

    parts: list[str] = []
    done = 0  # the text up to here is in parts
    for match in _LINE_END_WORD.finditer(text):
        head, gap, tail = match.groups()
        piece = tail.rstrip(".,;:!?)")  # the tail's word, without the stop after it
        if match.start() < done or zipf_frequency(head + piece, "en") < WORD_ZIPF:
            continue
        if not (no_word(head) or no_word(piece, SHORT_TAIL_ZIPF)):
            continue
        end = match.end() + len(tail)
        line_ends = end == len(text) or text[end] == "\n"
        parts += [text[done : match.start()], head + tail, " " * len(gap) if line_ends else "\n" + " " * (len(gap) - 1)]
        done = end
    return "".join(parts) + text[done:] if parts else text


def sentences(text: str) -> list[Sentence]:
    text = without_table_rules(text)
    found: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if text[match.start()] == ".":
            word = _last_word(text, start, match.start()).lower().lstrip("(“\"'‘")
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _add(found, text, start, match.start() + (1 if text[match.start()] in ".!?" else 0))
        start = match.end()
    _add(found, text, start, len(text))
    return found


def _last_word(text: str, start: int, end: int) -> str:
    """The non-space characters that end ``text[start:end]`` (those before its final newline where it ends in one),
    read back from its end: a regex's search for them, ``(\\S*)$``, tries every position of the text before."""
    if end > start and text[end - 1] == "\n":
        end -= 1
    begin = end
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end]


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped[0])
        joined = stripped
        if "-" in stripped and "\n" in stripped:  # what a broken word needs: most sentences are not searched
            joined = _BROKEN_AFTER_HYPHEN.sub("-", stripped)  # a PDF's "ex-" / "partner" is one word
        found.append(Sentence(" ".join(joined.split()), offset, offset + len(stripped)))
