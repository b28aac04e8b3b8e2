"""A whole web app on a fresh SQLite file or PostgreSQL schema, with people and API calls.

The scope and race tests run the same scenario once per backend in
:data:`~tests.dbtest.BACKENDS`: the app is created on a new database holding no bundled
dossier (an empty corpora folder), so ids start low and a reused id shows at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from webapp import create_app
from webapp.store import User
from webapp.store.models import Document, Dossier
from webapp.store.users import new_token

from .conftest import TEST_CONFIG, Site
from .dbtest import migrated_schema


class WebSite(Site):
    """The test site on a new database, with short-hands for the calls the tests make."""

    def add_user(self, name: str, role: str = "annotator") -> None:
        """A user with the password "correct horse", hashed cheaply (scrypt is slow on
        purpose, and these tests make many users), and an API token."""
        cheap = generate_password_hash("correct horse", method="pbkdf2:sha256:1000")
        with self.app.extensions["memcon.db"].session() as session:
            user = User(name=name, password_hash=cheap, role=role)
            session.add(user)
            self.tokens[name] = new_token(session, user)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, who: str, method: str, url: str, **kwargs: Any) -> TestResponse:
        """An API call with ``who``'s token."""
        return self.app.test_client().open(url, method=method, headers=self.headers(who), **kwargs)

    def dossier(self, who: str, title: str) -> str:
        response = self.call(who, "POST", "/api/dossiers", json={"title": title})
        assert response.status_code == 201, response.get_json()
        return str(response.get_json()["id"])

    def document(self, who: str, dossier: str, title: str, kind: str, text: str) -> str:
        response = self.call(
            who,
            "POST",
            f"/api/dossiers/{dossier}/documents",
            data={"title": title, "kind": kind, "text": text},
        )
        assert response.status_code == 201, response.get_json()
        return str(response.get_json()["id"])

    def history(self, who: str, dossier: str) -> list[dict[str, Any]]:
        response = self.call(who, "GET", f"/api/dossiers/{dossier}/history")
        assert response.status_code == 200, response.get_json()
        rows: list[dict[str, Any]] = response.get_json()
        return rows

    def db_id(self, dossier: str, document: str) -> int:
        """The database id of a dossier's document."""
        with self.app.extensions["memcon.db"].session() as session:
            found = session.scalar(
                select(Document.id)
                .join(Dossier, Document.dossier_id == Dossier.id)
                .where(Dossier.slug == dossier, Document.slug == document)
            )
        assert found is not None
        return int(found)

    def documents(self, dossier: str) -> list[tuple[Any, ...]]:
        """Every document of a dossier as stored: id, slug, title, text, version."""
        with self.app.extensions["memcon.db"].session() as session:
            rows = session.execute(
                select(Document.id, Document.slug, Document.title, Document.text, Document.version)
                .join(Dossier, Document.dossier_id == Dossier.id)
                .where(Dossier.slug == dossier)
                .order_by(Document.id)
            ).all()
        return [tuple(row) for row in rows]


@contextmanager
def web_site(backend: str, tmp_path: Path, **config: Any) -> Iterator[WebSite]:
    """A fresh app on ``backend`` ("sqlite" or "postgresql") with no bundled dossier."""
    corpora = tmp_path / "corpora"
    corpora.mkdir(exist_ok=True)
    if backend == "sqlite":
        where: Any = nullcontext(f"sqlite:///{tmp_path / 'memcon.db'}")
    elif backend == "postgresql":
        where = migrated_schema()
    else:
        raise ValueError(f"unknown backend {backend!r}")
    with where as url:
        app = create_app(
            {
                **TEST_CONFIG,
                "WTF_CSRF_ENABLED": False,
                "DATABASE_URL": url,
                "CORPORA_DIR": str(corpora),
                "INSTANCE_PATH": str(tmp_path / "instance"),
                **config,
            }
        )
        try:
            yield WebSite(app)
        finally:
            app.extensions["memcon.db"].dispose()
