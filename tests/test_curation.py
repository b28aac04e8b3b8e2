"""Curating the Zavidovo dossier: links confirmed, removed and added, labels, marks, notes,
sentence boundaries, history and revert, stale edits, and who may do what.

Every test starts from the bundled dossiers with four people: ada (admin), olga (an
annotator and member of Zavidovo), nick (an annotator who is not a member) and rob (a
reader).
"""

from __future__ import annotations

import html
import re
import threading
from typing import Any

import pytest
from werkzeug.test import TestResponse

from webapp.store.models import Change, LinkDecision, SentenceMark

from .conftest import Site, add_people, site_app

Z = "zavidovo-1993"
TALBOTT = "zavidovo-1993-talbott"
CHRISTOPHER = "zavidovo-1993-christopher"


def text_of(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


class Curators(Site):
    """The test site on the bundled dossiers, with the links of one account at hand."""

    def links(self, account: str = TALBOTT) -> dict[str, Any]:
        data = self.client("ada").get(f"/api/dossiers/{Z}/links").get_json()
        return next(a for a in data["accounts"] if a["id"] == account)


def build_site(url: str) -> Curators:
    """Four people; olga is made a member of Zavidovo."""
    app = site_app(url)
    roles = {"ada": "admin", "olga": "annotator", "nick": "annotator", "rob": "reader"}
    site = Curators(app, add_people(app, roles))
    assert (
        site.client("ada").post(f"/dossiers/{Z}/members", data={"name": "olga"}).status_code == 302
    )
    return site


def add_link(site: Curators, who: str = "olga", **fields: Any) -> TestResponse:
    talbott = site.links()
    data = {
        "account": TALBOTT,
        "action": "add",
        "source": [talbott["omitted"][0]],
        "witness": [talbott["added"][0]],
        **fields,
    }
    return site.client(who).post(f"/dossiers/{Z}/links", data=data)


def human(links: dict[str, Any]) -> list[dict[str, Any]]:
    return [link for link in links["links"] if link["status"] != "machine"]


# --- Links -----------------------------------------------------------------------------


def test_an_annotator_adds_a_link_between_unlinked_sentences(site: Curators) -> None:
    before = site.links()
    source, witness = before["omitted"][0], before["added"][0]
    response = add_link(site, label="embellishment", note="Talbott's *gloss*.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"compare?account={TALBOTT}")
    after = site.links()
    (link,) = human(after)
    assert (link["source"], link["witness"]) == ([source], [witness])
    assert (link["status"], link["resp"], link["label"]) == ("added", "olga", "embellishment")
    assert source not in after["omitted"] and witness not in after["added"]
    page = text_of(site.client("rob").get(f"/dossiers/{Z}/compare?account={TALBOTT}"))
    assert "added by olga" in page and "embellishment" in page  # the person's badge
    number = 1 + next(k for k, lk in enumerate(after["links"]) if lk["status"] == "added")
    detail = f"/dossiers/{Z}/compare?fragment={TALBOTT}&link={number}"  # the link's detail
    assert "<em>gloss</em>" in site.client().get(detail).get_data(as_text=True)


def test_a_machine_link_is_confirmed_and_another_removed(site: Curators) -> None:
    goldgeier = site.links("zavidovo-1993-goldgeier")
    first, second = goldgeier["links"][0], goldgeier["links"][1]
    client = site.client("olga")
    for link, action in ((first, "confirm"), (second, "remove")):
        response = client.post(
            f"/dossiers/{Z}/links",
            data={
                "account": "zavidovo-1993-goldgeier",
                "action": action,
                "source": link["source"],
                "witness": link["witness"],
            },
        )
        assert response.status_code == 302
    after = site.links("zavidovo-1993-goldgeier")
    assert after["links"][0]["status"] == "confirmed" and after["links"][0]["resp"] == "olga"
    assert len(after["links"]) == len(goldgeier["links"]) - 1
    assert after["rejected"][0]["source"] == second["source"]
    assert set(second["source"]) <= set(after["omitted"])
    page = text_of(client.get(f"/dossiers/{Z}/compare?account=zavidovo-1993-goldgeier"))
    assert "confirmed by olga" in page and "Machine links removed by people (1)" in page
    # Withdrawing the removal brings the machine's link back.
    decision = after["rejected"][0]
    response = client.post(
        f"/dossiers/{Z}/links/{decision['decision']}/delete", data={"version": decision["version"]}
    )
    assert response.status_code == 302
    assert len(site.links("zavidovo-1993-goldgeier")["links"]) == len(goldgeier["links"])


def test_a_person_s_link_overrides_the_machine_s_for_those_sentences(site: Curators) -> None:
    goldgeier = site.links("zavidovo-1993-goldgeier")
    machine = goldgeier["links"][0]
    other = next(i for i in goldgeier["omitted"])
    response = site.client("olga").post(
        f"/dossiers/{Z}/links",
        data={
            "account": "zavidovo-1993-goldgeier",
            "source": [other],
            "witness": machine["witness"],
        },
    )
    assert response.status_code == 302
    after = site.links("zavidovo-1993-goldgeier")
    mine = [link for link in after["links"] if link["witness"] == machine["witness"]]
    assert len(mine) == 1 and mine[0]["source"] == [other] and mine[0]["status"] == "added"
    assert set(machine["source"]) <= set(after["omitted"])


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"source": []}, "choose at least one record sentence"),
        ({"witness": [999]}, "there is no account sentence 999"),
        ({"source": ["x"]}, "source must be sentence numbers"),
        ({"source": [1.9]}, "source must be sentence numbers"),
        ({"label": "fiction"}, "unknown label 'fiction'"),
        ({"action": "bless"}, "unknown action 'bless'"),
        ({"note": "x" * 20_001}, "a note has at most 20000 characters"),
    ],
)
def test_bad_links_are_refused_and_change_nothing(
    site: Curators, fields: dict[str, Any], reason: str
) -> None:
    response = add_link(site, **fields)
    assert response.status_code == 400 and reason in text_of(response)
    assert site.count(LinkDecision) == 0 and site.count(Change) == 0
    api = site.client().post(
        f"/api/dossiers/{Z}/links",
        json={"account": TALBOTT, "source": [1], "witness": [1], **fields},
        headers=site.api("olga"),
    )
    # The API names the field whose JSON type is wrong (a string or float for a number).
    typed = {"source must be sentence numbers": "source: must be a whole number"}
    assert api.status_code == 400 and typed.get(reason, reason) in api.get_json()["error"]
    assert site.count(LinkDecision) == 0


def test_unknown_account_is_404(site: Curators) -> None:
    response = add_link(site, account="nobody")
    assert response.status_code == 404


# --- Labels, notes and the sanitiser ---------------------------------------------------


def test_label_and_note_are_edited_with_the_version(site: Curators) -> None:
    add_link(site)
    (link,) = human(site.links())
    client = site.client("olga")
    url = f"/dossiers/{Z}/links/{link['decision']}"
    response = client.post(
        url, data={"version": link["version"], "label": "paraphrase", "note": "Close."}
    )
    assert response.status_code == 302
    (edited,) = human(site.links())
    assert (edited["label"], edited["note"], edited["version"]) == ("paraphrase", "Close.", 2)
    stale = client.post(url, data={"version": 1, "label": "other", "note": "Mine."})
    page = text_of(stale)
    assert stale.status_code == 409 and "changed by someone else" in page
    assert "'Close.'" in page and "'Mine.'" in page  # the stored note and the one typed
    assert human(site.links())[0]["label"] == "paraphrase"


def test_notes_with_script_are_shown_harmless_everywhere(site: Curators) -> None:
    note = 'Not in the record: <script>alert("x")</script> <img src=x onerror=alert(1)> **really**'
    add_link(site, note=note)
    client = site.client("olga")
    version = client.get(f"/api/dossiers/{Z}").get_json()["version"]
    assert (
        client.post(f"/dossiers/{Z}/notes", data={"notes": note, "version": version}).status_code
        == 302
    )
    (link,) = human(site.links())
    number = 1 + next(
        k for k, lk in enumerate(site.links()["links"]) if lk["decision"] == link["decision"]
    )
    for url in (
        f"/dossiers/{Z}",
        f"/dossiers/{Z}/compare?account={TALBOTT}&panel={TALBOTT}&link={number}",  # its detail
        f"/dossiers/{Z}/compare?account={TALBOTT}&fragment={TALBOTT}&link={number}",
        f"/dossiers/{Z}/export?format=html",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "<strong>really</strong>" in page, url
        assert (
            "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
            or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        ), url


def test_marks_on_omissions_and_additions_are_counted_on_the_overview(site: Curators) -> None:
    talbott = site.links()
    client = site.client("olga")
    for side, index, significant in (
        ("record", talbott["omitted"][0], "yes"),
        ("record", talbott["omitted"][1], "no"),
        ("account", talbott["added"][0], "yes"),
    ):
        response = client.post(
            f"/dossiers/{Z}/marks",
            data={
                "account": TALBOTT,
                "side": side,
                "index": index,
                "significant": significant,
                "note": "why",
            },
        )
        assert response.status_code == 302
    marks = site.links()["marks"]
    assert [(m["side"], m["significant"]) for m in marks] == [
        ("account", True),
        ("record", True),
        ("record", False),
    ]
    add_link(site, label="embellishment")
    page = text_of(client.get(f"/dossiers/{Z}"))
    row = re.search(rf'<tr id="labels-{TALBOTT}">(.*?)</tr>', page, re.S)
    assert row
    cells = re.findall(r"<td>(\d+)</td>", row.group(1))
    # confirmed, added, removed, 8 labels (embellishment is the 4th), omissions, additions
    assert cells[:3] == ["0", "1", "0"] and cells[3 + 3] == "1"
    # The added link took the first omitted and the first added sentence, which were marked
    # significant: they are no longer omissions or additions.
    assert cells[-2:] == ["0", "0"]
    stale = client.post(
        f"/dossiers/{Z}/marks",
        data={
            "account": TALBOTT,
            "side": "record",
            "index": talbott["omitted"][1],
            "significant": "yes",
            "version": "7",
        },
    )
    assert stale.status_code == 409


def test_a_linked_sentence_is_marked_and_noted_on_its_own_page(site: Curators) -> None:
    comparison = site.client().get(f"/api/dossiers/{Z}/comparison").get_json()
    talbott = next(w for w in comparison["witnesses"] if w["id"] == TALBOTT)
    link = talbott["links"][0]
    number = link["source"][0] + 1
    text = comparison["source"]["sentences"][number - 1]["text"]
    counterpart = talbott["sentences"][link["witness"][0]]["text"]
    url = f"/dossiers/{Z}/compare/{TALBOTT}/record/{number}"
    compare = f"/dossiers/{Z}/compare?account={TALBOTT}"

    # A reader sees the sentence, its counterpart and the machine's link, and no form.
    page = text_of(site.client("rob").get(url))
    assert f"R{number}: record sentence {number}" in page
    assert text in page and counterpart in page and "proposed by the machine" in page
    assert "Nobody has marked or noted this sentence yet." in page
    assert 'class="row mark-form"' not in page
    # An annotator reaches it from the compare view and gets the form, which comes back.
    assert f'href="compare/{TALBOTT}/record/{number}"' in text_of(site.client("olga").get(compare))
    form = text_of(site.client("olga").get(url))
    back = f"{compare}#{TALBOTT}-r{number}"
    assert f'name="next" value="{back}"' in form and 'name="version"' not in form

    note = "Talbott *softens* this. <script>alert(1)</script>"
    data = {"account": TALBOTT, "side": "record", "index": number, "note": note, "next": back}
    response = site.client("olga").post(f"/dossiers/{Z}/marks", data={**data, "significant": ""})
    assert response.status_code == 302 and response.headers["Location"] == back
    # Everyone now sees that it has a note, and the note, sanitised; the counts are unchanged.
    raw = site.client("rob").get(compare).get_data(as_text=True)
    assert (
        f'class="note-link has-note" href="compare/{TALBOTT}/record/{number}" '
        f'aria-label="Note on R{number}"' in raw
    )
    shown = site.client("rob").get(url).get_data(as_text=True)
    assert "<em>softens</em>" in shown and "<script>alert" not in shown and "(olga)" in shown
    assert site.links()["omitted"] == [i + 1 for i in talbott["omitted"]]  # numbers, not indices
    (mark,) = site.links()["marks"]
    assert (mark["side"], mark["note"], mark["version"]) == ("record", note, 1)

    # Editing goes with the version shown; a stale one gets 409 and keeps the stored note.
    assert 'name="version" value="1"' in text_of(site.client("olga").get(url))
    again = {**data, "significant": "yes", "note": "Softened.", "version": "1"}
    assert site.client("olga").post(f"/dossiers/{Z}/marks", data=again).status_code == 302
    stale = site.client("ada").post(f"/dossiers/{Z}/marks", data={**again, "note": "Mine."})
    assert stale.status_code == 409 and "Softened." in text_of(stale)
    (mark,) = site.links()["marks"]
    assert (mark["note"], mark["significant"], mark["version"]) == ("Softened.", True, 2)
    assert "significant" in text_of(site.client("rob").get(url))
    # A crafted "next" never leaves the site.
    outside = site.client("olga").post(
        f"/dossiers/{Z}/marks",
        data={**again, "version": "2", "next": "/\\evil.example/"},
    )
    assert outside.status_code == 302 and outside.headers["Location"].endswith(compare)


@pytest.mark.parametrize(
    "path",
    ["nobody/record/1", "{a}/middle/1", "{a}/record/0", "{a}/account/999", "{a}/record/x"],
)
def test_sentence_pages_of_what_does_not_exist_are_404(site: Curators, path: str) -> None:
    response = site.client("rob").get(f"/dossiers/{Z}/compare/" + path.format(a=TALBOTT))
    assert response.status_code == 404
    assert site.client().get(f"/dossiers/nowhere/compare/{TALBOTT}/record/1").status_code == 404


# --- History and revert ----------------------------------------------------------------


def test_every_change_is_in_the_history_and_can_be_reverted(site: Curators) -> None:
    add_link(site, label="paraphrase")
    (link,) = human(site.links())
    client = site.client("olga")
    client.post(f"/dossiers/{Z}/links/{link['decision']}", data={"version": 1, "label": "other"})
    history = client.get(f"/api/dossiers/{Z}/history").get_json()
    assert [(h["action"], h["target"], h["who"]) for h in history] == [
        ("update", "link", "olga"),
        ("create", "link", "olga"),
    ]
    assert history[0]["before"]["label"] == "paraphrase" and history[0]["after"]["label"] == "other"
    page = text_of(
        site.client("rob").get(f"/dossiers/{Z}/history?target=link&id={link['decision']}")
    )
    assert "update" in page and "olga" in page and "Revert" not in page  # readers see, not undo
    # Undo the label change, then the creation.
    assert client.post(f"/dossiers/{Z}/history/{history[0]['id']}/revert").status_code == 302
    assert human(site.links())[0]["label"] == "paraphrase"
    assert client.post(f"/dossiers/{Z}/history/{history[1]['id']}/revert").status_code == 302
    assert human(site.links()) == []
    # Undoing the deletion (the last revert) brings the link back with its label.
    latest = client.get(f"/api/dossiers/{Z}/history").get_json()[0]
    assert latest["action"] == "delete" and latest["reverts"] == history[1]["id"]
    assert client.post(f"/dossiers/{Z}/history/{latest['id']}/revert").status_code == 302
    (back,) = human(site.links())
    assert back["label"] == "paraphrase" and back["decision"] == link["decision"]


# --- People over machine: re-alignment, edits, boundaries -------------------------------


def test_decisions_survive_a_re_alignment_with_other_settings(site: Curators) -> None:
    add_link(site, label="embellishment")
    (before,) = human(site.links())
    with site.app.extensions["memcon.db"].session() as session:
        from webapp.library import stored_dossier

        dossier = stored_dossier(session, Z)
        assert dossier is not None
        dossier.variants = {**(dossier.variants or {}), "Jeltsin": "Yeltsin"}
    (after,) = human(site.links())
    assert (after["source"], after["witness"], after["label"]) == (
        before["source"],
        before["witness"],
        "embellishment",
    )


def test_an_edited_text_carries_decisions_or_lists_them_for_review(site: Curators) -> None:
    add_link(site, label="embellishment")
    (link,) = human(site.links())
    document = (
        site.client()
        .get(f"/api/dossiers/{Z}/documents/{TALBOTT}", headers=site.api("olga"))
        .get_json()
    )
    sentence = site.client().get(f"/api/dossiers/{Z}/comparison").get_json()
    talbott = next(w for w in sentence["witnesses"] if w["id"] == TALBOTT)
    linked_text = talbott["sentences"][link["witness"][0] - 1]["text"]
    # Insert a sentence at the start: the decision moves with its sentence.
    edited = "A new opening sentence was written later. " + document["text"]
    response = site.client().patch(
        f"/api/dossiers/{Z}/documents/{TALBOTT}",
        json={"version": document["version"], "text": edited},
        headers=site.api("olga"),
    )
    assert response.status_code == 200
    (carried,) = human(site.links())
    after = site.client().get(f"/api/dossiers/{Z}/comparison").get_json()
    talbott = next(w for w in after["witnesses"] if w["id"] == TALBOTT)
    assert talbott["sentences"][carried["witness"][0] - 1]["text"] == linked_text
    # Delete that sentence: the decision cannot be carried and is listed for review.
    response = site.client().patch(
        f"/api/dossiers/{Z}/documents/{TALBOTT}",
        json={"version": document["version"] + 1, "text": edited.replace(linked_text, "")},
        headers=site.api("olga"),
    )
    assert response.status_code == 200
    assert human(site.links()) == []
    review = site.client("ada").get(f"/api/dossiers/{Z}/links").get_json()["review"]
    assert [(r["target"], r["id"]) for r in review] == [("link", link["decision"])]
    assert "To review" in text_of(site.client("olga").get(f"/dossiers/{Z}"))


def test_sentence_boundaries_are_fixed_and_decisions_kept(site: Curators) -> None:
    client = site.client("olga")
    comparison = client.get(f"/api/dossiers/{Z}/comparison").get_json()
    record = comparison["source"]["sentences"]
    count = len(record)
    page = text_of(client.get(f"/dossiers/{Z}/documents/zavidovo-1993-memcon/sentences"))
    assert "Sentence boundaries of" in page
    version = client.get(f"/api/dossiers/{Z}").get_json()["documents"][0]["version"]
    response = client.post(
        f"/dossiers/{Z}/documents/zavidovo-1993-memcon/sentences",
        data={"action": "join", "index": 2, "version": version},
    )
    assert response.status_code == 302
    joined = client.get(f"/api/dossiers/{Z}/comparison").get_json()["source"]["sentences"]
    assert len(joined) == count - 1
    assert joined[0]["start"] == record[0]["start"] and joined[0]["end"] == record[1]["end"]
    # Split it again where the second sentence's words begin.
    words = record[1]["text"].split()[0:3]
    response = client.post(
        f"/dossiers/{Z}/documents/zavidovo-1993-memcon/sentences",
        data={"action": "split", "index": 1, "words": " ".join(words), "version": version + 1},
    )
    assert response.status_code == 302
    again = client.get(f"/api/dossiers/{Z}/comparison").get_json()["source"]["sentences"]
    assert [(s["start"], s["end"]) for s in again] == [(s["start"], s["end"]) for s in record]
    for data, reason in (
        (
            {"action": "split", "index": 1, "words": "no such words", "version": version + 2},
            "type the words",
        ),
        ({"action": "join", "index": 1, "version": version + 2}, "the first sentence"),
        ({"action": "join", "index": 3, "version": version}, "changed by someone else"),
    ):
        response = client.post(f"/dossiers/{Z}/documents/zavidovo-1993-memcon/sentences", data=data)
        assert response.status_code in {400, 409} and reason in text_of(response)


# --- Who may do what --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("rob", 403), ("nick", 403), ("olga", 302), ("ada", 302)],
)
def test_only_annotators_among_members_and_admins_curate(
    site: Curators, who: str | None, status: int
) -> None:
    response = (
        add_link(site, who=who) if who else site.client().post(f"/dossiers/{Z}/links", data={})
    )
    assert response.status_code == status
    assert site.count(LinkDecision) == (1 if status == 302 else 0)


def test_curation_forms_need_a_csrf_token(site: Curators) -> None:
    site.app.config["WTF_CSRF_ENABLED"] = True
    client = site.client("olga")
    for url in (
        f"/dossiers/{Z}/links",
        f"/dossiers/{Z}/links/1",
        f"/dossiers/{Z}/links/1/delete",
        f"/dossiers/{Z}/marks",
        f"/dossiers/{Z}/notes",
        f"/dossiers/{Z}/documents/{TALBOTT}/sentences",
        f"/dossiers/{Z}/history/1/revert",
        f"/dossiers/{Z}/import",
    ):
        response = client.post(url, data={"account": TALBOTT, "source": "1", "witness": "1"})
        assert response.status_code == 400 and "CSRF" in text_of(response), url
    assert site.count(LinkDecision) == 0 and site.count(SentenceMark) == 0


def test_the_api_curates_with_a_token(site: Curators) -> None:
    talbott = site.links()
    client = site.client()
    body = {
        "account": TALBOTT,
        "source": [talbott["omitted"][0]],
        "witness": [talbott["added"][0]],
        "label": "reordering",
    }
    assert client.post(f"/api/dossiers/{Z}/links", json=body).status_code == 401
    assert (
        client.post(f"/api/dossiers/{Z}/links", json=body, headers=site.api("rob")).status_code
        == 403
    )
    created = client.post(f"/api/dossiers/{Z}/links", json=body, headers=site.api("olga"))
    assert created.status_code == 201
    decision = created.get_json()
    assert decision["target"] == "link" and decision["version"] == 1
    url = f"/api/dossiers/{Z}/links/{decision['id']}"
    ok = client.patch(url, json={"version": 1, "note": "API note"}, headers=site.api("olga"))
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    stale = client.patch(url, json={"version": 1, "note": "late"}, headers=site.api("ada"))
    assert stale.status_code == 409 and stale.get_json()["current"]["note"] == "API note"
    notes = client.put(
        f"/api/dossiers/{Z}/notes", json={"notes": "x", "version": 0}, headers=site.api("olga")
    )
    assert notes.status_code == 409
    gone = client.delete(f"{url}?version=2", headers=site.api("olga"))
    assert gone.status_code == 200 and human(site.links()) == []


def test_two_annotators_editing_one_link_at_once_one_wins_one_gets_409(
    site: Curators, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read version 1 and pass the check; the database lets only the first write."""
    add_link(site)
    (link,) = human(site.links())
    from webapp.library import edits

    barrier = threading.Barrier(2, timeout=10)
    check = edits._check_version

    def check_then_wait(what: str, row: Any, expected: int | None) -> None:
        check(what, row, expected)
        barrier.wait()  # both edits are past the version check before either writes

    monkeypatch.setattr(edits, "_check_version", check_then_wait)
    results: dict[str, TestResponse] = {}

    def edit(who: str, note: str) -> None:
        results[who] = site.client().patch(
            f"/api/dossiers/{Z}/links/{link['decision']}",
            json={"version": 1, "note": note},
            headers=site.api(who),
        )

    threads = [
        threading.Thread(target=edit, args=("olga", "Olga's note")),
        threading.Thread(target=edit, args=("ada", "Ada's note")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200, 409], {k: r.get_json() for k, r in results.items()}
    winner = next(who for who, r in results.items() if r.status_code == 200)
    loser = next(who for who, r in results.items() if r.status_code == 409)
    stored = human(site.links())[0]
    assert stored["note"] == f"{winner.capitalize()}'s note" and stored["version"] == 2
    assert results[loser].get_json()["current"]["note"] == stored["note"]
    history = site.client().get(f"/api/dossiers/{Z}/history").get_json()
    assert [h["action"] for h in history] == ["update", "create"]
