#!/usr/bin/env bash
# Set everything up and start the web app on http://127.0.0.1:5000/ with the bundled dossiers.
set -euo pipefail
cd "$(dirname "$0")/.."
# The semantic scorer is optional and heavy: not installed here unless MEMCON_SETUP_SEMANTIC=1
# (an environment that has it, such as the test setup's, keeps it).
MEMCON_SETUP_SEMANTIC=${MEMCON_SETUP_SEMANTIC:-0} bash scripts/setup.sh
exec .venv/bin/memcon serve "$@"
