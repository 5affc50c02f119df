"""Highlighting a hit and naming the question's words it uses: the same output as reading every word of the
text one by one, on real passages (the DHR fragments and the seed strategies), with the cheaper reading
(patterns compiled once, the question's stems read once per question, each different word looked up once)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexing.chunking import chunk
from indexing.extract import extract
from indexing.search import content_terms, highlight, shared_words, stem

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLE = ("dhr/12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt",
          "dhr/18_homeoffice-key-findings-dhr-analysis-2021-22.txt",
          "dhr/31_huntingdonshire-sally-overview-report.txt",
          "seeds/000_87bd0b3d0c5aac01.txt")  # fmt: skip
QUESTIONS = (
    "risk assessment of coercive control",
    "mental health services and suicide",
    "Were the children's social workers told?",
    "information sharing between agencies",
    "training for GPs on domestic abuse",
    "housing needs of older victims",
    "MARAC referrals after the DASH",
    "the and of",  # stop words only: nothing to mark
    "self-harm, alcohol & drugs: [urgent] *review*",
)


def word_by_word_highlight(text: str, query: str) -> str:
    """Every word of the text stemmed where it stands: what highlight must give, however it reads the text."""
    stems = {stem(term) for term in content_terms(query)}
    if not stems:
        return text
    escaped = re.sub(r"([*_`\[\]#<>$\\])", r"\\\1", text)
    return re.sub(
        r"[A-Za-z][A-Za-z'’-]*",
        lambda match: f"**{match[0]}**" if stem(match[0].lower()) in stems else match[0],
        escaped,
    )


def word_by_word_shared(text: str, query: str) -> list[str]:
    wanted = {stem(term): term for term in content_terms(query)}
    found = {stem(word.lower()) for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text)}
    return [term for key, term in wanted.items() if key in found]


@pytest.fixture(scope="module")
def passages() -> list[str]:
    found = []
    for name in SAMPLE:
        path = CORPUS / name
        found += [c.text for c in chunk(extract(path.read_bytes(), path.name))]
    assert len(found) > 40
    return found


@pytest.mark.parametrize("query", QUESTIONS)
def test_highlight_and_shared_words_read_real_passages_as_word_by_word_reading_does(passages, query):
    marked = 0
    for text in passages:
        assert highlight(text, query) == word_by_word_highlight(text, query)
        assert shared_words(text, query) == word_by_word_shared(text, query)
        marked += "**" in highlight(text, query)
    assert marked or query == "the and of"  # the sample has passages these questions' words are in


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("Abuse and abusive *behaviour*", "abuse", "**Abuse** and **abusive** \\*behaviour\\*"),
        ("a (risk) of re-abuse", "risk abuse", "a (**risk**) of re-abuse"),  # a hyphenated word is one word
        (
            "the victim's GP; Victims and victim support",
            "victims",
            "the victim's GP; **Victims** and **victim** support",
        ),
        ("Kelvin [K] İstanbul", "kelvin", "**Kelvin** \\[K\\] İstanbul"),
        ("no <b>word</b> here", "the", "no <b>word</b> here"),  # nothing asked: the text as it is
        ("no <b>word</b> here", "abuse", "no \\<b\\>word\\</b\\> here"),
    ],
)
def test_highlight_marks_whole_words_sharing_a_stem_and_escapes_markdown(text, query, expected):
    assert highlight(text, query) == expected


def test_the_words_that_tell_a_question_s_story_are_not_marked_as_its_terms():
    query = "what did he do when his team lost and he got drunk"
    text = "He got drunk that night and his team lost; he said that he had lost his job."
    assert highlight(text, query) == (
        "He got **drunk** that night and his **team** **lost**; he said that he had **lost** his job."
    )
    assert shared_words(text, query) == ["team", "lost", "drunk"]


def test_shared_words_name_the_question_s_words_it_uses_in_its_order():
    text = "Agencies shared information; the sharing of risk was late. Risk!"
    assert shared_words(text, "risk of information sharing by police") == ["risk", "information", "sharing"]
    assert shared_words(text, "her about") == []  # stop words are never why a passage matched
