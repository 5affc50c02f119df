"""The thesaurus on the words coordinators search with: plurals and possessives of a term count as the
term, and the everyday phrasings of what published reviews call by a term of art find that term."""

from pathlib import Path

import pytest

from core.accounts import Viewer
from indexing.library import Library
from indexing.search import search
from indexing.thesaurus import expansions, used_in, written_out

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what share of the reviews were about suicides", "took their own life"),
        ("GPs who saw her in the last year", "general practitioner"),
        ("notes in the GP's records", "family doctor"),
        ("how many refuges are there", "women's shelter"),
    ],
)
def test_a_plural_or_possessive_of_a_term_is_the_term(question, expected):
    assert expected in expansions(question)


def test_a_passage_using_a_synonym_in_the_plural_says_so():
    assert used_in("Both refuges were full that winter.", ["refuge", "safe house"]) == ["refuge"]


@pytest.mark.parametrize(
    ("question", "term_of_art"),
    [
        ("cases where the GP never asked about abuse", "routine enquiry"),
        ("relatives translating for her at appointments", "interpreter"),
        ("how old are people killed by a relative", "familial"),
        ("a case where the killer was himself a policeman", "police officer"),
        ("community service staff should write down what he said", "unpaid work"),
        ("criminal records from abroad", "previous convictions"),
        ("did the killer go to prison", "imprisonment"),
    ],
)
def test_everyday_words_find_the_term_reviews_use(question, term_of_art):
    assert term_of_art in expansions(question)


@pytest.mark.parametrize(
    ("question", "reports_say"),
    [
        ("teenagers who are not in education", "young people"),
        ("when kids live in the house", "children"),
        ("the abuser came along to her appointments", "perpetrator"),
        ("she was cut off from her family", "isolation"),
        ("fear about her right to stay in the country", "immigration status"),
    ],
)
def test_a_question_s_everyday_words_widen_it_to_the_words_reports_use(question, reports_say):
    assert reports_say in expansions(question)


def test_everyday_words_never_rewrite_a_text():
    """Only terms of practice are one thing under two names; "kids" is near "children", not the same, so a
    recommendation's text keeps its words where texts are compared (recurring recommendations)."""
    text = "The abuser's kids were isolated and cut off from school."
    assert written_out(text) == text


def test_terms_of_practice_come_before_everyday_words():
    found = expansions("the abuser's GP")
    assert found.index("general practitioner") < found.index("perpetrator")


def test_plurals_do_not_change_how_terms_are_written_out():
    assert written_out("two GPs and the IDVA") == "two GPs and the independent domestic violence adviser"


def test_a_real_review_is_found_by_the_words_a_coordinator_uses(store, embedder):
    """A real recommendation says GPs should make "routine enquiries about domestic circumstances": the
    question never uses its words, yet keyword search alone finds it through the thesaurus."""
    library = Library(store, embedder)
    coordinator = Viewer("c", "coordinator")
    for path in sorted(DHR.glob("1[0-9]_*.txt")):
        library.ingest(path.read_bytes(), f"dhr/{path.name}", viewer=coordinator, kind="executive summary")
    hits = search(library, coordinator, "cases where the GP never asked about abuse", mode="bm25", limit=3)
    assert hits and hits[0].document.startswith("dhr/13_") and "routine enquiry" in hits[0].related_words
