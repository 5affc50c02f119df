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


@lru_cache(maxsize=1)
def _spellings() -> tuple[dict[str, str], re.Pattern]:
    """Every term -> its group's written-out name (the first term, or the second where the first is an
    acronym), and one pattern finding any term, longest first."""
    written = {}
    for group in groups():
        terms = [term for term, _ in group]
        name = terms[1] if terms[0].isupper() and len(terms) > 1 else terms[0]
        written |= {_key(term): name for term in terms}
    terms = sorted({term for group in groups() for term, _ in group}, key=len, reverse=True)
    return written, _whole_words("|".join(_term(term) for term in terms))


def written_out(text: str) -> str:
    """The text with every thesaurus term written as its group's name, in one pass: "IRIS" and
    "identification and referral to improve safety" alike become the latter, "GP" "general practitioner"."""
    written, pattern = _spellings()
    return pattern.sub(lambda m: written.get(_key(m.group(0)), m.group(0)), text)


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
