"""To whom a recommendation is addressed, from the words around it: the body its own words name ("Kent Police
must ...", "That the Home Office consider ..."), the body a heading or lead-in above it names ("Home Office",
"Recommendations for NHS England", "The following recommendations are for the police service:", "Agency: Devon
Partnership NHS Trust"), and whether that body is national (a government department or national body), under
one name however a report spells it ("DWP", "the Department for Work and Pensions").

A heading is taken as an addressee only where it reads as an organisation's name (a national body, a name with an
organisation's word such as Police, Trust, Council or Service, or an abbreviation in brackets): a heading such as
"Training" or "Information sharing" names no one, and a wrong addressee is worse than none.
"""

from __future__ import annotations

import functools
import re

# each national body under one name, with the other names and abbreviations reports use for it
NATIONAL_BODIES: dict[str, tuple[str, ...]] = {
    "Home Office": ("Home Office", "Home Secretary"),
    "Ministry of Justice": ("Ministry of Justice", "MoJ", "MOJ"),
    "Department of Health and Social Care": ("Department of Health and Social Care", "Department of Health", "DHSC"),
    "NHS England": ("NHS England", "NHSE"),
    "Department for Education": ("Department for Education", "DfE"),
    "Department for Work and Pensions": ("Department for Work and Pensions", "DWP"),
    "Ministry of Housing, Communities and Local Government": (
        "Ministry of Housing, Communities and Local Government",
        "MHCLG",
        "Department for Levelling Up",
        "DLUHC",
    ),
    "Ministry of Defence": ("Ministry of Defence", "MoD", "MOD"),
    "HM Government": ("HM Government", "UK Government", "Government"),
    "Welsh Government": ("Welsh Government",),
    "College of Policing": ("College of Policing",),
    "National Police Chiefs' Council": ("National Police Chiefs' Council", "National Police Chiefs’ Council", "NPCC"),
    "HM Prison and Probation Service": ("HM Prison and Probation Service", "HMPPS"),
    "Crown Prosecution Service": ("Crown Prosecution Service",),
    "Care Quality Commission": ("Care Quality Commission", "CQC"),
    "Ofsted": ("Ofsted",),
    "NICE": ("NICE",),
    "Public Health England": ("Public Health England",),
    "UK Health Security Agency": ("UK Health Security Agency",),
    "Domestic Abuse Commissioner": ("Domestic Abuse Commissioner",),
    "Royal College of General Practitioners": ("Royal College of General Practitioners",),
    "General Medical Council": ("General Medical Council",),
    "HMICFRS": (
        "HMICFRS",
        "Her Majesty's Inspectorate of Constabulary",
        "Her Majesty’s Inspectorate of Constabulary",
        "HM Inspectorate of Constabulary",
    ),
    "Department for Digital, Culture, Media and Sport": ("Department for Digital",),
    "Cabinet Office": ("Cabinet Office",),
    "Department for Transport": ("Department for Transport",),
    "HM Courts and Tribunals Service": ("HM Courts and Tribunals Service", "HMCTS"),
    "Cafcass": ("Cafcass",),
}
_CANONICAL = {alias: body for body, aliases in NATIONAL_BODIES.items() for alias in aliases}
_NATIONAL = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(_CANONICAL, key=len, reverse=True)) + r")\b")


def is_national(addressee: str) -> bool:
    return bool(_NATIONAL.search(addressee))


def national_body(text: str) -> str | None:
    """The first national body a text names, under its one name ("the DWP and NHS England" -> "Department for
    Work and Pensions")."""
    match = _NATIONAL.search(text)
    return _CANONICAL[match.group(0)] if match else None


# a body's name: capitalised words and the small words between them, with a bracketed part after a word
# ("Kent Criminal Justice Board (KCJB)", "Sheffield City Council (Children, Young People and Families)"), or a
# list of bodies ("DHSC, DWP and MHCLG")
_BODY = (
    r"((?:[A-Z][\w’'&()\-]*|of|and|for|the|&)"
    r"(?:(?:,\s+(?=[A-Z])|\s+)(?:[A-Z][\w’'&()\-]*|\([^()]{1,60}\)|of|and|for|the|&|\||in|consultation|with))*?)"
)
# an aside between the body and its verb names someone else, not the addressee: "Kent Police, in partnership with
# Northvale Council, should ...", "the CCG, which commissions GP services, should ..."
_ASIDE = (
    r"(?:,\s+(?:which|who|including|in partnership with|with|together with|working with|alongside)\b[^,.;]{1,80},)?"
)
# the verb after the body: its first lower-case word, not one that goes on with the name ("DHSC and the Office for
# Health Promotion review ...")
_VERB = r",?\s+(?!(?:of|and|or|for|the|in|with)\b)[a-z]"
# a time or condition before the subject: "We recommend that from 2022 to 2023, DHSC require ..."
_OPENING = r"(?:(?:from|by|in|within|during|over|following|after|before|until|at)\s[^,.]{1,50},\s+)?"
# a bracketed part of a name that is not its abbreviation names a department: the body is the name before it
_DEPARTMENT = re.compile(r"\s*\((?![A-Z&]{2,12}\))[^()]*\)")
# a group or service that a name's capitals begin and a common noun ends: "The MARAC steering group should ...",
# "The IDVA service should ..."
_NAMED_GROUP = r"(?:\s+(?:steering\s+|working\s+|operational\s+)?(?:group|board|panel|team|service|forum|committee))?"
_SUBJECT = re.compile(
    r"^(?:For\s+)?(?:the\s+|all\s+)?("
    + _BODY
    + _NAMED_GROUP
    + r")"
    + _ASIDE
    + r",?\s+(?:should|must|to|will|shall|is|are|needs?|considers?|"
    r"consider|reinforces?|build|ensures?|reviews?|develops?|undertakes?|works?|provides?|establish(?:es)?|be)\b"
)
# after "That" or "It is recommended that" the body is whatever capitalised name comes before the verb
_THAT = r"(?:It is (?:therefore )?recommended that|That|We recommend that),?\s+" + _OPENING
_SUBJECT_AFTER_THAT = re.compile(r"^" + _THAT + r"(?:the\s+|all\s+)?" + _BODY + _VERB)
# central government written as a common noun: "The government should ...", "We recommend that the government
# invests ..." (not "government departments" or "local government")
_GOVERNMENT = re.compile(r"^(?:" + _THAT + r")?(?:the\s+)?government\b(?!['’]|\s+(?:departments?|agenc|of\b))", re.I)
# a service named by what it does, then the body that provides it: "The health visiting service, provided by Harbourne
# Community Health NHS Trust, should ..." is asked of that body
_PROVIDED_BY = re.compile(
    r"^(?:[Tt]he\s+)?[a-z][a-z\s-]{2,40}\b(?:service|team|clinic|unit)s?,\s+(?:provided|run|delivered) by\s+(?:the\s+)?"
    + _BODY
    + r",\s+(?:should|must|will|shall)\b"
)
NOT_A_BODY = frozenset("It This There These When Where All A An Any In If On Whilst While Building We".split())


def addressee_in(text: str) -> str:
    """The body a recommendation's own words address ("Kent Police must ...", "That the Home Office ...")."""
    if _GOVERNMENT.match(text.strip()):
        return "Government"
    match = _SUBJECT_AFTER_THAT.match(text.strip()) or _SUBJECT.match(text.strip()) or _PROVIDED_BY.match(text.strip())
    if not match:
        return ""
    # the name without a small word it ended on ("Kent Police and partner agencies should" -> "Kent Police")
    subject = re.sub(r"(?:\s+(?:of|and|for|the|&|in|consultation|with))+$", "", _DEPARTMENT.sub("", match.group(1)))
    subject = subject.strip(" ,")
    if not subject or not subject[0].isupper() or subject.split()[0] in NOT_A_BODY:
        return ""
    return subject if _is_organisation(subject) else ""


# a later sentence of a recommendation that asks another body: "The Cheshire Domestic Abuse Partnership should
# publicise that service", "Similarly, we recommend that DWP and MHCLG protect ..." (not "MHCLG will also need to")
_LATER_ASK = re.compile(
    r"^(?:(?:Similarly|Also|In addition|Likewise),\s+)?(?=(?:we recommend|it is recommended)\b)", re.IGNORECASE
)
_ASKED_BY_NAME = r"[^.;]{0,80}?\b(?:should|must|shall)\b"


def addressees_in(text: str) -> str:
    """The bodies a recommendation's own sentences ask, the first sentence's first ("That the ICB ensures ... . The
    Cheshire Domestic Abuse Partnership should ..." -> "ICB; Cheshire Domestic Abuse Partnership"); the government
    as a common noun is not added to a national body already asked."""
    bodies = [addressee_in(text)]
    if not bodies[0]:
        return ""
    for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", " ".join(text.split()))[1:]:
        later = _LATER_ASK.match(sentence)
        if later:
            sentence = sentence[later.end() :]
            sentence = sentence[:1].upper() + sentence[1:]
        body = re.sub(r"^the\s+", "", addressee_in(sentence), flags=re.IGNORECASE)
        asked = later or re.match(r"(?:the\s+|all\s+)?" + re.escape(body) + _ASKED_BY_NAME, sentence, re.I)
        if not body or not asked or body in bodies or body == "Government" and any(map(is_national, bodies)):
            continue
        bodies.append(body)
    return "; ".join(bodies)


# a line that introduces the recommendations for one body: "Recommendations for NHS England", "Recommendations to
# the Home Office", "The following recommendations are for Kent Police:", "Agency: Devon Partnership NHS Trust"
_LEAD_IN = re.compile(
    r"^(?:(?:the )?following recommendations? (?:is|are) (?:made )?(?:for|to)"
    r"|recommendations? (?:for|to|addressed to|made to)"
    r"|(?:lead |responsible )?(?:agency|organisation|body)\s*:"
    r"|(?-i:To|For))"
    r"\s+(?:the\s+)?(.+?)\s*:?\s*$",
    re.IGNORECASE,
)
# a name on its own: capitalised words, the small words between them, an abbreviation in brackets
_NAME = re.compile(
    r"^(?:[A-Z][\w’'&.\-]*|\([A-Z][\w’'&.\- ]{0,40}\))"
    r"(?:,?\s+(?:[A-Z][\w’'&.\-]*|\([A-Z][\w’'&.\-, ]{0,60}\)|of|and|for|the|&|in|on))*$"
)
# the words that make a name an organisation's ("Warwickshire Police", "Devon Partnership NHS Trust"), or an
# abbreviation in brackets ("Mayor’s Office for Policing and Crime (MOPAC)")
_ORGANISATION = re.compile(
    r"\b(?:Police|Constabulary|Council|Trust|Service|Services|Partnership|Board|Office|Government|Department|Ministry"
    r"|Agency|Commissioner|Probation|Hospitals?|Surgery|Practices|GP Practice|Group|CCG|ICB|NHS|Authority"
    r"|Association|Refuge|Commission|Courts?|College|School|Academy|University|Society|Foundation|Directorate"
    r"|Inspectorate|Social Care|Women['’]s Aid|Victim Support|Citizens Advice|Homes|Public Health)\b"
    r"|\([A-Z][A-Za-z&]{1,11}\)$"
)
MAX_HEADING_WORDS = 12  # a heading that is a name
MAX_LEAD_IN_WORDS = 24  # "To the DVSAT Working Group, the NSW Domestic, Family and Sexual Violence Board, and ..."


def is_lead_in(line: str) -> bool:
    """Whether a line announces to whom the recommendations below it are addressed, whether or not the name in
    it can be read: one that cannot still ends the scope of the heading before it."""
    return bool(_LEAD_IN.match(" ".join(line.split()))) and len(line.split()) <= MAX_LEAD_IN_WORDS + 6


def body_heading(line: str) -> str:
    """The body a heading or lead-in line names as the addressee of the recommendations below it, or ""."""
    line = " ".join(line.split()).rstrip(":").strip()
    lead_in = _LEAD_IN.match(line)
    name = lead_in.group(1) if lead_in else line
    name = re.sub(r"^(?:the|all)\s+", "", name, flags=re.IGNORECASE).rstrip(" :.")
    most = MAX_LEAD_IN_WORDS if lead_in else MAX_HEADING_WORDS
    if not name or len(name.split()) > most or not _NAME.match(name):
        return ""
    if re.search(r"\brecommendations?\b", name, re.IGNORECASE):
        return ""
    return name if _is_organisation(name) else ""


def _is_organisation(name: str) -> bool:
    """Whether a name is an organisation's (a national body, an organisation's word, an abbreviation such as
    "MOPAC"), not a role or a group of people ("Offender Managers", "Practitioners")."""
    return is_national(name) or bool(_ORGANISATION.search(name) or re.search(r"\b[A-Z]{2,6}s?\b", name))


# the kinds of agency a workspace lists by kind ("Acute Hospital Trust", "Police") and reports name in full
# ("Eastmarsh Hospitals NHS Foundation Trust", "Kent Constabulary"), each by the words that tell it
AGENCY_KINDS: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.IGNORECASE)
    for kind, pattern in {
        "police": r"\b(?:police|constabulary|policing)\b",
        "acute hospital": r"\bacute\b|\bhospitals?\b.*\b(?:trust|NHS)\b|\b(?:trust|NHS)\b.*\bhospitals?\b",
        "mental health": r"\bmental health\b|\bpartnership\b.*\b(?:NHS|trust)\b",
        "probation": r"\bprobation\b|\bcommunity rehabilitation compan(?:y|ies)\b",
        "ambulance": r"\bambulance\b",
        "adult social care": r"\badults?['’]?s?\s+(?:social care|social services|services|social work)\b",
        "children's social care": r"\bchildren['’]?s?\s+(?:social care|social services|services|social work)\b"
        r"|\bchildren,? (?:young people )?and famil(?:y|ies)\b",
        "ICB": r"\b(?:ICBs?|CCGs?|integrated care boards?|clinical commissioning groups?)\b",
        "GP": r"\bGPs?\b|\bgeneral practi(?:ce|tioners?)\b|\bprimary care\b|\bmedical (?:centre|practice)\b"
        r"|\bsurgery\b",
        "housing": r"\bhousing\b|(?<!\bcare )\bhomes\b(?! England)",
    }.items()
}


# a body that speaks for a sector or many providers, not one of a partnership's agencies ("Chartered Institute of
# Housing", "Association of Directors of Adult Social Services", "mental health providers and commissioners"); a
# housing association is a landlord, one of them
_SECTOR_BODY = re.compile(
    r"\b(?:Association of|Associations|Institute|Federation|Charitable|Agency|providers|commissioners)\b",
    re.IGNORECASE,
)


def is_sector_body(name: str) -> bool:
    return bool(_SECTOR_BODY.search(name))


@functools.lru_cache(maxsize=4096)  # a document's addressees are matched against the same agencies, each time
def agency_kinds(name: str) -> frozenset[str]:
    """The kinds of agency a name tells ("Devon Partnership NHS Trust" -> mental health); none for a national
    body ("Ministry of Housing ...", "College of Policing"), a sector's body or a name of several bodies ("Kent
    Police | KSCS"). Worked out once for each name: the words of the kinds are fixed."""
    if is_national(name) or is_sector_body(name) or re.search(r"[;|]", name):
        return frozenset()
    return frozenset(kind for kind, words in AGENCY_KINDS.items() if words.search(name))
