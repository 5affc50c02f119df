"""Shared fixtures: a fresh workspace in a temporary directory, and people in each role."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from core import accounts
from core.accounts import Viewer
from core.db import Store
from core.schema import open_store
from reviews.rules import install_bundled_rule_sets
from tests.smtp import Relay

PASSWORD = "correct-horse-battery"
# the coordinator a test acts as when it sets up a workspace
COORD = Viewer("test", "coordinator", "Test set-up")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Cheap Argon2 parameters in tests only; production keeps argon2-cffi's defaults."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def relay():
    """A real SMTP server (tests/smtp.py) on a loopback port for the test; ``relay.stop()`` takes it down."""
    server = Relay()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def store(tmp_path) -> Store:
    """A fresh, empty workspace: the bundled rule sets and the statutory agencies it starts with."""
    workspace = open_store(tmp_path / "dhr.sqlite")
    install_bundled_rule_sets(workspace)
    yield workspace
    workspace.close()


@pytest.fixture
def people(store) -> dict[str, Viewer]:
    """One account per role, plus a second chair."""
    made = {}
    for username, role, agency in [
        ("coord", "coordinator", None),
        ("chair", "chair", None),
        ("chair2", "chair", None),
        ("police.lead", "agency_lead", "Police"),
        ("partner", "partner", None),
        ("board", "board", None),
    ]:
        made[username] = accounts.add_user(store, COORD, username=username, password=PASSWORD, role=role, agency=agency)
    return made


@pytest.fixture
def coordinator(people) -> Viewer:
    return people["coord"]


TODAY = date(2026, 11, 23)


@pytest.fixture
def new_review(store, coordinator):
    """Register a review with sensible defaults: ``new_review("DHR-2025-05", chair="chair")``."""
    from reviews import register

    def make(reference: str, **fields) -> str:
        values = {"pseudonym": "Ivy", "csp": "C", "notification_date": "2025-01-06", "today": TODAY} | fields
        return register.create_review(store, coordinator, reference=reference, **values)

    return make


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2 model, loaded once for the whole run."""
    from indexing.embeddings import Embedder

    return Embedder()


def indexed_document(store: Store, title: str = "Brief", sha256: str = "0" * 64) -> int:
    """A library document record, indexed and visible to partners (no file, no passages): what a write
    that names a document needs."""
    with store.write("test") as tx:
        return tx.insert(
            "documents",
            {
                "title": title,
                "kind": "learning brief",
                "access": "partners",
                "source_name": f"{title.lower().replace(' ', '-')}.txt",
                "sha256": sha256,
                "size_bytes": 1,
                "status": "indexed",
                "added_by": "test",
                "added_at": "2026-01-01",
            },
        )


ROOT = Path(__file__).resolve().parents[1]


def add_police_action(store: Store, coordinator: Viewer, reference: str, *, target_date: str) -> int:
    """A recommendation of ``reference`` to train call handlers on stalking, and its one Police action
    (due on ``target_date``): the action's id."""
    from recommendations import plan

    rec = plan.add_recommendation(
        store,
        coordinator,
        reference,
        number="1",
        text="Train call handlers on stalking",
        scope="single-agency",
        target_agencies=["Police"],
        themes=["training"],
        finding="Stalking was not recognised",
    )
    return plan.add_action(
        store,
        coordinator,
        reference,
        recommendation_id=rec,
        description="Deliver training",
        owner_agency="Police",
        lead_officer="DI Example",
        target_date=target_date,
    )


def run(
    data_dir: Path, *args: str, stdin: str | None = None, env: dict | None = None, timeout: int = 120
) -> subprocess.CompletedProcess:
    env = os.environ | {"DHR_DATA_DIR": str(data_dir)} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def workspace(tmp_path):
    data = tmp_path / "data"
    for name, role in (("chair", "chair"), ("chair2", "chair")):
        result = run(
            data, "core", "users", "add", name, "--role", role, "--password-stdin", stdin="long-enough-password\n"
        )
        assert result.returncode == 0, result.stderr
    source = tmp_path / "reviews.json"
    from demo import demo_document

    source.write_text(json.dumps(demo_document(TODAY), indent=2))
    result = run(data, "reviews", "import", str(source))
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL 16 with pgvector for the whole run, from the pgserver wheel (no mock). In CI
    (CI=true) a database that cannot be started fails the tests that need it; elsewhere they are skipped."""
    try:
        import tempfile

        import pgserver

        directory = Path(tempfile.mkdtemp(prefix="dhr-test-postgres-"))
        directory.chmod(0o755)  # run as root, pgserver runs PostgreSQL as its own user, which must reach it
        server = pgserver.get_server(directory, cleanup_mode="delete")
    except Exception as error:  # noqa: BLE001  (any reason it cannot start is the same outcome)
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL with pgvector (pgserver) could not be started: {error}")
        pytest.skip(f"PostgreSQL with pgvector (pgserver) could not be started: {error}")
    return server


@pytest.fixture
def repository_url(postgres, request) -> str:
    """A fresh, initialised repository database of its own for one test (the host's role)."""
    import re

    from indexing.repository import schema

    name = "repo_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + f"_{os.getpid()}"
    postgres.psql(f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name};")
    url = postgres.get_uri(name)
    schema.init(url)
    return url
