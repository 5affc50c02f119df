"""What a person is told at the address of a page or a review their role cannot open."""

from __future__ import annotations

import pytest

from core.accounts import Viewer
from reviews.access import why_page_closed

BOARD = Viewer("board", "board", "Board member")
PARTNER = Viewer("partner", "partner", "Partner")
CHAIR = Viewer("chair", "chair", "A chair")


@pytest.mark.parametrize("viewer, role", [(BOARD, "Board member"), (PARTNER, "Partner"), (CHAIR, "Independent chair")])
@pytest.mark.parametrize("title", ["Library documents", "Administration"])
def test_a_closed_page_names_itself_the_role_and_whom_to_ask(viewer, role, title):
    said = why_page_closed(viewer, title)
    assert said.startswith(f"{title} is not open to your role ({role})")
    assert "ask the DHR coordinator" in said


def test_a_case_link_says_why_the_review_does_not_open_never_whether_it_exists():
    said = why_page_closed(BOARD, "Review", "DHR-2025-11")
    assert "case records" in said and "DHR-2025-11" not in said
    # a chair's own case pages are open; another page they cannot open is named as any other
    assert why_page_closed(CHAIR, "Administration", "DHR-2025-11").startswith("Administration is not open")
