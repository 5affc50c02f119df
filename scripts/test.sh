#!/usr/bin/env bash
# The whole test suite, browser tests included. Installs what it needs: the pinned Python
# packages, Debian's chromium for the browser tests, LibreOffice for the Word-to-PDF checks and a real
# OpenID provider (npm's oidc-provider) for the sign-in tests (in CI, CI=true, a missing piece fails
# the run rather than skipping tests).
set -euo pipefail
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

# a real OpenID provider for the sign-in tests: the npm package oidc-provider, as locked in tests/oidc
install_provider() {
    if ! (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error); then
        if [ "${CI:-}" = true ]; then
            echo "error: could not install the test OpenID provider (npm ci in tests/oidc)" >&2
            exit 1
        fi
        echo "warning: the test OpenID provider is not installed; the sign-in tests will be skipped" >&2
    fi
}
if command -v npm >/dev/null; then
    if [ ! -d tests/oidc/node_modules/oidc-provider ] || [ tests/oidc/package-lock.json -nt tests/oidc/node_modules ]; then
        echo "Installing the test OpenID provider (npm ci in tests/oidc)"
        install_provider
    fi
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's nodejs and npm for the sign-in tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >/dev/null
    install_provider
elif [ "${CI:-}" = true ]; then
    echo "error: Node.js and npm missing and cannot be installed (needs root and apt-get)" >&2
    exit 1
fi

exec .venv/bin/python -m pytest "$@"
