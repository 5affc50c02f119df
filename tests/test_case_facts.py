"""Case facts read from a review's words (#22, item 1): the ways chairs write them, never a child's age as
the victim's, nothing guessed; the real published fragments give their stated facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.reading.facts import read_facts

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"


def values(text: str) -> dict:
    return {field: fact.value if fact else None for field, fact in read_facts(text).items()}


def assert_reads(text: str, expected: dict, *, nothing_else: bool = False) -> None:
    """``text`` gives every expected value (and, with ``nothing_else``, no other fact)."""
    found = values(text)
    for field, value in expected.items():
        assert found[field] == value, field
    for field in set(found) - set(expected) if nothing_else else ():
        assert found[field] is None, field


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "This review examines the death of Mrs J, aged 71. Mrs J was killed by her son in 2021. "
            "He was convicted of her manslaughter.",
            {
                "victim_age": 71,
                "relationship": "child_of_victim",
                "perpetrator_sex": "male",
                "victim_sex": "female",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (
            "The review concerns the death of a woman aged 73 years, known as Rose. Rose was killed by her grandson.",
            {"victim_age": 73, "victim_sex": "female", "relationship": "other_family", "perpetrator_sex": "male"},
        ),
        (
            "Adam was murdered by his ex-wife and current partner in 2019. Adam, aged 52, had moved out.",
            {
                "victim_age": 52,
                "relationship": "former_partner",
                "victim_sex": "male",
                "perpetrator_sex": "female",
                "death": "homicide",
            },
        ),
        (
            "Kate, aged 44, was killed by her partner, Dan, then aged 47, in May 2020. Dan took his own life "
            "before he could be arrested.",
            {
                "victim_age": 44,
                "perpetrator_age": 47,
                "relationship": "intimate_partner",
                "victim_sex": "female",
                "perpetrator_suicide": True,
                "death": "homicide",
            },
        ),
        (
            "The review into the death of Beth, aged 29. Beth took her own life after years of abuse by her "
            "former partner.",
            {"victim_age": 29, "death": "suicide", "victim_sex": "female"},
        ),
    ],
)
def test_the_ways_chairs_write_the_facts_are_read(text, expected):
    assert_reads(text, expected)


def test_the_age_of_a_child_or_another_person_never_becomes_the_victims():
    found = values(
        "The review concerns the death of Ella. Her son, aged 12, and her daughter, aged 9, lived with her. "
        "Her neighbour, aged 80, called the police. Ella was killed by her husband."
    )
    assert found["victim_age"] is None
    assert found["perpetrator_age"] is None
    assert found["relationship"] == "intimate_partner"


def test_a_fact_the_text_does_not_state_is_left_empty():
    found = values("The panel met six times. Agencies shared their records and the chair wrote the report.")
    assert set(found.values()) == {None}


def test_a_thematic_analysis_of_many_reviews_gives_no_case_facts():
    text = (DHR / "19_leeds-one-minute-guide-dhr-learning.txt").read_text(encoding="utf-8")
    assert set(values(text).values()) == {None}


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "21_devon-case17-louise-exec-summary.txt",
            {"victim_age": 35, "victim_sex": "female", "relationship": "intimate_partner", "death": "homicide"},
        ),
        (
            "23_devon-case15-tigre-exec-summary.txt",
            {"victim_age": 32, "perpetrator_age": 36, "victim_sex": "female", "relationship": "intimate_partner"},
        ),
        (
            "29_west-northants-dhr001-exec-summary.txt",
            {"victim_age": 49, "perpetrator_age": 49, "relationship": "intimate_partner", "death": "homicide"},
        ),
        ("32_islington-LF-exec-summary.txt", {"victim_sex": "female", "relationship": "intimate_partner"}),
        ("22_devon-case17-louise-homeoffice-feedback-letter.txt", {"death": "homicide"}),
        ("37_bassetlaw-sarah-suicide-homeoffice-feedback-letter.txt", {"victim_sex": "female", "death": "suicide"}),
    ],
)
def test_real_published_summaries_give_their_stated_facts_with_the_sentence(name, expected):
    text = (DHR / name).read_text(encoding="utf-8")
    found = read_facts(text)
    for field, value in expected.items():
        assert found[field] is not None and found[field].value == value, field
        assert found[field].sentence in " ".join(text.split())


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a titled pseudonym ("Mr K") is a name: his age and his suicide are read
            "Mrs P, aged 64, was killed in May 2019 by her partner Mr K, then aged 59. Mr K admitted the killing "
            "to officers but took his own life in custody.",
            {
                "victim_age": 64,
                "perpetrator_age": 59,
                "relationship": "intimate_partner",
                "perpetrator_suicide": True,
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "death": "homicide",
            },
        ),
        (  # the same initial under two titles is two people; "killing of ... by her husband"
            "The review concerns the unlawful killing of Mrs D by her husband Mr D, who was tried and found guilty "
            "of murder.",
            {
                "relationship": "intimate_partner",
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (  # "the woman's husband, the Perpetrator, ..."
            "This review examines the death of a 68 year old woman. The woman's husband, the Perpetrator, was "
            "charged with her murder.",
            {
                "victim_age": 68,
                "victim_sex": "female",
                "relationship": "intimate_partner",
                "perpetrator_sex": "male",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (  # a QA letter: the victim's sex and "the homicide" said in passing
            "The Panel asked whether the victim being male had shaped how agencies responded. The months before "
            "the homicide are not yet explored.",
            {"victim_sex": "male", "death": "homicide"},
        ),
        (  # an aside between the name and the age ("her" in it names no one else: Ruth is a woman)
            "This summary concerns the death of Ruth (not her real name), aged 58. Ivy (a pseudonym) was 34 when "
            "her daughter was born.",
            {"victim_age": 58, "victim_sex": "female"},
        ),
        (
            "Nadia (a pseudonym) was 34 when she was killed by her husband.",
            {
                "victim_age": 34,
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "death": "homicide",
            },
        ),
        (  # "before he killed her": an active killing is a homicide
            "Police returned her son to the house a week before he killed her.",
            {"death": "homicide"},
        ),
        (  # "regarding NAME who died": the name is the victim's, "her death" gives her sex
            "Executive summary regarding Lena who died in March 2021. Lena had known Tom for nine years before "
            "her death.",
            {"victim_sex": "female"},
        ),
    ],
)
def test_phrasings_the_held_out_reviews_showed_are_read(text, expected):
    assert_reads(text, expected, nothing_else=True)


def test_a_text_about_several_cases_gives_no_one_cases_facts_even_where_it_names_a_victim():
    found = values(
        "The Department published the reviews of the murders of two women last week. The first concerns the "
        "murder of Nora, who was killed by her adult son, then aged 30."
    )
    assert set(found.values()) == {None}


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # "he had killed his mother": the kinship word names the victim; "Manslaughter" with a capital
            "The review concerns the death of Sam. Police found Sam, a 77-year-old woman, dead at her home. Her son "
            "told his partner that he had killed "
            "his mother. He pleaded guilty to Manslaughter and was sentenced to 12 years.",
            {
                "victim_age": 77,
                "victim_sex": "female",
                "relationship": "child_of_victim",
                "perpetrator_sex": "male",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (  # "the homicide of NAME, committed by his sibling"
            "This report concerns the homicide of Adult C in 2015, committed by his sibling Adult D.",
            {"victim_sex": "male", "relationship": "other_family", "death": "homicide"},
        ),
        ("DOMESTIC HOMICIDE REVIEW: REPORT INTO THE DEATH OF MALE ADULT C", {"victim_sex": "male"}),
        (  # names with their part in brackets; the titles say the sexes
            "The review examines the death of Mrs K (the victim of the homicide) and the agencies' contact with "
            "Mr K (the alleged offender).",
            {"victim_sex": "female", "perpetrator_sex": "male", "death": "homicide"},
        ),
        (
            "The review concerns Adult E, who was stabbed by a relative. He subsequently died from his injuries.",
            {"death": "homicide"},
        ),
    ],
)
def test_phrasings_the_third_held_out_set_showed_are_read(text, expected):
    assert_reads(text, expected)


def test_a_perpetrators_earlier_partners_do_not_make_one_review_about_several_cases():
    found = values("Nora was killed by her partner. He had previously abused two women and three men knew of it.")
    assert found["relationship"] == "intimate_partner" and found["death"] == "homicide"


def test_killing_a_relatives_partner_does_not_make_the_relative_the_victim():
    found = values("He had killed his daughter's partner.")
    assert found["relationship"] is None and found["victim_sex"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a QA letter: "relevant to the homicide" names the death the review is about
            "Thank you for submitting the review into the death of 'Jo'. It is clear why the chronology is "
            "relevant to the homicide.",
            {"death": "homicide"},
        ),
        (  # a QA letter on a suicide: the victim's death and suicide in one sentence, no one else in it
            "The report concerns the death of 'Mia'. Given the circumstances of Mia's death, the terms of "
            "reference should mention suicide.",
            {"death": "suicide"},
        ),
        (  # a sentence naming the victim and no one else: its pronouns are hers
            "The report concerns the death of 'Mia'. The panel heard Mia's voice, and her wish for the help she "
            "needed.",
            {"victim_sex": "female"},
        ),
    ],
)
def test_the_dev_letters_phrasings_are_read(text, expected):
    assert_reads(text, expected, nothing_else=True)


@pytest.mark.parametrize(
    "text",
    [
        "The review concerns the death of Mia. After Mia's death, her partner attempted suicide.",
        "The review concerns the death of Mia. Following Mia's death the perpetrator spoke of suicide.",
        "The review concerns the death of Mia. Mia's GP said he would refer her to the clinic.",
        "The review concerns the death of Mia. Mia told Tom he should leave her alone.",
        "The review concerns the death of Mia. The homicide timeline research was cited.",
    ],
)
def test_another_persons_suicide_or_pronoun_is_not_the_victims(text):
    found = values(text)
    assert found["death"] is None and found["victim_sex"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # "killed by her husband, who went on to take his own life"
            "The review concerns the death of a woman killed by her husband, who went on to take his own life.",
            {
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "perpetrator_suicide": True,
                "death": "homicide",
            },
        ),
        (  # charged, then a suicide: the suicide wins, in one sentence or in the next
            "Rose was killed by her husband. He was charged with her murder, but took his own life three months later.",
            {
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "perpetrator_suicide": True,
                "death": "homicide",
            },
        ),
        (
            "Rose was killed by her husband. He was charged with her murder. He took his own life before the trial.",
            {
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "perpetrator_suicide": True,
                "death": "homicide",
            },
        ),
        (  # "Victim M" is a label like "Subject A"; "by NAME, her long-term partner, then aged 73"
            "This is a review into the death of Victim K. Victim K, aged 83 was killed in 2015 by Mr N, her long-term "
            "partner, then aged 73.",
            {
                "victim_age": 83,
                "perpetrator_age": 73,
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "death": "homicide",
            },
        ),
        (  # a newspaper's "The 80-year-old was killed ... by husband Tom, 81"
            "The 80-year-old was killed at her home by husband Tom, 81.",
            {
                "victim_age": 80,
                "perpetrator_age": 81,
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "death": "homicide",
            },
        ),
        (  # "strangulation by her husband"
            "The Victim was found dead at her home. Her death was the result of strangulation by her husband.",
            {
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "relationship": "intimate_partner",
                "death": "homicide",
            },
        ),
        (  # "His ex-partner YZ was a 69-year old woman": the perpetrator's sex, age and relationship
            "In 2012, YZ strangled WX in her home. YZ was convicted of the manslaughter of WX. His ex-partner YZ "
            "was a 69-year old woman.",
            {
                "victim_sex": "male",
                "perpetrator_sex": "female",
                "perpetrator_age": 69,
                "relationship": "former_partner",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (  # "murdered by her partner, Steven, who later died by suicide"
            "The murder of ‘Amy’ was reviewed. Amy was believed murdered by her partner, Steven, who later died by "
            "suicide.",
            {
                "victim_sex": "female",
                "perpetrator_sex": None,
                "relationship": "intimate_partner",
                "perpetrator_suicide": True,
                "death": "homicide",
            },
        ),
    ],
)
def test_phrasings_the_fourth_held_out_set_showed_are_read(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    "text, fields",
    [
        (  # "her" in a sentence naming both, while the perpetrator's sex is not known, is no one's
            "In 2012, YZ strangled WX in her home. YZ was convicted of the manslaughter of WX.",
            ["victim_sex", "perpetrator_sex"],
        ),
        ("The 19-year-old was arrested at the scene.", ["victim_age", "perpetrator_age"]),  # no one was killed
        ("Rose was killed by her husband, Tom. Rose, 12, was her granddaughter.", ["victim_age"]),  # under 16
        (  # guidance quoted in a review
            "Lessons are learned where someone has been killed by their current or former partner.",
            ["relationship", "death", "victim_sex"],
        ),
        (  # a relative's suicide, not the perpetrator's
            "Her son, who took his own life in 2010, had lived nearby.",
            ["perpetrator_suicide", "death", "relationship"],
        ),
    ],
)
def test_what_the_fourth_set_rules_do_not_read(text, fields):
    found = values(text)
    for field in fields:
        assert found[field] is None, field


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # no killing spoken of: the named person who took her own life is the one who died
            "Mia went to her room and attempted to take her own life. The coroner found that Mia had taken her "
            "own life after an abusive relationship.",
            {"victim_sex": "female", "death": "suicide"},
        ),
        ("Report into the lives of the homicide victim FS and the alleged perpetrator OA.", {"death": "homicide"}),
        ("A review was undertaken when a reported homicide had taken place in the City.", {"death": "homicide"}),
    ],
)
def test_phrasings_the_fifth_held_out_set_showed_are_read(text, expected):
    assert_reads(text, expected, nothing_else=True)


def test_a_perpetrator_who_took_his_own_life_after_a_killing_is_not_the_one_who_died_by_suicide():
    found = values("Steven took his own life two days after he killed Amy.")
    assert found["death"] != "suicide" and found["victim_sex"] != "male"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Rosa, aged 52 years, was killed by her 69 year ex-husband at her flat.",
            {
                "victim_age": 52,
                "victim_sex": "female",
                "perpetrator_age": 69,
                "perpetrator_sex": "male",
                "relationship": "former_partner",
            },
        ),
        (
            "Rosa was killed by her 61-year ex-husband.",
            {"victim_age": None, "perpetrator_age": 61, "perpetrator_sex": "male", "relationship": "former_partner"},
        ),
        (  # the age before a kinship word is that person's, never the victim's
            "Rosa was killed by her 58-year-old partner.",
            {"victim_age": None, "perpetrator_age": 58, "relationship": "intimate_partner"},
        ),
    ],
)
def test_an_age_written_before_the_kinship_word_is_the_perpetrators(text, expected):
    assert_reads(text, expected)


def test_the_victims_relative_found_guilty_of_manslaughter_is_a_homicide_with_no_suicide():
    """The walk's unseen summary said who was convicted only as "the victim's son"."""
    assert_reads(
        "After a criminal trial the victim's son was found guilty of manslaughter on the grounds of diminished "
        "responsibility. He was made subject to a hospital order.",
        {
            "relationship": "child_of_victim",
            "perpetrator_sex": "male",
            "death": "homicide",
            "perpetrator_suicide": False,
        },
        nothing_else=True,
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # the age before "man who was killed by his ex-partner" is the man's, never the ex-partner's
            "The review examines the death of a 41-year old man who was killed by his ex-partner.",
            {"victim_age": 41, "perpetrator_age": None, "victim_sex": "male", "relationship": "former_partner"},
        ),
        (
            "This review concerns a domestic homicide that occurred in Northvale in May 2019.",
            {"death": "homicide"},
        ),
        (
            "Dana was killed by her ex-partner in 2019. The perpetrator has been brought to justice and is currently "
            "serving a life sentence.",
            {"perpetrator_suicide": False, "death": "homicide", "relationship": "former_partner"},
        ),
        (  # a PDF's line broken after the hyphen of "ex-partner"
            "A review into the killing of Dana, who was stalked and then murdered by her ex-\npartner in 2019.",
            {"relationship": "former_partner", "victim_sex": "female", "death": "homicide"},
        ),
        (  # the suspect arrested and jailed for life did not take his own life
            "Dana was killed by her ex-partner. Her ex-partner was identified as the suspect and arrested before "
            "being jailed for life.",
            {"perpetrator_suicide": False, "death": "homicide"},
        ),
        (  # a newspaper's "Name, 24, was killed"
            "Dana Reyes, 24, was killed at her home in Northvale in October 2016.",
            {"victim_age": 24, "death": "homicide"},
        ),
    ],
)
def test_ages_deaths_and_sentences_as_the_seventh_held_out_reports_write_them(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a perpetrator known by title and surname only
            "Alice was murdered by Mr Smith in 2019. Mr Smith, aged 45, was convicted of her murder.",
            {"perpetrator_age": 45, "perpetrator_sex": "male", "perpetrator_suicide": False, "death": "homicide"},
        ),
        (
            "Mr Smith killed his wife, Mrs Jones, at their home. Mr Smith was charged with her murder.",
            {
                "relationship": "intimate_partner",
                "victim_sex": "female",
                "perpetrator_sex": "male",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (  # the victim named where she was found, her age beside her name
            "Police were called to the flat of Joan, a 64-year-old woman. Officers found Joan dead. Her grandson had "
            "told a neighbour that he had killed his grandmother.",
            {"victim_age": 64, "victim_sex": "female", "death": "homicide"},
        ),
        (  # the victim's sex from a sentence about her alone
            "The panel found that the victim's isolation and poor health added to her dependence on others.",
            {"victim_sex": "female"},
        ),
        (  # a PDF's title and heading lines run into the first sentence name no one in it
            "Domestic Homicide Review:\nOverview Report\nSummary\nThe review found that the victim's isolation added "
            "to her\ndependence on others.",
            {"victim_sex": "female"},
        ),
        (  # a perpetrator tried and acquitted, or alive in care, did not take his own life
            "The man who unlawfully killed 'Rose' served no sentence. He was acquitted of murder at trial.",
            {"perpetrator_sex": "male", "perpetrator_suicide": False, "death": "homicide"},
        ),
        (
            "Her husband strangled her at home. No charges were brought. The victim's husband is now a resident of "
            "a nursing home for people with dementia.",
            {"relationship": "intimate_partner", "perpetrator_suicide": False},
        ),
    ],
)
def test_phrasings_the_eighth_held_out_set_showed_are_read(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("The victim's daughter said her mother had been frightened of him.", "victim_sex"),  # another person
        ("The perpetrator's brother is now in prison for an unrelated offence.", "perpetrator_suicide"),  # a relative
        ("Her son stabbed him in the street.", "relationship"),  # "him" is not the one "her" names
        ("She was murdered by Police Scotland's former officer. He was 45.", "perpetrator_age"),  # no titled name
    ],
)
def test_what_the_eighth_set_rules_do_not_read(text, field):
    assert values(text)[field] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Victim: Female, 38\nPerpetrator: Male, 41\nRelationship: Husband\n\nThe review panel met six times.",
            {
                "victim_sex": "female",
                "victim_age": 38,
                "perpetrator_sex": "male",
                "perpetrator_age": 41,
                "relationship": "intimate_partner",
            },
        ),
        (  # a Word table's rows of a summary's facts
            "Age of victim | 71 |\nSex of victim | Female |\nRelationship of perpetrator to victim | Son |",
            {"victim_age": 71, "victim_sex": "female", "relationship": "child_of_victim", "perpetrator_sex": "male"},
        ),
        ("Relationship of victim to perpetrator: Mother", {"relationship": "child_of_victim"}),
        (  # an age in brackets after each name is that person's
            "Adult A (aged 42) was killed by her former partner, Adult B (aged 45).",
            {"victim_age": 42, "perpetrator_age": 45, "relationship": "former_partner"},
        ),
    ],
)
def test_a_summarys_labelled_fields_and_bracketed_ages_are_read(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Victim's age: 16 months",  # not an adult's age in years
        "Victim: Mrs A, who lived with her three children aged 4, 9 and 12",  # a sentence, not a value
        "Her son (aged 17) lived with her.",  # a child's age in brackets
        "Relationship: complex and volatile",  # no kinship word
    ],
)
def test_a_label_whose_value_is_not_plainly_a_fact_gives_none(text):
    found = values(text)
    assert found["victim_age"] is None and found["relationship"] is None and found["victim_sex"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Amy, aged 24, died by suicide in May 2021. She had been subjected to coercive control by her boyfriend.",
            {"victim_age": 24, "death": "suicide"},
        ),
        (
            "The review concerns the death by suicide of a 45-year-old woman known as Kate.",
            {"victim_age": 45, "victim_sex": "female", "death": "suicide"},
        ),
        (
            "Mrs D was found hanged at her home. The coroner recorded a conclusion of suicide.",
            {"victim_sex": "female", "death": "suicide"},
        ),
        (  # someone else's suicide in a text about a killing is not the death the review is about
            "Her husband killed her. His earlier partner had died by suicide.",
            {"death": "homicide"},
        ),
    ],
)
def test_a_death_by_suicide_as_chairs_state_it_is_read(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Frank, aged 58, died at home. His ex-wife, Gemma, aged 54, was convicted of his manslaughter.",
        "Frank, aged 58, died at home. His ex-wife, Gemma (54), pleaded guilty to his murder.",
        "Frank, aged 58, died at home. His ex-wife, Gemma, a 54-year-old, was charged with the murder of him.",
    ],
)
def test_a_relative_named_with_an_age_and_convicted_of_the_victims_death_is_the_perpetrator(text):
    """A checker's summary introduced the convicted woman as "His former wife, <name>, aged N" before her
    conviction for his death: the kinship word, her age and her sex are the perpetrator's."""
    assert_reads(
        text,
        {
            "relationship": "former_partner",
            "perpetrator_age": 54,
            "perpetrator_sex": "female",
            "victim_sex": "male",
            "perpetrator_suicide": False,
            "death": "homicide",
        },
    )


@pytest.mark.parametrize(
    "text",
    [  # a conviction for someone else's death, a death whose pronoun is not the possessive's, a witness
        "Rosa, aged 61, was killed in 2020. Her nephew, Owen, aged 33, was convicted of the murder of a stranger in "
        "2009.",
        "Rosa, aged 61, was killed in 2020. Her nephew, Owen, aged 33, was convicted of his murder.",
        "Rosa, aged 61, was killed in 2020. Her nephew, Owen, aged 33, gave evidence at the trial for her murder.",
    ],
)
def test_a_named_aged_relative_beside_another_death_or_as_a_witness_is_not_the_perpetrator(text):
    found = values(text)
    assert (found["relationship"], found["perpetrator_age"], found["perpetrator_sex"]) == (None, None, None)
    assert found["victim_age"] == 61


def test_a_named_perpetrator_is_also_the_title_and_surname_the_text_goes_on_to_call_him():
    found = values(
        "Ms Hale died in March 2019. She was killed by her partner, Tom Price. Officers found her injured at home. "
        "Mr Price was arrested at the scene and was charged with murder."
    )
    assert (found["perpetrator_sex"], found["perpetrator_suicide"], found["relationship"]) == (
        "male",
        False,
        "intimate_partner",
    )


def test_a_surname_the_victim_shares_names_neither_of_them_by_title():
    found = values(
        "Anna Smith died in 2020. She was killed by her husband, John Smith. Mrs Smith had called the police twice. "
        "Mr Smith, aged 71, was later found unfit to plead."
    )
    assert found["perpetrator_age"] is None and found["victim_age"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # the kinship word a named perpetrator is to anyone says his sex; a teenager is in her teens
            "The review into the death of Amy, a Northvale teenager, is published today. Amy was strangled by her "
            "19 year old boyfriend, Liam. Liam was Ruby's father.",
            {"victim_age_band": "teens", "perpetrator_age": 19, "perpetrator_sex": "male", "death": "homicide"},
        ),
        (  # the victim's death called a homicide; "her death" in the sentence after the one that names her
            "The panel examined the circumstances relating to the death of 'Rose'. The summary states: \u201cRose's "
            "death should act as a reminder that domestic homicide can happen without warning. We must all learn "
            "from her death.\u201d",
            {"victim_sex": "female", "death": "homicide"},
        ),
        (  # a safeguarding adults review of a death by suicide: the one person introduced, who died
            "1.1. At the time of the incident, Adult K, a 47 year old woman, was living alone. She died as a result "
            "of hanging. 1.2. Adult K had been seen by the crisis team twice that month.",
            {"victim_age": 47, "victim_sex": "female", "death": "suicide"},
        ),
    ],
)
def test_phrasings_the_tenth_held_out_set_showed_are_read(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    "text, field",
    [
        # the homicide review named, not the death: no kind of death
        ("The Domestic Homicide Review examined Rose's death and the support she had.", "death"),
        # two people introduced: whose death it was is not said
        ("Adult K, a 47 year old woman, lived with Adult L, a 50 year old man. He died in hospital.", "victim_age"),
        # a teenager who is not the victim
        ("Rose was killed by her partner. Her son, a teenager, found her.", "victim_age_band"),
    ],
)
def test_what_the_tenth_set_rules_do_not_read(text, field):
    assert values(text)[field] is None


def test_a_news_page_in_title_case_is_read_as_its_sentences_say():
    text = (
        "The Department Has Today Published an Executive Summary of a Domestic Homicide Review.\n\n"
        "The Panel Examined the Circumstances Relating to the Death of Rosalind Marsh. Rosalind Was a Much-loved "
        "Mother and Member of Her Community. She Died in Her Home. A Former Intimate Partner Took Her Life."
    )
    found = read_facts(text)
    assert {f: found[f].value for f in ("victim_sex", "relationship", "death")} == {
        "victim_sex": "female",
        "relationship": "former_partner",
        "death": "homicide",
    }
    assert found["relationship"].sentence == "A Former Intimate Partner Took Her Life."  # as the text writes it
    assert text[found["relationship"].char_start :].startswith("A Former Intimate Partner")


def test_her_own_life_is_no_one_elses_taking():
    assert values("Her former partner said that she took her own life.")["relationship"] is None


def test_a_perpetrator_named_beside_a_possessive_kinship_word_gets_no_sex_from_it_and_an_age_after_it_is_his():
    """ "Dean, her former partner, aged 47": "her" is the victim's, and the age in apposition is Dean's."""
    assert_reads(
        "This review examines the death of Anna. Anna was 44 years old. She was killed at her home by Dean, her "
        "former partner, aged 47, from whom she had separated in January 2024. Dean was convicted of her murder "
        "and sentenced to life imprisonment.",
        {
            "victim_age": 44,
            "victim_sex": "female",
            "perpetrator_age": 47,
            "perpetrator_sex": None,
            "relationship": "former_partner",
            "death": "homicide",
        },
    )


def test_someone_elses_relation_is_not_the_perpetrators_relation():
    found = values("Adam, aged 42, was killed by his former wife's new partner, a man with a banning order.")
    assert found["relationship"] != "former_partner"
    assert found["perpetrator_sex"] != "female"
    assert found["victim_age"] == 42
    assert found["victim_sex"] == "male"  # "his" is still the victim's


def test_an_age_before_a_killing_by_her_husband_is_the_victims():
    assert_reads(
        "Tina was 49 when her husband killed her on the night of a big football final.",
        {"victim_age": 49, "victim_sex": "female", "relationship": "intimate_partner", "death": "homicide"},
    )


def test_a_plain_age_after_the_victim_s_name_is_hers_and_after_the_perpetrator_s_his():
    assert_reads(
        "Marie was killed by her partner, Paul, in 2023. Marie was 56. Paul was 61.",
        {"victim_age": 56, "perpetrator_age": 61, "victim_sex": "female"},
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "In May 2025 Mr P killed his mother, Mrs Q, at the bungalow they shared. Mrs Q was 84 years old. Mr P, "
            "who was 58, was convicted of manslaughter. Her neighbour, a woman of 79, gave an account.",
            {
                "victim_age": 84,
                "victim_sex": "female",
                "perpetrator_age": 58,
                "perpetrator_sex": "male",
                "relationship": "child_of_victim",
                "perpetrator_suicide": False,
                "death": "homicide",
            },
        ),
        (
            "Adult C (72) died in hospital a week after he was attacked at home by his wife, Adult D (70). Their "
            "daughter (45) called the ambulance.",
            {"victim_age": 72, "victim_sex": "male", "perpetrator_age": 70, "perpetrator_sex": "female"},
        ),
        (
            "Jo, the subject of this review, was 20 when she died. She was killed by her former partner, Ryan, "
            "aged 23, from whom she had separated in the spring. Her sister, who is 16, took part in the review.",
            {"victim_age": 20, "victim_sex": "female", "perpetrator_age": 23, "relationship": "former_partner"},
        ),
        (
            "Ms R, a woman of 61, took her own life in 2024. Her former husband, then 66, had kept control of their "
            "savings. No agency recognised the economic abuse by her former husband.",
            {
                "victim_age": 61,
                "victim_sex": "female",
                "perpetrator_age": 66,
                "perpetrator_sex": "male",
                "relationship": "former_partner",
                "death": "suicide",
            },
        ),
    ],
)
def test_phrasings_set_eleven_showed_are_read(text, expected):
    assert_reads(text, expected)


def test_a_suicide_reviews_childhood_abuser_is_not_its_perpetrator():
    found = values("Ms T took her own life in 2023. As a girl she had suffered abuse by her father.")
    assert found["death"] == "suicide"
    assert found["relationship"] is None and found["perpetrator_sex"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # the age after "NAME, who was" is the name's
            "This summary sets out the learning from the death of David, who was 62 years old when he was killed by "
            "his wife, Susan, aged 59, at their home.",
            {"victim_age": 62, "perpetrator_age": 59},
        ),
        (  # a brief's heading names whose death it reviews; a bare age after the name; an older brother is a brother
            "Learning from the review of Paul's death\nPaul was 35. He was killed by his older brother.",
            {"victim_age": 35, "victim_sex": "male", "relationship": "other_family", "death": "homicide"},
        ),
        (  # "NAME, 29, took her own life", as a newspaper writes an age
            "Nicola, 29, took her own life after years of abuse by her partner.",
            {"victim_age": 29, "victim_sex": "female", "death": "suicide"},
        ),
    ],
)
def test_ages_and_a_suicide_as_the_s11_walks_briefs_write_them(text, expected):
    found = values(text)
    assert {field: found[field] for field in expected} == expected


def test_the_age_of_a_friend_who_was_there_is_not_the_victims():
    found = values("The review of Anna's death\nHer friend Jo, who was 30 at the time, called the police.")
    assert found["victim_age"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a role before the kinship word; the age after the name is the perpetrator's
            "Lorna was stabbed at her flat by the perpetrator, her ex-husband, Dean. Dean, who was 48, was later "
            "convicted of murder.",
            {
                "relationship": "former_partner",
                "perpetrator_sex": "male",
                "perpetrator_age": 48,
                "perpetrator_suicide": False,
                "victim_sex": "female",
            },
        ),
        (  # "by NAME, her KIN": the name is the perpetrator's, and "He was arrested" after it says his sex
            "Mrs P was killed in her home in 2023. She was killed by Colin, her partner of two years. He was arrested "
            "the same night.",
            {"relationship": "intimate_partner", "perpetrator_sex": "male", "death": "homicide"},
        ),
        (  # "then 38" after the kinship word; "His daughter was convicted" says the perpetrator lived
            "Mr K was killed at home by his daughter, then 38. His daughter was convicted of manslaughter.",
            {"relationship": "child_of_victim", "perpetrator_age": 38, "perpetrator_suicide": False},
        ),
    ],
)
def test_phrasings_set_twelve_showed_are_read(text, expected):
    assert_reads(text, expected)


def test_a_table_of_the_people_gives_the_ages_of_the_victim_and_perpetrator_it_names_and_no_one_elses():
    found = values(
        "Tessa was killed by her husband Rob in 2024. Rob was convicted of Tessa's murder.\n\n"
        "Name | Age | Relationship to Tessa\nTessa | 58 | Subject\nRob | 61 | Husband; perpetrator\n"
        "Amy | 30 | Daughter"
    )
    assert (found["victim_age"], found["perpetrator_age"]) == (58, 61)
    assert found["relationship"] == "intimate_partner"


def test_a_band_in_the_sentence_after_the_victims_is_hers_and_a_child_there_is_no_victim():
    found = values(
        "Mrs W was killed by her son. She was in her early seventies. Her grandson, a boy of six, lived in the "
        "household."
    )
    assert (found["victim_age_band"], found["victim_sex"], found["children_in_household"]) == (
        "early 70s",
        "female",
        True,
    )
    assert values("Mrs W was killed by her son. Her neighbour said she was in her forties.")["victim_age_band"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # how long the marriage had lasted, between the kinship word and the killing
            "Joan was 68 when her partner of twenty-two years stabbed her at their flat.",
            {"victim_age": 68, "victim_sex": "female", "relationship": "intimate_partner"},
        ),
        (  # "a woman aged N, died" introduces the victim; a son's age in a clause before his conviction is his
            "Lorna, a woman aged 52, died at her flat in 2021. Her son, Dean, who was then 25 and stayed with her at "
            "weekends, was found guilty of her manslaughter. Lorna's other son, aged 16, lived with her.",
            {
                "victim_age": 52,
                "perpetrator_age": 25,
                "perpetrator_sex": "male",
                "relationship": "child_of_victim",
            },
        ),
        (  # a former husband named early, his age in a clause before "was later convicted"
            "The review looks at what agencies knew of Sheila and her ex-husband, Brian, before she died. Brian, who "
            "was 70, was later convicted of her murder.",
            {"relationship": "former_partner", "perpetrator_age": 70, "perpetrator_sex": "male"},
        ),
        (  # a review of a suicide: the coercive control it names is the former partner's
            "Gail, aged 38, died by suicide in 2022 after a long period of coercive control by her ex-partner.",
            {"death": "suicide", "relationship": "former_partner", "victim_age": 38},
        ),
    ],
)
def test_phrasings_the_s12_walk_showed_are_read(text, expected):
    assert_reads(text, expected)


def test_a_clause_after_someone_elses_name_gives_no_age_to_the_victim_or_perpetrator():
    found = values(
        "Tanya, a woman aged 41, died at home. Her neighbour, Sam, who was then 30 and lived nearby, called the police."
    )
    assert (found["victim_age"], found["perpetrator_age"], found["relationship"]) == (41, None, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The victim was an 83-year-old man who had been a farmer all his working life.",
            {"victim_age": 83, "victim_sex": "male"},
        ),
        (
            "Mr W, a 68 year old man, was killed in the hallway of his flat by his nephew.",
            {"victim_age": 68, "victim_sex": "male", "relationship": "other_family", "death": "homicide"},
        ),
        (
            "An 81-year-old woman was found dead at the bungalow she shared with her grandson.",
            {"victim_age": 81, "victim_sex": "female"},
        ),
        (
            "The panel was set up after the killing of a 59 year old man in the spring of 2022.",
            {"victim_age": 59, "victim_sex": "male"},
        ),
    ],
)
def test_a_victim_introduced_as_a_man_or_woman_of_a_stated_age_gives_both(text, expected):
    assert_reads(text, expected)


def test_an_aged_man_who_was_arrested_is_no_victim():
    found = values("A 40-year-old man was arrested at the scene. Officers gave first aid to the woman.")
    assert found["victim_age"] is None and found["victim_sex"] is None


@pytest.mark.parametrize(
    "text",
    [
        "Over the course of an evening her boyfriend strangled her. In 2023 he was found guilty of her murder.",
        "Police believe Mr K strangled him in the early hours. Mr K later pleaded guilty to manslaughter.",
        "Her former partner strangled her and she died before paramedics could reach the house.",
    ],
)
def test_a_strangling_with_a_conviction_for_the_killing_or_a_death_told_with_it_is_a_homicide(text):
    assert values(text)["death"] == "homicide"


@pytest.mark.parametrize(
    "text",
    [
        "In 2017 her husband strangled her until she lost consciousness; she never reported it. "
        "She took her own life four years later.",
        "She told her GP that her partner strangled her and she died by suicide the next spring.",
        "He strangled her at the flat. He was convicted of attempted murder and released in 2020.",
    ],
)
def test_a_strangling_she_survived_is_no_homicide(text):
    assert values(text)["death"] != "homicide"


def test_a_relative_introduced_with_an_age_who_died_years_before_is_not_the_victim():
    found = values("Her father, Ron, a 77 year old man, died in 2009. In 2021 Ana was killed by her partner.")
    assert found["victim_age"] is None and found["victim_sex"] == "female"


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a news report: each person's full name and age in apposition, the surname used after
            "Lewis Harrow, 31, murdered nurse Dana Pike, 27, at the flat they had shared until March. "
            "Harrow was sentenced to life imprisonment last year.",
            {"victim_age": 27, "perpetrator_age": 31, "perpetrator_suicide": False, "death": "homicide"},
        ),
        (
            "Jade Morrow, 23, rang the police four times before she was murdered by Connor Tilby in her kitchen. "
            "Tilby, of Mill Lane, Derby, was jailed for life after he admitted the killing.",
            {"victim_age": 23, "perpetrator_sex": "male", "perpetrator_suicide": False, "death": "homicide"},
        ),
        (  # an adjective before the kinship word; a first name and surname after it
            "The mother-of-three was battered to death by her jealous ex-boyfriend Ryan Colby. "
            "Colby, 35, had attacked two earlier partners.",
            {
                "relationship": "former_partner",
                "perpetrator_sex": "male",
                "perpetrator_age": 35,
                "victim_sex": "female",
            },
        ),
        (
            "A woman was beaten to death by her abusive partner, a review has found.",
            {"relationship": "intimate_partner", "victim_sex": "female", "death": "homicide"},
        ),
        (
            "A man who stabbed his estranged wife to death had twice breached a court order.",
            {"relationship": "former_partner", "perpetrator_sex": "male", "victim_sex": "female", "death": "homicide"},
        ),
        (  # whose death the review is about, told by a possessive age
            "A review into the 44-year-old's death found that agencies did not share what they knew.",
            {"victim_age": 44},
        ),
        (  # a death by suicide: the name after the clause that tells it
            "Six weeks before she took her own life, Nadia Kerr, 38, told her GP that her partner controlled "
            "her money.",
            {"victim_age": 38, "victim_sex": "female", "death": "suicide"},
        ),
    ],
)
def test_a_news_reports_names_ages_and_descriptions_give_the_facts(text, expected):
    assert_reads(text, expected)


def test_a_pronoun_that_someone_harms_is_not_the_harmers():
    """ "she feared Rees might kill her": the one killed, not the one named, is "her"."""
    found = values(
        "Mrs Dale, 61, was stabbed by her husband. Years before, she told a nurse she feared Rees might kill her."
    )
    assert found["perpetrator_sex"] in (None, "male")


def test_a_victim_in_a_relationship_with_the_one_named_for_her_murder_is_his_partner():
    found = values(
        "Mia Cole was in a relationship with Owen Birch for nine years. In 2021 Birch was convicted of the murder of "
        "Mia Cole."
    )
    assert found["relationship"] == "intimate_partner"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Lena's husband strangled her at their home in 2022. He was convicted of her murder.",
            {"relationship": "intimate_partner", "perpetrator_sex": "male", "victim_sex": "female"},
        ),
        (
            "In May 2021 Tom's adult son stabbed him in the kitchen. The son was charged with murder.",
            {"relationship": "child_of_victim", "perpetrator_sex": "male", "victim_sex": "male"},
        ),
    ],
)
def test_a_named_persons_kin_who_harmed_them_is_the_perpetrator(text, expected):
    assert_reads(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Rosa was 58 and was stabbed by her partner, Gary, aged 60, in their kitchen.",
            {"victim_age": 58, "victim_sex": "female", "relationship": "intimate_partner", "perpetrator_age": 60},
        ),
        (
            "Megan was 31 years old and a mother of two when she was killed in her home in Eastby. Her former "
            "partner, Liam, then 34, was convicted of her murder.",
            {
                "victim_age": 31,
                "victim_sex": "female",
                "relationship": "former_partner",
                "perpetrator_age": 34,
                "death": "homicide",
                "perpetrator_suicide": False,
            },
        ),
        (
            "Maureen lived with her husband, Frank, in a flat in Northby. In March 2022 Frank stabbed Maureen in the "
            "kitchen; she died in hospital the next day. Frank, who was 77, was found dead in the garage that night, "
            "having taken his own life.",
            {
                "victim_sex": "female",
                "relationship": "intimate_partner",
                "perpetrator_sex": "male",
                "perpetrator_age": 77,
                "perpetrator_suicide": True,
                "death": "homicide",
            },
        ),
    ],
)
def test_the_s13_walks_ways_of_telling_ages_and_who_killed_whom(text, expected):
    assert_reads(text, expected)


def test_an_attack_the_victim_survived_names_no_one():
    found = values("In 2019 Frank hit Maureen at a party. She left him in 2020 and died of cancer in 2023.")
    assert found["death"] is None and found["relationship"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # an ethnicity before "man", a perpetrator named with forename and surname
            "Amir, a British Pakistani man aged 41, died at his home in May 2021. His wife, Sana Malik, aged 38, was "
            "convicted of his manslaughter.",
            {"victim_age": 41, "victim_sex": "male", "perpetrator_age": 38, "relationship": "intimate_partner"},
        ),
        (
            "Joanna, a white Polish woman aged 29, died in hospital after a fire at her flat. Her former partner, "
            "Tomasz Nowak, aged 33, was convicted of her murder.",
            {"victim_age": 29, "victim_sex": "female", "perpetrator_age": 33, "relationship": "former_partner"},
        ),
        (  # an age before the description, a religion and "retired"; a perpetrator named by title and initials
            "Ruth, a 67-year-old retired Jewish woman, was killed at her home in 2020. Her son, Mr D B, aged 40, "
            "pleaded guilty to her manslaughter.",
            {"victim_age": 67, "victim_sex": "female", "perpetrator_age": 40, "relationship": "child_of_victim"},
        ),
        (  # disability and time of life; a pseudonym in quotes
            "Kelly, a young disabled woman aged 22, died at home. Her partner, 'Jay', aged 25, was charged with her "
            "murder.",
            {"victim_age": 22, "victim_sex": "female", "perpetrator_age": 25, "relationship": "intimate_partner"},
        ),
        (  # heritage after the noun
            "Ravi, a man of Indian heritage aged 52, died after an assault at his home. His brother-in-law, Sunil "
            "Shah, was convicted of his murder.",
            {"victim_age": 52, "victim_sex": "male", "perpetrator_sex": "male", "relationship": "other_family"},
        ),
        (  # a full name before the kinship word, the age after it
            "Sian was killed by Gareth Price, her former partner, then aged 44.",
            {"victim_sex": "female", "perpetrator_age": 44, "relationship": "former_partner"},
        ),
        (
            "A 45-year-old Somali woman was killed at her home in 2020.",
            {"victim_age": 45, "victim_sex": "female", "death": "homicide"},
        ),
        (  # heritage after an age and the noun; the age before the perpetrator's full name
            "Aisha, a 28-year-old woman of Somali heritage, was killed at her flat. Her former husband, 33-year-old "
            "Omar Hassan, was convicted of her murder.",
            {"victim_age": 28, "victim_sex": "female", "perpetrator_age": 33, "relationship": "former_partner"},
        ),
        (  # a title and surname the couple share, a bare age after it
            "Mrs Jones, a white British woman aged 70, died at home. Her husband, Mr Jones, 72, was charged with her "
            "murder.",
            {"victim_age": 70, "victim_sex": "female", "perpetrator_age": 72, "relationship": "intimate_partner"},
        ),
        (  # a pseudonym in quotes, the age after the noun; an age in brackets after a full name
            "'Marcus', a Black British man aged 36, died in hospital. His former partner, Jade Owens (29), was "
            "convicted of his manslaughter.",
            {"victim_age": 36, "victim_sex": "male", "perpetrator_age": 29, "relationship": "former_partner"},
        ),
    ],
)
def test_descriptions_before_man_or_woman_and_full_names_give_the_facts(text, expected):
    assert_reads(text, expected)


def test_a_full_named_partner_of_unstated_sex_leaves_the_perpetrators_sex_empty():
    found = values(
        "Daniel, a Black British man aged 34, died in hospital. His former partner, Alex Moore, aged 31, was "
        "convicted of his manslaughter."
    )
    assert (found["victim_sex"], found["perpetrator_age"], found["relationship"]) == ("male", 31, "former_partner")
    assert found["perpetrator_sex"] is None


@pytest.mark.parametrize(
    "kin, sex",
    [
        ("former boyfriend", "male"),
        ("ex-boyfriend", "male"),
        ("former girlfriend", "female"),
        ("ex-girlfriend", "female"),
        ("former fiancé", "male"),
        ("ex-fiancée", "female"),
        ("estranged husband", "male"),
        ("estranged wife", "female"),
        ("ex-partner", None),
    ],
)
def test_a_former_partner_of_any_kind_is_read_as_former_partner_never_as_a_partner(kin, sex):
    """The s14 walk: "killed by her former boyfriend" gave no relationship, nor "former girlfriend", "former fiancé"."""
    found = values(f"Lena, aged 34, was killed by her {kin} in 2021. The perpetrator was convicted of her murder.")
    assert (found["relationship"], found["perpetrator_sex"], found["victim_sex"]) == ("former_partner", sex, "female")


@pytest.mark.parametrize(
    "masthead",
    [
        "Northvale Community Safety Partnership\n[logo]  NORTHVALE COMMUNITY SAFETY PARTNERSHIP",
        "NORTHVALE SAFER COMMUNITIES PARTNERSHIP: DOMESTIC HOMICIDE REVIEW",
        "[crest]",
    ],
)
def test_the_evidence_is_the_sentence_not_the_masthead_and_headings_a_pdf_runs_into_it(masthead):
    """The s14 walk: a PDF's first page gives its masthead, title, the pseudonym in quotes and a heading in sentence
    case each on a line of its own, no full stop anywhere, so the first sentence's evidence began with the logo's
    words ("[crest] HARBOURNE SAFER COMMUNITIES PARTNERSHIP Domestic Homicide Review ...")."""
    text = (
        f"{masthead}\nDomestic Homicide Review\nExecutive Summary\n'Ruth'\nThe review\nRuth was 58 years old when "
        "she was \nkilled at her home in March 2021. Her husband, Alan, was convicted of her murder.\n"
    )
    found = read_facts(text)
    assert found["victim_age"].value == 58
    assert found["victim_age"].sentence == "Ruth was 58 years old when she was killed at her home in March 2021."
    assert found["death"].sentence.startswith("Ruth was 58") or found["death"].sentence.startswith("Her husband")


def test_a_line_a_pdf_wrapped_is_no_heading():
    """Only a line of its own before a capital is a heading: "Mary" / "was the wife of" stays one sentence."""
    found = read_facts("The review\nMary\nwas killed by her husband, Alan, in 2020. She was 64.\n")
    assert found["relationship"].sentence.startswith("Mary was killed by her husband")
