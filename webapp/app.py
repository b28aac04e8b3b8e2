"""The Flask application factory: ``create_app()`` wires configuration and blueprints.

>>> app = create_app({"TESTING": True})
>>> app.test_client().get("/api/dossiers").status_code
200
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import errors, security
from .library import Library
from .resources import resource_dir


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the web app on the embedded default: the bundled dossiers, no set-up.

    Configuration keys (also read from the environment with a ``MEMCON_`` prefix):
    ``CORPORA_DIR``, a folder of dossiers to serve instead of the bundled ones.
    """
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.from_mapping(CORPORA_DIR=None, JSON_SORT_KEYS=False)
    app.config.from_prefixed_env("MEMCON")
    if config:
        app.config.from_mapping(config)
    folder = app.config["CORPORA_DIR"] or os.environ.get("MEMCON_CORPORA_DIR")
    app.extensions["memcon.library"] = Library(Path(folder) if folder else None)

    from .views import api, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    security.init_app(app)
    errors.init_app(app)
    return app
