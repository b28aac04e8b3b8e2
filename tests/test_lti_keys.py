"""The keys of LTI launches: a platform's key set fetched from its URL (a local server
here: no network) and cached; the tool's own key set at /lti/jwks; and launch requests
that leave no client address in a real server's access log."""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from webapp.library.lti_platforms import PlatformsError
from webapp.views.lti_jwks import thumbprint

from .lti_support import claims, jwks, launch, login, pem, platforms_file, private_key, sign
from .test_exercises_pages import ORDER, _create
from .test_exercises_pages import build_site as build_site
from .test_manage import ManagedSite, text_of

__all__ = ["build_site"]


class KeyServer:
    """A platform's key set endpoint on 127.0.0.1, counting its requests."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = jwks(private_key())
        self.hits = 0
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks"

    @Request.application  # type: ignore[arg-type]
    def app(self, request: Request) -> Response:
        self.hits += 1
        return Response(json.dumps(self.keys), mimetype="application/json")


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    served = KeyServer()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        thread.join(5)


def test_a_key_set_url_is_fetched_at_launch_and_cached(
    make_site: Callable[..., ManagedSite], tmp_path: Path, key_server: KeyServer
) -> None:
    entry = {"jwks": None, "jwks_url": key_server.url}
    site = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path, **entry)))
    assert key_server.hits == 0  # nothing fetched at start-up
    _, code = _create(site, **ORDER)
    for _ in range(2):
        student = site.app.test_client()
        started = login(student, code)
        assert launch(student, sign(claims(started.nonce, code)), started.state).status_code == 303
    assert key_server.hits == 1
    student = site.app.test_client()
    started = login(student, code)
    intruder = sign(claims(started.nonce, code), private_key("intruder"), kid="intruder-key")
    refused = launch(student, intruder, started.state)
    assert refused.status_code == 401 and "no key 'intruder-key'" in text_of(refused)
    # An unknown kid is fetched again (a rotated key), but not within 30 s of the last
    # fetch: a stream of forged kids cannot make memcon hammer the platform.
    assert key_server.hits == 1
    key_server.keys = jwks(private_key("rotated"), kid="rotated-key")
    client = site.app.extensions["memcon.lti"].all[0].keys.client
    client._last_successful_fetch -= 31  # (PyJWKClient's cooldown, 30 s, has passed)
    started = login(student, code)
    rotated = sign(claims(started.nonce, code), private_key("rotated"), kid="rotated-key")
    assert launch(student, rotated, started.state).status_code == 303
    assert key_server.hits == 2
    key_server.server.shutdown()
    key_server.server.server_close()
    client.jwk_set_cache = None  # the cached set expired
    started = login(student, code)
    down = launch(student, sign(claims(started.nonce, code)), started.state)
    assert down.status_code == 503 and "could not be fetched" in text_of(down)


RFC7638 = {  # RFC 7638, section 3.1: the example key and its thumbprint
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc"
    "_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FD"
    "W2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQ"
    "Fh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}


def test_the_tools_key_set_is_served_with_its_thumbprint_as_kid(
    make_site: Callable[..., ManagedSite], tmp_path: Path
) -> None:
    assert thumbprint(RFC7638) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    tool = tmp_path / "tool.pem"
    tool.write_bytes(pem(private_key("tool")))
    site = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path)), LTI_TOOL_KEY=str(tool))
    served = site.app.test_client().get("/lti/jwks")
    assert served.status_code == 200 and served.mimetype == "application/json"
    keys = served.get_json()["keys"]
    assert len(keys) == 1 and "d" not in keys[0] and "p" not in keys[0]  # public only
    assert keys[0]["kid"] == thumbprint(keys[0]) and keys[0]["alg"] == "RS256"
    signed = jwt.encode({"a": 1}, pem(private_key("tool")), "RS256")
    key = jwt.PyJWKSet.from_dict({"keys": keys}).keys[0]
    assert jwt.decode(signed, key.key, algorithms=["RS256"]) == {"a": 1}
    no_key = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path)))
    assert no_key.app.test_client().get("/lti/jwks").status_code == 404


def test_an_unusable_tool_key_stops_the_start(
    make_site: Callable[..., ManagedSite], tmp_path: Path
) -> None:
    platforms = str(platforms_file(tmp_path))
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key", encoding="utf-8")
    curve = tmp_path / "ec.pem"
    curve.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    for path, reason in ((bad, "not a readable PEM"), (curve, "must be an RSA key")):
        with pytest.raises(PlatformsError, match=reason) as refused:
            make_site(LTI_PLATFORMS=platforms, LTI_TOOL_KEY=str(path))
        assert "LTI_TOOL_KEY" in str(refused.value)


FORWARDED = "203.0.113.78"
AGENT = "LmsBrowser/1.0 (quite particular)"


def test_launch_requests_leave_no_client_address_in_the_access_log(
    make_site: Callable[..., ManagedSite], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path)))
    server = make_server("127.0.0.1", 0, site.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    headers = {"X-Forwarded-For": FORWARDED, "User-Agent": AGENT}

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for url, data in (
                (f"{base}/lti/login?iss=https%3A%2F%2Flms.example.edu&login_hint=h", None),
                (f"{base}/lti/launch", b"id_token=x&state=y"),
                (f"{base}/api/dossiers", None),
            ):
                try:
                    opener.open(urllib.request.Request(url, data, headers), timeout=30).read()
                except urllib.error.HTTPError as error:
                    error.read()
    finally:
        server.shutdown()
        thread.join(5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    launched = [line for line in lines if "/lti/" in line]
    other = [line for line in lines if "/api/dossiers" in line]
    assert len(launched) == 2 and other and "127.0.0.1" in other[0]  # the check can fail
    for line in launched:
        assert "127.0.0.1" not in line and FORWARDED not in line and AGENT not in line
