"""The Flask application factory: ``create_app()`` wires configuration and blueprints.

>>> app = create_app({"TESTING": True})
>>> app.test_client().get("/api/dossiers").status_code
200
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

from .collate.vocabulary import LABELS
from .ingest.corpus import Dossier as BundledDossier
from .ingest.corpus import bundled_dossiers
from .ingest.limits import DEFAULT_MAX_PAGES, Limits
from .library import Library
from .library.comparisons import compute
from .library.jobs import (
    DEFAULT_BACKGROUND_CHARS,
    DEFAULT_BACKGROUND_SECONDS,
    DEFAULT_BACKGROUND_SENTENCES,
    DEFAULT_JOB_KEEP_DAYS,
    Jobs,
)
from .notes import render_note
from .resources import resource_dir
from .store import Database, connect
from .store.bundled import load_bundled
from .store.startup import startup_lock
from .views import auth, security, validation
from .views.ids import IdConverter
from .views.print_view import init_app as init_print


def _open_database(app: Flask, dossiers: list[BundledDossier]) -> Database:
    """Connect, migrate and load the bundled dossiers (idempotent)."""
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'memcon.db'}"
        app.config["DATABASE_URL"] = url
    database = connect(url)
    with startup_lock(database):  # several workers may start at once
        database.upgrade()
        with database.session() as session:
            load_bundled(session, dossiers)
    return database


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the web app on the embedded default: the bundled dossiers, no set-up.

    Configuration keys (also read from the environment with a ``MEMCON_`` prefix):
    ``CORPORA_DIR``, a folder of dossiers to serve instead of the bundled ones;
    ``DATABASE_URL``, any SQLAlchemy URL (default: ``memcon.db`` in the instance folder);
    ``INSTANCE_PATH``, the instance folder (database file, generated secret key);
    ``SECRET_KEY``, the session key (default: generated once, kept in the instance folder);
    ``MAX_UPLOAD_BYTES``, the largest request accepted (default 5 MB; larger gives 413);
    ``MAX_TEXT_CHARS``, the most text one uploaded file may give (default twice the upload
    limit, in characters; more gives 413: a small Word file can unpack to a huge text);
    ``MAX_PDF_PAGES``, the most pages of a PDF read (default 1000; more gives 413);
    ``QUEUE_URL``, the queue of background comparisons (default SQLite ``queue.db`` in the
    instance folder; ``redis://...`` or ``postgresql://...`` for several machines);
    ``BACKGROUND_SECONDS``, dossiers whose comparison is estimated to take longer than this
    in a request (from their texts' shapes, without segmenting them) are compared by
    ``memcon worker`` (default 1.0; 0: always in the background);
    ``BACKGROUND_SENTENCES``, and so are, whatever the estimate, dossiers with more
    sentences than this (default 3000; 0: always; a long stretch without a full stop counts
    as many sentences); ``BACKGROUND_CHARS``, and dossiers whose texts hold more characters
    than this (default 1,000,000; their texts are not even read in a request);
    ``JOB_PAUSE``, seconds a job waits after each progress report (default 0; demos, tests);
    ``JOB_KEEP_DAYS``, days a finished job's row is kept, for its page, before the workers'
    sweep deletes it (default 30; the comparison it computed stays stored);
    ``ARCHIVE_DIR``, a folder whose documents the scan page (``/scan``) also scans;
    ``BEHIND_PROXY``, set (``1``) when a TLS proxy forwards to the app: its forwarded
    headers are trusted and the session cookie is ``Secure``; ``SECURE_COOKIES``, ``1`` or
    ``0`` to choose the cookie's ``Secure`` flag yourself (it is always ``SameSite=Lax``).
    The database schema is migrated and the bundled dossiers are loaded on start.
    """
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("MEMCON_INSTANCE_PATH")
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_path=str(Path(instance).resolve()) if instance else None,
    )
    app.url_map.converters["int"] = IdConverter  # ids beyond the columns' range are 404
    app.config.from_mapping(
        CORPORA_DIR=None,
        DATABASE_URL=None,
        MAX_UPLOAD_BYTES=5 * 1024 * 1024,
        MAX_TEXT_CHARS=None,
        MAX_PDF_PAGES=DEFAULT_MAX_PAGES,
        QUEUE_URL=None,
        BACKGROUND_SENTENCES=DEFAULT_BACKGROUND_SENTENCES,
        BACKGROUND_CHARS=DEFAULT_BACKGROUND_CHARS,
        BACKGROUND_SECONDS=DEFAULT_BACKGROUND_SECONDS,
        JOB_PAUSE=0,
        JOB_KEEP_DAYS=DEFAULT_JOB_KEEP_DAYS,
        BEHIND_PROXY=False,
        SECURE_COOKIES=None,
    )
    app.config.from_prefixed_env("MEMCON")
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_BYTES"])
    app.extensions["memcon.limits"] = Limits(
        max_chars=int(app.config["MAX_TEXT_CHARS"] or 2 * app.config["MAX_CONTENT_LENGTH"]),
        max_pages=int(app.config["MAX_PDF_PAGES"]),
    )
    folder = app.config["CORPORA_DIR"] or os.environ.get("MEMCON_CORPORA_DIR")
    database = _open_database(app, bundled_dossiers(Path(folder) if folder else None))
    app.extensions["memcon.db"] = database
    background = Jobs(
        database,
        partial(compute, database),
        queue_url=app.config["QUEUE_URL"] or None,
        folder=app.instance_path,
        threshold=int(app.config["BACKGROUND_SENTENCES"]),
        chars=int(app.config["BACKGROUND_CHARS"]),
        seconds=float(app.config["BACKGROUND_SECONDS"]),
        pause=float(app.config["JOB_PAUSE"]),
        keep_days=float(app.config["JOB_KEEP_DAYS"]),
    )
    library = Library(database, background)
    app.extensions["memcon.library"] = library
    app.extensions["memcon.jobs"] = background

    from .views import api, curate, errors, jobs, manage, pages, scan, synopsis, webanno

    app.register_blueprint(pages.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(curate.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(jobs.bp)
    app.register_blueprint(jobs.api_bp)
    app.register_blueprint(scan.bp)
    app.register_blueprint(synopsis.bp)
    app.register_blueprint(import_module(".views.keys", __package__).bp)  # answer keys
    app.register_blueprint(webanno.bp)  # where the Web Annotation export's ids lead
    import_module(".views.exercises", __package__).init_app(app)  # exercises, students
    import_module(".views.lti", __package__).init_app(app)  # LTI 1.3 launches: off unless set
    auth.csrf.exempt(api.bp)  # API changes need a bearer token, never a cookie
    auth.csrf.exempt(jobs.api_bp)
    jobs.init_app(app)
    app.jinja_env.filters["note"] = render_note  # the one way a note becomes HTML
    app.jinja_env.globals["labels"] = LABELS
    init_print(app)  # the printed alignment: its page, and its helpers in templates
    auth.init_app(app)
    security.init_app(app)
    validation.init_app(app)  # NUL and over-long fields refused before any view
    errors.init_app(app)
    return app
