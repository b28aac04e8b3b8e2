"""Flask blueprints: ``pages`` (HTML for people) and ``api`` (JSON mirroring the pages)."""
