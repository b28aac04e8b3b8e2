"""The words a curated alignment is described in: link labels, link statuses, the machine.

Shared by curation (what a person may say of a link) and by every export format (what
they write), so it lives in the engine beside the model it describes, below both.
"""

from __future__ import annotations

#: Who made a link or a mark when no person did.
MACHINE = "machine"
#: The labels a person may give a link (the documented, fixed list).
LABELS = (
    "verbatim",
    "paraphrase",
    "condensation",
    "embellishment",
    "altered quotation",
    "reordering",
    "changed speaker",
    "other",
)
#: What a link's status says: proposed by the machine, confirmed by a person, added by one.
LINK_STATUSES = ("machine", "confirmed", "added")
