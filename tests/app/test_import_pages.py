"""The two import pages on a fresh workspace (not the shared demo): the mapping step is always shown, with
the file's own headings and values, and a finished import leaves nothing to press again (#21, 1 and 6)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core import accounts, workspace
from core.schema import open_store
from core.settings import database_path
from reviews import register
from reviews.rules import install_bundled_rule_sets
from tests.app.conftest import APP, TIMEOUT
from tests.conftest import COORD
from tests.council_files import council_tracker, xlsx


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A workspace with its partnership named, one coordinator and one review; the app opened on a page
    with a file already chosen (as the uploader leaves it)."""
    store = open_store(database_path(tmp_path))
    install_bundled_rule_sets(store)
    workspace.save(store, COORD, partnership="Northvale Community Safety Partnership")
    accounts.add_user(store, COORD, username="sam", password="lantern meadow copper", role="coordinator")
    register.create_review(store, COORD, reference="DHR-2026-01", pseudonym="Ivy", notification_date=date(2026, 1, 5))
    viewer = accounts.get_viewer(store, "sam")
    store.close()
    monkeypatch.setenv("DHR_DATA_DIR", str(tmp_path))

    def open_page(page: str, key: str, file: tuple[str, bytes]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["viewer"] = viewer
        at.session_state["plan_review"] = "DHR-2026-01"
        at.run()
        at.switch_page(page)
        at.session_state[key] = file
        return at.run()

    return open_page


def test_a_plan_with_headings_nobody_proposed_shows_the_mapping_with_its_values(fresh):
    data = xlsx([["Theme", "Plan", "Who"], ["Training", "Train GPs", "Police"], ["Risk", "Audit", "Housing"]])
    at = fresh("pages/import_plan.py", "plan_file", ("plan.xlsx", data))
    assert not at.exception and not at.error
    assert [s.label for s in at.selectbox][1:] == ["“Theme” is", "“Plan” is", "“Who” is"]
    assert "e.g. Train GPs · Audit" in [c.value for c in at.caption]
    assert at.warning[0].value.startswith("Choose above the column that holds the Action")
    at.selectbox[1].select("recommendation")
    at.selectbox[2].select("action")
    at.selectbox[3].select("owner_agency").run()
    assert any(s.value == "2 row(s) ready to import into DHR-2026-01." for s in at.success)


def test_a_plan_with_a_band_over_headings_of_one_name_maps_each_column_once(fresh):
    """The s15 walk's plan: a band of merged cells over the headings ("Recommendation" over two columns) crashed
    the page with a duplicate widget key; two headings of one name ("Date") are each a column of their own."""
    band = ["Recommendation", None, "Action", None, "Dates", None, "Progress"]
    headings = ["No.", "Recommendation", "Action", "Lead agency", "Date", "Date", "Progress"]
    data = xlsx(
        [band, headings, ["1", "Train GPs", "Refresher", "Police", "31/03/2024", "12/04/2024", "Done"]],
        merged=("A1:B1", "C1:D1", "E1:F1"),
    )
    at = fresh("pages/import_plan.py", "plan_file", ("plan.xlsx", data))
    assert not at.exception and not at.error
    labels = [s.label for s in at.selectbox][1:]
    assert labels == [f"“{h}” is" for h in headings[:5]] + ["“Date (column F)” is", "“Progress” is"]
    at.selectbox[6].select("completed_on").run()
    assert not at.exception
    assert any(s.value == "1 row(s) ready to import into DHR-2026-01." for s in at.success)


def test_a_finished_import_says_what_it_wrote_and_leaves_no_import_button(fresh):
    at = fresh("pages/import_register.py", "register_file", ("tracker.xlsx", council_tracker()))
    assert not at.exception
    assert any(s.value == "5 review(s) ready to import." for s in at.success)
    next(b for b in at.button if b.label == "3. Import all rows").click().run()
    assert not at.exception
    said = [s.value for s in at.success]
    assert said[0].startswith("Imported 5 review(s): DHR-2022-01, DHR-2022-02")
    assert not [b for b in at.button if "Import all rows" in b.label]
    assert not any("ready to import" in s for s in said) and not at.dataframe


def test_each_columns_choice_reads_whole_at_1000_px(fresh):
    """A council's tracker maps "Decision Date" and "Sent to HO" to stage dates. Each column's select is one
    to a row, the page's width, wide enough in a 1000 px window (540 px of page beside the sidebar) for the
    longest choice it offers, "Stage date – Agency returns received (IMRs, chronologies)": 7 px a character
    and 40 px for the select's arrow and padding (tests/e2e/test_screens.py measures it in Chromium)."""
    header = ["Case Ref", "Name (pseudonym)", "Notification to CSP", "Panel decision", "Decision Date", "Sent to HO"]
    data = xlsx([header, ["BAR/DHR/24/02", "Zoë", "12/03/2024", "Agreed", "2nd April 2024", "TBC"]])
    at = fresh("pages/import_register.py", "register_file", ("tracker.xlsx", data))
    assert not at.exception
    mapping = [s for s in at.selectbox if s.label.startswith("“")]
    assert mapping[-1].label == "“Sent to HO” is"
    assert mapping[-1].format_func(mapping[-1].value) == "Stage date – Submitted to the Home Office QA panel"
    on_the_page = [node for node in at.main.children.values() if getattr(node, "type", None) == "selectbox"]
    assert [s.label for s in on_the_page] == [s.label for s in mapping]  # none in a row of columns
    choices = list(mapping[0].options)  # as the list shows them
    assert all(7 * len(text) + 40 <= 540 for text in choices), max(choices, key=len)


@pytest.mark.parametrize(
    "page, key", [("pages/import_plan.py", "plan_file"), ("pages/import_register.py", "register_file")]
)
def test_a_file_that_cannot_be_read_says_so_and_offers_nothing_to_map(fresh, page, key):
    at = fresh(page, key, ("plan.xlsx", b"not a workbook"))
    assert not at.exception
    assert at.error and at.error[0].value.startswith("This file cannot be read: ")
    assert not [s for s in at.subheader if s.value.startswith("1. Map the columns")]


def test_a_trust_is_offered_the_listed_trusts_and_agencies_chosen_once_are_not_asked_for_again(fresh):
    data = xlsx(
        [
            ["No.", "Recommendation", "Action", "Lead Agency", "Target Date"],
            ["2", "Speak to victims alone", "Briefing for officers", "Ashcombe Police", "March 2026"],
            ["3", "Routine enquiry in ED", "Triage prompt", "Ashcombe and Lowfield NHS FT", "30/06/2026"],
        ]
    )
    at = fresh("pages/import_plan.py", "plan_file", ("plan.xlsx", data))
    assert not at.exception
    asked = {s.label: s for s in at.selectbox if s.label.endswith("” is") and "“Ashcombe" in s.label}
    trust = asked["“Ashcombe and Lowfield NHS FT” is"]
    assert trust.options[:2] == ["Acute Hospital Trust", "Mental Health Trust"]
    assert trust.value is None and trust.placeholder.endswith("Acute Hospital Trust or Mental Health Trust)")
    asked["“Ashcombe Police” is"].select("Police")
    trust.select("Acute Hospital Trust").run()
    next(b for b in at.button if "Import all rows" in b.label).click().run()
    assert not at.exception and at.success[0].value.startswith("Imported")
    again = fresh("pages/import_plan.py", "plan_file", ("plan.xlsx", data))
    assert not again.exception
    assert not [s for s in again.selectbox if "“Ashcombe" in s.label]  # remembered for the workspace
