"""What the API's routes take and answer, declared beside them for the OpenAPI document.

A route says what it takes and answers with :func:`documented` (which only stores a
:class:`Spec` on the view function); :mod:`.openapi` reads it. A route without one is
still described (method, path, parameters, summary, the authentication its method
needs), from its rule and docstring. Request bodies are the pydantic models of
:mod:`webapp.views.validation`, so the document says exactly what the views accept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from ...collate.phrases import VERDICTS
from ...export.webanno import CONTEXT as WEBANNO_CONTEXT
from .. import validation

F = TypeVar("F", bound=Callable[..., Any])
Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """A reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


@dataclass(frozen=True)
class Query:
    """A query-string parameter."""

    name: str
    description: str
    schema: Schema = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True)
class Answer:
    """One response: what it means, and its body (None: no body)."""

    description: str
    schema: Schema | None = None
    media: str = "application/json"


@dataclass(frozen=True)
class Spec:
    """What a route takes and answers, beyond what its rule and docstring say."""

    #: The JSON body's model, or a schema (with ``media``) for other bodies.
    body: type[BaseModel] | Schema | None = None
    media: str = "application/json"
    query: tuple[Query, ...] = ()
    answers: dict[int, Answer] = field(default_factory=dict)
    #: The least role a write needs (``reader`` unless said); None for reads.
    role: str | None = None
    #: What else the right to change needs (dossier owner, an annotator among members).
    rights: str = ""
    #: A read that may have to wait for a background comparison (202 with the job).
    computes: bool = False
    #: A route anyone may call, also to change something, with no token (an exercise's
    #: code is its only key: the students' JSON).
    public: bool = False


#: Specs of routes whose modules do not declare them (their owners may move them there).
FALLBACK: dict[str, Spec] = {}


def documented(spec: Spec) -> Callable[[F], F]:
    """Attach ``spec`` to a view (put it under the route decorator)."""

    def attach(view: F) -> F:
        view.__dict__["openapi_spec"] = spec
        return view

    return attach


def spec_of(endpoint: str, view: Callable[..., Any]) -> Spec | None:
    """The spec a view declares, else the fallback for its endpoint."""
    found = getattr(view, "openapi_spec", None)
    return found if isinstance(found, Spec) else FALLBACK.get(endpoint)


#: Request bodies, by the name the document gives their schemas.
MODELS: tuple[type[BaseModel], ...] = (
    validation.NewDossier,
    validation.MemberName,
    validation.Settings,
    validation.DocumentEdit,
    validation.LinkDecision,
    validation.LinkEdit,
    validation.Mark,
    validation.Notes,
    validation.Boundary,
)

_STR, _INT, _BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
_NULL_STR = {"type": ["string", "null"]}


def _object(required: tuple[str, ...], **properties: Schema) -> Schema:
    return {"type": "object", "required": list(required), "properties": properties}


_DOCUMENT_FIELDS = {
    "id": _STR,
    "title": _STR,
    "author": _STR,
    "date": _STR,
    "kind": _STR,
    "provenance": _STR,
    "reconstructed": _BOOL,
}

#: The schemas of the answers (the request bodies come from :data:`MODELS`).
COMPONENTS: dict[str, Schema] = {
    "Error": {
        **_object(("error", "status"), error=_STR, status=_INT),
        "description": "Every refusal, under /api/: the reason in words and the HTTP status. "
        "See webapp/errors.py for which error gives which status.",
    },
    "Conflict": {
        **_object(
            ("error", "status"), error=_STR, status={"const": 409}, current={"type": "object"}
        ),
        "description": "A change based on an old version: nothing was changed; `current` "
        "is the stored state to base the next try on.",
    },
    "Me": _object(("name", "role"), name=_STR, role=_STR),
    "DocumentSummary": _object(tuple(_DOCUMENT_FIELDS), **_DOCUMENT_FIELDS),
    "Document": _object(
        ("id", "title", "kind", "version", "record"),
        **_DOCUMENT_FIELDS,
        filename=_STR,
        version=_INT,
        record=_BOOL,
    ),
    "DocumentWithText": {"allOf": [ref("Document"), _object(("text",), text=_STR)]},
    "DossierSummary": _object(
        ("id", "title", "documents"),
        id=_STR,
        title=_STR,
        date=_STR,
        description=_STR,
        note=_STR,
        record=_NULL_STR,
        documents=array(ref("DocumentSummary")),
    ),
    "Dossier": _object(
        ("id", "title", "visibility", "version", "documents"),
        id=_STR,
        title=_STR,
        date=_STR,
        description=_STR,
        note=_STR,
        visibility={"enum": ["private", "link", "public"]},
        owner=_NULL_STR,
        members=array(_STR),
        version=_INT,
        notes=_STR,
        record=_NULL_STR,
        settings=_object(("semantic",), semantic=_BOOL),
        documents=array(ref("Document")),
    ),
    "Created": _object(("id",), id=_STR, version=_INT),
    "Members": _object(("members",), members=array(_STR)),
    "SettingsAnswer": _object(("semantic",), semantic=_BOOL),
    "Comparison": {
        **_object(
            ("schema", "source", "witnesses"),
            schema=_INT,
            source={"type": "object"},
            witnesses=array({"type": "object"}),
            dossier=_object(("id", "title"), id=_STR, title=_STR),
        ),
        "description": "The engine's comparison JSON, described field by field in "
        "docs/json-schema.md; sentence `index` values are 0-based.",
    },
    "Order": {
        **_object(
            ("accounts",),
            record={"type": "object"},
            accounts=array(
                _object(
                    ("verdict", "a", "b", "tellings", "explanation"),
                    id=_STR,
                    name=_STR,
                    verdict={"enum": list(VERDICTS)},
                    a=array(_INT),
                    b=array(_INT),
                    tellings=array(
                        _object(
                            ("a", "b", "verdict"),
                            a=_INT,
                            b=_INT,
                            verdict={"enum": ["kept", "inverted"]},
                        )
                    ),
                    explanation=_STR,
                )
            ),
        ),
        "description": "For each account: kept, inverted, both (a phrase told twice, the "
        "tellings in both orders: each pair in `tellings`) or missing; see docs/cli.md.",
    },
    "Job": _object(
        ("id", "dossier", "status", "stage", "progress", "percent"),
        id=_STR,
        dossier=_STR,
        reference=_NULL_STR,
        status={"enum": ["queued", "running", "done", "failed", "cancelled"]},
        stage=_STR,
        stage_label=_STR,
        progress={"type": "number"},
        percent=_INT,
        message=_STR,
        cancel_requested=_BOOL,
        created_by=_STR,
        created_at=_STR,
        updated_at=_STR,
        finished_at=_NULL_STR,
    ),
    "Pending": {
        **_object(
            ("job", "status", "stage", "progress"),
            job=_STR,
            status=_STR,
            stage=_STR,
            progress={"type": "number"},
        ),
        "description": "The comparison is computed by a background job: follow `Location` "
        "(GET /api/jobs/{job_id}) and ask again when it is done.",
    },
    "Change": _object(
        ("target", "id", "version"), target=_STR, id=_INT, version=_INT, message=_STR
    ),
    "WebAnnotation": {
        "type": "object",
        "required": ["@context", "id", "type"],
        "properties": {"@context": {"const": WEBANNO_CONTEXT}, "id": _STR, "type": _STR},
        "description": "A W3C Web Annotation (JSON-LD); see docs/exports.md.",
    },
}

#: Query parameters several reads take.
REFERENCE = Query("reference", "Another document of the dossier as the reference.")
SHARE = Query("share", "A share link's token (or send the X-Memcon-Share header).")

_CHANGE = {200: Answer("The change, stored: its target, id and new version.", ref("Change"))}
_CONFLICT = {409: Answer("Based on an old version: nothing changed.", ref("Conflict"))}
_ANNOTATORS = "an annotator among the dossier's owner and members, or an admin"
_OWNER = "the dossier's owner or an admin"
_JOB = {200: Answer("The job.", ref("Job"))}

FALLBACK.update(
    {
        "api.links": Spec(
            query=(REFERENCE, SHARE),
            answers={200: Answer("Every account's links, omissions, additions and marks.")},
            computes=True,
        ),
        "api.decide_link": Spec(
            body=validation.LinkDecision,
            answers={201: _CHANGE[200], **_CONFLICT},
            rights=_ANNOTATORS,
        ),
        "api.edit_link": Spec(
            body=validation.LinkEdit, answers={**_CHANGE, **_CONFLICT}, rights=_ANNOTATORS
        ),
        "api.withdraw_link": Spec(
            query=(Query("version", "The decision's version.", _INT, required=True),),
            answers={**_CHANGE, **_CONFLICT},
            rights=_ANNOTATORS,
        ),
        "api.mark_sentence": Spec(
            body=validation.Mark, answers={**_CHANGE, **_CONFLICT}, rights=_ANNOTATORS
        ),
        "api.dossier_notes": Spec(
            body=validation.Notes, answers={**_CHANGE, **_CONFLICT}, rights=_ANNOTATORS
        ),
        "api.boundaries": Spec(
            body=validation.Boundary, answers={**_CHANGE, **_CONFLICT}, rights=_ANNOTATORS
        ),
        "api.history": Spec(
            query=(
                SHARE,
                Query("target", "Only changes of this kind of item (link, mark, ...)."),
                Query("id", "Only changes of the item with this id.", _INT),
            ),
            answers={
                200: Answer("Every recorded change, newest first.", array({"type": "object"}))
            },
        ),
        "api.revert_change": Spec(answers={**_CHANGE, **_CONFLICT}, rights=_ANNOTATORS),
        "api.export": Spec(
            query=(
                SHARE,
                REFERENCE,
                Query(
                    "format",
                    "json (default), csv, tei, webanno (JSON-LD) or html.",
                    {"enum": ["json", "csv", "tei", "webanno", "html"], "default": "json"},
                ),
            ),
            answers={200: Answer("The curated comparison in the format asked for.")},
            computes=True,
        ),
        "api.import_curation": Spec(
            body=_object((), file={"type": "string", "contentMediaType": "application/json"}),
            media="multipart/form-data",
            answers={**_CHANGE, **_CONFLICT},
            rights=_OWNER,
        ),
        "jobs_api.job": Spec(query=(SHARE,), answers=_JOB),
        "jobs_api.cancel_api": Spec(
            answers={**_JOB, 409: Answer("The job has ended already.", ref("Error"))},
            rights="who may edit the dossier, or who started the job",
        ),
        "jobs_api.retry_api": Spec(
            answers={
                202: Answer("The new job (Location: its URL).", ref("Job")),
                409: Answer("The job is still active.", ref("Error")),
            },
            rights="who may edit the dossier, or who started the job",
        ),
    }
)
