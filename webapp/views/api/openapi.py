"""The API described: an OpenAPI 3.1 document built from the app's own routes.

``GET /api/openapi.json`` serves it, ``GET /api`` shows it to people. Every rule of
``app.url_map`` under ``/api`` is in it, whoever wrote the route: its methods, path and
path parameters come from the rule, its summary from the view's docstring, the
authentication from its method (reads need none for a public dossier; a share token or a
log-in for others; every change a bearer token), and what it takes and answers from the
:class:`~.schemas.Spec` declared beside it, if any. Built once per app (routes do not
change after start).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from ... import errors as app_errors
from .. import SHARE_HEADER
from ..errors import FOREIGN
from .common import bp
from .schemas import COMPONENTS, MODELS, Answer, Query, Schema, Spec, documented, ref, spec_of

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_TYPES: dict[str, Schema] = {
    "int": {"type": "integer", "minimum": 0},
    "float": {"type": "number"},
    "path": {"type": "string"},
}
_PARAMETER_WORDS = {
    "dossier_id": "The dossier's id (as in its URL).",
    "document_id": "The document's id within the dossier.",
    "job_id": "The background job's id.",
}
_READ_SECURITY: list[dict[str, list[str]]] = [
    {},
    {"bearerAuth": []},
    {"session": []},
    {"shareHeader": []},
    {"shareQuery": []},
]
SECURITY_SCHEMES: dict[str, Schema] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (made on the page /tokens): every change needs one.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The browser's log-in, and the share links it has opened "
        "(/shared/<token>): reads only.",
    },
    "shareHeader": {
        "type": "apiKey",
        "in": "header",
        "name": SHARE_HEADER,
        "description": "A share link's token: read a dossier shared by link (never change it).",
    },
    "shareQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "share",
        "description": "The same token as ?share=<token>.",
    },
}


def is_api(rule: str) -> bool:
    """Whether a URL rule belongs to the JSON API."""
    return rule == "/api" or rule.startswith("/api/")


def document(app: Flask) -> dict[str, Any]:
    """The app's OpenAPI document (built on first use)."""
    built: dict[str, Any] | None = app.extensions.get("memcon.openapi")
    if built is None:
        built = app.extensions["memcon.openapi"] = build(app)
    return built


def build(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every rule under ``/api``."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not is_api(rule.rule):
            continue
        path, parameters = _path(rule.rule)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for method in methods:
            view = app.view_functions[rule.endpoint]
            suffix = f"_{method.lower()}" if len(methods) > 1 else ""
            operation = _operation(rule, method, parameters, view)
            operation["operationId"] = rule.endpoint.replace(".", "_") + suffix
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "memcon JSON API",
            "version": "1",
            "summary": "Dossiers, their comparisons and their curation, as JSON.",
            "description": "Generated from the application's routes. Errors are always "
            "JSON (the Error schema). Reads of a public dossier need nothing; a dossier "
            "shared by link needs its token; changes need a bearer token.",
        },
        "paths": paths,
        "components": {"schemas": _schemas(), "securitySchemes": SECURITY_SCHEMES},
    }


def _path(rule: str) -> tuple[str, list[Schema]]:
    """The OpenAPI path of a werkzeug rule, and its path parameters."""
    parameters = []
    for match in _ARGUMENT.finditer(rule):
        name, converter = match["name"], match["converter"] or "string"
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": _PARAMETER_WORDS.get(name, name.replace("_", " ") + "."),
                "schema": _TYPES.get(converter, {"type": "string"}),
            }
        )
    return _ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule), parameters


def _operation(
    rule: Rule, method: str, parameters: list[Schema], view: Callable[..., Any]
) -> dict[str, Any]:
    spec = spec_of(rule.endpoint, view) or Spec()
    docstring = _markdown(inspect.getdoc(view) or rule.endpoint)
    summary, _, description = docstring.partition("\n\n")
    operation: dict[str, Any] = {
        "summary": " ".join(summary.split()),
        "tags": [view.__module__.rsplit(".", 1)[-1]],
        "parameters": parameters + [_query(q) for q in spec.query],
        "responses": _responses(spec, method, bool(parameters)),
    }
    if description:
        operation["description"] = description.strip()
    write = method != "GET" and not spec.public
    operation["security"] = [{"bearerAuth": []}] if write else _READ_SECURITY
    if spec.public:
        operation["security"] = [{}]
    operation["x-memcon-auth"] = _auth_words(spec, write)
    if spec.body is not None:
        operation["requestBody"] = _body(spec)
    return operation


def _query(query: Query) -> Schema:
    return {
        "name": query.name,
        "in": "query",
        "required": query.required,
        "description": query.description,
        "schema": query.schema,
    }


def _body(spec: Spec) -> Schema:
    body = spec.body
    schema = body if isinstance(body, dict) else ref(getattr(body, "__name__", "object"))
    return {"required": True, "content": {spec.media: {"schema": schema}}}


def _auth_words(spec: Spec, write: bool) -> str:
    """Who may make the call, in words (the page shows it)."""
    if spec.public:
        return "Anyone with the exercise's code: no account, no token (students)."
    if not write:
        return (
            "None for a public dossier; for one shared by link its token "
            f"({SHARE_HEADER} header, ?share= or a browser that opened the link); "
            "for a private one a log-in or bearer token of someone who may read it."
        )
    words = f"A bearer token of a user with the role {spec.role or 'reader'} or above"
    return words + (f"; {spec.rights}." if spec.rights else ".")


def _error(description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def _responses(spec: Spec, method: str, has_parameters: bool) -> dict[str, Any]:
    answers: dict[int, Answer] = dict(spec.answers) or {200: Answer("OK.", {"type": "object"})}
    out: dict[str, Any] = {str(status): _answer(a) for status, a in sorted(answers.items())}
    if spec.computes:
        out["202"] = {
            "description": "Being computed by a background job: follow Location.",
            "headers": {"Location": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": ref("Pending")}},
        }
    errors = {}
    if spec.body is not None or spec.query:
        errors["400"] = "The request is refused: the reason says which field and why."
    if method != "GET" and not spec.public:
        errors["401"] = "No (valid) bearer token."
        errors["403"] = "This user may see the dossier but not do this with it."
    if has_parameters:
        errors["404"] = "Unknown, or not visible to you (the answer never says which)."
    for status, words in errors.items():
        out.setdefault(status, _error(words))
    return out


def _answer(answer: Answer) -> Schema:
    if answer.schema is None:
        return {"description": answer.description}
    return {"description": answer.description, "content": {answer.media: {"schema": answer.schema}}}


def _schemas() -> dict[str, Schema]:
    """The answers' schemas, the request bodies' (from the pydantic models), and Error
    with the table of errors and their statuses."""
    _, bodies = models_json_schema(
        [(model, "validation") for model in MODELS], ref_template="#/components/schemas/{model}"
    )
    schemas = {**COMPONENTS, **bodies.get("$defs", {})}
    schemas["Error"] = {**schemas["Error"], "x-memcon-errors": _error_table()}
    return schemas


def _error_table() -> list[dict[str, object]]:
    """Which error of the application answers with which status (webapp/errors.py, and
    the foreign errors webapp/views/errors.py maps)."""
    rows: list[dict[str, object]] = []
    for kind in _subclasses(app_errors.MemconError):
        doc = _markdown(inspect.getdoc(kind) or "").split("\n\n")[0]
        rows.append(
            {"error": kind.__name__, "status": kind.status, "meaning": " ".join(doc.split())}
        )
    for other, status in FOREIGN.items():
        rows.append(
            {"error": other.__name__, "status": status, "meaning": f"from {other.__module__}"}
        )
    return rows


def _subclasses(kind: type[app_errors.MemconError]) -> list[type[app_errors.MemconError]]:
    found = []
    for sub in kind.__subclasses__():
        if sub.__module__ == app_errors.__name__:
            found += [sub, *_subclasses(sub)]
    return found


# --- Routes ------------------------------------------------------------------------------

_PAGE = Spec(answers={200: Answer("This page.", {"type": "string"}, "text/html")})
_DOCUMENT = Spec(answers={200: Answer("The OpenAPI 3.1 document.", {"type": "object"})})


@bp.get("")
@documented(_PAGE)
def page() -> ResponseReturnValue:
    """This API described for people: every route, its parameters, body, answers and who
    may call it."""
    return render_template(
        "api.html",
        doc=document(current_app),
        schema_name=schema_name,
        field_words=field_words,
        code_spans=code_spans,
    )


@bp.get("/openapi.json")
@documented(_DOCUMENT)
def openapi_json() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API, generated from its routes."""
    return jsonify(document(current_app))


def field_words(schema: Schema) -> str:
    """A field's type with its limit and default, for the page's schema tables."""
    words = schema_name(schema)
    limits = [s["maxLength"] for s in (schema, *schema.get("anyOf", [])) if "maxLength" in s]
    if limits:
        words += f", at most {limits[0]} characters"
    if schema.get("default") not in (None, [], ""):
        words += f", default {schema['default']}"
    return words


def code_spans(text: str) -> Markup:
    """Text with its `code` spans as <code> (the rest escaped), for the page."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no spans
        return Markup.escape(text)
    html = "".join(
        str(Markup.escape(p)) if k % 2 == 0 else f"<code>{Markup.escape(p)}</code>"
        for k, p in enumerate(parts)
    )
    return Markup(html)  # noqa: S704 -- every part escaped just above


def _markdown(docstring: str) -> str:
    """A docstring's reStructuredText literals (``x``) as CommonMark code spans (`x`)."""
    return docstring.replace("``", "`")


def schema_name(schema: Schema | None) -> str:
    """A schema in a few words for the page: a component's name, or its type."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {schema_name(schema.get('items'))}"
    if "enum" in schema:
        return " | ".join(repr(v) if v == "" else str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(schema_name(s) for s in schema["anyOf"])
    kind = schema.get("type", "object")
    return " or ".join(kind) if isinstance(kind, list) else str(kind)
