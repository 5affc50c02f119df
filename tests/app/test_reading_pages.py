"""The pages that show what the library read out of its reports (#22), through AppTest on the demo."""

import pytest


@pytest.mark.parametrize("user", ["coordinator", "partner", "board", "agency.lead"])
def test_national_recommendations_page_renders_for_every_learning_role(app, user):
    at = app(user, "pages/national.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "National recommendations"


def _document(app, name: str):
    """The Library page as the coordinator, with the demo document ``name`` open."""
    at = app("coordinator", "pages/library.py")
    choice = next(s for s in at.selectbox if s.label.startswith("Open a document"))
    choice.select_index(next(i for i, o in enumerate(choice.options) if name in o)).run()
    assert not at.exception, at.exception
    return at


def _fact(at, label: str):
    """The row of the document's facts table for one fact."""
    facts = next(d.value for d in at.dataframe if "Fact" in d.value.columns)
    return facts[facts["Fact"] == label].iloc[0]


def _save_fact(at, field: str, enter) -> None:
    """Pick the fact to confirm or correct, give its value with ``enter``, save it."""
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Fact")).select(field).run()
    enter(at)
    next(b for b in at.button if b.label == "Save the fact").click().run()
    assert not at.exception and not at.error


def test_a_library_document_shows_its_facts_with_their_sentences_and_the_coordinator_corrects_one(app):
    at = _document(app, "learning-brief-coercive-control.docx")
    relationship = _fact(at, "Perpetrator's relationship to the victim")
    assert relationship["Value"] == "Partner" and relationship["Read from"] != "—"
    _save_fact(
        at, "victim_age", lambda at: next(t for t in at.text_input if t.label.startswith("Value (whole")).input("44")
    )
    age = _fact(at, "Victim's age")
    assert age["Value"] == "44" and age["Checked"] == "by coordinator"


def test_children_in_the_household_is_shown_with_its_sentence_and_the_coordinator_corrects_it(app):
    at = _document(app, "executive-summary-children.pdf")
    children = _fact(at, "Children in the household")
    assert children["Value"] == "Yes" and "children aged 7 and 11" in children["Read from"]
    _save_fact(at, "children_in_household", lambda at: next(s for s in at.selectbox if s.label == "Value").select("no"))
    children = _fact(at, "Children in the household")
    assert children["Value"] == "No" and children["Checked"] == "by coordinator"


def test_a_reports_recommendations_to_add_draw_a_dash_where_no_agency_is_matched(tmp_path, embedder, monkeypatch):
    """The review page's "add a report's recommendations to the action plan": an addressee the workspace
    does not list leaves the agency empty, which the editable table drew as the word "None"."""
    from streamlit.testing.v1 import AppTest

    from core import accounts, workspace
    from core.schema import open_store
    from core.settings import database_path
    from indexing.library import Library
    from reviews import register
    from reviews.rules import install_bundled_rule_sets
    from tests.app.conftest import APP, TIMEOUT
    from tests.app.test_tables import PAGE_PX, in_view
    from tests.conftest import ROOT, TODAY

    store = open_store(database_path(tmp_path))
    install_bundled_rule_sets(store)
    me = accounts.create_first_coordinator(store, username="coord", password="Tallow-Harbour-Quince-81")
    workspace.save(store, me, partnership="Northvale CSP")
    register.create_review(
        store, me, reference="DHR-2021-03", pseudonym="Bea", notification_date="2021-06-01", today=TODAY
    )
    real = (
        ROOT.parent / "shared" / "corpus" / "dhr" / "12_gloucestershire-2021death-suicide-accountabilityindex-recs.txt"
    )
    Library(store, embedder).ingest(
        real.read_bytes(), real.name, viewer=me, kind="overview report", access="public", review="DHR-2021-03"
    )
    store.close()
    monkeypatch.setenv("DHR_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["viewer"] = me
    at.query_params["ref"] = "DHR-2021-03"
    at.run()
    at.switch_page("pages/review.py").run()
    assert not at.exception, at.exception
    editor = next(t for t in at.dataframe if "Read as addressed to" in t.value.columns)
    assert not editor.value["Agencies"].map(len).all()  # an addressee no workspace agency matches
    assert editor.proto.placeholder == "—"
    needed = ["Add", "No.", "Recommendation", "Scope", "Agencies", "Read as addressed to", "From"]
    assert in_view(editor.proto, needed, budget=PAGE_PX) == []


def test_with_no_national_recommendation_there_is_nothing_to_download(tmp_path, monkeypatch):
    """A fresh workspace (nothing read yet) says so, and offers no empty CSV or Word file to send on."""
    from core import accounts
    from core.schema import open_store
    from core.settings import database_path
    from tests.app.conftest import open_signed_in

    store = open_store(database_path(tmp_path))
    coordinator = accounts.create_first_coordinator(store, username="coord", password="a-long-enough-password-x")
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/national.py")
    assert not at.exception, at.exception
    assert any("No recommendation you can read" in c.value for c in at.caption)
    assert not at.get("download_button")


@pytest.mark.parametrize("user", ["partner", "board"])
def test_a_board_member_is_told_that_reports_shared_with_partners_only_are_left_out(app, user):
    """The s15 walk: a board member's page listed this partnership's national recommendations and said nothing of
    the reports it left out (board members and partners see those of public documents only); only the coordinator
    was told. The demo's board member and partner may read 4 partners-level reports with recommendations."""
    at = app(user, "pages/national.py")
    assert not at.exception, at.exception
    assert at.get("download_button")  # the page lists recommendations: the note is not the empty state's
    assert any("4 report(s) you can read are shared with partners only" in c.value for c in at.caption)


@pytest.mark.parametrize("user", ["partner", "board"])
def test_the_demo_asks_national_bodies_and_offers_both_files_to_send_on(app, demo_dir, user):
    """The demo had no recommendation to a national body, so its page showed only the empty state. Its
    published review DHR-2024-09's executive summary now asks the Department for Work and Pensions and the Home
    Office; partners and board members read it (it is public), and the CSV and Word files carry both."""
    import csv
    import io

    import docx

    from core import accounts, workspace
    from core.schema import open_store
    from core.settings import database_path
    from exports.national import national_recommendations_docx
    from indexing.library import Library
    from recommendations import national

    at = app(user, "pages/national.py")
    assert not at.exception, at.exception
    assert {
        "Department for Work and Pensions · 1 review of this partnership",
        "Home Office · 1 review of this partnership",
    } <= {h.value for h in at.subheader}
    assert [b.proto.label for b in at.get("download_button")] == ["Download as CSV", "Download as Word"]

    store = open_store(database_path(demo_dir))
    bodies = national.national_recommendations(store, accounts.get_viewer(store, user), Library(store).embedder)
    rows = list(csv.DictReader(io.StringIO(national.as_csv(bodies).decode("utf-8-sig"))))
    # partners and board members may read the published review's action plan, so its reference names the
    # summary's recommendations (as recurring lessons do), not the summary's title
    summary = "DHR-2024-09"
    assert {(r["Body"], r["No."], r["Review or report"]) for r in rows} == {
        ("Department for Work and Pensions", "4", summary),
        ("Home Office", "5", summary),
    }
    word = docx.Document(io.BytesIO(national_recommendations_docx(bodies, branding=workspace.load(store.read()))))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for row in t.rows for c in row.cells
    )
    assert "Jobcentre Plus staff" in text and "The Home Office to amend the statutory guidance" in text
    assert word.paragraphs[1].text.startswith("Northvale Community Safety Partnership (fictional) · ")
    store.close()
