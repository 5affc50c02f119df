"""What the library read out of each document, stored: facts with their sentences (and the coordinator's
corrections, which win), and recommendations with their addressees (tables ``document_facts`` and
``document_recommendations``, migrations m036 and m043).

A document is read at ingest from the text just extracted; a document stored by an earlier release is read
from its stored passages (``read_unread``, run when the app starts and by ``python -m indexing extract``),
never from its file again. Reading again (a new reader version, a replaced file) keeps every correction.
The workspace agency a recommendation's addressee names is matched whenever it is read (``matched_agency``, tens
of microseconds), never stored: an agency the coordinator adds, renames or removes counts at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils
from rapidfuzz import fuzz, process, utils

from core.agencies import JOINED, list_agencies, one_body, other_body, split_agencies
from core.db import Store, Transaction
from indexing.reading.addressees import agency_kinds, is_national, is_sector_body
from indexing.reading.facts import FIELDS, Fact, read_facts
from indexing.reading.recommendations import FoundRecommendation, read_recommendations
from indexing.reading.sentences import rejoined
from indexing.theming import refresh_document_themes

READER_VERSION = 18  # 2: children in the household, and the patterns the held-out reviews showed missing;
# 3: the victim's age band where only a band is stated, and the patterns the fourth held-out set showed missing;
# 4: recommendations in a PDF's table (its cells line by line) and "Recommendation 9.1 a:" paragraphs;
# 5: addressees named by a heading or lead-in above the recommendations, numbered headings, national bodies under
# one name, and an age before a clause ("a 38-year old woman who was killed by her ex-partner") no one's but hers;
# 6: a PDF table's repeated header, merged agency cells and several sentences in a cell, action plans' action and
# date columns, a PDF's footers and page breaks, "Recommendation 1: <body>" over its text, a summary's labelled
# fields, and the facts the eighth held-out set showed missing
# 7: a relative named with an age and charged with the victim's death ("His former wife, Karen, aged 49, was
# convicted of his manslaughter") is the perpetrator
# 8: a word a PDF's narrow column broke without a hyphen ("understandi" / "ng") is read whole; a PDF table's wide
# recommendation column, an agency cell in words ("All health professionals with" / "access to a GP record"); a
# named perpetrator's title and surname ("Jake Neate" ... "Mr Neate was arrested"); a "Recommendation N:"
# paragraph's own subject or closing brackets before the heading above it;
# children grown up and gone are read in any case ("Sons, now living independently"), the same sentences the
# vocabulary's "no children" rule reads (indexing/reading/children.py NO_CHILDREN);
# an addressee named in full ("Eastmarsh Hospitals NHS Foundation Trust") matched to the workspace's one agency
# of its kind ("Acute Hospital Trust")
# 9: a recommendation's own words name its body as chairs write them ("the government should", "We recommend that
# from 2022 to 2023, DHSC ...", "DHSC, DWP and MHCLG", "DHSC and the Office for ...", not an aside's "Kent Police, in
# partnership with Northvale Council, should ..."); "Recommendation 3" alone over
# its text; a PDF table's timescale in words after the lead ("By the end" / "of year 5") and a lead in several lines
# ("DHSC, DWP" / "and MHCLG"); facts from a Title Case news page, "a teenager", "X was Y's father", the victim's death
# called a homicide, and a review's one introduced person who died by hanging (the tenth held-out set's faults)
# 10: a table's rows across it that group its recommendations ("National recommendations"), a row whose one line of
# text a page break cut (the agency cell's first line printed beside it), a heading's numbered line that only
# introduces them ("6.1 The recommendations below are ..."), a recommendation's lettered parts after its colon; a
# possessive before a kinship word or the killing ("Dean, her former partner", "her murder") is the other person's,
# an age in apposition after the kinship word is the perpetrator's, someone else's relation ("his former wife's new
# partner") is not the perpetrator's, and "Tina was 49 when her husband killed her"
# 11: a PDF's paragraph after the last "Recommendation N:" paragraph ("The panel considered ...") is not its text;
# children who "lived with Anna" (the victim) after "she had two children", and a plain "Marie was 56."
# 12: set 11's layouts: bilingual headings ("9. Argymhellion / Recommendations"), a "National" heading among the
# items, numbers "DHR1", "Rec. 3", "iv.", "R1.", a "Lead agency:" line under each item, a PDF paragraph after the
# last numbered item, an action plan of many narrow columns (scope, action, lead, milestones, date, outcome), a
# later sentence's body added to the addressee; "Mr X killed his mother, Mrs Y", "Adult A (67) died ... after he was
# assaulted", "the subject of this review", "who was 52", "a woman of 58", a suicide review's abusive partner, and
# children kept "out of his way"
# and a table whose agency column comes before the text's ("No. | Agency | Recommendation | Timescale"; a PDF's row
# gives the agency cell, then the text that names it again, then the timescale; a page break between its rows), a
# "Recommendation 3: <name>" line whose sentence goes on below it, "NAME, who was 62 years old", "NAME, 29, took her
# own life", "the review of Paul's death" and "his older brother" (the s11 acceptance walk's files)
# 13: set 12's layouts: a "Theme | Recommendation" table (the number the text's own), "Recommendation One" headings
# over their text and lettered parts, a Responsible officer's job title no addressee, a PDF paragraph that asks
# between two items the item above's, a school an organisation; a Word table's rows read apart, a "Name | Age |
# Relationship" table's ages, "the perpetrator, her ex-husband, Steven", "by Daniel, her partner", "by his son, then
# 44", "convicted of Eleanor's murder", "She was in her sixties" after the victim's sentence, "Domestic Homicide
# Review: Mrs H", "a boy of five lived in the household"
# 14: the s12 acceptance walk's files: a number column titled "Rec" (or "Rec.", "No", "#"), a scope column ("Local or
# national") neither text nor addressee; "her husband of fifty years strangled her", "NAME, a woman aged 47, died",
# "NAME, who was then 22 and lived with her, was found guilty", "was later convicted", "coercive control by her
# former partner"
# 15: a victim introduced as "a 77-year-old man" (the victim, "NAME, a 68 year old man, was killed", "the death of a
# 59 year old man", "A 77-year-old man was found dead") is a male victim of that age; "strangled her" is a homicide
# beside a conviction for murder or manslaughter or "she died" in its sentence, never alone; "attempted murder" is
# no killing
# 16: set 13's layouts and news reports: a PDF's running header and "Page N" footer are no part of a recommendation,
# "15.3.1" after "15.2.1" opens a row, a PDF agency cell naming two bodies ("Cardiff" / "Metropolitan" / "University;
# South" / "Wales Police"), a "<body> response:" under an item no part of it; "Asher Maslin, 24, murdered ... Hollie
# Gazzard, 20", "murdered by Sanchez Williams", "was jailed for life", "her violent ex-partner", "a man who stabbed
# his ex-girlfriend", "the 32-year-old's death", "before she took her own life, NAME, 29,", a surname used alone
# after a full name, a pronoun someone harms ("might kill her") not the harmer's
# 17: the s13 acceptance walk's facts: "NAME was 63 and was killed", "NAME was 26 years old and ... when she was
# killed", "her former partner, NAME, then 29, was convicted of her murder", "NAME attacked NAME2 ...; she died"
# (who killed whom, and a homicide), "NAME, who was 81, was found dead ..., having taken his own life"
# 18: the s15 walk's facts: what chairs write before "man" or "woman" ("a Black British man aged 34", "a
# 67-year-old retired Jewish woman", "a man of Indian heritage") and a perpetrator named with forename and surname or
# two initials ("His former partner, Chloe Barras, aged 31, was convicted of his manslaughter", "Mr D B"), with an age
# before that name ("her former husband, 33-year-old Omar Hassan,") or bare after it ("Mr Jones, 72,")
# 18 also: the s14 walk's: "her former boyfriend" ("former girlfriend", "former fiancé", "ex-fiancée") a former partner;
# a PDF's masthead in capitals, a logo's placeholder ("[crest]"), a sentence-case heading ("The review") and a
# pseudonym in quotes on lines of their own are no part of the first sentence, the facts' evidence
# kinds that tell one case: a thematic or national analysis, a strategy or a plan states figures about many
FACT_KINDS = ("overview report", "executive summary", "learning brief", "QA letter", "other")
AGENCY_MATCH = 85  # RapidFuzz token-set score at which an addressee is taken to be a workspace agency
FIELD_LABELS = {
    "victim_age": "Victim's age",
    "victim_sex": "Victim's sex",
    "perpetrator_age": "Perpetrator's age",
    "perpetrator_sex": "Perpetrator's sex",
    "relationship": "Perpetrator's relationship to the victim",
    "perpetrator_suicide": "Perpetrator took their own life",
    "death": "Death",
    "children_in_household": "Children in the household",
    "victim_age_band": "Victim's age band (where no exact age is stated)",
}


@dataclass(frozen=True)
class Reading:
    facts: dict[str, Fact | None]
    recommendations: list[FoundRecommendation]


def read_text(text: str, kind: str) -> Reading:
    """What ``text`` says, as extraction gives it: a PDF's words a narrow column broke are whole already
    (``rejoined`` runs once, in ``indexing.extract``, for the passages and the reading alike)."""
    facts = read_facts(text) if kind in FACT_KINDS else dict.fromkeys(FIELDS)
    return Reading(facts, read_recommendations(text))


def matched_agency(addressee: str, agencies: list[str]) -> str | None:
    """The workspace agency an addressee names ("Kent Police" -> "Police"), if one fits well; else the one agency
    of the kind the addressee names ("Eastmarsh Hospitals NHS Foundation Trust" -> "Acute Hospital Trust"), never
    where two agencies are of that kind. A national body ("Ministry of Housing, Communities and Local Government",
    "Department for Education") or a sector's body ("Chartered Institute of Housing") is only an agency of its very
    name, never the local "Housing" or "Education" its name holds; nor is a body of its own ("Police and Crime
    Commissioner", "Children's Commissioner", "Health and Wellbeing Board": ``core.agencies.other_body``) an agency
    whose name lacks the word that makes it one."""
    if not addressee or not agencies:
        return None
    exact = next((a for a in agencies if utils.default_process(a) == utils.default_process(addressee)), None)
    if exact or is_national(addressee) or is_sector_body(addressee):
        return exact
    agencies = [agency for agency in agencies if not other_body(addressee, agency)]
    if not agencies:
        return None
    match = process.extractOne(addressee, agencies, scorer=fuzz.token_set_ratio, processor=utils.default_process)
    if match and match[1] >= AGENCY_MATCH:
        return match[0]
    kinds = agency_kinds(addressee)
    of_kind = [agency for agency in agencies if kinds and kinds & agency_kinds(agency)]
    return of_kind[0] if len(of_kind) == 1 and kinds <= agency_kinds(of_kind[0]) else None


def matched_agencies(addressee: str, agencies: list[str]) -> list[str]:
    """The workspace agencies an addressee naming several bodies names, each body matched on its own
    ("ICB; Northvale Domestic Abuse Partnership" -> the ICB's agency; "Police and Children's Social Care" -> both),
    a body no agency fits left out. A part counts only where it names an agency's kind or all of an agency's
    words, so "Gloucestershire Health and Care NHS Foundation Trust" is never "Mental Health Trust" for its
    "Health". An addressee of one body is ``matched_agency``'s, and a national or sector body, or a body of its own
    whose name holds "and" ("Police and Crime Commissioner"), is never split ("Department for Levelling Up, Housing
    and Communities" is not "Housing")."""
    bodies = [] if is_national(addressee or "") or is_sector_body(addressee or "") else split_agencies(addressee)
    parts = [part for body in bodies for part in ([body] if one_body(body) else JOINED.split(body))]
    if len(parts) > 1:
        found = [matched_agency(part, agencies) for part in parts if _names_one(part, agencies)]
        listed = list(dict.fromkeys(agency for agency in found if agency))
        if listed:
            return listed
    whole = matched_agency(addressee, agencies)
    return [whole] if whole else []


def _names_one(part: str, agencies: list[str]) -> bool:
    """Whether a part of an addressee is an agency's kind or holds all of one agency's words."""
    words = set(utils.default_process(part).split())
    return bool(agency_kinds(part)) or any(set(utils.default_process(a).split()) <= words for a in agencies)


def save_reading(tx: Transaction, document_id: int, reading: Reading) -> None:
    """Inside the document's write unit: replace what was read, keeping the coordinator's corrections.
    Written directly like the document's passages: derived from the text, not a change someone made."""
    db = tx.db
    kept = {
        row["field"]: row
        for row in db.query(
            "SELECT field, corrected_value, corrected_by, corrected_at FROM document_facts "
            "WHERE document_id = ? AND corrected_by IS NOT NULL",
            [document_id],
        )
    }
    db.execute("DELETE FROM document_facts WHERE document_id = ?", [document_id])
    db.execute("DELETE FROM document_recommendations WHERE document_id = ?", [document_id])
    db["document_facts"].insert_all(
        {
            "document_id": document_id,
            "field": field,
            "value": json.dumps(fact.value if fact else None),
            "sentence": fact.sentence if fact else "",
            "char_start": fact.char_start if fact else None,
            "corrected_value": kept.get(field, {}).get("corrected_value"),
            "corrected_by": kept.get(field, {}).get("corrected_by"),
            "corrected_at": kept.get(field, {}).get("corrected_at"),
        }
        for field, fact in reading.facts.items()
    )
    db["document_recommendations"].insert_all(
        {
            "document_id": document_id,
            "ordinal": ordinal,
            "number": found.number,
            "text": found.text,
            "addressee": found.addressee,
            "national": int(found.national),
        }
        for ordinal, found in enumerate(reading.recommendations)
    )
    db.execute("UPDATE documents SET read_version = ? WHERE id = ?", [READER_VERSION, document_id])
    refresh_document_themes(tx, [document_id])  # the themes that rest on the facts just read


def stored_text(db: sqlite_utils.Database, document_id: int) -> str:
    """A document's extracted text put back together from its stored passages (they are slices of it,
    overlapping; the gap between two sections, whitespace in the original, becomes a blank line), its broken
    words whole: an earlier release stored a PDF's passages before extraction rejoined them."""
    text: list[str] = []
    reached = 0
    for start, end, passage in db.execute(
        "SELECT char_start, char_end, text FROM chunks WHERE document_id = ? ORDER BY char_start", [document_id]
    ):
        if end <= reached:
            continue
        if start > reached:
            text.append("\n\n" if reached else "")
            text.append(passage)
        else:
            text.append(passage[reached - start :])
        reached = end
    return rejoined("".join(text))


def read_unread(store: Store, actor: str = "system") -> int:
    """Read every indexed document no reader (or an older one) has read; returns how many. Each is its own
    write unit, checked again inside it, so two processes doing this at once read each document once."""
    todo = [
        row[0]
        for row in store.read().execute(
            "SELECT id FROM documents WHERE status = 'indexed' AND coalesce(read_version, 0) < ? ORDER BY id",
            [READER_VERSION],
        )
    ]
    done = 0
    for document_id in todo:
        db = store.read()
        reading = read_text(stored_text(db, document_id), db["documents"].get(document_id)["kind"])
        with store.write(actor) as tx:
            if (tx.db["documents"].get(document_id)["read_version"] or 0) >= READER_VERSION:
                continue
            save_reading(tx, document_id, reading)
            done += 1
    return done


def fact_rows(db: sqlite_utils.Database, document_ids: list[int] | None = None) -> dict[int, dict[str, dict]]:
    """{document id: {field: {"value" (what counts: a correction wins), "extracted", "sentence",
    "corrected_by", "corrected_at"}}}."""
    sql = "SELECT * FROM document_facts"
    params: list = []
    if document_ids is not None:
        sql += " WHERE document_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(document_ids)]
    found: dict[int, dict[str, dict]] = {}
    for row in db.query(sql, params):
        extracted = json.loads(row["value"])
        corrected = row["corrected_by"] is not None
        found.setdefault(row["document_id"], {})[row["field"]] = {
            "value": json.loads(row["corrected_value"]) if corrected else extracted,
            "extracted": extracted,
            "sentence": row["sentence"],
            "corrected_by": row["corrected_by"],
            "corrected_at": row["corrected_at"],
        }
    return found


def recommendation_rows(db: sqlite_utils.Database, document_id: int) -> list[dict]:
    """A document's recommendations, each with the workspace agency its addressee names as the list stands now."""
    agencies = list_agencies(db)
    return [
        {
            "id": r["id"],
            "number": r["number"],
            "text": r["text"],
            "addressee": r["addressee"] or None,
            "agencies": matched_agencies(r["addressee"], agencies),
            "national": bool(r["national"]),
        }
        for r in db.query(
            "SELECT * FROM document_recommendations WHERE document_id = ? ORDER BY ordinal", [document_id]
        )
    ]
