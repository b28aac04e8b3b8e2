"""The ``memcon`` command: output formats, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import CliResult, run_console

RECORD = (
    "The Secretary described the Partnership for Peace. "
    'Yeltsin responded, "This is a brilliant idea, it is a stroke of genius." '
    "The Secretary said membership was a longer term eventuality.\n"
)
ACCOUNT = (
    "The Secretary said membership was a longer term eventuality. "
    'Yeltsin called it a "stroke of genius." Everyone went to lunch.\n'
)

Memcon = Callable[..., CliResult]


@pytest.fixture
def texts(tmp_path: Path) -> tuple[str, str]:
    record = tmp_path / "memcon.txt"
    account = tmp_path / "memoir.md"
    record.write_text(RECORD, encoding="utf-8")
    account.write_text("# A memoir\n\n" + ACCOUNT, encoding="utf-8")
    return str(record), str(account)


def test_align_json_follows_the_documented_schema(memcon: Memcon, texts: tuple[str, str]) -> None:
    result = memcon("align", *texts, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["schema"] == 2
    assert data["source"]["name"] == "memcon.txt"
    assert [s["index"] for s in data["source"]["sentences"]] == [0, 1, 2]
    for s in data["source"]["sentences"]:
        assert RECORD[s["start"] : s["end"]] == s["text"]
    (witness,) = data["witnesses"]
    assert witness["name"] == "memoir.md"
    assert set(witness) >= {"name", "sentences", "links", "omitted", "added", "order", "quotes"}
    link_pairs = {(tuple(k["source"]), tuple(k["witness"])) for k in witness["links"]}
    # Markdown heading is sentence 0 of the account; the account tells R3 first.
    assert ((2,), (1,)) in link_pairs and ((1,), (2,)) in link_pairs
    assert witness["omitted"] == [0]
    assert witness["added"] == [0, 3]
    link = next(k for k in witness["links"] if k["source"] == [2])
    assert set(link) >= {"source", "witness", "score", "kind", "moved", "diff"}
    assert link["kind"] == "verbatim" and link["score"] == 1.0
    assert set(witness["order"]) >= {"kendall_tau", "moved"}
    assert witness["order"]["moved"] == 1
    quote = witness["quotes"][0]
    assert quote["text"] == "stroke of genius" and quote["status"] == "exact"
    assert quote["source"] == 1


def test_align_text_report_is_readable(memcon: Memcon, texts: tuple[str, str]) -> None:
    result = memcon("align", *texts)
    assert result.code == 0
    assert "Record: memcon.txt (3 sentences)" in result.out
    assert "== Account 1: memoir.md (4 sentences) ==" in result.out
    assert "MOVED" in result.out
    assert "Omitted from the record (1):" in result.out
    assert "A4: Everyone went to lunch." in result.out
    assert "“stroke of genius”: exact in record sentence R2" in result.out


def test_presegmented_reads_one_sentence_per_line(memcon: Memcon, tmp_path: Path) -> None:
    record = tmp_path / "r.txt"
    account = tmp_path / "a.txt"
    record.write_text("First. Still first.\nSecond line\n", encoding="utf-8")
    account.write_text("Second line\nFirst. Still first.\n", encoding="utf-8")
    data = json.loads(
        memcon("align", str(record), str(account), "--presegmented", "--format", "json").out
    )
    assert [s["text"] for s in data["source"]["sentences"]] == [
        "First. Still first.",
        "Second line",
    ]
    assert sorted((k["source"], k["witness"]) for k in data["witnesses"][0]["links"]) == [
        ([0], [1]),
        ([1], [0]),
    ]


def test_variants_file_makes_spellings_match(memcon: Memcon, tmp_path: Path) -> None:
    record = tmp_path / "r.txt"
    account = tmp_path / "a.txt"
    variants = tmp_path / "variants.txt"
    record.write_text("Kozyrev pressed Kinkel about membership.\n", encoding="utf-8")
    account.write_text("Kosyrew pressed Kinkel about membership.\n", encoding="utf-8")
    variants.write_text("# spellings\nKosyrew = Kozyrev\n", encoding="utf-8")
    plain = json.loads(memcon("align", str(record), str(account), "--format", "json").out)
    with_table = json.loads(
        memcon(
            "align", str(record), str(account), "--variants", str(variants), "--format", "json"
        ).out
    )
    assert plain["witnesses"][0]["links"][0]["kind"] != "verbatim"
    assert with_table["witnesses"][0]["links"][0]["kind"] == "verbatim"


def test_order_answers_inverted_in_json_and_text(memcon: Memcon, texts: tuple[str, str]) -> None:
    args = ("order", *texts, "--phrase", "stroke of genius", "--phrase", "longer term eventuality")
    data = json.loads(memcon(*args, "--format", "json").out)
    assert data["accounts"][0]["verdict"] == "inverted"
    assert data["record"]["a"]["sentence"] == 1 and data["record"]["b"]["sentence"] == 2
    text = memcon(*args).out
    assert "memoir.md: INVERTED" in text
    assert "the order is inverted" in text


def test_order_needs_exactly_two_phrases(memcon: Memcon, texts: tuple[str, str]) -> None:
    result = memcon("order", *texts, "--phrase", "stroke of genius")
    assert result.code == 2
    assert result.err.strip() == "memcon: error: give exactly two --phrase options (got 1)"


def test_order_with_a_phrase_not_in_the_record(memcon: Memcon, texts: tuple[str, str]) -> None:
    result = memcon("order", *texts, "--phrase", "stroke of genius", "--phrase", "cold peace")
    assert result.code == 2
    assert "'cold peace' does not occur in the record" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \n\n\t ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
        ("Kosyrew".encode("latin-1") + b" \xe4\xf6\xfc met Kinkel.", "is not valid UTF-8"),
    ],
)
def test_bad_input_is_one_line_with_exit_code_2(
    tmp_path: Path, texts: tuple[str, str], content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    process = run_console("align", texts[0], str(bad))
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith(f"memcon: error: {bad}: ")
    assert reason in lines[0]
    assert "Traceback" not in process.stderr
    assert process.stdout == ""


def test_missing_path_and_directory(tmp_path: Path, texts: tuple[str, str]) -> None:
    missing = run_console("align", str(tmp_path / "nope.txt"), texts[1])
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"memcon: error: {tmp_path / 'nope.txt'}: no such file"
    folder = run_console("align", texts[0], str(tmp_path))
    assert folder.returncode == 2
    assert folder.stderr.strip() == f"memcon: error: {tmp_path}: is a directory, not a text file"


def test_bom_and_crlf_are_tolerated(memcon: Memcon, tmp_path: Path) -> None:
    record = tmp_path / "r.txt"
    record.write_bytes(b"\xef\xbb\xbfOne sentence here.\r\nAnother one there.\r\n")
    data = json.loads(memcon("align", str(record), str(record), "--format", "json").out)
    assert [s["text"] for s in data["source"]["sentences"]] == [
        "One sentence here.",
        "Another one there.",
    ]
    assert data["source"]["sentences"][0]["start"] == 0


def test_bundled_dossiers_are_listed_and_shown(memcon: Memcon) -> None:
    listing = memcon("dossiers")
    assert "zavidovo-1993" in listing.out
    shown = memcon("show", "zavidovo-1993")
    assert shown.code == 0
    assert "Christopher" in shown.out and "INVERTED" in shown.out
    unknown = memcon("show", "nowhere-2000")
    assert unknown.code == 2
    assert "no dossier 'nowhere-2000'" in unknown.err


def test_html_report_escapes_document_text(memcon: Memcon, tmp_path: Path) -> None:
    record = tmp_path / "r.txt"
    account = tmp_path / "a.txt"
    record.write_text(
        'He wrote <script>alert("x")</script> twice. Then he left.\n', encoding="utf-8"
    )
    account.write_text(
        'Then he left. He wrote <script>alert("x")</script> twice.\n', encoding="utf-8"
    )
    page = memcon("align", str(record), str(account), "--format", "html").out
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert 'class="moved"' in page
    assert "<style>" in page and "--moved:" in page


def test_show_with_another_reference(memcon: Memcon) -> None:
    shown = memcon(
        "show", "lunch-1994", "--reference", "lunch-1994-spiegel.txt", "--format", "json"
    )
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    assert "forearm" in " ".join(s["text"] for s in data["source"]["sentences"])
    wrong = memcon("show", "lunch-1994", "--reference", "nothing.txt")
    assert wrong.code == 2
    assert "lunch-1994 has no document 'nothing.txt'" in wrong.err
