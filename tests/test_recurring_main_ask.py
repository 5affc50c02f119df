"""A recommendation's main ask, as the recurring grouper reads it: training or awareness on a practice (learning) and
the practice itself (doing) are different lessons however alike their words, unless both ask for the same known
lesson. Read on a real fragment's recommendation (Surrey's DASH training) beside practice asks on the same tool."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import recurring_quality


@pytest.mark.parametrize(
    ("text", "main"),
    [
        # a reminder of the importance of doing something asks for the doing
        (
            "Officers should be reminded of the importance of completing a DASH risk assessment even when the victim "
            "declines to answer.",
            ("doing", None),
        ),
        ("Staff new to frontline duties should receive training on the DASH risk assessment.", ("learning", "train")),
        # knowing that something is so is learning, whatever comes before it (who is asked)
        (
            "All officers carrying out DASH risk assessments should recognise that two incidents in a year meet the "
            "MARAC repeat criteria.",
            ("learning", None),
        ),
        # knowing when something is so is learning too, however it goes on ("and record it" is what follows)
        (
            "Ward staff should recognise when what a patient tells them is domestic abuse and record it.",
            ("learning", None),
        ),
        # a service's name is no action: the ask is to record
        ("Central Referral Unit staff should record every call from a third party.", ("doing", "record")),
        # a tool named as a topic is no action, its use is
        ("Police should carry out a risk assessment for the partner and share it.", ("doing", "assess")),
        ("The partnership should publish its annual report.", (None, None)),
    ],
)
def test_the_main_ask_is_the_first_thing_asked_read_through_reminders(text, main):
    from recommendations.asks import asked
    from recommendations.lessons import main_ask

    assert main_ask(asked(text)) == main


def test_training_on_a_tool_and_using_it_are_never_one_lesson_however_alike(embedder):
    """Surrey's DASH training recommendation (a real fragment) and a written training ask are one lesson; two written
    practice asks (complete the DASH risk assessment even when the victim will not engage) are another. As texts the
    training and practice asks are alike enough to be grouped by meaning alone."""
    from recommendations.recurring import Grouper

    surrey = next(r["text"] for r in recurring_quality.real_rows()[0] if r["id"] == "14-3.140(b)")
    texts = [
        surrey,
        "Police staff should be trained in completing the DASH risk assessment with victims of domestic incidents.",
        "Officers should be reminded of the importance of completing a DASH risk assessment at every domestic "
        "incident, even when the victim declines to answer the questions.",
        "Police staff should complete the DASH risk assessment with every victim of a domestic incident, even where "
        "the victim will not engage.",
    ]
    grouper = Grouper()
    vectors = grouper.vectors(texts, embedder.encode)
    assert grouper.closeness(vectors, vectors)[1, 3] >= grouper.min_closeness  # alike by meaning alone
    assert sorted(sorted(g) for g in grouper.groups(texts, vectors)) == [[0, 1], [2, 3]]


def test_training_and_practice_asking_for_one_known_lesson_are_still_one_lesson(embedder):
    """The main-ask rule keeps apart only what no known lesson joins: referring high-risk victims to MARAC, asked as
    training and as practice, is the lesson national analyses name."""
    from recommendations.asks import asked
    from recommendations.lessons import main_ask, main_lesson
    from recommendations.recurring import Grouper

    texts = [
        "Police should train officers to refer every victim assessed as high risk on the DASH checklist to MARAC.",
        "Police officers should refer victims whose DASH risk assessment scores high to the MARAC.",
    ]
    assert [main_ask(asked(t))[0] for t in texts] == ["learning", "doing"]
    assert {main_lesson(t) for t in texts} == {"dash_high_risk_to_marac"}
    grouper = Grouper()
    assert grouper.groups(texts, grouper.vectors(texts, embedder.encode)) == [[0, 1]]


def test_a_pair_a_little_less_alike_must_first_ask_for_the_same_kind_of_action(embedder):
    """Recording what the public report (and sharing it) and sharing information with a MARAC (and flagging the record)
    name recording and sharing both, and are alike only as far as one kind of action in common lets a pair be; one
    first asks to record, the other to share: different asks, never one lesson."""
    from recommendations.asks import predicate
    from recommendations.lessons import actions_asked, main_ask
    from recommendations.recurring import Grouper

    texts = [
        "Police to ensure that all officers and staff are aware of the importance of recording all information "
        "received from members of the public about domestic abuse incidents, and that it is shared with other "
        "agencies.",
        "NHS England should set out how safeguarding leads in primary care are to share information about domestic "
        "abuse with the MARAC, which records are to be checked before the meeting and how the record is to be flagged.",
    ]
    assert [main_ask(predicate(t))[1] for t in texts] == ["record", "share"]
    assert all({"record", "share"} <= actions_asked(predicate(t)) for t in texts)
    grouper = Grouper()
    vectors = grouper.vectors(texts, embedder.encode)
    assert grouper.min_closeness_same_action <= grouper.closeness(vectors, vectors)[0, 1] < grouper.min_closeness
    assert grouper.groups(texts, vectors) == []


def _alike(closeness: float):
    """Vectors for two texts whose whole texts and asks are ``closeness`` alike (the grouper's three parts; neither
    asks for a thing on a topic)."""
    first, second, none = np.zeros(6, np.float32), np.zeros(6, np.float32), np.zeros(6, np.float32)
    first[0], second[0], second[1] = 1.0, closeness, (1.0 - closeness**2) ** 0.5
    return np.vstack([np.hstack([first, first, none]), np.hstack([second, second, none])])


def test_one_kind_of_action_groups_a_pair_a_little_less_alike_only_where_both_first_ask_for_it():
    """Naming one kind of action lets a pair a little less alike be one lesson (MIN_CLOSENESS_SAME_ACTION) only where
    both first ask for the same kind, and a main ask naming no kind is another: real recommendations of different
    lessons sat at 0.61 and 0.63 (GP awareness raising and adult safeguarding training; the DASH checklist's use with
    adult children and its thorough completion). Alike enough for any pair, they are grouped."""
    from recommendations.asks import predicate
    from recommendations.lessons import main_ask
    from recommendations.recurring import MIN_CLOSENESS, MIN_CLOSENESS_SAME_ACTION, Grouper

    texts = [
        "The existing programme of domestic abuse awareness raising across all GP practices should continue.",
        "Agencies should raise the value of adult safeguarding training and awareness to that of children's "
        "safeguarding.",
    ]
    assert [main_ask(predicate(t)) for t in texts] == [("learning", None), ("learning", "train")]
    grouper = Grouper()
    assert grouper.groups(texts, _alike((MIN_CLOSENESS_SAME_ACTION + MIN_CLOSENESS) / 2)) == []
    assert grouper.groups(texts, _alike(MIN_CLOSENESS + 0.02)) == [[0, 1]]
