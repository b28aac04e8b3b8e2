"""What the pages and the API know of a background job: its stages, its row as a frozen
view, and the exceptions a job raises (pending for a request, cancelled or lost inside a run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import MemconError, StillComputing

if TYPE_CHECKING:
    from .infos import DossierInfo

#: The stages of a job in order, with the words the pages use for them.
STAGES: dict[str, str] = {
    "queued": "waiting for a worker",
    "segmenting": "splitting the texts into sentences",
    "candidates": "finding candidate pairs",
    "scoring": "scoring the pairs",
    "aligning": "choosing the links",
    "analysing": "analysing moves, omissions and quotations",
    "done": "done",
}
ACTIVE = ("queued", "running")

#: What a job runs: compute and store the comparison of a dossier under a cache key,
#: reporting progress (stage, fraction); passed in, so jobs never import the library.
Compute = Callable[["DossierInfo", str, Callable[[str, float], None]], None]


class Cancelled(MemconError):
    """Raised inside a running job when someone asked to cancel it."""


class Lost(MemconError):
    """Raised inside a running job that another worker has taken over (or that is gone)."""


@dataclass(frozen=True, slots=True)
class JobInfo:
    """What the pages and the API show of one job."""

    id: str
    dossier: str
    dossier_id: int
    key: str
    reference: str | None
    status: str
    stage: str
    progress: float
    message: str
    cancel_requested: bool
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        """Progress as a whole percentage (100 only when done)."""
        if self.status == "done":
            return 100
        return min(99, int(self.progress * 100))

    @property
    def stage_label(self) -> str:
        """The stage in words."""
        return STAGES.get(self.stage, self.stage.replace("_", " "))

    @property
    def status_label(self) -> str:
        """The status in words (with a cancel that is on its way)."""
        if self.status == "running" and self.cancel_requested:
            return "cancelling"
        return self.status

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON data."""
        return {
            "id": self.id,
            "dossier": self.dossier,
            "reference": self.reference,
            "status": self.status,
            "stage": self.stage,
            "stage_label": self.stage_label,
            "progress": round(self.progress, 4),
            "percent": self.percent,
            "message": self.message,
            "cancel_requested": self.cancel_requested,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class Pending(StillComputing):
    """The comparison is being computed in the background (or its job was stopped)."""

    def __init__(self, job: JobInfo, dossier: DossierInfo) -> None:
        super().__init__(f"the comparison of {dossier.id!r} is {job.status} (job {job.id})", job)
        self.job: JobInfo = job
        self.dossier = dossier
