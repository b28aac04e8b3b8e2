"""Check a TEI file against ``schema/memcon-tei.rng`` and check its pointers."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources

from lxml import etree

from .elements import parse_tei
from .ids import SCHEMA_FILE, XML_ID


@functools.cache
def _schema() -> etree.RelaxNG:
    source = resources.files("webapp.export").joinpath("schema", SCHEMA_FILE).read_bytes()
    return etree.RelaxNG(etree.fromstring(source))


def validate_tei(data: bytes) -> list[str]:
    """Problems of a TEI file against ``schema/memcon-tei.rng`` and its pointers (empty: valid).

    Beyond the schema, every ``#id`` in ``@target``, ``@corresp``, ``@resp``, ``@who`` and
    ``@ana`` must name an element of the file.
    """
    try:
        root = parse_tei(data)
    except ValueError as exc:
        return [str(exc)]
    schema = _schema()
    problems = []
    if not schema.validate(root):
        problems += [f"line {e.line}: {e.message}" for e in schema.error_log]
    ids = {element.get(XML_ID) for element in root.iter() if element.get(XML_ID) is not None}
    for element in root.iter():
        for pointer in _all_pointers(element):
            if pointer[1:] not in ids:
                problems.append(f"line {element.sourceline}: {pointer!r} points to no element")
    return problems


def _all_pointers(element: etree._Element) -> Iterator[str]:
    if not isinstance(element.tag, str):
        return
    for name in ("target", "corresp", "resp", "who", "ana"):
        for pointer in (element.get(name) or "").split():
            if pointer.startswith("#"):
                yield pointer
