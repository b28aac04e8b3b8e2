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
import sys
from collections.abc import Sequence

from ..collate.segment import SEGMENTERS
from ..store.roles import ROLES
from .common import CommandError
from .texts import _align, _dossiers, _order, _scan, _show
from .users import _create_user, _set_password, _token

# The engine, the store and the readers are imported by the commands that use them, so
# that ``memcon --help`` answers at once (scikit-learn, SQLAlchemy and Alembic are slow).

__all__ = ["CommandError", "main"]


EXIT_USAGE = 2


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
    from ..collate import PhraseNotFound, SegmentationError
    from ..ingest import IngestError
    from ..ingest.corpus import DossierError

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


def _serve(args: argparse.Namespace) -> str:
    """Run the web app under waitress, a production WSGI server, until interrupted."""
    import waitress

    from ..app import create_app

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

    from ..app import create_app

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
