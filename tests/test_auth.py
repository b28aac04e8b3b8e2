"""Logging in and out, CSRF on forms, slowed-down failures, API bearer tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.store.users import create_user, new_token

from .conftest import TEST_CONFIG


@pytest.fixture
def app() -> Flask:
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True})
    with app.extensions["memcon.db"].session() as session:
        user = create_user(session, "ada", "correct horse", "annotator")
        app.config["ADA_TOKEN"] = new_token(session, user)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form has no CSRF token"
    return match.group(1)


def log_in(client: FlaskClient, password: str = "correct horse", **extra: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    return client.post(
        "/login", data={"name": "ada", "password": password, "csrf_token": token, **extra}
    )


def test_log_in_and_out(client: FlaskClient) -> None:
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "ada (annotator)" in page and "Log out" in page
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_forms_need_a_csrf_token(client: FlaskClient) -> None:
    response = client.post("/login", data={"name": "ada", "password": "correct horse"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    log_in(client)
    assert client.post("/logout").status_code == 400


def test_wrong_password_is_refused_and_repeats_must_wait(client: FlaskClient) -> None:
    first = log_in(client, "wrong")
    assert first.status_code == 401
    assert "Wrong name or password." in first.get_data(as_text=True)
    assert "wait" not in log_in(client, "wrong").get_data(as_text=True)
    # The third failure is still checked (401) and starts the wait, as the README says.
    third = log_in(client, "wrong")
    assert third.status_code == 401
    assert int(third.headers["Retry-After"]) == 2
    assert "wait 2 seconds" in third.get_data(as_text=True)
    # Even the right password waits now, and is not checked.
    blocked = log_in(client)
    assert blocked.status_code == 429
    assert "wait" in blocked.get_data(as_text=True)


def test_unknown_user_gets_the_same_answer(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/login", data={"name": "eve", "password": "x" * 10, "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Wrong name or password." in response.get_data(as_text=True)


def test_next_only_follows_local_paths(client: FlaskClient) -> None:
    token = csrf_token(client)
    data = {"name": "ada", "password": "correct horse", "csrf_token": token}
    for target in ("//evil.example/x", "/\\evil.example/x", "/\t/evil.example", "https://e.x/"):
        evil = client.post("/login", query_string={"next": target}, data=data)
        assert evil.headers["Location"] == "/", target
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        data["csrf_token"] = csrf_token(client)
    local = client.post("/login?next=/dossiers/zavidovo-1993", data=data)
    assert local.headers["Location"] == "/dossiers/zavidovo-1993"


def test_api_accepts_bearer_tokens(app: Flask, client: FlaskClient) -> None:
    anonymous = client.get("/api/me")
    assert anonymous.status_code == 401 and anonymous.is_json
    good = client.get("/api/me", headers={"Authorization": f"Bearer {app.config['ADA_TOKEN']}"})
    assert good.get_json() == {"name": "ada", "role": "annotator"}
    bad = client.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.get_json()["error"] == "the API token is not valid"


def test_the_development_secret_key_is_refused_outside_testing() -> None:
    with pytest.raises(RuntimeError, match="development SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "dev"})


def test_a_secret_key_is_generated_once_per_instance(tmp_path: Path) -> None:
    config = {"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)}
    key = create_app(config).config["SECRET_KEY"]
    assert len(key) == 64
    assert create_app(config).config["SECRET_KEY"] == key  # kept across restarts
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    other = tmp_path / "other"
    assert create_app({**config, "INSTANCE_PATH": str(other)}).config["SECRET_KEY"] != key


def copy_of_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    other = app.test_client()
    other.set_cookie(name, cookie.value)
    return other


def test_logging_out_ends_a_copied_session(app: Flask, client: FlaskClient) -> None:
    log_in(client)
    copy = copy_of_session(app, client)
    assert copy.get("/api/me").get_json()["name"] == "ada"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert copy.get("/api/me").status_code == 401
    assert "Log in" in copy.get("/").get_data(as_text=True)
    # Logging in again makes a new session that works.
    log_in(client)
    assert client.get("/api/me").get_json()["name"] == "ada"
    assert copy.get("/api/me").status_code == 401


def test_a_password_change_ends_every_session(app: Flask, client: FlaskClient) -> None:
    from webapp.store.users import find_user, set_password

    log_in(client)
    assert client.get("/api/me").status_code == 200
    with app.extensions["memcon.db"].session() as session:
        user = find_user(session, "ada")
        assert user is not None
        set_password(session, user, "a new horse battery")
    assert client.get("/api/me").status_code == 401
    assert log_in(client).status_code == 401  # the old password no longer works
    assert log_in(client, "a new horse battery").status_code == 302


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_tokens_page_lists_and_revokes_the_owner_s_tokens(
    app: Flask, client: FlaskClient
) -> None:
    token = app.config["ADA_TOKEN"]
    with app.extensions["memcon.db"].session() as session:
        eve = create_user(session, "eve", "correct horse", "annotator")
        eve_token = new_token(session, eve)
    assert client.get("/tokens").status_code == 302  # log in first
    log_in(client)
    page = client.get("/tokens").get_data(as_text=True)
    assert token[:8] in page and eve_token[:8] not in page and token not in page
    ids = re.findall(r'action="/tokens/(\d+)/revoke"', page)
    assert len(ids) == 1
    # Without a CSRF token the form is refused and the token still works.
    assert client.post(f"/tokens/{ids[0]}/revoke").status_code == 400
    assert client.get("/api/me", headers=bearer(token)).status_code == 200
    # Another person's token cannot be revoked from here.
    csrf = csrf_token(client, "/tokens")
    eve_id = int(ids[0]) + 1
    assert client.post(f"/tokens/{eve_id}/revoke", data={"csrf_token": csrf}).status_code == 404
    assert client.get("/api/me", headers=bearer(eve_token)).status_code == 200
    revoked = client.post(f"/tokens/{ids[0]}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 302
    refused = client.get("/api/me", headers=bearer(token))
    assert refused.status_code == 401 and "was revoked on" in refused.get_json()["error"]
    assert "revoked" in client.get("/tokens").get_data(as_text=True)
    # A new token, with an expiry, is shown once.
    made = client.post("/tokens", data={"csrf_token": csrf, "expires_days": "30"})
    assert made.status_code == 200
    new = re.search(r'<code class="token">([^<]+)</code>', made.get_data(as_text=True))
    assert new and client.get("/api/me", headers=bearer(new.group(1))).status_code == 200
    bad = client.post("/tokens", data={"csrf_token": csrf, "expires_days": "-1"})
    assert bad.status_code == 400


def test_an_expired_token_is_refused_with_the_reason(app: Flask, client: FlaskClient) -> None:
    from datetime import UTC, datetime, timedelta

    from webapp.store.users import find_user

    with app.extensions["memcon.db"].session() as session:
        user = find_user(session, "ada")
        assert user is not None
        old = new_token(session, user, 1, now=datetime.now(UTC) - timedelta(days=2))
        fresh = new_token(session, user, 1)
    refused = client.get("/api/me", headers=bearer(old))
    assert refused.status_code == 401 and "expired on" in refused.get_json()["error"]
    assert client.get("/api/me", headers=bearer(fresh)).status_code == 200
