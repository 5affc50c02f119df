"""A search's question encoded by ONNX Runtime (indexing.question_encoder): the torch model's vectors on real
text, exported once into the workspace's cache and read from there by a later process without torch."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.search_quality import questions
from indexing import question_encoder
from indexing.chunking import chunk
from indexing.embeddings import Embedder
from indexing.extract import extract

ROOT = Path(__file__).resolve().parents[1]
DHR = ROOT.parent / "shared" / "corpus" / "dhr"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def real_texts() -> list[str]:
    """200 real texts: 100 labelled questions and 100 passages of the real DHR reports and seed strategies
    (the long ones past the model's 256 word pieces, which both truncate)."""
    asked = [q["question"] for q in questions()][:100]
    passages = []
    for path in sorted(DHR.glob("*.txt")) + sorted(SEEDS.glob("*.txt")):
        passages += [c.text for c in chunk(extract(path.read_bytes(), path.name))][:4]
    assert len(asked) == 100 and len(passages) >= 100
    return asked + passages[:100]


@pytest.fixture
def fresh(monkeypatch):
    """No question encoder loaded in this process yet (the test's own; the process's comes back after)."""
    monkeypatch.setattr(question_encoder, "_loaded", question_encoder._Loaded())


def test_questions_and_passages_get_the_torch_models_vectors(embedder):
    texts = real_texts()
    by_torch = np.vstack([embedder.encode([text]) for text in texts])
    by_onnx = np.vstack([embedder.encode_question(text) for text in texts])
    assert by_onnx.dtype == np.float32 and by_onnx.shape == (200, 384)
    assert np.allclose(np.linalg.norm(by_onnx, axis=1), 1, atol=1e-5)
    cosines = np.sum(by_torch * by_onnx, axis=1)
    assert cosines.min() >= 0.9999, texts[int(cosines.argmin())]


def test_short_texts_in_batches_get_the_torch_models_batch_vectors(embedder):
    """Themes and recurring lessons encode recommendations and seeds by ONNX Runtime in padded batches."""
    texts = real_texts()
    by_torch = embedder.encode(texts)
    by_onnx = embedder.encode_short(texts)
    assert by_onnx.dtype == np.float32 and by_onnx.shape == (200, 384)
    cosines = np.sum(by_torch * by_onnx, axis=1)
    assert cosines.min() >= 0.9999, texts[int(cosines.argmin())]
    assert embedder.encode_short([]).shape == (0, 384)


def test_a_question_is_encoded_on_one_thread(embedder):
    assert embedder.questions.session.get_session_options().intra_op_num_threads == 1


def test_the_export_is_kept_in_the_workspace_and_a_later_process_searches_without_torch(fresh, tmp_path, embedder):
    cache = tmp_path / "models"
    first = Embedder(cache=cache)
    first._model = embedder.model  # the session's loaded model: what the export reads
    vector = first.encode_question("coercive control")
    [graph] = cache.iterdir()
    assert graph.name == question_encoder.cache_name(question_encoder.model_path())
    later = subprocess.run(
        [sys.executable, "-c", LATER_PROCESS, str(cache)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert later.returncode == 0, later.stderr
    read, torch_loaded = later.stdout.split()
    assert torch_loaded == "False"
    assert np.allclose(np.array([float(x) for x in read.split(",")]), vector, atol=1e-6)
    assert later.stderr == ""  # nothing for a command line's terminal


LATER_PROCESS = """
import sys
from pathlib import Path
from indexing.embeddings import Embedder
vector = Embedder(cache=Path(sys.argv[1])).encode_question("coercive control")
print(",".join(repr(float(x)) for x in vector), "torch" in sys.modules)
"""


def test_a_damaged_cached_export_is_exported_again(fresh, tmp_path, embedder):
    cache = tmp_path / "models"
    cache.mkdir()
    damaged = cache / question_encoder.cache_name(question_encoder.model_path())
    damaged.write_bytes(b"\x08\x07not a graph")
    encoder = Embedder(cache=cache)
    encoder._model = embedder.model
    vector = encoder.encode_question("stalking")
    assert float(vector @ embedder.encode(["stalking"])[0]) >= 0.9999
    assert damaged.stat().st_size > 1_000_000  # replaced by a whole export
    assert [p.name for p in cache.iterdir()] == [damaged.name]  # nothing partial left beside it


def test_every_workspace_in_a_process_gets_the_export_in_its_own_cache(fresh, tmp_path, embedder):
    """One encoder serves every workspace of a process (a server, the tests); each workspace's cache still gets
    the graph, so that the next process on any of them searches without torch."""
    name = question_encoder.cache_name(question_encoder.model_path())
    first = Embedder(cache=tmp_path / "one" / "models")
    first._model = embedder.model
    vector = first.encode_question("coercive control")
    second = Embedder(cache=tmp_path / "two" / "models")
    assert second.questions is first.questions
    kept = tmp_path / "two" / "models" / name
    assert kept.read_bytes() == (tmp_path / "one" / "models" / name).read_bytes()
    read = question_encoder.QuestionEncoder(kept, question_encoder.model_path())
    assert np.allclose(read.encode("coercive control"), vector)
    assert [p.name for p in kept.parent.iterdir()] == [name]  # nothing partial left beside it


def test_an_export_made_without_a_cache_is_kept_by_the_first_workspace_that_has_one(fresh, tmp_path, embedder):
    anonymous = Embedder()
    anonymous._model = embedder.model
    anonymous.encode_question("stalking")
    cache = tmp_path / "models"
    cache.mkdir()
    damaged = cache / question_encoder.cache_name(question_encoder.model_path())
    damaged.write_bytes(b"\x08\x07not a graph")  # a damaged cache is replaced, not trusted
    Embedder(cache=cache).encode_question("stalking")
    assert damaged.stat().st_size > 1_000_000
    assert question_encoder.QuestionEncoder(damaged, question_encoder.model_path()).encode("stalking").shape == (384,)


def test_a_workspace_library_keeps_the_export_in_its_data_directory(store):
    from indexing.library import Library

    assert Library(store).embedder.cache == store.directory / "models"
