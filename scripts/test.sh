#!/usr/bin/env bash
# Set everything up and run the whole test suite: lint, format, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy (engine)"; .venv/bin/mypy webapp/collate
echo "== pytest"; .venv/bin/python -m pytest "$@"
