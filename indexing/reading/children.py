"""Whether children lived in the victim's household, as national analyses count it: read only where a
sentence puts children in the home ("their two children, aged 4 and 7, lived with them", "the children were
in the house", "AA was at home with her child", "she knew to keep the children out of his way") or says there were
none ("she had no children", "there were no children in the household"). Sons and daughters count only where their
ages say they were children (a son of 19 living with his parents is not a child in the household), and children who
have grown up and left ("two children, now living independently as adults") say that none lived there. Nothing else
is taken as either answer: a sentence that says both gives nothing.
"""

from __future__ import annotations

import functools
import re

ADULT_AGE = 18
_COUNT = r"(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|young|little|infant|baby|small)\s+)*"
_CHILDREN = r"(?:child|children|baby|babies|infant|infants|toddler|kids|boys?|girls?)"
_OFFSPRING = r"(?:child|children|baby|babies|infant|infants|toddler|kids|sons?|daughters?|stepsons?|stepdaughters?)"
# an age in figures or words ("aged 4 and 7", "a boy of five")
AGE_WORDS = {
    word: n for n, word in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), start=1)
}
_AN_AGE = r"(?:\d{1,2}|" + "|".join(AGE_WORDS) + r")"
_AGES = rf"(?:,?\s*(?:then\s+)?(?:aged|of)\s+(?P<ages>{_AN_AGE}(?:(?:\s*,\s*|\s+and\s+){_AN_AGE})*)(?:\s+years)?,?)?"
_WHOSE = r"(?:(?i:their|her|his|the couple['’]s|the victim['’]s)|[A-Z][A-Za-z]*['’]s)"
_HOME = r"(?:house|home|household|flat|property|address|family home)"

# "their two children lived with them", "she had two children, then aged 9 and 12, who lived with Anna" (the victim)
_LIVED_WITH = (
    rf"\b(?:{_WHOSE}|had|has|have)\s+{_COUNT}(?P<who>{_OFFSPRING})\b{_AGES}\s*(?:who\s+)?(?:both\s+|all\s+)?"
    rf"(?:lived|were living|was living|live|living|resided|were resident)\s+(?:with\s+(?:them|her|him|the couple"
    rf"<victim>)|in\s+the\s+{_HOME}|at\s+the\s+{_HOME})\b"
)
_LIVING_WITH = re.compile(
    rf"\b(?:lived|living|lives|resided)\s+with\s+(?i:her|his|their)\s+{_COUNT}(?P<who>{_OFFSPRING})\b{_AGES}"
)
_NUMBER = r"(?:one|two|three|four|five|six|\d+)"
_PRESENT = re.compile(
    rf"\b(?:(?:the|their|her|his)\s+|{_NUMBER}\s+){_COUNT}(?P<who>{_CHILDREN})\b{_AGES}\s+(?:was|were)\s+"
    rf"(?:(?:also\s+)?(?:in|at)\s+(?:the|their|her|his)\s+{_HOME}|present|at\s+home)\b",
    re.IGNORECASE,
)
_AT_HOME_WITH = re.compile(
    rf"\b(?:at\s+home|in\s+the\s+{_HOME})\b[^.;]{{0,40}}?\bwith\s+(?:her|his|their)\s+{_COUNT}(?P<who>{_CHILDREN})\b"
)
_IN_HOUSEHOLD = re.compile(
    rf"\b(?:there\s+(?:was|were)\s+|(?:a|one|two|three|four|five|\d+)\s+){_COUNT}(?P<who>{_CHILDREN})\b{_AGES}\s+"
    rf"(?:(?:who\s+)?(?:living|lived|was\s+living|were\s+living)\s+)?(?:in|at)\s+the\s+{_HOME}\b",
    re.IGNORECASE,
)
# the victim keeping the children from the perpetrator at home: "she knew to keep the children out of his way", "she
# kept her two children upstairs when he had been drinking"
_KEPT_FROM = re.compile(
    rf"\b(?:keep|kept|keeping)\s+(?:the|her|their|his)\s+{_COUNT}(?P<who>{_CHILDREN})\b{_AGES}\s+"
    r"(?:out\s+of\s+(?:his|her)\s+way|upstairs|quiet)\b",
    re.IGNORECASE,
)
_NONE = (
    r"\b(?:had|have|has)\s+no\s+(?:children|child)\b(?!\s+(?:together|of\s+(?:their|his|her)\s+own))"
    rf"|\bno\s+(?:children|child)\s+(?:were\s+|was\s+)?(?:lived\s+|living\s+|resident\s+)?(?:(?:in|at|with)\s+"
    rf"(?:the\s+{_HOME}|them|her|him)|present|at\s+home)\b"
    r"|\b(?:childless|no dependent children)\b"
)
_GROWN = (  # from the word for the children on, in any case: a word before it ("their two adult ...") changes nothing
    rf"\b{_OFFSPRING}\b[^.;]{{0,30}}?\b(?:now\s+)?(?:living\s+independently|had\s+(?:all\s+)?left\s+home|grown\s+up)\b"
)
NO_CHILDREN = re.compile(rf"{_NONE}|{_GROWN}", re.IGNORECASE)
"""A sentence that says no children lived in the household: there were none ("she had no children", "no children
lived at the address", "childless") or they had grown up and left ("two children, now living independently as
adults"). The vocabulary's rule that such a sentence names no children (``"reads": "no_children"``) is this."""


def children_in_household(sentence: str, victim: frozenset[str] = frozenset()) -> bool | None:
    """True, False, or None (the sentence does not say, or says both). ``victim``: the victim's names, with
    whom children may be said to live."""
    patterns = (_lived_with(victim), *_PRESENT_PATTERNS)
    present = any(_children(match) for pattern in patterns for match in pattern.finditer(sentence))
    absent = bool(NO_CHILDREN.search(sentence))
    if present == absent:
        return None
    return present


_PRESENT_PATTERNS = (_LIVING_WITH, _PRESENT, _AT_HOME_WITH, _IN_HOUSEHOLD, _KEPT_FROM)


@functools.lru_cache(maxsize=256)
def _lived_with(victim: frozenset[str]) -> re.Pattern:
    """_LIVED_WITH with the victim's names among those the children lived with: compiled once per case."""
    names = "".join(f"|{re.escape(name)}" for name in sorted(victim, key=len, reverse=True))
    return re.compile(_LIVED_WITH.replace("<victim>", names))


def _children(match: re.Match) -> bool:
    """Whether the people a match names were children: any age given under 18; with no age, only a word that
    means a child (a son or a daughter may be grown up)."""
    ages = match.groupdict().get("ages")
    if ages:
        return any((AGE_WORDS.get(age) or int(age)) < ADULT_AGE for age in re.findall(_AN_AGE, ages))
    return re.fullmatch(_CHILDREN, match.group("who").lower()) is not None
