"""Exercise requests leave no client address in any request log (issue 14, minimal data).

The app itself logs no requests; the servers do: werkzeug's development server and
gunicorn's access log read the client's address (and gunicorn the user agent) from the
WSGI environ of the request after the app answered, waitress logs none. So a thin WSGI
wrapper blanks, for the students' routes (``/x`` and below, and their JSON under
``/api/x/``) and for what their pages load
(the Referer names an exercise page: style sheets, scripts, the icon), the environ's
address, port, forwarded-for headers (also those ProxyFix kept), Referer and user agent:
neither the app nor a log line can hold them. A filter on gunicorn's access logger also
blanks the header fields a custom log format could print for those routes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

#: The students' routes (exercise_student.py), and their JSON (api/exercises.py).
PREFIX = "/x"
API_PREFIX = "/api/x/"

#: Environ keys that name or trace the client.
CLIENT_KEYS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "werkzeug.proxy_fix.orig",
    "werkzeug.proxy_fix.orig_remote_addr",
)


def is_exercise_path(path: str) -> bool:
    """Whether a request path is one of the students' exercise routes (pages or JSON)."""
    return path == PREFIX or path.startswith((PREFIX + "/", API_PREFIX))


def forget_client(environ: dict[str, Any]) -> None:
    """Blank the client's address and browser in the environ, in place (servers log from
    this very dict)."""
    environ["REMOTE_ADDR"] = "-"
    environ["REMOTE_PORT"] = "-"
    for key in CLIENT_KEYS:
        environ.pop(key, None)


def _from_exercise(environ: Mapping[str, Any]) -> bool:
    """Whether an exercise page asked for this (its style sheet, script, icon): the
    Referer names it. Else those requests would log the student's address beside it."""
    referer = str(environ.get("HTTP_REFERER", ""))
    return is_exercise_path(urlsplit(referer).path) if referer else False


class ForgetClients:
    """WSGI middleware: :func:`forget_client` for exercise routes."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if is_exercise_path(environ.get("PATH_INFO", "")) or _from_exercise(environ):
            forget_client(environ)
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


class AccessFilter(logging.Filter):
    """Blank address and header fields of gunicorn access lines of exercise routes."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, Mapping) and is_exercise_path(str(args.get("U", ""))):
            blanked = {k: ("-" if k == "h" or k.endswith("}i") else v) for k, v in args.items()}
            record.args = blanked
        return True


def init_app(app: Flask) -> None:
    """Wrap the app and filter gunicorn's access log (a logger that exists or not)."""
    app.wsgi_app = ForgetClients(app.wsgi_app)  # type: ignore[method-assign]
    access = logging.getLogger("gunicorn.access")
    if not any(isinstance(f, AccessFilter) for f in access.filters):
        access.addFilter(AccessFilter())
