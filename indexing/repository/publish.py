"""Publishing a partnership's learning to the shared repository: explicit, idempotent, withdrawable.

What may be shared is decided here, from the workspace: indexed documents marked public (and
partners-level ones when the partnership chooses), never confidential ones, never one of a review
that is not yet published (a draft), never one that is not this partnership's (``OWN_DOCUMENT``: linked to
one of its reviews or marked with its CSP), never one that names a person in any review's confidential
register; their passages, search vectors and themes; and, for published reviews, the recommendations
with their actions' status (owner agency, dates, status: no officer's name, no progress notes).

``publish`` compares each row's fingerprint with what the repository holds for this partnership,
replaces what changed, adds what is new, withdraws what is no longer shared, all in one PostgreSQL
transaction under a per-partnership advisory lock: publishing twice changes nothing, two processes
publishing at once neither lose nor double a row.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from core.accounts import Viewer, require_coordinator
from core.db import Store
from core.errors import ValidationError
from core.workspace import load as load_settings
from core.workspace import put_setting, setting
from indexing.chunking import LOW_INFORMATION_RULE, low_information
from indexing.document_meta import OWN_DOCUMENT
from indexing.embeddings import from_blob
from indexing.reading.records import fact_rows
from indexing.repository import connect
from indexing.repository.schema import mark_low_information

SHARE_PARTNERS_KEY = "repository_share_partners"  # in the workspace's settings: "1" shares partners-level documents
TABLES = ("documents", "recommendations", "actions", "case_facts", "extracted_recommendations")
DEPENDENT_KEYS = {  # the tables published after the documents, with the keys that name a row
    "case_facts": ("document_id",),
    "extracted_recommendations": ("document_id", "number"),
    "recommendations": ("recommendation_id",),
    "actions": ("action_id",),
}


@dataclass
class Change:
    added: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0

    def as_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "withdrawn": self.withdrawn, "unchanged": self.unchanged}


@dataclass
class PublishReport:
    csp: str
    changes: dict[str, Change] = field(default_factory=lambda: {name: Change() for name in TABLES})
    passages: int = 0  # passages sent (of added or updated documents)
    remarked: int = 0  # passages held whose low-information mark the current rule changed
    withheld: list[str] = field(default_factory=list)  # "name: why" for what the workspace kept back

    @property
    def changed(self) -> bool:
        return self.remarked > 0 or any(c.added or c.updated or c.withdrawn for c in self.changes.values())

    def as_json(self) -> dict:
        return {
            "csp": self.csp,
            "passages": self.passages,
            "passages_remarked": self.remarked,
            "withheld": self.withheld,
            **{name: change.as_json() for name, change in self.changes.items()},
        }

    def lines(self) -> list[str]:
        words = {"extracted_recommendations": "recommendations read from reports", "case_facts": "case facts"}
        out = [f"Published as {self.csp}:"]
        for name, c in self.changes.items():
            out.append(
                f"  {words.get(name, name)}: {c.added} added, {c.updated} updated, "
                f"{c.withdrawn} withdrawn, {c.unchanged} unchanged"
            )
        out.append(f"  passages sent: {self.passages}")
        if self.remarked:
            out.append(f"  passages marked again as table debris or prose (the rule changed): {self.remarked}")
        out += [f"  kept back: {reason}" for reason in self.withheld]
        if not self.changed:
            out.append("Nothing changed: the repository already holds what this workspace shares.")
        return out


@dataclass
class Shared:
    """Everything the workspace may share, keyed like the repository's rows, each with a fingerprint."""

    documents: dict[tuple, dict] = field(default_factory=dict)
    recommendations: dict[tuple, dict] = field(default_factory=dict)
    actions: dict[tuple, dict] = field(default_factory=dict)
    case_facts: dict[tuple, dict] = field(default_factory=dict)
    extracted_recommendations: dict[tuple, dict] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)


def shares_partners_documents(store: Store) -> bool:
    return setting(store.read(), SHARE_PARTNERS_KEY) == "1"


def choose_partners_sharing(store: Store, viewer: Viewer, share: bool) -> None:
    """The coordinator chooses whether partners-level documents are shared too (public ones always are)."""
    require_coordinator(viewer)
    with store.write(viewer.username) as tx:
        put_setting(tx, SHARE_PARTNERS_KEY, "1" if share else "0")


def _fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _register_names(db: sqlite_utils.Database) -> list[str]:
    """Every name in every review's confidential register, sorted."""
    return sorted({row[0].strip() for row in db.execute("SELECT name FROM confidential_names") if row[0].strip()})


def _names_pattern(db: sqlite_utils.Database) -> re.Pattern | None:
    """Whole-word, case-blind match of every name in every review's confidential register."""
    names = _register_names(db)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)


def extracted_learning(db: sqlite_utils.Database) -> tuple[list[dict], list[dict]]:
    """Case facts ``{"document_id", "facts": {...}}`` (a coordinator's correction wins; the sentences they
    came from stay here) and recommendations read from reports ``{"document_id", "number", "text",
    "addressee"}`` that the workspace holds for its documents (indexing/reading). A recommendation the
    report does not number is keyed by its place in the report, "(3)", so each is shared once."""
    facts = [
        {"document_id": document_id, "facts": {name: fact["value"] for name, fact in sorted(fields.items())}}
        for document_id, fields in sorted(fact_rows(db).items())
    ]
    extracted = [
        {
            "document_id": row["document_id"],
            "number": row["number"] or f"({row['ordinal']})",
            "text": row["text"],
            "addressee": row["addressee"],
        }
        for row in db.query("SELECT * FROM document_recommendations ORDER BY document_id, ordinal")
    ]
    return facts, extracted


def gather(store: Store, csp: str, checked: dict[tuple, str] | None = None) -> Shared:
    """What this workspace may share under the partnership name ``csp``, read from SQLite in one snapshot: a document
    only when it is that partnership's (``OWN_DOCUMENT``, the one rule of every figure and lesson, bound to the name
    the shared rows carry, ``publishing_csp``). ``checked``: the documents the
    repository holds, with the fingerprint each was published with, all found free of every name the
    confidential registers hold now; a document still as it was published is not read again for names
    (None: every document is read, as ``verify`` does)."""
    checked = checked or {}
    db = store.read()
    shared = Shared()
    share_partners = shares_partners_documents(store)
    names = _names_pattern(db)
    published = {row[0] for row in db.execute("SELECT review_id FROM stage_events WHERE stage = 'published'")}
    documents = db.query(
        f"""SELECT documents.*, reviews.reference AS review, {OWN_DOCUMENT} AS own FROM documents
            LEFT JOIN reviews ON reviews.id = documents.review_id
            WHERE documents.status = 'indexed'
              AND (documents.access = 'public' OR (documents.access = 'partners' AND :share_partners))
            ORDER BY documents.id""",
        {"partnership": csp, "share_partners": share_partners},
    )
    if not share_partners:
        partners_level = db.execute(
            "SELECT count(*) FROM documents WHERE status = 'indexed' AND access = 'partners'"
        ).fetchone()[0]
        if partners_level:  # else a workspace of partners-level documents publishes nothing and says nothing of why
            shared.withheld.append(
                f"{partners_level} partners-level document(s): only public ones are shared until the coordinator "
                'ticks "Share partners-level documents too" on the Library page'
            )
    tags = _passage_tags(db)
    for doc in documents:
        if doc["review_id"] is not None and doc["review_id"] not in published:
            shared.withheld.append(f"{doc['source_name']}: its review ({doc['review']}) is not published yet")
            continue
        if not doc["own"]:  # shared under this partnership's name, it would misname another's or the library's
            shared.withheld.append(f"{doc['source_name']}: {_whose(doc['csp'], csp)}")
            continue
        chunk_ids = [
            row[0] for row in db.execute("SELECT id FROM chunks WHERE document_id = ? ORDER BY id", [doc["id"]])
        ]
        record = {
            "document_id": doc["id"],
            "title": doc["title"],
            "kind": doc["kind"],
            "year": doc["year"],
            "access": doc["access"],
            "review": doc["review"],
            "source_name": doc["source_name"],
        }
        theme_rows = [tags.get(c, []) for c in chunk_ids]
        record["fingerprint"] = _fingerprint(record, doc["sha256"], chunk_ids, theme_rows)
        if names and checked.get((doc["id"],)) != record["fingerprint"] and _names_any(db, names, doc):
            shared.withheld.append(f"{doc['source_name']}: it names a person in a review's confidential register")
            continue
        shared.documents[(doc["id"],)] = record
    facts, extracted = extracted_learning(db)
    for row in facts:
        if (row["document_id"],) in shared.documents:
            shared.case_facts[(row["document_id"],)] = row | {"fingerprint": _fingerprint(row)}
    for row in extracted:
        if (row["document_id"],) in shared.documents:
            key = (row["document_id"], row["number"])
            shared.extracted_recommendations[key] = row | {"fingerprint": _fingerprint(row)}
    _gather_recommendations(db, shared, published, names)
    return shared


def _whose(marked: str, csp: str) -> str:
    """Why a document marked with the CSP ``marked`` is not published under the name ``csp``: it is not this
    partnership's (``OWN_DOCUMENT``)."""
    if marked:
        return f"it is {marked}'s document, theirs to share"
    return (
        "it is linked to none of this partnership's reviews and not marked with its CSP (the library's, from "
        f'elsewhere): give it the CSP "{csp}" on the Library page to share it'
    )


def _names_any(db: sqlite_utils.Database, names: re.Pattern, doc: dict) -> bool:
    if names.search(doc["title"]):
        return True
    return any(
        names.search(text) or names.search(heading)
        for text, heading in db.execute("SELECT text, heading FROM chunks WHERE document_id = ?", [doc["id"]])
    )


def _passage_tags(db: sqlite_utils.Database) -> dict[int, list]:
    tags: dict[int, list] = {}
    for chunk_id, key, score in db.execute(
        "SELECT chunk_id, theme_key, round(score, 4) FROM passage_themes ORDER BY chunk_id, theme_key"
    ):
        tags.setdefault(chunk_id, []).append([key, score])
    return tags


def _gather_recommendations(db, shared: Shared, published: set[int], names: re.Pattern | None) -> None:
    if not published:
        return
    marks = ", ".join("?" * len(published))
    rows = db.query(
        f"""SELECT recommendations.*, reviews.reference AS review FROM recommendations
            JOIN reviews ON reviews.id = recommendations.review_id
            WHERE recommendations.review_id IN ({marks}) ORDER BY recommendations.id""",
        list(published),
    )
    for rec in rows:
        if names and names.search(rec["text"]):
            shared.withheld.append(
                f"recommendation {rec['number']} of {rec['review']}: it names a person in a confidential register"
            )
            continue
        record = {
            "recommendation_id": rec["id"],
            "review": rec["review"],
            "number": rec["number"],
            "text": rec["text"],
            "scope": rec["scope"],
            "target_agencies": rec["target_agencies"],
            "themes": rec["themes"],
        }
        shared.recommendations[(rec["id"],)] = record | {"fingerprint": _fingerprint(record)}
    if not shared.recommendations:
        return
    ids = [key[0] for key in shared.recommendations]
    for action in db.query(
        f"""SELECT id, recommendation_id, description, owner_agency, target_date, status, completed_on
            FROM actions WHERE recommendation_id IN ({", ".join("?" * len(ids))}) ORDER BY id""",
        ids,
    ):
        if names and names.search(action["description"]):
            continue  # the recommendation is shared; this action's words are not
        record = {"action_id": action.pop("id"), **action}
        shared.actions[(record["action_id"],)] = record | {"fingerprint": _fingerprint(record)}


def publishing_csp(connection, store: Store) -> str:
    """The partnership the connected role publishes for: its registered one, or (for the host's own
    role, a council running its own server) the workspace's partnership name."""
    row = connection.execute("SELECT own_csp()").fetchone()
    if row and row[0]:
        return row[0]
    name = load_settings(store.read()).partnership.strip()
    if not name:
        raise ValidationError(
            "partnership: give the partnership's name in Administration (or `python -m core settings --partnership`) "
            "before publishing: every shared row carries it"
        )
    return name


def publish(store: Store, viewer: Viewer, url: str | None = None) -> PublishReport:
    """Send what the workspace may share, update what changed, withdraw what is no longer shared. Reads
    and sends only what changed since the last publish: the passages of documents added or changed; a
    document still as it was published is read for names only when a confidential register changed, and
    the passages held are marked again only when the low-information rule changed."""
    require_coordinator(viewer)
    with connect(url) as connection:
        csp = publishing_csp(connection, store)
        connection.execute("SELECT pg_advisory_xact_lock(hashtext('dhr publish ' || %s))", [csp])
        if not connection.execute("SELECT 1 FROM partnerships WHERE csp = %s", [csp]).fetchone():
            connection.execute("INSERT INTO partnerships (csp) VALUES (%s)", [csp])  # the host's own role only
        held = _held(connection, csp, "documents", ("document_id",))
        shared = gather(store, csp, held if _names_checked(store, connection, csp) else None)
        report = PublishReport(csp, withheld=shared.withheld)
        # what the repository held before anything changed: withdrawing or replacing a document takes its
        # facts and recommendations with it, and the report counts them against what was there
        before = {table: _held(connection, csp, table, keys) for table, keys in DEPENDENT_KEYS.items()}
        changed = _sync(connection, csp, "documents", ("document_id",), shared.documents, report.changes["documents"])
        report.remarked = _remark_low_information(connection, csp)  # before the new passages, which need none
        report.passages = _send_passages(connection, store, csp, changed)
        for table, keys in DEPENDENT_KEYS.items():
            _sync(connection, csp, table, keys, getattr(shared, table), report.changes[table], before[table])
        if report.changed:
            connection.execute("UPDATE partnerships SET published_at = now() WHERE csp = %s", [csp])
        token = _names_token(store, connection, csp)
    _remember_names_checked(store, viewer, token)
    return report


NAMES_CHECKED_KEY = "repository_names_checked"  # in the workspace's settings: see ``_names_token``


def _names_token(store: Store, connection, csp: str) -> str:
    """What a publish checked the shared documents against: the confidential registers' names, the
    repository and the partnership's rows there as they stand (their last change's time). A later
    publish that finds the same needs to read no unchanged document for names again."""
    info = connection.info
    (published_at,) = connection.execute("SELECT published_at FROM partnerships WHERE csp = %s", [csp]).fetchone()
    return _fingerprint(_register_names(store.read()), info.host, info.port, info.dbname, csp, published_at)


def _names_checked(store: Store, connection, csp: str) -> bool:
    """Whether every document the repository holds for ``csp`` was checked against the registers as they are."""
    return setting(store.read(), NAMES_CHECKED_KEY) == _names_token(store, connection, csp)


def _remember_names_checked(store: Store, viewer: Viewer, token: str) -> None:
    with store.write(viewer.username) as tx:
        if setting(tx.db, NAMES_CHECKED_KEY) != token:
            put_setting(tx, NAMES_CHECKED_KEY, token)


def _held(connection, csp: str, table: str, keys: tuple[str, ...]) -> dict[tuple, str]:
    """The partnership's rows of ``table`` in the repository: their keys and fingerprints."""
    return {
        tuple(row[:-1]): row[-1]
        for row in connection.execute(f"SELECT {', '.join(keys)}, fingerprint FROM {table} WHERE csp = %s", [csp])
    }


def _sync(
    connection,
    csp: str,
    table: str,
    keys: tuple[str, ...],
    wanted: dict[tuple, dict],
    change: Change,
    before: dict[tuple, str] | None = None,
) -> list:
    """Make the partnership's rows of ``table`` what ``wanted`` says; returns the keys added or replaced.
    A changed row is deleted and inserted again, so a document's passages and themes follow it. ``change``
    counts against ``before`` (what was held before this publish began) when given."""
    held = _held(connection, csp, table, keys)
    new, stale, gone = _differences(held, wanted)
    match = " AND ".join(f"{k} = %s" for k in keys)
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {table} WHERE csp = %s AND {match}", [(csp, *key) for key in gone + stale])
        columns = list(next(iter(wanted.values()))) if wanted else []
        cursor.executemany(
            f"INSERT INTO {table} (csp, {', '.join(columns)}) VALUES (%s, {', '.join(['%s'] * len(columns))})",
            [(csp, *(_value(wanted[key][c]) for c in columns)) for key in stale + new],
        )
    counted = _differences(before, wanted) if before is not None else (new, stale, gone)
    change.added += len(counted[0])
    change.updated += len(counted[1])
    change.withdrawn += len(counted[2])
    change.unchanged += len(wanted) - len(counted[0]) - len(counted[1])
    return stale + new


def _differences(held: dict[tuple, str], wanted: dict[tuple, dict]) -> tuple[list, list, list]:
    """(new, changed, gone): the keys ``wanted`` adds to ``held``, those whose fingerprint differs, and
    those ``held`` has that ``wanted`` no longer has."""
    new = [key for key in wanted if key not in held]
    stale = [key for key, row in wanted.items() if key in held and held[key] != row["fingerprint"]]
    return new, stale, [key for key in held if key not in wanted]


def _value(value):
    return json.dumps(value) if isinstance(value, dict | list) else value


def _send_passages(connection, store: Store, csp: str, keys: Iterable[tuple]) -> int:
    """The passages, search vectors and themes of the documents just (re)published."""
    ids = [key[0] for key in keys]
    if not ids:
        return 0
    db = store.read()
    marks = ", ".join("?" * len(ids))
    labels = dict(db.execute("SELECT key, label FROM themes"))
    passages = [
        (csp, r["document_id"], r["id"], r["ordinal"], r["access"], r["kind"], r["year"], r["text"], r["page"],
         r["heading"], r["char_start"], r["char_end"], from_blob(r["search_embedding"] or r["embedding"]),
         low_information(r["text"]))
        for r in db.query(
            f"""SELECT chunks.*, documents.access, documents.kind, documents.year FROM chunks
                JOIN documents ON documents.id = chunks.document_id
                WHERE chunks.document_id IN ({marks}) ORDER BY chunks.id""",
            ids,
        )
    ]  # fmt: skip
    themes = [
        (csp, chunk_id, key, labels.get(key, key), score)
        for chunk_id, key, score in db.execute(
            f"SELECT chunk_id, theme_key, score FROM passage_themes WHERE chunk_id IN "
            f"(SELECT id FROM chunks WHERE document_id IN ({marks}))",
            ids,
        )
    ]
    document_themes = [
        (csp, document_id, key, labels.get(key, key), passages_count, score)
        for document_id, key, passages_count, score in db.execute(
            f"SELECT document_id, theme_key, passages, score FROM document_themes WHERE document_id IN ({marks}) "
            "AND (salient = 1 OR salient IS NULL)",  # what a document is about, as the local figures count
            ids,
        )
    ]
    with connection.cursor() as cursor:
        # INSERT, not COPY: PostgreSQL refuses COPY FROM into a table whose row-level security binds the role
        cursor.executemany(
            "INSERT INTO passages (csp, document_id, chunk_id, ordinal, access, kind, year, text, page, heading, "
            "char_start, char_end, embedding, low_information) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            passages,
        )
        cursor.executemany("INSERT INTO passage_themes VALUES (%s, %s, %s, %s, %s)", themes)
        cursor.executemany("INSERT INTO document_themes VALUES (%s, %s, %s, %s, %s, %s)", document_themes)
    return len(passages)


def _remark_low_information(connection, csp: str) -> int:
    """Mark again the partnership's passages when the low-information rule (table debris, a contents line)
    that marked them is not the one local search uses now: a passage keeps the verdict of the release that
    sent it until the rule's change reaches it here. No passage is read while the rule is the same.
    Returns how many were marked again."""
    (rule,) = connection.execute("SELECT low_information_rule FROM partnerships WHERE csp = %s", [csp]).fetchone()
    if rule == LOW_INFORMATION_RULE:
        return 0
    changed = mark_low_information(connection, csp)
    connection.execute("UPDATE partnerships SET low_information_rule = %s WHERE csp = %s", [LOW_INFORMATION_RULE, csp])
    return changed
