"""The JSON API mirroring the pages (blueprint ``api``, under ``/api``): one module per
concern; importing the package registers every route on :data:`bp`."""

from __future__ import annotations

from . import curation, dossiers, reading
from . import keys as keys
from .common import bp

__all__ = ["bp", "curation", "dossiers", "reading"]
