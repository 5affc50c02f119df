"""A workspace made by an earlier release opens after every later migration with nothing lost.

tests/fixtures/workspace-2026-11.sqlite was built by the release of November 2026 (commit b183d6a):
the demo workspace, two publication acceptances keyed the old way, and two failed sign-ins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from core import accounts
from core.schema import open_store
from demo import DEMO_PASSWORD

OLD = Path(__file__).parent / "fixtures" / "workspace-2026-11.sqlite"


@pytest.fixture
def upgraded(tmp_path):
    copy = tmp_path / "dhr.sqlite"
    shutil.copy(OLD, copy)
    before = sqlite_utils.Database(copy)
    snapshot = {  # table -> (its columns then, its rows then)
        table: (list(before[table].columns_dict), _rows(before, table, list(before[table].columns_dict)))
        for table in before.table_names()
        if table not in ("_sqlite_migrations", "publication_acceptances", "sqlite_sequence")
    }
    before.close()
    store = open_store(copy)
    yield store, snapshot
    store.close()


def _rows(db: sqlite_utils.Database, table: str, columns: list[str]) -> list[tuple]:
    return sorted((tuple(r[c] for c in columns) for r in db[table].rows), key=repr)


def test_every_old_row_is_still_there_with_its_values(upgraded):
    store, snapshot = upgraded
    for table, (columns, rows) in snapshot.items():
        assert _rows(store.read(), table, columns) == rows, table


def test_reviews_keep_the_rule_set_version_they_ran_under(upgraded):
    store, _ = upgraded
    assert {r["rule_set_version"] for r in store.read()["reviews"].rows} == {"2016-12"}
    assert [r["version"] for r in store.read()["rule_set_versions"].rows] == ["2016-12"]


def test_old_publication_acceptances_are_rekeyed_on_what_they_accept(upgraded):
    store, _ = upgraded
    keys = [r["finding_key"] for r in store.read()["publication_acceptances"].rows]
    assert keys == ["name|olsen"]


def test_accounts_still_sign_in_and_failed_attempts_carry_over(upgraded):
    store, _ = upgraded
    assert store.read()["sign_in_throttle"].get("chair")["failed_attempts"] == 2
    assert accounts.authenticate(store, "coordinator", DEMO_PASSWORD).role == "coordinator"


def test_control_characters_stored_before_are_removed_on_upgrade(tmp_path):
    """A workspace whose text holds a NUL or a bell (stored before input was cleaned) loses them on
    upgrade, so no Word or Excel export can fail on one."""
    path = tmp_path / "dhr.sqlite"
    shutil.copy(OLD, path)
    db = sqlite_utils.Database(path)
    db.execute("INSERT INTO settings (key, value) VALUES ('note', 'a' || char(0) || 'b' || char(7) || 'c')")
    db.conn.commit()
    db.close()
    store = open_store(path)
    assert store.read()["settings"].get("note")["value"] == "abc"
    store.close()
