"""Search quality on the real seed documents and the demo library, with questions in words the documents
may not use: the labelled set's held-out questions (benchmarks/labelled/search_questions.json, never
tuned on) must reach the issue's targets, and results must read well (no document flooding the page,
each hit saying why it matched, a plain warning when nothing uses the question's words)."""

import json
import re

import pytest
from whoosh.qparser import MultifieldParser, OrGroup

from benchmarks import search_quality
from core.accounts import Viewer
from indexing import lexical
from indexing import search as searching
from indexing.chunking import low_information
from indexing.search import (
    FUSION,
    MAX_PER_DOCUMENT,
    STOPWORDS,
    Fusion,
    Passage,
    Rerank,
    keyword_cover,
    keyword_query,
    keyword_terms,
    no_word_matches,
    search,
    unmatched_words,
)
from indexing.thesaurus import expansions

SEEDS = search_quality.SEEDS
READER = Viewer("p", "partner")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, embedder):
    library, texts = search_quality.build_library(tmp_path_factory.mktemp("seeds"), embedder)
    yield library, texts
    library.store.close()


def test_held_out_questions_hold_their_measured_level(seeded):
    """176 held-out questions, 134 of them over the real DHR fragments (measured 0.846 overall, 0.705
    paraphrased, 0.842 real on the merged release, with the thesaurus audited of phrases that restated labelled
    questions; 0.853, 0.718 and 0.851 with thesaurus 2026-12.3's everyday names; with s12's 20 more real
    questions, 0.858, 0.727 and 0.858 (0.852, 0.716 and 0.851 with the answer kinds, which were not
    released); the issue's aim of 0.9 and 0.85 is not reached)."""
    figures = search_quality.evaluate(*seeded, search_quality.questions("test"), modes=("hybrid",))["hybrid"]
    assert figures["all"]["questions"] == 176 and figures["real"]["questions"] == 134, figures
    assert figures["all"]["recall@10"] >= 0.84, figures
    assert figures["paraphrased"]["recall@10"] >= 0.70, figures
    assert figures["real"]["recall@10"] >= 0.84, figures


def test_a_sealed_facts_file_is_measured_instead_of_the_labelled_one(tmp_path):
    """``--facts FILE``: another file in search_questions.json's shape (a sealed set kept outside the project);
    a fact without a split is held out."""
    sealed = tmp_path / "sealed.json"
    fact = {"answers": [["seeds/", "anctuary"]], "shared": "the Sanctuary scheme", "paraphrased": "locks on her doors"}
    sealed.write_text(json.dumps({"facts": [fact, fact | {"split": "tune"}]}), encoding="utf-8")
    held_out = search_quality.questions("test", sealed)
    assert [(q["question"], q["kind"]) for q in held_out] == [
        ("the Sanctuary scheme", "shared"),
        ("locks on her doors", "paraphrased"),
    ]
    assert len(search_quality.questions("tune", sealed)) == 2 and len(search_quality.questions(None, sealed)) == 4


def rank(seeded, question: str, answer: list[str], **options) -> int | None:
    library, texts = seeded
    return search_quality.rank_of_answer(
        search(library, READER, question, **options), search_quality.answer_spans(texts, [answer])
    )


def test_a_passage_is_ranked_by_the_sentence_of_it_that_answers(seeded):
    """One sentence of a Home Office letter's passage about other things answers: keyword search finds it
    first, meaning search far down (the passage's one vector is about the rest), and fused by rank alone it
    fell to 20th. Its best sentence's closeness to the question brings it to the top."""
    question = "Learning and Recall Event and Women's Aid good practice"
    answer = ["dhr/37_", "Learning and Recall Event"]
    assert rank(seeded, question, answer, fusion=Fusion(sentence=0, lead=0), rerank=Rerank(depth=0)) is None
    assert rank(seeded, question, answer) <= 3


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("getting ready to look at properties to move into", ["dhr/40_", "look at properties"]),
        ("deny abusers the cover of cultural acceptance", ["dhr/15_", "cultural acceptance"]),
    ],
)
def test_a_passage_far_ahead_in_one_list_keeps_a_place_on_the_page(seeded, question, answer):
    """A real passage keyword search ranks first and meaning search hundreds down (the model does not see
    it is about the question): by rank fusion alone passages middling in every list bury it past tenth."""
    assert rank(seeded, question, answer, fusion=Fusion(lead=0)) is None
    assert rank(seeded, question, answer) is not None


def test_the_candidates_best_sentences_rank_them_as_a_third_list(seeded):
    """A paraphrase of a real recommendation in a list of several: neither keyword nor passage-vector search
    ranks it high, its best sentence does, and that ranking fused with theirs brings it onto the page."""
    question = "teenagers who are not in education"
    answer = ["dhr/15_", "outside the school system"]
    assert rank(seeded, question, answer, fusion=Fusion(sentence=0)) is None
    assert rank(seeded, question, answer) is not None


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("police never decided how and when to detain the suspect", ["dhr/09_", "arrest plan"]),
        ("a case where the killer was himself a policeman", ["dhr/29_", "serving police officer"]),
    ],
)
def test_a_question_in_other_words_than_the_library_s_leans_on_meaning(seeded, question, answer):
    """No passage keyword search finds uses most of a paraphrase's words: its keyword matches are chance
    words ("police", "killer"), so meaning weighs more in the fusion and the real answer reaches the page."""
    assert cover(seeded, question) < FUSION.worded
    assert rank(seeded, question, answer, fusion=Fusion(worded=0)) is None  # the same weights for every question
    assert rank(seeded, question, answer) is not None


def test_a_question_in_the_library_s_words_keeps_the_keyword_weights(seeded):
    found = cover(seeded, "lack of an arrest plan")
    assert found == 1.0 and FUSION.for_question(found) is FUSION


def cover(seeded, question: str) -> float:
    """The share of the question's words that the best of keyword search's first ten passages uses."""
    hits = search(seeded[0], READER, question, mode="bm25", limit=FUSION.cover_depth)
    passages = {hit.chunk_id: Passage(hit.document_id, hit.text, hit.title) for hit in hits}
    return keyword_cover(question, [(hit.chunk_id, hit.score) for hit in hits], passages, FUSION.cover_depth)


def test_the_words_that_only_make_a_question_are_not_searched_as_keywords(seeded, monkeypatch):
    """ "What ... should be written down": BM25 scored "what" and "should" as words a passage shares with the
    question; without them the real recommendation about recording what the public tell police is found."""
    question = "what neighbours tell the police should be written down and passed on"
    answer = ["dhr/11_", "third party information"]
    assert keyword_query(question) == "neighbours police written down passed"
    assert rank(seeded, question, answer) is not None
    monkeypatch.setattr(searching, "keyword_query", lambda question: question)
    assert rank(seeded, question, answer) is None


@pytest.mark.parametrize(
    ("question", "read_as"),
    [
        ("how many reviews has the partnership carried out?", "reviews partnership carried out?"),
        ('"what did the review say"', '"what did the review say"'),  # a phrase is searched as typed
        ("what was said", "what was said"),  # nothing else to search with
    ],
)
def test_keyword_search_reads_a_question_without_its_question_words(question, read_as):
    assert keyword_query(question) == read_as
    if '"' not in question:  # the shared repository's full-text search asks for the same words
        assert keyword_terms(question) == [w for w in re.findall(r"[\w'’-]+", read_as.lower()) if w not in STOPWORDS]


def test_no_document_fills_the_first_ten_and_the_rest_are_kept_under_it(seeded):
    hits = search(seeded[0], Viewer("p", "partner"), "domestic violence strategy priorities", limit=10)
    per_document = {}
    for hit in hits:
        per_document[hit.document] = per_document.get(hit.document, 0) + 1
    assert len(hits) == 10 and max(per_document.values()) <= MAX_PER_DOCUMENT
    assert any(hit.more for hit in hits)
    assert all(more.document == hit.document for hit in hits for more in hit.more)


def test_a_synonym_from_the_thesaurus_finds_and_says_so(seeded):
    assert "refuge" in expansions("is there a women's shelter nearby")
    hits = search(seeded[0], Viewer("p", "partner"), "women's shelter places", mode="bm25", limit=5)
    assert hits and "refuge" in hits[0].related_words and "mean the same: refuge" in hits[0].why


def test_seed_ingest_verifies_and_reports_pages_or_offsets(seeded):
    seeded = seeded[0]
    assert seeded.verify().ok
    hit = search(seeded, Viewer("p", "partner"), "Sanctuary Scheme", mode="bm25", limit=1)[0]
    source = (SEEDS.parent / hit.document).read_text(encoding="utf-8")  # named by its path from the folder
    assert hit.text.split()[0] in source and hit.char_end > hit.char_start


def test_each_hit_says_why_it_matched(seeded):
    hits = search(seeded[0], Viewer("p", "partner"), "Sanctuary Scheme funding", mode="hybrid", limit=10)
    assert hits and "sanctuary" in hits[0].shared_words
    assert hits[0].why.startswith("uses your words: ") and not no_word_matches(hits)
    assert all(h.why == "close in meaning" for h in hits if not h.shared_words and not h.related_words)


def test_results_that_use_none_of_the_question_s_words_are_flagged(seeded):
    hits = search(seeded[0], Viewer("p", "partner"), "zebra xylophone quasar", mode="hybrid", limit=10)
    assert hits and no_word_matches(hits)  # the closest in meaning, and the page says so


def test_a_distinctive_word_no_result_uses_is_named_above_them(seeded):
    library = seeded[0]
    hits = search(library, Viewer("p", "partner"), "gambling debts and domestic abuse", limit=10)
    assert hits and not no_word_matches(hits)  # they do match "domestic abuse"...
    assert unmatched_words(library, hits, "gambling debts and domestic abuse") == ["gambling"]  # ...not gambling
    sanctuary = search(library, Viewer("p", "partner"), "sanctuary scheme", limit=10)
    assert unmatched_words(library, sanctuary, "sanctuary scheme") == []
    story = "what did he do when his team lost and he got drunk"
    assert "got" not in unmatched_words(library, search(library, Viewer("p", "partner"), story, limit=10), story)


def test_in_a_large_library_words_most_passages_use_are_left_out_of_the_keyword_query(seeded, monkeypatch):
    library = seeded[0]
    monkeypatch.setattr(lexical, "PRUNE_FROM", 0)  # as in a library of 20,000 passages or more
    searcher = library.lexical._searcher()
    parser = MultifieldParser(["title", "text"], schema=searcher.schema, group=OrGroup.factory(0.9))
    common = lexical.COMMON_SHARE * searcher.doc_count()
    assert searcher.doc_frequency("text", "abus") > common  # "abuse", stemmed: in most passages
    kept = lexical._without_common_words(searcher, parser.parse("abuse sanctuary"))
    assert {text for _, text in kept.iter_all_terms()} == {"sanctuari"}
    alone = parser.parse("abuse")
    assert lexical._without_common_words(searcher, alone) == alone  # nothing rarer asked: kept as asked


@pytest.mark.parametrize(
    "question", ["witnesses who retract or refuse to give evidence", "unsuccessful prosecutions in Harrow"]
)
def test_table_debris_and_contents_lines_never_outrank_prose(seeded, question):
    library = seeded[0]
    stems = [word[:6] for word in question.lower().split() if len(word) > 6]
    debris = [
        text
        for (text,) in library.store.read().execute("SELECT text FROM chunks")
        if low_information(text) and any(stem in text.lower() for stem in stems)
    ]
    assert debris  # the question's words are in tables of figures or contents lines too
    hits = search(library, Viewer("p", "partner"), question, limit=10)
    low = [low_information(hit.text) for hit in hits]
    assert hits and low == sorted(low), [
        (flag, " ".join(h.text.split())[:60]) for flag, h in zip(low, hits, strict=True)
    ]
    assert not low[0]  # prose answers first
