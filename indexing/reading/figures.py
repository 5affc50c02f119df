"""The library counted by case characteristics, as the Home Office DHR Library and analysts count reviews:
the victim's age band and sex, the perpetrator's relationship to the victim, homicide or suicide, whether
the perpetrator took their own life, and whether children lived in the household. Only documents the viewer
may read are counted, a correction counts over what was read, and each figure opens onto the documents and
the sentences behind it."""

from __future__ import annotations

from core.accounts import Viewer
from core.db import Store
from indexing.access import visible_documents
from indexing.reading.facts import RELATIONSHIP_LABELS, stated_age_range
from indexing.reading.records import FIELD_LABELS, fact_rows

# bands by decade, so that a report that states only a decade or part of one ("in her late 70s", "in his
# forties") is counted in its band without a number being guessed
AGE_BANDS = ((16, 19), (20, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 79), (80, None))
NOT_STATED = "Not stated"
CHARACTERISTICS = {
    "age_band": "Victim's age",
    "victim_sex": FIELD_LABELS["victim_sex"],
    "relationship": FIELD_LABELS["relationship"],
    "death": FIELD_LABELS["death"],
    "perpetrator_suicide": FIELD_LABELS["perpetrator_suicide"],
    "children_in_household": FIELD_LABELS["children_in_household"],
}


def age_band(age: int | None) -> str:
    if age is None:
        return NOT_STATED
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}-{high}" if high is not None else f"{low} and over"
    return "Under 16"


def stated_band(band: str | None) -> str:
    """The age band a stated band ("late 70s") falls in; "Not stated" where it is none or spans two."""
    ages = stated_age_range(band) if band else None
    if ages is None or age_band(ages[0]) != age_band(ages[1]):
        return NOT_STATED
    return age_band(ages[0])


def _age_field(facts: dict) -> str:
    """The fact a case's age band comes from: the exact age where there is one (a correction included),
    else the band the report states."""
    return "victim_age" if facts.get("victim_age", {}).get("value") is not None else "victim_age_band"


def _category(characteristic: str, facts: dict) -> str:
    if characteristic == "age_band":
        if _age_field(facts) == "victim_age":
            return age_band(facts["victim_age"]["value"])
        return stated_band(facts.get("victim_age_band", {}).get("value"))
    value = facts.get(characteristic, {}).get("value")
    if value is None:
        return NOT_STATED
    if characteristic == "relationship":
        return RELATIONSHIP_LABELS[value]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).capitalize()


def _order(characteristic: str) -> list[str]:
    if characteristic == "age_band":
        return [age_band(low) for low, _ in AGE_BANDS]
    if characteristic == "relationship":
        return list(RELATIONSHIP_LABELS.values())
    return []


def _case_documents(store: Store, viewer: Viewer) -> list[dict]:
    """The indexed documents the viewer may read that state at least one case fact."""
    db = store.read()
    documents = {
        d["id"]: d
        for d in db.query(
            f"SELECT id, source_name, title, kind, year FROM documents WHERE status = 'indexed' "
            f"AND {visible_documents(viewer)}",
            {"viewer": viewer.username},
        )
    }
    facts = fact_rows(db, list(documents))
    return [
        documents[i] | {"facts": f}
        for i, f in facts.items()
        if i in documents and any(v["value"] is not None for v in f.values())
    ]


def case_characteristics(store: Store, viewer: Viewer) -> dict:
    """``{"documents": n, characteristic: [{"category", "documents"}]}``, categories in their natural order
    (age bands youngest first), "Not stated" last."""
    cases = _case_documents(store, viewer)
    found: dict = {"documents": len(cases)}
    for characteristic in CHARACTERISTICS:
        counts: dict[str, int] = {}
        for case in cases:
            category = _category(characteristic, case["facts"])
            counts[category] = counts.get(category, 0) + 1
        order = _order(characteristic) or sorted(c for c in counts if c != NOT_STATED)
        found[characteristic] = [
            {"category": c, "documents": counts[c]} for c in [*order, NOT_STATED] if counts.get(c)
        ]
    return found


def documents_with(store: Store, viewer: Viewer, characteristic: str, category: str) -> list[dict]:
    """The documents behind one figure, each with the sentence the fact was read from."""
    behind = []
    for case in _case_documents(store, viewer):
        if _category(characteristic, case["facts"]) != category:
            continue
        fact = case["facts"].get(_age_field(case["facts"]) if characteristic == "age_band" else characteristic, {})
        behind.append(
            {
                "document": case["source_name"],
                "title": case["title"],
                "kind": case["kind"],
                "year": case["year"],
                "sentence": fact.get("sentence", ""),
                "corrected": fact.get("corrected_by") is not None,
            }
        )
    return behind
