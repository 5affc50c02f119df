"""Chunks are sized for the model, overlap, never cross a heading, and point back into the text."""

from pathlib import Path

import pytest

from indexing.chunking import MAX_WORDS, OVERLAP_WORDS, chunk
from indexing.extract import Extracted, extract
from tests.indexing_helpers import make_pdf, words

SEEDS = sorted((Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_real_documents_chunk_within_model_limits_with_exact_offsets(path):
    extracted = extract(path.read_bytes(), path.name)
    chunks = chunk(extracted)
    assert chunks
    for c in chunks:
        assert len(c.text.split()) <= MAX_WORDS
        assert extracted.text[c.char_start : c.char_end] == c.text
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_long_section_overlaps_by_the_set_number_of_words():
    text = " ".join(f"w{i}" for i in range(600))
    chunks = chunk(Extracted(text))
    assert len(chunks) > 2
    for first, second in zip(chunks, chunks[1:], strict=False):
        assert first.text.split()[-OVERLAP_WORDS:] == second.text.split()[:OVERLAP_WORDS]
    assert chunks[-1].text.split()[-1] == "w599"


def test_chunks_never_cross_a_heading_and_carry_it():
    body = words("risk", 150)
    text = f"Findings\n\n{body}\n\nRecommendations\n\n{body}"
    second = text.index("Recommendations")
    chunks = chunk(Extracted(text, headings=[(0, "Findings"), (second, "Recommendations")]))
    assert [c.heading for c in chunks] == ["Findings", "Recommendations"]
    assert chunks[0].char_end < second <= chunks[1].char_start


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
