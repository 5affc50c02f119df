"""A recurring group's label and its reading come from the ask, the clause after the modal: not the addressee alone,
not the finding a recommendation opens with, not a noun or an "-ing" verb in its subject. Real recommendations (the
fragments in ../shared/corpus/dhr, read through the benchmark's labels) and the wordings the faults were found in."""

from __future__ import annotations

import pytest

from benchmarks import recurring_quality


@pytest.fixture(scope="module")
def fragments() -> dict[str, str]:
    return {row["id"]: row["text"] for row in recurring_quality.real_rows()[0]}


@pytest.mark.parametrize(
    ("row", "label"),
    [
        # the subject of an "ensure that" clause read as its head: the label keeps the clause's verb
        ("17-4", "All potentially dangerous domestic abuse perpetrators are identified and managed."),
        ("09-1", "The risk assessment section includes clear guidance and prompts to officers."),
        # a label never ends on a noun that needs what follows it ("the effectiveness", "the importance")
        ("04-9.1", "Advice should be sought from the Home Office."),
        ("11-1", "All officers and staff are aware of the importance of recording."),
        # a recommendation cut short in the report ends on its addressee, never on "should"
        ("07-14", "Kent Criminal Justice Board."),
        # who is asked, without what qualifies them ("Kent Police, in consultation with KSCS,")
        ("07-12", "Kent Police should review the domestic abuse child referral matrix."),
        # an aside ("and if necessary,") ends no clause
        ("15-17.2", "Cardiff Community Safety Partnership should review and enhance the information."),
        # a hedge before the ask is no part of it ("consider whether there is a need to")
        ("07-11", "NHS England should check the quality of records made by the GP visited by the victim."),
        # the subjunctive after "That": the body named, then "should" and its verb
        ("05-4", "The Home Office should consider allowing more flex."),
        # a label cut after a placeholder noun says what it stands for
        (
            "05-3",
            "The Home Office should consider the issue where those with serious previous convictions are entering "
            "the country.",
        ),
        # what the ask builds on is no part of it, nor is the ask that names no addressee left without one
        ("17-3", "Agencies should investigate whether the overall number of domestic homicide suspects."),
        # the clause runs a few words past twelve: it is kept whole, not cut before its last phrase
        ("01-R10", "The Probation Service reinforces the current requirement of UPW supervisors to update records."),
        ("11-10", "The new Family Common Assessment Framework is fully embedded across all universal agencies."),
        ("17-2", "Forces routinely review the ‘problem profile’ of their domestic abuse and domestic homicide cases."),
        # a cut never leaves a participle without what it needed ("calls made.")
        ("07-1", "Kent Police should examine its initial response to calls."),
    ],
)
def test_a_real_recommendations_label_says_its_ask_with_its_verb(fragments, row, label):
    from recommendations.asks import lesson_statement

    assert lesson_statement(fragments[row]) == label


@pytest.mark.parametrize(
    ("row", "label"),
    [
        # cut, the ask stopped before its point (what NHS England is to build in); whole, it says it
        (
            "03-1",
            "NHS England should build into its contractual and performance management arrangements a requirement that "
            "GP practices should implement the Identification and Referral to Improve Safety system in coordination "
            "with Independent Domestic Violence Advocacy Services.",
        ),
        (
            "04-9.1",
            "Advice should be sought from the Home Office on the effectiveness of DASH as a risk checklist in cases "
            "where an adult child poses a threat to a parent.",
        ),
        # the aside in brackets left out, the sentence then read to its end
        (
            "17-3",
            "Agencies should investigate whether the overall number of domestic homicide suspects who were previously "
            "being managed by police or probation is actually as low as reported to this Project.",
        ),
        # an ask no longer than a label stays as it was
        ("05-4", "The Home Office should consider allowing more flex."),
    ],
)
def test_a_national_bodys_ask_is_labelled_whole_never_cut_before_its_point(fragments, row, label):
    """The National page's labels (``whole``): "The Home Office should consider making a breach of bail conditions."
    left out what the breach should be made (a trigger for a risk assessment)."""
    from recommendations.asks import WHOLE_ASK_WORDS, lesson_statement

    assert lesson_statement(fragments[row], whole=True) == label
    assert len(label.split()) <= WHOLE_ASK_WORDS


def test_a_whole_ask_longer_than_a_page_line_or_two_is_cut_as_any_label():
    from recommendations.asks import lesson_statement

    text = (
        "The Home Office should consider making a breach of bail conditions in a domestic abuse case a trigger for a "
        "further risk assessment by the police, the probation service, the local authority, the housing provider, "
        "the health services and every other agency that holds any information about the victim or the perpetrator."
    )
    assert lesson_statement(text, whole=True) == lesson_statement(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a national body's long name is its addressee: the label is what it is asked to ensure
        (
            "The Department for Work and Pensions to ensure that Jobcentre Plus staff are trained to recognise "
            "economic abuse and to refer claimants to specialist support.",
            "Jobcentre Plus staff are trained to recognise economic abuse.",
        ),
        # a passive ask keeps what it is about, never "Agencies should never be family members"
        (
            "Interpreters used in health appointments must never be family members or the partner of the patient.",
            "Interpreters used in health appointments should never be family members.",
        ),
        (
            "The referral pathway from the emergency department to the IDVA service should be reviewed.",
            "The referral pathway should be reviewed.",
        ),
        # a condition it opens with is no part of its ask
        (
            "In instances where a patient's capacity is in doubt, capacity must be assessed and recorded at every "
            "review.",
            "Capacity should be assessed and recorded at every review.",
        ),
        (
            "Before agreeing an address for a man on licence, the offender manager must speak to the woman he will "
            "live with, on her own.",
            "The offender manager should speak to the woman he will live with.",
        ),
        (
            "It is recommended that practitioners, other than the allocated social worker, who visit the family "
            "should record what the children say.",
            "Practitioners should record what the children say.",
        ),
        (
            "The Department of Health to review the national ambulance dispatch codes for domestic abuse calls.",
            "The Department of Health should review the national ambulance dispatch codes.",
        ),
        # a label cut short never ends on a noun that needs what followed it ("... domestic abuse part."): it runs on
        (
            "Primary care clinicians to make routine enquiry about domestic abuse part of every consultation where "
            "there are indicators, and document the response.",
            "Primary care clinicians should make routine enquiry about domestic abuse part of every consultation.",
        ),
        # a national body named in full is who is asked, not "Agencies"; what it requires is the ask
        (
            "The Department of Health and Social Care should issue guidance to GP practices on asking older "
            "patients about abuse.",
            "The Department of Health and Social Care should issue guidance.",
        ),
        (
            "The Department of Health and Social Care should require that the national carer's assessment framework "
            "includes questions about domestic abuse.",
            "The national carer's assessment framework includes questions about domestic abuse.",
        ),
        # a label cut short never ends on "about" or "includes", whose object was cut off
        (
            "The Home Office should publish guidance on adult family homicide that includes the risk posed by adult "
            "children with substance misuse to older parents.",
            "The Home Office should publish guidance on adult family homicide.",
        ),
        (
            "Eastfield Community Safety Partnership should run an awareness campaign for older people about abuse by "
            "family members.",
            "Eastfield Community Safety Partnership should run an awareness campaign for older people.",
        ),
        # a heading before the recommendation is no part of its ask
        (
            "Capacity assessments. Capacity assessments for each separate decision must be documented by clinicians "
            "in line with the Trust's policy.",
            "Capacity assessments for each separate decision should be documented by clinicians.",
        ),
    ],
)
def test_a_label_is_the_ask_not_the_addressee_alone(text, label):
    from recommendations.asks import lesson_statement

    assert lesson_statement(text) == label


@pytest.mark.parametrize(
    ("text", "ask", "label"),
    [
        (
            "Although the officers who attended followed the correct procedures at the scene, but officers should be "
            "reminded to complete a DASH risk assessment with every victim.",
            "be reminded to complete a DASH risk assessment with every victim.",
            "Officers should be reminded to complete a DASH risk assessment.",
        ),
        (
            "Given that the victim, who was 78, had never had contact with any specialist domestic abuse service, the "
            "CSP should run a campaign aimed at older people and their families.",
            "run a campaign aimed at older people and their families.",
            "The CSP should run a campaign aimed at older people.",
        ),
    ],
)
def test_a_finding_the_recommendation_opens_with_is_no_part_of_its_ask(text, ask, label):
    from recommendations.asks import asked, lesson_statement

    assert asked(text) == ask
    assert lesson_statement(text) == label


def test_a_finding_with_its_own_modal_is_the_ask_and_is_kept():
    """A ", but" after a clause that asks something itself is no finding: that clause is the ask."""
    from recommendations.asks import asked

    text = "Police should complete a DASH risk assessment with every victim, but this is rarely done at night."
    assert asked(text) == "complete a DASH risk assessment with every victim, but this is rarely done at night."


@pytest.mark.parametrize(
    ("text", "main", "kinds"),
    [
        # a referral named in the subject is a thing, not the ask to refer
        ("The referral pathway from the emergency department should be reviewed.", (None, None), set()),
        ("The CSP should ensure that the referral pathway to the IDVA service is reviewed.", (None, None), set()),
        # referring, and making a referral, are asks to refer
        ("Police should make a referral to MARAC for every high-risk victim.", ("doing", "refer"), {"refer"}),
        ("GPs should refer patients who disclose abuse to the IDVA.", ("doing", "refer"), {"refer"}),
        # an "-ing" verb in the subject says who is asked: their verb is the ask
        ("Officers carrying out DASH risk assessments should receive training.", ("learning", "train"), {"train"}),
    ],
)
def test_the_kinds_of_action_are_read_from_the_verb_not_the_subject(text, main, kinds):
    from recommendations.asks import predicate
    from recommendations.lessons import actions_asked, main_ask

    assert main_ask(predicate(text)) == main
    assert actions_asked(predicate(text)) == kinds


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "The ICB should give consideration to commissioning an IDVA post in the emergency department.",
            "The ICB should consider commissioning an IDVA post in the emergency department.",
        ),
        (
            "Children's Social Care should review whether it would be appropriate to share referrals with schools.",
            "Children's Social Care should share referrals with schools.",
        ),
        (
            "That the Department of Health and Social Care review whether it is necessary to publish guidance on "
            "carers.",
            "The Department of Health and Social Care should publish guidance on carers.",
        ),
        (
            "Further to the findings of this review, the Department for Education should update the guidance on "
            "elective home education.",
            "The Department for Education should update the guidance on elective home education.",
        ),
        (
            "Further research is needed into the links between suicide and domestic abuse.",
            "Agencies should research the links between suicide and domestic abuse.",
        ),
        # "To ensure that" opens a purpose, no subjunctive: no "should" is put after "To"
        (
            "To ensure that all residents are aware of the partnership's commitment to addressing all types of "
            "violence.",
            "To ensure that all residents are aware of the partnership's commitment.",
        ),
    ],
)
def test_a_hedge_or_what_the_ask_builds_on_is_no_part_of_its_label(text, label):
    from recommendations.asks import lesson_statement

    assert lesson_statement(text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a clause a few words longer than twelve is kept whole rather than end on "and", "of the" or an adjective
        (
            "The ICB should ensure that the new safeguarding template is fully embedded across all general practices "
            "and community services.",
            "The new safeguarding template is fully embedded across all general practices and community services.",
        ),
        (
            "The mental health trust should audit its discharge letters against the national standard for "
            "communicating risk to GPs and families.",
            "The mental health trust should audit its discharge letters against the national standard.",
        ),
        # a second ask after "and" ends the first ("review attendance and ensure that ...")
        (
            "The housing service should review its allocations policy and ensure that victims fleeing abuse are not "
            "refused for rent arrears.",
            "The housing service should review its allocations policy.",
        ),
        (
            "Adult Social Care should ensure carers are offered a carer's assessment and are told when the cared-for "
            "person is discharged from hospital.",
            "Carers are offered a carer's assessment.",
        ),
        (
            "Probation officers should establish whether the person on licence has a new partner and tell the police "
            "within a week.",
            "Probation officers should establish whether the person on licence has a new partner.",
        ),
        # the clause a verb needs is no place to end ("identify where", "the morning after")
        (
            "Health visitors should identify where a mother is living with a partner who has been violent before.",
            "Health visitors should identify where a mother is living with a partner.",
        ),
        (
            "Schools should receive the notification the morning after the police attend an incident where a child "
            "lives in the household.",
            "Schools should receive the notification the morning after the police attend an incident.",
        ),
        # a relative clause that says which ones is kept where the label would be short without it
        (
            "GPs should refer any patient who discloses abuse by a carer to adult social care and the IDVA service.",
            "GPs should refer any patient who discloses abuse by a carer.",
        ),
        # a cut leaves no participle, "-ing" word or "as" without what it needed
        (
            "Adult Social Care must assess the quality of support plans written by agency staff working with older "
            "people in their own homes.",
            "Adult Social Care should assess the quality of support plans.",
        ),
        (
            "The CSP should seek assurance that practitioners are aware of the significance of non-fatal strangulation "
            "as a marker of high risk.",
            "Practitioners are aware of the significance of non-fatal strangulation.",
        ),
    ],
)
def test_a_long_label_ends_where_a_phrase_ends(text, label):
    from recommendations.asks import LABEL_WORDS, RUN_ON_WORDS, lesson_statement

    assert lesson_statement(text) == label
    assert len(label.split()) <= LABEL_WORDS + RUN_ON_WORDS


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the present tense chairs write after "That" reads with "should", as the subjunctive does
        (
            "That the ICB commissions a specialist domestic abuse service for older people.",
            "The ICB should commission a specialist domestic abuse service for older people.",
        ),
        (
            "That the Safeguarding Adults Board ensures the multi-agency risk management protocol covers people who "
            "refuse care.",
            "The multi-agency risk management protocol covers people who refuse care.",
        ),
        # who is asked written as a heading, then what they are to do
        (
            "GP practices: Record every disclosure of abuse on the patient's record.",
            "GP practices should record every disclosure of abuse on the patient's record.",
        ),
        # "The Review recommends that" is a preamble
        (
            "The Review recommends that the Home Office updates the statutory guidance on reviews after suicide.",
            "The Home Office updates the statutory guidance on reviews after suicide.",
        ),
        # a service named with an "-ing" word ("housing", "steering") is who is asked, not "The" nor "Agencies"
        (
            "The MARAC steering group should review attendance at every meeting each quarter.",
            "The MARAC steering group should review attendance at every meeting each quarter.",
        ),
    ],
)
def test_who_is_asked_reads_with_should_however_the_chair_wrote_it(text, label):
    from recommendations.asks import lesson_statement

    assert lesson_statement(text) == label
