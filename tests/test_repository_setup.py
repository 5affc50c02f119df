"""Setting up the shared repository as a council does (issue #24, the README's steps): a partnership whose
address carries a wrong password, or names a database the server does not have, is told which in words
through every command, and nothing is written; a document of another partnership that a workspace keeps
in its library, or one whose CSP is not recorded, is not published under this partnership's name. Real
PostgreSQL (pgserver), whose access rules are changed for one test role only, and real reviews from
../shared/corpus/dhr."""

from __future__ import annotations

import pytest

from indexing.repository import schema
from indexing.repository.publish import publish
from tests.test_repository import COORD, DHR, cli, make_workspace, published_review, rows

ROLE = "setup_test_csp"


@pytest.fixture
def password_checked(postgres, repository_url):
    """``repository_url``'s server asking ROLE (a partnership's login role) for its password, as a real
    server does (pgserver trusts every local connection); its access rules are restored afterwards."""
    password = schema.add_partnership("Northvale CSP", ROLE, url=repository_url)
    rules = postgres.pgdata / "pg_hba.conf"
    before = rules.read_text()
    rules.write_text(f"local all {ROLE} scram-sha-256\n" + before)
    postgres.psql("SELECT pg_reload_conf();")
    yield password
    rules.write_text(before)
    postgres.psql("SELECT pg_reload_conf();")


def test_a_wrong_password_or_database_is_said_in_words_and_nothing_is_written(
    tmp_path, embedder, repository_url, password_checked
):
    northvale = make_workspace(
        tmp_path / "northvale", "Northvale CSP", embedder, {"21_devon-case17-louise-exec-summary.txt": "public"}
    )
    data = northvale.store.directory
    right = repository_url.replace("postgres:@", f"{ROLE}:{password_checked}@", 1)
    wrong_password = repository_url.replace("postgres:@", f"{ROLE}:not-the-password@", 1)
    no_database = right.replace("/repo_", "/no_such_", 1)
    commands = (("repository", "publish"), ("repository", "stats", "--json"), ("search", "risk", "--scope", "national"))
    for url, said in ((wrong_password, "refused the role and password"), (no_database, "no such database or role")):
        for args in commands:
            result = cli(data, url, *args)
            assert result.returncode == 2, result.stderr
            assert said in result.stderr, result.stderr
            assert "Traceback" not in result.stderr and "psycopg" not in result.stderr
            assert "not-the-password" not in result.stderr + result.stdout
            assert password_checked not in result.stderr + result.stdout
    assert rows(repository_url, "SELECT count(*) FROM documents") == [(0,)]  # nothing half-written
    published = cli(data, right, "repository", "publish", "--json")
    assert published.returncode == 0, published.stderr
    assert rows(repository_url, "SELECT csp, count(*) FROM documents GROUP BY csp") == [("Northvale CSP", 1)]


def test_only_this_partnerships_own_documents_are_published_under_its_name(tmp_path, embedder, repository_url):
    """Whose a document is, the one rule of the figures and lessons (``document_meta.OWN_DOCUMENT``): linked to one
    of its reviews, or marked with its CSP (in any capitals), it is this partnership's and published under its
    name; marked with another's CSP, or with neither (the library's, from elsewhere), it is kept back."""
    northvale = make_workspace(
        tmp_path / "northvale", "Northvale CSP", embedder, {"21_devon-case17-louise-exec-summary.txt": "public"}
    )
    published_review(northvale.store, "DHR-2024-02")
    documents = {  # source name: (CSP, linked review)
        "19_leeds-one-minute-guide-dhr-learning.txt": ("", "DHR-2024-02"),
        "20_pennine-csp-learning-from-our-reviews.txt": ("northvale csp", None),
        "06_southampton-TL-exec-summary-pdfslide.txt": ("", None),
        "29_west-northants-dhr001-exec-summary.txt": ("West Northamptonshire CSP", None),
    }
    for name, (csp, review) in documents.items():
        result = northvale.ingest(
            (DHR / name).read_bytes(), name, viewer=COORD, kind="learning brief", access="public", csp=csp,
            review=review,
        )  # fmt: skip
        assert result.outcome == "ingested", result.reason
    report = publish(northvale.store, COORD, repository_url)
    assert rows(repository_url, "SELECT csp, source_name FROM documents ORDER BY source_name") == [
        ("Northvale CSP", "19_leeds-one-minute-guide-dhr-learning.txt"),
        ("Northvale CSP", "20_pennine-csp-learning-from-our-reviews.txt"),
        ("Northvale CSP", "21_devon-case17-louise-exec-summary.txt"),
    ]
    assert report.withheld == [
        "06_southampton-TL-exec-summary-pdfslide.txt: it is linked to none of this partnership's reviews and not "
        "marked with its CSP (the library's, from elsewhere): give it the CSP \"Northvale CSP\" on the Library page "
        "to share it",
        "29_west-northants-dhr001-exec-summary.txt: it is West Northamptonshire CSP's document, theirs to share",
    ]
