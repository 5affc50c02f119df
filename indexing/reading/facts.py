"""Case facts from a review's text: the victim's age and sex, the perpetrator's age, sex and relationship to
the victim, whether the death was a homicide or a suicide, whether the perpetrator then took their own life,
whether children lived in the household.

Every fact comes with the sentence it was read from. A fact is left empty rather than guessed: an age is the
victim's only when the words just before it name the victim (their pseudonym, "the victim", or a pronoun that
can only be theirs), never a child's or another person's; a relationship only where the text ties a kinship
word to the killing ("killed by her son", "at the hands of her partner", "her husband ... charged with her
murder") or names what the perpetrator was to the victim; children in the household only where the text
puts children (under 18 where it gives their ages) in the home, or says there were none ("she had no
children"). Chairs write in many ways; the patterns below are the ones measured on the real fragments in
../shared/corpus/dhr and on held-out published reviews (benchmarks/bench_reading.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexing.reading.children import NO_CHILDREN, children_in_household
from indexing.reading.sentences import WORD_ZIPF, Sentence, sentences

CONTRACT_FIELDS = (  # the "facts" of ``python -m indexing extract --json`` (#22's contract)
    "victim_age",
    "victim_sex",
    "perpetrator_age",
    "perpetrator_sex",
    "relationship",
    "perpetrator_suicide",
    "death",
)
# beside the contract's facts: children in the household, and the victim's age where the text gives only a band
# ("in her late 70s"): the contract's victim_age stays an exact age or null
FIELDS = (*CONTRACT_FIELDS, "children_in_household", "victim_age_band")
# the kinds of sentence the reader recognises that a vocabulary's sentence rule may name ("reads": "no_children")
# rather than repeat the reader's pattern as its own: the sentences that say no children lived in the household
READ_SENTENCES = {"no_children": NO_CHILDREN}
RELATIONSHIPS = (
    "intimate_partner",
    "former_partner",
    "child_of_victim",
    "parent_of_victim",
    "other_family",
    "household_member",
    "other",
)
RELATIONSHIP_LABELS = {
    "intimate_partner": "Partner",
    "former_partner": "Former partner",
    "child_of_victim": "Adult child of the victim",
    "parent_of_victim": "Parent of the victim",
    "other_family": "Other family member",
    "household_member": "Member of the household",
    "other": "Other",
}
SEXES = ("female", "male")
DEATHS = ("homicide", "suicide")
MIN_VICTIM_AGE = 16  # a review is held for a death of someone aged 16 or over

# kinship word -> (relationship of the perpetrator to the victim when the word names the perpetrator, sex)
KIN: dict[str, tuple[str, str | None]] = {
    "husband": ("intimate_partner", "male"),
    "wife": ("intimate_partner", "female"),
    "partner": ("intimate_partner", None),
    "boyfriend": ("intimate_partner", "male"),
    "girlfriend": ("intimate_partner", "female"),
    "fiancé": ("intimate_partner", "male"),
    "fiance": ("intimate_partner", "male"),
    "fiancée": ("intimate_partner", "female"),
    "spouse": ("intimate_partner", None),
    "civil partner": ("intimate_partner", None),
    "intimate partner": ("intimate_partner", None),
    "former intimate partner": ("former_partner", None),
    "ex-partner": ("former_partner", None),
    "former partner": ("former_partner", None),
    "previous partner": ("former_partner", None),
    "estranged husband": ("former_partner", "male"),
    "estranged wife": ("former_partner", "female"),
    "estranged partner": ("former_partner", None),
    "ex-husband": ("former_partner", "male"),
    "former husband": ("former_partner", "male"),
    "ex-wife": ("former_partner", "female"),
    "former wife": ("former_partner", "female"),
    "ex-boyfriend": ("former_partner", "male"),
    "former boyfriend": ("former_partner", "male"),
    "ex-girlfriend": ("former_partner", "female"),
    "former girlfriend": ("former_partner", "female"),
    "ex-fiancé": ("former_partner", "male"),
    "ex-fiance": ("former_partner", "male"),
    "former fiancé": ("former_partner", "male"),
    "former fiance": ("former_partner", "male"),
    "ex-fiancée": ("former_partner", "female"),
    "former fiancée": ("former_partner", "female"),
    "son": ("child_of_victim", "male"),
    "daughter": ("child_of_victim", "female"),
    "stepson": ("child_of_victim", "male"),
    "stepdaughter": ("child_of_victim", "female"),
    "adult son": ("child_of_victim", "male"),
    "adult daughter": ("child_of_victim", "female"),
    "adult child": ("child_of_victim", None),
    "mother": ("parent_of_victim", "female"),
    "father": ("parent_of_victim", "male"),
    "stepfather": ("parent_of_victim", "male"),
    "stepmother": ("parent_of_victim", "female"),
    "brother": ("other_family", "male"),
    "sister": ("other_family", "female"),
    "grandson": ("other_family", "male"),
    "grandmother": ("other_family", "female"),
    "grandfather": ("other_family", "male"),
    "granddaughter": ("other_family", "female"),
    "nephew": ("other_family", "male"),
    "niece": ("other_family", "female"),
    "uncle": ("other_family", "male"),
    "aunt": ("other_family", "female"),
    "cousin": ("other_family", None),
    "sibling": ("other_family", None),
    "brother-in-law": ("other_family", "male"),
    "son-in-law": ("other_family", "male"),
    "lodger": ("household_member", None),
    "housemate": ("household_member", None),
    "flatmate": ("household_member", None),
    "carer": ("other", None),
}
# what the victim is to the perpetrator ("Mary was the wife of Peter") -> what the perpetrator is to the victim
INVERSE = {
    "intimate_partner": "intimate_partner",
    "former_partner": "former_partner",
    "child_of_victim": "parent_of_victim",
    "parent_of_victim": "child_of_victim",
    "other_family": "other_family",
    "household_member": "household_member",
    "other": "other",
}
OPPOSITE = {"female": "male", "male": "female"}
PRONOUN_SEX = {"she": "female", "her": "female", "he": "male", "his": "male", "him": "male"}

_KIN = "|".join(sorted((re.escape(k) for k in KIN), key=len, reverse=True))
_YEARS_OLD = r"\d{1,3}[- ]years?[- ]old "  # "77 year old ", "77-year-old "
_KILLED_PASSIVE = r"(?:was|had been) (?:killed|murdered|stabbed|strangled|found dead)"
# an age written before a kinship word: "her 69 year ex-husband", "her 69-year-old partner"
_AGE_BEFORE_KIN = r"(\d{1,3})[- ]years?(?:[- ]old)? "
# what may stand between a possessive and its kinship word: "her long-term partner", "his then girlfriend",
# "her 69 year ex-husband", a news report's "her violent ex-partner", "her controlling ex-boyfriend"
_KIN_ADJECTIVE = (
    r"(?:\d{1,3}[- ]years?(?:[- ]old)? )?"
    r"(?:(?:long-term|long term|then|common-law|live-in|new|older|younger|elder|eldest|twin) )?"
    r"(?:(?:abusive|violent|controlling|coercive|jealous) )?"
)
# what may stand between an age and the kinship word it is the age of: a word or two describing the person ("61-year-old
# estranged husband"), never a clause ("a 38-year old woman who was killed by her ex-partner": the woman's age)
_KIN_WORDS_BETWEEN = r"(?:(?!(?:woman|man|lady|who|was|had|by|her|his|their|of|and)\b)[a-z-]+ ){1,2}"
# how long a partnership had lasted, after its kinship word: "her husband of fifty years", "his partner of 12 years"
_KIN_YEARS = r"(?: of (?:\d{1,2}|[a-z]+(?:[- ][a-z]+)?) years)?"
# an age in a clause between a name and what it did: "Graham, who was 63, was convicted", "Callum, who was then 22
# and lived with her, was found guilty"
_WHO_WAS_AGED = r"(?:who was (?:then )?\d{1,3}(?: and [a-z ]{1,40})?,? )?"
# a pseudonym, with the title or label reports put before one ("Mrs J", "Mr F", "Subject A", "Adult B", "Victim M")
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Subject", "Adult", "Victim")
_PERSON = r"(?:(?:" + "|".join(TITLES) + r")\.? )?(?:[A-Z][A-Za-z]{1,20}|[A-Z]{1,3})"
_NAME = r"[“\"‘']?(" + _PERSON + r")[”\"’']?"
# a surname after a forename, or an initial after an initial ("His former partner, Chloe Barras, aged 31", "Mr A B,
# aged 52"): the name is kept without it, as the text goes on to call them ("Chloe had hit him"; "Ms Barras" and
# "Barras" are added by _add_titled_surnames)
_SURNAME = r"(?: (?:[A-Z][a-z’'-]{1,20}|[A-Z]))?"
_FULL_NAME = r"[“\"‘']?(" + _PERSON + r")" + _SURNAME + r"[”\"’']?"
# what chairs write of a person before "man" or "woman": ethnicity, nationality, religion, disability, time of life
# ("a Black British man", "a white Polish woman", "a young disabled man", "a retired Sikh man"), and after it ("a man
# of Indian heritage")
_DESCRIBED = (
    r"(?:(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|white|black|brown|mixed[- ]race|dual[- ]heritage|young|older|elderly|retired"
    r"|disabled|deaf|blind|autistic|gay|lesbian|bisexual|trans|transgender) ){0,3}"
)
_HERITAGE = r"(?: of (?:[A-Z][a-z]+ ){1,2}(?:heritage|origin|descent))?"
_KILLED = r"(?:killed|murdered|stabbed|strangled|assaulted|attacked|shot|beaten|battered)"
# a role before the kinship word: "killed by the perpetrator, her ex-husband"
_ROLE = r"the (?:perpetrator|offender|defendant)"
_CAUGHT = (
    r"(?:was |who was |has been |had been |were )?(?:tried and )?"
    r"(?:charged|convicted|arrested|found guilty|found not guilty|acquitted|pleaded guilty|sentenced|jailed|stood trial"
    r"|(?:is |was )?(?:currently )?serving a (?:life |prison |custodial )?sentence)"
)
# "His former wife, Karen, aged 49, was convicted of his manslaughter", "her partner, Jay, then 29, was convicted of
# her murder", "her son, Tom (31), pleaded guilty to her murder", "her son, Mr Jones, 52, ...", "her husband,
# 33-year-old Omar Hassan, ...", "her partner, Dan, a 40-year-old, was charged with the murder of her": a kinship word,
# a name (a forename and surname, a title and a surname or initials) and an age before or after it,
# then a charge for the death of the one whose kin it is; the death's pronoun must be the possessive's ("her brother,
# John, aged 30, was convicted of his murder" may be another man's death; "... of the murder of a neighbour" is)
_KIN_NAMED_AGED_CAUGHT = re.compile(
    r"\b(?:(?P<her>[Hh]er)|(?P<his>[Hh]is)|[Tt]heir) " + _KIN_ADJECTIVE + rf"(?P<kin>{_KIN}),? "
    r"(?:(?P<age_before>\d{1,3})[- ]years?[- ]old )?"  # "Her former husband, 33-year-old Omar Hassan, was ..."
    rf"[“\"‘']?(?P<name>{_PERSON}){_SURNAME}[”\"’']?,? "
    r"(?(age_before)|(?:(?:then )?aged (?P<age>\d{1,3})|\((?P<age_in_brackets>\d{1,3})\)"
    r"|an? (?P<age_in_words>\d{1,3})[- ]years?[- ]old|then (?P<age_then>\d{1,3})|(?P<age_bare>\d{2})),? )"
    rf"(?:who )?{_CAUGHT} (?:of|with|to|for) (?:the )?"
    r"(?:(?(her)her|(?(his)his|their)) (?:murder|manslaughter|killing|death)"
    r"|(?:murder|manslaughter|killing) of (?(her)her|(?(his)him|them)))\b"
)
_AGE = re.compile(
    r"\b(?:aged|age of|age)\s+(\d{1,3})\b(?!\s*(?:months|weeks|days|or over|or above|and over|and above|\+))"
    r"|\b(\d{1,3})[- ]years?[- ]old\b"
    r"|\b(\d{1,3})\s+years\s+(?:of age|at the time|when)"
    r"|\b(?:was|were) (\d{1,3}) (?:when|at the time)\b"
    r"|\b(?:woman|man|lady) of (\d{1,3})\b"  # "Ms K, a woman of 58,"
)
# "Anna (a pseudonym), aged 43", "Nadia (not her real name) was 34 when ...": an aside between a name and its age
_ASIDE_TEXT = r"\([^()]{1,40}\),? "
_ASIDE = rf"(?:{_ASIDE_TEXT})?"
_DEATH_OF_SOMEONE = re.compile(
    r"\b(?:death|murder|killing)(?: by suicide)? of (?:a|an) (?:[a-z]+ )?"
    + _DESCRIBED
    + r"(?:woman|man|female|male|lady)"
    r"(?: adult)?"
    r",?\s*$"
)
_DEATH_OF_AGED = re.compile(  # "the death of a 73 year old woman" (the text around the age, joined by "|")
    r"\b(?:death|murder|killing)(?: by suicide)? of (?:a|an) \|\s*" + _DESCRIBED + r"(?:woman|man|female|male|lady)\b"
)
# "Dennis attacked Irene at their home; she died in hospital two days later": an attack on a named person, then that
# person's death told in the same sentence (the killer's name first, the one killed after it)
_ATTACKED = r"(?:attacked|assaulted|stabbed|strangled|beat|punched|hit)"
_DIED_AFTER_ATTACK = r"\b[^.;]{0,50}?(?:;|,? and) (?:she|he) died\b"
_NOT_A_PERSON = frozenset(
    "The This That These Those A An In On At It He She His Her They Their We Our Page Review Domestic Home Section "
    "Case Report Panel Police Council Partnership Safer Community When Following After Before Under".split()
    + list(TITLES)
)

_VICTIM_NAME_PATTERNS = (
    re.compile(
        r"\b(?i:death|murder|killing|homicide|manslaughter)(?: by suicide)? (?i:of) (?:a [a-z0-9 -]+?,? known as )?"
        + _NAME
    ),
    re.compile(r"\bpseudonym,? " + _NAME + r",? (?:has been|was|is) used for the victim"),
    re.compile(r"\bvictim,? (?:known as |referred to as |called )?" + _NAME),
    # "Mrs J, aged 71, was killed", a newspaper's "Alice, 24, was killed", "Rose was 58 and was killed", "Amy was 30
    # years old and a mother of two when she was killed"
    re.compile(
        _NAME + r",? " + _ASIDE + r"(?:(?:aged )?\d{1,3}(?: years)?,? "
        r"|was \d{1,3}(?: years old)?(?: and [a-z ]{1,60}?)? when (?:she|he) |was \d{1,3}(?: years old)? and )?was "
        + _KILLED
    ),
    re.compile(  # "Tina was 49 when her husband killed her"
        _NAME + r",? " + _ASIDE + rf"was \d{{1,3}} when (?:her|his) {_KIN_ADJECTIVE}(?:{_KIN}){_KIN_YEARS} "
        rf"{_KILLED} (?:her|him)\b"
    ),
    re.compile(r"\b(?:regarding|concerning|in respect of|into the death of) " + _NAME + r",? who died\b"),
    re.compile(r"\b(?:review (?:of|into)|learning from) " + _NAME + r"['’]s death\b"),  # "the review of Paul's death"
    re.compile(_NAME + r" \(the victim\b"),
    # "Moira, a woman aged 47, died at home", "Daniel, a Black British man aged 34, died in hospital"
    re.compile(_NAME + r", an? " + _DESCRIBED + r"(?:woman|man)" + _HERITAGE + r",? (?:aged|of) \d{1,3},? died\b"),
    # "Mr D, a 77-year-old man, was killed at his flat" (not "died": a relative's death years before may be told so)
    re.compile(
        _NAME
        + r", an? "
        + _YEARS_OLD
        + _DESCRIBED
        + r"(?:woman|man|lady)"
        + _HERITAGE
        + r",? "
        + _KILLED_PASSIVE
        + r"\b"
    ),
    re.compile(r"\bfound " + _NAME + r" dead\b"),  # "On arrival they found Sarah dead"
    re.compile(_NAME + r" was found (?:dead|hanged)\b"),
    re.compile(r"\bwho (?:unlawfully )?(?:killed|murdered) " + _NAME),  # "The man who unlawfully killed 'Doris'"
    # "Mr X killed his mother, Mrs Y, at the home they shared"
    re.compile(r"\b(?:killed|murdered) (?:his|her|their) " + _KIN_ADJECTIVE + rf"(?:{_KIN}),? " + _NAME + r"(?=[,.;])"),
    # "Adult A (67) died in hospital ... four days after he was assaulted at his home by his wife"
    re.compile(
        _NAME + r",? (?:\(\d{1,3}\),? )?died\b[^.;]{0,80}?\b(?:after|when|following) (?:she|he) was "
        r"(?:assaulted|attacked|stabbed|strangled|beaten|shot)\b"
    ),
    re.compile(rf"\b{_PERSON} {_ATTACKED} (?P<name>{_PERSON}){_DIED_AFTER_ATTACK}"),
    # a review's title naming its subject by title and letter: "Domestic Homicide Review: Mrs H"
    re.compile(r"^Domestic Homicide Review\b[^:.]{0,30}: ((?:" + "|".join(TITLES) + r")\.? [A-Z][A-Za-z]{0,20})$"),
    re.compile(_NAME + r", the subject of (?:this|the) (?:review|DHR)\b"),  # "Sam, the subject of this review, was 19"
    # "Graham was convicted of Eleanor's murder"
    re.compile(r"\b(?:convicted|charged|found guilty) (?:of|with) " + _NAME + r"['’]s (?:murder|manslaughter)"),
    # a news report's "Casey Brittle, 21, repeatedly called the police before she was murdered by ..."
    re.compile(_NAME + r", \d{1,3}, [^.;]{0,80}?\b(?:she|he) was (?:murdered|killed)\b"),
    # "Asher Maslin, 24, murdered hairdresser Hollie Gazzard, 20": the one killed, after the killer's name and age
    re.compile(
        r"\b[A-Z][a-z]{1,20}, \d{1,3}, (?:murdered|killed|stabbed|strangled) (?:[a-z]+ ){0,2}(?:[A-Z][a-z]{1,20} )?"
        r"(?P<name>[A-Z][a-z]{1,20}), \d{1,3}\b"
    ),
)
_PERPETRATOR_NAME_PATTERNS = (
    re.compile(_NAME + r" \(the (?:alleged |suspected )?(?:offender|perpetrator)\)"),
    re.compile(
        r"\b"
        + _KILLED
        + r"[^.;]{0,60}? by (?:(?:her|his|their) (?:"
        + _KIN
        + r"),? )?"
        + _FULL_NAME
        + r",? (?:(?:her|his|their) "
        + _KIN_ADJECTIVE
        + r"(?:"
        + _KIN
        + r"),? )?(?:then |who was )?aged"
    ),
    # "murdered by her partner, Steven", "killed at her home by husband Michael, 81", "by the perpetrator, her
    # ex-husband, Steven"
    re.compile(
        r"\b"
        + _KILLED
        + r"[^.;]{0,60}? by (?:"
        + _ROLE
        + r",? )?(?:(?:her|his|their) )?"
        + _KIN_ADJECTIVE
        + r"(?:"
        + _KIN
        + r"),? "
        + _NAME
        + r"\b"
    ),
    re.compile(
        r"\b(?:"
        + _KIN
        + r"),? (?:known as |referred to as |called )?"
        + _FULL_NAME
        + r"(?: in this report)?,? "
        + _WHO_WAS_AGED
        + r"(?:who )?"
        + _CAUGHT
    ),
    re.compile(r"\bat the hands of (?:her|his|their) (?:" + _KIN + r"),? " + _NAME),
    re.compile(
        r"\b" + _KILLED + r" by " + _FULL_NAME + r", (?:her|his|their) " + _KIN_ADJECTIVE + r"(?:" + _KIN + r")\b"
    ),
    re.compile(r"\bperpetrator,? (?:known as |referred to as |called )?" + _NAME),
    re.compile(
        _FULL_NAME
        + r",? "
        + _WHO_WAS_AGED
        + r"(?:was|had been) (?:later |subsequently )?(?:arrested|charged|convicted) (?:for|of|with) "
        r"(?:the |her |his |their |[A-Z][A-Za-z]{1,20}['’]s )?(?:murder|manslaughter|killing)"
    ),
    # "Alice was murdered by Mr Smith": a name with a title after the killing (an untitled word may be a place)
    re.compile(r"\b(?:killed|murdered|strangled|stabbed to death) by ((?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z][A-Za-z]{1,20})\b"),
    re.compile(
        _NAME + r" (?:had |then )?(?:killed|murdered|strangled) (?:his|her|their) " + _KIN_ADJECTIVE + rf"(?:{_KIN})\b"
    ),
    _KIN_NAMED_AGED_CAUGHT,
    re.compile(rf"\b(?P<name>{_PERSON}) {_ATTACKED} {_PERSON}{_DIED_AFTER_ATTACK}"),
    # a news report's full name after the killing: "murdered by Sanchez Williams" (the surname it goes on to use)
    re.compile(
        r"\b(?:murdered|killed|(?:stabbed|beaten|battered) to death) by [A-Z][a-z]{1,20} (?P<name>[A-Z][a-z]{1,20})\b"
        r"(?! [A-Z])"
    ),
    # "Asher Maslin, 24, murdered hairdresser Hollie Gazzard, 20"
    re.compile(_NAME + r", \d{1,3}, (?:murdered|killed|stabbed|strangled)\b"),
    # "Williams, of Lathkill Close, Nottingham, was jailed for life", "Maslin ... was sentenced to life imprisonment"
    re.compile(
        _NAME + r",? (?:of [A-Z][\w ]{1,30},? (?:[A-Z][a-z]+, )?)?(?:was|has been|had been) (?:jailed|sentenced)\b"
        r"(?: for life| to life imprisonment| for (?:the |her |his )?(?:murder|manslaughter))"
    ),
)
# a text that speaks of no killing, where a named person "took her own life", is about that person's suicide
_KILLING = re.compile(r"\b(?:kill|murder|stab|strangl|manslaughter|smother|shot\b|beaten\b)", re.IGNORECASE)
_CONVICTED_OF_KILLING = re.compile(
    r"\b(?:convicted|found guilty|pleaded guilty)\b[^.;]{0,40}?(?<!attempted )(?<!conspiracy to )"
    r"\b(?:murder|manslaughter)\b",
    re.IGNORECASE,
)
_OWN_LIFE_NAMED = re.compile(
    _NAME
    + r",? (?:(?:aged )?\d{1,3},? |an? "
    + _DESCRIBED
    + r"(?:woman|man)"
    + _HERITAGE
    + r" (?:of|aged) \d{1,3},? )?(?:had )?"
    r"(?:(?:took|taken) (?:her|his|their) own life|died by suicide)"
)
# "Eight months before she took her own life, Abigail Patterson, 29, was assaulted": the name after the clause
_NAMED_AFTER_OWN_LIFE = re.compile(
    r"\b(?:[Bb]efore|[Aa]fter|[Ww]hen) (she|he) (?:took (?:her|his) own life|died by suicide), "
    r"(?:[A-Z][a-z]{1,20} )?([A-Z][a-z]{1,20})\b"
)
_SUICIDE_STATED = re.compile(
    r"\bdeath by suicide of\b|\b(?:conclusion|verdict) of suicide\b|\b(?:she|he) died by suicide\b"
    r"|\b(?:she|he) died (?:as a result of|by|from) hanging\b",
    re.I,
)
# a person introduced with an age and sex ("Adult G, a 51 year old man, was living alone"), and that person's death
# ("He died as a result of hanging")
_INTRODUCED = re.compile(_NAME + r", (?:a|an) " + _YEARS_OLD + _DESCRIBED + r"(man|woman)\b")
_DIED = re.compile(r"\b(She|He) died\b")
_MANY = r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\s+"
_MANY_REVIEWS = re.compile(_MANY + r"(?:DHRs|reviews|domestic homicide reviews)\b", re.IGNORECASE)
# "the two victims", "murders of two women", "three tragedies": a text about several cases, even one that names
# a victim of one of them ("two deaths" is not here: a homicide followed by the perpetrator's suicide is one
# case; nor "had abused two women": a perpetrator's earlier partners are part of one case)
_MANY_CASES = re.compile(
    r"\b(?:murders|deaths|killings|homicides) of " + _MANY + r"(?:women|men|people|adults)\b"
    r"|\bthe " + _MANY + r"victims\b|" + _MANY + r"tragedies\b",
    re.IGNORECASE,
)


DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
PART_OF_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
# "in her late 70s", "in his early forties", "in her mid-sixties", "in her late teens"
_BAND = re.compile(
    r"\bin (her|his|their) (?:(early|mid|late)[- ]?)?"
    r"(teens|" + "|".join(DECADE_WORDS) + r"|[2-9]0[’']?s)\b",
    re.IGNORECASE,
)
_STATED_BAND = re.compile(r"^(?:(early|mid|late) )?(teens|[2-9]0s)$")
STATED_BANDS = ("teens", "late teens") + tuple(
    f"{part}{decade}0s" for decade in range(2, 10) for part in ("", "early ", "mid ", "late ")
)


def stated_age_range(band: str) -> tuple[int, int] | None:
    """The ages a stated band spans: "late 70s" -> (77, 79), "60s" -> (60, 69), "late teens" -> (17, 19)
    (a review is held for someone aged 16 or over, so "teens" is 16-19); None if ``band`` is not one."""
    match = _STATED_BAND.match(band)
    if not match:
        return None
    part, decade = match.groups()
    if decade == "teens":
        return {None: (MIN_VICTIM_AGE, 19), "late": (17, 19)}.get(part)
    low, high = PART_OF_DECADE.get(part, (0, 9))
    return int(decade[0]) * 10 + low, int(decade[0]) * 10 + high


def _stated_band(match: re.Match) -> str | None:
    """The band a matched phrase states, written one way ("mid-seventies" -> "mid 70s")."""
    part, decade = match.group(2), match.group(3).lower()
    decade = f"{DECADE_WORDS[decade]}s" if decade in DECADE_WORDS else decade.replace("’", "").replace("'", "")
    band = f"{part.lower()} {decade}" if part else decade
    return band if stated_age_range(band) else None


@dataclass(frozen=True)
class Fact:
    value: object
    sentence: str
    char_start: int


@dataclass
class _Case:
    victim: set[str]
    perpetrator: set[str]
    convicted: bool = False  # the text says someone was convicted of (or pleaded guilty to) murder or manslaughter


TITLE_CASE_SHARE = 0.6  # a text whose words are capitalised this often is in Title Case (a news page's style)
TITLE_CASE_WORDS = 20  # ... counted over this many words at least
_WORD = re.compile(r"(?<![.!?:;“\"]\s)(?<!^)(?<!Mr )(?<!Mrs )(?<!Ms )\b[A-Za-z][a-z]{2,}\b", re.MULTILINE)


def _sentence_cased(text: str) -> str:
    """A text in Title Case ("A Former Intimate Partner Took Her Life") with its everyday words in lower case, as
    the rules read them, and its names ("Alyson") kept; every offset stays where it was. Any other text as it is."""
    words = list(_WORD.finditer(text))
    capitals = [m for m in words if m.group(0)[0].isupper()]
    if len(words) < TITLE_CASE_WORDS or len(capitals) < TITLE_CASE_SHARE * len(words):
        return text
    from wordfreq import zipf_frequency  # imported here: it takes a moment to load

    cased = list(text)
    for match in capitals:
        if zipf_frequency(match.group(0).lower(), "en") >= WORD_ZIPF:
            cased[match.start()] = match.group(0)[0].lower()
    return "".join(cased)


def read_facts(text: str) -> dict[str, Fact | None]:
    """Each field's value with the sentence it came from, or None where the text does not say."""
    cased = _sentence_cased(text)
    found = _read_facts(cased)
    if cased == text:
        return found
    # the evidence as the text writes it (the same offsets)
    return {
        f: Fact(v.value, text[v.char_start : v.char_start + len(v.sentence)], v.char_start) if v else None
        for f, v in found.items()
    }


def _read_facts(text: str) -> dict[str, Fact | None]:
    found: dict[str, Fact | None] = dict.fromkeys(FIELDS)
    all_sentences = [row for s in sentences(text) for row in _rows_apart(text, _without_headings(text, s))]
    case = _names(all_sentences)
    case.convicted = bool(_CONVICTED_OF_KILLING.search(text))
    if not _KILLING.search(text):  # no one was killed: whoever took their own life is the one who died
        case.victim |= {m.group(1) for s in all_sentences for m in _OWN_LIFE_NAMED.finditer(s.text)} - _NOT_A_PERSON
        named_after = next((s for s in all_sentences if _NAMED_AFTER_OWN_LIFE.search(s.text)), None)
        if named_after:  # "Eight months before she took her own life, Abigail Patterson, 29, was assaulted"
            pronoun, name = _NAMED_AFTER_OWN_LIFE.search(named_after.text).groups()
            case.victim.add(name)
            found["death"] = Fact("suicide", named_after.text, named_after.start)
            found["victim_sex"] = Fact(PRONOUN_SEX[pronoun], named_after.text, named_after.start)
        introduced = {(m.group(1), m.group(2)) for s in all_sentences for m in _INTRODUCED.finditer(s.text)}
        died = {PRONOUN_SEX[m.group(1).lower()] for s in all_sentences for m in _DIED.finditer(s.text)}
        if not case.victim and len(introduced) == 1 and len(died) == 1:
            # the one person the text introduces, where a pronoun of that person's sex died: "Adult G, a 51 year old
            # man, ... He died as a result of hanging" (a safeguarding adults review of a death by suicide)
            ((name, sex),) = introduced
            if {"man": "male", "woman": "female"}[sex] in died:
                case.victim.add(name)
        stated = next((s for s in all_sentences if _SUICIDE_STATED.search(s.text)), None)
        if stated:  # "the death by suicide of a 45-year-old woman", "a conclusion of suicide"
            found["death"] = Fact("suicide", stated.text, stated.start)
    if (not case.victim and _MANY_REVIEWS.search(text)) or _MANY_CASES.search(text):
        return found  # a thematic or national analysis: its figures are about many cases, not one
    for sentence in all_sentences:
        for field, value in _facts_in(sentence.text, case, found):
            # a perpetrator charged (or convicted) may take their own life after: a stated suicide wins
            later_suicide = field == "perpetrator_suicide" and value is True and found[field] is not None
            if (found[field] is None or later_suicide) and value is not None:
                found[field] = Fact(value, sentence.text, sentence.start)
        if found["children_in_household"] is None:
            children = children_in_household(sentence.text, frozenset(case.victim))
            if children is not None:
                found["children_in_household"] = Fact(children, sentence.text, sentence.start)
    _labelled_fields(text, found)
    _partner_of_a_suicide(all_sentences, found)
    _sexes_from_titles(all_sentences, case, found)
    _sexes_from_pronouns(all_sentences, case, found)
    _ages(all_sentences, case, found)
    return found


# the abuse a review of a suicide is about: "no one recognised economic abuse by her former husband", "coercive
# control by her former partner"
_ABUSED_BY = re.compile(
    r"\b(?:abuse|abused|control|controlled|coerced|harassed|stalked) (?:by|from) "
    rf"((?i:her|his)) {_KIN_ADJECTIVE}({_KIN})"
    r"\b(?!['’]s)"
)


def _partner_of_a_suicide(all_sentences: list[Sentence], found: dict) -> None:
    """In a review of a suicide, the partner or former partner whose abuse it names is the perpetrator: the
    relationship, their sex, and an age in apposition ("her former husband, then 61,"); a parent or other
    relative named so may be a childhood's abuser, not the review's."""
    if found["death"] is None or found["death"].value != "suicide" or found["relationship"] is not None:
        return
    for sentence in all_sentences:
        match = _ABUSED_BY.search(sentence.text)
        if not match:
            continue
        relationship, sex = _kin(match.group(2))
        victim_sex = PRONOUN_SEX[match.group(1).lower()]
        if relationship not in ("intimate_partner", "former_partner") or (
            found["victim_sex"] is not None and found["victim_sex"].value != victim_sex
        ):
            continue
        for field, value in (("relationship", relationship), ("perpetrator_sex", sex)):
            if found[field] is None and value is not None:
                found[field] = Fact(value, sentence.text, sentence.start)
        word = re.escape(match.group(2))
        for other in all_sentences:
            aged = re.search(rf"\b(?:her|his) {word},? (?:then |aged |then aged )(\d{{2}})(?=[,.;)])", other.text, re.I)
            if aged and found["perpetrator_age"] is None:
                found["perpetrator_age"] = Fact(int(aged.group(1)), other.text, other.start)
        return


# a heading a PDF gives on its own line, run into the sentence after it ("Overview Report" / "Summary" / "The review
# identifies ..."): a few capitalised words, no full stop; a masthead in capitals ("HARBOURNE SAFER COMMUNITIES
# PARTNERSHIP", after a logo's placeholder such as "[crest]"); two or three words in sentence case ("The review",
# "What agencies knew"); a pseudonym in quotes ("'Kayleigh'")
_PLACEHOLDER = r"\[[\w ]{1,20}\]"  # an image's placeholder, alone or opening a line ("[crest]", "[logo]")
_HEADING_LINE = re.compile(
    _PLACEHOLDER + r"|(?:" + _PLACEHOLDER + r"\s*)?(?:[A-Z][\w’'-]*:?(?: (?:[A-Z][\w’'-]*|&|-|–):?){0,5}"
    r"|(?=[^a-z]*[A-Z]{2})[^a-z.!?;,|]{2,100}"
    r"|[A-Z][a-z’'-]*(?: [a-z’'-]+){1,2}"
    r"|[‘'“\"][A-Z][\w’'-]*[’'”\"])"
)
# a line that may start a sentence or a heading
_OPENS_CAPITAL = re.compile(r"(?:" + _PLACEHOLDER + r"\s*)?[‘'“\"]?[A-Z]")


def _rows_apart(text: str, sentence: Sentence) -> list[Sentence]:
    """A sentence that holds a Word table's rows ("Name | Age | Relationship" / "Graham | 70 | Husband"), each row
    apart, and the lines between rows together: no name or age runs on from one row into the next, and a sentence a
    PDF wrapped under a running header ("Partnership | Learning Brief 6") stays whole."""
    raw = text[sentence.start : sentence.end]
    if " | " not in raw:
        return [sentence]
    pieces: list[list[int]] = []  # [start, end] of each row, and of each run of lines between rows
    start, row_before = sentence.start, True
    for line in raw.split("\n"):
        row = " | " in line
        if row or row_before or not pieces:
            pieces.append([start, start + len(line)])
        else:
            pieces[-1][1] = start + len(line)
        start, row_before = start + len(line) + 1, row
    found = []
    for begin, end in pieces:
        piece = text[begin:end]
        if piece.strip():
            offset = begin + len(piece) - len(piece.lstrip())
            found.append(Sentence(" ".join(piece.split()), offset, offset + len(piece.strip())))
    return found


def _without_headings(text: str, sentence: Sentence) -> Sentence:
    """``sentence`` without the heading lines it begins with, so that a title names no one in it."""
    lines = text[sentence.start : sentence.end].split("\n")
    dropped = 0
    while (
        len(lines) > dropped + 1
        and _HEADING_LINE.fullmatch(lines[dropped].strip())
        and _OPENS_CAPITAL.match(lines[dropped + 1].strip())  # "Mary" / "was the wife of" is one sentence
    ):
        dropped += 1
    if not dropped:
        return sentence
    start = sentence.start + sum(len(line) + 1 for line in lines[:dropped])
    rest = "\n".join(lines[dropped:])
    start += len(rest) - len(rest.lstrip())
    return Sentence(" ".join(rest.split()), start, sentence.end)


# a summary's labelled fields, on a line or a table row: "Victim: Female, 38", "Age of perpetrator | 41",
# "Perpetrator's gender: male", "Relationship to victim: Husband"
_PERSON_FIELD = re.compile(
    r"^\s*(?:(?:(age|sex|gender) of (?:the )?)?(victim|deceased|perpetrator|offender)(?:['’]s)?(?: (age|sex|gender))?)"
    r"\s*[:|]\s*(.+?)\s*\|?\s*$",
    re.IGNORECASE,
)
_RELATIONSHIP_FIELD = re.compile(
    r"^\s*relationship(?: (?:of (?:the )?(perpetrator|victim) )?to (?:the )?(victim|perpetrator))?\s*[:|]\s*"
    r"(?:(?:her|his|their) )?(.+?)\s*\|?\s*$",
    re.IGNORECASE,
)
_FIELD_SEX = re.compile(r"^(female|male|woman|man)\b", re.IGNORECASE)
_FIELD_AGE = re.compile(r"^(?:aged\s+)?(\d{1,3})(?:\s*(?:years?|yrs)(?:\s*old)?)?$", re.IGNORECASE)


def _labelled_fields(text: str, found: dict) -> None:
    """Facts a summary states as labelled fields (each only where no sentence gave it): the value after the label
    must be nothing but a sex, an age, or both; a relationship nothing but one kinship word."""
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        person = _PERSON_FIELD.match(line)
        relationship = _RELATIONSHIP_FIELD.match(line)
        values: list[tuple[str, object]] = []
        if person:
            who = "victim" if person.group(2).lower() in ("victim", "deceased") else "perpetrator"
            asked = (person.group(1) or person.group(3) or "").lower()
            parts = [p.strip() for p in re.split(r"[,|]", person.group(4)) if p.strip()]
            for part in parts if len(parts) <= 2 else ():
                sex, age = _FIELD_SEX.match(part), _FIELD_AGE.match(part)
                if sex and asked in ("", "sex", "gender") and len(part.split()) == 1:
                    values.append(
                        (
                            f"{who}_sex",
                            {"woman": "female", "man": "male"}.get(sex.group(1).lower(), sex.group(1).lower()),
                        )
                    )
                elif age and asked in ("", "age") and (who == "perpetrator" or int(age.group(1)) >= MIN_VICTIM_AGE):
                    values.append((f"{who}_age", int(age.group(1))))
        elif relationship and relationship.group(3).lower() in KIN:
            kind, sex = _kin(relationship.group(3))
            inverse = (relationship.group(1) or "").lower() == "victim" or (
                relationship.group(2) or ""
            ).lower() == "perpetrator"
            values.append(("relationship", INVERSE[kind] if inverse else kind))
            if sex and not inverse:
                values.append(("perpetrator_sex", sex))
        for field, value in values:
            if found[field] is None:
                found[field] = Fact(value, " ".join(line.split()), start)


def _names(all_sentences: list[Sentence]) -> _Case:
    case = _Case(set(), set())
    for sentence in all_sentences:
        for patterns, names in ((_VICTIM_NAME_PATTERNS, case.victim), (_PERPETRATOR_NAME_PATTERNS, case.perpetrator)):
            for pattern in patterns:
                for match in pattern.finditer(sentence.text):
                    name = match.group(pattern.groupindex.get("name", 1))
                    if name not in _NOT_A_PERSON:
                        names.add(name)
    case.perpetrator -= case.victim
    _add_titled_surnames(" ".join(s.text for s in all_sentences), case)
    return case


def _add_titled_surnames(text: str, case: _Case) -> None:
    """ "killed by her partner, Jake Neate" ... "Mr Neate was arrested": a named person is also the title and
    surname the text goes on to call them by, where that surname is theirs alone (not also the other person's,
    as a married couple's is) and the text gives it one title; a news report's bare surname too ("by her
    ex-boyfriend Joe Storey" ... "Storey, 28, was well known to police")."""
    victim, perpetrator = (_surnames(text, names) for names in (case.victim, case.perpetrator))
    for names, surnames in ((case.victim, victim - perpetrator), (case.perpetrator, perpetrator - victim)):
        for surname in surnames:
            titled = set(re.findall(r"\b((?:Mr|Mrs|Ms|Miss) " + surname + r")\b", text))
            if len(titled) == 1:
                names |= titled
            if any(
                not re.search(r"\b[A-Z][a-z]* $", text[max(0, m.start() - 30) : m.start()])
                for m in re.finditer(rf"\b{surname}\b", text)
            ):
                names.add(surname)


def _surnames(text: str, names: set[str]) -> set[str]:
    """The surnames the text writes after a first name of ``names`` ("Jake Neate" -> "Neate")."""
    return {
        surname
        for name in names
        if " " not in name
        for surname in re.findall(r"\b" + re.escape(name) + r" ([A-Z][a-z]{1,20})\b", text)
    }


def _possessive_sex(possessive: str) -> str | None:
    """ "her" / "the woman's" -> female; "his" / "the man's" -> male; "their", "the victim's" -> None."""
    word = possessive.removeprefix("the ").removesuffix("'s").removesuffix("’s")
    return PRONOUN_SEX.get(word) or {"woman": "female", "man": "male"}.get(word)


def _kin(word: str) -> tuple[str, str | None]:
    return KIN[" ".join(word.lower().split())]


def _facts_in(text: str, case: _Case, found: dict) -> list[tuple[str, object]]:
    """(field, value) pairs one sentence states outright."""
    facts: list[tuple[str, object]] = []
    victim = "|".join(re.escape(n) for n in case.victim) or "(?!x)x"
    perpetrator = "|".join(re.escape(n) for n in case.perpetrator) or "(?!x)x"
    whose = r"(her|his|their|the victim['’]s|the woman['’]s|the man['’]s)"
    kin_as_perpetrator = (  # (pattern, flags): a pattern with the case's names keeps their capitals
        (rf"\b{_KILLED}[^.;]{{0,80}}? by (?:{_ROLE},? )?{whose} {_KIN_ADJECTIVE}({_KIN})\b", re.IGNORECASE),
        (
            rf"\b{_KILLED}[^.;]{{0,80}}? by (?-i:{_PERSON}{_SURNAME}),? {whose} {_KIN_ADJECTIVE}({_KIN})\b",
            re.IGNORECASE,
        ),
        (rf"\b{_KILLED}[^.;]{{0,80}}? by ()({_KIN}) (?-i:{_PERSON})\b", re.IGNORECASE),  # "by husband Tom"
        (rf"\b(?:killing|murder|manslaughter|homicide|death) of [^.;]{{0,60}}? by {whose} ({_KIN})\b", re.IGNORECASE),
        (rf"\b(?:strangulation|stabbing|strangling|smothering) by {whose} {_KIN_ADJECTIVE}({_KIN})\b", re.IGNORECASE),
        (rf"\bat the hands of (her|his|their) ({_KIN})\b", re.IGNORECASE),
        # "Her husband strangled her": the kin of the one killed, who is the same person as the possessive names
        (
            rf"\b(?:((?i:her)) {_KIN_ADJECTIVE}({_KIN}){_KIN_YEARS} (?:had )?{_KILLED} her"
            rf"|((?i:his)) {_KIN_ADJECTIVE}({_KIN}){_KIN_YEARS} (?:had )?{_KILLED} him)\b",
            0,
        ),
        (
            rf"\b{whose} ({_KIN}),? "
            rf"(?:known as [^,]+,? |the perpetrator,? |(?-i:{_PERSON}{_SURNAME}),? {_WHO_WAS_AGED})?"
            rf"(?:who )?{_CAUGHT}\b"
            r"[^.]{0,80}\b(?:murder|manslaughter|killing|death)",
            re.IGNORECASE,
        ),
        (
            rf"\b(?:the perpetrator|{perpetrator}),? (?:was|is) (her|his|the victim's|{victim}'s|{victim}’s) "
            rf"({_KIN})\b",
            0,
        ),
        (rf"\b((?i:her|his)) {_KIN_ADJECTIVE}({_KIN}),? (?:{perpetrator})\b", 0),  # "His ex-partner YZ"
    )
    for pattern, flags in kin_as_perpetrator:
        # "killed by his former wife's new partner": the kin word names someone else's relation, not the perpetrator
        match = re.search(pattern.replace(rf"({_KIN})\b", rf"({_KIN})\b(?!['’]s)"), text, flags)
        relative = None if match else re.search(pattern, text, flags)
        if relative:  # ... though the possessive before it is still the victim's
            facts.append(("victim_sex", _possessive_sex([g for g in relative.groups() if g is not None][0].lower())))
        if match:
            possessive, word = [g for g in match.groups() if g is not None][:2]
            possessive = possessive.lower()
            relationship, sex = _kin(word)
            facts.append(("relationship", relationship))
            facts.append(("perpetrator_sex", sex))
            facts.append(("victim_sex", _possessive_sex(possessive)))
            age = re.search(_AGE_BEFORE_KIN + rf"(?:{_KIN_WORDS_BETWEEN})?{re.escape(word)}\b", match.group(0))
            # "by Dean, her former partner, aged 47,": an age in apposition right after the kinship word
            after = re.match(
                r",? (?:(?:then )?aged (\d{1,3})|\((\d{1,3})\)|then (\d{2}))(?=[,.;)\s]|$)", text[match.end() :]
            )
            if age or after:
                facts.append(("perpetrator_age", int(age.group(1) if age else next(g for g in after.groups() if g))))
    named_kin = re.search(
        rf"\b{_PERSON}['’]s {_KIN_ADJECTIVE}({_KIN}){_KIN_YEARS} (?:had )?{_KILLED} (her|him)\b", text
    )
    if named_kin:  # "Lena's husband strangled her": the kin of the one harmed, whom the pronoun names
        relationship, sex = _kin(named_kin.group(1))
        facts += [
            ("relationship", relationship),
            ("perpetrator_sex", sex),
            ("victim_sex", PRONOUN_SEX[named_kin.group(2)]),
        ]
    took_life = re.search(
        rf"\b(?i:an?|her|his) {_KIN_ADJECTIVE}({_KIN}) (?:had )?(?:took|taken) (her|his) life\b(?! savings)", text
    )
    if took_life:  # "A former intimate partner took her life" (not "her own life": that is a suicide)
        relationship, sex = _kin(took_life.group(1))
        facts += [
            ("relationship", relationship),
            ("perpetrator_sex", sex),
            ("victim_sex", PRONOUN_SEX[took_life.group(2)]),
            ("death", "homicide"),
        ]
    aged = _KIN_NAMED_AGED_CAUGHT.search(text)
    if aged:
        relationship, sex = _kin(aged.group("kin"))
        ages = ("age", "age_in_brackets", "age_in_words", "age_then", "age_bare", "age_before")
        age = next(aged.group(g) for g in ages if aged.group(g))
        facts += [
            ("relationship", relationship),
            ("perpetrator_sex", sex),
            ("victim_sex", _possessive_sex((aged.group("her") or aged.group("his") or "").lower())),
            ("perpetrator_age", int(age)),
            ("death", "homicide"),
        ]
    killed_kin = re.search(
        rf"\b((?i:he|she)|{perpetrator}|(?i:an?|the) (?:man|woman) who)(?: had| then)? "
        rf"(?i:killed|murdered|strangled|stabbed|battered) ((?i:his|her)) {_KIN_ADJECTIVE}((?i:{_KIN}))\b(?!['’]s)",
        text,
    )
    if killed_kin:  # "he had killed his mother" (not "his mother's partner"), "A man who stabbed his ex-girlfriend"
        relationship, sex = _kin(killed_kin.group(3))
        facts += [
            ("relationship", INVERSE[relationship]),
            ("victim_sex", sex),
            ("perpetrator_sex", PRONOUN_SEX[killed_kin.group(2).lower()]),
            ("death", "homicide"),
        ]
    if re.search(
        rf"\b(?:{victim})(?: [A-Z][a-z]+)? (?:was|had been) in a relationship with "
        rf"(?:[A-Z][a-z]+ )?(?:{perpetrator})\b",
        text,
    ):
        facts.append(("relationship", "intimate_partner"))  # "Tina Billingham was in a relationship with Ronald Cooke"
    victim_is = re.search(rf"\b(?:{victim}|the victim) was (?:the|his|her) ({_KIN}) of\b", text)
    if victim_is:
        relationship, sex = _kin(victim_is.group(1))
        facts += [("relationship", INVERSE[relationship]), ("victim_sex", sex)]
    for field, names in (("victim_sex", victim), ("perpetrator_sex", perpetrator)):
        named = re.search(
            rf"\b(?:{names})(?: was| is|,) (?:a|an) (?:{_YEARS_OLD}|[a-z]+ )?{_DESCRIBED}(man|woman|male|female)\b",
            text,
        )
        if named:
            facts.append((field, {"man": "male", "woman": "female"}.get(named.group(1), named.group(1))))
    for field, names in (("victim_sex", victim), ("perpetrator_sex", perpetrator)):
        # "Daniel was Sarah's father": the kinship word someone is to anyone says their sex
        kin_of_anyone = re.search(
            rf"\b(?:{names}) (?:was|is) (?:[A-Z][\w-]*['’]s|the|a|an|her|his|their) ({_KIN})\b", text
        )
        if kin_of_anyone:
            facts.append((field, _kin(kin_of_anyone.group(1))[1]))
    described = re.search(
        rf"\b(?i:the) victim (?:being|was|is) (?:an? )?(?:{_YEARS_OLD})?(male|female|man|woman)\b", text
    )
    if described:
        facts.append(("victim_sex", {"man": "male", "woman": "female"}.get(described.group(1), described.group(1))))
    regarded = re.search(r"\bregarded (her|him) as (his|her) (girlfriend|boyfriend|partner|wife|husband)\b", text)
    if regarded:
        facts += [
            ("relationship", "intimate_partner"),
            ("victim_sex", PRONOUN_SEX[regarded.group(1).lower()]),
            ("perpetrator_sex", PRONOUN_SEX[regarded.group(2).lower()]),
        ]
    if re.search(r"\b(?:perpetrator|" + perpetrator + r")\b[^.]{0,80}\b(?:intimate|sexual) relationship\b", text):
        facts.append(("relationship", "intimate_partner"))
    female = re.search(
        rf"\b(?:death|murder|killing)(?: by suicide)? of (?:a|an) (?:{_YEARS_OLD}|[\w-]+ )?{_DESCRIBED}"
        r"(?:female|woman|women)\b"
        r"|(?i:death of female adult)"
        rf"|\b(?:a|an) (?:\w+ )?{_DESCRIBED}(?:woman|female){_HERITAGE}"
        r",? (?:aged|known as)\b"
        rf"|^(?:An?|The) {_YEARS_OLD}{_DESCRIBED}(?:woman|female)(?:,[^.;]{{0,70}},)? {_KILLED_PASSIVE}\b",
        text,
    )
    male = re.search(
        rf"\b(?:death|murder|killing)(?: by suicide)? of (?:a|an) (?:{_YEARS_OLD}|[\w-]+ )?{_DESCRIBED}(?:male|man)\b"
        r"|(?i:death of male adult)"
        rf"|\b(?:a|an) (?:\w+ )?{_DESCRIBED}(?:man|male){_HERITAGE},? (?:aged|known as)\b"
        rf"|^(?:An?|The) {_YEARS_OLD}{_DESCRIBED}(?:man|male)(?:,[^.;]{{0,70}},)? {_KILLED_PASSIVE}\b",
        text,
    )
    if female and not male:
        facts.append(("victim_sex", "female"))
    if male and not female:
        facts.append(("victim_sex", "male"))
    facts += _death_and_suicide(text, case, found)
    return facts


def _death_and_suicide(text: str, case: _Case, found: dict) -> list[tuple[str, object]]:
    facts: list[tuple[str, object]] = []
    victim = "|".join(re.escape(n) for n in case.victim) or "(?!x)x"
    perpetrator = "|".join(re.escape(n) for n in case.perpetrator) or "(?!x)x"
    own_life = re.compile(
        r"\b(?:((?i:she|he))|(" + victim + r"|the victim)|(" + perpetrator + r"|(?i:the perpetrator)"
        r"|\bby (?:her|his|their) " + _KIN_ADJECTIVE + r"(?:" + _KIN + r"),? who))\b"
        r"[^.;]{0,40}?\b(?:(?:took|take|taken|taking) (her|his|their) own life|killed (herself|himself)"
        r"|died by suicide|committed suicide)"
    )
    for match in own_life.finditer(text):
        pronoun, as_victim, as_perpetrator, possessive, reflexive = match.groups()
        who = "victim" if as_victim else "perpetrator" if as_perpetrator else _whose(pronoun, found)
        sex = PRONOUN_SEX.get((pronoun or possessive or "").lower()) or {"herself": "female", "himself": "male"}.get(
            reflexive or ""
        )
        if who == "victim":
            facts.append(("death", "suicide"))
            facts.append(("victim_sex", sex))
        elif who == "perpetrator":
            facts.append(("perpetrator_suicide", True))
    # "Dennis, who was 81, was found dead at the bungalow the same evening, having taken his own life": the clause
    # after the comma is the subject's
    if re.search(
        rf"^(?:[^,.;]{{0,30}},? )?(?:{perpetrator}|(?i:the perpetrator))\b[^.;]{{0,100}}?, having "
        r"(?:taken (?:his|her|their) own life|killed (?:himself|herself))\b",
        text,
    ):
        facts.append(("perpetrator_suicide", True))
    if re.search(r"\b(?:murder|homicide)[- ]suicide\b", text):
        facts += [("perpetrator_suicide", True), ("death", "homicide")]
    caught = re.search(
        r"\b(?:(?i:he|she)|" + perpetrator + r"|(?i:the (?:perpetrator|suspect|offender|defendant))"
        r"|(?i:the victim)['’]s (?:" + _KIN + r")|(?i:her|his) " + _KIN_ADJECTIVE + r"(?:" + _KIN + r"))\b"
        r"[^.]{0,60}?\b" + _CAUGHT + r"\b",
        text,
    )
    if caught and re.search(
        r"(?i)(?<!attempted )\b(?:murder|manslaughter|killing|her death|his death|life imprisonment|life sentence"
        r"|jailed for life)\b",
        text,
    ):
        facts.append(("perpetrator_suicide", False))
        facts.append(("death", "homicide"))
    alive = re.search(
        r"\b(?:(?i:the perpetrator)|" + perpetrator + r"|(?i:the victim)['’]s (?:" + _KIN + r"))"
        r" (?:is|remains) (?:now |still )?(?:a resident of|resident in|detained|in prison|in custody|in a secure)\b",
        text,
    )
    if alive:  # "The Victim's husband is now a resident of a secure memory loss unit": alive as the review is written
        facts.append(("perpetrator_suicide", False))
    who_killed = re.search(
        r"\b(?i:the) (man|woman) who (?:unlawfully )?(?:killed|murdered) [‘'“\"]?(?:" + victim + r"|her|him)\b", text
    )
    if who_killed:  # "The man who unlawfully killed Doris"
        facts += [("perpetrator_sex", {"man": "male", "woman": "female"}[who_killed.group(1)]), ("death", "homicide")]
    if re.search(
        r"\b(?:was|had been) (?:murdered|killed|(?:stabbed|beaten|battered) to death|strangled)\b"
        r"|\b(?:murder|manslaughter|homicide) of ("
        + victim
        + r"|the victim|her|him)\b|\bdied from (?:a |multiple )?(?:single )?stab wounds?\b"
        r"|\b(?:prior to|before|after|following|since|at the time of|leading up to) the (?:homicide|murder|killing)\b"
        r"|(?<!almost )(?<!nearly )(?<!could have )(?<!would have )(?<!might have )"
        r"\b(?:killed|murdered|murdering|killing|stabbed) (?:her|him)\b(?! ?self)"
        r"|\b(?:killed|murdered) [‘'“\"]?(?:" + victim + r")\b|\bthe victim of the (?:homicide|murder|killing)\b"
        r"|\bdied (?:from|of) (?:his|her|their) injuries\b"
        r"|\bthe (?:homicide|murder|killing)(?=\s*[.,;:)]|\s+(?:was|took place|happened|occurred)\b)"
        r"|\b(?:a|the) (?:reported |domestic )?homicide (?:that |which )?(?:had )?(?:taken place|took place|occurred)\b"
        r"|\bhomicide victim\b"
        r"|\b(?:killed|murdered|strangled|stabbed|strangulation|stabbing) by (?:her|his) "
        + _KIN_ADJECTIVE
        + r"(?:"
        + _KIN
        + r")\b"
        r"|\b(?:in|with|for|of) (?:her|his) (?:murder|manslaughter|killing)\b"
        r"|\b(?:murder|manslaughter|homicide) of [‘'“\"](?:" + victim + r")\b"
        r"|\b" + _ATTACKED + r" (?:" + victim + r")" + _DIED_AFTER_ATTACK,
        text,
    ):
        facts.append(("death", "homicide"))
    # "He strangled her": a review of a suicide may tell of an earlier strangling she survived, so the bare verb
    # is a homicide only beside a conviction for murder or manslaughter in the text, or a death in its sentence
    strangled = re.search(rf"\bstrangled (?:her|him|{victim})\b(?! ?self)", text)
    died = re.search(rf"\b(?:(?i:she|he)|{victim}) died\b|\bkilling (?:her|him)\b", text)
    if strangled and (case.convicted or died and not _ANOTHER_DEATH.search(text)):
        facts.append(("death", "homicide"))
    victims_death = re.search(rf"\b(?:{victim}|the victim)['’]s death\b", text)
    if victims_death and re.search(r"\bhomicide\b(?!\s+reviews?)", text, re.IGNORECASE):
        if not re.search(r"\b(?:suicide|not (?:a |an )?(?:domestic )?homicide)\b", text, re.IGNORECASE):
            facts.append(("death", "homicide"))  # "Pamela's death should act as a reminder that domestic homicide ..."
    if victims_death and re.search(r"\bsuicide\b", text):
        if not _SOMEONE_ELSE.search(text):  # "Given the circumstances of Sarah's death, ... suicide"
            facts.append(("death", "suicide"))
    return facts


# words that tell of a death by the victim's own hand in a sentence that also tells of a strangling
_ANOTHER_DEATH = re.compile(r"\b(?:suicide|own life|hang\w*|overdose)\b", re.IGNORECASE)


# words that put another death or person into a sentence about the victim's death and suicide
_SOMEONE_ELSE = re.compile(
    rf"\b(?:homicide|murder\w*|kill\w*|attempt\w*|threat\w*|perpetrator|offender|he|his|him|{_KIN})\b",
    re.IGNORECASE,
)


def _whose(pronoun: str | None, found: dict) -> str | None:
    """Whom a bare pronoun can only mean: the victim or the perpetrator, when their sexes are known and differ."""
    sex = PRONOUN_SEX.get((pronoun or "").lower())
    victim_sex = found["victim_sex"].value if found["victim_sex"] else None
    perpetrator_sex = found["perpetrator_sex"].value if found["perpetrator_sex"] else None
    if sex is None or victim_sex is None or victim_sex == perpetrator_sex:
        return None
    if sex == victim_sex:
        return "victim"
    if perpetrator_sex == sex or perpetrator_sex is None:
        return "perpetrator"
    return None


TITLE_SEX = {"Mr": "male", "Mrs": "female", "Ms": "female", "Miss": "female"}


def _sexes_from_titles(all_sentences: list[Sentence], case: _Case, found: dict) -> None:
    """ "Mrs A (the victim of the homicide) and Mr A (the alleged offender)": a title says the sex, when the
    case's names of that person agree on it; the sentence is the first that names them so."""
    for names, field in ((case.victim, "victim_sex"), (case.perpetrator, "perpetrator_sex")):
        titled = {name for name in names if name.split()[0].rstrip(".") in TITLE_SEX}
        sexes = {TITLE_SEX[name.split()[0].rstrip(".")] for name in titled}
        if found[field] is not None or len(sexes) != 1:
            continue
        for sentence in all_sentences:
            if any(name in sentence.text for name in titled):
                found[field] = Fact(sexes.pop(), sentence.text, sentence.start)
                break


def _sexes_from_pronouns(all_sentences: list[Sentence], case: _Case, found: dict) -> None:
    """ "Louise was 35 years old when she was murdered": the pronoun in a sentence that names one of them; where
    it names the other too, only a pronoun that cannot be the other's ("YZ strangled WX in her home": "her" may
    be either's while YZ's sex is not known). Twice over: a sex found late ("He had been freed ...") says whose
    a pronoun was in a sentence before it that names both ("Maria Stubbings was murdered by Marc Chivers at her
    home")."""
    for sentence in [*all_sentences, *all_sentences]:
        for names, others, field, other_field, verbs in (
            (
                case.victim,
                case.perpetrator,
                "victim_sex",
                "perpetrator_sex",
                r"(?:was|had been) (?:murdered|killed)|died|death|life|murder|child|children|home",
            ),
            (
                case.perpetrator,
                case.victim,
                "perpetrator_sex",
                "victim_sex",
                r"was (?:charged|convicted|arrested|sentenced)|pleaded|",
            ),
        ):
            if found[field] is not None or not names:
                continue
            named = "|".join(re.escape(n) for n in names)
            # "Dean, her former partner", "Dean was convicted of her murder": a possessive before a kinship word or
            # the killing is the other person's
            match = re.search(
                rf"\b(?:{named})\b[^.;]{{0,80}}?\b(she|he|her|his)\b"
                rf"(?! (?:{_KIN_ADJECTIVE}(?:{_KIN})|murder|manslaughter|killing|death)\b) ?(?:{verbs})",
                sentence.text,
            )
            if not match:
                continue
            sex = PRONOUN_SEX[match.group(1).lower()]
            harmed = {PRONOUN_SEX[p.lower()] for p in _HARMED_PRONOUN.findall(sentence.text)}
            if field == "perpetrator_sex" and sex in harmed:
                continue  # "she feared Cooke might kill her": the one harmed is in it, as a pronoun
            other_sex = found[other_field].value if found[other_field] else None
            # "She was killed ... by Dean, ... from whom she had separated": the other is in it as a pronoun
            killed_by = re.search(
                rf"\b(?:[Ss]he|[Hh]e) (?:was|had been) {_KILLED}\b[^.;]*?\bby "
                rf"(?:(?:her|his|their) {_KIN_ADJECTIVE}(?:{_KIN}),? )?(?:{named})\b",
                sentence.text,
            )
            if not (_names_any(others, sentence.text) or killed_by) or (other_sex is not None and other_sex != sex):
                found[field] = Fact(sex, sentence.text, sentence.start)
    if found["victim_sex"] is None and case.victim:  # "Jane had been ... for eight months prior to her death"
        named = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in case.victim) + r")\b")
        for before, sentence in zip([None, *all_sentences], all_sentences, strict=False):
            death = _OWN_DEATH.search(sentence.text)
            # or the sentence after one that names the victim, when it speaks of no one else ("Pamela's death should
            # act as a reminder ... . It is essential that we ... learn from her death")
            after_name = before is not None and named.search(before.text) and not _OTHER_PERSON.search(sentence.text)
            if death and (named.search(sentence.text) or after_name):
                found["victim_sex"] = Fact(PRONOUN_SEX[death.group(1).lower()], sentence.text, sentence.start)
                break
    if found["victim_sex"] is None:
        _victim_sex_from_lone_mentions(all_sentences, case, found)
    if found["perpetrator_sex"] is None:  # "... the perpetrator ... . He subsequently pleaded guilty"
        for before, sentence in zip(all_sentences, all_sentences[1:], strict=False):
            match = re.match(_CHARGED_PRONOUN, sentence.text)
            if match and (re.search(r"\bperpetrator\b", before.text) or _names_any(case.perpetrator, before.text)):
                found["perpetrator_sex"] = Fact(PRONOUN_SEX[match.group(1).lower()], sentence.text, sentence.start)
                break


# a pronoun that is the object of harm ("might kill her", "for assaulting her"): the one harmed, not the one harming
_HARMED_PRONOUN = re.compile(
    r"\b(?:kill|murder|attack|assault|hit|beat|strangle|stab|threaten|abuse|control|harm|hurt|rape|stalk)"
    r"(?:s|ed|d|ing)? (her|him)\b",
    re.IGNORECASE,
)
# anyone else a sentence can speak of, whom a pronoun in it might mean
_OTHER_PERSON = re.compile(
    rf"\b(?:{_KIN}|perpetrator|offender|suspect|defendant|child|children|baby|friend|neighbour|colleague|GP|"
    r"doctor|nurse|officer|worker|manager|chair|author|carer|landlord|employer|clinician|practitioner|"
    r"midwife|counsellor|advocate|IDVA|judge|coroner|man|woman|person|people|someone|anyone)s?\b",
    re.IGNORECASE,
)


def _victim_sex_from_lone_mentions(all_sentences: list[Sentence], case: _Case, found: dict) -> None:
    """ "The report gave a strong sense of Sarah's voice, and her frustrations in getting the help she needed":
    a sentence that names the victim and no one else (no other capitalised word after its first, no word for
    another person) says the victim's sex by its pronouns, when they all agree."""
    named = re.compile(r"\b(?:" + "|".join([*(re.escape(n) for n in case.victim), "the victim(?:['’]s)?"]) + r")\b")
    for sentence in all_sentences:
        text = sentence.text
        if not named.search(text) or _OTHER_PERSON.search(text):
            continue
        others = [w for w in re.findall(r"(?<=\s)[A-Z][\w’'-]*", named.sub(" ", text)) if w != "I"]
        pronouns = {PRONOUN_SEX[p.lower()] for p in re.findall(r"\b(?:she|her|he|his|him)\b", text, re.I)}
        if not others and len(pronouns) == 1:
            found["victim_sex"] = Fact(pronouns.pop(), text, sentence.start)
            return


def _names_any(names: set[str], text: str) -> bool:
    return bool(names) and bool(re.search(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", text))


# the death a single review is about is the victim's: "prior to her death", "at the time of her death"
_OWN_DEATH = re.compile(
    r"\b(?:prior to|before|after|at the time of|until|leading up to|following|learn from|into) (her|his) death\b", re.I
)
_CHARGED_PRONOUN = r"(He|She) (?:subsequently |later )?(?:pleaded guilty|was (?:charged|convicted|sentenced|arrested))"


_AGE_COLUMN = re.compile(r"^(?:Name|Person|Pseudonym)\s*\|\s*Age\b", re.IGNORECASE)  # a table of the people's ages


def _ages(all_sentences: list[Sentence], case: _Case, found: dict) -> None:
    """An age belongs to whoever the words just before it name: a pseudonym, "the victim", "the
    perpetrator", or a pronoun that can only be one of them; "then aged 36" after "by NAME" is the
    perpetrator's. A kinship word or a child just before the age gives it to nobody. A stated band ("in her
    late 70s") is the victim's by the same rule, and only where its pronoun agrees with the victim's sex."""
    victim = {n.lower().replace(".", "") for n in case.victim} | {"victim", "deceased"}
    perpetrator = {n.lower().replace(".", "") for n in case.perpetrator}
    perpetrator |= {"perpetrator", "offender", "suspect", "defendant"}
    # a newspaper's "by husband Michael, 81": a bare number after a name of the case is that person's age
    names = "|".join(re.escape(n) for n in sorted(case.victim | case.perpetrator, key=len, reverse=True))
    # and a plain "Marie was 56." where she is the victim
    # ("Mr X, who was 52,", "Adult A (67)"),
    # and a row of a table whose column after the name is the age ("Name | Age | Relationship" / "Eleanor | 67 | ...")
    row = r"| \| " if any(_AGE_COLUMN.match(s.text) for s in all_sentences) else ""
    after_name = re.compile(
        rf"\b({names})(?:(?:,| (?:was|is)|, who (?:was|is)(?: then)?) | \({row})(\d{{2}})\b(?=[,.;)]|$| \|| and )"
        if names
        else r"(?!x)x"
    )
    victim_names = "|".join(re.escape(n) for n in case.victim) or "(?!x)x"
    victim_sex = found["victim_sex"].value if found["victim_sex"] else None
    victim_subject = re.compile(rf"\b(?:{victim_names}) (?:was|is|had)\b")
    for before, sentence in zip([None, *all_sentences], all_sentences, strict=False):
        # "Mrs H was killed ... . She was in her sixties": the pronoun of the victim's sex that opens the sentence
        # after one whose subject is the victim is the victim's
        carried = re.match(r"(She|He) (?:was|is) ", sentence.text) if before else None
        if carried and (PRONOUN_SEX[carried.group(1).lower()] != victim_sex or not victim_subject.search(before.text)):
            carried = None
        for match in after_name.finditer(sentence.text):
            who, age = "victim" if match.group(1) in case.victim else "perpetrator", int(match.group(2))
            if found[f"{who}_age"] is None and (who == "perpetrator" or age >= MIN_VICTIM_AGE):
                found[f"{who}_age"] = Fact(age, sentence.text, sentence.start)
        for match in _AGE.finditer(sentence.text):
            age = int(next(g for g in match.groups() if g))
            who = _whose_age(sentence.text, match, victim, perpetrator, found)
            who = "victim" if who is None and carried and match.start() == carried.end() else who
            if who == "victim" and age >= MIN_VICTIM_AGE and found["victim_age"] is None:
                found["victim_age"] = Fact(age, sentence.text, sentence.start)
            elif who == "perpetrator" and found["perpetrator_age"] is None:
                found["perpetrator_age"] = Fact(age, sentence.text, sentence.start)
        died_aged = _AGE_OF_DEATH.search(sentence.text)
        if died_aged and found["victim_age"] is None and int(died_aged.group(1)) >= MIN_VICTIM_AGE:
            found["victim_age"] = Fact(int(died_aged.group(1)), sentence.text, sentence.start)
        teenager = re.search(rf"\b(?:{victim_names}|the victim)(?:,| was| is) an? (?:\w+ )?teenager\b", sentence.text)
        if teenager and found["victim_age_band"] is None and found["victim_age"] is None:
            found["victim_age_band"] = Fact("teens", sentence.text, sentence.start)  # "Lucy, a Cheltenham teenager"
        for match in _BAND.finditer(sentence.text):
            band = _stated_band(match)
            sex = PRONOUN_SEX.get(match.group(1).lower())
            if band is None or found["victim_age_band"] is not None or (sex and victim_sex and sex != victim_sex):
                continue
            who = _whose_age(sentence.text, match, victim, perpetrator, found)
            if who == "victim" or who is None and carried and match.start() == carried.end():
                found["victim_age_band"] = Fact(band, sentence.text, sentence.start)


# a news report's "a domestic homicide review into the 32-year-old's death": whose death the review is about
_AGE_OF_DEATH = re.compile(r"\bthe (\d{1,3})[- ]years?[- ]old['’]s (?:death|murder|killing)\b")
_KILLED_AFTER_AGE = re.compile(
    r"\s*(?:" + _DESCRIBED + r"(?:woman|man|lady|female|male))?(?:,[^.;]{0,70},)?\s*" + _KILLED_PASSIVE + r"\b"
)
_OTHERS_BEFORE_AN_AGE = set(KIN) | {"child", "children", "baby", "friend", "neighbour", "who", "brother", "sister"}


def _whose_age(text: str, match: re.Match, victim: set[str], perpetrator: set[str], found: dict) -> str | None:
    """ "victim", "perpetrator", "nobody" (a child, a relative, someone else) or None: whom the words just
    before an age (or "the death of a 73 year old woman" around it) name."""
    before = re.sub(_ASIDE_TEXT, "", text[max(0, match.start() - 60) : match.start()])
    before = re.sub(r"\(\s*$", "", before)  # "Adult A (aged 42)": the age in brackets after the name is theirs
    if _DEATH_OF_SOMEONE.search(before) or _DEATH_OF_AGED.search(before + "|" + text[match.end() :]):
        return "victim"
    named_kin = re.search(
        r"([\w.]+(?: [\w.]+)?),? (?:her|his|their) " + _KIN_ADJECTIVE + rf"(?:{_KIN}),? (?:then )?$", before, re.I
    )
    if re.match(rf"\s*(?:(?:{_KIN_ADJECTIVE})(?:{_KIN}))\b", text[match.end() :], re.I):
        return "nobody"  # "her 69-year-old partner": the age of the kin the next word names, read with the kin
    if named_kin and named_kin.group(1).lower().replace(".", "") in perpetrator:
        return "perpetrator"  # "by Mr T, her long-term partner, then aged 73"
    if re.match(_KILLED_AFTER_AGE, text[match.end() :]) and re.match(r"\s*(?:The|the|An?|an?)?\s*$", before):
        return "victim"  # "The 80-year-old was killed at her home", "A 77-year-old man ... was found dead"
    clause = re.split(r"[;:()]|\band\b", before)[-1]
    words = re.findall(r"[A-Za-z][A-Za-z’'-]*", clause)[-8:]
    for at in reversed(range(len(words))):
        word = words[at]
        folded = word.lower().removesuffix("'s").removesuffix("’s").rstrip("'’")  # "'Daniel', a man aged 34"
        if at and words[at - 1] in TITLES:  # "Mrs J, aged 71": the name is "mrs j"
            folded = f"{words[at - 1].lower()} {folded}"
        if folded in victim and word[0].isupper() or folded in ("victim", "deceased"):
            return "victim"
        if folded in perpetrator and (word[0].isupper() or folded in ("perpetrator", "offender")):
            return "perpetrator"
        if folded == "who" and at and words[at - 1].lower() in victim | perpetrator:
            continue  # "David, who was 62 years old when ...": the age of the name before "who"
        if folded in _OTHERS_BEFORE_AN_AGE:
            return "nobody"
        if folded in ("she", "he") and re.search(r"(?:death|died|murder|killed|time of)", text):
            return _whose(folded, found) or "nobody"
    return None
