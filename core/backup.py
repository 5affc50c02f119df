"""Backup and restore of a whole workspace: one archive file, safe to take while the app runs.

The database is copied with SQLite's online backup API (a consistent snapshot even while other
sessions write), the originals are added as they are, and a manifest lists every member with its
SHA-256. A restore goes only into an empty data directory and checks every checksum first; the derived
search indexes are not in the archive: the library rebuilds them from the database when it next opens.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import ValidationError
from core.jsonfile import parse_json

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


MAX_MANIFEST_BYTES = 50 * 1024 * 1024
"""The largest manifest read (a line of about 150 bytes per original: hundreds of thousands of files)."""
COPY_BLOCK = 1024 * 1024
"""Members are checked and written a block at a time: reading a whole member (3 GB) ran out of memory."""
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _manifest(archive: zipfile.ZipFile, file: Path) -> dict[str, dict]:
    """The manifest's files ({name: {"sha256", "bytes"}}), each entry checked for its shape."""
    not_ours = ValidationError(f"{file.name}: not a workspace backup (no readable manifest)")
    try:
        with archive.open(MANIFEST) as stream:
            raw = stream.read(MAX_MANIFEST_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise not_ours from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise not_ours
    try:
        manifest = parse_json(raw.decode("utf-8"), what=MANIFEST)
    except (UnicodeDecodeError, ValidationError):
        raise not_ours from None
    if not isinstance(manifest, dict):
        raise not_ours
    files = manifest.get("files")
    if manifest.get("format") != FORMAT or not isinstance(files, dict) or DATABASE not in files:
        raise ValidationError(f"{file.name}: not a workspace backup")
    problems = [
        f"{file.name}: the manifest's entry {str(name)[:80]!r} is damaged"
        for name, entry in files.items()
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and SHA256.match(entry["sha256"]))
        or not isinstance(entry.get("bytes"), int)
        or entry["bytes"] < 0
    ]
    if problems:
        raise ValidationError(problems[:20])
    return {"created_at": str(manifest.get("created_at", "")), "files": files}


def _target(data_dir: Path, name: str, file: Path) -> Path:
    """Where a member goes: inside the data directory, under its own name, or refused."""
    try:
        target = (data_dir / name).resolve()
    except (ValueError, OSError):  # a NUL in the name, a link loop
        target = data_dir
    if data_dir.resolve() not in target.parents:
        raise ValidationError(f"{file.name}: {name[:80]} would be written outside the data directory")
    return target


def _copy_checked(archive: zipfile.ZipFile, name: str, expected: dict, target: Path, file: Path) -> None:
    """Stream one member into ``target``, refusing it once it is longer than the manifest says or
    when its checksum differs."""
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as stream, target.open("wb") as out:
            while block := stream.read(COPY_BLOCK):
                size += len(block)
                if size > expected["bytes"]:
                    raise ValidationError(f"{file.name}: {name} is longer than the manifest says; it is damaged")
                digest.update(block)
                out.write(block)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise ValidationError(f"{file.name}: {name} is missing, damaged or password-protected") from None
    if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
        raise ValidationError(f"{file.name}: {name} is damaged (its checksum does not match)")


def _check_database(path: Path, file: Path) -> None:
    """The restored database is a SQLite file whose pages are whole and that holds a workspace."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            whole = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            ours = connection.execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        whole = ours = False
    if not (whole and ours):
        raise ValidationError(f"{file.name}: {DATABASE} is not a readable workspace database")


def restore(file: Path, data_dir: Path) -> dict:
    """Restore an archive into an empty data directory (the library rebuilds its search indexes when it opens).
    Each member is streamed, checked against the manifest's size and checksum as it is written, and
    anything wrong is refused in words with nothing left behind."""
    file, data_dir = Path(file), Path(data_dir)
    if data_dir.exists() and any(data_dir.iterdir()):
        raise ValidationError(f"{data_dir}: not empty; restore only into an empty data directory")
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValidationError(f"{file.name}: not a readable backup archive") from None
    with archive:
        manifest = _manifest(archive, file)
        data_dir.mkdir(parents=True, exist_ok=True)
        needed = sum(entry["bytes"] for entry in manifest["files"].values())
        if needed > shutil.disk_usage(data_dir).free:
            raise ValidationError(f"{file.name}: restoring needs {needed // 1_048_576:,} MB; free some disk space")
        try:
            for name, expected in manifest["files"].items():
                target = _target(data_dir, name, file)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _copy_checked(archive, name, expected, target, file)
                except OSError:  # a name that is also a folder, a full disk
                    raise ValidationError(f"{file.name}: {name[:80]} cannot be written into {data_dir}") from None
            _check_database(data_dir / DATABASE, file)
        except BaseException:
            shutil.rmtree(data_dir, ignore_errors=True)  # nothing half-restored is left behind
            data_dir.mkdir(parents=True, exist_ok=True)
            raise
    return {"files": len(manifest["files"]), "created_at": manifest["created_at"]}
