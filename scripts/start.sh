#!/usr/bin/env bash
# Set everything up and start the web app on http://127.0.0.1:5000/ with the bundled dossiers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/memcon serve "$@"
