"""Who a user is and who may see a dossier: the store's two fixed vocabularies.

A leaf module (no SQLAlchemy), so the command line can offer the roles in its help
without loading the database stack.
"""

from __future__ import annotations

#: A user's role: reads, also annotates, also administers.
ROLES = ("reader", "annotator", "admin")
#: A dossier's visibility (see ``Dossier.visibility``).
VISIBILITIES = ("private", "link", "public")

#: The largest id any table can hold (PostgreSQL ``INTEGER``); a larger one names no row.
MAX_ID = 2**31 - 1
