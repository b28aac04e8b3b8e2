"""The learning platforms an admin lets launch exercises with LTI 1.3 (issue 14, part 8).

``MEMCON_LTI_PLATFORMS`` names a JSON file ``{"platforms": [...]}``; each platform gives
its ``issuer``, the ``client_id`` it gave memcon, its ``deployment_ids``, its OIDC
``auth_login_url`` and its public keys: exactly one of ``jwks`` (an inline key set),
``jwks_file`` (a key set file, relative to the platforms file) or ``jwks_url`` (fetched at
launch time and cached). The file is read once at start-up: a missing or malformed file is
:class:`PlatformsError`, whose message names the file and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import Refused

#: How long a fetched key set is trusted before it is fetched again, in seconds.
JWKS_CACHE_SECONDS = 300
#: How long a key set fetch may take, in seconds.
JWKS_TIMEOUT = 10


class PlatformsError(ValueError):
    """The platforms file cannot be used: start-up stops, naming the file and the field."""


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"must be an http(s) URL, not {value!r}")
    return value


class PlatformEntry(BaseModel):
    """One platform as the file gives it (unknown fields are refused: a typo is named)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    issuer: str = Field(min_length=1, max_length=255)
    client_id: str = Field(min_length=1, max_length=255)
    deployment_ids: tuple[str, ...] = Field(min_length=1)
    auth_login_url: str
    jwks: dict[str, Any] | None = None
    jwks_file: str | None = None
    jwks_url: str | None = None

    @field_validator("auth_login_url", "jwks_url")
    @classmethod
    def _urls(cls, value: str | None) -> str | None:
        return None if value is None else _web_url(value)

    @field_validator("deployment_ids")
    @classmethod
    def _deployments(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not all(value):
            raise ValueError("a deployment id may not be empty")
        return value

    @model_validator(mode="after")
    def _one_key_set(self) -> PlatformEntry:
        given = [n for n in ("jwks", "jwks_file", "jwks_url") if getattr(self, n) is not None]
        if len(given) != 1:
            named = ", ".join(given) or "none"
            raise ValueError(f"give exactly one of jwks, jwks_file, jwks_url (given: {named})")
        return self


class PlatformsFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    platforms: tuple[PlatformEntry, ...] = Field(min_length=1)


class KeySet:
    """A platform's public keys: a fixed set, or a URL fetched when a launch needs it."""

    def __init__(self, fixed: jwt.PyJWKSet | None = None, url: str | None = None) -> None:
        self.fixed = fixed
        self.client = (
            jwt.PyJWKClient(url, lifespan=JWKS_CACHE_SECONDS, timeout=JWKS_TIMEOUT) if url else None
        )

    def key(self, kid: str) -> jwt.PyJWK:
        """The key named ``kid``; Refused (401) when the set has none, 503 if unreachable."""
        if self.client is not None:
            try:
                return self.client.get_signing_key(kid)
            except jwt.PyJWKClientConnectionError as exc:
                raise Refused(
                    f"the platform's key set could not be fetched: {exc}", status=503
                ) from exc
            except jwt.PyJWKClientError as exc:
                raise Refused(f"the platform's key set has no key {kid!r}", status=401) from exc
        assert self.fixed is not None
        for key in self.fixed.keys:
            if key.key_id == kid:
                return key
        raise Refused(f"the platform's key set has no key {kid!r}", status=401)


@dataclass(frozen=True)
class Platform:
    """A platform memcon trusts: its identity, deployments, login URL and keys."""

    issuer: str
    client_id: str
    deployment_ids: frozenset[str]
    auth_login_url: str
    keys: KeySet


class Platforms:
    """The configured platforms, found by issuer and client id."""

    def __init__(self, platforms: list[Platform]) -> None:
        self.all = platforms

    def find(self, issuer: str, client_id: str | None) -> Platform:
        """The platform of ``issuer`` (and ``client_id``, needed if it has several)."""
        same = [p for p in self.all if p.issuer == issuer]
        if client_id:
            same = [p for p in same if p.client_id == client_id]
        if not same:
            who = f"{issuer!r}" + (f" with client id {client_id!r}" if client_id else "")
            raise Refused(f"the platform {who} is not registered with this tool", status=403)
        if len(same) > 1:
            raise Refused(f"the platform {issuer!r} has several client ids here: send client_id")
        return same[0]


def _key_set(entry: PlatformEntry, folder: Path, where: str) -> KeySet:
    if entry.jwks_url is not None:
        return KeySet(url=entry.jwks_url)
    data: Any = entry.jwks
    if entry.jwks_file is not None:
        path = folder / entry.jwks_file
        data = _read_json(path, f"{where}.jwks_file")
    try:
        return KeySet(fixed=jwt.PyJWKSet.from_dict(data))
    except (jwt.PyJWKSetError, jwt.InvalidKeyError, TypeError, AttributeError) as exc:
        field = "jwks_file" if entry.jwks_file is not None else "jwks"
        raise PlatformsError(f"{where}.{field}: not a usable JSON Web Key Set ({exc})") from exc


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlatformsError(f"{what}: cannot read {path} ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise PlatformsError(f"{what}: {path} is not UTF-8 text ({exc})") from exc


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(_read_text(path, what))
    except json.JSONDecodeError as exc:
        raise PlatformsError(f"{what}: {path} is not JSON ({exc})") from exc


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(the whole file)"
    return f"{where}: {first['msg']}" + (
        f" ({len(exc.errors())} problems)" if len(exc.errors()) > 1 else ""
    )


def load_platforms(path: str | Path) -> Platforms:
    """Read and check the platforms file; PlatformsError names the file and the field."""
    path = Path(path)
    text = _read_text(path, "LTI_PLATFORMS")
    try:
        parsed = PlatformsFile.model_validate_json(text)
    except ValidationError as exc:
        raise PlatformsError(f"LTI_PLATFORMS {path}: {_describe(exc)}") from exc
    seen = [(e.issuer, e.client_id) for e in parsed.platforms]
    if len(set(seen)) != len(seen):
        raise PlatformsError(f"LTI_PLATFORMS {path}: an issuer and client_id appear twice")
    return Platforms(
        [
            Platform(
                issuer=entry.issuer,
                client_id=entry.client_id,
                deployment_ids=frozenset(entry.deployment_ids),
                auth_login_url=entry.auth_login_url,
                keys=_key_set(entry, path.parent, f"LTI_PLATFORMS {path}: platforms.{n}"),
            )
            for n, entry in enumerate(parsed.platforms)
        ]
    )
