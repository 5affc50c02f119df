"""What an empty screen says is counted in the domain: the recurring lessons say how many recommendations,
from how many reviews and reports, the viewer's groups were built from, and what would fill them."""

from recommendations import plan, recurring
from tests.test_qa import held_review
from ui.reading import nothing_recurs


def test_nothing_recurs_says_what_was_compared_for_each_viewer(store, people):
    coordinator = people["coord"]
    assert recurring.compared(store, coordinator) == {"recommendations": 0, "sources": 0}
    reference = held_review(store, coordinator, "DHR-2025-01")  # not published: its plan is case information
    for number, text in (("1", "Train GPs to ask about abuse"), ("2", "Share MARAC minutes with housing")):
        plan.add_recommendation(store, coordinator, reference, number=number, text=text, scope="multi-agency")
    assert recurring.compared(store, coordinator) == {"recommendations": 2, "sources": 1}
    assert recurring.compared(store, people["chair"]) == {"recommendations": 2, "sources": 1}  # its chair
    for who in ("chair2", "partner", "board"):
        assert recurring.compared(store, people[who]) == {"recommendations": 0, "sources": 0}

    said = nothing_recurs(recurring.compared(store, coordinator), coordinator, 0)
    assert said.startswith("Nothing recurs yet. 2 recommendation(s) you can read, from 1 review(s) and report(s)")
    assert "a lesson recurs when two different reviews or reports make it" in said
    assert "(Import an action plan" in said and "(Library documents)" in said
    partner = nothing_recurs(recurring.compared(store, people["partner"]), people["partner"], 0)
    assert "There is no recommendation you can read to compare yet" in partner
    assert "as reviews are published" in partner and "Library documents" not in partner  # not in their menu
