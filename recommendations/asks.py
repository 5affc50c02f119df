"""What a recommendation asks for, read from its wording: the ask without its preamble, addressee and lead-in
(what the recurring grouper compares), and the lesson a group of recommendations makes, stated as a short
sentence for its label ("Mental health services should assess the risk to partners."). Rules on the wording,
no model: the sentence model compares meaning, it cannot write a label."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from indexing.reading.addressees import is_national
from indexing.thesaurus import written_out
from recommendations.ask_span import ASK_VERBS, FINDING, PREAMBLE, PURPOSE, names_addressee, opened
from recommendations.lessons import lesson_sentence, lessons_asked, things

_ASK_LEAD = re.compile(
    # the oversight asked for: "X seeks assurance from Y that", "should provide the Board with assurance that"
    r"^[^.;:]{0,160}?\b(?:seek|receive|request|obtain|provide|give)s?\b[^.;:]{0,60}?\bassurances?\b"
    r"[^.;:]{0,100}?\s(?:that|in respect of|as to|regarding)\s+"
    # or asked in the passive: "Assurance should be sought from HMPPS that"
    r"|^assurances?\s+(?:should|must|will|is\s+to|are\s+to|to)\s+be\s+(?:sought|obtained|given|provided|received)\b"
    r"[^.;:]{0,100}?\s(?:that|in respect of|as to|regarding)\s+"
    # or the addressee and modal: "The ICB should ensure that", "Police officers to" (a short addressee: the
    # "to" of "so that reviews keep to the same timescales" is no modal, nor one in a later sentence)
    r"|^(?:[^.;:]{0,80}?\b(?:should|must|shall|will)|(?:[^\s.;:]+\s+){1,8}?to)\s+"
    r"(?:(?:ensure|consider|review\s+(?:its|their)\s+\w+\s+to)\s+(?:that\s+)?)?",
    re.IGNORECASE,
)
MIN_ASK_CHARACTERS = 25  # a lead-in that would leave less than this is kept: it was the ask
ASKS_KEPT = 50_000  # recommendations whose ask is remembered: the grouper's vectors and its reading share one


def ask(text: str) -> str:
    """The change a recommendation asks for (``asked``), practice terms written out: what its meaning is
    compared by."""
    return written_out(asked(text))


@functools.lru_cache(maxsize=ASKS_KEPT)
def asked(text: str) -> str:
    """The recommendation without its preamble ("It is recommended that"), the finding it opens with
    ("Although ..., but"), its addressee and lead-in up to the modal ("The ICB should ensure that", "Police
    officers to") or the assurance one body seeks from another ("The CSP seeks assurance from the ICB that"):
    what its words are read from. A lead-in that would leave less than ``MIN_ASK_CHARACTERS`` is kept."""
    text = opened(text)
    lead = _ASK_LEAD.match(text)
    if lead and len(text) - lead.end() >= MIN_ASK_CHARACTERS:
        text = text[lead.end() :]
    return text


def predicate(text: str) -> str:
    """What the recommendation asks be done, from its verb however short ("The referral pathway should be
    reviewed" -> "be reviewed"): what its kinds of action are read from, so that a noun or an "-ing" verb in
    its subject ("The referral pathway", "Officers carrying out DASH assessments") is not read as its ask."""
    ask_text = asked(text)
    lead = _ASK_LEAD.match(ask_text)
    if lead and ask_text == opened(text):  # the lead-in was kept, the ask after it being short
        return ask_text[lead.end() :]
    return ask_text


# what a thing asked for is about, after the thing: "guidance on", "a review of", "research into", "amend the guidance
# so that ..."
_ABOUT = r"(?:on|about|regarding|concerning|covering|around|into|of|in relation to|in respect of|" + PURPOSE + ")"


@functools.lru_cache(maxsize=1)
def _thing_about() -> re.Pattern:
    """The start of an ask for a thing (recommendations/lessons.json's things: a few words of verb and qualifiers, the
    thing, whom it is for) up to what the thing is to be about (the group ``topic``)."""
    return re.compile(
        r"^(?:[\w'’-]+\s+){0,4}?(?:" + things() + r")"
        r"(?:\s+(?!" + PURPOSE + r")(?:for|to)\s+(?:(?!" + _ABOUT + r"\b)[\w'’&-]+\s+){0,7}?[\w'’&-]+)?"
        r"\s+" + _ABOUT + r"\s+(?P<topic>\S.*)$",
        re.IGNORECASE,
    )


# what training is on where it is asked for in no such words: "trained in completing the DASH", "training officers in
# dealing with incidents", "adult safeguarding training" (the words before it, from the last stop word on)
_TRAINED_IN = re.compile(r"\btrain(?:ed|ing|s)?\s+(?:[\w'’-]+\s+){0,6}?in\s+(?P<topic>\S.*)$", re.IGNORECASE)
_NAMED_TRAINING = re.compile(r"(?P<topic>(?:[\w'’&-]+\s+){1,5})(?:training|e-learning)\b", re.IGNORECASE)


def about(text: str) -> str | None:
    """What a recommendation asks a thing to be about, where it asks a body for a thing (guidance, training, a review:
    recommendations/lessons.json's things) on a topic ("The Home Office should issue guidance to review panels on
    reviews where the perpetrator is the victim's adult child" -> "reviews where the perpetrator is the victim's
    adult child"; "commission a review of firearms licensing" -> "firearms licensing"), or what training is in ("be
    trained in completing the DASH" -> "completing the DASH"; "the importance of adult safeguarding training" -> "adult
    safeguarding"), practice terms written out; None where it asks for no such thing. Two asks for a thing are alike
    only where what they are about is."""
    done = predicate(text)
    found = _thing_asked(done)
    if found:
        return written_out(found["topic"])
    named = _NAMED_TRAINING.search(done)
    words = named["topic"].split() if named else []
    topic = words[max((i + 1 for i, w in enumerate(words) if w.lower() in ENGLISH_STOP_WORDS), default=0) :]
    return written_out(" ".join(topic)) if topic else None


def outside_topic(done: str) -> str:
    """What a recommendation asks be done (its ``predicate``, ``done``) without the topic of the thing it asks for
    (``about``): "issue national guidance on identifying abuse by carers" asks for guidance, not that anyone identify
    anything; the kinds of action it asks are read here. A predicate that asks for no such thing: all of it."""
    found = _thing_asked(done)
    return done[: found.start("topic")] if found else done


def _thing_asked(done: str) -> re.Match | None:
    """A thing (guidance, training, a review) asked for in a predicate, its topic the group "topic"."""
    return _thing_about().match(done) or _TRAINED_IN.search(done)


def lesson_label(
    texts: list[str], vectors: np.ndarray, addressees: Sequence[str | None] | None = None, *, whole: bool = False
) -> str:
    """The lesson in a short sentence: the known lesson every text asks for (its addressee, where known, read
    with it), or else the ask of the group's most typical recommendation (closest to all the others; of equally
    typical ones the shortest) as ``lesson_statement`` states it (``whole``: its whole ask, for a page that wraps)."""
    addressees = addressees or [None] * len(texts)
    asking = [lessons_asked(t, a) for t, a in zip(texts, addressees, strict=True)]
    shared = frozenset.intersection(*asking) if texts else frozenset()
    if shared:
        return lesson_sentence(min(shared))
    typical = np.round((vectors @ vectors.T).sum(axis=1), 3)  # rounded: two texts are equally typical
    centre = min(range(len(texts)), key=lambda i: (-typical[i], len(texts[i])))  # then the shorter one
    return lesson_statement(texts[centre], whole=whole)


LABEL_WORDS = 12
# a whole ask (``lesson_statement(whole=True)``): its first sentence, purpose and all, where it runs to at most
# this many words; a longer one is cut as any label is
WHOLE_ASK_WORDS = 36
MIN_LABEL_WORDS = 4  # fewer is a bare word or two ("Patients."), not a lesson
FULL_CUT_WORDS = 8  # a cut at a mere preposition must keep at least this many words
SUBJECT_WORDS = 3  # a longer addressee (its articles aside) that is no body's name reads as "Agencies"
_WORK_DONE = {"investigation": "investigate", "research": "research", "analysis": "analyse"}  # asked as a verb
_REWRITES = (  # wordings whose ask has no addressee, written as one that has
    (
        re.compile(r"^(?:for\s+)?consideration\s+(?:to|should|must|will)\s+be\s+given\s+to\s+", re.I),
        "Agencies should consider ",
    ),
    (re.compile(r"^there\s+is\s+a\s+need\s+to\s+", re.I), "Agencies should "),
    (re.compile(r"^there\s+is\s+a\s+need\s+for\s+(?P<who>[^,.;:]{3,60}?)\s+to\s+", re.I), r"\g<who> should "),
    (re.compile(r"^for\s+(?P<who>(?:\S+\s+){1,5}?)to\s+", re.I), r"\g<who>should "),  # "For GHC services to ..."
    (  # who is asked as a heading, then what they are to do ("Substance misuse providers: Routinely screen ...")
        re.compile(
            r"^(?P<who>[^.;:!?]{3,100}):\s+(?!(?i:the|a|an|all|any|each|every|this|these|their|its|that|it|there)\s)"
            r"(?!(?:\S+\s+){0,6}(?:should|must|shall|will)\s)(?P<verb>[A-Z][a-z]+)\s"
        ),
        lambda found: f"{found['who']} should {found['verb'].lower()} ",
    ),
    (  # "Investigation is still needed into whether ...", "Further research is required on ..."
        re.compile(
            r"^(?:further\s+)?(?P<work>investigation|research|analysis)\s+(?:is|are)\s+(?:still\s+|also\s+)?"
            r"(?:needed|required)\s+(?:into|on)\s+",
            re.I,
        ),
        lambda found: "Agencies should " + _WORK_DONE[found["work"].casefold()] + " ",
    ),
)
# the subjunctive after a preamble's "that" ("That the Home Office consider ..."), or the present tense that chairs
# write there too ("That the ICB ensures ..."): a body named, then its verb
_SUBJUNCTIVE = re.compile(
    r"^[Tt]hat\s+(?P<who>(?:[Tt]he\s+)?[A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|of|for|and|the|&)){0,7})\s+"
    r"(?P<verb>" + "|".join(sorted(ASK_VERBS)) + r"|be)(?:e?s)?\s"
)
# a hedge before what is asked ("consider whether there is a need to check", "give consideration to"): the ask is
# what follows it
_HEDGES = (
    (
        re.compile(
            r"\b(?:consider|review|assess)\s+whether\s+(?:there\s+is\s+a\s+need|it\s+is\s+necessary|it\s+would"
            r"\s+be\s+(?:appropriate|beneficial|helpful))\s+to\s+",
            re.I,
        ),
        "",
    ),
    (re.compile(r"\bgive\s+(?:due\s+|further\s+|careful\s+)?consideration\s+to\s+", re.I), "consider "),
)
# what the ask builds on ("Building on the recommendation in our Year 1 report, ..."): a reference, never the ask
_BUILDING_ON = re.compile(r"^(?:building\s+on|further\s+to|following\s+on\s+from)\b[^,.;:]{0,160},\s+", re.I)
_LEADING_CONDITION = re.compile(  # "When children are named as victims, ...", "In these instances, that ..."
    r"^(?:when|where|if|before|after|during|whilst|while|alongside|following|on the basis of|"
    r"in the event of|"
    r"in (?:these|those) (?:instances|cases|circumstances)|in (?:instances|cases) where)\b[^,.;:]{0,160},\s+"
    r"(?:that\s+|then\s+)?",
    re.IGNORECASE,
)
_MODAL = re.compile(
    r"^(?P<subject>(?:\S+\s+){1,12}?)(?P<modal>should|must|shall|will|is\s+to|are\s+to|to)\s+(?P<ask>\S.*)$"
)
_ASIDE = re.compile(  # "review and if necessary, enhance", "professionals, other than the GP, who": no clause end
    r",?\s+(?:(?:if|where|when) (?:necessary|appropriate|possible|required)|other than [^,.;:]{1,40}),(?=\s)",
    re.IGNORECASE,
)
_MODAL_VERB = re.compile(r"^(?P<subject>(?:\S+\s+){1,12}?)(?P<modal>should|must|shall|will)\s+(?P<ask>\S.*)$")
_NO_SUBJECT = frozenset(
    "for that in with as it there this any when where if before after during whilst while on".split()
)
_ENSURE = re.compile(r"^(?:(?:ensure|make\s+sure)\s+(?:that\s+)?|require\s+that\s+)", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s\([^()]*\)(?=[\s,.;:]|$)")  # "(e.g., under MAPPA, IOM or DRIVE)": an aside
_SENTENCE_END = re.compile(r"(?<=[a-z)’'])[.;:](?:\s|$)|\s\(")  # the end of an ask's sentence, or an aside
_CLAUSE_END = re.compile(
    # "on how to ensure that ...": what is asked for, no purpose
    _SENTENCE_END.pattern + r"|,\s+|(?<!\show)\s+(?:" + PURPOSE + r"|which|as this|as it|including)\s"
)
_ACRONYM = re.compile(r"\s\([A-Z][A-Za-z]{1,9}\)(?=[\s,.;:])")  # "(FCAF)": a name's short form, no clause
_PASSIVE = re.compile(r"^(?:(?:also|always|never|not|routinely|then)\s+)?be\s")
_FINITE_VERB = re.compile(  # where the subject of an "ensure that" clause ends
    r"\s(?:is|are|has|have|can|will|should|must|(?:receive|include|use|remain|hold|know|understand|recognise|"
    r"attend|complete|report|take|follow|work|meet|reflect)s?)\s"
)
_NOT_HEADED = _NO_SUBJECT | {"they", "he", "she", "we"}  # no subject with a head to keep
_HEADING = re.compile(  # "Capacity assessments. Capacity assessments ... must be documented": a heading, no ask
    r"^(?:(?!(?:should|must|shall|will|to)\b)[\w'’-]+\s+){0,5}[\w'’-]+\.\s+(?=[A-Z])"
)
_NEEDS_MORE = frozenset(
    "importance need requirement effectiveness line part respect relation regard terms opportunity duty way".split()
)
_NAME_JOINS = frozenset("of for and & the".split())  # the small words of a body's name
_QUALIFIERS = frozenset("who which that whose for of in on within with from at under outside used employed".split())
_JOINING = frozenset(
    "and or to for with by in of so through within when where who before after from at on about".split()
)
RUN_ON_WORDS = 5  # how many words past LABEL_WORDS a label may run to end where a phrase ends, not mid-phrase
# where a phrase ends: before a word that starts a clause or an adjunct ("when", "so", "within", "rather than") ...
_CLAUSE_STARTS = frozenset(
    "so through within when where who whose which that before after until unless because whilst while during "
    "following rather".split()
)
_RELATIVES = frozenset("who whose which that".split())  # "any pupil who fears ...": often the point, kept when short
_TAKES_A_CLAUSE = frozenset(  # "identify where", "are told when": the clause is what they are to identify
    "identify consider know understand ask assess explore establish determine check review recognise decide clarify "
    "investigate tell told aware learn see show agree advise inform informed remind reminded ensure require monitor "
    "audit record report sure so such".split()
)
_TIME = frozenset("morning day days week weeks month months year years shortly soon immediately directly".split())
# ... or before a preposition that starts an adjunct ("an awareness campaign for older people | about ...")
_ADJUNCTS = frozenset("to for with by in from at on about through within as".split())
_DETERMINERS = frozenset("the a an any all every each their its his her this these those".split())
_IRREGULAR_PARTICIPLES = frozenset(
    "made done seen given taken known held kept sent told put set brought shown written drawn spoken chosen paid led "
    "met left found heard sought built taught".split()
)
_BE = frozenset("be been being is are was were".split())
_MODALS = frozenset({"should", "must"})
_PLACEHOLDERS = frozenset("issue issues matter question problem".split())  # a noun the clause after it says
PLACEHOLDER_WORDS = 10  # how far past a placeholder noun a label may run to say what it stands for
_NOT_LAST = (
    _JOINING
    | _MODALS
    | _NEEDS_MORE
    | {"the", "a", "an", "its", "their", "any", "all", "that", "as", "include", "includes"}
)


def lesson_statement(text: str, *, whole: bool = False) -> str:
    """A recommendation's ask as a short sentence (at most ``LABEL_WORDS`` words, ``RUN_ON_WORDS`` more rather than
    end mid-phrase, or ``PLACEHOLDER_WORDS`` more to say what a placeholder noun stands for): who is asked (its
    subject without what qualifies it; one longer than ``SUBJECT_WORDS`` that is no body's name, a national body's
    full name being one, read as "Agencies") "should" do what, to the end of its first clause ("The Trust should
    ensure (or require) that practitioners ask about abuse, ..." -> "Practitioners ask about abuse."); an assurance
    one body seeks from another reads as what it seeks assurance of; a subjunctive or present tense after "That"
    ("That the Home Office consider", "That the ICB ensures") reads with "should", as does who is asked written as a
    heading ("Substance misuse providers: Routinely screen ..."); a heading, what it builds on ("Building on our
    Year 1 report,"), a finding or a condition it opens with ("Although ..., but", "When children are named as
    victims, ..."), a hedge ("consider whether there is a need to", "give consideration to") and an aside ("if
    necessary,") are left out.
    Never a bare word: a statement shorter than ``MIN_LABEL_WORDS`` is the recommendation's own opening instead.
    ``whole``: the ask to the end of its sentence, never cut before its point ("The Home Office should consider
    making a breach of bail conditions | in a domestic abuse case a trigger for a further risk assessment", "amend the
    statutory guidance | so that ..."), its asides in brackets left out, where it runs to at most
    ``WHOLE_ASK_WORDS``: for a page that wraps its labels, as the National page does, each lesson one body's ask."""
    plain = _SUBJUNCTIVE.sub(r"\g<who> should \g<verb> ", " ".join(text.split()), count=1)
    plain = _ASIDE.sub("", _ACRONYM.sub("", PREAMBLE.sub("", plain)))
    plain = _BUILDING_ON.sub("", _HEADING.sub("", plain, count=1), count=1)
    for opening in (FINDING, _LEADING_CONDITION):
        unconditional = opening.sub("", plain, count=1)
        if unconditional != plain and _addressee_should(unconditional):  # the ask follows the finding
            plain = unconditional
            break
    for pattern, replacement in (*_REWRITES, *_HEDGES):
        plain = pattern.sub(replacement, plain)
    lead = _ASK_LEAD.match(plain)
    if lead and "assurance" in lead.group(0).casefold():
        statement = asked(plain)
    else:
        statement = _addressee_should(plain) or plain
    words = _SENTENCE_END.split(_PARENTHESIS.sub("", statement), maxsplit=1)[0].split() if whole else []
    if not MIN_LABEL_WORDS <= len(words) <= WHOLE_ASK_WORDS:
        words = _shortened(_CLAUSE_END.split(statement, maxsplit=1)[0].split())
    if len(words) < MIN_LABEL_WORDS:
        words = _shortened(plain.split())
    label = " ".join(words).rstrip(",;:.")
    return label[:1].upper() + label[1:] + "."


def _addressee_should(text: str) -> str | None:
    """The ask as "<addressee> should <ask>", read from a modal ("should", "must", "will", "to"), or the
    clause an "ensure that" asks for; None where no modal follows an addressee."""
    found = _MODAL.match(text)
    if found and found["modal"] == "to" and not names_addressee(found["subject"].split()):
        found = _MODAL_VERB.match(text)  # "The referral pathway from A&E to the IDVA service should be reviewed"
    if not found:
        return None
    subject, ask_words = found["subject"].split(), found["ask"]
    if subject[0].casefold() in _NO_SUBJECT:
        return None
    if _ENSURE.match(ask_words):
        return _with_subject_head(_ENSURE.sub("", ask_words))
    if _PASSIVE.match(ask_words):  # who or what the passive ask is for
        return f"{' '.join(subject if len(subject) <= 2 * SUBJECT_WORDS else _head(subject))} should {ask_words}"
    head = _head(subject)  # "Kent Police, in consultation with KSCS," -> "Kent Police"
    named = all(w[:1].isupper() or w in _NAME_JOINS for w in head)
    named = named and (len(head) <= 2 * SUBJECT_WORDS or is_national(" ".join(head)))  # "The Department of Health and"
    short = len([w for w in head if w.casefold() not in _DETERMINERS]) <= SUBJECT_WORDS  # "The domestic abuse service"
    who = " ".join(head) if short or named else "Agencies"  # "The Department of Health"
    return f"{who} should {ask_words}"


def _with_subject_head(clause: str) -> str:
    """The clause an "ensure that" asks for, a long subject read as its head ("All potentially dangerous
    perpetrators who sit outside MAPPA are identified" -> "All potentially dangerous perpetrators are
    identified"), so that a short label keeps the clause's verb."""
    verb = _FINITE_VERB.search(clause)
    if verb is None:
        return clause
    subject = clause[: verb.start()].split()
    if len(subject) <= SUBJECT_WORDS + 1 or len(subject) > LABEL_WORDS + 2 or subject[0].casefold() in _NOT_HEADED:
        return clause
    return " ".join(_head(subject)) + clause[verb.start() :]


def _head(subject: list[str]) -> list[str]:
    """A subject's words up to what qualifies it: a relative clause, a prepositional phrase or a participle
    ("Interpreters used in health appointments" -> "Interpreters", "The risk assessment section of the planned
    replacement" -> "The risk assessment section", "officers carrying out DASH assessments" -> "officers"); an "-ing"
    word just before the subject's last word names what it is ("The housing service", "The MARAC steering group")."""
    for index, word in enumerate(subject[1:], start=1):
        if word.endswith(":"):  # "The 'Joint Working Protocol: Identifying the Lead Agency ...'"
            return subject[:index] + [word.rstrip(":")]
        following = [w for w in subject[index + 1 : index + 3] if w != "the"][:1]
        named = following and following[0][:1].isupper()  # "The Department of Health", "Office for the Police"
        participle = word.islower() and word.endswith("ing") and len(word) > 5 and index != len(subject) - 2
        if (word in _QUALIFIERS and not named) or participle:
            return [*subject[: index - 1], subject[index - 1].rstrip(",")]
    return subject


def _shortened(words: list[str]) -> list[str]:
    """At most ``LABEL_WORDS`` words, or ``RUN_ON_WORDS`` more rather than end mid-phrase (``_cut``); never ending on a
    joining word, a noun that needs what followed it ("the importance") or a modal ("... Board should", a
    recommendation cut short)."""
    kept, not_last = (words, _MODALS) if len(words) <= LABEL_WORDS else (_cut(words), _NOT_LAST)
    while len(kept) > MIN_LABEL_WORDS and kept[-1].casefold() in not_last:
        kept = kept[:-1]
    return kept


def _cut(words: list[str]) -> list[str]:
    """The words up to where a phrase ends (``_phrase_ends``): the last such end within ``LABEL_WORDS``, else the
    last adjunct (``_adjunct_starts``) that leaves ``FULL_CUT_WORDS``; else the whole clause where it runs at most
    ``RUN_ON_WORDS`` longer; else the first end of either kind within those words; else ``LABEL_WORDS`` words, backed
    off past a joining word and a participle it belonged to ("response to calls made by the" -> "response to calls").
    A cut after a placeholder noun ("consider the issue where ...") runs on to the "and" or "or" that ends what it
    stands for, at most ``PLACEHOLDER_WORDS`` further."""
    lowered = [w.casefold() for w in words]
    longest = LABEL_WORDS + RUN_ON_WORDS
    places = range(MIN_LABEL_WORDS, min(len(words), longest + 1))
    clauses = [i for i in places if _phrase_ends(lowered, i)]
    adjuncts = [i for i in places if i >= FULL_CUT_WORDS and _adjunct_starts(words, lowered, i)]
    within = [i for i in clauses if i <= LABEL_WORDS] or [i for i in adjuncts if i <= LABEL_WORDS]
    ends = sorted(clauses + adjuncts)
    if within:
        end = within[-1]
    elif len(words) <= longest:
        end = len(words)
    elif ends:
        end = ends[0]
    else:
        end = LABEL_WORDS
        while end > MIN_LABEL_WORDS and lowered[end - 1] in _NOT_LAST:
            end -= 1
        if _participle(lowered[end - 1]) and lowered[end - 2] not in _BE | {"and", "or"}:  # "calls | made by the"
            end -= 1
    if lowered[end - 1] in _PLACEHOLDERS:  # "consider the issue where those ... are entering the country"
        said = [i for i in range(end + 1, min(len(words), end + PLACEHOLDER_WORDS + 1)) if lowered[i] in ("and", "or")]
        end = said[0] if said else end
    return words[:end]


def _phrase_ends(lowered: list[str], i: int) -> bool:
    """Whether a phrase ends before word ``i``: a clause starts there ("when", "so", "within", "rather than"; a relative
    "who" or "that" only where ``FULL_CUT_WORDS`` are left), not one the word before needs ("for following up",
    "identify where", "are told when", "the morning after"); or an "and" or "or" starts a second ask ("review
    attendance and ensure", "are offered ... and are told"), not a second verb of one ("review and enhance")."""
    word, before = lowered[i], lowered[i - 1]
    if word in ("and", "or"):
        following = lowered[i + 1] if i + 1 < len(lowered) else ""
        return (following in ("are", "is", "be", "have", "has", "to") or _ask_verb(following)) and not _ask_verb(before)
    if word not in _CLAUSE_STARTS or before in _JOINING | _DETERMINERS | _TAKES_A_CLAUSE | _TIME:
        return False
    return word not in _RELATIVES or i >= FULL_CUT_WORDS


def _adjunct_starts(words: list[str], lowered: list[str], i: int) -> bool:
    """Whether an adjunct starts at word ``i``: a preposition ("an awareness campaign for older people | about
    abuse", "refer any pupil ... | to the Forced Marriage Unit"), never "of", nor one a participle or a noun needs
    ("records made | by", "treated | as", "staff working | with", "the importance | of", "the requirement of UPW
    supervisors | to update", "relating | to"), nor one inside "in relation to" or "such as"; or an "and" or "or"
    naming a second thing in full ("family members | or the partner")."""
    word, before = lowered[i], lowered[i - 1]
    following = lowered[i + 1] if i + 1 < len(lowered) else ""
    if word in ("and", "or"):  # a second thing named in full ("family members | or the partner of the patient")
        return following in _DETERMINERS
    if word not in _ADJUNCTS or before in _NEEDS_MORE or (word == "as" and before in ("such", "so", "as")):
        return False
    if before.endswith("ing"):  # "working | with", "relating | to"
        return False
    if word == "to":  # not "the requirement of UPW supervisors | to update", "in relation | to", "relating | to"
        # "is undertaken | to evidence": a purpose, after a participle too
        purpose = "".join(words[i + 1 : i + 2])[:1].islower() and following not in _DETERMINERS
        needed = (_participle(before) and not purpose) or lowered[i - 2] in _JOINING
        return not needed and not _NEEDS_MORE.intersection(lowered[max(0, i - 4) : i])
    return not _participle(before)


def _ask_verb(word: str) -> bool:
    """Whether a word is a verb a recommendation asks with, in any person ("assess", "ensures", "publishes")."""
    return any(word.endswith(tail) and word[: len(word) - len(tail)] in ASK_VERBS for tail in ("", "s", "es"))


def _participle(word: str) -> bool:
    return word.endswith("ed") or word in _IRREGULAR_PARTICIPLES
