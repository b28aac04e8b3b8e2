"""What every ``memcon`` command shares: the one-line user error and JSON output."""

from __future__ import annotations

import json

from ..errors import Refused


class CommandError(Refused):
    """A user-facing error: printed as one line, exit code 2."""


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
