"""scripts/bootstrap.sh is sourced into the caller's shell: it must leave that shell as it found it."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# what the shell reports of its options before and after sourcing, and whether it lived to say so
SCRIPT = """
set +e +u +o pipefail
before="$(set +o; shopt -p)"
source scripts/bootstrap.sh requirements.txt
echo "rc=$?"
[ "$before" = "$(set +o; shopt -p)" ] && echo "options unchanged"
echo "still here in $PWD"
"""


def _checkout(tmp_path: Path) -> Path:
    """A copy of the script beside a requirements file and a .venv already installed from it."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", tmp_path / "scripts")
    (tmp_path / "requirements.txt").write_text("sqlite-utils\n")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    digest = hashlib.sha256((tmp_path / "requirements.txt").read_bytes()).hexdigest()[:16]
    (tmp_path / ".venv" / f".requirements-{digest}-requirements.txt").touch()
    return tmp_path


def _source(checkout: Path, python: str) -> str:
    return subprocess.run(
        ["bash", "-c", SCRIPT],
        cwd=checkout,
        env=os.environ | {"PYTHON": python},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def test_sourcing_it_keeps_the_callers_shell_options(tmp_path):
    out = _source(_checkout(tmp_path), sys.executable)
    assert "rc=0" in out and "options unchanged" in out and f"still here in {tmp_path}" in out


def test_a_failure_returns_instead_of_ending_the_callers_shell(tmp_path):
    out = _source(_checkout(tmp_path), "/bin/false")  # "no Python 3.11"
    assert "rc=1" in out and "options unchanged" in out and "still here" in out
