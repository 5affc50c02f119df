"""Two recommendations asking the same body for the same kind of thing (guidance, training, a review) on different
topics are different lessons, however alike the rest of their words ("The Home Office should issue guidance to review
panels on X" vs "... on Y"); on the same topic in other words they are still one. Texts written for this test, and
the acceptance walk's pair (its two Wexcombe reports, written for the walk) that a reader rejected."""

from __future__ import annotations

from dataclasses import replace

import pytest

# (a, b): the same body, the same kind of thing, different topics
DIFFERENT_TOPICS = [
    (  # the acceptance walk's Wexcombe overview report and executive summary
        "The Home Office should amend the statutory guidance for Domestic Homicide Reviews so that panels examine "
        "child contact arrangements made after separation.",
        "The Home Office should publish guidance for Domestic Homicide Review panels on reviews where the perpetrator "
        "is the victim's adult child.",
    ),
    (
        "The Home Office should issue guidance to Domestic Homicide Review chairs on how to involve the victim's "
        "employer.",
        "The Home Office should issue guidance to Domestic Homicide Review chairs on deaths of victims who had moved "
        "from abroad.",
    ),
    (
        "The Department of Health and Social Care should fund training for GPs and practice nurses on non-fatal "
        "strangulation.",
        # a topic no lesson reads (from version 19, male victims is a lesson: that pair is kept apart by its lessons)
        "The Department of Health and Social Care should fund training for GPs and practice nurses on head injuries.",
    ),
    (
        "NHS England should deliver training to all ambulance staff on recording injuries.",
        "NHS England should deliver training to all ambulance staff on honour-based abuse.",
    ),
    (
        "The Home Office should update the statutory guidance for Domestic Homicide Reviews on the involvement of "
        "employers.",
        "The Home Office should update the statutory guidance for Domestic Homicide Reviews on reviews of deaths "
        "abroad.",
    ),
]

# the same kind of thing on the same topic, in other words: one lesson
SAME_TOPIC = [
    (
        "The Home Office should issue guidance to Domestic Homicide Review chairs on involving the victim's employer "
        "in a review.",
        "The Home Office should publish guidance for Domestic Homicide Review panels on how to involve the victim's "
        "employer and work colleagues.",
    ),
    (
        "The Department of Health and Social Care should fund training for GPs on non-fatal strangulation.",
        "The Department of Health and Social Care should fund training for GPs and practice nurses on recognising "
        "non-fatal strangulation.",
    ),
    (
        "The Ministry of Justice should issue guidance to family courts on child arrangements orders where there is a "
        "history of domestic abuse.",
        "The Ministry of Justice should publish guidance for family courts on making child arrangements orders where "
        "one parent has been abusive.",
    ),
]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "The Home Office should issue guidance to DHR chairs on how to involve employers.",
            "how to involve employers.",
        ),
        ("NHS England should commission a national review of firearms licensing.", "firearms licensing."),
        # whom the thing is for is not its topic
        (
            "DfE should issue guidance to schools and colleges on teenage relationship abuse.",
            "teenage relationship abuse.",
        ),
        # what the amended guidance is to make happen is its topic
        (
            "The Home Office should amend the statutory guidance for DHRs so that panels examine child contact.",
            "panels examine child contact.",
        ),
        # no thing asked for, or none with a topic
        ("Police officers should record every call from a third party.", None),
        ("The Home Office should publish its guidance.", None),
    ],
)
def test_what_a_thing_asked_for_is_about_is_read_after_the_thing_and_whom_it_is_for(text, topic):
    from recommendations.asks import about

    assert about(text) == topic


@pytest.mark.parametrize(("first", "second"), DIFFERENT_TOPICS)
def test_one_body_asked_for_one_kind_of_thing_on_different_topics_is_two_lessons(embedder, first, second):
    """Grouped when their topics are not compared: as whole texts and as asks, the shared body and thing outweigh the
    topic."""
    from recommendations.recurring import Grouper

    grouper = Grouper()
    texts = [first, second]
    vectors = grouper.vectors(texts, embedder.encode)
    assert replace(grouper, min_closeness_about=-1.0).groups(texts, vectors) == [[0, 1]]
    assert grouper.groups(texts, vectors) == []


@pytest.mark.parametrize(("first", "second"), SAME_TOPIC)
def test_one_kind_of_thing_on_one_topic_in_other_words_is_still_one_lesson(embedder, first, second):
    from recommendations.recurring import Grouper

    grouper = Grouper()
    texts = [first, second]
    assert grouper.groups(texts, grouper.vectors(texts, embedder.encode)) == [[0, 1]]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Agencies should train staff who attend domestic incidents to speak to any children present.",
            "Agencies should train staff who attend domestic incidents to photograph injuries.",
        ),
        (
            "The trust should train ward staff to ask patients about abuse.",
            "The trust should train ward staff in adult safeguarding.",
        ),
    ],
)
def test_two_training_asks_are_one_lesson_by_their_kind_of_action_only_on_a_topic_both_name(embedder, first, second):
    """Training the same practitioners is the same kind of action whatever they are trained in, and the words that
    say whom and how weigh more in the sentence model than the topic: two training asks a little less alike than one
    lesson's paraphrases (0.60-0.73, the band where one kind of action is enough) are one lesson only where both name
    what the training is on, and it is alike (the fragments' Kent row, training officers and emphasising speaking to
    children, was grouped with a real ask to value adult safeguarding training as children's is, at 0.60)."""
    from recommendations.recurring import Grouper

    grouper = Grouper()
    texts = [first, second]
    vectors = grouper.vectors(texts, embedder.encode)
    closeness = float(grouper.closeness(vectors[:1], vectors[1:])[0, 0])
    assert grouper.min_closeness_same_action <= closeness < grouper.min_closeness
    assert replace(grouper, min_closeness=closeness).groups(texts, vectors) == [[0, 1]]  # alike enough as texts
    assert grouper.groups(texts, vectors) == []


def test_an_action_named_in_the_topic_of_a_thing_asked_for_is_not_the_action_asked(embedder):
    """The checker's walk (s15): a department asked for guidance *on identifying* abuse by carers was grouped with
    police forces asked to review their cases *identifying* adult family violence, at 0.66 (the band where one kind
    of action is enough), as if both asked someone to identify something. Guidance is what the first asks for;
    what it is on is its topic."""
    from recommendations.asks import outside_topic, predicate
    from recommendations.lessons import actions_asked
    from recommendations.recurring import Grouper

    texts = [
        "The Department of Health and Social Care should issue national guidance on identifying domestic abuse by "
        "spouses who are also the victim's carer.",
        "Police forces should routinely review the profile of their domestic abuse and domestic homicide cases, "
        "identifying cases of adult family violence and intimate partner violence, and choose the interventions "
        "that best match it.",
    ]
    assert actions_asked(outside_topic(predicate(texts[0]))) == frozenset()
    assert "assess" in actions_asked(outside_topic(predicate(texts[1])))
    grouper = Grouper()
    vectors = grouper.vectors(texts, embedder.encode)
    closeness = float(grouper.closeness(vectors[:1], vectors[1:])[0, 0])
    assert grouper.min_closeness_same_action <= closeness < grouper.min_closeness
    assert grouper.groups(texts, vectors) == []
