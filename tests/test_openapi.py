"""The API described: /api/openapi.json lists every /api route of the running app (from its
url_map), is a valid OpenAPI 3.1 document, and says what the routes really answer; /api
shows the same to people."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from webapp import create_app

from .conftest import TEST_CONFIG

ZAVIDOVO = "zavidovo-1993"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(dict(TEST_CONFIG))


@pytest.fixture(scope="module")
def doc(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    data: dict[str, Any] = response.get_json()
    return data


def _api_rules(app: Flask) -> list[tuple[str, str]]:
    """(METHOD, OpenAPI path) of every rule under /api in the app's url_map."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule == "/api" or rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((method, path))
    return found


def test_every_api_route_of_the_url_map_is_in_the_document(app: Flask, doc: dict[str, Any]) -> None:
    rules = _api_rules(app)
    assert len(rules) > 25  # the API as it is: dossiers, documents, curation, jobs, this
    for method, path in rules:
        operation = doc["paths"].get(path, {}).get(method.lower())
        assert operation is not None, f"{method} {path} is missing from /api/openapi.json"
        assert operation["summary"], f"{method} {path} has no summary"
        named = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        assert named == set(re.findall(r"{(\w+)}", path)), (method, path)
        assert operation["responses"], (method, path)
    listed = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert listed == set(rules)  # nothing described that does not exist


def test_the_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # openapi-spec-validator: raises on any error


def test_a_new_route_appears_without_editing_the_spec() -> None:
    app = create_app(dict(TEST_CONFIG))

    def counted(dossier_id: str, number: int) -> str:
        """Count something in a dossier (a route nobody described)."""
        return "1"

    app.add_url_rule("/api/dossiers/<dossier_id>/count/<int:number>", view_func=counted)
    app.add_url_rule("/api/ping", view_func=lambda: "pong", endpoint="ping", methods=["POST"])
    doc = app.test_client().get("/api/openapi.json").get_json()
    validate(doc)
    operation = doc["paths"]["/api/dossiers/{dossier_id}/count/{number}"]["get"]
    assert operation["summary"] == "Count something in a dossier (a route nobody described)."
    number = next(p for p in operation["parameters"] if p["name"] == "number")
    assert number["schema"]["type"] == "integer" and number["required"]
    assert "404" in operation["responses"]  # a path with a dossier can be unknown
    ping = doc["paths"]["/api/ping"]["post"]
    assert ping["summary"] == "ping"  # no docstring: the endpoint's name
    assert ping["security"] == [{"bearerAuth": []}] and "401" in ping["responses"]


def test_bodies_and_auth_are_those_the_views_take(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    decide = doc["paths"]["/api/dossiers/{dossier_id}/links"]["post"]
    body = decide["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/LinkDecision"}
    assert schemas["LinkDecision"]["required"] == ["account"]
    assert schemas["LinkDecision"]["additionalProperties"] is False
    assert decide["security"] == [{"bearerAuth": []}]
    create = doc["paths"]["/api/dossiers"]["post"]
    assert "annotator" in create["x-memcon-auth"]
    assert "201" in create["responses"] and schemas["NewDossier"]["required"] == ["title"]
    read = doc["paths"]["/api/dossiers/{dossier_id}"]["get"]
    assert {} in read["security"] and {"shareHeader": []} in read["security"]
    schemes = doc["components"]["securitySchemes"]
    assert schemes["shareHeader"] == {
        **schemes["shareHeader"],
        "in": "header",
        "name": "X-Memcon-Share",
    }
    comparison = doc["paths"]["/api/dossiers/{dossier_id}/comparison"]["get"]
    assert "202" in comparison["responses"]  # a large dossier answers with its job


def test_the_error_shape_is_a_component_with_the_error_table(doc: dict[str, Any]) -> None:
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "status"]
    table = {row["error"]: row["status"] for row in error["x-memcon-errors"]}
    assert table["NotFound"] == 404 and table["Forbidden"] == 403 and table["Conflict"] == 409
    assert table["StaleDataError"] == 409


def _validator(doc: dict[str, Any], name: str) -> Draft202012Validator:
    root = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return Draft202012Validator(root)


@pytest.mark.parametrize(
    ("url", "status", "schema"),
    [
        ("/api/dossiers", 200, None),
        (f"/api/dossiers/{ZAVIDOVO}", 200, "Dossier"),
        (f"/api/dossiers/{ZAVIDOVO}/documents/{ZAVIDOVO}-memcon", 200, "DocumentWithText"),
        (f"/api/dossiers/{ZAVIDOVO}/comparison", 200, "Comparison"),
        ("/api/dossiers/no-such-dossier", 404, "Error"),
        ("/api/me", 401, "Error"),
        (f"/api/dossiers/{ZAVIDOVO}/order?a=nothing+like+this&b=Yeltsin", 422, "Error"),
    ],
)
def test_real_answers_match_the_documented_schemas(
    app: Flask, doc: dict[str, Any], url: str, status: int, schema: str | None
) -> None:
    response = app.test_client().get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    path = re.sub(r"\?.*", "", url)
    template = next(
        p
        for p in doc["paths"]
        if re.fullmatch(re.sub(r"{\w+}", r"[^/]+", p), path) and "get" in doc["paths"][p]
    )
    answer = doc["paths"][template]["get"]["responses"][str(status)]
    documented = answer["content"]["application/json"]["schema"]
    if schema is not None:
        assert documented == {"$ref": f"#/components/schemas/{schema}"}
    root = {**documented, "components": doc["components"]}
    errors = list(Draft202012Validator(root).iter_errors(response.get_json()))
    assert not errors, [e.message for e in errors[:3]]


def test_the_api_page_lists_every_route_for_people(app: Flask) -> None:
    response = app.test_client().get("/api")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = html.unescape(response.get_data(as_text=True))
    for method, path in _api_rules(app):
        assert re.search(rf"<code>{method} {re.escape(path)}</code>", page), (method, path)
    assert "X-Memcon-Share" in page and "Authorization: Bearer" in page
    assert 'id="schema-Error"' in page and "NotFound" in page
    # A server-rendered page, no viewer from a CDN: only the site's own scripts of every page.
    scripts = re.findall(r"<script[^>]*>", page)
    assert all(re.fullmatch(r'<script src="/static/[\w.-]+\.js" defer>', s) for s in scripts)
    assert "api" not in " ".join(scripts)
    assert 'href="/api/openapi.json"' in page
