"""The strings a regular expression cannot match without (indexing/literals.py), which spare the theme
matcher its searches: right where they are known, none where they are not, and never one a match lacks."""

from __future__ import annotations

import re

import pytest

from indexing.literals import required
from indexing.tagger import LexicalMatcher
from indexing.themes import bundled_themes


@pytest.mark.parametrize(
    ("pattern", "flags", "needs"),
    [
        (r"\bcaring for\b", 0, {"caring for"}),
        (r"\b(?:he|she) took (?:his|her) own life\b", 0, {"he took h"}),  # a part all four strings share
        (r"\bhands?\b[^.]{0,30}\b(?:the|her) (?:neck|throat)\b", 0, {"the neck", "her neck", " throat"}),
        (r"\bhands?\b[^.]{0,30}\b(?:neck|throat)\b", 0, {"hand"}),  # as short: the one of fewer strings
        (r"\baged (?:6\d|[7-9]\d)\b", 0, {"aged "}),  # a class by category ends a run of literals
        (r"\b(?:known to)\b(?=[^.!?\n]*\bservices\b)", 0, {"services"}),  # what a lookahead needs is needed too
        (r"(?-i:Refuge\b)", re.IGNORECASE, {"Refuge"}),  # a case-sensitive part of a caseless pattern
        (r"\b(?:DHRs?|reviews) aim\b", 0, {"DHR aim", "DHRs aim", "reviews aim"}),
        (r"[^a]bc|x", 0, {"bc", "x"}),  # one alternative needs "bc", the other "x": either
    ],
)
def test_the_strings_a_pattern_needs(pattern, flags, needs):
    assert required(re.compile(pattern, flags)) == needs


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"caring for", re.IGNORECASE),  # matched ignoring case: no literal is sure in the text as it stands
        (r"\d+%?", 0),  # only classes
        (r"(?:abuse)?\w+", 0),  # an optional part and a class
        (r"(?!abuse)\w+", 0),  # what a negative lookahead names is no need
    ],
)
def test_no_strings_where_none_is_sure(pattern, flags):
    assert required(re.compile(pattern, flags)) is None


def test_every_match_of_every_vocabulary_pattern_holds_a_string_it_needs():
    """Each of the vocabulary's patterns and sentence rules, over texts that match them, finds a needed string
    in every text it matches: the filter spares searches, never a match."""
    matcher = LexicalMatcher(list(bundled_themes()))
    texts = [
        "She was aged 71 when he killed her.",
        "Mrs J, a woman in her late 70s, was killed by her son, who then took his own life.",
        "His ex-wife stabbed him. He had contacted the police and made 999 calls.",
        "The victims' ages ranged from 17 to 91. Research by Refuge shows 60% of victims were known to services.",
        "Their daughter, aged 9, lived with them; she was caring for her mother. Bates et al found this.",
        "DHRs are not inquiries into how the victim died. The court heard he was sentenced to life.",
        "MARAC Multi-Agency Risk Assessment Conference\nIDVA Independent Domestic Violence Advisor",
        "He put pressure on her neck. The family chose the pseudonym Ann. Emotional and financial abuse.",
    ]
    searched = [c for c, _ in matcher.patterns] + [c for _, c, _, _ in matcher.sentence_rules]
    assert all(c.needs for c in searched if c.on_lower_case)  # every caseless pattern is filtered
    matched = 0
    for caseless in searched:
        for text in texts:
            seen = text.lower() if caseless.on_lower_case else text
            if caseless.pattern.search(seen):
                matched += 1
                assert caseless.needs is None or any(n in seen for n in caseless.needs), caseless.pattern.pattern
                assert caseless.search(text, text.lower())
    assert matched >= 20
