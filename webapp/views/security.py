"""Security headers on every response (a strict Content-Security-Policy and friends) and
the session cookie's flags, with HTTPS behind a reverse proxy.

No inline scripts or styles are allowed; every script and stylesheet is served from
``static/``. Jinja autoescaping is on for every template (Flask's default for .html).

The session cookie is always ``HttpOnly`` and ``SameSite=Lax``. It is also ``Secure``
(sent over HTTPS only) when ``SECURE_COOKIES`` is set, or when ``BEHIND_PROXY`` says the
app sits behind a TLS-terminating proxy; then werkzeug's ``ProxyFix`` trusts one proxy's
``X-Forwarded-For``/``-Proto``/``-Host``/``-Prefix``, so links and redirects use https.
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def flag(value: object) -> bool:
    """A yes/no setting from the environment or a mapping: ``1``, ``true``, ``yes``, ``on``."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def configure_transport(app: Flask) -> None:
    """Set the session cookie's flags; trust one proxy's forwarded headers if told to."""
    behind_proxy = flag(app.config.get("BEHIND_PROXY"))
    secure = app.config.get("SECURE_COOKIES")
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    # Flask defines the key as None, so a setdefault would leave the cookie without it.
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_SECURE"] = flag(secure) if secure is not None else behind_proxy
    if app.config["SESSION_COOKIE_SECURE"]:
        app.config["PREFERRED_URL_SCHEME"] = "https"
    if behind_proxy:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1
        )


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app`` and set its cookie flags."""
    configure_transport(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
