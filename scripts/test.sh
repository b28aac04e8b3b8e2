#!/usr/bin/env bash
# Set everything up and run the whole test suite: lint, format, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser tests drive Debian's Chromium (never a downloaded browser).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "== installing Debian's chromium for the browser tests"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
fi
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy (engine)"; .venv/bin/mypy webapp/collate
echo "== pytest"; .venv/bin/python -m pytest "$@"
