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
        ("a case where the killer was himself a policeman", "police officer"),
        ("community service staff should write down what he said", "unpaid work"),
        ("criminal records from abroad", "previous convictions"),
        ("did the killer go to prison", "imprisonment"),
    ],
)
def test_everyday_words_find_the_term_reviews_use(question, term_of_art):
    assert term_of_art in expansions(question)


@pytest.mark.parametrize(
    ("question", "not_the_same"),
    [
        ("people smuggled into the country", "human trafficking"),  # smuggling is not trafficking in law
        ("the eight stage model of escalation", "Domestic Homicide Timeline"),
        ("offender managers had too many cases", "caseload"),
        ("police officers who were told when neighbours complained", "anti-social behaviour"),
        ("stopping people from committing crimes again", "reoffending"),
        ("communities where abuse is seen as normal", "normalised"),
        ("cultural acceptance", "normalised"),
        ("she was known by other names", "alias"),
        ("the woman killed by a relative", "familial"),
        ("fear about her right to stay", "immigration status"),
        ("a walk-in advice centre", "one stop shop"),
    ],
)
def test_a_phrase_that_restates_one_question_or_passage_is_no_synonym(question, not_the_same):
    """Audited (2026-12.2): phrases once added because one labelled question or its passage used them (the
    question's wording, not a name practice uses) widen nothing, so search is measured on what it reads."""
    assert not_the_same not in expansions(question)


@pytest.mark.parametrize(
    ("question", "reports_say"),
    [
        ("teenagers who are not in education", "young people"),
        ("when kids live in the house", "children"),
        ("the abuser came along to her appointments", "perpetrator"),
        ("she was cut off from her family", "isolation"),
        ("fear about her right to remain in the country", "immigration status"),
    ],
)
def test_a_question_s_everyday_words_widen_it_to_the_words_reports_use(question, reports_say):
    assert reports_say in expansions(question)


@pytest.mark.parametrize(
    ("question", "reports_say"),
    [
        ("did her doctor know", "GP"),
        ("the midwives who saw her in pregnancy", "midwife"),
        ("his offender manager was not told", "probation officer"),
        ("she was strangled the month before", "strangulation"),
        ("he was drunk when police arrived", "alcohol"),
        ("she had no fixed abode", "homelessness"),
        ("she was referred for counselling", "talking therapies"),
        ("she applied for universal credit", "benefits"),
        ("a safe and well check by officers", "welfare check"),
        ("she took out an injunction", "non-molestation order"),
        ("the paramedics who attended", "ambulance service"),
        ("after they split up", "separation"),
    ],
)
def test_the_public_s_names_for_services_orders_harms_and_states_widen_a_question(question, reports_say):
    """2026-12.3: how the public and practitioners name what reviews describe, with a verb's other forms listed
    as terms (only a plural or possessive of a term is read as the term)."""
    assert reports_say in expansions(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a DVDS application", "Domestic Violence Disclosure Scheme"),
        ("referred to the CMHT", "community mental health team"),
        ("a referral to IAPT", "talking therapies"),
        ("he was RUI for six months", "released under investigation"),
    ],
)
def test_practice_acronyms_find_their_names(question, expected):
    assert expected in expansions(question)


def test_a_report_calling_for_something_is_not_about_phone_calls():
    assert "text messages" not in expansions("the review calls for better training")


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


@pytest.mark.parametrize(
    "text", ["the Probation Service", "the probation services", "the National Probation Service", "national probation"]
)
def test_a_term_inside_its_name_is_written_out_without_doubling_the_names_other_words(text):
    """The term "probation" is of the group named "National Probation Service": a text that already has the name's
    other words around it is written as the name once, not "National Probation Service Service"."""
    assert written_out(text).removeprefix("the ") == "National Probation Service"


def test_a_real_review_is_found_by_the_words_a_coordinator_uses(store, embedder):
    """A real recommendation says GPs should make "routine enquiries about domestic circumstances": the
    question never uses its words, yet keyword search alone finds it through the thesaurus."""
    library = Library(store, embedder)
    coordinator = Viewer("c", "coordinator")
    for path in sorted(DHR.glob("1[0-9]_*.txt")):
        library.ingest(path.read_bytes(), f"dhr/{path.name}", viewer=coordinator, kind="executive summary")
    hits = search(library, coordinator, "cases where the GP never asked about abuse", mode="bm25", limit=3)
    assert hits and hits[0].document.startswith("dhr/13_") and "routine enquiry" in hits[0].related_words
