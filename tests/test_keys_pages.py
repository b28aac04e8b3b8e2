"""The teacher's answer-key pages: list, freeze, one key with the machine's scores, flag."""

from __future__ import annotations

from collections.abc import Callable

from .test_keys import _private_keys
from .test_manage import PRIVATE, ManagedSite, build_site, text_of

__all__ = ["build_site"]  # the site_template fixture builds this module's site with it

KEYS = f"/dossiers/{PRIVATE}/keys"


def test_the_owner_freezes_a_key_and_reads_it_with_the_machines_scores(
    site: ManagedSite,
) -> None:
    owner = site.client("olga")
    empty = owner.get(KEYS)
    assert empty.status_code == 200
    assert "No key has been frozen yet" in text_of(empty)
    assert 'name="csrf_token"' in text_of(empty)
    made = owner.post(KEYS, data={"note": "Week *3*"})
    assert made.status_code == 302 and made.headers["Location"].endswith(f"{KEYS}/1")
    page = text_of(owner.get(f"{KEYS}/1"))
    assert "Answer key, version 1" in page and "<em>3</em>" in page  # the note, rendered
    assert "is frozen: later curation will not change it" in page
    assert "R2</strong> He said the alliance would stay open to new members." in page
    assert "Left out of the record:</strong> R1, R4, R6." in page
    assert "The machine's alignment against this key" in page
    assert "link f1: 1.00" in page  # the machine's own links, unchanged since freezing
    listed = text_of(owner.get(KEYS))
    assert "Version 1" in listed and "from the curation" in listed and "olga" in listed


def test_a_link_flagged_from_the_page_is_not_scored_in_a_new_version(site: ManagedSite) -> None:
    owner = site.client("olga")
    owner.post(KEYS, data={})
    flagged = owner.post(
        f"{KEYS}/1/flags", data={"account": "the-memoir", "link": "1", "scored": "no"}
    )
    assert flagged.status_code == 302 and flagged.headers["Location"].endswith(f"{KEYS}/2")
    page = text_of(owner.get(f"{KEYS}/2"))
    assert "Link 1 is not scored in the new key version 2." in page
    assert 'class="not-scored"' in page and "a copy of version 1" in page
    assert 'class="not-scored"' not in text_of(owner.get(f"{KEYS}/1"))
    bad = owner.post(f"{KEYS}/1/flags", data={"account": "the-memoir", "link": "9"})
    assert bad.status_code == 400 and "has no link 9" in text_of(bad)
    assert _private_keys(site) == 2


def test_students_and_strangers_never_reach_a_key(site: ManagedSite) -> None:
    site.client("olga").post(KEYS, data={})
    rita = site.client("rita")  # a reader member: sees the dossier, not its keys
    for url in (KEYS, f"{KEYS}/1"):
        refused = rita.get(url)
        assert refused.status_code == 403 and "only the owner or an annotator" in text_of(refused)
    assert rita.post(KEYS, data={}).status_code == 403
    assert site.client("nick").get(f"{KEYS}/1").status_code == 404
    visitor = site.client()
    refused = visitor.get(f"{KEYS}/1")  # a student without an account
    assert refused.status_code == 403 and "Log in</a> if you are one of them" in text_of(refused)
    assert visitor.post(KEYS, data={}).status_code == 401
    assert "Answer keys" not in text_of(rita.get(f"/dossiers/{PRIVATE}"))
    assert "Answer keys" in text_of(site.client("mia").get(f"/dossiers/{PRIVATE}"))
    assert _private_keys(site) == 1


def test_freezing_needs_the_forms_csrf_token(make_site: Callable[..., ManagedSite]) -> None:
    site = make_site(WTF_CSRF_ENABLED=True)
    refused = site.client("olga").post(KEYS, data={"note": "no token"})
    assert refused.status_code == 400
    assert _private_keys(site) == 0


def test_the_temptation_key_page_shows_the_teachers_note_and_the_reordering(
    site: ManagedSite,
) -> None:
    page = text_of(site.client("ada").get("/dossiers/temptation/keys/1"))
    assert "shipped with memcon" in page and "what differs is the order" in page
    assert page.count('data-col="Label">reordering</td>') == 3  # the temple temptation
    assert "A12=A13" in page  # two account sentences tied on one record sentence
    assert "not in the record" not in page.split("Quotations:")[1].split("</ul>")[0]
    assert "You judged 4 of the 6 quotations as the key does." in page


def test_a_key_outlives_an_edit_of_its_account(site: ManagedSite) -> None:
    owner = site.client("olga")
    owner.post(KEYS, data={})
    edited = owner.post(
        f"/dossiers/{PRIVATE}/documents/the-memoir/edit",
        data={"version": "1", "title": "The memoir", "kind": "memoir", "text": "He left."},
    )
    assert edited.status_code == 302, text_of(edited)
    page = text_of(owner.get(f"{KEYS}/1"))
    assert "A2</strong> Earlier he had said that the alliance would stay open" in page
    # The machine's alignment is of another text now: it is not scored against the key.
    assert "The machine's alignment against this key" not in page
