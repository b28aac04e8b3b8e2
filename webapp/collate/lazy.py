"""Names of a package loaded on first use (PEP 562), shared by the engine, the readers
and the store: importing a package, or a light module of it, loads nothing heavy.

It lives in the engine, the lowest layer, so that every layer above may import it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Collection, Mapping
from typing import Any


def lazy_names(
    package: str,
    homes: Mapping[str, str],
    *,
    default: str | None = None,
    public: Collection[str] = (),
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name of ``homes`` is imported from its
    module (relative to the package) when first asked for, then kept in the package; a name
    of ``public`` not in ``homes`` comes from ``default``; any other name is tried as a
    submodule (``webapp.collate.semantic``), else :class:`AttributeError`."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name, default if name in public else None)
        if home is None:
            try:
                return importlib.import_module(f".{name}", package)
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(home, package), name)
        vars(sys.modules[package])[name] = value
        return value

    return __getattr__
