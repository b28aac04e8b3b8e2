"""The examples in the engine's docstrings run and say what they show (a stale example misleads
whoever reads the module first)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import webapp.collate

MODULES = sorted(m.name for m in pkgutil.iter_modules(webapp.collate.__path__, "webapp.collate."))


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_each_engine_module_hold(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0, f"{failed} docstring example(s) of {name} give another result"


def test_the_engine_has_examples_to_run() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(
        len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name))
    )
    assert examples >= 30
