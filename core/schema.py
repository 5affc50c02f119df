"""Schema migrations (sqlite-utils' built-in ``Migrations``). Append new steps; never edit old ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from core.db import Store
from core.text import finding_key

migrations = Migrations("dhr")


@migrations()
def m001_foundation(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL
                CHECK (role IN ('coordinator', 'chair', 'agency_lead', 'partner', 'board')),
            agency TEXT,
            password_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );

        CREATE TABLE agencies (name TEXT PRIMARY KEY);

        CREATE TABLE rule_sets (
            name TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            title TEXT NOT NULL,
            definition TEXT NOT NULL
        );

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            pseudonym TEXT NOT NULL,
            csp TEXT NOT NULL,
            review_type TEXT NOT NULL CHECK (review_type IN ('DHR', 'DARDR', 'joint DHR/SAR')),
            death_date TEXT,
            notification_date TEXT NOT NULL,
            decision TEXT NOT NULL DEFAULT 'pending'
                CHECK (decision IN ('pending', 'hold', 'not_to_hold')),
            decision_reasons TEXT NOT NULL DEFAULT '',
            chair TEXT REFERENCES users (username) ON UPDATE CASCADE,
            rule_set TEXT NOT NULL REFERENCES rule_sets (name),
            notes TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE review_agencies (
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            agency TEXT NOT NULL REFERENCES agencies (name),
            PRIMARY KEY (review_id, agency)
        );

        CREATE TABLE panel_members (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            agency TEXT NOT NULL REFERENCES agencies (name),
            role TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE confidential_names (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            category TEXT NOT NULL
                CHECK (category IN ('victim', 'perpetrator', 'child', 'other')),
            name TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE stage_events (
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            completed_on TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (review_id, stage)
        );

        CREATE TABLE pauses (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            reason TEXT NOT NULL CHECK (reason IN
                ('criminal_trial', 'inquest', 'iopc', 'other_review', 'family_request', 'other')),
            details TEXT NOT NULL DEFAULT '',
            start TEXT NOT NULL,
            "end" TEXT,
            agreed_with_home_office INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE agency_returns (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            agency TEXT NOT NULL REFERENCES agencies (name),
            kind TEXT NOT NULL CHECK (kind IN ('IMR', 'chronology', 'summary report')),
            requested TEXT NOT NULL,
            due TEXT NOT NULL,
            received TEXT
        );

        CREATE TABLE return_chases (
            id INTEGER PRIMARY KEY,
            return_id INTEGER NOT NULL REFERENCES agency_returns (id) ON DELETE CASCADE,
            chased_on TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        """,
    )


def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    """Run DDL one statement at a time: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def open_store(path: Path) -> Store:
    """Open (creating if needed) a workspace database and bring its schema up to date."""
    store = Store(path)
    store.apply_migrations(migrations)
    return store


@migrations()
def m002_library(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('overview report', 'executive summary', 'learning brief',
                'QA letter', 'action plan', 'national analysis', 'strategy', 'other')),
            review_id INTEGER REFERENCES reviews (id) ON DELETE SET NULL,
            csp TEXT NOT NULL DEFAULT '',
            year INTEGER,
            access TEXT NOT NULL CHECK (access IN ('public', 'partners', 'confidential')),
            source_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'indexed', 'failed')),
            error TEXT,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            indexed_at TEXT
        );
        CREATE UNIQUE INDEX documents_source ON documents (source_name);
        CREATE INDEX documents_sha ON documents (sha256);

        -- AUTOINCREMENT: a chunk id is never reused, so a stale index entry cannot name a new chunk
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            page INTEGER,
            heading TEXT NOT NULL DEFAULT '',
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            embedding BLOB NOT NULL,
            UNIQUE (document_id, ordinal)
        )
        """,
    )


@migrations()
def m003_qa_and_actions(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE qa_submissions (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            round INTEGER NOT NULL,
            sent_on TEXT NOT NULL,
            panel_date TEXT,
            letter_date TEXT,
            outcome TEXT CHECK (outcome IN ('approved', 'approved_subject_to_amendments', 'resubmit')),
            letter_document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
            notes TEXT NOT NULL DEFAULT '',
            UNIQUE (review_id, round)
        );

        CREATE TABLE qa_areas (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES qa_submissions (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            theme TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'addressed', 'not_accepted')),
            response TEXT NOT NULL DEFAULT '',
            answered_by TEXT,
            answered_on TEXT,
            UNIQUE (submission_id, number)
        );

        CREATE TABLE recommendations (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            number TEXT NOT NULL,
            text TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('single-agency', 'multi-agency', 'national', 'CSP')),
            target_agencies TEXT NOT NULL DEFAULT '[]',
            themes TEXT NOT NULL DEFAULT '[]',
            finding TEXT NOT NULL DEFAULT '',
            UNIQUE (review_id, number)
        );

        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            recommendation_id INTEGER NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
            description TEXT NOT NULL,
            owner_agency TEXT NOT NULL REFERENCES agencies (name),
            lead_officer TEXT NOT NULL DEFAULT '',
            target_date TEXT,
            target_text TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'not_started'
                CHECK (status IN ('not_started', 'in_progress', 'complete', 'blocked')),
            completed_on TEXT,
            evidence TEXT NOT NULL DEFAULT '',
            evidence_document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
            signed_off_by TEXT,
            signed_off_on TEXT,
            rag_override TEXT CHECK (rag_override IN ('red', 'amber', 'green')),
            rag_override_reason TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE action_progress (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
            noted_on TEXT NOT NULL,
            author TEXT NOT NULL,
            note TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT ''
        )
        """,
    )


@migrations()
def m004_drafting_kit(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        ALTER TABLE reviews ADD COLUMN published_url TEXT;

        CREATE TABLE chronology_entries (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            event_date TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
            event_time TEXT NOT NULL DEFAULT '',
            agency TEXT NOT NULL,
            event TEXT NOT NULL,
            source_reference TEXT NOT NULL DEFAULT '',
            source_file TEXT NOT NULL DEFAULT '',
            duplicate_of INTEGER REFERENCES chronology_entries (id) ON DELETE SET NULL,
            duplicate_status TEXT CHECK (duplicate_status IN ('suspected', 'confirmed', 'rejected'))
        );

        CREATE TABLE publication_acceptances (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
            finding_key TEXT NOT NULL,
            reason TEXT NOT NULL,
            accepted_by TEXT NOT NULL,
            accepted_at TEXT NOT NULL,
            UNIQUE (review_id, finding_key)
        )
        """,
    )


@migrations()
def m005_safe_to_deploy(db: sqlite_utils.Database) -> None:
    """Sign-in throttling by user name, sign-in records, rule-set versions kept side by side,
    publication acceptances keyed on what a finding is, and stable chronology fingerprints."""
    _run_statements(
        db,
        """
        CREATE TABLE sign_in_throttle (
            username TEXT PRIMARY KEY,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT
        );
        INSERT INTO sign_in_throttle (username, failed_attempts, locked_until)
            SELECT username, failed_attempts, locked_until FROM users
            WHERE failed_attempts > 0 OR locked_until IS NOT NULL;

        CREATE TABLE sign_in_events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('signed_in', 'failed', 'locked', 'inactive'))
        );

        CREATE TABLE rule_set_versions (
            name TEXT NOT NULL REFERENCES rule_sets (name),
            version TEXT NOT NULL,
            title TEXT NOT NULL,
            definition TEXT NOT NULL,
            installed_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (name, version)
        );
        INSERT INTO rule_set_versions (name, version, title, definition)
            SELECT name, version, title, definition FROM rule_sets;
        ALTER TABLE reviews ADD COLUMN rule_set_version TEXT;
        UPDATE reviews SET rule_set_version = (SELECT version FROM rule_sets WHERE rule_sets.name = reviews.rule_set);

        ALTER TABLE chronology_entries ADD COLUMN fingerprint TEXT NOT NULL DEFAULT ''
        """,
    )
    _rekey_publication_acceptances(db)


def _rekey_publication_acceptances(db: sqlite_utils.Database) -> None:
    """Old keys were kind|text|location; a finding is now keyed on kind|folded text only."""
    seen: set[tuple[int, str]] = set()
    for row in list(db["publication_acceptances"].rows):
        kind, text = row["finding_key"].split("|")[:2]
        key = finding_key(kind, text)
        if (row["review_id"], key) in seen:
            db["publication_acceptances"].delete(row["id"])
            continue
        seen.add((row["review_id"], key))
        db["publication_acceptances"].update(row["id"], {"finding_key": key})


@migrations()
def m006_themes(db: sqlite_utils.Database) -> None:
    """Theme vocabulary as data, passage and document tags, people's decisions, suggestions for
    recommendations, QA areas and actions, emerging themes, and a cache of short texts' vectors."""
    _run_statements(
        db,
        """
        CREATE TABLE theme_vocabularies (
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            definition TEXT NOT NULL,
            installed_at TEXT NOT NULL,
            PRIMARY KEY (name, version)
        );

        CREATE TABLE themes (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            grp TEXT NOT NULL CHECK (grp IN ('abuse', 'circumstances', 'practice', 'recommendation')),
            description TEXT NOT NULL,
            seeds TEXT NOT NULL DEFAULT '[]',
            requires_words INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL CHECK (origin IN ('vocabulary', 'local')),
            vocabulary_version TEXT,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        );

        CREATE TABLE passage_themes (
            chunk_id INTEGER NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
            theme_key TEXT NOT NULL REFERENCES themes (key) ON DELETE CASCADE,
            score REAL NOT NULL,
            PRIMARY KEY (chunk_id, theme_key)
        );
        CREATE INDEX passage_themes_theme ON passage_themes (theme_key);

        CREATE TABLE document_themes (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            theme_key TEXT NOT NULL REFERENCES themes (key) ON DELETE CASCADE,
            passages INTEGER NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (document_id, theme_key)
        );
        CREATE INDEX document_themes_theme ON document_themes (theme_key);

        CREATE TABLE theme_decisions (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL CHECK (target IN ('passage', 'recommendation', 'qa_area', 'action')),
            target_id INTEGER NOT NULL,
            theme_key TEXT NOT NULL REFERENCES themes (key) ON DELETE CASCADE,
            decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
            text TEXT NOT NULL,
            embedding BLOB NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            UNIQUE (target, target_id, theme_key)
        );

        CREATE TABLE item_themes (
            target TEXT NOT NULL CHECK (target IN ('recommendation', 'qa_area', 'action')),
            target_id INTEGER NOT NULL,
            theme_key TEXT NOT NULL REFERENCES themes (key) ON DELETE CASCADE,
            score REAL NOT NULL,
            PRIMARY KEY (target, target_id, theme_key)
        );

        CREATE TABLE emerging_themes (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            terms TEXT NOT NULL,
            computed_at TEXT NOT NULL
        );
        CREATE TABLE emerging_members (
            emerging_id INTEGER NOT NULL REFERENCES emerging_themes (id) ON DELETE CASCADE,
            chunk_id INTEGER NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
            closeness REAL NOT NULL,
            PRIMARY KEY (emerging_id, chunk_id)
        );

        CREATE TABLE text_vectors (
            sha TEXT PRIMARY KEY,
            embedding BLOB NOT NULL
        )
        """,
    )


@migrations()
def m007_statutory_agencies(db: sqlite_utils.Database) -> None:
    """A workspace with no agencies starts with those the statutory guidance names (renamable, removable)."""
    from core.agencies import DEFAULT_AGENCIES

    if not db["agencies"].count:
        db["agencies"].insert_all({"name": name} for name in DEFAULT_AGENCIES)


@migrations()
def m008_partner_agencies(db: sqlite_utils.Database) -> None:
    """An action's partner agencies (an imported "Police; CPS" is an owner and a partner)."""
    _run_statements(
        db,
        """
        CREATE TABLE action_partners (
            action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
            agency TEXT NOT NULL REFERENCES agencies (name),
            PRIMARY KEY (action_id, agency)
        )
        """,
    )


@migrations()
def m009_audit_reasons(db: sqlite_utils.Database) -> None:
    """Why a record was deleted (or corrected), kept in the audit log beside the change."""
    _run_statements(db, "ALTER TABLE audit_log ADD COLUMN reason TEXT")


@migrations()
def m010_password_changed_at(db: sqlite_utils.Database) -> None:
    """When each account's password last changed: a session signed in before then ends."""
    _run_statements(db, "ALTER TABLE users ADD COLUMN password_changed_at TEXT")


@migrations()
def m011_no_control_characters(db: sqlite_utils.Database) -> None:
    """Text stored before control characters were stripped at input loses them now, so no Word or
    Excel export can fail on one (what the characters were is not text anyone wrote)."""
    _without_controls_everywhere(db)


def _without_controls_everywhere(db: sqlite_utils.Database) -> None:
    """Every stored text column but the audit log's, through ``core.text.without_controls`` (a row whose
    cleaned text would collide with another's unique key is left as it is: opening never fails on it)."""
    from core.text import without_controls

    db.conn.create_function("without_controls", 1, without_controls, deterministic=True)
    for table in db.table_names():
        if table == "audit_log" or table.startswith(("sqlite_", "_")):
            continue
        for column in db[table].columns:
            if column.type.upper() == "TEXT":
                db.execute(
                    f'UPDATE OR IGNORE "{table}" SET "{column.name}" = without_controls("{column.name}") '
                    f'WHERE "{column.name}" != without_controls("{column.name}")'
                )


@migrations()
def m012_vector_store(db: sqlite_utils.Database) -> None:
    """Each passage's vector for search (embedded with its document's title and heading; the passage's
    own vector stays for themes), and where each document's passages lie in the memory-mapped vector
    store (indexing/vectors.py): empty until the library next opens and fills the store from SQLite."""
    db["chunks"].add_column("search_embedding", bytes)
    db["documents"].add_column("vector_start", int)
    db["documents"].add_column("vector_end", int)


@migrations()
def m013_qa_answer_by(db: sqlite_utils.Database) -> None:
    """The date the QA panel's letter asks the areas for development to be answered by (optional: a
    letter that sets none leaves its areas without a date, never overdue)."""
    db["qa_submissions"].add_column("answer_by", str)


@migrations()
def m014_email(db: sqlite_utils.Database) -> None:
    """Email: people's addresses, each agency's named contact for chasers, the message templates a
    coordinator edits, and the outbox: every reminder and chaser composed, once (its key), until sent."""
    db["users"].add_column("email", str)
    db["agencies"].add_column("contact_name", str)
    db["agencies"].add_column("contact_email", str)
    _run_statements(
        db,
        """
        CREATE TABLE mail_templates (
            key TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            body TEXT NOT NULL
        );

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            composed_on TEXT NOT NULL,
            return_id INTEGER REFERENCES agency_returns (id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            sent_at TEXT
        );
        CREATE INDEX outbox_pending ON outbox (status);
        """,
    )


@migrations()
def m015_single_sign_on(db: sqlite_utils.Database) -> None:
    """Single sign-on: the identity (issuer and subject) an account signs in with through the council's
    provider, and the people the provider signed in whom no account knows yet, waiting for a role."""
    db["users"].add_column("sso_identity", str)
    _run_statements(
        db,
        """
        CREATE UNIQUE INDEX users_sso_identity ON users (sso_identity) WHERE sso_identity IS NOT NULL;

        CREATE TABLE sso_requests (
            identity TEXT PRIMARY KEY,
            email TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1
        );
        """,
    )


@migrations()
def m016_progress_evidence_document(db: sqlite_utils.Database) -> None:
    """The library document a progress note attached as evidence, so that deleting the note takes its
    evidence off the action (notes written before this keep none; the action keeps what it had)."""
    db.execute(
        "ALTER TABLE action_progress ADD COLUMN evidence_document_id INTEGER "
        "REFERENCES documents (id) ON DELETE SET NULL"
    )


@migrations()
def m020_sign_in_key(db: sqlite_utils.Database) -> None:
    """A secret with which a typed user name that names no account is recorded as a digest (it may be a
    password typed into the wrong box); such names already stored in clear (sign-in events, the
    throttle, their audit rows) are rewritten so."""
    import secrets

    from core.accounts import _sign_in_key

    db.execute("CREATE TABLE sign_in_key (secret TEXT NOT NULL)")
    db["sign_in_key"].insert({"secret": secrets.token_hex(32)})
    known = {row["username"] for row in db["users"].rows}

    def key(name: str) -> str:
        return name if name in known or name.startswith("unknown:") else _sign_in_key(db, name)

    for row in list(db["sign_in_events"].rows):
        db["sign_in_events"].update(row["id"], {"username": key(row["username"])})
    for row in list(db["sign_in_throttle"].rows):
        name = row["username"]
        db.execute("UPDATE sign_in_throttle SET username = ? WHERE username = ?", [key(name), name])
    for row in list(db["audit_log"].rows_where("entity IN ('sign_in_events', 'sign_in_throttle')")):
        changes = {"actor": key(row["actor"])}
        for column in ("before", "after"):
            record = json.loads(row[column]) if row[column] else None
            if record and "username" in record:
                changes[column] = json.dumps(record | {"username": key(record["username"])})
        if row["entity"] == "sign_in_throttle":
            changes["entity_id"] = json.dumps(key(json.loads(row["entity_id"])))
        db["audit_log"].update(row["id"], changes)


@migrations()
def m021_outbox_news(db: sqlite_utils.Database) -> None:
    """The outbox sends only current news: a message is taken before it is sent (two runs never send it
    twice), withdrawn when it is no longer due, expired when not sent in time (with the reason), and
    knows the action it reminds of so it can be checked again just before it goes."""
    _run_statements(
        db,
        """
        CREATE TABLE outbox_new (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            composed_on TEXT NOT NULL,
            return_id INTEGER REFERENCES agency_returns (id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'taken', 'sent', 'withdrawn', 'expired')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            sent_at TEXT,
            first_composed_on TEXT NOT NULL,
            action_id INTEGER REFERENCES actions (id) ON DELETE SET NULL,
            taken_at TEXT,
            closed_reason TEXT
        );
        INSERT INTO outbox_new (id, key, kind, recipient, subject, body, composed_on, return_id, status, attempts,
                                last_error, sent_at, first_composed_on)
            SELECT id, key, kind, recipient, subject, body, composed_on, return_id, status, attempts,
                   last_error, sent_at, composed_on
            FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_new RENAME TO outbox;
        CREATE INDEX outbox_pending ON outbox (status);
        """,
    )


@migrations()
def m022_sso_claims_and_identities(db: sqlite_utils.Database) -> None:
    """Whether an account's role follows the provider's claims (accounts a claim created), and no sign-in
    without an issuer or a subject: such requests are dropped and such identities cleared."""
    db.execute("ALTER TABLE users ADD COLUMN role_from_claim INTEGER NOT NULL DEFAULT 0")
    _run_statements(
        db,
        """
        UPDATE users SET role_from_claim = 1
            WHERE sso_identity IS NOT NULL AND id IN (
                SELECT CAST(entity_id AS INTEGER) FROM audit_log
                WHERE entity = 'users' AND action = 'insert' AND actor LIKE 'sso:%');
        DELETE FROM sso_requests WHERE identity LIKE '|%' OR identity LIKE '%|' OR trim(identity) = '';
        UPDATE users SET sso_identity = NULL WHERE sso_identity LIKE '|%' OR sso_identity LIKE '%|'
        """,
    )


@migrations()
def m032_action_outcomes(db: sqlite_utils.Database) -> None:
    """What an action plan says an action should achieve and how success is measured: the columns a
    council plan calls "Outcomes" and "Measurement/Evidence", kept apart from evidence of delivery."""
    db["actions"].add_column("expected_outcome", str, not_null_default="")
    db["actions"].add_column("success_measure", str, not_null_default="")


@migrations()
def m033_pause_start_not_recorded(db: sqlite_utils.Database) -> None:
    """A pause brought in from a tracker that says "On hold – criminal trial" without saying since when:
    its start is not recorded (NULL) until the coordinator confirms it."""
    db["pauses"].transform(not_null={"start": False})


@migrations()
def m036_document_reading(db: sqlite_utils.Database) -> None:
    """What the library reads out of each document (indexing/reading): the case facts, each with the sentence
    it came from and the coordinator's confirmation or correction (which wins), and the recommendations the
    report makes, each once with its addressee. ``documents.read_version`` is the reader that read it (NULL:
    not yet read, as for every document of an earlier release; the app reads those when it starts)."""
    db["documents"].add_column("read_version", int)
    _run_statements(
        db,
        """
        -- one row per document and fact, value and corrected_value as JSON (null: the text does not say)
        CREATE TABLE document_facts (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            field TEXT NOT NULL CHECK (field IN ('victim_age', 'victim_sex', 'perpetrator_age', 'perpetrator_sex',
                'relationship', 'perpetrator_suicide', 'death')),
            value TEXT NOT NULL DEFAULT 'null',
            sentence TEXT NOT NULL DEFAULT '',
            char_start INTEGER,
            corrected_value TEXT,
            corrected_by TEXT,
            corrected_at TEXT,
            PRIMARY KEY (document_id, field)
        );

        -- each recommendation a report makes, once, in the order it first appears
        CREATE TABLE document_recommendations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            number TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            addressee TEXT NOT NULL DEFAULT '',
            agency TEXT,
            national INTEGER NOT NULL DEFAULT 0 CHECK (national IN (0, 1)),
            UNIQUE (document_id, ordinal)
        );
        CREATE INDEX document_recommendations_national ON document_recommendations (national)
        """,
    )


@migrations()
def m037_theme_salience(db: sqlite_utils.Database) -> None:
    """A document is about a theme when enough of it is: each document theme's share of the document's
    passages (salience) and whether that makes it salient (NULL until the next tagging or re-tag:
    counted as before until then); and themes recognised by patterns of words (ages, euphemisms,
    relationships), kept as vocabulary data."""
    db["document_themes"].add_column("salience", float, not_null_default=0.0)
    db["document_themes"].add_column("salient", int)
    db["themes"].add_column("patterns", str, not_null_default="[]")


@migrations()
def m038_emerging_shared_labels(db: sqlite_utils.Database) -> None:
    """An emerging theme's label and terms as built only from passages partners may read (public and
    partners documents), with the members that built them, so that nobody else is shown words from a
    confidential document. NULL (never shown to them) until the emerging themes are recomputed."""
    db["emerging_themes"].add_column("shared_label", str)
    db["emerging_themes"].add_column("shared_terms", str)
    db["emerging_themes"].add_column("shared_basis", str)


@migrations()
def m039_no_xml_invalid_text(db: sqlite_utils.Database) -> None:
    """U+FFFE, U+FFFF (and lone surrogates) stored before they were removed at input go now: Word and
    Excel cannot hold them, and one in an action or a review broke every export that included it."""
    _without_controls_everywhere(db)


@migrations()
def m040_logo_as_png(db: sqlite_utils.Database) -> None:
    """A logo stored as uploaded is stored as the PNG set_logo now makes of it (a CMYK JPEG or a PNG
    Word refuses broke every export); one that cannot be made into a PNG Word holds is removed."""
    import base64

    from core.errors import ValidationError
    from core.workspace import KEYS, logo_png

    rows = list(db["settings"].rows_where("key = ? AND value IS NOT NULL", [KEYS["logo"]]))
    if not rows:
        return
    try:
        png = base64.b64encode(logo_png(base64.b64decode(rows[0]["value"]))).decode("ascii")
    except (ValidationError, ValueError):
        png = None
    db.execute("UPDATE settings SET value = ? WHERE key = ?", [png, KEYS["logo"]])


def _add_fact_field(db: sqlite_utils.Database, field: str, *, after: str, migration: str, left_by: str) -> None:
    """Rebuild ``document_facts`` with ``field`` added after ``after``, the last of the fields its CHECK allows
    (SQLite cannot alter a CHECK): the table otherwise as ``left_by`` left it, every row kept."""
    (created,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document_facts'").fetchone()
    # m036 stored the name bare; a rename (m043's) stores it quoted: CREATE TABLE "document_facts"
    rebuilt = re.sub(r'^CREATE TABLE "?document_facts"?', "CREATE TABLE document_facts_new", created).replace(
        f"'{after}'))", f"'{after}', '{field}'))", 1
    )
    if rebuilt.count(field) != 1:
        raise RuntimeError(f"document_facts is not as {left_by} left it; {migration} cannot add {field}")
    _run_statements(
        db,
        f"""
        {rebuilt};
        INSERT INTO document_facts_new SELECT * FROM document_facts;
        DROP TABLE document_facts;
        ALTER TABLE document_facts_new RENAME TO document_facts
        """,
    )


@migrations()
def m043_children_in_household(db: sqlite_utils.Database) -> None:
    """Children in the household is a case fact (#22 item 1): ``document_facts`` is rebuilt with the field
    added to the ones its CHECK allows (the table otherwise as m036 made it), every fact read and every
    correction kept. Documents are read again by the new reader when the app starts (``read_unread``),
    which keeps each correction."""
    _add_fact_field(db, "children_in_household", after="death", migration="m043", left_by="m036")


@migrations()
def m045_theme_not_within(db: sqlite_utils.Database) -> None:
    """Phrases within which a theme's seed phrase names something else (a service, a review type, a
    body: "Child Safeguarding Practice Review" is no mention of children), kept as vocabulary data."""
    db["themes"].add_column("not_within", str, not_null_default="[]")


@migrations()
def m052_victim_age_band(db: sqlite_utils.Database) -> None:
    """The victim's age as a stated band ("in her late 70s") is a case fact beside the exact age (#22):
    ``document_facts`` is rebuilt with the field added to the ones its CHECK allows (the table otherwise as
    m043 left it), every fact read and every correction kept. Documents are read again by the new reader
    when the app starts (``read_unread``), which keeps each correction."""
    _add_fact_field(db, "victim_age_band", after="children_in_household", migration="m052", left_by="m043")


@migrations()
def m046_passage_sentences(db: sqlite_utils.Database) -> None:
    """Each passage's sentence vectors (float16 rows of one BLOB), stored at ingest for search's re-rank
    (indexing/sentence_vectors.py). A workspace from an earlier release starts with none: search ranks as it
    did without them until ``python -m indexing rebuild`` fills them."""
    _run_statements(
        db,
        """
        CREATE TABLE passage_sentences (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks (id) ON DELETE CASCADE,
            vectors BLOB NOT NULL
        )
        """,
    )


@migrations()
def m059_emerging_computed_for(db: sqlite_utils.Database) -> None:
    """Emerging themes now record the library version they were computed for (``emerging_library_version``
    in settings), so the Themes page can say when documents came since. A workspace whose earlier release
    computed them keeps them as current; one that never computed any is told to."""
    _run_statements(
        db,
        """
        INSERT OR IGNORE INTO settings (key, value)
        SELECT 'emerging_library_version', value FROM settings
        WHERE key = 'library_version' AND EXISTS (SELECT 1 FROM emerging_themes)
        """,
    )


@migrations()
def m066_agency_matched_when_read(db: sqlite_utils.Database) -> None:
    """The workspace agency a report's recommendation is addressed to is matched when it is read, against the
    agencies as they stand (``indexing.reading.records.recommendation_rows``): the match stored at reading went
    stale when the coordinator added, renamed or removed an agency, so the column goes."""
    _run_statements(db, "ALTER TABLE document_recommendations DROP COLUMN agency")


@migrations()
def m077_agency_names(db: sqlite_utils.Database) -> None:
    """The names plans give agencies, mapped once by the coordinator to a listed agency (``core.agencies.
    remember_names``): an imported plan's "Ashcombe Police" mapped to Police on the command line or the page is
    read as Police the next time, on either. A workspace from an earlier release remembers none until its next
    import maps them."""
    _run_statements(
        db,
        """
        CREATE TABLE agency_names (
            name TEXT PRIMARY KEY,
            agency TEXT NOT NULL REFERENCES agencies (name)
        )
        """,
    )


@migrations()
def m086_passage_theme_general(db: sqlite_utils.Database) -> None:
    """Whether a passage names a theme only in general statements (what holds of many people or cases: a figure,
    a definition, what research finds; ``indexing.tagger.general_statements``): a mention the passage view keeps, no
    evidence that a document telling one case is about the theme. 0 for every tag of an earlier release, counted
    as before until the next re-tag (a new vocabulary re-tags at start)."""
    db["passage_themes"].add_column("general", int, not_null_default=0)


@migrations()
def m102_closed_date_missing(db: sqlite_utils.Database) -> None:
    """A review recorded as closed without the date it closed on (a tracker's "Closed" with no date): closed, its
    closure date data for the coordinator to complete (``reviews.stages.missing_stages``). 0 for every review."""
    db["reviews"].add_column("closed_date_missing", int, not_null_default=0)
