#!/usr/bin/env bash
# Run the app at http://localhost:8501 on the fictional demo workspace: an empty data directory
# (DHR_DATA_DIR, default ./data) is filled with it on first start (DHR_DEMO=1). A real install
# starts the app without DHR_DEMO and creates its first coordinator on the first-run screen.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" requirements.txt
export DHR_DATA_DIR=${DHR_DATA_DIR:-data}
export DHR_DEMO=1
exec .venv/bin/python -m ui.serve --server.port "${PORT:-8501}" "$@"
