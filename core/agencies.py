"""The list of agencies a workspace knows: panel members, returns, actions and agency leads name one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz, process, utils

from core import workspace
from core.accounts import Viewer, require_coordinator
from core.db import Store
from core.errors import ValidationError
from core.mail import checked_address

# The bodies s.9 of the Domestic Violence, Crime and Victims Act 2004 and the statutory guidance
# name as taking part (police, local authority services, probation, health), and the services
# most reviews involve; a fresh workspace starts with these, and the coordinator renames or removes them.
DEFAULT_AGENCIES = (
    "Police",
    "Probation Service",
    "Integrated Care Board (GP services)",
    "Acute Hospital Trust",
    "Mental Health Trust",
    "Ambulance Service",
    "Adult Social Care",
    "Children's Social Care",
    "Housing",
    "Domestic Abuse Service",
    "Substance Misuse Service",
    "Education",
)


def list_agencies(db: sqlite_utils.Database) -> list[str]:
    return [row["name"] for row in db["agencies"].rows_where(order_by="name")]


def add_agency(store: Store, viewer: Viewer, *, name: str) -> str:
    """The coordinator adds an agency to the workspace's list."""
    require_coordinator(viewer, "Only the coordinator can add agencies")
    name = _new_name(name, "Agency name")
    with store.write(viewer.username) as tx:
        _refuse_listed(tx.db, name, "Agency name")
        tx.insert("agencies", {"name": name})
    return name


def set_contact(store: Store, viewer: Viewer, *, name: str, contact_name: str, contact_email: str) -> None:
    """The coordinator names who at an agency receives chasers for its returns (empty clears it)."""
    require_coordinator(viewer, "Only the coordinator can change an agency's contact")
    email = checked_address(contact_email, "contact_email") if contact_email.strip() else None
    if email and not contact_name.strip():
        raise ValidationError("contact_name: name the person chasers are addressed to")
    with store.write(viewer.username) as tx:
        if not tx.db["agencies"].count_where("name = ?", [name]):
            raise ValidationError(f"name: {name!r} is not an agency of this workspace")
        tx.update("agencies", name, {"contact_name": contact_name.strip() or None, "contact_email": email})


def contacts(db: sqlite_utils.Database) -> dict[str, dict]:
    """Agency name -> its named contact ({"name", "email"}), for the agencies that have one."""
    return {
        row["name"]: {"name": row["contact_name"], "email": row["contact_email"]}
        for row in db["agencies"].rows_where("contact_email IS NOT NULL", order_by="name")
    }


def _new_name(name: str, field: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(f"{field}: give the agency's name")
    return name


def _refuse_listed(db: sqlite_utils.Database, name: str, field: str, *, except_for: str | None = None) -> None:
    existing = {a.lower(): a for a in list_agencies(db)}
    if name.lower() in existing and existing[name.lower()] != except_for:
        raise ValidationError(f"{field}: {existing[name.lower()]!r} is already listed")


def check_agencies(db: sqlite_utils.Database, names: list[str], field: str) -> None:
    """Raise a ValidationError naming every agency the workspace does not know."""
    if any(not name for name in names):
        raise ValidationError(f"{field}: choose the agency")
    known = set(list_agencies(db))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValidationError(
            f"{field}: unknown agency {', '.join(map(repr, unknown))}; add it first "
            "(Agencies page, or python -m core agencies add NAME)"
        )


# "and" or "&" between two names ("Police and Children's Social Care"): two agencies only where each is one
JOINED = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)


def split_agencies(cell: str) -> list[str]:
    """The agencies one cell names: "Police; CPS", "Police, CPS", "Police / CPS", "Police | CPS" (a PDF table's
    cells as the reader joins them) or one per line is two agencies; separators inside brackets do not split
    ("ICB (GP, dental)"). "&" and "and" are left alone: "Policy Lead & MARAC Chair" is one name, for the person
    to map."""
    parts, current, depth = [], [], 0
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth <= 0 and char in ";,/|\n":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [name for name in (" ".join(p.split()) for p in parts) if name]


_TABLE = json.loads(Path(__file__).with_name("agency_meanings.json").read_text("utf-8"))
MEANINGS: dict[str, list[str]] = {kind: phrases for kind, phrases in _TABLE.items() if not kind.startswith("_")}
# a name that says only that it is an NHS trust ("Ashcombe and Lowfield NHS FT") may be any of these kinds
TRUST_KINDS: dict[str, list[str]] = {
    phrase: kinds for phrase, kinds in _TABLE["_trusts"].items() if not phrase.startswith("_")
}
# words that make a name a body of its own ("Police and Crime Commissioner" is not the police)
BODIES = frozenset(_TABLE["_bodies"]["words"])


def _plain_words(name: str) -> str:
    """A name as plain words: "Children's Services" is "childrens services", "C&F" is "c and f"."""
    name = name.casefold().replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def _kind_phrase(name: str) -> tuple[str, str] | None:
    """The kind a name's words say and the phrase that says it, whatever body the name is."""
    words = f" {_plain_words(name)} "
    capitals = {word.casefold() for word in re.findall(r"[A-Za-z&]+", name) if word.isupper()}
    for kind, phrases in MEANINGS.items():
        for phrase in phrases:
            if words.strip() == phrase or (f" {phrase} " in words and (len(phrase) > 3 or phrase in capitals)):
                return kind, phrase
    return None


def body_words(name: str) -> frozenset[str]:
    """The words that make a name a body of its own (``agency_meanings.json``'s ``_bodies``: "Commissioner",
    "Panel", "Board", ...), outside the phrase of its kind: "Police and Crime Commissioner" -> {"commissioner"},
    "Integrated Care Board" -> none (the board is the ICB's own name), "Devon Partnership NHS Trust" -> none (a
    trust's own name)."""
    found = _kind_phrase(name)
    words = f" {_plain_words(name)} "
    if found:
        words = words.replace(f" {found[1]} ", " ")
    words = words.split()
    if "trust" in words:  # an NHS trust's own name: "Devon Partnership NHS Trust"
        words = words[words.index("trust") :]
    return frozenset(words) & BODIES


def other_body(name: str, agency: str) -> bool:
    """Whether ``name`` is another body than the listed ``agency``: it holds a word of a body of its own that the
    agency's name lacks ("Police and Crime Commissioner", "Police and Crime Panel" are not "Police"; "Children's
    Commissioner" is not "Children's Social Care"; "Office of the Police and Crime Commissioner" may be "Police
    and Crime Commissioner")."""
    return bool(body_words(name) - set(_plain_words(agency).split()))


def one_body(name: str) -> bool:
    """Whether "and" or "&" in a name joins the words of one body's name: a part after it is a body of its own
    that names no kind of agency ("Police and Crime Commissioner", "Health and Wellbeing Board"), where
    "Police and Children's Social Care" or "Police and Safeguarding Adults Board" are two bodies."""
    return any(body_words(part) and _kind_phrase(part) is None for part in JOINED.split(name)[1:])


def agency_kind(name: str) -> str | None:
    """The kind of agency a name means (``agency_meanings.json``): "Adult Services" and "AS" are adult
    social care, "Met Police" police, "CCG" and "Barnet CCG" the integrated care board; None when it
    names no kind, or is a body of its own ("Police and Crime Commissioner", "Safeguarding Adults Board":
    ``body_words``). A short form inside a longer name counts only written in capitals ("NHS North
    Central London ICB"), so the words "as" and "met" of a name mean nothing."""
    found = _kind_phrase(name)
    return found[0] if found and not body_words(name) else None


def _trust_kinds(name: str) -> list[str]:
    words = f" {_plain_words(name)} "
    return next((kinds for phrase, kinds in TRUST_KINDS.items() if f" {phrase} " in words), [])


def may_be_several(name: str) -> bool:
    """Whether a name may mean any of several kinds of agency (an NHS trust that says no more): its closest
    listed agencies are choices of equal standing, none of them a first guess."""
    return agency_kind(name) is None and len(_trust_kinds(name)) > 1


def closest_agencies(known: list[str], name: str, limit: int = 3) -> list[str]:
    """The listed agencies nearest to ``name``, by meaning first and then by spelling. A name of a kind
    the table knows is offered only the listed agencies of that kind ("Adult Services": Adult Social Care,
    never the Integrated Care Board for the shared word), none when no listed agency is of that kind
    ("Public Health": to be added). A name that says only that it is an NHS trust ("... NHS FT", "... NHS
    Foundation Trust") is offered the listed trusts of the kinds it may be (acute hospital, mental health),
    for the person to choose: nothing is mapped for them. Otherwise RapidFuzz's token-set ratio, cut at 60. A
    body of its own is never offered the service its words name ("Police and Crime Commissioner": not Police)."""
    known = [agency for agency in known if not other_body(name, agency)]
    kind = agency_kind(name)
    trusts = _trust_kinds(name) if kind is None else []
    if kind is not None:
        candidates = [agency for agency in known if agency_kind(agency) == kind]
        if not candidates:
            return []
    elif trusts:
        of_kind = [agency for agency in known if agency_kind(agency) in trusts]
        return sorted(of_kind, key=lambda agency: trusts.index(agency_kind(agency)))[:limit]
    else:
        candidates = known
    matches = process.extract(
        name, candidates, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=len(candidates)
    )
    return [match for match, score, _ in matches if kind is not None or score >= 60][:limit]


# the words around a place's name in an area's or a partnership's name ("Eastmere Borough Council", "Safer
# Eastmere Partnership", "Eastmere Community Safety Partnership"): the place is what is left
PLACE_WORDS = frozenset("the of city borough county district metropolitan council safer community safety".split()) | {
    "partnership",
    "csp",
}


def own_places(db: sqlite_utils.Database) -> list[str]:
    """The workspace's own place, as plans write it in front of an agency's name: its area's and its
    partnership's names less the words around the place ("Eastmere Borough", "Eastmere Community Safety
    Partnership": "eastmere"), as plain words."""
    settings = workspace.load(db)
    places = []
    for name in (settings.area, settings.partnership):
        words = _plain_words(name).split()
        while words and words[0] in PLACE_WORDS:
            words.pop(0)
        while words and words[-1] in PLACE_WORDS:
            words.pop()
        if words:
            places.append(" ".join(words))
    return list(dict.fromkeys(places))


def in_own_area(name: str, places: list[str], listed: list[str]) -> str | None:
    """The listed agency a name means once the workspace's own place is taken off its front: the listed name
    itself ("Eastmere Police": Police, in Eastmere's workspace), or the only listed agency of the kind the rest
    names ("Eastmere ICB": the Integrated Care Board). None otherwise: another area's "Westmere Police" may be
    another force, and a kind the list holds twice or not at all is for a person to choose."""
    for place in places:
        found = re.match(r"\W*".join(re.escape(word) for word in place.split()) + r"(?:['’]s)?\b[\s:,–-]*", name, re.I)
        rest = name[found.end() :].strip() if found else ""
        if not rest:
            continue
        by_name = {_folded(agency): agency for agency in listed}
        if _folded(rest) in by_name:
            return by_name[_folded(rest)]
        kind = agency_kind(rest)
        closest = closest_agencies(listed, rest) if kind else []
        if len(closest) == 1 and agency_kind(closest[0]) == kind:
            return closest[0]
    return None


def canonical(db: sqlite_utils.Database) -> dict[str, str]:
    """Every listed agency by its case- and space-folded name, so "police " finds "Police"."""
    return {_folded(a): a for a in list_agencies(db)}


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def remembered_names(db: sqlite_utils.Database) -> dict[str, str]:
    """The names plans gave agencies that the coordinator mapped to a listed agency once (folded, as
    ``canonical``): their name -> the listed agency, so the next import of the workspace reads them alike."""
    return {row["name"]: row["agency"] for row in db["agency_names"].rows}


def remember_names(tx, viewer: Viewer, mapped: dict[str, str]) -> None:
    """Inside a write unit: remember for the workspace that each of their names means a listed agency
    (an import's agency map, on the page or the command line); a name remembered before is remapped."""
    require_coordinator(viewer, "Only the coordinator can map agency names for the workspace")
    check_agencies(tx.db, list(mapped.values()), "agency map")
    for name, agency in mapped.items():
        tx.upsert("agency_names", {"name": _folded(name), "agency": agency}, pk="name")


def unknown_agencies(db: sqlite_utils.Database, names: list[str]) -> dict[str, list[str]]:
    """Each name the list does not hold (ignoring case and spacing), with the closest listed names."""
    known, listed = canonical(db), list_agencies(db)
    unknown: dict[str, list[str]] = {}
    for name in names:
        if name and _folded(name) not in known and name not in unknown:
            unknown[name] = closest_agencies(listed, name)
    return unknown


def add_named_agencies(tx, viewer: Viewer, names: list[str]) -> list[str]:
    """Inside a write unit: add each name the list does not hold (an import's --add-agencies); an import
    that adds none (a chair's, every name mapped) is anyone's who may import."""
    if names:
        require_coordinator(viewer, "Only the coordinator can add agencies; ask them to add or map these first")
    added = []
    for name in names:
        name = " ".join(name.split())
        if name and _folded(name) not in canonical(tx.db):
            tx.insert("agencies", {"name": name})
            added.append(name)
    return added


def agency_hint(viewer: Viewer, name: str, close: list[str]) -> str:
    """What the import page says beside an agency the list does not hold, before anything is chosen: the
    closest listed agency, or every one of equal standing where the name may be any of them (an NHS trust that
    says no more), or that nothing is close: the coordinator adds it, anyone else asks them to."""
    if not close:
        return "nothing close: add it" if viewer.is_coordinator else "nothing close: ask the coordinator to add it"
    return "closest: " + (" or ".join(close) if may_be_several(name) else close[0])


def unknown_message(unknown: dict[str, list[str]], remedy: str = "") -> list[str]:
    """One line per unknown agency, naming the closest listed ones, and what to do."""
    return [
        f"unknown agency {name!r}"
        + (f" (closest on the list: {', '.join(close)})" if close else " (nothing close on the list)")
        + (f"; {remedy}" if remedy else "")
        for name, close in unknown.items()
    ]


# every column that names an agency: (table, column, primary key)
REFERENCES = (
    ("review_agencies", "agency", ("review_id", "agency")),
    ("panel_members", "agency", ("id",)),
    ("agency_returns", "agency", ("id",)),
    ("actions", "owner_agency", ("id",)),
    ("action_partners", "agency", ("action_id", "agency")),
    ("users", "agency", ("id",)),
)
# the names plans gave an agency (``remember_names``): they follow a rename, and go with the agency
NAMES = ("agency_names", "agency", ("name",))


# recommendations name the agencies they are addressed to in a JSON list
TARGETED = "EXISTS (SELECT 1 FROM json_each(recommendations.target_agencies) WHERE value = ?)"


def _uses(db: sqlite_utils.Database, name: str) -> int:
    named = sum(db[table].count_where(f"{column} = ?", [name]) for table, column, _ in REFERENCES)
    return named + db["recommendations"].count_where(TARGETED, [name])


def rename_agency(store: Store, viewer: Viewer, *, name: str, new_name: str) -> str:
    """The coordinator renames an agency everywhere it is named (audited, row by row), its chaser
    contact and recommendations' target agencies included."""
    require_coordinator(viewer, "Only the coordinator can rename agencies")
    new_name = _new_name(new_name, "New name")
    with store.write(viewer.username) as tx:
        if name not in list_agencies(tx.db):
            raise ValidationError(f"Agency: {name!r} is not on the list")
        _refuse_listed(tx.db, new_name, "New name", except_for=name)
        tx.db.execute("PRAGMA defer_foreign_keys = ON")  # children follow before the transaction ends
        tx.insert("agencies", tx.db["agencies"].get(name) | {"name": new_name})
        for row in list(tx.db["recommendations"].rows_where(TARGETED, [name])):
            targets = [new_name if agency == name else agency for agency in json.loads(row["target_agencies"])]
            tx.update("recommendations", row["id"], {"target_agencies": json.dumps(targets)})
        for table, column, keys in (*REFERENCES, NAMES):
            for row in list(tx.db[table].rows_where(f"{column} = ?", [name])):
                if keys == ("name",):
                    tx.update(table, row["name"], {column: new_name})
                elif keys != ("id",):
                    tx.delete(table, tuple(row[k] for k in keys))
                    tx.insert(table, {**row, column: new_name})
                else:
                    tx.update(table, row["id"], {column: new_name})
        tx.delete("agencies", name)
    return new_name


def remove_agency(store: Store, viewer: Viewer, *, name: str) -> None:
    """The coordinator removes an agency nothing names (rename it instead if records do)."""
    require_coordinator(viewer, "Only the coordinator can remove agencies")
    with store.write(viewer.username) as tx:
        if not tx.db["agencies"].count_where("name = ?", [name]):
            raise ValidationError(f"Agency: {name!r} is not on the list")
        uses = _uses(tx.db, name)
        if uses:
            raise ValidationError(f"Agency: {name} is named in {uses} record(s); rename it instead of removing it")
        for row in list(tx.db["agency_names"].rows_where("agency = ?", [name])):
            tx.delete("agency_names", row["name"])
        tx.delete("agencies", name)
