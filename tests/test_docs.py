"""The README documents every command, option, schema field and the two set-up commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from webapp.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, sub in _subcommands().items():
        assert f"memcon {name}" in README, f"memcon {name} is not documented"
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"{flag} of memcon {name} is not documented"


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
        "verdict",
        "not_found",
        "exact",
        "altered",
        "changes",
        "possible_move",
        "close",
        "paraphrase",
        "partial",
        "verbatim",
        "kept",
        "inverted",
        "missing",
    ):
        assert f"`{field}`" in README or f'"{field}"' in README, field


def test_the_readme_commands_are_what_ci_runs() -> None:
    assert "bash scripts/start.sh" in README
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_api_route_and_config_key_is_in_the_readme() -> None:
    from webapp import create_app

    from .conftest import TEST_CONFIG

    app = create_app(TEST_CONFIG)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        documented = (
            rule.rule.replace("<dossier_id>", "<id>")
            .replace("<document_id>", "<doc>")
            .replace("<int:decision_id>", "<n>")
            .replace("<int:change_id>", "<change>")
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert f"{method} {documented}" in README, f"{method} {documented} is not documented"
    for key in (
        "DATABASE_URL",
        "CORPORA_DIR",
        "INSTANCE_PATH",
        "SECRET_KEY",
        "MAX_UPLOAD_BYTES",
        "QUEUE_URL",
        "BACKGROUND_SENTENCES",
        "JOB_PAUSE",
    ):
        assert f"MEMCON_{key}" in README, f"MEMCON_{key} is not documented"
