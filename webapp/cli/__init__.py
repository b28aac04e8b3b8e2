"""The ``memcon`` command: a thin layer over the engine.

``memcon align RECORD ACCOUNT... [--format json|text]`` prints the comparison;
``memcon order RECORD ACCOUNT... --phrase A --phrase B`` answers a phrase-order question;
``memcon dossiers`` lists the bundled dossiers and ``memcon show ID`` compares one;
``memcon scan ACCOUNT FOLDER`` ranks the records of a folder that an account draws on;
``memcon serve`` runs the web app and ``memcon worker`` its background comparisons.
Errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .collate.segment import SEGMENTERS
from .errors import Refused
from .store.roles import ROLES

# The engine, the store and the readers are imported by the commands that use them, so
# that ``memcon --help`` answers at once (scikit-learn, SQLAlchemy and Alembic are slow).
if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from .collate import Document, Settings
    from .store import ApiToken, Database, User

EXIT_USAGE = 2


class CommandError(Refused):
    """A user-facing error: printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        output = args.handler(args)
    except _user_errors() as exc:
        print(f"memcon: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(output)
    return 0


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors printed as one line (imported only when something went wrong)."""
    from .collate import PhraseNotFound, SegmentationError
    from .ingest import IngestError
    from .ingest.corpus import DossierError

    return (CommandError, IngestError, DossierError, PhraseNotFound, SegmentationError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="memcon",
        description="Set accounts of an event against the record, sentence by sentence.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    align = sub.add_parser("align", help="align accounts with a record")
    _texts_arguments(align)
    align.set_defaults(handler=_align)

    order = sub.add_parser("order", help="does phrase A come before phrase B in each account?")
    _texts_arguments(order)
    order.add_argument(
        "--phrase",
        action="append",
        required=True,
        metavar="TEXT",
        help="a phrase of the record; give exactly two",
    )
    order.set_defaults(handler=_order)

    listing = sub.add_parser("dossiers", help="list the bundled dossiers")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=_dossiers)

    show = sub.add_parser("show", help="compare the accounts of a bundled dossier")
    show.add_argument("dossier", help="dossier id, e.g. zavidovo-1993")
    show.add_argument("--format", choices=("text", "json", "html"), default="text")
    show.add_argument(
        "--reference", metavar="FILE", help="file name of the document to use as reference"
    )
    show.set_defaults(handler=_show)

    scan = sub.add_parser("scan", help="rank the records of a folder an account draws on")
    scan.add_argument("account", help="the account (.txt, .md, .pdf, .docx or TEI XML)")
    scan.add_argument("folder", help="a folder of records, searched recursively")
    scan.add_argument(
        "--top", type=int, default=10, metavar="N", help="records to list (default 10)"
    )
    scan.add_argument("--format", choices=("text", "json"), default="text")
    scan.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a dask.distributed scheduler (tcp://host:8786), or processes, threads or sync "
        "for Dask's local schedulers (default: $MEMCON_DASK_SCHEDULER, else processes, "
        "or sync for fewer than 1000 records)",
    )
    scan.add_argument(
        "--partitions", type=int, metavar="N", help="split the records into N partitions"
    )
    scan.add_argument(
        "--segmenter",
        choices=sorted(set(SEGMENTERS) - {"lines"}),
        default="syntok",
        help="sentence segmenter (default: syntok, the faster one)",
    )
    scan.add_argument(
        "--variants", metavar="FILE", help="spelling variants, one 'variant = canonical' per line"
    )
    scan.set_defaults(handler=_scan)

    serve = sub.add_parser("serve", help="start the web app (bundled dossiers, no set-up)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=5000, help="port to listen on")
    serve.add_argument("--threads", type=int, default=4, help="worker threads (waitress)")
    serve.set_defaults(handler=_serve)

    worker = sub.add_parser("worker", help="compare large dossiers in the background")
    worker.add_argument("--workers", type=int, default=1, help="jobs run at once (default 1)")
    worker.add_argument(
        "--worker-type",
        choices=("thread", "process"),
        default="thread",
        help="run the jobs in threads (default) or in processes (several cores)",
    )
    worker.set_defaults(handler=_worker)

    create_user = sub.add_parser("create-user", help="add a user (reader, annotator, admin)")
    create_user.add_argument("name", help="the user name")
    create_user.add_argument("--role", choices=ROLES, default="reader")
    create_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create_user.set_defaults(handler=_create_user)

    password = sub.add_parser("set-password", help="change a user's password (ends their sessions)")
    password.add_argument("name", help="the user name")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    password.set_defaults(handler=_set_password)

    token = sub.add_parser("token", help="print a new API token for a user, list or revoke")
    token.add_argument("name", help="the user name")
    what = token.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="list the user's tokens")
    what.add_argument(
        "--revoke", metavar="TOKEN", help="revoke a token: its id, its first characters, or it"
    )
    token.add_argument(
        "--expires-days",
        type=float,
        metavar="N",
        help="the new token is refused N days from now (default: never expires)",
    )
    token.set_defaults(handler=_token)
    return parser


def _texts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("record", help="the record (.txt or .md)")
    parser.add_argument("accounts", nargs="+", metavar="account", help="accounts of it")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text")
    parser.add_argument(
        "--presegmented",
        action="store_true",
        help="read one sentence per line instead of segmenting prose",
    )
    parser.add_argument(
        "--segmenter",
        choices=sorted(set(SEGMENTERS) - {"lines"}),
        default="pysbd",
        help="sentence segmenter (default: pysbd)",
    )
    parser.add_argument(
        "--variants", metavar="FILE", help="spelling variants, one 'variant = canonical' per line"
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also score sentences by meaning (needs the extra: pip install '.[semantic]')",
    )


def _documents(args: argparse.Namespace) -> tuple[Document, list[Document], Settings]:
    from .collate import Document, Settings
    from .ingest import read_text

    if args.semantic:
        _check_semantic()
    variants = _read_variants(args.variants) if args.variants else {}
    docs = []
    for path in [args.record, *args.accounts]:
        text = read_text(path)
        name = Path(path).name
        doc = (
            Document.from_lines(name, text)
            if args.presegmented
            else Document.from_text(name, text, segmenter=args.segmenter)
        )
        if not doc.sentences:
            raise CommandError(f"{path}: no sentences found")
        docs.append(doc)
    return docs[0], docs[1:], Settings(variants=variants, semantic=args.semantic)


def _check_semantic() -> None:
    """Fail in one line, before any work, when the semantic scorer is not installed."""
    from .collate.semantic import SemanticUnavailable, check_available

    try:
        check_available()
    except SemanticUnavailable as exc:
        raise CommandError(str(exc)) from None


def _read_variants(path: str) -> dict[str, str]:
    """Read 'variant = canonical' (or tab-separated) lines; '#' starts a comment."""
    from .ingest import read_text

    table: dict[str, str] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"\s*=\s*|\t+", line) if p.strip()]
        if len(parts) != 2:
            raise CommandError(f"{path}: line {number}: expected 'variant = canonical'")
        table[parts[0]] = parts[1]
    return table


def _align(args: argparse.Namespace) -> str:
    from .collate import compare
    from .report import comparison_report, html_report

    record, accounts, settings = _documents(args)
    comparison = compare(record, accounts, settings)
    if args.format == "json":
        return _json(comparison.to_dict())
    if args.format == "html":
        return html_report(comparison)
    return comparison_report(comparison)


def _order(args: argparse.Namespace) -> str:
    from .collate import compare, phrase_order
    from .report import order_report

    if len(args.phrase) != 2:
        raise CommandError(f"give exactly two --phrase options (got {len(args.phrase)})")
    if args.format == "html":
        raise CommandError("memcon order writes text or json, not html")
    record, accounts, settings = _documents(args)
    comparison = compare(record, accounts, settings)
    answer = phrase_order(record, comparison, args.phrase[0], args.phrase[1])
    if args.format == "json":
        return _json(answer.to_dict())
    return order_report(answer)


def _dossiers(args: argparse.Namespace) -> str:
    from .ingest.corpus import bundled_dossiers

    found = bundled_dossiers()
    if args.format == "json":
        return _json([{"id": d.id, "title": d.title, "date": d.date} for d in found])
    return "".join(f"{d.id}\t{d.date}\t{d.title}\n" for d in found)


def _show(args: argparse.Namespace) -> str:
    from .collate import PhraseNotFound, compare, phrase_order
    from .ingest.corpus import find_dossier
    from .report import comparison_report, html_report, order_report

    dossier = find_dossier(args.dossier)
    if args.reference:
        files = [d.file for d in dossier.documents]
        if args.reference not in files:
            raise CommandError(
                f"{dossier.id} has no document {args.reference!r} (it has {', '.join(files)})"
            )
        dossier = dataclasses.replace(dossier, record=args.reference)
    record = dossier.document(dossier.record_meta)
    accounts = [dossier.document(meta) for meta in dossier.accounts]
    comparison = compare(record, accounts, dossier.settings())
    if args.format == "json":
        return _json(comparison.to_dict())
    if args.format == "html":
        return html_report(comparison)
    header = f"{dossier.title}\n{dossier.note}\n\n" if dossier.note else f"{dossier.title}\n\n"
    parts = [header, comparison_report(comparison)]
    for a, b in dossier.phrases:
        try:
            parts.append("\n" + order_report(phrase_order(record, comparison, a, b)))
        except PhraseNotFound:
            continue  # the question belongs to the default reference
    return "".join(parts)


def _scan(args: argparse.Namespace) -> str:
    """Rank the records of a folder by how much of the account each accounts for."""
    from .collate import Document
    from .collate.scan import ScanSettings
    from .library.scanning import ScanError, read_document, scan_folder, scan_report

    if args.top < 1:
        raise CommandError(f"--top must be at least 1 (got {args.top})")
    if args.partitions is not None and args.partitions < 1:
        raise CommandError(f"--partitions must be at least 1 (got {args.partitions})")
    variants = _read_variants(args.variants) if args.variants else {}
    account = Document.from_text(
        Path(args.account).name, read_document(args.account), segmenter=args.segmenter
    )
    if not account.sentences:
        raise CommandError(f"{args.account}: no sentences found")
    try:
        found = scan_folder(
            account,
            args.folder,
            settings=ScanSettings(variants=variants),
            segmenter=args.segmenter,
            n_partitions=args.partitions,
            scheduler=args.scheduler,
            top=args.top,
            exclude=args.account,
        )
    except ScanError as exc:
        raise CommandError(str(exc)) from None
    if args.format == "json":
        return _json(found.to_dict())
    return scan_report(found)


def _serve(args: argparse.Namespace) -> str:
    """Run the web app under waitress, a production WSGI server, until interrupted."""
    import waitress

    from .app import create_app

    if not 0 < args.port < 65536:
        raise CommandError(f"--port must be between 1 and 65535 (got {args.port})")
    app = create_app()
    print(f"memcon: serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    try:
        waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="memcon")
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port} ({exc.strerror})") from None
    return ""


def _worker(args: argparse.Namespace) -> str:
    """Run huey's consumer for the app's queue of background comparisons until stopped."""
    import logging

    from .app import create_app

    if args.workers < 1:
        raise CommandError(f"--workers must be at least 1 (got {args.workers})")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    jobs = create_app().extensions["memcon.jobs"]
    print(
        f"memcon: worker on {jobs.describe()}, {args.workers} {args.worker_type}(s)"
        " (Ctrl-C to stop)",
        flush=True,
    )
    jobs.consumer(args.workers, args.worker_type).run()
    return ""


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the app's database, closing every connection afterwards."""
    from .app import create_app

    database: Database = create_app().extensions["memcon.db"]
    try:
        with database.session() as session:
            yield session
    finally:
        database.dispose()


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ")
    return first


def _create_user(args: argparse.Namespace) -> str:
    from .store.users import UserError, create_user

    password = _read_password(args)
    try:
        with _session() as session:
            user = create_user(session, args.name, password, args.role)
            return f"created {user.role} {user.name!r}\n"
    except UserError as exc:
        raise CommandError(str(exc)) from None


def _set_password(args: argparse.Namespace) -> str:
    from .store.users import UserError, set_password

    password = _read_password(args)
    try:
        with _session() as session:
            user = _user(session, args.name)
            set_password(session, user, password)
            return f"changed the password of {user.name!r}; their sessions have ended\n"
    except UserError as exc:
        raise CommandError(str(exc)) from None


def _user(session: Session, name: str) -> User:
    from .store.users import find_user

    user = find_user(session, name)
    if user is None:
        raise CommandError(f"no user {name!r} (create one with memcon create-user)")
    return user


def _token(args: argparse.Namespace) -> str:
    """A new token (printed once), or the list of the user's tokens, or one revoked."""
    from .store.users import UserError, list_tokens, new_token, revoke_token

    if (args.list or args.revoke) and args.expires_days is not None:
        raise CommandError("--expires-days is for a new token, not with --list or --revoke")
    try:
        with _session() as session:
            user = _user(session, args.name)
            if args.list:
                return _token_list(list_tokens(session, user))
            if args.revoke is not None:
                row = revoke_token(session, user, args.revoke)
                return f"revoked token {row.id} ({row.prefix or 'no prefix'}) of {user.name!r}\n"
            return new_token(session, user, args.expires_days) + "\n"
    except UserError as exc:
        raise CommandError(str(exc)) from None


def _token_list(rows: Sequence[ApiToken]) -> str:
    """One line per token: id, prefix, state, created, last used, expires (tab-separated)."""
    from .store.users import token_state

    if not rows:
        return "no tokens\n"

    def when(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    lines = ["id\tprefix\tstate\tcreated\tlast used\texpires"]
    for row in rows:
        fields = (row.prefix or "-", token_state(row), when(row.created_at))
        lines.append(
            "\t".join((str(row.id), *fields, when(row.last_used_at), when(row.expires_at)))
        )
    return "\n".join(lines) + "\n"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
