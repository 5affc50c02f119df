"""Every page, as every role that can reach it, through Streamlit's AppTest."""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.schema import open_store
from core.settings import database_path
from tests.app.conftest import APP, TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
CASE_PAGES = ["pages/dashboard.py", "pages/register.py", "pages/review.py"]


def texts(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.caption]
    parts += [e.value for e in at.subheader] + [str(e.value) for e in at.info] + [str(e.value) for e in at.warning]
    return "\n".join(str(p) for p in parts)


def test_signed_out_shows_sign_in_with_demo_accounts(app):
    at = app()
    assert not at.exception
    assert "DHR Learning Repository" in texts(at)
    assert "demo-password-2026" in texts(at)
    assert [b.label for b in at.button] == ["Sign in"]
    assert {"coordinator", "chair", "partner"} <= {row for row in at.table[0].value["User name"]}


def test_sign_in_with_wrong_password_shows_error(app):
    at = app()
    at.text_input[0].input("coordinator")
    at.text_input[1].input("wrong")
    at.button[0].click().run()
    assert at.error and "wrong password" in at.error[0].value
    assert "viewer" not in at.session_state


def test_sign_in_as_coordinator(app):
    at = app()
    at.text_input[0].input("coordinator")
    at.text_input[1].input("demo-password-2026")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.session_state["viewer"].role == "coordinator"
    # what the signed-in person then sees is checked in the browser tests (tests/e2e)


@pytest.mark.parametrize("user", ["coordinator", "chair"])
@pytest.mark.parametrize("page", CASE_PAGES + ["pages/account.py"])
def test_case_pages_render_for_case_roles(app, user, page):
    at = app(user, page)
    assert not at.exception, at.exception


def test_dashboard_lists_overdue_deadlines_most_urgent_first(app):
    at = app("coordinator")
    table = at.dataframe[0].value
    late = [when.endswith("late") for when in table["When"]]
    assert late[:3] == [True, True, True] and late == sorted(late, reverse=True)  # every late item first
    assert "DHR-2026-07" in set(table["Review"])
    assert {"Deadline", "QA area for development", "Action"} <= set(table["What"])


def test_chair_sees_only_their_reviews_in_the_register(app):
    at = app("chair", "pages/register.py")
    references = set(at.dataframe[0].value["Reference"])
    assert references == {"DHR-2025-11", "DHR-2026-02", "DHR-2025-04"}


def test_register_filters_by_stage(app):
    at = app("coordinator", "pages/register.py")
    at.multiselect[0].select("monitoring").run()
    assert list(at.dataframe[0].value["Reference"]) == ["DHR-2024-09"]


def test_review_page_shows_paused_deadline_and_rule_basis(app):
    at = app("coordinator", "pages/review.py", query={"ref": "DHR-2025-11"})
    assert not at.exception
    page_text = texts(at)
    assert "DHR-2025-11 · Rose" in page_text
    assert "Paused since" in page_text
    assert "basis: **statutory**" in page_text and "basis: **local**" in page_text


def test_coordinator_completes_a_stage_from_the_review_page(app, demo_dir):
    at = app("coordinator", "pages/review.py", query={"ref": "DHR-2026-02"})
    button = next(b for b in at.button if b.label.startswith("Complete stage"))
    assert "Agency returns received" in button.label
    button.click().run()
    assert not at.exception
    assert "Agency returns received (IMRs, chronologies) recorded." in [s.value for s in at.success]


def test_form_errors_say_what_to_fix(app):
    at = app("coordinator", "pages/new_review.py")
    at.text_input[0].input("not a reference")
    next(b for b in at.button if b.label == "Register").click().run()
    assert at.error and "Reference" in at.error[0].value and "Nothing was saved" in at.error[0].value


def test_administration_lists_accounts_without_hashes(app):
    at = app("coordinator", "pages/administration.py")
    assert not at.exception
    users = at.dataframe[0].value
    assert "password_hash" not in users.columns and "coordinator" in set(users["User name"])


@pytest.mark.parametrize(
    "user, home", [("agency.lead", "Actions"), ("partner", "Partnership overview"), ("board", "Partnership overview")]
)
def test_other_roles_get_their_home_page_and_no_case_records(app, user, home):
    at = app(user)
    assert not at.exception
    page_text = texts(at)
    assert home in page_text
    for secret in ("DHR-2025-11", "Rose", "Margaret Olsen", "Maya"):
        assert secret not in page_text
    for page in CASE_PAGES + ["pages/new_review.py", "pages/administration.py"]:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page).run()


@pytest.mark.parametrize("user", ["agency.lead", "partner", "board"])
def test_other_roles_have_their_account_page(app, user):
    at = app(user, "pages/account.py")
    assert not at.exception and "My account" in texts(at)


@pytest.mark.parametrize("user", ["agency.lead", "partner", "board"])
def test_other_roles_reaching_a_review_address_see_no_case_record(app, user):
    at = app(user, query={"ref": "DHR-2025-11"})
    assert not at.exception and "Rose" not in texts(at) and "Margaret Olsen" not in texts(at)


def test_signing_in_and_every_page_leave_the_torch_model_unloaded():
    """Sign in (which starts loading what a search needs) and open every page of a coordinator and of a board
    member in a fresh interpreter, on a workspace built beforehand (as after the demo's first start): torch is
    not imported; a search then scores with torch, but never loads the passage encoder (sentence-transformers:
    seconds and hundreds of MB), which only ingesting needs."""
    workspace = tempfile.mkdtemp()
    setup = (
        "from core.schema import open_store; from core.settings import database_path;"
        "from demo import build_demo_workspace; from demo.library import build_demo_library;"
        "store = open_store(database_path()); build_demo_workspace(store); build_demo_library(store)"
    )
    env = os.environ | {"DHR_DATA_DIR": workspace}
    built = subprocess.run(
        [sys.executable, "-c", setup], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert built.returncode == 0, built.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "-c", SIGN_IN_AND_OPEN_EVERY_PAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "PAGES LOADED []" in result.stdout and "SEARCH LOADED ['torch']" in result.stdout, result.stdout


SIGN_IN_AND_OPEN_EVERY_PAGE = """
import importlib.util
import sys
import threading
from pathlib import Path
from streamlit.testing.v1 import AppTest
assert importlib.util.find_spec("torch") is not None, "torch must be installed for this check to mean anything"
heavy = ("torch", "sentence_transformers", "transformers")
searches = []
everything_but_the_partnership_overview = sorted(str(p) for p in Path("pages").glob("*.py") if p.stem != "overview")
board_pages = ["pages/overview.py", "pages/figures.py", "pages/themes.py", "pages/national.py", "pages/account.py"]
for user, pages in [("coordinator", everything_but_the_partnership_overview), ("board", board_pages)]:
    at = AppTest.from_file("app.py", default_timeout=120)
    at.run()
    at.text_input[0].input(user)
    at.text_input[1].input("demo-password-2026")
    at.button[0].click().run()
    assert not at.exception and "viewer" in at.session_state, at.exception
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    for loading in [t for t in threading.enumerate() if t.name.startswith("load-")]:
        loading.join()
    searches.append(at)
print("PAGES LOADED", sorted(m for m in heavy if m in sys.modules))
for at in searches:
    at.switch_page("pages/search.py").run()
    at.text_input[0].input("GPs missing coercive control")
    next(b for b in at.button if b.label == "Search").click().run()
    assert not at.exception, at.exception
print("SEARCH LOADED", sorted(m for m in heavy if m in sys.modules))
"""


@pytest.mark.parametrize("user", ["coordinator", "chair", "partner", "board", "agency.lead"])
def test_search_page_finds_lessons_for_every_role(app, user):
    at = app(user, "pages/search.py")
    assert not at.exception
    at.text_input[0].input("GPs missing coercive control")
    next(b for b in at.button if b.label == "Search").click().run()
    assert not at.exception, at.exception
    page_text = texts(at)
    assert "Results for" in page_text and "Learning brief: GPs and health services missing the signs" in page_text
    assert "Home Office QA panel letter" not in page_text or user in ("coordinator", "chair")


def test_search_page_never_shows_a_partner_the_confidential_qa_letter(app):
    at = app("partner", "pages/search.py")
    for query in ("QA panel areas for development", "resubmit the report", "DHR-2025-04"):
        at.text_input[0].input(query)
        next(b for b in at.button if b.label == "Search").click().run()
        assert "Home Office QA panel letter" not in texts(at)


def test_library_page_lists_documents_in_words(app):
    at = app("coordinator", "pages/library.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Title", "Kind", "Access", "Review", "Year", "File", "Passages"]  # all indexed
    assert len(table) >= 12 and (table["Passages"] > 0).all()
    assert {"docx", "pdf", "md", "html", "txt"} <= {name.rsplit(".", 1)[1] for name in table["File"]}


def test_agency_lead_sees_and_updates_only_their_agencys_actions(app):
    at = app("agency.lead", "pages/actions.py")
    assert not at.exception
    table = at.dataframe[0].value
    table = table.data if hasattr(table, "data") else table
    assert set(table["Owner agency"]) == {"Police"}
    chooser = next(s for s in at.selectbox if s.label == "Action")
    assert len(chooser.options) == len(table) == 2
    stalking = next(o for o in chooser.options if "Stalking screening" in o)
    assert "Green" in stalking
    chooser.select_index(chooser.options.index(stalking)).run()
    next(s for s in at.selectbox if s.label == "New status").select("blocked")
    at.text_area[0].input("Control room training paused")
    at.text_area[1].input("Email from the training unit")
    next(b for b in at.button if b.label == "Save progress").click().run()
    assert not at.exception and "Progress saved." in [s.value for s in at.success]
    table = at.dataframe[0].value
    row = (
        (table.data if hasattr(table, "data") else table)
        .set_index("Action")
        .loc["Stalking screening questions for call handlers"]
    )
    assert row["RAG"] == "Amber" and row["Status"] == "Blocked"


@pytest.mark.parametrize("user", ["coordinator", "chair", "agency.lead", "partner", "board"])
def test_figures_page_for_every_role(app, user):
    at = app(user, "pages/figures.py")
    assert not at.exception
    assert "Board figures" in texts(at) and "Rose" not in texts(at)


def test_import_page_asks_for_the_review_instead_of_guessing_one(app):
    at = app("coordinator", "pages/import_plan.py")
    assert not at.exception and at.selectbox[0].value is None
    assert any("Choose the review the plan belongs to" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Load the fictional example plan"]  # nothing to load it into


def test_import_page_loads_the_demo_plan_and_previews_it(app):
    at = app("coordinator", "pages/import_plan.py")
    at.selectbox[0].select("DHR-2026-02").run()
    next(b for b in at.button if b.label == "Load the fictional example plan").click().run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert list(preview["Row"]) == [5, 6, 8, 9]
    assert "kept as text" in " ".join(preview["Notes"])
    assert any("ready to import" in s.value for s in at.success)


def test_review_page_shows_the_qa_gate(app):
    at = app("coordinator", "pages/review.py", query={"ref": "DHR-2025-04"})
    assert not at.exception
    assert any("Cannot be published yet" in w.value for w in at.warning)
    assert "Recommendation 1" in texts(at)


def test_an_empty_workspace_started_without_the_demo_setting_offers_only_the_first_coordinator(tmp_path, monkeypatch):
    monkeypatch.setenv("DHR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DHR_DEMO", raising=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "Set up this workspace" in texts(at) and "demo-password-2026" not in texts(at)
    store = open_store(database_path(tmp_path))
    assert store.read()["users"].count == 0 and store.read()["reviews"].count == 0


@pytest.mark.parametrize(
    "user, page",
    [
        ("coordinator", "pages/dashboard.py"),
        ("coordinator", "pages/actions.py"),
        ("coordinator", "pages/figures.py"),
        ("partner", "pages/overview.py"),
    ],
)
def test_count_charts_have_whole_number_axes(app, user, page):
    at = app(user, page)
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    counted = [  # every count drawn along an axis
        layer["encoding"][position]
        for spec in specs
        for layer in [spec, *spec.get("layer", [])]
        for position in ("x", "y")
        if layer.get("encoding", {}).get(position, {}).get("type") == "quantitative"
    ]
    assert counted and all(
        channel.get("axis", {}).get("format") == "d" and channel["axis"].get("tickMinStep") == 1 for channel in counted
    ), counted


def test_a_chair_opening_another_chair_s_review_is_told_why_and_shown_nothing_else(app):
    at = app("chair", "pages/review.py", query={"ref": "DHR-2024-09"})
    assert not at.exception
    assert any("DHR-2024-09 is not a review you can open" in w.value for w in at.warning)
    assert at.selectbox[0].value is None  # never silently another review
    assert not [t for t in at.title if "DHR-" in t.value]


def test_a_partner_opening_a_case_link_is_told_why(app):
    at = app("partner", query={"ref": "DHR-2025-11"})
    assert not at.exception
    assert any("That link is to a review's case records" in w.value for w in at.warning)
    assert "DHR-2025-11" not in texts(at)


def test_register_shows_chairs_by_name_and_finds_them_by_name(app):
    at = app("coordinator", "pages/register.py")
    assert "Dr Morgan Ellis" in set(at.dataframe[0].value["Chair"]) and "chair" not in set(
        at.dataframe[0].value["Chair"]
    )
    at.text_input[0].input("Priya").run()
    assert list(at.dataframe[0].value["Reference"]) == ["DHR-2024-09"]  # chaired by Priya Castell


@pytest.mark.parametrize("page", ["pages/actions.py", "pages/figures.py"])
def test_tables_show_no_raw_field_names(app, page):
    at = app("coordinator", page)
    for table in at.dataframe:
        columns = [str(c) for c in table.value.columns]
        assert not [c for c in columns if "_" in c or c == "None" or re.fullmatch(r"[a-z]+", c)], columns


def test_review_header_says_the_next_deadline_and_days_left(app):
    at = app("coordinator", "pages/review.py", query={"ref": "DHR-2026-02"})
    assert not at.exception
    header = [m.value for m in at.markdown if m.value.startswith("**Next deadline:**")]
    assert header and ("day(s)" in header[0] or "due today" in header[0]), header
