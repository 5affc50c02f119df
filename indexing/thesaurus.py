"""Domain synonyms as data (vocabularies/thesaurus.json): a question naming a term of a group is
also searched for the group's other terms, so "Clare's Law" finds "Domestic Violence Disclosure
Scheme" and "women's shelter" finds "refuge", by keywords and by meaning alike."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

THESAURUS = Path(__file__).resolve().parent / "vocabularies" / "thesaurus.json"
MAX_EXPANSIONS = 8


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w'’-])" + re.escape(term).replace("'", "['’]?") + r"(?![\w'’-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def groups() -> tuple[tuple[tuple[str, re.Pattern], ...], ...]:
    """Each group's terms with the pattern that finds the term in a question."""
    data = json.loads(THESAURUS.read_text(encoding="utf-8"))
    return tuple(tuple((term, _pattern(term)) for term in group) for group in data["groups"])


def expansions(query: str) -> list[str]:
    """The other terms of every group the query names (at most MAX_EXPANSIONS, none the query already has)."""
    found: list[str] = []
    for group in groups():
        if any(pattern.search(query) for _, pattern in group):
            found += [term for term, pattern in group if not pattern.search(query) and term not in found]
    return found[:MAX_EXPANSIONS]


def used_in(text: str, related: list[str]) -> list[str]:
    """Which of the ``related`` terms the text uses."""
    return [term for term in related if _pattern(term).search(text)]
