"""The door every request passes: typed JSON bodies, bounded fields, no NUL characters.

JSON bodies are read by :func:`json_body` into a pydantic model in strict mode, so a
float, a boolean or an object where an integer or a string belongs is ``400`` naming the
field (``"version": 1.5`` is not version 1, ``"source": [1.9]`` is not sentence 1), and
so is a body that is not JSON, not an object, or nested past any sense (100,000 ``[``).
Every free-text field has a length limit (:data:`FIELD_LIMITS`), the same for forms,
which :func:`init_app` checks before any view runs, with NUL characters anywhere in the
path, the query, a form or a JSON body: PostgreSQL cannot store them, so they are refused
at the door instead of failing deep inside (a ``500``).

>>> from pydantic import ValidationError
>>> try:
...     Version.model_validate({"version": 1.5})
... except ValidationError as exc:
...     print(describe(exc))
version: must be a whole number
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Annotated, Any, Literal, TypeVar

from flask import Flask, abort, request
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
)
from pydantic_core import ErrorDetails

#: The longest value of each free-text field, in characters, in JSON and in forms alike.
#: These are outer bounds: where the store or the notes check a tighter limit (a title's
#: 300 characters once its spaces are collapsed, a note's 20,000), that check's message is
#: the one people see.
FIELD_LIMITS: dict[str, int] = {
    "title": 1_000,
    "name": 80,
    "author": 1_000,
    "date": 200,
    "kind": 40,
    "description": 20_000,
    "provenance": 20_000,
    "note": 40_000,
    "notes": 40_000,
    "label": 80,
    "words": 2_000,
    "account": 200,
    "password": 1_000,
    "id_token": 20_000,  # an LTI 1.3 launch (a platform's signed JWT: often 2-8 KB)
}
#: Form fields whose size only the upload limit bounds (a document's text).
UNBOUNDED_FORM_FIELDS = frozenset({"text"})
#: The longest value of any other form field (ids, choices, tokens, links back).
DEFAULT_FORM_LIMIT = 2_000

M = TypeVar("M", bound=BaseModel)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters (U+0000)")
    return value


def _text(name: str) -> StringConstraints:
    return StringConstraints(strict=True, max_length=FIELD_LIMITS[name])


_NO_NUL = AfterValidator(_no_nul)
Title = Annotated[str, _text("title"), _NO_NUL]
Name = Annotated[str, _text("name"), _NO_NUL]
Author = Annotated[str, _text("author"), _NO_NUL]
Date = Annotated[str, _text("date"), _NO_NUL]
Kind = Annotated[str, _text("kind"), _NO_NUL]
Description = Annotated[str, _text("description"), _NO_NUL]
Provenance = Annotated[str, _text("provenance"), _NO_NUL]
Note = Annotated[str, _text("note"), _NO_NUL]
DossierNotes = Annotated[str, _text("notes"), _NO_NUL]
Label = Annotated[str, _text("label"), _NO_NUL]
Words = Annotated[str, _text("words"), _NO_NUL]
AccountId = Annotated[str, _text("account"), _NO_NUL]
#: A document's text: bounded by the request size (and MEMCON_MAX_TEXT_CHARS), not here.
DocumentText = Annotated[str, StringConstraints(strict=True), _NO_NUL]
#: Sentence numbers: one, or a list of them (1-based).
Numbers = StrictInt | list[StrictInt]
#: A choice the operation checks (``action``, ``side``), with its own message.
Choice = Annotated[str, StringConstraints(strict=True, max_length=40), _NO_NUL]


class Body(BaseModel):
    """A JSON body: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class NewDossier(Body):
    title: Title
    description: Description = ""


class MemberName(Body):
    name: Name


class Settings(Body):
    semantic: StrictBool


class Version(Body):
    version: StrictInt


class DocumentEdit(Version):
    title: Title | None = None
    kind: Kind | None = None
    text: DocumentText | None = None
    author: Author | None = None
    date: Date | None = None
    provenance: Provenance | None = None


class LinkDecision(Body):
    account: AccountId
    source: Numbers = []
    witness: Numbers = []
    action: Choice = "add"
    label: Label | None = None
    note: Note | None = None


class LinkEdit(Body):
    version: StrictInt | None = None
    label: Label | None = None
    note: Note | None = None
    action: Choice | None = None


class Mark(Body):
    account: AccountId
    side: Choice
    index: StrictInt
    significant: StrictBool | Literal["yes", "no", "unset", ""] | None = None
    note: Note | None = None
    version: StrictInt | None = None


class Notes(Body):
    notes: DossierNotes
    version: StrictInt | None = None


class Boundary(Body):
    action: Choice
    index: StrictInt
    words: Words | None = None
    version: StrictInt | None = None


def describe(exc: ValidationError) -> str:
    """Say what is wrong with a body, naming each field: ``version: must be a whole number``.

    The alternatives of a field that takes several types (``source``: a number or a list)
    are said once, not once per alternative.
    """
    said: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in _field_path(error["loc"])) or "body"
        message = _message(error)
        if message not in said.setdefault(where, []):
            said[where].append(message)
    return "; ".join(f"{where}: {' or '.join(messages)}" for where, messages in said.items())


def _field_path(loc: tuple[int | str, ...]) -> list[int | str]:
    """The field and list positions of an error, without pydantic's names of union members."""
    path: list[int | str] = []
    for part in loc:
        if isinstance(part, int) or (path == [] or part.isidentifier()) and "[" not in part:
            if isinstance(part, str) and path and part in _TYPE_NAMES:
                continue
            path.append(part)
    return path


_TYPE_NAMES = frozenset({"int", "bool", "str", "float", "list", "dict", "none"})


def _message(error: ErrorDetails) -> str:
    """A person's words for one pydantic error."""
    kind, context = error["type"], error.get("ctx") or {}
    words = {
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "bool_type": "must be true or false",
        "string_type": "must be text",
        "list_type": "must be a list",
        "missing": "is required",
        "extra_forbidden": "is not a field of this request",
        "none_required": "must be null",
    }
    if kind in words:
        return words[kind]
    if kind == "string_too_long":
        return f"at most {context.get('max_length', 0):,} characters"
    if kind == "literal_error":
        return f"must be {context.get('expected', 'one of the choices')}"
    return str(error["msg"]).removeprefix("Value error, ")


def parse_json(data: bytes, example: str = "") -> object:
    """Parse a request body as JSON, or abort with ``400`` saying why (and what to send)."""
    hint = f"; send JSON like {example}" if example else ""
    if not data.strip():
        abort(400, description=f"the body is empty{hint}")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        abort(400, description=f"the body is not UTF-8 JSON{hint}")
    except RecursionError:
        abort(400, description=f"the JSON is nested too deeply{hint}")
    except ValueError as exc:
        abort(400, description=f"the body is not valid JSON ({exc}){hint}")


def json_body(model: type[M], example: str) -> M:
    """The request's JSON body as ``model``, or abort with ``400`` naming the fields."""
    body = parse_json(request.get_data(cache=True), example)
    if not isinstance(body, dict):
        abort(400, description=f"send a JSON object like {example}")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        known = ", ".join(model.model_fields)
        abort(400, description=f"{describe(exc)} (fields: {known}; send JSON like {example})")


def fields(parsed: BaseModel) -> dict[str, Any]:
    """The fields a client sent (unsent optional fields left out), for the operations."""
    return parsed.model_dump(exclude_unset=True)


def _refuse_nul(where: str, values: Iterable[str]) -> None:
    if any("\x00" in value for value in values):
        abort(400, description=f"the {where} contains a NUL character (U+0000), refused")


def _check_form() -> None:
    """Refuse NUL characters and over-long values in any form field."""
    form = request.form
    _refuse_nul("form", (*form.keys(), *form.values()))
    for name, value in form.items(multi=True):
        if name in UNBOUNDED_FORM_FIELDS:
            continue
        limit = FIELD_LIMITS.get(name, DEFAULT_FORM_LIMIT)
        if len(value) > limit:
            abort(400, description=f"{name}: at most {limit:,} characters (got {len(value):,})")


def init_app(app: Flask) -> None:
    """Check every request at the door, before its view runs."""

    @app.before_request
    def _door() -> None:
        _refuse_nul("address", (request.path, *request.args.keys(), *request.args.values()))
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            _check_form()
