"""How long the hostile files and dossiers take to be refused or sent to a job.

Run: ``python -m benchmarks.bench_hostile`` (``--quick`` leaves out the largest zip bomb
and the 20,000-line request). The tests (``tests/test_hostile.py``,
``tests/test_jobs_cost.py``) assert the *work* bounded (bytes unpacked, pages touched, no
parse, no comparison in the request), never seconds, so a slow machine cannot fail them;
the seconds are printed here instead: CPU seconds of this process (what an idle machine's
wall clock would show) and wall seconds, with the load average. The builders of the
hostile files live here and the tests import them.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx

from webapp import create_app
from webapp.ingest import IngestError, read_upload
from webapp.ingest.limits import DEFAULT_LIMITS

from .bench_cost import Case, admin_client, templated, write_dossier

# --------------------------------------------------------------------------- builders


def word_file(body_xml: Callable[[Any], None], prolog: bytes = b"") -> bytes:
    """A Word file whose body XML ``body_xml`` writes to a stream (deflated as it goes)."""
    base = docx.Document()
    base.add_paragraph("x")
    source = io.BytesIO()
    base.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info, old.read(info.filename))
                continue
            head, _, tail = old.read(info.filename).partition(b"<w:body>")
            declaration, _, root = head.partition(b"?>")
            with new.open("word/document.xml", "w") as stream:
                stream.write(declaration + b"?>\n" + prolog + root + b"<w:body>")
                body_xml(stream)
                stream.write(tail)
    return out.getvalue()


def zip_bomb(xml_bytes: int, paragraph: bytes) -> bytes:
    """A small Word file whose body repeats ``paragraph`` to ``xml_bytes`` of XML."""
    chunk = paragraph * (1024 * 1024 // len(paragraph))

    def write(stream: Any) -> None:
        for _ in range(xml_bytes // len(chunk)):
            stream.write(chunk)

    return word_file(write)


def many_pages_pdf(pages: int) -> bytes:
    """A valid PDF of ``pages`` pages sharing one content stream (a line of text each)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}

    def obj(number: int, body: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    content = b"BT /F1 12 Tf 72 720 Td (The minister spoke.) Tj ET"
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
    obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    obj(4, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
    page += b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    for i in range(pages):
        obj(5 + i, page)
    xref = out.tell()
    size = 5 + pages
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


WORDS = (
    "the minister said that alliance would stay open to new members and asked about timing "
    "of enlargement while the decision remained a long term matter for europe and its people"
).split()


def lines_without_full_stops(lines: int, seed: int) -> str:
    """``lines`` lines of eight words, with no full stop, question or exclamation mark."""
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(lines)) + "\n"


#: The paragraph of the zip bomb refused at the text limit: 1,000 characters of text.
WORDY_PARAGRAPH = b"<w:p><w:r><w:t>" + b"word " * 200 + b"</w:t></w:r></w:p>"
#: What each zip bomb unpacks to (the upload itself is under 1 MB).
BOMB_BYTES = 190 * 1024 * 1024
#: The long Markdown source refused before it is parsed (1,500,000 characters).
_MARKDOWN_UNIT = "Some *emphasis* and a [link](http://x) in a paragraph of text. " * 20 + "\n\n"
LONG_MARKDOWN = ("# Chapter\n\n" + _MARKDOWN_UNIT * 1_000)[:1_500_000]


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Timing:
    """One case: what happened, CPU and wall seconds."""

    case: str
    outcome: str
    cpu: float
    wall: float


def timed(case: str, work: Callable[[], str]) -> Timing:
    """Run ``work`` (which returns its outcome) and time it."""
    cpu, wall = time.process_time(), time.perf_counter()
    outcome = work()
    return Timing(case, outcome, time.process_time() - cpu, time.perf_counter() - wall)


def _upload(name: str, data: bytes) -> Callable[[], str]:
    """Read an upload as the app does (default limits); the outcome is its refusal."""

    def read() -> str:
        try:
            text = read_upload(name, data, DEFAULT_LIMITS)
        except IngestError as exc:
            return f"{getattr(exc, 'status', 422)} {str(exc)[len(name) + 2 :][:48]}"
        return f"read ({len(text):,} characters)"

    return read


def file_cases(quick: bool) -> Iterator[tuple[str, Callable[[], str]]]:
    """The hostile files of tests/test_hostile.py, read as an upload is."""
    bytes_ = BOMB_BYTES // 4 if quick else BOMB_BYTES
    mb = bytes_ // (1024 * 1024)
    yield f"docx bomb, {mb} MB of text XML", _upload("b.docx", zip_bomb(bytes_, WORDY_PARAGRAPH))
    for paragraph in (b"<w:p/>", b"<w:r/>", b"<w:p><w:r><w:t>ab</w:t></w:r></w:p>"):
        label = paragraph.decode()[:20]
        yield f"docx bomb, {mb} MB of {label}", _upload("t.docx", zip_bomb(bytes_, paragraph))
    yield "pdf of 20,000 pages", _upload("long.pdf", many_pages_pdf(20_000))
    yield "pdf of 3 pages (read)", _upload("short.pdf", many_pages_pdf(3))
    yield "markdown of 1,500,000 characters", _upload("book.md", LONG_MARKDOWN.encode())


@contextmanager
def _client(case: Case) -> Iterator[Any]:
    """A test client of the app (default background settings) on a dossier of ``case``."""
    with tempfile.TemporaryDirectory(prefix="memcon-hostile-") as tmp:
        write_dossier(Path(tmp) / "corpora", case)
        config = {"TESTING": True, "CORPORA_DIR": f"{tmp}/corpora", "DATABASE_URL": "sqlite://"}
        config["INSTANCE_PATH"] = f"{tmp}/instance"
        app = create_app(config)
        client = admin_client(app)
        try:
            yield client
        finally:
            app.extensions["memcon.jobs"].close()


def _first_page(case: Case) -> Callable[[], str]:
    """The first compare page of a dossier (expected: 202, the progress page)."""

    def request() -> str:
        with _client(case) as client:
            cpu, wall = time.process_time(), time.perf_counter()
            status = client.get("/dossiers/bench/compare").status_code
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return f"{status} (the request alone: cpu {cpu:.2f} s, wall {wall:.2f} s)"

    return request


def request_cases(quick: bool) -> Iterator[tuple[str, Callable[[], str]]]:
    """The dossiers that must go to a background job at once (tests/test_jobs_cost.py too)."""
    yield "templated minutes, 1,200 sentences", _first_page(templated(1200))
    sizes = (700,) if quick else (700, 20_000)
    for lines in sizes:
        case = Case(
            f"{lines} lines",
            lines_without_full_stops(lines, 1),
            (lines_without_full_stops(lines, 2),),
        )
        yield f"{lines:,} lines without full stops", _first_page(case)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller bombs, no 20,000 lines")
    args = parser.parse_args()
    import huey  # noqa: F401 -- imported once per process (about 0.6 s), not per request

    _upload("warm.md", b"# A\n\nThe *minister* came.")()  # warm up: imports
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'case':42} {'cpu s':>6} {'wall s':>6}  outcome")
    for case, work in [*file_cases(args.quick), *request_cases(args.quick)]:
        got = timed(case, work)
        print(f"{got.case:42} {got.cpu:6.2f} {got.wall:6.2f}  {got.outcome}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
