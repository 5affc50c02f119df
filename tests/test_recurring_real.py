"""Recurring lessons on real recommendations (the published DHR fragments in ../shared/corpus/dhr): the same
lesson in far-apart words is grouped, with the lesson as its label; different asks on one topic never are."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import recurring_quality

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"


def test_real_recommendations_asking_for_one_lesson_in_far_apart_words_are_grouped_and_no_pair_is_wrong(embedder):
    """IRIS in GP practices (Norfolk), GPs' routine enquiry (Liverpool) and gynaecology staff asking a direct
    question (the Home Office's letter on a Devon review): their vectors are no closer than different police asks.
    Held out: "always consider a translator" (Gloucestershire) and "family members are not used as interpreters"
    (Cardiff) ask for the same interpreter. Different lessons are never merged on any labelled set the project
    holds: the real one and the written one, dev and test."""
    from recommendations.recurring import Grouper

    figures = recurring_quality.recurring_figures(Grouper(), embedder.encode)
    real = figures["real"]
    assert real["dev"]["labelled_pairs"] == 3 and real["dev"]["recall"] == 1.0
    assert real["test"]["labelled_pairs"] == 1 and real["test"]["recall"] == 1.0
    for labelled_set in ("real", "written"):
        assert figures[labelled_set]["dev"]["wrong"] == [] and figures[labelled_set]["test"]["wrong"] == []


def test_a_board_member_sees_the_lesson_two_real_reports_share_labelled_in_a_sentence(
    store, embedder, people, coordinator
):
    from indexing.library import Library
    from recommendations.recurring import recurring

    library = Library(store, embedder)
    for name in (
        "03_norfolk-2012death-accountabilityindex-recs.txt",
        "13_liverpool-2014death-accountabilityindex-recs.txt",
    ):
        body = (DHR / name).read_text(encoding="utf-8").split("\n", 2)[2]
        library.ingest(body.encode(), name, viewer=coordinator, kind="other", access="public")
    groups = recurring(store, people["board"], embedder)
    health = [g for g in groups if g["reviews"] == 2]
    assert len(health) == 1
    assert {r["document"] for r in health[0]["recommendations"]} == {
        "03_norfolk-2012death-accountabilityindex-recs.txt",
        "13_liverpool-2014death-accountabilityindex-recs.txt",
    }
    assert health[0]["label"] == (
        "Health staff should ask patients about domestic abuse routinely (routine enquiry, IRIS)."
    )


def test_a_pair_a_little_less_alike_is_one_lesson_when_it_asks_the_same_kind_of_action(embedder):
    from recommendations.recurring import Grouper

    texts = [
        "Housing officers should refer tenants who disclose abuse to the IDVA service.",
        "Tenancy staff to make a referral to the domestic abuse advocate when a tenant discloses abuse.",
        "Housing officers should respond within a day when a tenant discloses abuse.",
        "The council should publicise the Domestic Violence Disclosure Scheme to residents.",
        "The police should respond to Domestic Violence Disclosure Scheme applications within the national timescale.",
    ]
    grouper = Grouper()
    vectors = grouper.vectors(texts, embedder.encode)
    closeness = grouper.closeness(vectors, vectors)
    # referring, twice, in other words; referring vs responding; publicising a scheme vs answering its applications
    assert 0.60 <= closeness[0, 1] < 0.73 and 0.60 <= closeness[0, 2] < 0.73 and closeness[3, 4] >= 0.60
    assert sorted(sorted(g) for g in grouper.groups(texts, vectors)) == [[0, 1]]


def test_every_known_lesson_is_labelled_in_a_sentence_and_asked_for_only_by_its_own_wording():
    from recommendations.lessons import known_lessons, lessons_asked

    for lesson in known_lessons():
        assert lesson.label.endswith(".") and 6 <= len(lesson.label.split()) <= 12
    assert lessons_asked("GPs should make routine enquiries about domestic abuse.") == {"health_staff_ask_about_abuse"}
    assert lessons_asked("GP practices should train receptionists to respond when a patient discloses abuse.") == set()
    assert lessons_asked("Housing officers should ask about domestic abuse when a tenant reports damage.") == set()


def test_iris_is_the_lesson_only_where_the_programme_is_asked_for_not_where_it_is_cited(embedder):
    from recommendations.lessons import lessons_asked
    from recommendations.recurring import Grouper

    texts = [
        "GP practices should write a domestic abuse policy that follows the guidance published by the RCGP, IRIS "
        "and SafeLives.",
        "Every GP surgery should join the IRIS programme so that patients experiencing abuse are identified earlier.",
        "Practice nurses should switch on the HARK template so that they are prompted with questions about domestic "
        "abuse when a patient presents with low mood.",
    ]
    assert [sorted(lessons_asked(t)) for t in texts] == [
        ["gp_domestic_abuse_policy"],  # a policy it asks for; IRIS it only cites
        ["health_staff_ask_about_abuse"],
        ["health_staff_ask_about_abuse"],
    ]
    grouper = Grouper()
    assert grouper.groups(texts, grouper.vectors(texts, embedder.encode)) == [[1, 2]]


@pytest.mark.parametrize(
    ("text", "lesson", "asked"),
    [
        (
            "Police should refer every victim whose DASH risk assessment scores high to MARAC.",
            "dash_high_risk_to_marac",
            True,
        ),
        (
            "The MARAC coordinator should put the victim's address on the MARAC agenda.",
            "dash_high_risk_to_marac",
            False,
        ),
        (
            "All agencies should train frontline staff to recognise coercive and controlling behaviour.",
            "coercive_control_training",
            True,
        ),
        (
            "The partnership should run a public campaign about coercive control at Christmas.",
            "coercive_control_training",
            False,
        ),
        (
            "Supervisors should model professional curiosity and challenge what practitioners are told.",
            "professional_curiosity",
            True,
        ),
        (
            "Adult social care should adopt a think family approach when assessing a parent's needs.",
            "think_family",
            True,
        ),
        (
            "Mental health and drug services should agree a joint protocol for clients with a dual diagnosis.",
            "dual_diagnosis",
            True,
        ),
        (
            "Probation should refer men convicted of domestic abuse to an accredited perpetrator programme.",
            "perpetrator_programmes",
            True,
        ),
        ("Banks and advice services should be helped to recognise economic abuse.", "economic_abuse", True),
        (
            "Police should apply for stalking protection orders where a former partner keeps following the victim.",
            "stalking_legal_tools",
            True,
        ),
        (
            "Police should complete a domestic abuse, stalking and harassment risk assessment at every call.",
            "stalking_specialist_response",
            False,
        ),
        (
            # abuse by adult children narrows older people (version 16)
            "Adult safeguarding training should cover domestic abuse of older people by their adult children.",
            "adult_family_abuse",
            True,
        ),
        (
            "Housing associations should adopt a domestic abuse policy and seek DAHA accreditation.",
            "housing_provider_policy_training",
            True,
        ),
        (
            "Housing officers should visit tenants within a week of a repair being reported.",
            "housing_provider_policy_training",
            False,
        ),
        (
            "Police should notify the victim's GP after every domestic abuse incident they attend.",
            "share_information_with_gp",
            True,
        ),
        ("GP practices should audit their records for signs of domestic abuse.", "share_information_with_gp", False),
        (
            "Services should always consider a translator where a language barrier may stop a victim speaking.",
            "professional_interpreters",
            True,
        ),
        # asking about abuse in any phrasing: selective enquiry, screening, identification and referral
        (
            "Midwives should make selective enquiry about domestic abuse when a woman attends alone.",
            "health_staff_ask_about_abuse",
            True,
        ),
        (
            "Emergency department staff should screen patients for domestic abuse at triage.",
            "health_staff_ask_about_abuse",
            True,
        ),
        (
            "GP practices should be offered an identification and referral programme for patients affected by "
            "domestic abuse.",
            "health_staff_ask_about_abuse",
            True,
        ),
        (
            "Probation officers should enquire about domestic abuse with the police before sentencing.",
            "health_staff_ask_about_abuse",
            False,
        ),
        (
            "Every GP surgery should have a domestic abuse policy distinct from its safeguarding policy.",
            "gp_domestic_abuse_policy",
            True,
        ),
        ("GP practices should review their missed appointments policy.", "gp_domestic_abuse_policy", False),
        (
            "Mental health teams should consult relatives when they complete a risk assessment.",
            "family_involved_in_assessment_and_care_planning",
            True,
        ),
        (
            "The review panel should engage with the victim's family throughout the review.",
            "family_involved_in_assessment_and_care_planning",
            False,
        ),
        (
            "The ICB should seek assurance that the investigation action plan has been implemented within six months.",
            "review_action_plan_implemented",
            True,
        ),
        ("The CSP should publish this review's action plan on its website.", "review_action_plan_implemented", False),
        # version 7: the same asks in the other words chairs use
        (
            "Police should refer every high-risk case to the multi agency risk conference.",
            "dash_high_risk_to_marac",
            True,
        ),
        ("The MARAC should review its high-risk cases every month.", "dash_high_risk_to_marac", False),  # no referral
        ("The MARAC should refer high-risk perpetrators to MATAC.", "dash_high_risk_to_marac", False),  # not victims
        (
            "Practitioners should look beyond what is presented and not take explanations at face value.",
            "professional_curiosity",
            True,
        ),
        ("The board should look beyond this year's budget.", "professional_curiosity", False),
        (
            "For GPs to assess the needs of, and impact upon the adult or child carer within families.",
            "carers_assessment",
            True,
        ),
        (
            "Social workers should assess the needs of the victim before a carer is appointed.",
            "carers_assessment",
            False,
        ),
        ("The ICB should commission the IRIS programme for every practice.", "health_staff_ask_about_abuse", True),
        (
            "Practice nurses should ask women about domestic abuse at cervical screening.",
            "health_staff_ask_about_abuse",
            True,
        ),
        (
            "Social workers should routinely ask about domestic abuse in every assessment.",
            "health_staff_ask_about_abuse",
            False,
        ),
        (
            "Police should refer victims to mental health teams after every incident.",
            "health_staff_ask_about_abuse",
            False,
        ),
    ],
)
def test_each_recurring_lesson_national_analyses_name_is_known_by_its_ask_not_its_topic(text, lesson, asked):
    from recommendations.lessons import lessons_asked

    assert (lesson in lessons_asked(text)) is asked


def test_a_group_with_no_known_lesson_is_labelled_by_its_ask_in_a_short_sentence_read_from_real_wording():
    """Real recommendations (the fragments): the addressee and its lead-in ("When training officers ...,",
    "For GHC services to", "must examine ... and amend policies") give way to who should do what, in at most
    twelve words (a few more where the phrase ends there, or to say what a placeholder noun stands for: "the issue
    where ..."); every real recommendation gets a sentence of four words or more, never a bare word."""
    from recommendations.asks import LABEL_WORDS, MIN_LABEL_WORDS, PLACEHOLDER_WORDS, RUN_ON_WORDS, lesson_statement

    rows, _ = recurring_quality.real_rows()
    by_id = {row["id"]: row["text"] for row in rows}
    statements = {row["id"]: lesson_statement(row["text"]) for row in rows}
    for statement in statements.values():
        words = statement.split()
        most = LABEL_WORDS + (PLACEHOLDER_WORDS if " the issue " in statement else RUN_ON_WORDS)
        assert MIN_LABEL_WORDS <= len(words) <= most and statement.endswith(".")
        assert statement[0].isupper() and "…" not in statement
    kent = [i for i, text in by_id.items() if text.startswith("When training officers and staff")]
    gloucestershire = [i for i, text in by_id.items() if text.startswith("For GHC services to always")]
    assert [statements[i] for i in kent] == ["Kent Police should emphasise the importance of speaking to children."]
    assert [statements[i] for i in gloucestershire] == [
        "GHC services should always consider a translator if there is any doubt."
    ]


def test_the_written_sets_groups_are_labelled_with_who_should_do_what(embedder):
    """The grouper's own groups: a label names the lesson in a sentence, not a recommendation's opening cut off
    mid-clause ("... when a patient reports…")."""
    from recommendations.asks import LABEL_WORDS, lesson_label
    from recommendations.recurring import Grouper

    grouper = Grouper()
    labels = []
    for name in ("dev", "test"):
        texts = [r["text"] for r in recurring_quality.written_rows() if r["split"] == name]
        vectors = grouper.vectors(texts, embedder.encode)
        whole = vectors.shape[1] // 3  # the whole texts' vectors, then the asks' and their topics'
        labels += [lesson_label([texts[i] for i in g], vectors[g, :whole]) for g in grouper.groups(texts, vectors)]
    assert all(4 <= len(label.split()) <= LABEL_WORDS and label.endswith(".") for label in labels)
    assert "Mental health services should assess the risk to partners." in labels
    assert "Promote and use the domestic abuse disclosure scheme (Clare's Law)." in labels  # a known lesson from v16
