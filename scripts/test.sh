#!/usr/bin/env bash
# The whole test suite, browser tests included. Installs what it needs: the pinned Python
# packages, and Debian's chromium for the browser tests (in CI a missing browser fails).
source "$(dirname "$0")/bootstrap.sh" requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installing Debian's chromium for the browser tests"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
    elif [ "${CI:-}" = true ]; then
        echo "error: /usr/bin/chromium is missing and cannot be installed (needs root and apt-get)" >&2
        exit 1
    else
        echo "warning: /usr/bin/chromium is missing; browser tests will be skipped" >&2
    fi
fi

exec .venv/bin/python -m pytest "$@"
