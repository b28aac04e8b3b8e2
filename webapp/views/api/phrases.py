"""Phrase suggestions for the order question: ``GET /api/dossiers/<id>/phrases?q=...``.

Answers, while someone types a phrase, the record phrases near it (1-based record
sentence numbers, as the pages show them) and, for words the record lacks but an account
has, that account's sentence and the record sentence linked to it, with a phrase of it to
ask about instead. The order box of the compare view uses the same answer when it refuses
a phrase (:func:`phrase_hints`, a template global).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ...collate.normalize import Normalizer
from ...collate.phrase_suggest import account_hints, suggest
from ...collate.phrases import PhraseNotFound, locate_phrase
from ...library import DossierComparison
from .. import visible_comparison
from .common import _error, bp

#: Longest phrase looked up (the order box's own limit).
MAX_PHRASE = 300


def _normalizer(result: DossierComparison) -> Normalizer:
    return Normalizer(result.comparison.settings.get("variants", {}))


def in_record(result: DossierComparison, phrase: str) -> bool:
    """Whether the order question finds the phrase in the record (exact or altered)."""
    try:
        locate_phrase(result.record, phrase, _normalizer(result))
    except PhraseNotFound:
        return False
    return True


def hints(result: DossierComparison, phrase: str) -> list[dict[str, Any]]:
    """The accounts that have a phrase the record lacks, each with its sentence, the
    record sentences linked to it and the record phrase offered (numbers 1-based)."""
    if len(phrase.split()) < 2 or in_record(result, phrase):
        return []
    found = account_hints(result.record, result.comparison, phrase, _normalizer(result))
    return [
        {
            "account": result.accounts[h.account].slug,
            "title": result.accounts[h.account].meta.title,
            "sentence": h.sentence + 1,
            "text": result.accounts[h.account].document.sentences[h.sentence].text,
            "record_sentences": [i + 1 for i in h.record_sentences],
            "offer": h.offer,
        }
        for h in found
    ]


def phrases_json(result: DossierComparison, typed: str) -> dict[str, Any]:
    """The suggestions for ``typed``, and the accounts' hints when the record lacks it."""
    found = suggest(result.record, typed, _normalizer(result)) if typed.strip() else ()
    return {
        "query": typed,
        "record": result.record_meta.title,
        "suggestions": [
            {"phrase": s.phrase, "sentence": s.sentence + 1, "exact": s.score >= 1.0} for s in found
        ],
        "in_record": bool(typed.strip()) and in_record(result, typed),
        "accounts": hints(result, typed),
    }


@bp.get("/dossiers/<dossier_id>/phrases")
def phrases(dossier_id: str) -> ResponseReturnValue:
    """Record phrases near ``q`` (best first), and accounts' hints (see the module)."""
    typed = request.args.get("q", "")
    if len(typed) > MAX_PHRASE:
        return _error(f"a phrase has at most {MAX_PHRASE} characters", 400)
    return jsonify(phrases_json(visible_comparison(dossier_id), typed))


@bp.app_template_global("phrase_hints")
def phrase_hints(result: DossierComparison, *typed: str) -> list[dict[str, Any]]:
    """For the order box: each typed phrase the record lacks, with the accounts' hints."""
    return [
        {"phrase": p, "accounts": hints(result, p)} for p in typed if p and not in_record(result, p)
    ]
