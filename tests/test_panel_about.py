"""The compare page's "About this account" line says only what is known of the account:
an upload without author or date reads "memoir.", not ", · memoir."; a bundled account
with both reads "Warren Christopher, 1998 · memoir · reconstructed."."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import site_app
from .webdb import web_site


def _about(html: str) -> str:
    box = html[html.index('<details class="about">') :]
    return re.sub(r"\s+", " ", box[box.index('<p class="meta">') + 16 : box.index("</p>")]).strip()


def test_an_upload_without_author_or_date_names_only_its_kind(tmp_path: Path) -> None:
    with web_site("sqlite", tmp_path) as site:
        site.add_user("ada")
        dossier = site.dossier("ada", "Minutes")
        site.document("ada", dossier, "Record", "memcon", "The minister spoke. He left.\n")
        site.document("ada", dossier, "Diary", "memoir", "The minister spoke at length.\n")
        page = site.call("ada", "GET", f"/dossiers/{dossier}/compare")
    assert page.status_code == 200
    about = _about(page.get_data(as_text=True))
    assert about.startswith("memoir."), about


def test_a_bundled_account_names_author_date_kind_and_reconstruction(tmp_path: Path) -> None:
    app = site_app(f"sqlite:///{tmp_path / 'memcon.db'}")
    url = "/dossiers/zavidovo-1993/compare?account=zavidovo-1993-christopher"
    page = app.test_client().get(url)
    app.extensions["memcon.db"].dispose()
    assert page.status_code == 200
    assert _about(page.get_data(as_text=True)).startswith(
        "Warren Christopher, 1998 · memoir · reconstructed."
    )
