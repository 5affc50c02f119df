#!/usr/bin/env bash
# The whole test suite, browser tests included. Installs what it needs: the pinned Python
# packages, Debian's chromium for the browser tests and LibreOffice for the Word-to-PDF checks
# (in CI, CI=true, a missing browser or LibreOffice fails the run rather than skipping tests).
source "$(dirname "$0")/bootstrap.sh" requirements-dev.txt

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installing Debian's ${missing[*]} for the browser and document tests"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
    elif [ "${CI:-}" = true ]; then
        echo "error: ${missing[*]} missing and cannot be installed (needs root and apt-get)" >&2
        exit 1
    else
        echo "warning: ${missing[*]} missing; the tests that need them will be skipped" >&2
    fi
fi

exec .venv/bin/python -m pytest "$@"
