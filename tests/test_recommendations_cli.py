"""python -m recommendations import|export|actions|board, as an administrator runs them."""

import io
import json

import openpyxl
import pytest

from tests.conftest import run
from tests.test_recommendations import messy_workbook


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(messy_workbook())
    return path


def test_dry_run_proposes_a_mapping_and_writes_nothing(workspace, plan_file):
    result = run(
        workspace, "recommendations", "import", str(plan_file), "--review", "DHR-2026-02", "--dry-run", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mapping"]["Lead agency"] == "owner_agency" and len(report["rows"]) == 4
    assert report["rows"][2]["target_date_parsed"] is None and "kept as text" in report["rows"][2]["warnings"][0]
    actions = json.loads(run(workspace, "recommendations", "actions", "--json").stdout)
    assert actions == []


def test_import_then_actions_json_contract(workspace, plan_file):
    assert run(workspace, "recommendations", "import", str(plan_file), "--review", "DHR-2026-02").returncode == 0
    actions = json.loads(run(workspace, "recommendations", "actions", "--json", "--today", "2026-11-23").stdout)
    assert len(actions) == 4
    for action in actions:
        assert {
            "review",
            "recommendation",
            "action",
            "owner_agency",
            "target_date",
            "status",
            "rag",
            "rag_overridden",
        } <= set(action)
    gp = next(a for a in actions if a["action"] == "Train practice staff")
    assert gp["rag"] == "green" and gp["rag_overridden"] is True and gp["target_date"] == "2015-03-31"


def test_rejected_rows_exit_non_zero_and_write_nothing(workspace, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(messy_workbook()))
    book.active["D8"] = "Ministry of Magic"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    result = run(workspace, "recommendations", "import", str(bad), "--review", "DHR-2026-02")
    assert result.returncode != 0 and "nothing imported" in result.stderr and "Ministry of Magic" in result.stdout
    assert json.loads(run(workspace, "recommendations", "actions", "--json").stdout) == []


def test_mapping_file_and_export(workspace, tmp_path):
    csv_file = tmp_path / "plan.csv"
    csv_file.write_text("No.,What we will do,Who,When\n1,Audit records,Police,31/12/2026\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"No.": "reference", "What we will do": "action", "Who": "owner_agency", "When": "target_date"})
    )
    assert (
        run(
            workspace, "recommendations", "import", str(csv_file), "--review", "DHR-2026-02", "--mapping", str(mapping)
        ).returncode
        == 0
    )
    out = tmp_path / "export.xlsx"
    assert run(workspace, "recommendations", "export", str(out), "--review", "DHR-2026-02").returncode == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet["E2"].value == "Audit records" and sheet["F2"].value == "Police"


def test_board_json(workspace):
    result = run(workspace, "recommendations", "board", "--quarter", "2026Q3", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["quarter"] == "2026Q3" and "statutory_deadlines_met" in figures
    assert run(workspace, "recommendations", "board", "--quarter", "Q3").returncode == 2
