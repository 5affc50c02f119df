"""Each passage's sentence vectors: stored at ingest, one per sentence (short ones joined), replaced and deleted
with their passage, filled by ``rebuild`` in a workspace stored without them, where search meanwhile ranks as
it did before them."""

from pathlib import Path

import numpy as np

from core.accounts import Viewer
from indexing import sentence_vectors
from indexing.embeddings import DIMENSIONS
from indexing.library import Library
from indexing.search import Fusion, Rerank, search
from tests.conftest import COORD

READER = Viewer("reader", "partner")
DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"
QA_LETTER = DHR / "37_bassetlaw-sarah-suicide-homeoffice-feedback-letter.txt"
SUMMARY = DHR / "29_west-northants-dhr001-exec-summary.txt"


def stored(library: Library) -> dict[int, np.ndarray]:
    return {
        chunk_id: np.frombuffer(blob, dtype=np.float16).reshape(-1, DIMENSIONS)
        for chunk_id, blob in library.store.read().execute("SELECT chunk_id, vectors FROM passage_sentences")
    }


def test_a_short_sentence_joins_the_next_and_a_short_last_one_the_one_before():
    text = (
        "1.4 Background. The panel met six times between March and October.\n"
        "She  was 71. Her son had moved back into the family home in 2019. Page 4"
    )
    assert sentence_vectors.sentence_units(text) == [
        "1.4 Background. The panel met six times between March and October.",
        "She was 71. Her son had moved back into the family home in 2019. Page 4",
    ]


def test_ingest_stores_one_vector_per_sentence_of_each_passage(store, embedder):
    library = Library(store, embedder)
    library.ingest(QA_LETTER.read_bytes(), QA_LETTER.name, viewer=COORD, kind="QA letter", access="public")
    texts = dict(store.read().execute("SELECT id, text FROM chunks"))
    vectors = stored(library)
    assert set(vectors) == set(texts)
    for chunk_id, text in texts.items():
        units = sentence_vectors.sentence_units(text)
        assert len(vectors[chunk_id]) == len(units) > 1
    chunk_id, text = next(iter(texts.items()))
    alone = embedder.encode(sentence_vectors.sentence_units(text)[:1])[0]
    assert float(vectors[chunk_id][0].astype(np.float32) @ alone) > 0.999  # the sentence encoded on its own


def test_a_replaced_or_deleted_document_s_sentence_vectors_go_with_its_passages(store, embedder):
    library = Library(store, embedder)
    first = library.ingest(QA_LETTER.read_bytes(), "letter.txt", viewer=COORD, kind="QA letter", access="public")
    library.ingest(SUMMARY.read_bytes(), "letter.txt", viewer=COORD, kind="QA letter", access="public")
    chunk_ids = {row[0] for row in store.read().execute("SELECT id FROM chunks")}
    assert set(stored(library)) == chunk_ids
    library.delete(COORD, first.document_id, why="added by mistake")
    assert stored(library) == {}


def test_without_sentence_vectors_search_ranks_as_before_and_rebuild_fills_them(store, embedder):
    library = Library(store, embedder)
    for path in (QA_LETTER, SUMMARY):
        library.ingest(path.read_bytes(), path.name, viewer=COORD, kind="executive summary", access="public")
    question = "the family's involvement in the review"
    with_them = [hit.chunk_id for hit in search(library, READER, question)]
    plain = [  # neither their list in the fusion nor the re-rank
        hit.chunk_id for hit in search(library, READER, question, fusion=Fusion(sentence=0), rerank=Rerank(depth=0))
    ]
    with store.write("test") as tx:  # a workspace stored by the release before sentence vectors
        tx.db.execute("DELETE FROM passage_sentences")
    assert [hit.chunk_id for hit in search(library, READER, question)] == plain
    assert len(sentence_vectors.missing(store)) == store.read()["chunks"].count
    library.rebuild()
    assert sentence_vectors.missing(store) == []
    assert [hit.chunk_id for hit in search(library, READER, question)] == with_them
    assert library.verify().ok


def test_rebuild_tells_in_words_how_far_filling_sentence_vectors_has_come_and_what_it_did(tmp_path):
    """`python -m indexing rebuild` encoded an earlier release's sentence vectors (as long as an ingest)
    in silence and then said only how many passages the keyword index holds."""
    import sqlite3

    from core.settings import database_path
    from tests.conftest import run

    data = tmp_path / "data"
    assert run(data, "indexing", "ingest", str(QA_LETTER), str(SUMMARY), "--access", "public").returncode == 0
    with sqlite3.connect(database_path(data)) as db:  # a workspace stored by the release before sentence vectors
        db.execute("DELETE FROM passage_sentences")
        passages = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    result = run(data, "indexing", "rebuild")
    assert result.returncode == 0, result.stderr
    told = result.stderr.splitlines()
    assert told[0] == (
        f"Encoding the sentence vectors of {passages} passage(s) of 2 document(s) stored without them "
        "(about as long as ingesting them again)"
    )
    assert told[-1] == f"Sentence vectors: 2 of 2 document(s) done ({passages} of {passages} passages)"
    assert result.stdout.splitlines() == [
        f"Rebuilt the whoosh index and the vector store with {passages} passage(s).",
        f"Encoded the sentence vectors of {passages} passage(s) of 2 document(s) stored without them.",
    ]
    again = run(data, "indexing", "rebuild")
    assert again.stderr == ""
    assert again.stdout.splitlines()[-1] == "Every passage already had its sentence vectors."


def test_a_table_s_separator_row_is_part_of_no_sentence_and_the_row_after_it_starts_one():
    """On the real fragments with Markdown tables, "|---|---|---|" was glued onto the first row's sentence
    (the passage's sentence vector then began with it)."""
    import re

    from indexing.chunking import chunk
    from indexing.extract import extract
    from indexing.reading.sentences import sentences

    rule = re.compile(r"^\|(?:-{3,}\|)+$", re.MULTILINE)
    tables = [path for path in sorted(DHR.glob("*.txt")) if rule.search(path.read_text(encoding="utf-8"))]
    assert len(tables) >= 7
    for path in tables:
        extracted = extract(path.read_bytes(), path.name)
        found = sentences(extracted.text)
        assert not any("---" in s.text for s in found), path.name
        starts = {s.start for s in found}
        assert all(m.end() + 1 in starts for m in rule.finditer(extracted.text)), path.name  # the first row's own
        units = [unit for passage in chunk(extracted) for unit in sentence_vectors.sentence_units(passage.text)]
        assert units and not any("---" in unit for unit in units), path.name
