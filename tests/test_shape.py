"""The shape of the code: which layer may import which, no import cycles, light imports.

The import graph is read from the source (every ``import``, at module level, in a
function or under ``TYPE_CHECKING``: each is a dependency a reader has to follow), so
these tests do not depend on what happens to be loaded already. What a fresh interpreter
loads is checked in a subprocess.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEBAPP = ROOT / "webapp"

#: What each lower layer may import from ``webapp`` (itself included); nothing else of the
#: app: not the web layer (``views``, ``app``, ``auth``...), not ``library``, not the CLI.
ALLOWED = {
    "collate": {"collate"},
    "ingest": {"ingest", "collate", "errors", "resources"},
    "export": {"export", "collate", "errors"},
    "store": {"store", "ingest", "collate", "errors", "resources"},
}
#: Leaf helpers any layer may import: they import nothing of the app themselves.
LEAVES = ("errors", "resources")
#: Outside libraries a lower layer must not import (the web framework) ...
WEB_LIBRARIES = ("flask", "flask_wtf", "werkzeug", "jinja2")
#: ... but for its password hashing, which the store's users need.
WEB_HELPERS = ("werkzeug.security",)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    """Every module of the app (migrations are scripts Alembic runs, not modules)."""
    return {
        _module_name(path): path
        for path in WEBAPP.rglob("*.py")
        if "migrations" not in path.relative_to(WEBAPP).parts
    }


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement names (a submodule if it imports one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    if node.level:
        target = f"{base}.{node.module}" if node.module else base
    else:
        target = node.module or ""
    found = []
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        found.append(sub if sub in _modules() else target)
    return found


@cache
def _imports() -> dict[str, frozenset[str]]:
    """Each module of the app and every module it imports (anywhere in its source)."""
    graph = {}
    for module, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _targets(module, path, node)
        }
        graph[module] = frozenset(targets)
    return graph


def _cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node] & graph.keys():
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_the_graph_sees_the_imports_it_should() -> None:
    graph = _imports()
    assert "webapp.collate.model" in graph["webapp.collate.compare"]
    assert "webapp.collate.semantic" in graph["webapp.collate.candidates"]  # from . import x
    assert "webapp.app" in graph["webapp.cli"]  # imported inside a function
    assert _cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"})}) == [
        ["a", "b", "c"]
    ]


def test_no_import_cycles_in_webapp() -> None:
    cycles = _cycles(dict(_imports()))
    assert cycles == [], "modules that import each other (directly or round a loop): " + "; ".join(
        " <-> ".join(group) for group in cycles
    )


def test_lower_layers_do_not_import_upwards_or_the_web() -> None:
    problems = []
    for module, targets in sorted(_imports().items()):
        layer = _layer(module)
        if layer not in ALLOWED:
            continue
        for target in sorted(targets):
            top = target.split(".")[0]
            if top == "webapp" and _layer(target) not in ALLOWED[layer]:
                problems.append(f"{module} imports {target}")
            if top in WEB_LIBRARIES and target not in WEB_HELPERS:
                problems.append(f"{module} imports {target}")
            if layer == "collate" and top == "sqlalchemy":
                problems.append(f"{module} imports {target}")
    assert problems == []


def test_leaf_helpers_import_nothing_of_the_app() -> None:
    for leaf in LEAVES:
        inside = {t for t in _imports()[f"webapp.{leaf}"] if t.split(".")[0] == "webapp"}
        assert inside == set(), f"webapp.{leaf} imports {sorted(inside)}"


def _loaded_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after running ``code``."""
    return {module.split(".")[0] for module in _modules_after(code)}


def _modules_after(code: str) -> set[str]:
    """Every module a fresh interpreter has loaded after running ``code``."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_engine_loads_neither_the_web_framework_nor_the_database() -> None:
    loaded = _loaded_after(
        "import pkgutil, importlib, webapp.collate\n"
        "for info in pkgutil.iter_modules(webapp.collate.__path__):\n"
        "    importlib.import_module('webapp.collate.' + info.name)\n"
        "from webapp.collate import Document, compare\n"
        "compare(Document.from_text('r', 'One. Two.'), [Document.from_text('a', 'Two.')])"
    )
    assert {"scipy", "pysbd"} <= loaded  # the engine itself was loaded and ran
    # scikit-learn (a second of start-up: it loads scipy.stats) is for the benchmarks only.
    assert not loaded & {"flask", "sqlalchemy", "alembic", "werkzeug", "sklearn"}


def test_neither_the_engine_nor_the_app_loads_scipy_stats() -> None:
    """scipy.stats costs every process 0.6 s to import (the lexicon's chi-square quantile
    once did); the engine uses scipy.sparse and scipy.optimize only."""
    modules = _modules_after(
        "import pkgutil, importlib, webapp.collate\n"
        "for info in pkgutil.iter_modules(webapp.collate.__path__):\n"
        "    importlib.import_module('webapp.collate.' + info.name)\n"
        "from webapp import create_app\n"
        "import webapp.cli, webapp.library.jobs, webapp.report\n"
        "create_app({'TESTING': True, 'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x'})\n"
    )
    assert {"scipy.sparse", "flask", "webapp.collate.lexicon"} <= modules
    assert not {m for m in modules if m == "scipy.stats" or m.startswith("scipy.stats.")}


def test_help_loads_neither_the_engine_nor_the_web_nor_the_database() -> None:
    loaded = _loaded_after(
        "import argparse, contextlib, io\n"
        "from webapp.cli import _parser, main\n"
        "(sub,) = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]\n"
        "assert len(sub.choices) >= 10, sorted(sub.choices)\n"
        "for argv in [['--help'], *[[c, '--help'] for c in sub.choices]]:\n"
        "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "        try:\n"
        "            main(argv)\n"
        "        except SystemExit as exc:\n"
        "            assert exc.code == 0, argv\n"
        "    assert 'usage: memcon' in out.getvalue(), argv\n"
    )
    assert "webapp" in loaded
    assert not loaded & {"flask", "sqlalchemy", "alembic", "sklearn", "scipy", "dask", "torch"}


def test_align_loads_the_engine_but_neither_the_web_nor_the_database(tmp_path: Path) -> None:
    record, account = tmp_path / "record.txt", tmp_path / "account.txt"
    record.write_text("The talks began. Yeltsin spoke. Then they ate.\n", encoding="utf-8")
    account.write_text("They ate. Yeltsin spoke first.\n", encoding="utf-8")
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from webapp.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['align', {str(record)!r}, {str(account)!r}]) == 0\n"
        "assert 'account.txt' in out.getvalue()\n"
    )
    assert {"scipy", "pysbd"} <= loaded  # the engine ran
    assert not loaded & {"flask", "sqlalchemy", "alembic", "jinja2", "pypdf", "docx", "sklearn"}


def test_the_link_vocabulary_is_taken_from_the_engine() -> None:
    """Labels, statuses and the machine's name live in ``collate/vocabulary.py``; export
    re-exports them for its own modules, and everyone else takes them from the engine."""
    vocabulary = {"LABELS", "LINK_STATUSES", "MACHINE"}
    taken = []
    for module, path in sorted(_modules().items()):
        if _layer(module) == "export":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and "webapp.export.model" in _targets(
                module, path, node
            ):
                taken += [f"{module}: {a.name}" for a in node.names if a.name in vocabulary]
    assert taken == []


#: How a database session is opened: the store's ``database.session()`` and its factory
#: ``database.sessions()``, or SQLAlchemy's own ``Session(...)`` and ``sessionmaker(...)``.
SESSION_OPENERS = frozenset({"session", "sessions", "Session", "sessionmaker", "scoped_session"})


def _called(node: ast.Call) -> str | None:
    """The name a call calls: ``f`` in ``f()`` and in ``x.f()``."""
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return node.func.id if isinstance(node.func, ast.Name) else None


def test_views_never_open_a_database_session() -> None:
    """Views parse the request, call ``library/`` and render: the library opens sessions."""
    opened = [
        f"{module}:{node.lineno} calls {_called(node)}()"
        for module, path in sorted(_modules().items())
        if _layer(module) == "views"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and _called(node) in SESSION_OPENERS
    ]
    assert opened == []


def test_the_check_sees_a_session_opened_in_a_view() -> None:
    tree = ast.parse("with database().session() as s:\n    s.get(User, 1)\nsession.get('x')")
    calls = [_called(n) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert set(calls) & SESSION_OPENERS == {"session"}  # flask's session.get is not one


def test_one_lazy_loader_serves_every_package() -> None:
    """Packages load their names lazily through ``collate/lazy.py``, not a copy of their own."""
    own = [
        module
        for module, path in sorted(_modules().items())
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
    ]
    assert own == []
    for package in ("collate", "ingest", "store"):
        assert "webapp.collate.lazy" in _imports()[f"webapp.{package}"], package
