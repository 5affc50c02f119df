"""Emerging themes named as a coordinator would name them (issue #23, item 3): a topic no vocabulary names,
mixed into the real DHR fragments of ../shared/corpus/dhr, is one emerging theme whose terms are the topic's
words in the briefs' own forms, its phrases kept whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from core.accounts import Viewer
from core.schema import open_store
from indexing import emerging
from indexing.library import Library
from tests.conftest import COORD

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"
VETERANS = Path(__file__).parent / "fixtures" / "veterans"
BOARD = Viewer("board", "board", "Board member")


@pytest.fixture(scope="module")
def veterans_library(tmp_path_factory, embedder):
    store = open_store(tmp_path_factory.mktemp("veterans") / "dhr.sqlite")
    library = Library(store, embedder)
    library.ingest_paths(sorted(DHR.glob("*.txt")), viewer=COORD, access="public", kind="executive summary")
    library.ingest_paths(sorted(VETERANS.glob("brief-*.md")), viewer=COORD, access="public", kind="learning brief")
    emerging.compute(library, COORD)
    yield store
    store.close()


def test_briefs_on_a_new_topic_are_one_emerging_theme_named_by_its_phrase(veterans_library):
    found = emerging.emerging(veterans_library, BOARD)
    assert len(found) == 1  # nothing else: no boilerplate group from the real fragments
    theme = found[0]
    assert set(theme["document_names"]) == {f"brief-{i}.md" for i in range(1, 7)}
    assert len({p["document"] for p in theme["passages"]}) >= 3
    # "armed forces" is one phrase, never "armed" and "forces" apart; "veterans" is shown as the briefs write it
    assert "armed forces" in theme["terms"][:3]
    assert not {"armed", "forces"} & set(theme["terms"])
    assert "veterans" in theme["terms"][:3]


def test_word_forms_count_as_one_term_in_the_form_the_group_writes():
    group = [
        "He kept a gun in the farmhouse.",
        "His guns were never checked, and the guns were not locked away.",
        "Officers did not ask about the guns.",
        "A neighbour saw him carry a gun across the field.",
        "She told her friend that he frightened her.",
    ]
    rest = [
        "The partnership met to agree its annual priorities and budget.",
        "The strategy sets out priorities for the partnership over three years.",
        "A new budget was agreed for the priorities of the year.",
    ]
    labeller = emerging.Labeller(group + rest, set(ENGLISH_STOP_WORDS), emerging.Settings(min_documents=1, terms=3))
    # neither "gun" nor "guns" alone is in half the group's passages; as one term they are in four of five
    terms = labeller.terms_of(np.arange(len(group)), np.arange(len(group)))
    assert terms[0] == "guns"  # shown as the group writes it most
    assert "gun" not in terms
