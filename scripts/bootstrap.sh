# Sourced by demo.sh and test.sh: a virtual environment in .venv with the pinned requirements.
# Usage: source scripts/bootstrap.sh REQUIREMENTS_FILE
# It moves to the repository root and leaves the caller's shell options as they were: the work runs
# in a subshell with its own strict options, and a failure returns 1 rather than ending the caller's shell.
cd "$(dirname "${BASH_SOURCE[0]}")/.." || return 1
(
    set -euo pipefail
    PYTHON=${PYTHON:-python3}
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "error: Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "Creating the virtual environment in .venv"
        "$PYTHON" -m venv .venv
    fi
    # Reinstall only when the requirements change.
    stamp=.venv/.requirements-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$1")
    if [ ! -f "$stamp" ]; then
        echo "Installing pinned requirements from $1 (first run takes a minute or two)"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
        touch "$stamp"
    fi
) || return 1
