"""Tables at 1400 px (issue #21 item 8): the columns a person needs are in view, and a missing value
reads "—", never "None". Widths are read from what the page sends the browser (AppTest)."""

import json

import pytest

# the main column's width in a 1400 px window with the sidebar open, as Chromium draws it
PAGE_PX = 940
ROW_SELECTOR_PX = 30  # the register's row-selection column


def in_view(proto, needed: list[str], *, budget: int) -> list[str]:
    """The needed columns that would end beyond ``budget`` px, given the widths the page set."""
    config = json.loads(proto.columns)
    order = list(proto.column_order) or [c for c in config if not c.startswith("_")]
    beyond, edge = [], 0
    for column in order:
        width = config.get(column, {}).get("width")
        assert isinstance(width, int), f"{column}: no width set"
        edge += width
        if column in needed and edge > budget:
            beyond.append(column)
    assert set(needed) <= set(order), f"{set(needed) - set(order)} not shown"
    return beyond


@pytest.mark.parametrize(
    "page, index, needed, budget",
    [
        ("pages/register.py", 0, ["Reference", "Stage", "Chair", "Next deadline", "Due"], PAGE_PX - ROW_SELECTOR_PX),
        ("pages/actions.py", 0, ["Owner agency", "Lead officer", "Target", "Status"], PAGE_PX),
        ("pages/dashboard.py", 0, ["Review", "What", "Item", "When"], PAGE_PX),
        ("pages/figures.py", -1, ["Theme", "Areas for development"], PAGE_PX // 2),
        (
            "pages/figures.py",
            0,  # implementation by agency: all eight columns
            [
                "Agency",
                "Actions",
                "Complete",
                "Completed on time",
                "Complete, date not recorded",
                "Overdue",
                "% complete",
                "% on time (of those with a completion date)",
            ],
            PAGE_PX,
        ),
    ],
)
def test_the_columns_a_person_needs_are_in_view(app, page, index, needed, budget):
    at = app("coordinator", page)
    proto = at.dataframe[index].proto
    assert in_view(proto, needed, budget=budget) == []
    assert proto.placeholder == "—"


@pytest.mark.parametrize(
    "page, query", [("pages/register.py", {}), ("pages/review.py", {"ref": "DHR-2025-04"}), ("pages/actions.py", {})]
)
def test_no_table_shows_none(app, page, query):
    at = app("coordinator", page, query)
    assert at.dataframe, "no table drawn"
    for table in at.dataframe:
        assert table.proto.placeholder == "—"
        assert "None" not in table.value.astype(str).to_string()


def _choose_first(at, key: str):
    """Open the first choice of a selectbox (a document, a theme), as a person would to see more tables."""
    box = next(b for b in at.selectbox if b.key == key or b.label == key)
    return box.select_index(0).run()


@pytest.mark.parametrize(
    "user, page, opens",
    [
        ("coordinator", "pages/library.py", "document-choice"),  # the list, and a document's facts and recs
        ("board", "pages/themes.py", "Open a theme"),  # by CSP and kind, and a theme's recommendations
        ("board", "pages/overview.py", None),
        ("coordinator", "pages/administration.py", None),  # accounts with no email or agency, rule sets
    ],
)
def test_the_library_themes_overview_and_administration_tables_draw_a_dash_for_nothing(app, user, page, opens):
    """#21's leftovers: these pages drew st.dataframe directly, so a missing value read "None"."""
    at = app(user, page)
    if opens:
        at = _choose_first(at, opens)
    assert not at.exception, at.exception
    assert at.dataframe, "no table drawn"
    for table in at.dataframe:
        assert table.proto.placeholder == "—"
        cells = table.value.astype(object).to_numpy().ravel().tolist()
        assert "None" not in [str(c) for c in cells if c is not None and c == c], "a None written out as text"


def test_every_themes_table_lists_the_themes_in_the_order_of_how_often(app):
    """A board member reads the themes in one order on every tab: most reviews first, as "How often"."""
    from core.accounts import get_viewer
    from core.schema import open_store
    from core.settings import database_path
    from indexing.theme_figures import prevalence

    at = app("board", "pages/themes.py")
    store = open_store(database_path())
    order = [p.label for p in prevalence(store, get_viewer(store, "board"), by="reviews")]
    store.close()
    tables = [t.value for t in at.dataframe if "Theme" in t.value.columns]
    assert len(tables) == 2  # by CSP, by document kind
    for table in tables:
        listed = table["Theme"].tolist()
        assert listed == [label for label in order if label in listed]
