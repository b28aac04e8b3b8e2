"""Test apps start quickly: new SQLite databases copied, URL rules' builders reused.

Starting a test app on a new database migrates it (all of Alembic's migrations; several
copy whole tables on SQLite) and loads the bundled dossiers (segmenting the teaching keys'
texts): about 0.8 s at rest, against 0.1 s to open a copy that is already there. So each
test worker does it once, on a database of its own, and copies the result (SQLite's backup
API: the same pages, the same ``alembic_version``, the same rows) into each new database:

- a new database of a test app whose dossiers are the bundled ones: the database as the
  first such app left it, just after its start (migrated, bundled dossiers loaded);
- any other new database of a test app or a store test: the migrated, empty schema (the
  app then loads its own dossiers);
- the new database of a browser test's live server (:func:`seed_started`).

Every run still applies every migration from scratch and loads the bundled dossiers
through the app (the first time in each worker). Never copied into: existing files (a
test's own old-version database), PostgreSQL, and the ``memcon`` subprocesses a test starts
itself (servers, workers, CLI runs: they start as in production).

The rest of an app's start is Werkzeug compiling a URL builder for each of its 100 rules
(Python source made and compiled, the same for every app): :func:`reuse_builders` keeps
each builder the first app compiled, keyed by everything it is made from, and later apps'
rules use it (it takes the rule as its ``self``).

And each new app has a new Jinja environment, which compiled each template it rendered
again: a quarter of the time of a test that starts an app and asks for one page. Their
environments share one in-memory bytecode cache (:class:`SharedTemplates`, Jinja's own
mechanism: keyed by the template's file, checked against its source's checksum), so each
template is compiled once per process.

``MEMCON_TEST_SLOW_START=1`` turns all of this off: every app starts the production way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from sqlalchemy import event, make_url
from werkzeug.routing.rules import Rule

from webapp.ingest.corpus import Dossier as Bundled
from webapp.ingest.corpus import bundled_dossiers
from webapp.resources import resource_dir
from webapp.store import Database, connect

#: Set to ``1`` to start every test app the production way instead.
SLOW_VARIABLE = "MEMCON_TEST_SLOW_START"

#: The migrated empty schema (key ``None``) and the started apps' databases (key: dossiers).
_templates: dict[tuple[tuple[str, str], ...] | None, sqlite3.Connection] = {}
#: Which template the app being started in this thread should get.
_starting = threading.local()


def enabled() -> bool:
    """Whether test apps start quickly (see the module)."""
    return os.environ.get(SLOW_VARIABLE, "").strip() not in {"1", "true", "yes"}


def _snapshot(database: Database) -> sqlite3.Connection:
    """An in-memory copy of ``database`` (a SQLite one)."""
    raw = database.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        source.backup(copy)
    finally:
        raw.close()
    return copy


def schema() -> sqlite3.Connection:
    """This process's migrated, empty database (migrated on first use, then kept)."""
    if None not in _templates:
        database = connect("sqlite://")
        database.upgrade()
        _templates[None] = _snapshot(database)
        database.dispose()
    return _templates[None]


def _memory(url: str) -> bool:
    return url in {"sqlite://", "sqlite:///"} or ":memory:" in url


def _new_file(url: str) -> Path | None:
    """The file of a SQLite ``url`` that does not exist yet (or is empty), else None."""
    if not url.startswith("sqlite") or _memory(url):
        return None
    name = make_url(url).database
    if not name:
        return None
    path = Path(name)
    return path if not path.exists() or path.stat().st_size == 0 else None


def _fresh(url: str | None) -> bool:
    """Whether ``url`` names a SQLite database that holds nothing yet."""
    return bool(url) and url is not None and (_memory(url) or _new_file(url) is not None)


def seed(url: str, source: sqlite3.Connection | None = None) -> None:
    """Copy ``source`` (default: the migrated schema) into the new SQLite file of ``url``."""
    path = _new_file(url)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(path)
    try:
        (source or schema()).backup(target)
    finally:
        target.close()


def connect_seeded(url: str) -> Database:
    """:func:`webapp.store.connect`, a new database filled with a copy (see the module)."""
    source: sqlite3.Connection | None = getattr(_starting, "source", None)
    seed(url, source)
    database = connect(url)
    if database.engine.dialect.name == "sqlite" and _memory(url):
        # One connection (StaticPool): the copy goes in when it is opened.
        def fill(connection: Any, _record: Any) -> None:
            (source or schema()).backup(connection)

        event.listen(database.engine, "connect", fill, once=True)
    return database


def _bundled_key(dossiers: list[Bundled]) -> tuple[tuple[str, str], ...] | None:
    """The dossiers' key if they are all the bundled ones (which no test changes)."""
    root = resource_dir("corpora").resolve()
    if not dossiers or any(not d.folder.resolve().is_relative_to(root) for d in dossiers):
        return None
    return tuple((d.id, str(d.folder)) for d in dossiers)


OpenDatabase = Callable[[Any, list[Bundled]], Database]


def open_seeded(real: OpenDatabase) -> OpenDatabase:
    """``webapp.app._open_database``, a new database of the bundled dossiers a copy of the
    first one started (the app still runs its upgrade and its load: both find it done)."""

    def open_database(app: Any, dossiers: list[Bundled]) -> Database:
        key = _bundled_key(dossiers)
        if key is None or not _fresh(app.config.get("DATABASE_URL")):
            return real(app, dossiers)
        _starting.source = _templates.get(key)
        try:
            database = real(app, dossiers)
        finally:
            _starting.source = None
        if key not in _templates:
            _templates[key] = _snapshot(database)
        return database

    return open_database


def seed_started(url: str) -> None:
    """Copy into the new SQLite file of ``url`` the database of an app just started on the
    bundled dossiers (for a live ``memcon serve`` of them: it starts without migrating)."""
    if not enabled():
        return
    key = _bundled_key(bundled_dossiers())
    if key not in _templates:  # the first app started on them leaves its copy
        from webapp import create_app

        app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "seed"})
        app.extensions["memcon.db"].dispose()
    seed(url, _templates.get(key))


Builder = Callable[..., tuple[str, str]]


def reuse_builders(real: Callable[[Rule, bool], Builder]) -> Callable[[Rule, bool], Builder]:
    """Werkzeug's ``Rule._compile_builder``, each builder compiled once per process."""
    made: dict[tuple[Any, ...], Builder] = {}

    def compile_builder(rule: Rule, append_unknown: bool = True) -> Builder:
        defaults = rule.defaults or {}
        converters = rule._converters  # noqa: SLF001 - what the builder is made from
        key = (
            rule.rule,
            tuple(rule._trace),  # noqa: SLF001
            append_unknown,
            repr(sorted(defaults.items())),
            tuple(type(converters[name]).__qualname__ for name in defaults if name in converters),
        )
        if key not in made:
            made[key] = real(rule, append_unknown)
        return made[key]

    return compile_builder


class SharedTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for every app of this process."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:  # Jinja drops it if the source's checksum differs
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def share_templates(real: Callable[[Any], Environment]) -> Callable[[Any], Environment]:
    """Flask's ``create_jinja_environment``, every environment on one :class:`SharedTemplates`."""
    shared = SharedTemplates()

    def create_jinja_environment(app: Any) -> Environment:
        environment = real(app)
        environment.bytecode_cache = shared
        return environment

    return create_jinja_environment
