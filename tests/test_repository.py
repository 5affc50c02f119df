"""The shared learning repository on a real PostgreSQL with pgvector (issue #24): publishing, row-level
security, national search and two processes at once. Real reviews from ../shared/corpus/dhr."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

from core import workspace
from core.accounts import Viewer
from core.errors import PermissionDenied, ValidationError
from core.schema import open_store
from indexing import theme_figures
from indexing.learning_index import EmbeddedIndex, LearningIndex, search_in
from indexing.library import Library
from indexing.reading.documents import correct_fact
from indexing.repository import schema
from indexing.repository.index import RepositoryIndex
from indexing.repository.publish import choose_partners_sharing, publish
from indexing.themes import PASSAGE_GROUPS, list_themes
from recommendations import plan
from reviews import register
from reviews.rules import install_bundled_rule_sets
from tests.conftest import ROOT, TODAY, run

COORD = Viewer("coord", "coordinator", "Coordinator")
PARTNER = Viewer("partner", "partner", "Partner")
DHR = ROOT.parent / "shared" / "corpus" / "dhr"


def corpus(name: str) -> bytes:
    return (DHR / name).read_bytes()


def make_workspace(directory: Path, csp: str, embedder, files: dict[str, str]) -> Library:
    """A partnership's workspace named ``csp`` holding its own ``files`` ({corpus file: access level}), marked
    with its name as the Library page marks them."""
    store = open_store(directory / "dhr.sqlite")
    install_bundled_rule_sets(store)
    workspace.save(store, COORD, partnership=csp)
    library = Library(store, embedder)
    for name, access in files.items():
        review = None
        if access == "confidential":
            review = "DHR-2026-01"
            if not store.read()["reviews"].count_where("reference = ?", [review]):
                register.create_review(
                    store, COORD, reference=review, pseudonym="Ava", notification_date="2026-05-04", today=TODAY
                )
        result = library.ingest(
            corpus(name), name, viewer=COORD, kind="executive summary", access=access, review=review, csp=csp
        )
        assert result.outcome == "ingested", result.reason
    return library


def published_review(store, reference: str) -> int:
    """A review recorded as published (the stages before it are not this feature's business)."""
    register.create_review(
        store, COORD, reference=reference, pseudonym="Bea", notification_date="2024-01-08", today=TODAY
    )
    review_id = next(store.read()["reviews"].rows_where("reference = ?", [reference]))["id"]
    with store.write(COORD.username) as tx:
        register.insert_stage_event(tx, review_id, "published", date(2025, 6, 2))
    return review_id


def rows(url: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()


def as_role(url: str, role: str) -> str:
    return url.replace("postgres:@", f"{role}:@", 1)


@pytest.fixture
def northvale(tmp_path, embedder):
    return make_workspace(
        tmp_path / "northvale",
        "Northvale CSP",
        embedder,
        {
            "21_devon-case17-louise-exec-summary.txt": "public",
            "12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt": "public",
            "19_leeds-one-minute-guide-dhr-learning.txt": "partners",
            "31_huntingdonshire-sally-overview-report.txt": "confidential",
        },
    )


def test_publish_sends_only_what_may_be_shared_and_twice_changes_nothing(northvale, repository_url):
    store = northvale.store
    first = publish(store, COORD, repository_url)
    assert first.changes["documents"].added == 2  # the two public ones
    shared = {row[0] for row in rows(repository_url, "SELECT source_name FROM documents")}
    assert shared == {
        "21_devon-case17-louise-exec-summary.txt",
        "12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt",
    }
    local_passages = (
        store.read()
        .execute(
            "SELECT count(*) FROM chunks JOIN documents ON documents.id = chunks.document_id WHERE access = 'public'"
        )
        .fetchone()[0]
    )
    assert rows(repository_url, "SELECT count(*), count(DISTINCT chunk_id) FROM passages") == [(local_passages,) * 2]
    assert rows(repository_url, "SELECT DISTINCT csp FROM passages") == [("Northvale CSP",)]
    assert rows(repository_url, "SELECT count(*) FROM passage_themes")[0][0] > 0

    again = publish(store, COORD, repository_url)
    assert not again.changed
    assert again.changes["documents"].unchanged == 2
    assert rows(repository_url, "SELECT count(*) FROM passages")[0][0] == local_passages

    choose_partners_sharing(store, COORD, True)  # the partnership chooses to share partners-level ones
    assert publish(store, COORD, repository_url).changes["documents"].added == 1
    public = store.read().execute("SELECT id FROM documents WHERE source_name LIKE '21_%'").fetchone()[0]
    northvale.update_document(COORD, public, access="partners", title="Louise: executive summary")
    updated = publish(store, COORD, repository_url)
    assert updated.changes["documents"].updated == 1
    assert rows(repository_url, "SELECT title FROM documents WHERE document_id = %s", [public]) == [
        ("Louise: executive summary",)
    ]
    choose_partners_sharing(store, COORD, False)
    withdrawn = publish(store, COORD, repository_url)
    assert withdrawn.changes["documents"].withdrawn == 2  # both partners-level documents leave
    assert rows(repository_url, "SELECT count(*) FROM passages WHERE document_id = %s", [public]) == [(0,)]
    assert RepositoryIndex(northvale, repository_url).verify().ok


def passage_reads(store, action) -> list[str]:
    """The statements that read passages' text from the workspace while ``action`` runs."""
    statements: list[str] = []
    store.read().conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        store.read().conn.set_trace_callback(None)
    return [s for s in statements if re.search(r"\bchunks\b", s) and re.search(r"\btext\b|chunks\.\*", s)]


def test_a_publish_reads_and_sends_only_what_changed_since_the_last(northvale, repository_url):
    """Publishing read every passage the workspace shares on every run (for names, and to mark table debris
    again), even when nothing had changed. Now a publish with nothing changed reads none; a changed
    document's passages are the only ones read and sent; a name added to a confidential register has the
    shared documents read again, and one that names that person is withdrawn."""
    store = northvale.store
    register.add_confidential_name(store, COORD, "DHR-2026-01", category="other", name="Zebedee Quill")
    publish(store, COORD, repository_url)
    reports = []
    assert passage_reads(store, lambda: reports.append(publish(store, COORD, repository_url))) == []
    assert not reports[-1].changed and reports[-1].passages == 0

    louise = store.read().execute("SELECT id FROM documents WHERE source_name LIKE '21_%'").fetchone()[0]
    northvale.update_document(COORD, louise, title="Louise: executive summary")
    reads = passage_reads(store, lambda: reports.append(publish(store, COORD, repository_url)))
    assert reads and all(str(louise) in statement for statement in reads)  # that document's passages only
    sent = store.read().execute("SELECT count(*) FROM chunks WHERE document_id = ?", [louise]).fetchone()[0]
    assert reports[-1].passages == sent and reports[-1].changes["documents"].updated == 1
    assert reports[-1].changes["documents"].unchanged == 1

    register.add_confidential_name(store, COORD, "DHR-2026-01", category="victim", name="Louise")
    withdrawn = publish(store, COORD, repository_url)
    assert withdrawn.changes["documents"].withdrawn == 1
    assert any("louise-exec" in reason and "confidential register" in reason for reason in withdrawn.withheld)
    reads = passage_reads(store, lambda: reports.append(publish(store, COORD, repository_url)))
    assert all(str(louise) in statement for statement in reads)  # only the one it keeps back, to check it again
    assert not reports[-1].changed


def test_never_confidential_drafts_names_or_officers(northvale, repository_url):
    store = northvale.store
    draft_review = "DHR-2026-07"
    register.create_review(
        store, COORD, reference=draft_review, pseudonym="Cy", notification_date="2026-02-02", today=TODAY
    )
    northvale.ingest(
        corpus("23_devon-case15-tigre-exec-summary.txt"),
        "draft.txt",
        viewer=COORD,
        access="public",
        review=draft_review,
    )
    register.add_confidential_name(store, COORD, "DHR-2026-01", category="victim", name="Louise")
    reference = "DHR-2024-03"
    published_review(store, reference)
    recommendation = plan.add_recommendation(
        store,
        COORD,
        reference,
        number="1",
        text="GPs to ask about coercive control at every contact",
        scope="single-agency",
    )
    plan.add_action(
        store, COORD, reference, recommendation_id=recommendation, description="Training for all GPs",
        owner_agency="Integrated Care Board (GP services)", lead_officer="Dr Jane Example", target_date="2026-03-31",
    )  # fmt: skip
    plan.add_recommendation(store, COORD, reference, number="2", text="Louise's family to be told", scope="CSP")
    report = publish(store, COORD, repository_url)

    shared = {row[0] for row in rows(repository_url, "SELECT source_name FROM documents")}
    assert shared == {"12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt"}
    assert any("draft.txt" in reason and "not published" in reason for reason in report.withheld)
    assert any("louise-exec" in reason and "confidential register" in reason for reason in report.withheld)
    assert rows(repository_url, "SELECT review, number, text FROM recommendations") == [
        (reference, "1", "GPs to ask about coercive control at every contact")
    ]
    action = rows(repository_url, "SELECT to_jsonb(actions) FROM actions")[0][0]
    assert action["owner_agency"] == "Integrated Care Board (GP services)" and action["status"] == "not_started"
    everything = json.dumps(rows(repository_url, "SELECT to_jsonb(a) FROM actions a")) + json.dumps(
        rows(repository_url, "SELECT string_agg(text, ' ') FROM passages")
    )
    assert "Dr Jane Example" not in everything and "Louise" not in everything
    with pytest.raises(PermissionDenied):
        publish(store, PARTNER, repository_url)


def test_a_partnership_role_cannot_write_another_partnerships_rows(northvale, tmp_path, embedder, repository_url):
    schema.add_partnership("Northvale CSP", "northvale_csp", url=repository_url)
    schema.add_partnership("Southmoor CSP", "southmoor_csp", url=repository_url)
    publish(northvale.store, COORD, as_role(repository_url, "northvale_csp"))
    southmoor = make_workspace(
        tmp_path / "southmoor", "Southmoor CSP", embedder, {"29_west-northants-dhr001-exec-summary.txt": "public"}
    )
    # the Southmoor workspace's coordinator types the other partnership's name: the role decides, not the setting
    workspace.save(southmoor.store, COORD, partnership="Northvale CSP")
    report = publish(southmoor.store, COORD, as_role(repository_url, "southmoor_csp"))
    assert report.csp == "Southmoor CSP"
    assert report.changes["documents"].withdrawn == 0

    southmoor_url = as_role(repository_url, "southmoor_csp")
    with psycopg.connect(southmoor_url, autocommit=True) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                "INSERT INTO documents (csp, document_id, title, kind, access, source_name, fingerprint) "
                "VALUES ('Northvale CSP', 999, 'forged', 'other', 'public', 'forged.txt', 'x')"
            )
        assert connection.execute("UPDATE documents SET title = 'changed' WHERE csp = 'Northvale CSP'").rowcount == 0
        assert connection.execute("DELETE FROM passages WHERE csp = 'Northvale CSP'").rowcount == 0
        assert connection.execute("DELETE FROM documents WHERE csp = 'Northvale CSP'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor move its own rows into another's name
            connection.execute("UPDATE documents SET csp = 'Northvale CSP' WHERE csp = 'Southmoor CSP'")
    assert rows(repository_url, "SELECT csp, count(*) FROM documents GROUP BY csp ORDER BY csp") == [
        ("Northvale CSP", 2),
        ("Southmoor CSP", 1),
    ]


def cli(data: Path, url: str | None, *args: str) -> subprocess.CompletedProcess:
    env = {"DHR_REPOSITORY_URL": url or "", "HF_HUB_OFFLINE": "1"}
    return run(data, "indexing", *args, env=env)


def test_publish_says_why_partners_level_documents_stay_in_the_workspace(northvale, repository_url):
    result = cli(northvale.store.directory, repository_url, "repository", "publish")
    assert result.returncode == 0, result.stderr
    assert (
        "  kept back: 1 partners-level document(s): only public ones are shared until the coordinator ticks "
        '"Share partners-level documents too" on the Library page'
    ) in result.stdout.splitlines()
    choose_partners_sharing(northvale.store, COORD, True)
    assert not [line for line in publish(northvale.store, COORD, repository_url).lines() if "partners-level" in line]


def test_national_search_from_the_command_line(northvale, tmp_path, embedder, repository_url, monkeypatch):
    southmoor = make_workspace(
        tmp_path / "southmoor",
        "Southmoor CSP",
        embedder,
        {"37_bassetlaw-sarah-suicide-homeoffice-feedback-letter.txt": "public"},
    )
    assert cli(northvale.store.directory, repository_url, "repository", "publish").returncode == 0
    result = cli(southmoor.store.directory, repository_url, "repository", "publish", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"]["added"] == 1
    figures = json.loads(cli(southmoor.store.directory, repository_url, "repository", "stats", "--json").stdout)
    assert {"documents": 3, "csps": 2, "recommendations": 0}.items() <= figures.items()
    assert figures["passages"] > 0

    result = cli(
        northvale.store.directory, repository_url, "search", "suicide risk and mental health", "--scope", "national",
        "--json", "--role", "partner",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and all(hit["csp"] in ("Northvale CSP", "Southmoor CSP") for hit in hits)
    assert {hit["csp"] for hit in hits} == {"Northvale CSP", "Southmoor CSP"}
    assert "huntingdonshire" not in json.dumps(hits)  # confidential there, never in the repository
    assert {"document", "title", "text", "score", "page", "modes", "themes", "more", "access"} <= set(hits[0])

    result = cli(
        northvale.store.directory, repository_url, "search", "suicide risk and mental health", "--scope", "all",
        "--json", "--role", "partner", "--limit", "20",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    both = json.loads(result.stdout)
    # its own from the workspace (named as the workspace names itself), the others' from the repository
    assert {hit["csp"] for hit in both} == {"Northvale CSP", "Southmoor CSP"}
    assert any(not hit.get("repository") for hit in both if hit["csp"] == "Northvale CSP")


def test_without_a_repository_nothing_new_is_needed(northvale):
    probe = (
        "import sys; from indexing.__main__ import main; code = main(['stats']); "
        "sys.exit(code or ('psycopg' in sys.modules) or ('pgvector' in sys.modules))"
    )
    env = {"DHR_DATA_DIR": str(northvale.store.directory), "DHR_REPOSITORY_URL": ""}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=os.environ | env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = cli(northvale.store.directory, None, "search", "risk", "--scope", "national")
    assert result.returncode == 2
    assert "DHR_REPOSITORY_URL" in result.stderr and "Traceback" not in result.stderr


def test_two_processes_publishing_and_searching_at_once_lose_and_double_nothing(
    northvale, tmp_path, embedder, repository_url
):
    southmoor = make_workspace(
        tmp_path / "southmoor", "Southmoor CSP", embedder, {"29_west-northants-dhr001-exec-summary.txt": "public"}
    )
    script = (
        "import sys; from indexing.__main__ import main\n"
        "for round in range(3):\n"
        "    assert main(['repository', 'publish']) == 0\n"
        "    assert main(['search', 'risk assessment', '--scope', 'national', '--json']) == 0\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=os.environ | {"DHR_DATA_DIR": str(library.store.directory), "DHR_REPOSITORY_URL": repository_url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for library in (northvale, southmoor, northvale)  # two at once for one partnership, one for another
    ]
    for process in processes:
        assert process.wait(timeout=300) == 0, process.stderr.read()
    for library, csp in ((northvale, "Northvale CSP"), (southmoor, "Southmoor CSP")):
        local = (
            library.store.read()
            .execute(
                "SELECT count(*) FROM chunks JOIN documents ON documents.id = chunks.document_id WHERE access = 'public'"  # noqa: E501
            )
            .fetchone()[0]
        )
        assert rows(
            repository_url, "SELECT count(*), count(DISTINCT chunk_id) FROM passages WHERE csp = %s", [csp]
        ) == [(local, local)]


def test_what_one_process_changes_another_sees_though_it_has_searched(northvale, tmp_path, repository_url, monkeypatch):
    """Nothing that must be shared lives in one process's memory: this process searches both scopes and reads
    the theme figures and vocabulary (its whoosh searcher, mapped vectors, taggers warm); another process then
    adds and publishes a document and adds a theme, and this process sees all of it without a restart."""
    monkeypatch.setenv("DHR_REPOSITORY_URL", repository_url)
    store, cardiff = northvale.store, "15_cardiff-2019death-interpreters-accountabilityindex-recs.txt"
    question = "interpreters for victims whose first language is not English"
    assert publish(store, COORD, repository_url).changed

    def seen() -> dict:
        keys = [t.key for t in list_themes(store.read())]
        return {
            "local": {hit.document for hit in search_in(northvale, PARTNER, question, scope="local", limit=5)},
            "national": {hit.document for hit in search_in(northvale, PARTNER, question, scope="national", limit=5)},
            "figures": theme_figures.theme_shares(store, PARTNER, keys, "national")[0],
            "tagger": northvale.tagging.tagger(PASSAGE_GROUPS, ("passage",)).keys,
        }

    before = seen()
    assert cardiff not in before["local"] | before["national"] and "interpreting" not in before["tagger"]

    theme = tmp_path / "theme.json"
    theme.write_text(json.dumps([{
        "key": "interpreting", "label": "Interpreting", "group": "practice",
        "description": "Access to interpreters", "seeds": ["interpreter", "first language"],
    }]))  # fmt: skip
    for command in (
        ("ingest", str(DHR / cardiff), "--kind", "overview report", "--access", "public", "--csp", "Northvale CSP"),
        ("repository", "publish"),
        ("themes", "add", str(theme)),
    ):
        result = cli(store.directory, repository_url, *command)
        assert result.returncode == 0, result.stderr

    after = seen()
    assert cardiff in after["local"] and cardiff in after["national"]
    documents = {r["theme"]: r["documents"] for r in after["figures"]}
    assert sum(documents.values()) > sum(r["documents"] for r in before["figures"])
    assert "interpreting" in after["tagger"]


def test_both_indexes_answer_through_one_interface(northvale, repository_url):
    choose_partners_sharing(northvale.store, COORD, True)  # the repository then holds all a partner may read
    indexes: list[LearningIndex] = [EmbeddedIndex(northvale), RepositoryIndex(northvale, repository_url)]
    assert not indexes[1].verify().ok  # nothing published yet
    indexes[1].index(COORD)
    for index in indexes:
        assert index.verify().ok
    question = "suicide after her child was removed into care"
    top = [index.search(PARTNER, question, limit=5)[0].document for index in indexes]
    assert top == ["12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt"] * 2

    leeds = northvale.store.read().execute("SELECT id FROM documents WHERE source_name LIKE '19_%'").fetchone()[0]
    assert indexes[1].delete(COORD, [leeds], why="withdrawn for correction") == 1
    assert any("not yet published" in problem for problem in indexes[1].verify().problems)
    assert all(hit.document_id != leeds for hit in indexes[1].search(PARTNER, "one minute guide learning", limit=10))


def test_case_facts_and_report_recommendations_travel_with_their_documents(northvale, repository_url):
    """What the library read out of each shared report goes with it (a correction wins); nothing of the
    confidential one does."""
    store = northvale.store
    ids = {r["source_name"][:2]: r["id"] for r in store.read()["documents"].rows}
    publish(store, COORD, repository_url)
    facts = dict(rows(repository_url, "SELECT document_id, facts FROM case_facts"))
    assert set(facts) <= {ids["21"], ids["12"]}
    assert facts[ids["21"]]["victim_age"] == 35 and facts[ids["21"]]["victim_sex"] == "female"
    local = store.read()["document_recommendations"].count_where("document_id = ?", [ids["12"]])
    assert local >= 3
    assert rows(
        repository_url, "SELECT count(*) FROM extracted_recommendations WHERE document_id = %s", [ids["12"]]
    ) == [(local,)]
    assert not rows(repository_url, "SELECT 1 FROM extracted_recommendations WHERE document_id = %s", [ids["31"]])

    correct_fact(store, COORD, ids["21"], "victim_age", 36)
    assert publish(store, COORD, repository_url).changes["case_facts"].updated == 1
    assert rows(repository_url, "SELECT facts->>'victim_age' FROM case_facts WHERE document_id = %s", [ids["21"]]) == [
        ("36",)
    ]
    assert not publish(store, COORD, repository_url).changed

    northvale.update_document(COORD, ids["12"], access="partners")  # re-classified: it leaves with what was read
    withdrawn = publish(store, COORD, repository_url).changes
    assert withdrawn["documents"].withdrawn == 1
    assert withdrawn["extracted_recommendations"].withdrawn == local  # counted, though they left with their document
    assert withdrawn["case_facts"].withdrawn == int(ids["12"] in facts)
    assert withdrawn["case_facts"].unchanged == len(facts) - int(ids["12"] in facts)
    assert not rows(repository_url, "SELECT 1 FROM extracted_recommendations WHERE document_id = %s", [ids["12"]])


def test_the_hosts_commands_with_a_partnerships_role_say_whose_role_they_need(tmp_path, repository_url):
    schema.add_partnership("Northvale CSP", "northvale_not_host", url=repository_url)  # roles are the server's
    for args in (("repository", "init"), ("repository", "add-partnership", "Evil CSP", "--role", "evil_csp")):
        result = cli(tmp_path / "data", as_role(repository_url, "northvale_not_host"), *args)
        assert result.returncode == 2, result.stderr
        assert "the host's role" in result.stderr and "Traceback" not in result.stderr
        assert "may change only its own rows" not in result.stderr  # that is publishing's refusal, not this
    assert not rows(repository_url, "SELECT 1 FROM pg_roles WHERE rolname = 'evil_csp'")


@pytest.mark.parametrize("url", ["nonsense", "mysql://dhr:s3cret-word@db/dhr", "postgresql://dhr:s3cret-word@db/x?a b"])
def test_an_address_that_is_not_postgresql_is_refused_in_words(tmp_path, url):
    for args in (("repository", "publish"), ("repository", "stats", "--json"), ("search", "risk", "--scope", "all")):
        result = cli(tmp_path / "data", url, *args)
        assert result.returncode == 2, result.stderr
        assert "DHR_REPOSITORY_URL is not a PostgreSQL address" in result.stderr
        assert "Traceback" not in result.stderr and "s3cret-word" not in result.stderr + result.stdout


def test_theme_figures_in_each_scope_read_the_repository_and_say_when_they_cannot(
    northvale, repository_url, monkeypatch
):
    store = northvale.store
    for document in store.read()["documents"].rows:  # marked as the partnership's own, as its Library page does
        northvale.update_document(COORD, document["id"], csp="Northvale CSP")
    keys = [t.key for t in list_themes(store.read())]
    monkeypatch.delenv("DHR_REPOSITORY_URL", raising=False)
    local, warning = theme_figures.theme_shares(store, PARTNER, keys, "all")
    assert warning is None and {r["scope"] for r in local} == {"local"}
    rows_, warning = theme_figures.theme_shares(store, PARTNER, keys, "national")  # asked for, none set up
    assert "DHR_REPOSITORY_URL" in warning and "Traceback" not in warning
    assert rows_ == local

    publish(store, COORD, repository_url)
    monkeypatch.setenv("DHR_REPOSITORY_URL", repository_url)
    figures = {scope: theme_figures.theme_shares(store, PARTNER, keys, scope) for scope in ("local", "national", "all")}
    assert all(warning is None for _, warning in figures.values())
    scopes = {scope: {r["scope"] for r in rows_} for scope, (rows_, _) in figures.items()}
    assert scopes == {"local": {"local"}, "national": {"national"}, "all": {"local", "national"}}
    national = figures["national"][0]
    assert national and all(r["theme"] in keys and 0 < r["share"] <= 1 for r in national)
    assert figures["all"][0] == figures["local"][0] + national

    monkeypatch.setenv("DHR_REPOSITORY_URL", "postgresql://nobody@127.0.0.1:1/none")
    rows_, warning = theme_figures.theme_shares(store, PARTNER, keys, "all")
    assert warning and "Traceback" not in warning and "psycopg" not in warning
    assert {r["scope"] for r in rows_} == {"local"}
    with pytest.raises(ValidationError):
        theme_figures.theme_shares(store, PARTNER, keys, "everywhere")


def test_publish_marks_again_the_passages_whose_low_information_mark_the_rule_now_reads_otherwise(
    northvale, repository_url
):
    """A passage kept the table-debris mark of the release that sent it: a change of the rule never reached
    the repository, whose search then ranked it as before. Publishing marks it again, once; while the rule
    is the same, no publish reads the passages it holds again."""
    from indexing.chunking import LOW_INFORMATION_RULE, low_information

    publish(northvale.store, COORD, repository_url)
    held = rows(repository_url, "SELECT chunk_id, text, low_information FROM passages ORDER BY chunk_id")
    assert all(flag == low_information(text) for _, text, flag in held)
    assert rows(repository_url, "SELECT low_information_rule FROM partnerships") == [(LOW_INFORMATION_RULE,)]
    (first, *_), (second, *_) = held[0], held[-1]
    with psycopg.connect(repository_url) as connection:  # the verdicts an earlier rule (or release) left
        connection.execute("UPDATE passages SET low_information = NOT low_information WHERE chunk_id = %s", [first])
        connection.execute("UPDATE passages SET low_information = NULL WHERE chunk_id = %s", [second])
        connection.execute("UPDATE partnerships SET low_information_rule = 'an earlier rule'")
    report = publish(northvale.store, COORD, repository_url)
    assert report.remarked == 2 and report.changed
    assert report.changes["documents"].unchanged == 2  # no document was sent again for it
    assert rows(repository_url, "SELECT chunk_id, text, low_information FROM passages ORDER BY chunk_id") == held
    again = publish(northvale.store, COORD, repository_url)
    assert again.remarked == 0 and not again.changed


def test_a_repository_an_earlier_release_made_says_its_host_runs_init(northvale, repository_url):
    """The app was upgraded before the repository's host ran init: publish says so in words, and nothing
    is sent until init has added what the release needs."""
    from indexing.repository import RepositoryUnavailable

    with psycopg.connect(repository_url) as connection:
        connection.execute("ALTER TABLE partnerships DROP COLUMN low_information_rule")
    with pytest.raises(RepositoryUnavailable, match="earlier release.*python -m indexing repository init"):
        publish(northvale.store, COORD, repository_url)
    assert rows(repository_url, "SELECT count(*) FROM passages") == [(0,)]
    schema.init(repository_url)
    assert publish(northvale.store, COORD, repository_url).changed
