"""Chunks are sized for the model, overlap, never cross a heading, and point back into the text."""

from pathlib import Path

import pytest

from indexing.chunking import MAX_TOKENS, MODEL_TOKENS, OVERLAP_TOKENS, chunk, embedding_text, token_count
from indexing.extract import Extracted, extract
from tests.indexing_helpers import make_pdf, words

SEEDS = sorted((Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_real_documents_chunk_within_model_limits_with_exact_offsets(path):
    extracted = extract(path.read_bytes(), path.name)
    chunks = chunk(extracted)
    assert chunks
    for c in chunks:
        assert token_count(c.text) <= MAX_TOKENS  # sized by the model's own word pieces
        assert extracted.text[c.char_start : c.char_end] == c.text
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_long_section_overlaps_by_about_the_set_number_of_word_pieces():
    text = " ".join(f"w{i}" for i in range(600))
    chunks = chunk(Extracted(text))
    assert len(chunks) > 2
    for first, second in zip(chunks, chunks[1:], strict=False):
        shared = [w for w in second.text.split() if w in set(first.text.split())]
        assert shared == second.text.split()[: len(shared)] and token_count(" ".join(shared)) > 0
        if second is not chunks[-1]:  # the last reaches further back instead of leaving a short tail
            assert token_count(" ".join(shared)) <= OVERLAP_TOKENS
    assert chunks[-1].text.split()[-1] == "w599"
    assert token_count(chunks[-1].text) > MAX_TOKENS - OVERLAP_TOKENS  # the last passage is never a short tail


def test_noisy_text_is_cut_by_word_pieces_not_words():
    text = " ".join(["£38,000", "(IDVA/MARAC)", "Q3-2015/16"] * 150)  # several word pieces a word
    chunks = chunk(Extracted(text))
    assert all(token_count(c.text) <= MAX_TOKENS for c in chunks)
    assert max(len(c.text.split()) for c in chunks) < MAX_TOKENS / 3


def test_a_title_is_never_a_passage_on_its_own():
    body = words("risk", 150)
    text = f"Learning brief: older people\n\nFictional document.\n\nWhat happened\n\n{body}"
    section = text.index("What happened")
    chunks = chunk(Extracted(text, headings=[(0, "Learning brief: older people"), (section, "What happened")]))
    assert chunks[0].char_start == 0 and "risk" in chunks[0].text and chunks[0].heading == "What happened"


def test_the_title_and_heading_are_embedded_with_the_passage_and_never_push_it_out():
    passage = " ".join(["learning"] * 150)  # 150 word pieces: a full passage
    assert embedding_text("Learning brief: stalking", "Findings", passage) == (
        f"Learning brief: stalking: Findings. {passage}"
    )
    long_title = " ".join(["Domestic homicide review overview report"] * 40)
    embedded = embedding_text(long_title, "", passage)
    assert embedded.endswith(passage) and token_count(embedded) <= MODEL_TOKENS - 2


def test_chunks_never_cross_a_heading_and_carry_it():
    body = words("risk", 150)
    text = f"Findings\n\n{body}\n\nRecommendations\n\n{body}"
    second = text.index("Recommendations")
    chunks = chunk(Extracted(text, headings=[(0, "Findings"), (second, "Recommendations")]))
    assert {c.heading for c in chunks} == {"Findings", "Recommendations"}
    for c in chunks:
        assert c.char_end < second if c.heading == "Findings" else c.char_start >= second


def test_pdf_chunks_know_their_page():
    data = make_pdf([words("alpha", 220), words("beta", 220)])
    extracted = extract(data, "two-pages.pdf")
    pages = {c.page for c in chunk(extracted)}
    assert pages == {1, 2}


def test_short_document_is_one_chunk():
    chunks = chunk(Extracted("A short learning brief about stalking."))
    assert len(chunks) == 1 and chunks[0].char_start == 0 and chunks[0].page is None


def test_the_seed_corpus_is_beside_the_checkout():
    """The real documents (../shared/corpus/seeds) must be there: several tests read them."""
    assert len(SEEDS) == 5, f"expected five seed documents in {SEEDS}"
