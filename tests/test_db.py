"""Migrations, pragmas, write transactions, audit and concurrent writers."""

import json
import sqlite3
import threading

import pytest

from core.schema import migrations, open_store


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "dhr.sqlite"
    open_store(path).close()
    store = open_store(path)  # second open: nothing pending
    assert migrations.pending(store.read()) == []
    assert [m.name for m in migrations.applied(store.read())] == [
        "m001_foundation",
        "m002_library",
        "m003_qa_and_actions",
        "m004_drafting_kit",
        "m005_safe_to_deploy",
        "m006_themes",
        "m007_statutory_agencies",
        "m008_partner_agencies",
        "m009_audit_reasons",
        "m010_password_changed_at",
        "m011_no_control_characters",
        "m012_vector_store",
        "m013_qa_answer_by",
        "m014_email",
        "m015_single_sign_on",
        "m016_progress_evidence_document",
        "m020_sign_in_key",
        "m021_outbox_news",
        "m022_sso_claims_and_identities",
        "m032_action_outcomes",
        "m033_pause_start_not_recorded",
        "m036_document_reading",
        "m037_theme_salience",
        "m038_emerging_shared_labels",
        "m039_no_xml_invalid_text",
        "m040_logo_as_png",
        "m043_children_in_household",
        "m045_theme_not_within",
        "m052_victim_age_band",
        "m046_passage_sentences",
        "m059_emerging_computed_for",
        "m066_agency_matched_when_read",
        "m077_agency_names",
        "m086_passage_theme_general",
        "m102_closed_date_missing",
    ]
    assert {"reviews", "stage_events", "pauses", "agency_returns", "audit_log", "users"} <= set(
        store.read().table_names()
    )


def test_wal_and_foreign_keys_are_on(store):
    db = store.read()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        with store.write("test") as tx:
            tx.insert("review_agencies", {"review_id": 999, "agency": "Police"})


def test_failed_write_unit_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.write("alice") as tx:
            tx.insert("agencies", {"name": "New agency"})
            raise RuntimeError("boom")
    assert not store.read()["agencies"].count_where("name = 'New agency'")
    assert not store.read()["audit_log"].count_where("actor = 'alice'")


def test_every_write_is_audited_with_before_and_after(store):
    with store.write("alice") as tx:
        tx.insert("settings", {"key": "colour", "value": "blue"})
    with store.write("bob") as tx:
        tx.update("settings", "colour", {"value": "green"})
    with store.write("carol") as tx:
        tx.delete("settings", "colour")
    rows = list(store.read()["audit_log"].rows_where("entity = 'settings'", order_by="id"))
    assert [(r["actor"], r["action"]) for r in rows] == [("alice", "insert"), ("bob", "update"), ("carol", "delete")]
    assert json.loads(rows[1]["before"])["value"] == "blue" and json.loads(rows[1]["after"])["value"] == "green"
    assert rows[2]["after"] is None and json.loads(rows[2]["before"])["value"] == "green"


def test_nested_write_joins_the_outer_unit(store):
    with pytest.raises(RuntimeError):
        with store.write("alice"):
            with store.write("alice") as inner:
                inner.insert("agencies", {"name": "Inner agency"})
            raise RuntimeError("outer fails after inner finished")
    assert not store.read()["agencies"].count_where("name = 'Inner agency'")


def test_concurrent_read_modify_write_loses_nothing(store):
    """Four threads increment one counter 30 times each: every increment must survive."""
    with store.write("setup") as tx:
        tx.insert("settings", {"key": "counter", "value": "0"})
    errors: list[Exception] = []

    def worker():
        try:
            for _ in range(30):
                with store.write("thread") as tx:
                    current = int(tx.db["settings"].get("counter")["value"])
                    tx.update("settings", "counter", {"value": str(current + 1)})
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.read()["settings"].get("counter")["value"] == "120"


def test_two_stores_on_one_file_do_not_lock_each_other(tmp_path):
    """Like the app and a CLI: separate connections on one file, writing in turn from threads."""
    path = tmp_path / "dhr.sqlite"
    first, second = open_store(path), open_store(path)
    with first.write("setup") as tx:
        tx.insert("settings", {"key": "counter", "value": "0"})
    errors: list[Exception] = []

    def worker(store):
        try:
            for _ in range(25):
                with store.write("w") as tx:
                    value = int(tx.db["settings"].get("counter")["value"])
                    tx.update("settings", "counter", {"value": str(value + 1)})
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(s,)) for s in (first, second, first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert first.read()["settings"].get("counter")["value"] == "100"


def test_a_write_unit_reads_its_own_changes_and_others_do_not(store):
    seen_elsewhere = []
    with store.write("alice") as tx:
        tx.insert("agencies", {"name": "Uncommitted agency"})
        assert store.read()["agencies"].count_where("name = 'Uncommitted agency'") == 1
        other = threading.Thread(
            target=lambda: seen_elsewhere.append(store.read()["agencies"].count_where("name = 'Uncommitted agency'"))
        )
        other.start()
        other.join()
    assert seen_elsewhere == [0]
