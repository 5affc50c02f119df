#!/usr/bin/env bash
# Run the app at http://localhost:8501. An empty data directory (DHR_DATA_DIR, default ./data)
# is filled with the fictional demo workspace on first start.
source "$(dirname "$0")/bootstrap.sh" requirements.txt
export DHR_DATA_DIR=${DHR_DATA_DIR:-data}
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
