"""The official TEI P5 schema (``tei_all.rng``), compiled once per test process.

Compiling it takes lxml about 11 CPU s; the TEI export tests of several modules validate
against it, so a worker that runs more than one of them compiles it once.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lxml import etree

#: Where ``webapp/export/schema/fetch-tei-all.sh`` caches the schema (or MEMCON_TEI_ALL).
OFFICIAL_SCHEMA = Path(
    os.environ.get("MEMCON_TEI_ALL", Path.home() / ".cache" / "memcon" / "tei_all.rng")
)


@functools.cache
def official_schema() -> etree.RelaxNG:
    """The compiled schema (the tests skip when the file is absent)."""
    return etree.RelaxNG(etree.parse(str(OFFICIAL_SCHEMA)))


def errors_against_tei_all(document: bytes) -> list[str]:
    """The schema's errors on ``document`` (empty: valid)."""
    schema = official_schema()
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log] or ["invalid"]
