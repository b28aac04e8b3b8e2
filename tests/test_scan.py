"""The archive scan: which records of a folder an account draws on (engine, CLI, page, Dask).

The folder holds 20 synthetic records (:mod:`benchmarks.synthetic`); the account retells
8 sentences of each of two of them with heavy paraphrase, plus a sentence that no record
contains after each run. The two must come first, with passages that point at the
record sentences they retell, whatever the partitioning and wherever the partitions run.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from benchmarks.bench_scan import Archive, make_archive, passage_accuracy
from webapp import create_app
from webapp.collate import Document
from webapp.collate.scan import (
    Frequencies,
    Profile,
    ScanResult,
    ScanSettings,
    frequencies,
    partitions,
    profile,
    query,
    rank,
    scan,
    scan_partition,
    scan_profiles,
    total_frequencies,
)
from webapp.library import scanning as scanning_module
from webapp.library.scanning import ScanError, find_records, scan_folder, scan_report
from webapp.store import User
from webapp.store.dossiers import add_document, create_dossier
from webapp.store.users import create_user

from .conftest import TEST_CONFIG, CliResult

SOURCES = (4, 13)
Memcon = Callable[..., CliResult]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    folder = tmp_path_factory.mktemp("scan") / "archive"
    return make_archive(folder, 20, sources=SOURCES, per_source=8, level="heavy", seed=1)


@pytest.fixture(scope="module")
def account_file(archive: Archive) -> Path:
    path = archive.folder.parent / "account.md"
    path.write_text("# A memoir\n\n" + archive.account_text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def account(archive: Archive) -> Document:
    return Document.from_text("account.txt", archive.account_text, segmenter="syntok")


@pytest.fixture(scope="module")
def records(archive: Archive) -> list[Document]:
    return [
        Document.from_text(name, (archive.folder / name).read_text("utf-8"), segmenter="syntok")
        for name in archive.names
    ]


@pytest.fixture(scope="module")
def expected(account: Document, records: list[Document]) -> ScanResult:
    """The scan in this process, in one partition: every other run must give this."""
    return scan(account, records)


def assert_found_the_sources(archive: Archive, result: ScanResult) -> None:
    names = [hit.name for hit in result.records]
    assert sorted(names[:2]) == sorted(archive.sources), names[:5]
    first, second = result.records[:2]
    runner_up = result.records[2].score if len(result.records) > 2 else 0.0
    assert runner_up < 0.25 * second.score, [(h.name, h.score) for h in result.records[:4]]
    for hit in (first, second):
        assert hit.matched_account_sentences >= 6  # of the 8 retold sentences
        assert hit.coverage == round(hit.matched_account_sentences / result.account_sentences, 4)
    right, total = passage_accuracy(archive, result.records[:2])
    assert right == total >= 14


# ---- the engine ----------------------------------------------------------------------


def test_the_two_sources_rank_first_with_the_right_passages(
    archive: Archive, expected: ScanResult
) -> None:
    assert expected.records_scanned == 20
    assert expected.account_sentences == len(archive.account_sentences) == 18
    assert_found_the_sources(archive, expected)
    hit = expected.records[0]
    for passage in hit.passages:
        assert passage.account_text == archive.account_sentences[passage.account_index]
        assert passage.record_text == archive.record_sentences[hit.name][passage.record_index]
        assert 0.25 <= passage.similarity <= 1.0
    # Passages are in account order; the strongest come first in strongest().
    assert [p.account_index for p in hit.passages] == sorted(p.account_index for p in hit.passages)
    strongest = hit.strongest(3)
    assert [p.similarity for p in strongest] == sorted(
        (p.similarity for p in strongest), reverse=True
    )


@pytest.mark.parametrize("count", [2, 3, 7, 20])
def test_partitions_never_change_the_result(
    account: Document, records: list[Document], expected: ScanResult, count: int
) -> None:
    assert scan(account, records, n_partitions=count) == expected
    # Records in another order, cut differently: still the same ranking and scores.
    shuffled = records[7:] + records[:7]
    assert scan(account, shuffled, n_partitions=count).to_dict() == expected.to_dict()


def test_frequency_tables_add_up_to_the_whole(account: Document, records: list[Document]) -> None:
    normalizer = ScanSettings().normalizer()
    profiles = [profile(d, normalizer) for d in records]
    whole = frequencies(profiles)
    parts = [frequencies(p) for p in partitions(profiles, 6)]
    assert total_frequencies(parts) == whole
    assert total_frequencies(reversed(parts)) == whole
    assert sum(parts, Frequencies()) == whole
    assert whole.sentences == sum(len(p) for p in profiles)


def test_rank_merges_partitions_in_any_order(account: Document, records: list[Document]) -> None:
    settings = ScanSettings()
    normalizer = settings.normalizer()
    mine = profile(account, normalizer)
    parts = partitions([profile(d, normalizer) for d in records], 4)
    table = total_frequencies([frequencies([mine]), *(frequencies(p) for p in parts)])
    vectors = query(mine, table)
    found = [scan_partition(vectors, part, table, settings) for part in parts]
    assert rank(mine, found, settings) == rank(mine, found[::-1], settings)
    assert rank(mine, found, settings, top=1).records == rank(mine, found, settings).records[:1]
    with pytest.raises(ValueError, match="two records are named"):
        rank(mine, [found[0], found[0]], settings)


def test_records_that_match_equally_share_the_credit() -> None:
    text = "The minister signed the grain treaty in Vienna. The talks ended at noon."
    twin_a = Document.from_text("a.txt", text)
    twin_b = Document.from_text("b.txt", text)
    other = Document.from_text("c.txt", "The harbour froze in January. Fishing stopped.")
    account = Document.from_text("memoir", "The minister signed the grain treaty in Vienna.")
    result = scan(account, [other, twin_b, twin_a])
    assert [h.name for h in result.records] == ["a.txt", "b.txt"]  # equal: by name
    assert result.records[0].score == result.records[1].score == 0.5
    alone = scan(account, [other, twin_a])
    assert alone.records[0].score == 1.0


def test_an_account_from_no_record_finds_nothing_much(records: list[Document]) -> None:
    account = Document.from_text(
        "unrelated", "Penguins waddle across the ice. The aurora glowed green overnight."
    )
    result = scan(account, records)
    assert result.records == ()
    empty = scan(Document.from_text("empty", ""), records)
    assert empty.account_sentences == 0 and empty.records == ()


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        ScanSettings(min_score=0)
    with pytest.raises(ValueError):
        ScanSettings(tie=1.5)
    assert scan_profiles(Profile("a", (), ()), []).records_scanned == 0


# ---- the runner: a folder, on Dask ---------------------------------------------------


def test_folder_scan_on_the_sync_scheduler_matches_the_engine(
    archive: Archive, account: Document, expected: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = scan_folder(account, archive.folder, scheduler="sync", n_partitions=5)
    assert found.result == expected
    assert found.partitions == 5 and found.scheduler == "sync" and found.skipped == ()
    # A small folder runs in this process by default; the environment can say otherwise.
    monkeypatch.delenv("MEMCON_DASK_SCHEDULER", raising=False)
    assert scan_folder(account, archive.folder).scheduler == "sync"
    monkeypatch.setenv("MEMCON_DASK_SCHEDULER", "threads")
    assert scan_folder(account, archive.folder).scheduler == "threads"
    assert find_records(archive.folder) == sorted(archive.names)


def test_folder_scan_on_local_processes_and_threads(
    archive: Archive, account: Document, expected: ScanResult
) -> None:
    for where in ("processes", "threads"):
        found = scan_folder(account, archive.folder, scheduler=where, n_partitions=3)
        assert found.result == expected, where
        assert found.scheduler == where


def test_folder_scan_on_a_local_cluster_of_two_worker_processes(
    archive: Archive,
    account: Document,
    account_file: Path,
    expected: ScanResult,
    memcon: Memcon,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        found = scan_folder(account, archive.folder, scheduler=address)
        assert found.result == expected
        assert found.scheduler == address
        assert found.partitions == 8  # four per worker thread
        # The command line reaches it through the environment too.
        monkeypatch.setenv("MEMCON_DASK_SCHEDULER", address)
        result = memcon("scan", str(account_file), str(archive.folder), "--format", "json")
        assert result.code == 0, result.err
        data = json.loads(result.out)
        assert data["scheduler"] == address
        assert [r["name"] for r in data["records"][:2]] == [h.name for h in expected.records[:2]]


def test_unreadable_files_are_skipped_and_listed(
    archive: Archive, account: Document, tmp_path: Path
) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(archive.folder, folder)
    (folder / "scan.pdf").write_bytes(b"not a pdf at all")
    (folder / "notes.csv").write_text("not a record", encoding="utf-8")  # not a document type
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    found = scan_folder(account, folder, scheduler="sync")
    assert [s.path for s in found.skipped] == ["scan.pdf"]
    assert "not a PDF" in found.skipped[0].reason
    assert found.result.records_scanned == 20
    # The account's own file in the folder is not scanned against itself.
    (folder / "account.txt").write_text(archive.account_text, encoding="utf-8")
    mine = scan_folder(account, folder, scheduler="sync", exclude=folder / "account.txt")
    assert mine.result == found.result
    report = scan_report(found)
    assert "Skipped (1):" in report and "scan.pdf: " in report


def test_runner_errors_are_one_line(account: Document, tmp_path: Path) -> None:
    with pytest.raises(ScanError, match="no such folder"):
        scan_folder(account, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "data.csv").write_text("a,b", encoding="utf-8")
    with pytest.raises(ScanError, match="no records in the folder"):
        scan_folder(account, tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(ScanError, match="none of its 1 files could be read"):
        scan_folder(account, tmp_path / "bad", scheduler="sync")


# ---- the command ---------------------------------------------------------------------


def test_scan_text_report(archive: Archive, account_file: Path, memcon: Memcon) -> None:
    result = memcon("scan", str(account_file), str(archive.folder), "--scheduler", "sync")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("Account: account.md (19 sentences)\n")  # the heading is one
    parts = min(20, 4 * (os.cpu_count() or 1))  # four per core
    assert f"Records scanned: 20 in {parts} partitions (sync)" in out
    ranked = re.findall(r"^(\d+)\. (\S+)  score ([0-9.]+)", out, flags=re.MULTILINE)
    assert sorted(name for _, name, _ in ranked[:2]) == sorted(archive.sources)
    assert re.search(r"^   A\d+ <- R\d+  [01]\.\d\d$", out, flags=re.MULTILINE)
    assert "     account: " in out and "     record:  " in out
    assert "... and " in out  # more than three passages for a source
    top = memcon(
        "scan", str(account_file), str(archive.folder), "--scheduler", "sync", "--top", "1"
    )
    assert len(re.findall(r"^\d+\. ", top.out, flags=re.MULTILINE)) == 1


def test_scan_json_follows_the_documented_format(
    archive: Archive, account_file: Path, memcon: Memcon
) -> None:
    result = memcon(
        "scan",
        str(account_file),
        str(archive.folder),
        "--format",
        "json",
        "--scheduler",
        "threads",
        "--partitions",
        "3",
        "--segmenter",
        "pysbd",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {
        "account",
        "records_scanned",
        "records",
        "settings",
        "skipped",
        "partitions",
        "scheduler",
    }
    assert data["account"] == {"name": "account.md", "sentences": 19}
    assert data["records_scanned"] == 20 and data["partitions"] == 3
    assert data["scheduler"] == "threads" and data["skipped"] == []
    assert data["settings"] == {"variants": {}, "min_score": 0.25, "tie": 0.9}
    first = data["records"][0]
    assert set(first) == {"rank", "name", "score", "matched", "coverage", "sentences", "passages"}
    assert first["rank"] == 1 and first["name"] in archive.sources
    assert first["sentences"] == 100
    passage = first["passages"][0]
    assert set(passage) == {"account", "record", "similarity", "account_text", "record_text"}
    assert archive.record_sentences[first["name"]][passage["record"]] == passage["record_text"]
    assert sorted(r["name"] for r in data["records"][:2]) == sorted(archive.sources)


def test_scan_errors_are_one_line_with_exit_code_2(
    archive: Archive,
    account_file: Path,
    memcon: Memcon,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "empty").mkdir()
    binary = tmp_path / "account.txt"
    binary.write_bytes(b"\x00\x01\x02")
    cases: list[tuple[list[str], str]] = [
        ([str(account_file), str(tmp_path / "missing")], "no such folder"),
        ([str(account_file), str(tmp_path / "empty")], "no records in the folder"),
        ([str(account_file), str(account_file)], "is not a folder"),
        ([str(tmp_path / "nothing.txt"), str(archive.folder)], "no such file"),
        ([str(binary), str(archive.folder)], "looks like a binary file"),
        ([str(tmp_path), str(archive.folder)], "is a directory"),
        ([str(account_file), str(archive.folder), "--top", "0"], "--top must be at least 1"),
        ([str(account_file), str(archive.folder), "--partitions", "0"], "at least 1"),
    ]
    monkeypatch.setattr(scanning_module, "CONNECT_TIMEOUT", 1)
    cases.append(
        (
            [str(account_file), str(archive.folder), "--scheduler", "tcp://127.0.0.1:9"],
            "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'",
        )
    )
    for args, message in cases:
        result = memcon("scan", *args)
        assert result.code == 2, (args, result.out)
        assert result.out == ""
        lines = result.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("memcon: error: "), result.err
        assert message in lines[0], (message, lines[0])


# ---- the page ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(archive: Archive) -> Flask:
    """The app with the bundled dossiers, the archive folder, and a private dossier."""
    app = create_app({**TEST_CONFIG, "ARCHIVE_DIR": str(archive.folder)})
    with app.extensions["memcon.db"].session() as session:
        owner = create_user(session, "olga", "correct horse", "annotator")
        dossier = create_dossier(session, owner, "Private talks")
        add_document(
            session,
            dossier,
            title="Secret memcon",
            kind="memcon",
            text="The walrus negotiations resumed in Reykjavik. Nobody mentioned the herring.\n",
        )
    return app


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "the form has no CSRF token"
    return token.group(1)


def _post(client: FlaskClient, **data: Any) -> tuple[int, str]:
    page = client.get("/scan").get_data(as_text=True)
    response = client.post(
        "/scan", data={"csrf_token": _csrf(page), **data}, content_type="multipart/form-data"
    )
    return response.status_code, response.get_data(as_text=True)


def _ranked(page: str) -> list[str]:
    pattern = r'<li class="scan-hit" id="hit-\d+">\s*<h3>(?:<a href="[^"]*">)?([^<]+)'
    return [title.strip() for title in re.findall(pattern, page)]


def test_the_page_scans_a_pasted_account(site: Flask, archive: Archive) -> None:
    site.config["WTF_CSRF_ENABLED"] = True
    client = site.test_client()
    page = client.get("/scan").get_data(as_text=True)
    assert "Scans 21 records: 1 memcon of the dossiers you may see and 20 documents" in page
    assert 'href="/scan"' in client.get("/").get_data(as_text=True)  # in the site header
    # Without the token the form is refused.
    refused = client.post("/scan", data={"text": archive.account_text})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    status, page = _post(client, text=archive.account_text)
    assert status == 200, page[:500]
    assert sorted(_ranked(page)[:2]) == sorted(archive.sources)
    assert "Records the account draws on" in page
    assert "more passage" in page  # the passages after the first three are folded
    assert archive.account_sentences[0] in page


def test_the_page_links_a_dossier_record_sentence(site: Flask) -> None:
    site.config["WTF_CSRF_ENABLED"] = False
    account = (
        "The Secretary said that the United States would look at membership as a longer term "
        "eventuality. Yeltsin then went fishing."
    )
    response = site.test_client().post("/scan", data={"text": account})
    status, page = response.status_code, response.get_data(as_text=True)
    assert status == 200
    assert _ranked(page)[0].startswith("Memorandum of conversation")
    assert 'href="/dossiers/zavidovo-1993#r19"' in page


def test_the_page_scans_only_what_the_visitor_may_see(site: Flask) -> None:
    site.config["WTF_CSRF_ENABLED"] = False
    account = "The walrus negotiations resumed in Reykjavik."
    anonymous = site.test_client().post("/scan", data={"text": account}).get_data(as_text=True)
    assert "Secret memcon" not in anonymous
    assert "No record has a sentence close to any sentence of the account" in anonymous
    owner = site.test_client()
    with site.extensions["memcon.db"].session() as session:
        user_id = session.scalar(select(User.id).where(User.name == "olga"))
    with owner.session_transaction() as browser:
        browser["user_id"] = user_id
    page = owner.post("/scan", data={"text": account}).get_data(as_text=True)
    assert _ranked(page)[0] == "Secret memcon"
    assert 'href="/dossiers/private-talks"' in page


def test_the_page_reads_uploads_and_refuses_what_it_cannot_read(
    site: Flask, archive: Archive
) -> None:
    site.config["WTF_CSRF_ENABLED"] = False
    client = site.test_client()
    upload = {"file": (io.BytesIO(archive.account_text.encode()), "memoir.md")}
    response = client.post("/scan", data=upload, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "memoir.md: 18 sentences" in page
    assert sorted(_ranked(page)[:2]) == sorted(archive.sources)
    wrong = {"file": (io.BytesIO(b"old"), "memoir.doc")}
    response = client.post("/scan", data=wrong, content_type="multipart/form-data")
    assert response.status_code == 415 and ".docx" in response.get_data(as_text=True)
    response = client.post("/scan", data={"text": "  "})
    assert response.status_code == 400
    assert "choose a file or paste the text" in response.get_data(as_text=True)
    response = client.post("/scan", data={"text": "Yes. " * 2001})
    assert response.status_code == 400
    assert "accounts of up to 2000 sentences" in response.get_data(as_text=True)


def test_the_page_respects_the_upload_limit(archive: Archive) -> None:
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": False, "MAX_UPLOAD_BYTES": 2000})
    response = app.test_client().post("/scan", data={"text": archive.account_text * 3})
    assert response.status_code == 413
    assert "larger than the limit" in response.get_data(as_text=True)


def test_a_missing_archive_folder_is_noted_not_fatal(tmp_path: Path) -> None:
    app = create_app({**TEST_CONFIG, "ARCHIVE_DIR": str(tmp_path / "gone")})
    page = app.test_client().get("/scan").get_data(as_text=True)
    assert "The archive folder is not available" in page
    assert "Scans 1 record: 1 memcon" in page
