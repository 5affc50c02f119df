"""What a regular expression cannot match without: strings one of which every match contains.

A text that holds none of them cannot match, so a substring test (a scan in C) spares the search itself,
which for a pattern that opens with ``\\b`` or a class has no literal prefix to skip ahead with and is
tried at every position of the text. Worked out from the standard library's own parse of the pattern:
exact where the pattern is (runs of literals, small alternations and classes, optional parts), and no
requirement at all where it is not (open classes, repeats that may match nothing, a back-reference, a
case-insensitive part), so filtering with them never changes what a pattern finds. Many strings are then
replaced by a few parts they share (" own life" for "took his own life", "taking her own life", ...): each
costs a scan of the text, and a text that holds none of the parts holds none of the strings. ``Caseless``
searches a pattern so: the theme tagger's patterns over every passage, the known lessons' over every recommendation.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from re import _constants as sre  # the parse's operation codes, as re's own compiler reads them
from re import _parser

MOST = 64  # strings an exact set may hold before it is given up (a product of small alternations grows fast)
RANGE = 16  # characters of a class's range spelt out one by one ([7-9]); a wider range is no literal
PART = 6  # the fewest characters of a shared part (fewer where a string itself is shorter): a shorter part is in
# more texts, and each text that holds it is searched
LONGEST = 12  # characters a shared part may have beyond PART (a longer part is rarely shared)

Found = frozenset[str] | None


def required(pattern: re.Pattern) -> Found:
    """Strings one of which every match of ``pattern`` contains, in the string it searches; None where no
    such set is known (then every text needs the search). Parts the pattern matches ignoring case give no
    strings: a case-insensitive pattern yields them only once written in lower case without IGNORECASE
    and searched over lower-cased text."""
    return _required(pattern.pattern, pattern.flags)


_PIECE = re.compile(r"\\.|[^\\]+")  # an escape (kept as written) or a run of other characters


@dataclass(frozen=True)
class Caseless:
    """A case-insensitive pattern searched the cheaper way where that finds the same: written in lower case
    (escapes such as \\S kept) and without IGNORECASE, over the text's lower-cased copy, which costs Python's
    regex engine about a third less; a pattern with case-sensitive parts or named characters as it is. Either
    is searched only in a text that holds one of the strings every match of it contains (``needs``): most texts
    hold none, and a substring test costs a fraction of the search."""

    pattern: re.Pattern
    on_lower_case: bool
    needs: frozenset[str] | None

    @classmethod
    def of(cls, pattern: re.Pattern) -> Caseless:
        written = pattern.pattern
        if not pattern.flags & re.IGNORECASE or "(?-i" in written or "\\N" in written:
            return cls(pattern, False, required(pattern))
        lower = _PIECE.sub(lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), written)
        caseless = re.compile(lower, pattern.flags & ~re.IGNORECASE)
        return cls(caseless, True, required(caseless))

    def search(self, text: str, lowered: str) -> re.Match | None:
        """The first match in ``text`` (``lowered``: its lower-cased copy, which the match is then of), or None."""
        searched = lowered if self.on_lower_case else text
        if self.needs is None:
            return self.pattern.search(searched)
        for need in self.needs:  # a loop, not any() over a generator: this runs for every text and pattern
            if need in searched:
                return self.pattern.search(searched)
        return None


@functools.lru_cache(maxsize=1024)  # a vocabulary's patterns are the same for every tagger a process builds
def _required(written: str, flags: int) -> Found:
    parsed = _parser.parse(written, flags)
    need = _sequence(parsed, bool(parsed.state.flags & re.IGNORECASE))[1]
    return None if need is None else _parts(need)


def _parts(strings: frozenset[str]) -> frozenset[str]:
    """A few parts of ``strings`` that together lie in each of them, the one shared most (then the longest)
    first."""
    least = min(PART, *map(len, strings))
    left, chosen = set(strings), set()
    while left:
        counts = Counter(
            part
            for s in left
            for part in {
                s[i : i + n] for n in range(least, min(len(s), least + LONGEST) + 1) for i in range(len(s) - n + 1)
            }
        )
        best = max(counts, key=lambda part: (counts[part], len(part), part))  # the same on every run
        chosen.add(best)
        left = {s for s in left if best not in s}
    return frozenset(chosen)


def _sequence(items, folded: bool) -> tuple[Found, Found]:
    """(exact, need) of items matched one after another: every string the items can match, where few;
    and the strings one of which every match holds, the best of those any part of the sequence gives."""
    run, whole, needs = frozenset({""}), True, []
    for op, av in items:
        exact, need = _node(op, av, folded)
        if need:
            needs.append(need)
        if exact is not None and len(run) * len(exact) <= MOST:
            run = frozenset(a + b for a in run for b in exact)
            continue
        whole = False
        needs.append(run)
        run = exact if exact is not None else frozenset({""})
    needs.append(run)
    usable = [n for n in needs if "" not in n]
    best = max(usable, key=lambda n: (min(map(len, n)), -len(n))) if usable else None
    return (run if whole else None), _shortest(best)


def _shortest(need: Found) -> Found:
    """The set without strings that hold another of it: where "cases" is absent, "half of cases" is too."""
    if need is None:
        return None
    return frozenset(s for s in need if not any(o != s and o in s for o in need))


def _node(op, av, folded: bool) -> tuple[Found, Found]:
    if op == sre.LITERAL:
        return (None, None) if folded else (frozenset({chr(av)}), frozenset({chr(av)}))
    if op == sre.IN:
        return _class(av, folded)
    if op == sre.AT:
        return frozenset({""}), None
    if op == sre.ASSERT:  # what a lookaround finds lies in the searched string too, though it consumes nothing
        return frozenset({""}), _sequence(av[1], folded)[1]
    if op == sre.ASSERT_NOT:
        return frozenset({""}), None
    if op == sre.SUBPATTERN:
        _, added, removed, items = av
        return _sequence(items, (folded or bool(added & re.IGNORECASE)) and not removed & re.IGNORECASE)
    if op == sre.ATOMIC_GROUP:
        return _sequence(av, folded)
    if op == sre.BRANCH:
        return _branch(av[1], folded)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _repeat(*av, folded)
    return None, None  # any character, a class by category, a back-reference, a conditional group


def _class(items, folded: bool) -> tuple[Found, Found]:
    chars: set[str] = set()
    for op, av in items:
        if op == sre.LITERAL:
            chars.add(chr(av))
        elif op == sre.RANGE and av[1] - av[0] < RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:  # a negated class, a category (\d, \w) or a wide range
            return None, None
    return (None, None) if folded or not chars else (frozenset(chars), frozenset(chars))


def _branch(alternatives, folded: bool) -> tuple[Found, Found]:
    found = [_sequence(a, folded) for a in alternatives]
    exacts = [e for e, _ in found]
    exact = frozenset().union(*exacts) if None not in exacts else None
    needs = [n for _, n in found]
    return (exact if exact is not None and len(exact) <= MOST else None), (
        _shortest(frozenset().union(*needs)) if None not in needs else None
    )


def _repeat(least: int, most: int, items, folded: bool) -> tuple[Found, Found]:
    exact, need = _sequence(items, folded)
    if least == 0:
        return (exact | {""} if exact is not None and most == 1 else None), None
    if exact is not None and least == most and len(exact) ** least <= MOST:
        product = frozenset({""})
        for _ in range(least):
            product = frozenset(a + b for a in product for b in exact)
        return product, need
    return None, need
