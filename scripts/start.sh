#!/usr/bin/env bash
# Set everything up and show the bundled Zavidovo dossier (the web app comes next).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/memcon show zavidovo-1993 "$@"
