"""The application's rules, between the web layer and the store; no Flask in here.

Access (who may see or change a dossier), comparisons (cache key, load / compute / store),
curation, decisions, documents, history, exchange, jobs and scanning each have a module;
the names most callers need are re-exported here.
"""

from __future__ import annotations

from ..errors import Conflict, Forbidden, MemconError, NotFound, Refused, StillComputing
from .access import Loaded, Need, load
from .comparisons import (
    Account,
    DocInfo,
    DossierComparison,
    DossierInfo,
    Library,
    cache_key,
    document_of,
    info,
    stored_dossier,
)

__all__ = [
    "Account",
    "Conflict",
    "Forbidden",
    "Loaded",
    "MemconError",
    "Need",
    "Refused",
    "StillComputing",
    "load",
    "DocInfo",
    "DossierComparison",
    "DossierInfo",
    "Library",
    "NotFound",
    "cache_key",
    "document_of",
    "info",
    "stored_dossier",
]
