"""Backup and restore of a whole workspace: one archive file, safe to take while the app runs.

The database is copied with SQLite's online backup API (a consistent snapshot even while other
sessions write), the originals are added as they are, and a manifest lists every member with its
SHA-256. A restore goes only into an empty data directory, checks every checksum first, and
rebuilds the derived search indexes afterwards.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import ValidationError

DATABASE = "dhr.sqlite"
ORIGINALS = "originals"
MANIFEST = "manifest.json"
FORMAT = "dhr-backup"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(store: Store, viewer: Viewer, directory: Path) -> Path:
    """Write one archive of the workspace into ``directory``; returns its path."""
    require_coordinator(viewer, "Only the coordinator can take a backup")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = directory / f"dhr-backup-{stamp}.zip"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / DATABASE
        source = sqlite3.connect(str(store.path), timeout=30)
        destination = sqlite3.connect(str(copy))
        try:
            source.backup(destination)  # a consistent snapshot, whatever else is writing
        finally:
            destination.close()
            source.close()
        members = {DATABASE: copy}
        originals = store.directory / ORIGINALS
        if originals.exists():
            for path in sorted(p for p in originals.rglob("*") if p.is_file() and not p.name.startswith(".")):
                members[path.relative_to(store.directory).as_posix()] = path
        manifest = {
            "format": FORMAT,
            "created_at": utc_now(),
            "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in members.items()},
        }
        partial = target.with_suffix(".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, path in members.items():
                archive.write(path, name)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        partial.replace(target)
    with store.write(viewer.username) as tx:
        tx.db["settings"].insert({"key": "last_backup_at", "value": manifest["created_at"]}, replace=True)
    return target


def last_backup(store: Store) -> str | None:
    rows = list(store.read()["settings"].rows_where("key = 'last_backup_at'"))
    return rows[0]["value"] if rows else None


def _checked_manifest(archive: zipfile.ZipFile, file: Path) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, json.JSONDecodeError, zipfile.BadZipFile, OSError):
        raise ValidationError(f"{file.name}: not a workspace backup (no readable manifest)") from None
    if manifest.get("format") != FORMAT or DATABASE not in manifest.get("files", {}):
        raise ValidationError(f"{file.name}: not a workspace backup")
    problems = []
    for name, expected in manifest["files"].items():
        try:
            data = archive.read(name)
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            problems.append(f"{file.name}: {name} is missing or damaged")
            continue
        if hashlib.sha256(data).hexdigest() != expected["sha256"]:
            problems.append(f"{file.name}: {name} is damaged (its checksum does not match)")
    if problems:
        raise ValidationError(problems)
    return manifest


def restore(file: Path, data_dir: Path, *, rebuild: Callable[[Path], None]) -> dict:
    """Restore an archive into an empty data directory, then ``rebuild(data_dir)`` the derived indexes."""
    file, data_dir = Path(file), Path(data_dir)
    if data_dir.exists() and any(data_dir.iterdir()):
        raise ValidationError(f"{data_dir}: not empty; restore only into an empty data directory")
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(f"{file.name}: not a readable backup archive") from None
    with archive:
        manifest = _checked_manifest(archive, file)
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            for name in manifest["files"]:
                target = (data_dir / name).resolve()
                if data_dir.resolve() not in target.parents:
                    raise ValidationError(f"{file.name}: {name} would be written outside the data directory")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
            rebuild(data_dir)
        except BaseException:
            shutil.rmtree(data_dir, ignore_errors=True)  # nothing half-restored is left behind
            data_dir.mkdir(parents=True, exist_ok=True)
            raise
    return {"files": len(manifest["files"]), "created_at": manifest["created_at"]}
