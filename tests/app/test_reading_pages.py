"""The pages that show what the library read out of its reports (#22), through AppTest on the demo."""

import pytest


@pytest.mark.parametrize("user", ["coordinator", "partner", "board", "agency.lead"])
def test_national_recommendations_page_renders_for_every_learning_role(app, user):
    at = app(user, "pages/national.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "National recommendations"


def test_a_library_document_shows_its_facts_with_their_sentences_and_the_coordinator_corrects_one(app):
    at = app("coordinator", "pages/library.py")
    choice = next(s for s in at.selectbox if s.label.startswith("Open a document"))
    index = next(i for i, o in enumerate(choice.options) if "learning-brief-coercive-control.docx" in o)
    choice.select_index(index).run()
    assert not at.exception, at.exception
    facts = next(d.value for d in at.dataframe if "Fact" in d.value.columns)
    relationship = facts[facts["Fact"] == "Perpetrator's relationship to the victim"].iloc[0]
    assert relationship["Value"] == "Partner" and relationship["Read from"] != "—"
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Fact")).select("victim_age").run()
    next(t for t in at.text_input if t.label.startswith("Value (whole years")).input("44")
    next(b for b in at.button if b.label == "Save the fact").click().run()
    assert not at.exception and not at.error
    facts = next(d.value for d in at.dataframe if "Fact" in d.value.columns)
    age = facts[facts["Fact"] == "Victim's age"].iloc[0]
    assert age["Value"] == "44" and age["Checked"] == "by coordinator"


def test_children_in_the_household_is_shown_with_its_sentence_and_the_coordinator_corrects_it(app):
    at = app("coordinator", "pages/library.py")
    choice = next(s for s in at.selectbox if s.label.startswith("Open a document"))
    index = next(i for i, o in enumerate(choice.options) if "executive-summary-children.pdf" in o)
    choice.select_index(index).run()
    assert not at.exception, at.exception
    facts = next(d.value for d in at.dataframe if "Fact" in d.value.columns)
    children = facts[facts["Fact"] == "Children in the household"].iloc[0]
    assert children["Value"] == "Yes" and "children aged 7 and 11" in children["Read from"]
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Fact")).select("children_in_household").run()
    next(s for s in at.selectbox if s.label == "Value").select("no")
    next(b for b in at.button if b.label == "Save the fact").click().run()
    assert not at.exception and not at.error
    facts = next(d.value for d in at.dataframe if "Fact" in d.value.columns)
    children = facts[facts["Fact"] == "Children in the household"].iloc[0]
    assert children["Value"] == "No" and children["Checked"] == "by coordinator"
