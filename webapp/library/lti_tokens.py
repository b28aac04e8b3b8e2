"""Check an LTI 1.3 launch token (IMS LTI 1.3 core, IMS Security Framework) and read it.

:func:`verify` checks the JWT's RS256 signature with the platform's key named by ``kid``,
its ``iss``, ``aud`` (and ``azp``), ``exp``/``iat``/``nbf`` with a small leeway, the
``nonce`` the login made, the deployment, the message type and version; then reads the
exercise it names. It returns only what memcon keeps (:class:`Launch`): the opaque
subject and the context id. Every refusal is :class:`~webapp.errors.Refused` with its
reason and status: 401 for a token that is not to be trusted, 403 for a deployment not
allowed, 400 for a well-signed launch memcon cannot serve.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

from ..errors import Refused
from .lti import Launch
from .lti_platforms import Platform

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
#: The only signing algorithm accepted (the Security Framework's; never ``none`` or HS256).
ALGORITHMS = ["RS256"]
#: Clock difference tolerated between the platform and memcon, in seconds.
LEEWAY = 60
#: The longest subject or context id the spec allows (and the columns hold).
MAX_ID = 255


def _unauthorized(reason: str) -> Refused:
    return Refused(f"the launch token is refused: {reason}", status=401)


#: PyJWT's refusals, as a person reads them.
REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "it has expired (exp is past)"),
    (jwt.ImmatureSignatureError, "it is not valid yet (iat or nbf is in the future)"),
    (jwt.InvalidAudienceError, "it is meant for another tool (aud is not this client id)"),
    (jwt.InvalidIssuerError, "it was issued by another platform than the login's (iss)"),
    (jwt.InvalidSignatureError, "its signature does not verify with the platform's key"),
    (jwt.InvalidAlgorithmError, "it is not signed with RS256"),
    (jwt.MissingRequiredClaimError, "it lacks a required claim"),
    (jwt.InvalidIssuedAtError, "its iat is not a time"),
)


def _decode(token: str, platform: Platform) -> dict[str, Any]:
    """The signed claims, or Refused (401) saying why not."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise _unauthorized("it is not a signed JWT") from exc
    kid = header.get("kid")
    if header.get("alg") not in ALGORITHMS:
        raise _unauthorized(f"it is signed with {header.get('alg')!r}, not RS256")
    if not isinstance(kid, str) or not kid:
        raise _unauthorized("its header names no key (kid)")
    key = platform.keys.key(kid)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=platform.client_id,
            issuer=platform.issuer,
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
        )
    except jwt.PyJWTError as exc:
        reason = next((text for kind, text in REASONS if isinstance(exc, kind)), "")
        raise _unauthorized(f"{reason or 'it is malformed'} ({exc})") from exc
    return claims


def _check_party(claims: dict[str, Any], platform: Platform, nonce: str) -> None:
    """``azp`` when there are several audiences, and the login's nonce."""
    aud, azp = claims.get("aud"), claims.get("azp")
    if isinstance(aud, list) and len(aud) > 1 and azp is None:
        raise _unauthorized("it has several audiences and no azp")
    if azp is not None and azp != platform.client_id:
        raise _unauthorized("it was authorized for another tool (azp is not this client id)")
    given = claims.get("nonce")
    if not isinstance(given, str) or not hmac.compare_digest(given, nonce):
        raise _unauthorized("its nonce is not the one this browser's login made")


def _check_message(claims: dict[str, Any], platform: Platform) -> None:
    """The deployment is allowed and the message is a 1.3.0 resource link launch."""
    deployment = claims.get(CLAIM + "deployment_id")
    if not isinstance(deployment, str) or deployment not in platform.deployment_ids:
        raise Refused(
            f"the deployment {deployment!r} of this platform is not allowed to launch memcon",
            status=403,
        )
    kind = claims.get(CLAIM + "message_type")
    if kind != "LtiResourceLinkRequest":
        raise Refused(f"memcon serves resource link launches only, not {kind!r}")
    if claims.get(CLAIM + "version") != "1.3.0":
        raise Refused(f"the LTI version {claims.get(CLAIM + 'version')!r} is not 1.3.0")
    link = claims.get(CLAIM + "resource_link")
    if not isinstance(link, dict) or not isinstance(link.get("id"), str) or not link["id"]:
        raise Refused("the launch has no resource link id")


def exercise_code(claims: dict[str, Any]) -> str:
    """The exercise the launch names: the custom parameter ``exercise``, else the target
    link ``.../x/CODE`` (or ``...?exercise=CODE``); Refused if neither names one."""
    custom = claims.get(CLAIM + "custom")
    if isinstance(custom, dict) and isinstance(custom.get("exercise"), str):
        if custom["exercise"].strip():
            return str(custom["exercise"])
    target = claims.get(CLAIM + "target_link_uri")
    if isinstance(target, str):
        parts = urlsplit(target)
        path = parts.path.rstrip("/").split("/")
        if len(path) >= 2 and path[-2] == "x" and path[-1]:
            return path[-1]
        asked = parse_qs(parts.query).get("exercise")
        if asked and asked[0].strip():
            return asked[0]
    raise Refused(
        "the launch names no exercise: set the link's target to this tool's /x/CODE, "
        "or its custom parameter exercise=CODE"
    )


def _identifier(value: object, what: str, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise Refused(f"the launch's {what} must be text of 1 to {MAX_ID} characters")
    return value


def verify(token: str, platform: Platform, nonce: str) -> Launch:
    """Every check of a launch token, then what memcon keeps of it."""
    claims = _decode(token, platform)
    _check_party(claims, platform, nonce)
    _check_message(claims, platform)
    context = claims.get(CLAIM + "context")
    subject = _identifier(claims.get("sub"), "subject (sub)", required=True)
    assert subject is not None
    return Launch(
        issuer=platform.issuer,
        subject=subject,
        context_id=_identifier(
            context.get("id") if isinstance(context, dict) else None,
            "context id",
            required=False,
        ),
        code=exercise_code(claims),
        nonce=nonce,
        expires_at=datetime.fromtimestamp(int(claims["exp"]) + LEEWAY, UTC),
    )
