"""Segmentation of damaged real text: how many sentences come back as they were.

Run: ``python -m benchmarks.bench_segment``. The texts are the bundled dossiers' and the
Bible chapters of the segmentation tests (``tests/data/segment/bible-chapters.txt``), 764
sentences. Each is damaged as real input is, then segmented again, and the sentences of
the undamaged text that come back (white space read as one space) are counted:

* ``glued``: the space after every sentence's end removed (text from PDFs and OCR);
* ``glued, single marks``: the same, with every quotation mark a straight single one
  (British quotation marks as OCR reads them);
* ``wrapped W``: every paragraph hard-wrapped at W characters (e-mail, OCR);

and on the licence versions Debian ships (``/usr/share/common-licenses``), the sentences
that are only a clause number (``8.1.``), which should be none.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from webapp.collate.segment import segment

ROOT = Path(__file__).resolve().parent.parent
LICENCES = Path("/usr/share/common-licenses")
_SPACE = re.compile(r"\s+")
_SINGLE = str.maketrans(dict.fromkeys('“”‘’"', "'"))
_NUMBER_ONLY = re.compile(r"\(?(?:\d{1,3}(?:\.\d{1,3})+|[IVXLCDM]{1,6})[.)]?")


def texts() -> dict[str, str]:
    """The bundled dossiers' texts and the Bible chapters, by name."""
    found = {p.name: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("corpora/*/*.txt"))}
    bible = ROOT / "tests" / "data" / "segment" / "bible-chapters.txt"
    found[bible.name] = bible.read_text(encoding="utf-8")
    return found


def _read(sentence: str) -> str:
    return _SPACE.sub(" ", sentence).strip()


def glued(text: str) -> str:
    """``text`` with the space removed between a sentence's end and a capital after it."""
    pieces: list[str] = []
    prev = 0
    for s in segment(text):
        gap = text[prev : s.start]
        if prev and gap == " " and s.text[:1].isupper() and text[prev - 1] in ".!?'\"”’)]":
            gap = ""
        pieces.append(gap + s.text)
        prev = s.end
    return "".join(pieces) + text[prev:]


def wrapped(width: int) -> Callable[[str], str]:
    """Hard-wrap every one-line paragraph longer than ``width``."""

    def wrap(text: str) -> str:
        paragraphs = re.split(r"\n\s*\n", text)
        return "\n\n".join(
            "\n".join(textwrap.wrap(p, width)) if len(p) > width and "\n" not in p.strip() else p
            for p in paragraphs
        )

    return wrap


def back(damage: Callable[[str], str], before: Callable[[str], str] = str) -> tuple[int, int]:
    """Sentences of every text (after ``before``) found again once damaged, and of all."""
    found = total = 0
    for text in texts().values():
        text = before(text)
        want = [_read(s.text) for s in segment(text)]
        got = {_read(s.text) for s in segment(damage(text))}
        total += len(want)
        found += sum(w in got for w in want)
    return found, total


def licence_labels() -> list[tuple[str, int, int]]:
    """Per licence: its sentences, and those that are only a clause number."""
    out = []
    for path in sorted(LICENCES.glob("*")):
        if path.is_file() and not path.is_symlink():
            found = segment(path.read_text(encoding="utf-8", errors="replace"))
            labels = sum(bool(_NUMBER_ONLY.fullmatch(s.text)) for s in found)
            out.append((path.name, len(found), labels))
    return out


def main() -> None:
    print("| damage | sentences back |")
    print("| --- | --- |")
    rows: list[tuple[str, tuple[int, int]]] = [
        ("glued", back(glued)),
        ("glued, single marks", back(glued, lambda t: t.translate(_SINGLE))),
    ]
    rows += [(f"wrapped {w}", back(wrapped(w))) for w in (60, 72, 100)]
    for name, (found, total) in rows:
        print(f"| {name} | {found} of {total} |", flush=True)
    if LICENCES.is_dir():
        print("\n| licence | sentences | clause numbers alone |")
        print("| --- | --- | --- |")
        for name, count, labels in licence_labels():
            print(f"| {name} | {count} | {labels} |")


if __name__ == "__main__":
    main()
