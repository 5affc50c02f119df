"""Recurring topics no theme vocabulary names, planted in the themes benchmark's corpus so that emerging themes form
(and their groups are joined) at scale: the varied seed passages alone hold none, so the grouping was timed without
the labelling and the join of groups that have a topic (issue #23, item 3).

The passages are generated, not copied: a small grammar writes each topic's case accounts ("Karen's boyfriend
Steve, 49, smoked bees at the bee yard ...") and agencies' contacts ("In May 2014 police knew of the county bee club
where Vince the apiarist smoked hives ...") with names, ages, years and phrases drawn at random, so no two documents
share their wording (a shared wording would be a template, never a topic); a passage is an account or a contact (of
the clubs and officials agencies heard of), so a topic's passages can fall into two groups that the join makes one."""

from __future__ import annotations

import random

# (who keeps it, what, doing what, where, the clubs and officials agencies heard of): a topic's own words
TOPICS = (
    (
        "beekeeper|apiarist|bee farmer|honey seller",
        "hives|beehives|bees|apiary|honey|swarms|colonies|queen bees",
        "inspected|smoked|split|robbed|fed|moved|requeened|checked|extracted from|treated",
        "the apiary|the bee yard|the honey shed|the orchard hives|the heather moor|the bee club|the allotment hives|"
        "the lime trees|the farm apiary|the garden hives",
        "the beekeeping association|a bee inspector|the county bee club|a honey show|a swarm collectors' list|"
        "a varroa course|the apiculture society|a queen rearing group",
    ),
    (
        "falconer|hawker|austringer|raptor keeper",
        "hawks|falcons|falconry birds|owls|kestrels|buzzards|harris hawks|the aviary birds",
        "flew|trained|hooded|weighed|fed|hunted with|jessed|manned|bred|exercised",
        "the mews|the aviary|the hawking field|the bird of prey centre|the falconry club|the moor|"
        "the weathering ground|the raptor show|the hawk walk|the lure field",
        "the hawking club|a raptor rescue|the falconry guild|a bird of prey licence|a wildlife inspector|"
        "a game fair display|the ringing register for raptors|a hawking permit",
    ),
    (
        "bell ringer|ringer|tower captain|ringing master",
        "bells|peals|bell ropes|ringers|belfry bells|tower bells|quarter peals|change ringing",
        "rang|practised|tolled|rehearsed|called|chimed|raised|lowered|tuned|rehung",
        "the belfry|the bell tower|the ringing chamber|the church tower|the ringers' guild|the cathedral tower|"
        "the abbey tower|the minster|the village church|the ringing course",
        "the ringing society|a tower captains' meeting|the diocesan guild|a striking competition|a peal board|"
        "a handbell group|the bellfounders' open day|a ringing outing",
    ),
)
WOMEN = "Anna|Beth|Carol|Emma|Fiona|Gail|Helen|Irene|Jane|Karen|Linda|Mary|Nora|Olive|Paula|Rita|Sara|Tina"
MEN = "Adam|Brian|Colin|Derek|Eric|Frank|Gavin|Harry|Ian|Jack|Keith|Lee|Mark|Neil|Owen|Peter|Ray|Steve|Tom|Vince"
RELATION = "husband|partner|former partner|boyfriend|son|brother|father|uncle"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WHEN = "every morning|each weekend|most evenings|all summer|on days off|after work|early on|at night|on Sundays|" \
    "in winter|for hours|till late"
THEN = "while|and|though|whenever|until|so"
SHE = "she|her daughter|his wife|the victim|her mother|his partner|her sister|the children|the family|his mother"
HARM = "stayed home|was watched|had no money|lost friends|was blamed|felt afraid|kept quiet|was tracked|was isolated|" \
    "hid bruises|was belittled|was threatened"
AGENCY = "the GP|police|social care|housing|a health visitor|probation|a nurse|a neighbour|the school|a paramedic|" \
    "the vicar|a friend"
KNEW = "heard of|saw|noted|recorded|knew of|asked about|ignored|logged|queried|mentioned|photographed|visited"
MISSED = "nobody asked|none followed|no referral|no plan|nothing changed|no MARAC|it lapsed|none shared|risk rose|" \
    "all stopped|she withdrew|he denied it"


def planted_documents(documents: int, passages: int = 8, sentences: int = 5, seed: int = 0) -> list[list[str]]:
    """``documents`` documents of ``passages`` passages each, the topics in turn (document i is on topic i mod 3)."""
    rng = random.Random(seed)

    def pick(options: str) -> str:
        return rng.choice(options.split("|"))

    found = []
    for number in range(documents):
        keepers, things, doings, places, clubs = TOPICS[number % len(TOPICS)]
        texts = []
        for ordinal in range(passages):
            if ordinal % 2:  # a case account
                said = (
                    f"{pick(WOMEN)}'s {pick(RELATION)} {pick(MEN)}, {rng.randint(19, 80)}, {pick(doings)}"
                    f" {pick(things)} at {pick(places)} {pick(WHEN)} {pick(THEN)} {pick(SHE)} {pick(HARM)}."
                    for _ in range(sentences)
                )
            else:  # what agencies knew: the topic's clubs and officials, its things named once a sentence
                said = (
                    f"In {pick(MONTHS)} {rng.randint(2012, 2024)} {pick(AGENCY)} {pick(KNEW)} {pick(clubs)} where"
                    f" {pick(MEN)} the {pick(keepers)} {pick(doings)} {pick(things)}; {pick(MISSED)}."
                    for _ in range(sentences)
                )
            texts.append(" ".join(said))
        found.append(texts)
    return found
