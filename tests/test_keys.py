"""Answer keys (library/keys.py): freeze the curated alignment, list, read, flag; who may."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from webapp.collate.scoring import Answer, AnswerLink, score
from webapp.errors import Forbidden, NotFound, Refused
from webapp.library import Library
from webapp.library.keys import flag_links, freeze, list_keys, read_key
from webapp.store import Dossier, User
from webapp.store.bundled import BUNDLED_BY
from webapp.store.models import AnswerKey

from .test_manage import PRIVATE, ManagedSite, build_site

__all__ = ["build_site"]  # the site_template fixture builds this module's site with it

ACCOUNT = "the-memoir"


def _user(site: ManagedSite, name: str) -> User:
    with site.app.extensions["memcon.db"].session() as session:
        user = session.scalar(select(User).where(User.name == name))
        assert user is not None
        session.expunge(user)
        return user


def _library(site: ManagedSite) -> Library:
    library: Library = site.app.extensions["memcon.library"]
    return library


def _private_keys(site: ManagedSite) -> int:
    """How many key versions the private dossier has (the bundled dossiers have theirs)."""
    with site.app.extensions["memcon.db"].session() as session:
        rows = session.scalars(
            select(AnswerKey.id).join(Dossier).where(Dossier.slug == PRIVATE)
        ).all()
    return len(rows)


def _add_link(site: ManagedSite, source: int, witness: int, label: str, note: str = "") -> None:
    body: dict[str, Any] = {
        "account": ACCOUNT,
        "source": [source],
        "witness": [witness],
        "action": "add",
        "label": label,
        "note": note,
    }
    made = site.client().post(f"/api/dossiers/{PRIVATE}/links", json=body, headers=site.api("mia"))
    assert made.status_code == 201, made.get_json()


def test_freezing_takes_the_curated_links_with_their_labels_and_notes(site: ManagedSite) -> None:
    _add_link(site, 5, 1, "reordering", "Told first in the memoir.")
    info = freeze(_library(site), _user(site, "mia"), PRIVATE, note="Week 3")
    assert (info.version, info.source, info.frozen_by, info.note) == (
        1,
        "curation",
        "mia",
        "Week 3",
    )
    key = read_key(_library(site), _user(site, "olga"), PRIVATE, 1).key
    account = key.account(ACCOUNT)
    assert account is not None
    person = [link for link in account.links if link.status == "added"]
    assert [(k.source, k.witness, k.label, k.note) for k in person] == [
        ((4,), (0,), "reordering", "Told first in the memoir.")
    ]
    assert key.record.sentences[4].text.startswith("He then praised the idea")
    # The order is the record's order of the linked sentences: the praise, told first, last.
    assert account.order[-1] == (0,)
    # The key scores full marks against itself.
    answer = Answer(
        links=tuple(AnswerLink(k.source, k.witness, k.label) for k in account.links),
        omitted=frozenset(account.omitted),
        order=tuple(j for group in account.order for j in group),
    )
    assert score(account.key(), answer).links.f1 == 1.0


def test_later_curation_does_not_change_a_frozen_key(site: ManagedSite) -> None:
    library, mia = _library(site), _user(site, "mia")
    freeze(library, mia, PRIVATE)
    before = read_key(library, mia, PRIVATE, 1).key
    _add_link(site, 5, 1, "reordering")
    assert read_key(library, mia, PRIVATE, 1).key == before
    second = freeze(library, mia, PRIVATE)
    assert second.version == 2
    after = read_key(library, mia, PRIVATE, 2).key
    assert after != before
    assert [k.version for k in list_keys(library, mia, PRIVATE)] == [1, 2]


def test_flagging_a_link_not_scored_makes_a_new_version_and_keeps_the_old(
    site: ManagedSite,
) -> None:
    library, olga = _library(site), _user(site, "olga")
    _add_link(site, 5, 1, "reordering")
    freeze(library, olga, PRIVATE, note="first")
    flagged = flag_links(library, olga, PRIVATE, 1, ACCOUNT, {1: False})
    assert (flagged.version, flagged.source, flagged.based_on, flagged.note) == (
        2,
        "flags",
        1,
        "first",
    )
    assert flagged.accounts[0].not_scored == 1
    old = read_key(library, olga, PRIVATE, 1).key.account(ACCOUNT)
    new = read_key(library, olga, PRIVATE, 2).key.account(ACCOUNT)
    assert old is not None and new is not None
    assert old.links[0].scored and not new.links[0].scored
    assert old.links[1:] == new.links[1:]
    # The unscored link no longer counts: leaving it out costs nothing.
    left_out = Answer(links=tuple(AnswerLink(k.source, k.witness) for k in new.links[1:]))
    assert score(new.key(), left_out).links.recall == 1.0
    assert score(old.key(), left_out).links.recall < 1.0


@pytest.mark.parametrize(
    ("account", "flags", "message"),
    [
        ("nobody", {1: False}, "no account 'nobody'"),
        (ACCOUNT, {99: False}, "has no link 99"),
        (ACCOUNT, {}, "say which links"),
        (ACCOUNT, {1: True}, "nothing to change"),
    ],
)
def test_a_bad_flag_is_refused_and_stores_nothing(
    site: ManagedSite, account: str, flags: dict[int, bool], message: str
) -> None:
    library, olga = _library(site), _user(site, "olga")
    freeze(library, olga, PRIVATE)
    with pytest.raises(Refused, match=message):
        flag_links(library, olga, PRIVATE, 1, account, flags)
    assert _private_keys(site) == 1
    with pytest.raises(NotFound, match="no answer key version 7"):
        flag_links(library, olga, PRIVATE, 7, ACCOUNT, {1: False})


def test_only_the_owner_and_annotators_may_freeze_list_or_read_keys(site: ManagedSite) -> None:
    library = _library(site)
    freeze(library, _user(site, "olga"), PRIVATE)  # the owner
    for name in ("mia", "ada"):  # an annotator member, an admin
        assert [k.version for k in list_keys(library, _user(site, name), PRIVATE)] == [1]
    rita = _user(site, "rita")  # a reader member sees the dossier, not its keys
    for call in (
        lambda: freeze(library, rita, PRIVATE),
        lambda: list_keys(library, rita, PRIVATE),
        lambda: read_key(library, rita, PRIVATE, 1),
        lambda: flag_links(library, rita, PRIVATE, 1, ACCOUNT, {1: False}),
    ):
        with pytest.raises(Forbidden, match="only the owner or an annotator"):
            call()
    # Someone who may not see the dossier at all is told nothing about it.
    for who in (None, _user(site, "nick")):
        with pytest.raises(NotFound):
            list_keys(library, who, PRIVATE)
    # Holding the share link lets you read the dossier, never its keys.
    with pytest.raises(Forbidden):
        read_key(library, None, PRIVATE, 1, shares=[site.share])
    assert _private_keys(site) == 1


def test_a_note_too_long_is_refused(site: ManagedSite) -> None:
    with pytest.raises(Refused, match="at most"):
        freeze(_library(site), _user(site, "olga"), PRIVATE, note="x" * 20_001)
    assert _private_keys(site) == 0


def test_deleting_a_dossier_deletes_its_keys(site: ManagedSite) -> None:
    freeze(_library(site), _user(site, "olga"), PRIVATE)
    assert _private_keys(site) == 1
    owner = site.client("olga")
    gone = owner.post(f"/dossiers/{PRIVATE}/delete", data={"confirm": PRIVATE})
    assert gone.status_code in (302, 303)
    assert _private_keys(site) == 0
    assert site.count(AnswerKey) == 3  # only the bundled teaching keys remain


@pytest.mark.parametrize("slug", ["temptation", "census-of-david", "paul-conversion"])
def test_the_bundled_teaching_keys_are_frozen_keys_of_their_dossiers(
    site: ManagedSite, slug: str
) -> None:
    library, ada = _library(site), _user(site, "ada")
    [info] = list_keys(library, ada, slug)
    assert (info.version, info.source, info.frozen_by) == (1, "bundled", BUNDLED_BY)
    assert info.note.strip() and all(a.links for a in info.accounts)
    key = read_key(library, ada, slug, 1).key
    comparison = library.comparison(slug, ada)
    assert [a.slug for a in key.accounts] == [a.slug for a in comparison.accounts]
    # The key's sentences are the ones the reading room shows.
    assert key.record.sentences == comparison.record.sentences
    with pytest.raises(Forbidden):
        read_key(library, _user(site, "rita"), slug, 1)  # public dossier, key withheld


def test_swapping_great_idea_and_longer_term_eventuality_is_one_inversion(
    site: ManagedSite,
) -> None:
    """The issue's golden order case, on a key frozen from Zavidovo's alignment."""
    library, ada = _library(site), _user(site, "ada")
    freeze(library, ada, "zavidovo-1993")
    key = read_key(library, ada, "zavidovo-1993", 1).key
    christopher = key.account("zavidovo-1993-christopher")
    assert christopher is not None
    record = [s.text for s in key.record.sentences]
    great = next(i for i, text in enumerate(record) if "great idea" in text)
    longer = next(i for i, text in enumerate(record) if "longer term eventuality" in text)
    by_record = {link.source[0]: link.witness[0] for link in christopher.links}
    order = [j for group in christopher.order for j in group]
    a, b = order.index(by_record[great]), order.index(by_record[longer])
    assert b == a + 1  # in the record, "a great idea" comes right before the eventuality
    order[a], order[b] = order[b], order[a]
    result = score(christopher.key(), Answer(order=tuple(order)))
    n = len(order)
    pairs = n * (n - 1) / 2
    assert result.order.inverted == 1
    assert result.order.tau == pytest.approx((pairs - 2) / pairs, abs=1e-12)  # 1/3 for 3
