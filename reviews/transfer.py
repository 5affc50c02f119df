"""Import and export of reviews as one JSON file, round-tripping exactly.

Import is all or nothing: every review is checked inside one write transaction, every
problem is reported with the review's line in the file and the field's path, and if there
is any problem nothing is stored.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from core.accounts import Viewer
from core.agencies import add_named_agencies, canonical, unknown_agencies, unknown_message
from core.dates import parse_date
from core.db import Store, Transaction
from core.errors import NotFound, PermissionDenied, ValidationError
from core.jsonfile import parse_json
from reviews import pauses, register, returns
from reviews.records import Review
from reviews.rules import current_version, rule_set_versions
from reviews.stages import STAGE_KEYS

FORMAT_VERSION = 1


def review_to_json(review: Review, confidential: list[dict]) -> dict:
    return {
        "reference": review.reference,
        "pseudonym": review.pseudonym,
        "csp": review.csp,
        "review_type": review.review_type,
        "death_date": review.death_date.isoformat() if review.death_date else None,
        "notification_date": review.notification_date.isoformat(),
        "decision": review.decision,
        "decision_reasons": review.decision_reasons,
        "chair": review.chair,
        "rule_set": review.rule_set,
        "rule_set_version": review.rule_set_version,
        "notes": review.notes,
        "agencies": review.agencies,
        "panel": review.panel,
        "stages": {key: event.completed_on.isoformat() for key, event in review.stages.items()}
        | ({"closed": None} if review.closed_date_missing and "closed" not in review.stages else {}),
        "pauses": [
            {
                "reason": p.reason,
                "details": p.details,
                "start": p.start.isoformat() if p.start else None,
                "end": p.end.isoformat() if p.end else None,
                "agreed_with_home_office": p.agreed_with_home_office,
            }
            for p in review.pauses
        ],
        "agency_returns": [
            {
                "agency": r.agency,
                "kind": r.kind,
                "requested": r.requested.isoformat(),
                "due": r.due.isoformat(),
                "received": r.received.isoformat() if r.received else None,
                "chases": [c.isoformat() for c in r.chases],
            }
            for r in review.returns
        ],
        "confidential_register": [
            {"category": c["category"], "name": c["name"], "notes": c["notes"]} for c in confidential
        ],
    }


def export_reviews(store: Store, viewer: Viewer, *, references: list[str] | None = None) -> dict:
    """Every review the viewer can see (or those named), with agencies they mention."""
    reviews = [r for r in register.list_reviews(store, viewer) if references is None or r.reference in references]
    reviews.sort(key=lambda r: r.reference)
    agencies = sorted(
        {a for r in reviews for a in r.agencies + [p["agency"] for p in r.panel] + [x.agency for x in r.returns]}
    )
    return {
        "format": "dhr-reviews",
        "version": FORMAT_VERSION,
        "agencies": agencies,
        "reviews": [review_to_json(r, register.confidential_register(store, viewer, r.reference)) for r in reviews],
    }


def _line_of_review(text: str, index: int) -> int | None:
    """The line on which the index-th review's "reference" key stands (a guide for the reader)."""
    position = -1
    for _ in range(index + 1):
        position = text.find('"reference"', position + 1)
        if position < 0:
            return None
    return text.count("\n", 0, position) + 1


def _import_one(store: Store, tx: Transaction, viewer: Viewer, item: dict, today: date) -> None:
    if not isinstance(item, dict):
        raise ValidationError("must be an object")
    missing = [k for k in ("reference", "pseudonym", "notification_date") if not item.get(k)]
    if missing:
        raise ValidationError([f"{k}: required" for k in missing])
    stages = item.get("stages") or {}
    if not isinstance(stages, dict):
        raise ValidationError("stages: must be an object of stage key to date")
    unknown = [k for k in stages if k not in STAGE_KEYS]
    if unknown:
        raise ValidationError(f"stages: unknown stage key(s) {', '.join(unknown)}")
    closed_date_missing = "closed" in stages and stages["closed"] is None  # closed, the date not recorded
    stage_dates = {k: parse_date(v, f"stages.{k}") for k, v in stages.items() if not (k == "closed" and v is None)}
    future = [f"stages.{k}: {v} is in the future" for k, v in stage_dates.items() if v > today]
    if future:
        raise ValidationError(future)
    notified = parse_date(item["notification_date"], "notification_date")
    if "notification" in stage_dates and stage_dates["notification"] != notified:
        raise ValidationError(
            f"stages.notification ({stage_dates['notification']}) differs from notification_date ({notified}); "
            "they mean the same date"
        )
    decision = item.get("decision", "pending")
    if decision not in register.DECISIONS:
        raise ValidationError(f"decision: {decision!r} is not one of {', '.join(register.DECISIONS)}")
    reference = register.create_review(
        store,
        viewer,
        reference=str(item["reference"]),
        pseudonym=str(item["pseudonym"]),
        csp=str(item.get("csp") or ""),
        notification_date=notified,
        review_type=item.get("review_type") or "DHR",
        death_date=item.get("death_date"),
        chair=item.get("chair"),
        rule_set=item.get("rule_set") or None,
        notes=item.get("notes") or "",
        agencies=list(item.get("agencies") or []),
        today=today,
    )
    row = next(tx.db["reviews"].rows_where("reference = ?", [reference]))
    review_id = row["id"]
    tx.update(
        "reviews",
        review_id,
        {
            "decision": decision,
            "decision_reasons": item.get("decision_reasons") or "",
            "rule_set_version": _kept_version(tx, row["rule_set"], item.get("rule_set_version")),
            "closed_date_missing": int(closed_date_missing),
        },
    )
    for key, completed in stage_dates.items():
        if key != "notification":
            register.insert_stage_event(tx, review_id, key, completed)
    for i, member in enumerate(item.get("panel") or []):
        _nested(
            f"panel[{i}]",
            register.add_panel_member,
            store,
            viewer,
            reference,
            **_pick(f"panel[{i}]", member, "name", "agency", "role", required=("name", "agency")),
        )
    for i, pause in enumerate(item.get("pauses") or []):
        _nested(
            f"pauses[{i}]",
            pauses.add_pause,
            store,
            viewer,
            reference,
            **_pick(
                f"pauses[{i}]",
                pause,
                "reason",
                "start",
                "end",
                "agreed_with_home_office",
                "details",
                required=("reason",),
            ),
        )
    for i, ret in enumerate(item.get("agency_returns") or []):
        where = f"agency_returns[{i}]"
        fields = _pick(where, ret, "agency", "kind", "requested", "due", required=("agency", "kind", "requested"))
        return_id = _nested(where, returns.request_return, store, viewer, reference, **fields)
        for j, chased in enumerate(ret.get("chases") or []):
            _nested(
                f"{where}.chases[{j}]",
                returns.record_chase,
                store,
                viewer,
                reference,
                return_id=return_id,
                chased_on=chased,
            )
        if ret.get("received"):
            _nested(
                f"{where}.received",
                returns.record_return_received,
                store,
                viewer,
                reference,
                return_id=return_id,
                received=ret["received"],
            )
    for i, entry in enumerate(item.get("confidential_register") or []):
        _nested(
            f"confidential_register[{i}]",
            register.add_confidential_name,
            store,
            viewer,
            reference,
            **_pick(f"confidential_register[{i}]", entry, "category", "name", "notes", required=("category", "name")),
        )
    register.check_review_dates(tx, review_id)


def _kept_version(tx: Transaction, rule_set: str, version: object) -> str:
    """The rule-set version the file says the review runs under (a round trip never moves a running review
    onto newer rules); a file without one (an older export) gets the newest installed."""
    if version in (None, ""):
        return current_version(tx.db, rule_set)
    installed = rule_set_versions(tx.db, rule_set)
    if version not in installed:
        raise ValidationError(
            f"rule_set_version: {rule_set} version {version!r} is not installed here ({', '.join(installed)}); "
            "install it first (Administration → Deadline rule sets, or python -m reviews rule-sets add FILE.json)"
        )
    return str(version)


def _pick(where: str, record: object, *keys: str, required: tuple[str, ...] = ()) -> dict:
    """The named fields of one nested record; a missing required field is named, not a TypeError."""
    if not isinstance(record, dict):
        raise ValidationError(f"{where}: must be an object")
    missing = [k for k in required if record.get(k) in (None, "")]
    if missing:
        raise ValidationError([f"{where}.{k}: missing" for k in missing])
    return {k: record[k] for k in keys if record.get(k) is not None}


def _nested(where: str, function, store: Store, viewer: Viewer, reference: str, **kwargs):
    try:
        return function(store, viewer, reference, **kwargs)
    except ValidationError as error:  # a problem the review's timeline found names its place already
        raise ValidationError([p if p.startswith(f"{where}.") else f"{where}.{p}" for p in error.problems]) from None


def named_agencies(document: dict, places: list[str]) -> dict[str, str]:
    """Every agency a review file names (its agency list, and each review's agencies, panel and
    returns), with where it is first named."""
    named_at = [(name, f"agencies[{i}]") for i, name in enumerate(document.get("agencies") or [])]
    for item, where in zip(document["reviews"], places, strict=True):
        if isinstance(item, dict):
            named_at += [(name, f"{where}.agencies[{i}]") for i, name in enumerate(item.get("agencies") or [])]
            for key in ("panel", "agency_returns"):
                named_at += [
                    (record.get("agency"), f"{where}.{key}[{i}].agency")
                    for i, record in enumerate(item.get(key) or [])
                    if isinstance(record, dict)
                ]
    named: dict[str, str] = {}
    for name, where in named_at:
        if isinstance(name, str) and name.strip():
            named.setdefault(name, where)
    return named


def import_reviews(
    store: Store,
    viewer: Viewer,
    text: str,
    *,
    today: date | None = None,
    add_agencies: bool = False,
    check_only: bool = False,
) -> list[str]:
    """Import every review in ``text`` (the file's contents), or none. Returns the references.

    Agencies the workspace does not list are refused, each with the closest listed names, unless
    ``add_agencies`` (the coordinator only) adds them; names differing only in case or spacing are
    read as the listed agency."""
    document = parse_json(text, what="file")
    if not isinstance(document, dict) or not isinstance(document.get("reviews"), list):
        raise ValidationError('line 1: the file must be a JSON object with a "reviews" list')
    places = []
    for index, item in enumerate(document["reviews"]):
        line = _line_of_review(text, index)
        label = item.get("reference") if isinstance(item, dict) else None
        places.append((f"line {line}, " if line else "") + f"reviews[{index}]" + (f" ({label})" if label else ""))
    return import_records(
        store, viewer, document, places, today=today, add_agencies=add_agencies, check_only=check_only
    )


class _Checked(Exception):
    """Raised to roll back a check-only import that found nothing wrong."""


def import_records(
    store: Store,
    viewer: Viewer,
    document: dict,
    places: list[str],
    *,
    today: date | None = None,
    add_agencies: bool = False,
    check_only: bool = False,
) -> list[str]:
    """Import the reviews of ``document`` (the JSON file's shape; a tracker workbook's rows are read
    into it), all or none; each problem is prefixed with where the review is (``places``). With
    ``check_only`` every check runs and nothing is kept."""
    today = today or date.today()
    problems: list[str] = []
    imported: list[str] = []
    try:
        with store.write(viewer.username) as tx:
            named = named_agencies(document, places)
            unknown = unknown_agencies(tx.db, list(named))
            if add_agencies:
                add_named_agencies(tx, viewer, list(unknown))
            elif unknown:
                remedy = "add it with --add-agencies, or correct the name"
                problems = [
                    f"{named[name]}: {line}"
                    for name, line in zip(unknown, unknown_message(unknown, remedy), strict=True)
                ]
                for name in unknown:  # listed for now so the rest of the file is checked too; rolled back below
                    tx.db["agencies"].insert({"name": " ".join(name.split())}, ignore=True)
            _listed_names(document, canonical(tx.db))
            for item, prefix in zip(document["reviews"], places, strict=True):
                try:
                    with tx.db.atomic():
                        _import_one(store, tx, viewer, item, today)
                    imported.append(str(item.get("reference")))
                except ValidationError as error:
                    problems += [f"{prefix}: {p}" for p in error.problems]
                except (NotFound, PermissionDenied, sqlite3.IntegrityError) as error:
                    problems.append(f"{prefix}: {error}")
            if problems:
                raise ValidationError(problems)
            if check_only:
                raise _Checked
    except _Checked:
        pass
    return imported


def _listed_names(document: dict, listed: dict[str, str]) -> None:
    """Agency names in the file spelt as the list spells them ("police " is "Police")."""

    def fix(name):
        return listed.get(" ".join(name.split()).casefold(), name) if isinstance(name, str) else name

    for item in document["reviews"]:
        if isinstance(item, dict):
            if isinstance(item.get("agencies"), list):
                item["agencies"] = [fix(a) for a in item["agencies"]]
            for key in ("panel", "agency_returns"):
                for record in item.get(key) or []:
                    if isinstance(record, dict) and "agency" in record:
                        record["agency"] = fix(record["agency"])
