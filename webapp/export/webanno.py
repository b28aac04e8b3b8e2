"""W3C Web Annotation export: every link as a ``linking`` Annotation, in JSON-LD.

The result is an ``AnnotationCollection`` whose one ``AnnotationPage`` holds an Annotation
per link, in the dossier's order (rejected links and marks are not exported here). Each
Annotation targets both sides: one ``SpecificResource`` per run of consecutive sentences
(normally one per side), whose source is ``<dossier url>/documents/<document id>`` (the
document's stored text, served as ``text/plain``) and whose selectors are a
``TextQuoteSelector`` (``exact`` with up to 32 characters of ``prefix`` and ``suffix``) and
a ``TextPositionSelector`` over the same span. Positions count code points of the stored
text, as the Web Annotation model does (not UTF-16 units). A target of one whole sentence
has as ``id`` that sentence's page, ``<dossier url>/compare/<account>/<side>/<number>``
(1-based); a run of several sentences, or a quotation within one, has none (its selectors
say where it is). Every id resolves: ``<dossier url>/annotations`` serves the collection
(``?page=1`` its page) and ``<dossier url>/annotations/<id>`` each annotation, as JSON-LD.
The body holds ``moved`` or ``possible move`` (``purpose: classifying``; a possible move is
off the record's order on weak evidence only), the curator's label (``purpose: tagging``)
and note (``purpose: commenting``, Markdown source) when there are any.

A link whose passage the account tells twice (its account sentences in several runs, each
judged on its own order) says so in a ``describing`` body (``told 2 times: A6 told in another
order; A17 in the record's order``) and is followed by one ``linking`` Annotation per
telling, ``<link annotation id>.telling-<k>`` (k 1-based, account order): it targets the
record side and that telling's sentences, is classified ``moved`` or ``possible move`` when
the telling is (the link itself is moved only when every telling is), and its
``describing`` body names the link's annotation.

After the links, one ``assessing`` Annotation per quotation check targets the quoted words
(and the record sentence where they were found): its body classifies it ``exact``,
``altered`` or ``not_found`` and says so in words, with an altered quotation's changed words
(``record -> account``); ``altered`` and ``not_found`` are not verbatim in the record.
"""

from __future__ import annotations

from urllib.parse import quote

from ..collate.model import Telling
from .common import check_dossier
from .model import MACHINE, CuratedDossier, ExportDocument, ExportLink, ExportQuote
from .quotations import verdict

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: How much text around a quotation its selector gives, at most, on each side.
CONTEXT_CHARS = 32


def to_webanno(d: CuratedDossier) -> dict[str, object]:
    """The dossier's links as a JSON-LD Web Annotation collection (a JSON-ready dict)."""
    check_dossier(d)
    base = d.url.rstrip("/")
    items = []
    for link in d.links:
        items.append(_annotation(d, base, link))
        items += [_telling_annotation(d, base, link, k) for k in range(len(link.tellings))]
    items += [_quote_annotation(d, base, n, q) for n, q in enumerate(d.quotes, start=1)]
    collection: dict[str, object] = {
        "@context": CONTEXT,
        "id": f"{base}/annotations",
        "type": "AnnotationCollection",
        "label": d.title,
        "total": len(items),
        "first": {
            "id": f"{base}/annotations?page=1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return collection


def _annotation(d: CuratedDossier, base: str, link: ExportLink) -> dict[str, object]:
    creator: dict[str, str] = (
        {"type": "Software", "name": "memcon"}
        if link.resp == MACHINE
        else {"type": "Person", "nickname": link.resp}
    )
    annotation: dict[str, object] = {
        "id": f"{base}/annotations/{quote(link.id, safe='')}",
        "type": "Annotation",
        "motivation": "linking",
        "creator": creator,
    }
    created = link.created or d.exported
    if created:
        annotation["created"] = created
    body = []
    if link.moved or link.possible_move:
        tag = "moved" if link.moved else "possible move"
        body.append({"type": "TextualBody", "purpose": "classifying", "value": tag})
    if link.tellings:
        body.append({"type": "TextualBody", "purpose": "describing", "value": told_words(link)})
    if link.label:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": link.label})
    if link.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": link.note,
                "format": "text/markdown",
            }
        )
    if body:
        annotation["body"] = body
    account = d.account(link.account)
    record = _targets(base, d.record, link.source, link.account, "record")
    annotation["target"] = record + _targets(base, account, link.witness, link.account, "account")
    return annotation


def told_words(link: ExportLink) -> str:
    """``told 2 times: A6 told in another order; A17 in the record's order``."""
    parts = [f"{_numbers('A', t.witness)} {_order_words(t)}" for t in link.tellings]
    return f"told {len(link.tellings)} times: " + "; ".join(parts)


def _order_words(told: Telling) -> str:
    if told.moved:
        return "told in another order"
    return "possible move" if told.possible_move else "in the record's order"


def _numbers(prefix: str, indices: tuple[int, ...]) -> str:
    return " ".join(f"{prefix}{i + 1}" for i in indices)


def _telling_annotation(
    d: CuratedDossier, base: str, link: ExportLink, k: int
) -> dict[str, object]:
    """Telling ``k`` of a passage told twice: the record side and that telling's account
    sentences, classified ``moved`` or ``possible move`` when it is (the machine's order)."""
    told = link.tellings[k]
    parent = f"{base}/annotations/{quote(link.id, safe='')}"
    pair = f"{_numbers('R', link.source)} → {_numbers('A', told.witness)}"
    body: list[dict[str, object]] = []
    if told.moved or told.possible_move:
        tag = "moved" if told.moved else "possible move"
        body.append({"type": "TextualBody", "purpose": "classifying", "value": tag})
    body.append(
        {
            "type": "TextualBody",
            "purpose": "describing",
            "value": f"telling {k + 1} of {len(link.tellings)} of {parent} ({pair}): "
            + _order_words(told),
        }
    )
    annotation: dict[str, object] = {
        "id": f"{parent}.telling-{k + 1}",
        "type": "Annotation",
        "motivation": "linking",
        "creator": {"type": "Software", "name": "memcon"},
        "body": body,
    }
    if d.exported:
        annotation["created"] = d.exported
    account = d.account(link.account)
    record = _targets(base, d.record, link.source, link.account, "record")
    annotation["target"] = record + _targets(base, account, told.witness, link.account, "account")
    return annotation


def _quote_annotation(
    d: CuratedDossier, base: str, n: int, found: ExportQuote
) -> dict[str, object]:
    """The machine's check of one quotation: the quoted words, and the record sentence."""
    q = found.quote
    account = d.account(found.account)
    target = [_resource(base, account, q.start, q.end)]
    if q.source is not None:
        target += _targets(base, d.record, (q.source,), found.account, "record")
    annotation: dict[str, object] = {
        "id": f"{base}/annotations/quotation-{n}",
        "type": "Annotation",
        "motivation": "assessing",
        "creator": {"type": "Software", "name": "memcon"},
        "body": [
            {"type": "TextualBody", "purpose": "classifying", "value": q.status},
            {"type": "TextualBody", "purpose": "assessing", "value": verdict(q)},
        ],
        "target": target,
    }
    if d.exported:
        annotation["created"] = d.exported
    return annotation


def _targets(
    base: str, document: ExportDocument, indices: tuple[int, ...], account: str, side: str
) -> list[dict[str, object]]:
    """One SpecificResource per run of consecutive sentences of ``document``; one of a
    single sentence has the id of that sentence's page in ``account``'s comparison."""
    runs: list[list[int]] = []
    for index in sorted(indices):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    resources = []
    for run in runs:
        first, last = document.sentences[run[0]], document.sentences[run[-1]]
        resource = _resource(base, document, first.start, last.end)
        if len(run) == 1:
            page = f"{base}/compare/{quote(account, safe='')}/{side}/{run[0] + 1}"
            resource = {"id": page, **resource}
        resources.append(resource)
    return resources


def _resource(base: str, document: ExportDocument, start: int, end: int) -> dict[str, object]:
    """``document[start:end]`` as a SpecificResource with quote and position selectors."""
    text = document.text
    return {
        "type": "SpecificResource",
        "source": f"{base}/documents/{quote(document.id, safe='')}",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                "suffix": text[end : end + CONTEXT_CHARS],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
