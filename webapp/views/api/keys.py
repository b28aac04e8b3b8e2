"""The JSON API of answer keys: freeze a dossier's curated alignment, list, read, flag links.

Keys are the teacher's side: reading them needs the owner, an annotator of the dossier or
an admin (403 for anyone else who may see the dossier, 404 for who may not); changes also
need a bearer token, as every API change does. A key's snapshot uses the engine's 0-based
sentence indices (as ``/comparison`` does); link numbers in a flag request are 1-based, as
the pages and the key listing show them.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, url_for
from flask.typing import ResponseReturnValue
from pydantic import StrictBool

from ...library import keys
from .. import current_library, shares
from ..validation import AccountId, Body, Note, json_body
from .common import _error, _writer, bp


class FreezeBody(Body):
    """``POST /api/dossiers/<id>/keys``."""

    note: Note = ""


class FlagBody(Body):
    """``POST /api/dossiers/<id>/keys/<version>/flags``: link numbers to scored or not."""

    account: AccountId
    links: dict[str, StrictBool]
    note: Note | None = None


def _info_json(info: keys.KeyInfo) -> dict[str, Any]:
    return {
        "dossier": info.dossier,
        "version": info.version,
        "source": info.source,
        "based_on": info.based_on,
        "note": info.note,
        "frozen_by": info.frozen_by,
        "frozen_at": info.frozen_at.isoformat(),
        "accounts": [
            {
                "id": a.slug,
                "title": a.title,
                "links": a.links,
                "not_scored": a.not_scored,
                "omitted": a.omitted,
                "quotes": a.quotes,
            }
            for a in info.accounts
        ],
        "url": url_for("api.answer_key", dossier_id=info.dossier, version=info.version),
    }


def _created(info: keys.KeyInfo) -> ResponseReturnValue:
    response = jsonify(_info_json(info))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.answer_key", dossier_id=info.dossier, version=info.version
    )
    return response


@bp.get("/dossiers/<dossier_id>/keys")
def answer_keys(dossier_id: str) -> ResponseReturnValue:
    """Every frozen key version of the dossier, oldest first (summaries, not the keys)."""
    found = keys.list_keys(current_library(), g.user, dossier_id, shares())
    return jsonify({"dossier": dossier_id, "keys": [_info_json(k) for k in found]})


@bp.post("/dossiers/<dossier_id>/keys")
def freeze_key(dossier_id: str) -> ResponseReturnValue:
    """Freeze the curated alignment as the next key version: 201 with its summary."""
    _writer()
    body = json_body(FreezeBody, '{"note": "Week 3, Zavidovo"}')
    return _created(keys.freeze(current_library(), g.user, dossier_id, body.note))


@bp.get("/dossiers/<dossier_id>/keys/<int:version>")
def answer_key(dossier_id: str, version: int) -> ResponseReturnValue:
    """One key version: its summary and the frozen snapshot (0-based sentence indices)."""
    stored = keys.read_key(current_library(), g.user, dossier_id, version, shares())
    return jsonify({**_info_json(stored.info), "key": stored.key.to_dict()})


@bp.post("/dossiers/<dossier_id>/keys/<int:version>/flags")
def flag_key_links(dossier_id: str, version: int) -> ResponseReturnValue:
    """Copy key ``version`` with links flagged scored or "not scored": 201, the new version."""
    _writer()
    body = json_body(FlagBody, '{"account": "christopher", "links": {"2": false}}')
    flags: dict[int, bool] = {}
    for number, scored in body.links.items():
        if not number.isdigit():
            return _error(f"link numbers are whole numbers: {number!r}", 400)
        flags[int(number)] = scored
    info = keys.flag_links(
        current_library(), g.user, dossier_id, version, body.account, flags, body.note
    )
    return _created(info)
