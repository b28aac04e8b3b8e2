"""``python -m webapp.cli``: the ``memcon`` command."""

from . import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
