"""Split extracted text into passages sized for the embedding model, keeping provenance.

all-MiniLM-L6-v2 truncates at 256 word pieces, so passages aim at ``TARGET_WORDS`` words
(at most ``MAX_WORDS``) with ``OVERLAP_WORDS`` words repeated between neighbours. A passage
never crosses a known section heading; each keeps its page, nearest heading and character
offsets into the extracted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexing.extract import Extracted

TARGET_WORDS = 160
MAX_WORDS = 200
MIN_WORDS = 120
OVERLAP_WORDS = 30
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    text: str
    page: int | None
    heading: str
    char_start: int
    char_end: int


def _sections(extracted: Extracted) -> list[tuple[int, int, str]]:
    """(start, end, heading) spans: text before the first heading, then one per heading."""
    starts = [(0, "")] + [(offset, heading) for offset, heading in extracted.headings if offset > 0]
    if extracted.headings and extracted.headings[0][0] == 0:
        starts[0] = (0, extracted.headings[0][1])
    ends = [offset for offset, _ in starts[1:]] + [len(extracted.text)]
    return [(start, end, heading) for (start, heading), end in zip(starts, ends, strict=True)]


def _windows(count: int) -> list[tuple[int, int]]:
    """Word-index windows over ``count`` words: about TARGET_WORDS each, overlapping, the tail merged."""
    if count <= MAX_WORDS:
        return [(0, count)]
    windows = []
    start = 0
    while start < count:
        end = min(start + TARGET_WORDS, count)
        if count - end < MIN_WORDS - OVERLAP_WORDS and count - start <= MAX_WORDS:
            end = count  # a short tail joins this window rather than standing alone
        windows.append((start, end))
        if end == count:
            break
        start = end - OVERLAP_WORDS
    return windows


def chunk(extracted: Extracted) -> list[Chunk]:
    chunks: list[Chunk] = []
    for start, end, heading in _sections(extracted):
        words = [m for m in WORD.finditer(extracted.text, start, end)]
        if not words:
            continue
        for first, last in _windows(len(words)):
            char_start, char_end = words[first].start(), words[last - 1].end()
            chunks.append(
                Chunk(
                    ordinal=len(chunks),
                    text=extracted.text[char_start:char_end],
                    page=extracted.page_at(char_start),
                    heading=heading,
                    char_start=char_start,
                    char_end=char_end,
                )
            )
    return chunks
