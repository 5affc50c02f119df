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
