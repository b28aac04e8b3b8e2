"""The JSON API mirroring the pages (blueprint ``api``, under ``/api``): one module per
concern; importing the package registers every route on :data:`bp`. ``/api`` and
``/api/openapi.json`` describe every route (:mod:`.openapi`)."""

from __future__ import annotations

from . import curation, dossiers, exercises, hints, keys, openapi, phrases, reading
from .common import bp

__all__ = [
    "bp",
    "curation",
    "dossiers",
    "exercises",
    "hints",
    "keys",
    "openapi",
    "phrases",
    "reading",
]
