"""Where a recommendation's ask lies in its text: from where it starts asking (after a preamble such as "It is
recommended that", an addressee written as a heading, and a finding it opens with) to where it stops asking (the
purpose it gives, "so that ...", and what it says in passing: a "which ..." clause set off by a comma, an
"including ..." list). Both the known lessons (recommendations.lessons: a topic is asked for only inside this span)
and the ask the grouper compares (recommendations.asks) read it, so it sits below both."""

from __future__ import annotations

import re

# a preamble, each part once or more: a paragraph number ("6.3", "2."), "Recommendation 4:", who recommends ("It is
# recommended that", "The panel recommends that", "This review therefore recommends that")
PREAMBLE = re.compile(
    r"^(?:(?:\d+(?:\.\d+)*\.?|it is (?:therefore )?recommended that|we recommend that|that|recommendation \S+:?"
    r"|(?:the|this) (?:[\w-]+ ){0,2}?(?:panel|review|report|chair|author)s? (?:therefore |also |further )?"
    r"recommends? that)"
    r"[,:]?\s+)+",
    re.IGNORECASE,
)
# a finding the recommendation opens with ("Although officers followed procedures, but officers should ...",
# "Given that ..., the CSP should"), to the last comma before the modal of the ask that follows it
FINDING = re.compile(
    r"^(?:(?:although|though|even though|given(?: that)?|despite|in the main)\b(?:(?!\b(?:should|must|shall)\b)"
    r"[^.;:]){0,200},\s+(?:but\s+)?|(?:(?!\b(?:should|must|shall)\b)[^.;:]){0,200}?,\s+but\s+)"
    r"(?=[^.;:]{0,80}?\b(?:should|must|shall)\b)",
    re.IGNORECASE,
)
# the verbs a recommendation asks with ("consider", "review", ...): after "That <body>", after an "and" that starts a
# second ask ("review attendance and ensure that ...") and opening a heading that is itself the ask ("Refresh MARAC
# referral criteria: ...")
ASK_VERBS = frozenset(
    "consider review ensure develop publish issue update provide introduce commission establish explore undertake "
    "amend seek work build adopt implement make share monitor audit lead produce promote deliver continue require "
    "revise support strengthen assess record refer report flag document use take tell notify inform ask train raise "
    "check refresh reinforce embed improve clarify".split()
)
# who is asked, written as a heading before a colon ("Substance misuse providers: Routinely screen ...",
# "[to the police]: Forces should ..."): a dozen words at most, none a modal or "recommend"
_ADDRESSED = re.compile(
    r"^(?:(?!(?:should|must|shall|will|recommend\w*)\b)[^.;:!?\s]+\s+){0,11}"
    r"(?!(?:should|must|shall|will|recommend\w*)\b)[^.;:!?\s]+:\s+(?=[A-Z])",
    re.IGNORECASE,
)
PURPOSE = r"so that|so as to|in order (?:that|to)|to ensure"  # the purpose an ask gives, after what it asks be done
_PURPOSE_CLAUSE = re.compile(r",?\s+(?:" + PURPOSE + r")\s.*$", re.IGNORECASE | re.DOTALL)
# what an ask names in passing: a "which" clause set off by a comma (to its end), an "including" list (to the
# modal of a clause that goes on asking, or the sentence's end)
_IN_PASSING = re.compile(
    r",\s+which\s[^,.;:]*|,?\s+including\s[^.;:]*?(?=,\s+(?:should|must|shall|will|to)\s|[.;:](?:\s|$)|$)",
    re.IGNORECASE,
)


def opened(text: str) -> str:
    """The recommendation from where it starts asking: without its preamble, an addressee written as a heading
    before a colon (not a heading that is the ask itself, ``_asks_itself``), and the finding it opens with."""
    text = PREAMBLE.sub("", " ".join(text.split()))
    heading = _ADDRESSED.match(text)
    if heading and not _asks_itself(heading[0].rstrip().rstrip(":").split()):
        text = text[heading.end() :]
    return FINDING.sub("", text, count=1)


def _asks_itself(heading: list[str]) -> bool:
    """Whether the words of a heading before a colon ask, not name who is asked: they open with an ask verb
    ("Refresh MARAC referral criteria:", "Review training on stalking:") and are not a body's name ("Support
    services:", "Review Panel:")."""
    return heading[0].casefold() in ASK_VERBS and not names_addressee(heading)


# the words an addressee of a bare "to" is made of ("Police to", "Primary care clinicians to"): any other word
# ("The requirement to", "the CSP writes to") makes the "to" no modal
_ADDRESSEE_WORDS = frozenset(
    "and & its their the all of partners partner agencies agency services service staff officers practitioners "
    "professionals teams team managers coordinators providers practices workers supervisors clinicians care "
    "health social primary mental adult adults children's local for force trust board partnership council".split()
)
# an ask that opens "<who> to ensure": its "to ensure" is the modal and verb, not a purpose
_TO_ENSURE = re.compile(r"^(?P<who>(?:[^\s.;:]+\s+){1,8}?)to\s+(?=ensure\b)", re.IGNORECASE)


def names_addressee(words: list[str]) -> bool:
    """Whether the words before a bare "to" name who is asked ("Police", "Primary care clinicians", "The
    Department for Work and Pensions"), not a thing ("The referral pathway from A&E")."""
    return all(w[:1].isupper() or w.startswith("(") or w.casefold() in _ADDRESSEE_WORDS for w in words)


def asked_for(text: str) -> str:
    """The recommendation from where it starts asking (``opened``) to the purpose it gives for its ask, without what
    it names in passing ("The Home Office should update the statutory guidance for DHRs so that reviews of deaths of
    older victims consider economic abuse" -> "The Home Office should update the statutory guidance for DHRs"; "The
    CSP should review its guidance, which names economic abuse, ..." -> "The CSP should review its guidance, ..."):
    a topic only the purpose, a "which" clause or an "including" list names is not what is asked for. Its subject is
    kept: "Training on the abuse of older people should be delivered" asks for that training. In "Partners to ensure
    there is a route to a perpetrator programme" the "to ensure" is who is asked and the modal, no purpose."""
    text = opened(text)
    lead = _TO_ENSURE.match(text)
    start = lead.end() if lead and names_addressee(lead["who"].split()) else 0
    return _IN_PASSING.sub("", text[:start] + _PURPOSE_CLAUSE.sub("", text[start:]))
