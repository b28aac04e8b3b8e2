"""The store: migrations, bundled dossiers, users, tokens, login slow-down, versions."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from webapp.ingest.corpus import bundled_dossiers
from webapp.store import Database, Document, Dossier, User, connect
from webapp.store.bundled import load_bundled, record_of
from webapp.store.database import MIGRATIONS
from webapp.store.models import SentenceMark
from webapp.store.users import (
    UserError,
    check_login,
    check_token,
    create_user,
    delay_for,
    new_token,
    user_for_token,
)

from .conftest import CliResult
from .dbtest import BACKENDS, open_database, url_of

#: Run a test on one backend only (overrides the ``db`` fixture's parameters).
sqlite_only = pytest.mark.parametrize("db", ["sqlite"], indirect=True)
postgresql_only = pytest.mark.parametrize("db", ["postgresql"], indirect=True)


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database: a SQLite file, or an empty PostgreSQL schema."""
    with open_database(request.param, tmp_path) as database:
        yield database


def race(db: Database, model: Any, field: str, values: tuple[str, str]) -> int:
    """Two sessions load the same row; the first edit commits, the second must be refused.

    Returns the version both sessions loaded.
    """
    first, second = db.sessions(), db.sessions()
    try:
        a = first.scalars(select(model)).one()
        b = second.scalars(select(model)).one()
        assert a.version == b.version
        loaded = int(a.version)
        setattr(a, field, values[0])
        first.commit()
        setattr(b, field, values[1])
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    return loaded


def test_migrations_are_idempotent_and_create_every_table(db: Database) -> None:
    db.upgrade()
    assert {
        "users",
        "api_tokens",
        "dossiers",
        "documents",
        "members",
        "comparison_cache",
        "alembic_version",
    } <= set(db.table_names())
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        applied = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert list(applied) == [head]


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    """No drift: what the migrations build is what the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from webapp.store import Base

    with db.engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert drift == []


@sqlite_only
def test_sqlite_tables_with_referenced_ids_never_reuse_them(db: Database) -> None:
    """The models and the migrated schema agree on which tables are AUTOINCREMENT."""
    from webapp.store.models import Base

    wanted = {
        table.name
        for table in Base.metadata.tables.values()
        if table.dialect_options["sqlite"].get("autoincrement")
    }
    assert {"users", "api_tokens", "dossiers", "documents", "changes"} <= wanted
    with db.engine.connect() as connection:
        schema = dict(connection.execute(text("SELECT name, sql FROM sqlite_master")).all())
    built = {name for name, sql in schema.items() if sql and "AUTOINCREMENT" in sql}
    assert built == wanted
    # The partial index survived the copy of the documents table.
    assert "WHERE is_record" in schema["ix_documents_one_record"]


@sqlite_only
def test_sqlite_files_use_wal_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_bundled_dossiers_load_once_with_their_texts(db: Database) -> None:
    bundled = bundled_dossiers()
    with db.session() as session:
        assert load_bundled(session, bundled) == len(bundled)
    with db.session() as session:
        assert load_bundled(session, bundled) == 0
        zavidovo = session.scalar(select(Dossier).where(Dossier.slug == "zavidovo-1993"))
        assert zavidovo is not None and zavidovo.visibility == "public" and zavidovo.bundled
        source = next(d for d in bundled if d.id == "zavidovo-1993")
        record = record_of(zavidovo)
        assert record is not None and record.filename == source.record
        assert record.text == source.text(source.record_meta)
        assert [d.filename for d in zavidovo.documents] == [m.file for m in source.documents]


def test_record_falls_back_to_first_memcon_then_first_document(db: Database) -> None:
    with db.session() as session:
        dossier = Dossier(slug="d", title="D")
        dossier.documents.append(Document(slug="a", title="A", kind="memoir", text="A."))
        dossier.documents.append(
            Document(slug="m", title="M", kind="memcon", text="M.", position=1)
        )
        session.add(dossier)
        session.flush()
        assert record_of(dossier).slug == "m"  # type: ignore[union-attr]
        dossier.documents[1].kind = "article"
        assert record_of(dossier).slug == "a"  # type: ignore[union-attr]
        dossier.documents[1].is_record = True
        assert record_of(dossier).slug == "m"  # type: ignore[union-attr]


def test_a_dossier_has_at_most_one_record(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        dossier = Dossier(slug="two", title="Two records")
        for slug in ("a", "b"):
            dossier.documents.append(
                Document(slug=slug, title=slug, kind="memcon", text="x", is_record=True)
            )
        session.add(dossier)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_users_are_hashed_and_checked(db: Database) -> None:
    with db.session() as session:
        user = create_user(session, "ada", "correct horse", "annotator")
        assert user.password_hash != "correct horse" and "correct horse" not in user.password_hash
    with db.session() as session:
        assert check_login(session, "ada", "correct horse").user is not None
        assert check_login(session, "ada", "wrong").user is None
        assert check_login(session, "nobody", "correct horse").user is None


@pytest.mark.parametrize(
    ("name", "password", "role", "reason"),
    [
        ("ada", "long enough", "reader", "exists already"),
        ("bob", "short", "reader", "at least 8"),
        ("bob", "long enough", "emperor", "unknown role"),
        ("  ", "long enough", "reader", "1 to 80"),
    ],
)
def test_bad_users_are_refused(
    db: Database, name: str, password: str, role: str, reason: str
) -> None:
    with db.session() as session:
        create_user(session, "ada", "long enough")
    with pytest.raises(UserError, match=reason), db.session() as session:
        create_user(session, name, password, role)


def test_repeated_failed_logins_must_wait(db: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with db.session() as session:
        create_user(session, "ada", "correct horse")
    with db.session() as session:
        for _ in range(3):
            result = check_login(session, "ada", "wrong", now)
        # The third failure is checked and answered as wrong (401), and starts a wait.
        assert result.user is None and result.retry_after == 0
        assert result.wait == delay_for(3) == 2
        assert session.scalar(select(User.failed_logins).where(User.name == "ada")) == 3
        # Even the right password is refused while the wait runs.
        blocked = check_login(session, "ada", "correct horse", now + timedelta(seconds=1))
        assert blocked.user is None and blocked.retry_after >= 1
        later = check_login(session, "ada", "correct horse", now + timedelta(seconds=3))
        assert later.user is not None
        assert later.user.failed_logins == 0
    assert delay_for(20) == 300


def test_api_tokens_are_stored_hashed(db: Database) -> None:
    with db.session() as session:
        user = create_user(session, "ada", "correct horse")
        token = new_token(session, user)
    with db.session() as session:
        found = user_for_token(session, token)
        assert found is not None and found.name == "ada"
        assert user_for_token(session, token + "x") is None
        assert token not in str(session.execute(text("SELECT token_hash FROM api_tokens")).all())


def test_a_stale_edit_is_refused_and_changes_nothing(db: Database) -> None:
    with db.session() as session:
        session.add(Dossier(slug="d", title="Original"))
    race(db, Dossier, "title", ("First edit", "Second edit, based on the old version"))
    with db.session() as session:
        stored = session.scalar(select(Dossier).where(Dossier.slug == "d"))
        assert stored is not None and (stored.title, stored.version) == ("First edit", 2)


def test_cli_creates_users_and_tokens(
    db: Database,
    memcon: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    url = url_of(db)
    monkeypatch.setenv("MEMCON_DATABASE_URL", url)
    monkeypatch.setenv("MEMCON_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    created: CliResult = memcon("create-user", "ada", "--role", "admin", "--password-stdin")
    assert created.code == 0, created.err
    assert created.out == "created admin 'ada'\n"
    token: CliResult = memcon("token", "ada")
    assert token.code == 0 and len(token.out.strip()) >= 40
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    again: CliResult = memcon("create-user", "ada", "--password-stdin")
    assert again.code == 2 and "exists already" in again.err
    missing: CliResult = memcon("token", "nobody")
    assert missing.code == 2 and "no user 'nobody'" in missing.err
    with db.session() as session:
        user = user_for_token(session, token.out.strip())
        assert user is not None and user.role == "admin"
        assert session.scalar(select(func.count()).select_from(User)) == 1


def _contents(db: Database) -> dict[str, object]:
    """Row counts of every table and the stored dossiers and documents, for comparisons."""
    with db.session() as session:
        counts = {
            name: session.scalar(text(f"SELECT count(*) FROM {name}"))
            for name in sorted(db.table_names())
        }
        dossiers = session.execute(
            select(Dossier.slug, Dossier.title, Dossier.version).order_by(Dossier.slug)
        ).all()
        documents = session.execute(
            select(
                Document.slug, Document.title, Document.text, Document.is_record, Document.version
            ).order_by(Document.slug)
        ).all()
    return {"counts": counts, "dossiers": dossiers, "documents": documents}


def test_a_failed_transaction_changes_nothing(db: Database) -> None:
    with db.session() as session:
        dossier = Dossier(slug="d", title="D")
        dossier.documents.append(
            Document(slug="a", title="A", kind="memcon", text="Record.", is_record=True)
        )
        dossier.documents.append(
            Document(slug="b", title="B", kind="memoir", text="Memoir.", position=1)
        )
        session.add(dossier)
    before = _contents(db)
    with pytest.raises(IntegrityError), db.session() as session:
        stored = session.scalar(select(Dossier).where(Dossier.slug == "d"))
        assert stored is not None
        stored.title = "Renamed"
        stored.documents[0].text = "Edited record."
        stored.documents.append(
            Document(slug="c", title="C", kind="article", text="New.", position=2)
        )
        session.flush()  # the edits and the new document reach the database ...
        stored.documents.append(
            Document(slug="b", title="B again", kind="memoir", text="Dup.", position=3)
        )
        session.flush()  # ... then a duplicate slug fails, and everything is rolled back
    assert _contents(db) == before


@postgresql_only
def test_postgresql_keeps_tables_and_migration_state_in_the_test_schema(db: Database) -> None:
    with db.engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        ).scalars()
        assert str(schema).startswith("memcon_test_")
        assert {"alembic_version", "documents", "dossiers", "users"} <= set(tables)


@postgresql_only
def test_postgresql_allows_one_record_per_dossier_through_a_partial_unique_index(
    db: Database,
) -> None:
    with db.engine.connect() as connection:
        definition = connection.execute(
            text(
                "SELECT indexdef FROM pg_indexes"
                " WHERE schemaname = current_schema() AND indexname = 'ix_documents_one_record'"
            )
        ).scalar()
    assert definition is not None
    assert "UNIQUE INDEX" in definition and "WHERE is_record" in definition
    # Any number of other documents, and one record in each of several dossiers, are fine.
    with db.session() as session:
        for slug in ("one", "two"):
            dossier = Dossier(slug=slug, title=slug)
            dossier.documents.append(
                Document(slug="r", title="R", kind="memcon", text="x", is_record=True)
            )
            for other in ("m1", "m2"):
                dossier.documents.append(Document(slug=other, title=other, kind="memoir", text="y"))
            session.add(dossier)
    with pytest.raises(IntegrityError, match="ix_documents_one_record"), db.session() as session:
        memoir = session.scalar(
            select(Document)
            .join(Document.dossier)
            .where(Dossier.slug == "one", Document.slug == "m1")
        )
        assert memoir is not None
        memoir.is_record = True
    with db.session() as session:
        records = session.execute(
            select(Dossier.slug, Document.slug)
            .join(Document.dossier)
            .where(Document.is_record)
            .order_by(Dossier.slug)
        ).tuples()
        assert list(records) == [("one", "r"), ("two", "r")]


@postgresql_only
def test_postgresql_counts_versions_and_refuses_a_stale_document_edit(db: Database) -> None:
    with db.session() as session:
        dossier = Dossier(slug="d", title="D")
        dossier.documents.append(Document(slug="a", title="A", kind="memcon", text="v1"))
        session.add(dossier)
    for edit in ("v2", "v3"):
        with db.session() as session:
            document = session.scalar(select(Document).where(Document.slug == "a"))
            assert document is not None
            document.text = edit
    assert race(db, Document, "text", ("first", "second, based on version 3")) == 3
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT text, version FROM documents"))
        assert [tuple(row) for row in stored] == [("first", 4)]


def _cli_with_ada(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``memcon`` commands run against ``db``, which holds the user ada ("correct horse")."""
    monkeypatch.setenv("MEMCON_DATABASE_URL", url_of(db))
    monkeypatch.setenv("MEMCON_INSTANCE_PATH", str(tmp_path))
    with db.session() as session:
        create_user(session, "ada", "correct horse")


def test_cli_lists_revokes_and_expires_tokens(
    db: Database,
    memcon: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _cli_with_ada(db, monkeypatch, tmp_path)
    first = memcon("token", "ada").out.strip()
    second = memcon("token", "ada", "--expires-days", "7").out.strip()
    listed: CliResult = memcon("token", "ada", "--list")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "prefix", "state"]
    assert {line.split("\t")[1] for line in lines[1:]} == {first[:8], second[:8]}
    assert all(line.split("\t")[2] == "active" for line in lines[1:])
    assert first not in listed.out and second not in listed.out
    expiring = next(line for line in lines[1:] if line.split("\t")[1] == second[:8])
    assert expiring.split("\t")[5] != "-"
    revoked: CliResult = memcon("token", "ada", "--revoke", first[:6])
    assert revoked.code == 0 and "revoked token" in revoked.out, revoked.err
    with db.session() as session:
        assert check_token(session, first).reason.startswith("the API token was revoked on")
        assert check_token(session, second).user is not None
        later = datetime.now(UTC) + timedelta(days=8)
        assert "expired on" in check_token(session, second, later).reason
    assert "revoked" in memcon("token", "ada", "--list").out
    missing: CliResult = memcon("token", "ada", "--revoke", "zzzzzzzz")
    assert missing.code == 2 and "has no token" in missing.err
    never: CliResult = memcon("token", "ada", "--expires-days", "0")
    assert never.code == 2 and "expires after 1 to 36500 days" in never.err
    both: CliResult = memcon("token", "ada", "--list", "--expires-days", "3")
    assert both.code == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrading_to_0007_keeps_every_row_merges_double_marks_and_stops_reusing_ids(
    backend: str, tmp_path: Path
) -> None:
    """A database of revision 0006 with rows: the copy of tables cascades nothing."""
    from alembic import command

    from .dbtest import postgres_schema, postgres_url

    where: Any = (
        postgres_schema(postgres_url())
        if backend == "postgresql"
        else __import__("contextlib").nullcontext(f"sqlite:///{tmp_path / 'old.db'}")
    )
    with where as url:
        database = connect(url)
        try:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            with database.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "0006")
                connection.exec_driver_sql(
                    "INSERT INTO dossiers (slug, title, date, description, note, visibility,"
                    " variants, phrases, notes, settings, bundled, version, created_at,"
                    " updated_at) VALUES ('d', 'D', '', '', '', 'private', '{}', '[]', '',"
                    " '{}', false, 1, '2026-01-01', '2026-01-01')"
                )
                for doc in (1, 2):
                    connection.exec_driver_sql(
                        "INSERT INTO documents (dossier_id, slug, position, title, author,"
                        " date, kind, provenance, source, reconstructed, is_record, filename,"
                        f" text, version, created_at) VALUES (1, 'doc{doc}', 0, 'T',"
                        " '', '', 'memcon', '', '', false, false, '', 'Text.', 1, '2026-01-01')"
                    )
                for mark in (1, 2, 3):  # 1 and 2 mark the same sentence
                    connection.exec_driver_sql(
                        "INSERT INTO sentence_marks (dossier_id, document_id, account_id,"
                        ' start, "end", text, note, needs_review, created_by, created_at,'
                        " updated_by, updated_at, version) VALUES"
                        f" (1, 1, 2, {0 if mark < 3 else 6}, 5, 'Text.', '', false, '',"
                        " '2026-01-01', '', '2026-01-01', 1)"
                    )
            database.upgrade()
            with database.session() as session:
                assert session.scalar(select(func.count()).select_from(Document)) == 2
                marks = session.scalars(select(SentenceMark.id).order_by(SentenceMark.id)).all()
                assert marks == [2, 3]  # the newest of the double mark is kept
                session.execute(text("DELETE FROM documents WHERE id = 2"))
            with database.session() as session:
                assert session.scalar(select(func.count()).select_from(SentenceMark)) == 0
                dossier = session.get(Dossier, 1)
                assert dossier is not None
                dossier.documents.append(
                    Document(slug="new", title="New", kind="memcon", text="New text.")
                )
                session.flush()
                assert dossier.documents[-1].id == 3  # not 2 again
        finally:
            database.dispose()


def test_cli_set_password_changes_it_and_ends_sessions(
    db: Database,
    memcon: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _cli_with_ada(db, monkeypatch, tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("a new horse battery\n"))
    changed: CliResult = memcon("set-password", "ada", "--password-stdin")
    assert changed.code == 0 and "sessions have ended" in changed.out, changed.err
    with db.session() as session:
        assert check_login(session, "ada", "correct horse").user is None
        user = check_login(session, "ada", "a new horse battery").user
        assert user is not None and user.session_version == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    short: CliResult = memcon("set-password", "ada", "--password-stdin")
    assert short.code == 2 and "at least 8 characters" in short.err
    assert memcon("set-password", "nobody", "--password-stdin").code == 2


def test_a_token_never_starts_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # A prefix like "-x3f..." would read as an option: `memcon token NAME --revoke -x3f`.
    from webapp.store import users

    drawn = iter(["-leading-dash-token", "_fine-token"])
    monkeypatch.setattr(users.secrets, "token_urlsafe", lambda n: next(drawn))
    assert users._fresh_token() == "_fine-token"
