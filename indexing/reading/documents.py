"""A document as read, for the people who may see it: its case facts with their evidence and its
recommendations (the document view, ``python -m indexing extract``), and the coordinator's confirmations
and corrections."""

from __future__ import annotations

import json

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import ValidationError
from indexing.access import visible_document, visible_documents
from indexing.reading.facts import CONTRACT_FIELDS, DEATHS, FIELDS, RELATIONSHIPS, SEXES, stated_age_range
from indexing.reading.records import FIELD_LABELS, fact_rows, recommendation_rows
from indexing.theming import refresh_document_themes


def document_reading(store: Store, viewer: Viewer, document_id: int) -> dict:
    """One document as read: ``{"facts": {field: {...}}, "recommendations": [...], "read": bool}``."""
    db = store.read()
    document = visible_document(db, viewer, document_id)
    facts = fact_rows(db, [document_id]).get(document_id, {})
    return {
        "facts": {field: facts.get(field, _empty_fact()) for field in FIELDS},
        "recommendations": recommendation_rows(db, document_id),
        "read": document["read_version"] is not None,
    }


def _empty_fact() -> dict:
    return {"value": None, "extracted": None, "sentence": "", "corrected_by": None, "corrected_at": None}


def library_readings(store: Store, viewer: Viewer) -> list[dict]:
    """``python -m indexing extract --json``: every indexed document the viewer may read, as read. The
    "facts" keys are #22's contract; children in the household and the victim's stated age band ("late 70s")
    sit beside them, each under its own key."""
    db = store.read()
    documents = list(
        db.query(
            f"SELECT id, source_name, title FROM documents WHERE status = 'indexed' AND {visible_documents(viewer)} "
            "ORDER BY source_name",
            {"viewer": viewer.username},
        )
    )
    facts = fact_rows(db, [d["id"] for d in documents])
    return [
        {
            "document": d["source_name"],
            "title": d["title"],
            "facts": {field: facts.get(d["id"], {}).get(field, _empty_fact())["value"] for field in CONTRACT_FIELDS},
            **{
                field: facts.get(d["id"], {}).get(field, _empty_fact())["value"]
                for field in FIELDS
                if field not in CONTRACT_FIELDS
            },
            "evidence": {
                field: facts.get(d["id"], {}).get(field, _empty_fact())["sentence"] for field in FIELDS
            },
            "recommendations": [
                {k: r[k] for k in ("number", "text", "addressee", "national", "agencies")}
                | {"agency": (r["agencies"] or [None])[0]}
                for r in recommendation_rows(db, d["id"])
            ],
        }
        for d in documents
    ]


def checked_fact_value(field: str, value: object) -> object:
    """A coordinator's value for a fact, checked; None (or "") records that the text does not say."""
    if field not in FIELDS:
        raise ValidationError(f"Choose one of the listed facts, not {field!r}")
    if value is None or value == "":
        return None
    label = FIELD_LABELS[field]
    if field.endswith("_age"):
        try:
            age = int(str(value).strip())
        except ValueError:
            raise ValidationError(f"{label}: give the age in whole years, for example 47") from None
        if not 0 <= age <= 120:
            raise ValidationError(f"{label}: {age} is not an age between 0 and 120")
        return age
    if field == "victim_age_band":
        band = " ".join(str(value).lower().split())
        if stated_age_range(band) is None:
            raise ValidationError(f"{label}: write the band as the report does, for example 70s, late 70s or early 40s")
        return band
    if field in ("perpetrator_suicide", "children_in_household"):
        if isinstance(value, bool):
            return value
        answers = {"yes": True, "true": True, "no": False, "false": False}
        if str(value).strip().lower() not in answers:
            raise ValidationError(f"{label}: answer yes or no")
        return answers[str(value).strip().lower()]
    allowed = {"victim_sex": SEXES, "perpetrator_sex": SEXES, "relationship": RELATIONSHIPS, "death": DEATHS}[field]
    if value not in allowed:
        raise ValidationError(f"{label}: choose one of {', '.join(allowed)}")
    return value


def correct_fact(store: Store, viewer: Viewer, document_id: int, field: str, value: object) -> dict:
    """The coordinator confirms (the same value) or corrects a fact read from a document; the value they
    give wins over what is read now and after any later reading, and the change is audited."""
    require_coordinator(viewer, "Only the coordinator can confirm or correct a document's case facts")
    checked = checked_fact_value(field, value)
    with store.write(viewer.username) as tx:
        visible_document(tx.db, viewer, document_id)
        if not tx.db["document_facts"].count_where("document_id = ? AND field = ?", [document_id, field]):
            tx.db["document_facts"].insert({"document_id": document_id, "field": field})
        corrected = tx.update(
            "document_facts",
            (document_id, field),
            {"corrected_value": json.dumps(checked), "corrected_by": viewer.username, "corrected_at": utc_now()},
        )
        refresh_document_themes(tx, [document_id])  # the themes that rest on the corrected fact
        return corrected
