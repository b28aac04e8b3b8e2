"""The history page in words: one sentence per change with account titles and 1-based
sentence numbers, a before / after view, and what a revert would do (shadowed by a later
decision, already undone, nothing to undo).

The site is the bundled dossiers with ada (admin), bob (an annotator and member of
Zavidovo) and rob (a reader).
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from webapp.library.history_sentences import changed_words, snippet
from webapp.library.history_words import numbers

from .conftest import Site, add_people, site_app

Z = "zavidovo-1993"
CHRISTOPHER = "zavidovo-1993-christopher"
MEMOIR = "In the Stream of History (as reported by Goldgeier)"


class Historians(Site):
    """The bundled dossiers, with Christopher's machine links at hand."""

    def links(self) -> list[dict[str, Any]]:
        data = self.client("ada").get(f"/api/dossiers/{Z}/links").get_json()
        return next(a for a in data["accounts"] if a["id"] == CHRISTOPHER)["links"]

    def post(self, who: str, path: str, **data: Any) -> str:
        """POST a form as ``who``; the flash message on the page it leads to."""
        client = self.client(who)
        response = client.post(f"/dossiers/{Z}{path}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:400]
        page = client.get(response.headers["Location"])
        return flashes(page.get_data(as_text=True))

    def decide(self, who: str, action: str, link: dict[str, Any], **extra: Any) -> str:
        return self.post(
            who,
            "/links",
            account=CHRISTOPHER,
            action=action,
            source=link["source"],  # the API's numbers are the pages' (1-based)
            witness=link["witness"],
            **extra,
        )

    def decision(self) -> dict[str, Any]:
        return next(link for link in self.links() if link["status"] != "machine")

    def history(self, who: str = "ada", query: str = "") -> str:
        response = self.client(who).get(f"/dossiers/{Z}/history{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)


def build_site(url: str) -> Historians:
    app = site_app(url)
    site = Historians(app, add_people(app, {"ada": "admin", "bob": "annotator", "rob": "reader"}))
    assert site.client("ada").post(f"/dossiers/{Z}/members", data={"name": "bob"}).status_code
    return site


def text(page: str) -> str:
    """The words of a page, tags dropped, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def flashes(page: str) -> str:
    found = re.search(r'<ul class="flashes".*?</ul>', page, re.S)
    return text(found.group(0)) if found else ""


def lines(page: str) -> list[str]:
    """The change sentences of a history page, newest first."""
    return [text(m) for m in re.findall(r'<p class="change-line">(.*?)</p>', page, re.S)]


def cite(link: dict[str, Any]) -> str:
    return f"R{link['source'][0]} → A{link['witness'][0]} in {MEMOIR}"


def change_ids(site: Historians) -> list[int]:
    return [c["id"] for c in site.client("ada").get(f"/api/dossiers/{Z}/history").get_json()]


def test_five_changes_of_different_kinds_are_told_in_words(site: Historians) -> None:
    first, second = [link for link in site.links() if len(link["source"]) == 1][:2]
    site.decide("ada", "confirm", first)
    site.decide("ada", "remove", second)
    decision = site.decision()
    site.post("ada", f"/links/{decision['decision']}", version=1, label="reordering")
    note = "He tells the offer of membership after the praise, not before it as the record has it"
    site.post("bob", f"/links/{decision['decision']}", version=2, note=note)
    version = site.client("ada").get(f"/api/dossiers/{Z}").get_json()["version"]
    site.post("bob", "/notes", notes="Check the **memoir** against the tape.", version=version)
    page = site.history()
    assert lines(page) == [
        f"#{n} {line}"
        for n, line in zip(
            sorted(change_ids(site), reverse=True),
            [
                "bob changed the dossier's notes: ‘Check the **memoir** against the tape.’",
                f"bob noted {cite(first)}: ‘{snippet(note)}’.",
                f"ada labelled {cite(first)} as ‘reordering’.",
                f"ada removed the link {cite(second)}.",
                f"ada confirmed {cite(first)}.",
            ],
            strict=True,
        )
    ]
    # No ids, offsets or JSON outside the archivists' details line.
    outside = re.sub(r'<details class="raw">.*?</details>', "", page, flags=re.S)
    for raw in ("record_id", "source_spans", "account_id", "{", "update dossier"):
        assert raw not in text(outside), raw
    assert page.count('<details class="raw">') == 5
    # The before / after view of the label change, in words.
    label = re.search(r'id="change-3".*?</table>', page, re.S)
    assert label and '<th scope="row">Label</th><td>—</td><td><ins>reordering</ins>' in label[0]


def test_a_revert_shadowed_by_a_later_decision_is_explained(site: Historians) -> None:
    link = next(link for link in site.links() if link["status"] == "machine")
    site.decide("ada", "confirm", link)
    site.decide("bob", "add", link, label="paraphrase")
    first, later = sorted(change_ids(site))
    page = site.history()
    shadow = (
        f"A later change by bob (#{later}) decided this link again: reverting this one "
        f"would change nothing; revert #{later} first."
    )
    assert shadow in text(re.search(rf'id="change-{first}".*?</li>', page, re.S)[0])
    # Reverted anyway: the message says nothing visible changed, and why; bob's link stands.
    said = site.post("ada", f"/history/{first}/revert")
    assert said == f"Change #{first} reverted. Nothing visible changed. {shadow}"
    assert [(d["status"], d["label"]) for d in site.links() if d["status"] != "machine"] == [
        ("added", "paraphrase")
    ]
    # A reader sees the history, but neither Revert buttons nor advice.
    reader = site.history("rob")
    assert "Revert" not in text(reader) and shadow not in text(reader)


def test_a_change_already_put_back_offers_no_revert_and_says_why(site: Historians) -> None:
    link = next(link for link in site.links() if link["status"] == "machine")
    site.decide("ada", "confirm", link, label="paraphrase")
    decision = site.decision()
    site.post("ada", f"/links/{decision['decision']}", version=1, label="other")
    created, labelled = sorted(change_ids(site))
    said = site.post("bob", f"/history/{labelled}/revert")
    assert said == (
        f"Change #{labelled} reverted. bob undid #{labelled}: {cite(link)} is back to label "
        "‘paraphrase’."
    )
    undo = max(change_ids(site))
    page = site.history()
    entry = text(re.search(rf'id="change-{labelled}".*?</li>', page, re.S)[0])
    assert (
        "Reverting would change nothing: it is already as it was before this change "
        f"(bob put it back in #{undo})."
    ) in entry
    assert f'action="/dossiers/{Z}/history/{labelled}/revert"' not in page
    assert f'action="/dossiers/{Z}/history/{undo}/revert"' in page
    # The creation, reverted, withdraws the decision; then it has nothing left to undo.
    site.post("ada", f"/history/{created}/revert")
    page = site.history()
    gone = max(change_ids(site))
    entry = text(re.search(rf'id="change-{created}".*?</li>', page, re.S)[0])
    assert f"Nothing to revert: ada withdrew it later (#{gone})." in entry
    assert f"ada undid #{created}: the decision on {cite(link)} is withdrawn." in lines(page)[0]


def test_one_row_s_history_names_the_row_in_words(site: Historians) -> None:
    link = next(link for link in site.links() if link["status"] == "machine")
    site.decide("ada", "confirm", link)
    decision = site.decision()
    page = site.history(query=f"?target=link&id={decision['decision']}")
    assert f"Only the changes of {cite(link)}." in text(page)


@pytest.mark.parametrize(
    ("indices", "cited"),
    [([2], "R3"), ([2, 3, 4], "R3–R5"), ([6, 2], "R3, R7"), ([0, 1, 5], "R1–R2, R6")],
)
def test_sentence_numbers_are_cited_as_ranges(indices: list[int], cited: str) -> None:
    assert numbers("R", indices) == cited


def test_an_edited_text_counts_the_words_changed() -> None:
    assert changed_words("the talks began at ten", "the talks began at noon") == 1
    assert changed_words("a b c", "a x y c d") == 3
    assert snippet("one two three", 2) == "one two…"


RECORD_TITLE = (
    "Memorandum of conversation: Secretary Christopher and President Yeltsin, Zavidovo "
    "(reconstruction)"
)


def test_edits_of_texts_and_sentence_boundaries_are_told_in_words(site: Historians) -> None:
    memcon = "zavidovo-1993-memcon"
    api = site.client("ada").get(f"/api/dossiers/{Z}/documents/{memcon}", headers=site.api("ada"))
    document = api.get_json()
    assert "ten" in document["text"]
    edited = document["text"].replace("ten", "eleven", 1) + "\nA closing line was added.\n"
    changed = site.client().patch(
        f"/api/dossiers/{Z}/documents/{memcon}",
        json={"version": document["version"], "text": edited},
        headers=site.api("ada"),
    )
    assert changed.status_code == 200, changed.get_json()
    site.post("bob", f"/documents/{memcon}/sentences", action="join", index=2, version=2)
    newest, older = lines(site.history())[:2]
    assert newest.endswith(f"bob joined two sentences of the record, {RECORD_TITLE}.")
    # One word changed ("ten" is inside a word or is one), five added at the end.
    assert older.endswith(f"ada edited the text of the record, {RECORD_TITLE} (6 words changed).")


def test_a_link_change_leads_to_its_place_in_the_comparison(site: Historians) -> None:
    link = next(link for link in site.links() if link["status"] == "machine")
    site.decide("ada", "confirm", link)
    page = site.history()
    anchor = f"{CHRISTOPHER}-r{link['source'][0]}"
    assert (
        f'<a href="/dossiers/{Z}/compare?account={CHRISTOPHER}#{anchor}">see it in the '
        "comparison</a>"
    ) in page
