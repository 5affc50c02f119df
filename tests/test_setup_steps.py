"""The coordinator's set-up checklist (issue #21 item 10): each step ticked from what the workspace holds."""

from pathlib import Path

import pytest

from core import workspace
from core.agencies import add_agency
from core.backup import backup
from core.errors import PermissionDenied
from core.setup_steps import setup_steps
from indexing.library import Library
from recommendations import plan
from reviews import register
from tests.conftest import TODAY

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
LETTER = CORPUS / "dhr" / "22_devon-case17-louise-homeoffice-feedback-letter.txt"


def ticked(store, viewer) -> dict[str, bool]:
    return {step.key: step.done for step in setup_steps(store, viewer)}


def test_each_step_is_ticked_when_the_workspace_holds_it(store, people, coordinator, embedder, tmp_path):
    assert ticked(store, coordinator) == dict.fromkeys(
        ["settings", "agencies", "register", "plans", "library", "backup"], False
    )
    workspace.save(store, coordinator, partnership="Northvale Community Safety Partnership", area="Northvale")
    add_agency(store, coordinator, name="Fire and Rescue Service")
    reference = register.create_review(
        store, coordinator, reference="DHR-2026-01", pseudonym="Ivy", csp="C", notification_date="2026-05-04",
        today=TODAY,
    )
    assert [key for key, done in ticked(store, coordinator).items() if done] == ["settings", "agencies", "register"]
    plan.add_recommendation(store, coordinator, reference, number="1", text="Train GPs", scope=plan.SCOPES[0])
    Library(store, embedder).ingest(LETTER.read_bytes(), LETTER.name, viewer=coordinator, access="public")
    backup(store, coordinator, tmp_path / "backups")
    steps = setup_steps(store, coordinator)
    assert all(step.done for step in steps)
    assert [s.detail for s in steps][2:5] == ["1 review(s)", "1 recommendation(s)", "1 document(s)"]


@pytest.mark.parametrize("who", ["chair", "police.lead", "partner", "board"])
def test_only_the_coordinator_sees_the_checklist(store, people, who):
    with pytest.raises(PermissionDenied):
        setup_steps(store, people[who])
