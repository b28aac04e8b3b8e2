"""The manual in docs/ documents every command, option, route, configuration key and schema
field; the README stays a short start page whose two commands are what CI runs."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import pytest
from flask import Flask

from webapp.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _doc(name: str) -> str:
    return (DOCS_DIR / name).read_text(encoding="utf-8")


#: The whole manual, for what may be documented in any of its files (routes, keys).
MANUAL = "\n".join(_doc(path.name) for path in sorted(DOCS_DIR.glob("*.md")))
CLI = _doc("cli.md")
SCHEMA = _doc("json-schema.md")
OPERATIONS = _doc("operations.md")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _code_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def test_every_command_and_option_is_in_docs_cli() -> None:
    subcommands = _subcommands()
    assert len(subcommands) >= 10
    for name, sub in subcommands.items():
        assert f"memcon {name}" in CLI, f"memcon {name} is not documented in docs/cli.md"
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in CLI, f"{flag} of memcon {name} is not in docs/cli.md"


def test_the_json_schema_fields_are_documented() -> None:
    for field in (
        "schema",
        "sentences",
        "links",
        "omitted",
        "added",
        "kendall_tau",
        "moved",
        "quotes",
        "not_found",
        "exact",
        "altered",
        "changes",
        "possible_move",
        "close",
        "paraphrase",
        "partial",
        "verbatim",
    ):
        assert f"`{field}`" in SCHEMA or f'"{field}"' in SCHEMA, f"{field}: docs/json-schema.md"
    for field in ("verdict", "kept", "inverted", "missing"):  # the order question's JSON
        assert f"`{field}`" in CLI or f'"{field}"' in CLI, f"{field}: docs/cli.md"


def test_the_readme_commands_are_what_ci_runs() -> None:
    blocks = "\n".join(_code_blocks(README))
    assert "bash scripts/start.sh" in blocks
    assert "bash scripts/test.sh" in blocks
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_is_a_short_start_page_linking_every_manual_page() -> None:
    assert len(README.splitlines()) < 200
    for path in sorted(DOCS_DIR.glob("*.md")):
        assert f"(docs/{path.name})" in README, f"docs/{path.name} is not linked from README"


def test_relative_links_of_readme_and_docs_lead_to_files() -> None:
    pages = [(ROOT / "README.md", README)]
    pages += [(path, path.read_text(encoding="utf-8")) for path in DOCS_DIR.glob("*.md")]
    for page, text in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def _config_keys(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """memcon's own configuration keys: the app's defaults beyond Flask's and Flask-WTF's,
    and every ``MEMCON_*`` environment variable the code reads."""
    from webapp import create_app

    from .conftest import TEST_CONFIG

    for name in list(os.environ):  # e.g. MEMCON_TEST_POSTGRES_URL would become a key
        if name.startswith("MEMCON_"):
            monkeypatch.delenv(name)
    app = create_app(TEST_CONFIG)
    keys = {
        key for key in app.config if key not in Flask.default_config and not key.startswith("WTF_")
    }
    keys.add("SECRET_KEY")
    for source in (ROOT / "webapp").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        keys.update(re.findall(r"\bMEMCON_([A-Z][A-Z0-9_]*[A-Z0-9])\b", text))
    return keys


def test_every_api_route_is_in_the_docs() -> None:
    from webapp import create_app

    from .conftest import TEST_CONFIG

    app = create_app(TEST_CONFIG)
    routes = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert len(routes) > 20
    for rule in routes:
        documented = (
            rule.rule.replace("<dossier_id>", "<id>")
            .replace("<document_id>", "<doc>")
            .replace("<int:decision_id>", "<n>")
            .replace("<int:change_id>", "<change>")
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert f"{method} {documented}" in MANUAL, f"{method} {documented} is not in docs/"


def test_every_config_key_is_in_docs_operations(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = _config_keys(monkeypatch)
    for key in ("DATABASE_URL", "QUEUE_URL", "MAX_UPLOAD_BYTES", "WORKERS", "ARCHIVE_DIR"):
        assert key in keys  # the key finder itself still finds what it should
    for key in sorted(keys):
        assert f"`MEMCON_{key}`" in OPERATIONS, f"MEMCON_{key} is not in docs/operations.md"


def test_the_architecture_page_lists_every_module_and_only_modules_that_exist() -> None:
    layout = _doc("architecture.md")
    modules = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "webapp").rglob("*.py")
        if "migrations" not in path.parts
    }
    for module in sorted(modules):
        assert module in layout, f"{module} is not in the layout of docs/architecture.md"
    for named in re.findall(r"\bwebapp/[\w/]+\.py\b", layout):
        assert named in modules, f"docs/architecture.md names {named}, which does not exist"
