"""Deciding a recommendation's suggested themes when others write at the same time (issue #20, item 16):
no lost update between two people accepting at once, and a search-index writer that cannot get its
lock is a message in words (exit 3 on the command line), never a traceback."""

from __future__ import annotations

import threading
import time

import pytest
from whoosh import index as whoosh_index

from core.cli import run_reporting
from core.errors import Busy
from indexing import lexical
from indexing.library import Library
from indexing.themes import install_bundled_vocabulary
from indexing.theming import cached_encoder
from recommendations import plan, theming

TEXT = "Train GP practice staff to ask about domestic abuse"


@pytest.fixture
def library(store, embedder):
    install_bundled_vocabulary(store)
    return Library(store, embedder)


@pytest.fixture
def recommendation(store, coordinator, new_review):
    reference = new_review("DHR-2026-01")
    return plan.add_recommendation(store, coordinator, reference, number="1", text=TEXT, scope="CSP")


def test_two_people_accepting_at_once_keep_both_themes(store, coordinator, library, recommendation):
    cached_encoder(store, library.embedder)([TEXT])  # the model's time is not what this is about
    failures: list[BaseException] = []

    def accept_training() -> None:
        try:
            theming.decide_recommendation_theme(store, library, coordinator, recommendation, "training", accepted=True)
        except BaseException as error:  # reported below, in this thread
            failures.append(error)

    with store.write("another coordinator") as tx:  # the other person's accept is being written...
        second = threading.Thread(target=accept_training)
        second.start()
        time.sleep(1.0)  # ...while this one has started deciding (the old code read the themes here)
        tx.update("recommendations", recommendation, {"themes": '["policy"]'})
    second.join(timeout=60)
    assert not failures and not second.is_alive()
    assert plan.recommendations_for(store, coordinator, "DHR-2026-01")[0].themes == ["policy", "training"]


def test_a_search_index_writer_that_cannot_get_its_lock_says_so(store, coordinator, library, monkeypatch):
    monkeypatch.setattr(lexical, "WRITER_TIMEOUT_S", 0.5)
    library.lexical.recreate([])
    holder = whoosh_index.open_dir(str(library.lexical.directory)).writer()  # another program's ingest
    try:
        with pytest.raises(Busy, match="search index is being updated by another program"):
            library.ingest(b"Learning brief about coercive control.", "brief.txt", viewer=coordinator)
        assert run_reporting(lambda: library.lexical.delete_document(1)) == 3
    finally:
        holder.cancel()
    library.resume_pending()  # the interrupted ingest is finished once the index is free
    assert [d["status"] for d in library.list_documents(coordinator)] == ["indexed"]


def test_a_rebuild_waits_for_the_index_lock_before_it_touches_the_index(store, coordinator, library, monkeypatch):
    """Recreating the keyword index while another program writes it leaves the index as it was (Busy), not
    emptied: the lock is taken before any file is rewritten."""
    library.ingest(b"Learning brief about coercive control and stalking.", "brief.txt", viewer=coordinator)
    monkeypatch.setattr(lexical, "WRITER_TIMEOUT_S", 0.5)
    holder = whoosh_index.open_dir(str(library.lexical.directory)).writer()  # another program's ingest
    try:
        with pytest.raises(Busy, match="search index is being updated by another program"):
            library.rebuild()
    finally:
        holder.cancel()
    assert library.verify().ok  # every passage still in the keyword index (the old code had emptied it)
