"""A test learning platform for the LTI tests: its key pair, its platforms file, and its
side of the OIDC login and the signed launch (tokens made with PyJWT, keys with
cryptography, all generated in the test: no network, no fixed key in the repository)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from jwt.algorithms import RSAAlgorithm
from werkzeug.test import TestResponse

ISSUER = "https://lms.example.edu"
CLIENT_ID = "memcon-client-7"
DEPLOYMENT = "deployment-1"
AUTH_URL = "https://lms.example.edu/mod/lti/auth.php"
KID = "platform-key-1"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
#: What a platform sends about a student and memcon must never keep.
PERSONAL = {
    "name": "Ottilie Quarrington-Vex",
    "given_name": "Ottilie",
    "family_name": "Quarrington-Vex",
    "email": "ottilie.qv@student.example.edu",
    "picture": "https://lms.example.edu/pix/ottilie-qv.png",
    CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
    CLAIM + "lis": {"person_sourcedid": "SIS-PERSON-99812", "course_section_sourcedid": "S9"},
}
SUBJECT = "a6d5c443-1f51-4783-ba1a-7686ffe3b54a"
CONTEXT = "course-context-5521"


def private_key(name: str = "platform") -> rsa.RSAPrivateKey:
    """A fresh RSA key per name, made once per test run."""
    return _key(name)  # (one cache key per name: cache tells f() from f("platform"))


@cache
def _key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def jwks(key: rsa.RSAPrivateKey, kid: str = KID) -> dict[str, Any]:
    """The public key set a platform publishes."""
    public: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"keys": [{**public, "kid": kid, "alg": "RS256", "use": "sig"}]}


def platforms_file(folder: Path, **entry: Any) -> Path:
    """A platforms file with the test platform (fields replaced by ``entry``; None: none)."""
    platform: dict[str, Any] = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "deployment_ids": [DEPLOYMENT],
        "auth_login_url": AUTH_URL,
        "jwks": jwks(private_key()),
    }
    platform.update(entry)
    platform = {k: v for k, v in platform.items() if v is not None}  # None: left out
    path = folder / "platforms.json"
    path.write_text(json.dumps({"platforms": [platform]}), encoding="utf-8")
    return path


@dataclass
class Login:
    """The browser's side of a login: the state and nonce the platform was sent."""

    state: str
    nonce: str
    query: dict[str, str]
    response: TestResponse
    cookie: str = field(default="")


def login(client: FlaskClient, code: str, method: str = "GET", **given: str) -> Login:
    """Start a login as the platform would; assert it redirects to the platform."""
    params = {
        "iss": ISSUER,
        "login_hint": "opaque-login-hint-42",
        "target_link_uri": f"http://localhost/x/{code}",
        "lti_message_hint": "message-hint-9",
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT,
        **given,
    }
    if method == "GET":
        response = client.get("/lti/login", query_string=params)
    else:
        response = client.post("/lti/login", data=params)
    assert response.status_code == 302, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    found = client.get_cookie("memcon-lti-" + query["state"], path="/lti/")
    assert found is not None
    return Login(query["state"], query["nonce"], query, response, found.value)


def claims(nonce: str, code: str, /, **changed: Any) -> dict[str, Any]:
    """A resource link launch's claims; a changed claim set to None is left out."""
    now = int(time.time())
    made: dict[str, Any] = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": SUBJECT,
        "exp": now + 300,
        "iat": now,
        "nonce": nonce,
        CLAIM + "deployment_id": DEPLOYMENT,
        CLAIM + "message_type": "LtiResourceLinkRequest",
        CLAIM + "version": "1.3.0",
        CLAIM + "resource_link": {"id": "resource-link-3", "title": "Exercise"},
        CLAIM + "target_link_uri": f"http://localhost/x/{code}",
        CLAIM + "context": {"id": CONTEXT, "label": "HIST 101", "title": "History 101"},
        **PERSONAL,
    }
    made.update(changed)
    return {k: v for k, v in made.items() if v is not None}


def sign(body: dict[str, Any], key: rsa.RSAPrivateKey | None = None, kid: str = KID) -> str:
    return jwt.encode(body, pem(key or private_key()), algorithm="RS256", headers={"kid": kid})


def launch(client: FlaskClient, token: str, state: str) -> TestResponse:
    return client.post("/lti/launch", data={"id_token": token, "state": state})
