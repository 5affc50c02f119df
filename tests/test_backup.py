"""Backup and restore: one archive taken while the app writes, restored exactly into an empty directory."""

from __future__ import annotations

import hashlib
import threading
import zipfile
from pathlib import Path

import pytest
import sqlite_utils

from core import backup
from core.errors import PermissionDenied, ValidationError
from core.schema import open_store
from indexing.library import Library
from tests.conftest import COORD, run


def _tables(path: Path) -> dict[str, list]:
    db = sqlite_utils.Database(path)
    found = {t: sorted(map(repr, (dict(r) for r in db[t].rows))) for t in db.table_names() if t != "sqlite_sequence"}
    db.close()
    return found


def _files(directory: Path) -> dict[str, str]:
    root = directory / "originals"
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_a_backup_taken_mid_write_restores_exactly(tmp_path, embedder):
    source = tmp_path / "source"
    store = open_store(source / "dhr.sqlite")
    library = Library(store, embedder)
    library.ingest(b"# Learning brief\n\nThe GP did not ask about coercive control.", "brief.md", viewer=COORD)
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            with store.write("writer") as tx:
                tx.insert("agencies", {"name": f"Agency {n:05d}"})
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        archive = backup.backup(store, COORD, tmp_path / "backups")
    finally:
        stop.set()
        writer.join()
    with zipfile.ZipFile(archive) as opened:
        snapshot = tmp_path / "snapshot.sqlite"
        snapshot.write_bytes(opened.read("dhr.sqlite"))
    target = tmp_path / "restored"
    result = run(target, "core", "restore", str(archive))
    assert result.returncode == 0, result.stderr
    restored = _tables(target / "dhr.sqlite")
    expected = _tables(snapshot)
    expected.pop("settings"), restored.pop("settings")  # last_backup_at is written after the snapshot
    assert restored == expected
    agencies = [r for r in restored["agencies"] if "Agency " in r]
    numbers = sorted(int(r.split("Agency ")[1][:5]) for r in agencies)
    assert numbers == list(range(len(numbers)))  # no write half-copied: every transaction or none
    assert _files(target) == _files(source)
    assert not (target / "whoosh").exists()  # derived: not in the archive, rebuilt when the library opens
    verified = run(target, "indexing", "verify")
    assert verified.returncode == 0 and "Rebuilt the search indexes" in verified.stderr
    assert "Rebuilt" not in run(target, "indexing", "verify").stderr  # once
    hits = run(target, "indexing", "search", "coercive control", "--json")
    assert "brief.md" in hits.stdout
    assert backup.last_backup(store) is not None
    store.close()


def test_restore_refuses_a_non_empty_directory_or_a_damaged_archive(tmp_path, store):
    archive = backup.backup(store, COORD, tmp_path / "backups")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something.txt").write_text("x")
    refused = run(busy, "core", "restore", str(archive))
    assert refused.returncode == 2 and "not empty" in refused.stderr
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as good, zipfile.ZipFile(damaged, "w") as bad:
        for name in good.namelist():
            data = good.read(name)
            bad.writestr(name, data[:-10] + b"0123456789" if name == "dhr.sqlite" else data)
    refused = run(tmp_path / "empty", "core", "restore", str(damaged))
    assert refused.returncode == 2 and "dhr.sqlite is damaged" in refused.stderr
    assert not any((tmp_path / "empty").iterdir())
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    assert "not a readable backup" in run(tmp_path / "empty2", "core", "restore", str(tmp_path / "junk.zip")).stderr


def test_only_the_coordinator_takes_a_backup(tmp_path, store, people):
    with pytest.raises(PermissionDenied):
        backup.backup(store, people["partner"], tmp_path)
    with pytest.raises(ValidationError):
        backup.restore(tmp_path / "none.zip", tmp_path / "x")
