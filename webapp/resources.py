"""Locate the bundled templates, static files and corpora, installed or in a checkout.

``pip install .`` puts them inside the package (``webapp/templates`` ...); in a source
checkout (and an editable install) they are the top-level folders beside ``webapp/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder ``templates``, ``static`` or ``corpora``."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled folder {name!r} is missing from this installation")
