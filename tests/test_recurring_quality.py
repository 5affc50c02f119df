"""The recurring-lesson benchmark measures real recommendations kept outside the project (--blind DIR, --extra
DIR): a folder labelled and split by review before the grouper ran on it. The folder here is written by the test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FOLDER = {
    "split": {"dev": ["northvale-2019", "southvale-2021"], "test": ["eastvale-2023", "westvale-2024"]},
    "rows": [
        {
            "id": "N-1",
            "review": "northvale-2019",
            "lesson": "carers",
            "text": "Adult social care should offer a "
            "carer's assessment to every carer of a person with dementia and ask whether they feel safe at home.",
        },
        {
            "id": "N-2",
            "review": "northvale-2019",
            "text": "The partnership should publicise the domestic abuse helpline in pharmacies.",
        },
        {
            "id": "S-1",
            "review": "southvale-2021",
            "lesson": "carers",
            "text": "Carers should be spoken to on their own and offered an assessment of their needs as carers.",
        },
        {
            "id": "S-2",
            "review": "southvale-2021",
            "text": "Police should respond to applications under the Domestic "
            "Violence Disclosure Scheme within 28 days.",
        },
        {
            "id": "E-1",
            "review": "eastvale-2023",
            "lesson": "health-staff-ask-about-abuse",
            "text": "GP practices "
            "should make routine enquiry about domestic abuse part of every mental health consultation.",
        },
        {
            "id": "W-1",
            "review": "westvale-2024",
            "lesson": "health-staff-ask-about-abuse",
            "text": "Midwives should ask every pregnant woman directly about domestic abuse when she is seen alone.",
        },
        {
            "id": "W-2",
            "review": "westvale-2024",
            "text": "The council should publicise the Domestic Violence Disclosure Scheme to residents.",
        },
    ],
    "unsure": [],
    "unsure_with_fragments": [],
}


def _bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "benchmarks/recurring_quality.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_held_out_folder_is_measured_per_split_alone_and_with_the_fragments(tmp_path):
    (tmp_path / "recommendations.json").write_text(json.dumps(FOLDER), encoding="utf-8")
    alone = _bench("--blind", str(tmp_path))
    assert alone.returncode == 0, alone.stderr
    assert "folder dev: 1 pairs labelled, 1 grouped, precision 1.00, recall 1.00" in alone.stdout
    assert "folder test: 1 pairs labelled, 1 grouped, precision 1.00, recall 1.00" in alone.stdout
    assert "fragments dev: 3 pairs labelled" in alone.stdout  # the project's own sets come first
    together = _bench("--extra", str(tmp_path))
    assert together.returncode == 0, together.stderr
    # the health rows join the fragments' three rows of the same lesson (GP routine enquiry, IRIS, a direct
    # question): 7 test pairs, with the fragments' interpreters pair 8
    assert "folder + fragments test: 8 pairs labelled, 8 grouped, precision 1.00, recall 1.00" in together.stdout


def test_the_benchmark_fails_when_any_set_merges_two_different_lessons(tmp_path):
    """The guard on every set: two reviews' recommendations labelled as different lessons but grouped (worded
    alike) are a wrong pair, and the benchmark says so in its last line and its exit status."""
    folder = {
        "split": {"dev": ["northvale-2019"], "test": ["southvale-2021"]},
        "rows": [
            {
                "id": "N-1",
                "review": "northvale-2019",
                "lesson": "publicise",
                "text": "The council should publicise the Domestic Violence Disclosure Scheme to residents.",
            },
            {
                "id": "S-1",
                "review": "southvale-2021",
                "lesson": "publicise-again",
                "text": "The council should publicise the Domestic Violence Disclosure Scheme to all residents.",
            },
        ],
    }
    (tmp_path / "recommendations.json").write_text(json.dumps(folder), encoding="utf-8")
    measured = _bench("--blind", str(tmp_path), "--blind", str(tmp_path))
    assert measured.returncode == 1
    assert f"{tmp_path.name} test: 0 pairs labelled, 1 grouped, precision 0.00" in measured.stdout
    assert measured.stdout.strip().endswith("wrong pairs on every set measured: 2")
