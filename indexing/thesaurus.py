"""Domain synonyms as data (vocabularies/thesaurus.json): a question naming a term of a group is
also searched for the group's other terms, so "Clare's Law" finds "Domestic Violence Disclosure
Scheme" and "women's shelter" finds "refuge", by keywords and by meaning alike.

Its ``groups`` are terms of practice, one name for one thing: a text's terms are also written out as their
group's name (``written_out``). Its ``everyday`` groups are general words a question uses for what reports
say in other words ("teenagers" for "young people", "kids" for "children"): near enough to search with,
not the same thing, so they only widen a question and never rewrite a text."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

THESAURUS = Path(__file__).resolve().parent / "vocabularies" / "thesaurus.json"
MAX_EXPANSIONS = 8
PLURAL = r"(?:e?s|['’]s)?"


def _term(term: str) -> str:
    """A term as a regular expression: any case, with or without its apostrophe."""
    return re.escape(term).replace("'", "['’]?")


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern:
    """Where a question or passage uses the term, in the plural or possessive too ("GPs", "refuges",
    "suicides", "the GP's", "routine enquiries")."""
    expression = _term(term)
    if term.endswith("y"):
        expression = expression[:-1] + "(?:y|ies)"
    return _whole_words(expression + PLURAL)


def _whole_words(expression: str) -> re.Pattern:
    return re.compile(r"(?<![\w'’-])(?:" + expression + r")(?![\w'’-])", re.IGNORECASE)


def _key(term: str) -> str:
    return re.sub("['’]", "", term.lower())


@lru_cache(maxsize=2)
def groups(kind: str = "groups") -> tuple[tuple[tuple[str, re.Pattern], ...], ...]:
    """Each group's terms with the pattern that finds the term in a question: the terms of practice
    (``groups``) or the everyday words (``everyday``)."""
    data = json.loads(THESAURUS.read_text(encoding="utf-8"))
    return tuple(tuple((term, _pattern(term)) for term in group) for group in data.get(kind, []))


def _around(term: str, name: str) -> tuple[str, str]:
    """The words of its group's name before and after a term that the name holds ("National" and "Service" for
    "probation" in "National Probation Service"; none for a term the name does not hold)."""
    at = name.lower().find(term.lower())
    if at < 0:
        return "", ""
    return name[:at].strip(), name[at + len(term) :].strip()


def _in_name(term: str, name: str) -> str:
    """A term as a regular expression that also takes in the words its group's name has around it where the
    text has them too ("Probation Service", "national probation"), so that writing it out as the name never
    doubles them ("National Probation Service Service")."""
    before, after = _around(term, name)
    leading = f"(?:{_term(before)} )?" if before else ""
    trailing = f"(?: {_term(after)}{PLURAL})?" if after else ""
    return leading + _term(term) + trailing


@lru_cache(maxsize=1)
def _spellings() -> tuple[dict[str, str], re.Pattern]:
    """Every term (alone or with the words of its group's name around it) -> its group's written-out name (the
    first term, or the second where the first is an acronym), and one pattern finding any term, longest first."""
    written, expressions = {}, {}
    for group in groups():
        terms = [term for term, _ in group]
        name = terms[1] if terms[0].isupper() and len(terms) > 1 else terms[0]
        for term in terms:
            before, after = _around(term, name)
            spellings = {term, f"{before} {term}", f"{term} {after}", f"{before} {term} {after}"}
            written |= {_key(spelling.strip()): name for spelling in spellings}
            expressions.setdefault(term, _in_name(term, name))
    ordered = sorted(expressions, key=len, reverse=True)
    return written, _whole_words("|".join(expressions[term] for term in ordered))


def written_out(text: str) -> str:
    """The text with every thesaurus term written as its group's name, in one pass: "IRIS" and
    "identification and referral to improve safety" alike become the latter, "GP" "general practitioner"."""
    written, pattern = _spellings()

    def name(match: re.Match) -> str:
        key = _key(match.group(0))  # a term with its name's words may be plural or possessive: "Probation Service's"
        return written.get(key) or written.get(key.removesuffix("s"), match.group(0))

    return pattern.sub(name, text)


def expansions(query: str) -> list[str]:
    """The other terms of every group the query names, terms of practice first, then everyday words (at most
    MAX_EXPANSIONS, none the query already has)."""
    found: list[str] = []
    for group in groups() + groups("everyday"):
        if any(pattern.search(query) for _, pattern in group):
            found += [term for term, pattern in group if not pattern.search(query) and term not in found]
    return found[:MAX_EXPANSIONS]


def used_in(text: str, related: list[str]) -> list[str]:
    """Which of the ``related`` terms the text uses."""
    return [term for term in related if _pattern(term).search(text)]
