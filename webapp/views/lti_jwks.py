"""``/lti/jwks``: the tool's public key set, for platforms that ask for one.

``LTI_TOOL_KEY`` names the tool's RSA private key (PEM); its public half is served as a
JSON Web Key Set, its ``kid`` the key's RFC 7638 thumbprint (stable across restarts).
memcon signs nothing yet (no grade passback): platforms that require a key set at
registration get this one. A missing or unusable key file stops the start-up.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from jwt.algorithms import RSAAlgorithm

from ..library.lti_platforms import PlatformsError


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 of the key's required members, in order, without spaces."""
    members = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(members.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def public_jwks(path: Path) -> dict[str, Any]:
    """The key set of the private key in ``path``; PlatformsError if it is not one."""
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PlatformsError(
            f"LTI_TOOL_KEY {path}: not a readable PEM private key ({exc})"
        ) from exc
    if not isinstance(key, RSAPrivateKey):
        raise PlatformsError(f"LTI_TOOL_KEY {path}: must be an RSA key (RS256)")
    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update(kid=thumbprint(jwk), alg="RS256", use="sig")
    return {"keys": [jwk]}


def init_jwks(app: Flask, path: Path) -> None:
    """Serve the key set at ``/lti/jwks``."""
    keys = public_jwks(path)

    def jwks() -> ResponseReturnValue:
        return jsonify(keys)

    app.add_url_rule("/lti/jwks", "lti_jwks", jwks, methods=["GET"])
