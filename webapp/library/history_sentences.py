"""The sentence that tells one change: "ada labelled R13 → A5 in Christopher's memoir as
'reordering'", "bob undid #12: the decision on R3 → A2 in … is withdrawn".

``about`` (what the change was about, already in words: "R3 → A2 in Christopher's memoir",
"the record, Memorandum of conversation") comes from :mod:`.history_words`; here the
stored states before and after are turned into a verb phrase.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from difflib import SequenceMatcher
from typing import Any

from ..store.models import Change

#: The words shown for a decision's action.
DECIDED = {"confirm": "confirmed", "add": "added", "remove": "removed"}
#: Texts longer than this many words are not diffed for a count of changed words.
DIFF_WORDS = 20_000

State = Mapping[str, Any]


def snippet(text: object, words: int = 12) -> str:
    """The first ``words`` words of a text, with an ellipsis if there were more."""
    parts = str(text or "").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def quoted(text: object) -> str:
    """A short quotation of a stored text ("" for none)."""
    short = snippet(text)
    return f"‘{short}’" if short else ""


def sentence_of(change: Change, about: str) -> str:
    """The change in one sentence, starting with who made it."""
    told = _TELLERS[change.target](change, about)
    if change.imported:
        return f"Imported from another dossier's history: {told}"
    return told


def _undone(change: Change) -> bool:
    return change.reverts is not None


def _clauses(
    before: State, after: State, about: str, rules: Mapping[str, Callable[[Any, Any], str]]
) -> list[str]:
    """One verb phrase per changed field; the first names the subject, the others say "it"."""
    said: list[str] = []
    for field, rule in rules.items():
        old, new = before.get(field), after.get(field)
        if old == new or (not old and not new):
            continue
        said.append(rule(old, new).format(ref=about if not said else "it"))
    return said


def _joined(who: str, clauses: list[str], fallback: str) -> str:
    if not clauses:
        return f"{who} {fallback}"
    head = ", ".join(clauses[:-1])
    return f"{who} {head + ' and ' if head else ''}{clauses[-1]}"


def _label(old: Any, new: Any) -> str:
    return f"labelled {{ref}} as ‘{new}’" if new else f"took the label ‘{old}’ off {{ref}}"


def _note(old: Any, new: Any) -> str:
    return f"noted {{ref}}: {quoted(new)}" if new else "cleared the note on {ref}"


def _action(old: Any, new: Any) -> str:
    return f"changed {{ref}} from {DECIDED.get(old, old)} to {DECIDED.get(new, new)}"


def _significance(value: Any) -> str:
    return {True: "significant", False: "not significant"}.get(value, "neither")


def _significant(old: Any, new: Any) -> str:
    return f"marked {{ref}} as {_significance(new)}"


_LINK_RULES = {"action": _action, "label": _label, "note": _note}
_MARK_RULES = {"significant": _significant, "note": _note}


def _back_to(before: State, after: State, about: str, fields: tuple[str, ...]) -> str:
    """What a revert put back, passively: "R3 → A2 … is back to label ‘paraphrase’"."""
    parts = [
        f"{field} {quoted(after.get(field)) or DECIDED.get(str(after.get(field)), 'none')}"
        for field in fields
        if before.get(field) != after.get(field) and (before.get(field) or after.get(field))
    ]
    if not parts:
        return f"{about} was already so: nothing changed"
    return f"{about} is back to " + ", ".join(parts)


def _revert(change: Change, about: str, what: str, fields: tuple[str, ...]) -> str:
    who, before, after = change.user_name, change.before, change.after
    if change.action == "delete":
        result = f"the {what} on {about} is withdrawn"
    elif before is None:
        result = f"the {what} on {about} is back"
    else:
        result = _back_to(before, after or {}, about, fields)
    return f"{who} undid #{change.reverts}: {result}"


def _link(change: Change, about: str) -> str:
    who, before, after = change.user_name, change.before or {}, change.after or {}
    if _undone(change):
        return _revert(change, about, "decision", ("action", "label", "note"))
    if change.action == "create":
        action = after.get("action", "")
        if action == "confirm":
            done = f"{who} confirmed {about}"
        else:
            done = f"{who} {DECIDED.get(action, 'decided')} the link {about}"
        extras = [f"labelled it ‘{after['label']}’"] if after.get("label") else []
        extras += [f"noted: {quoted(after['note'])}"] if after.get("note") else []
        return done + "".join(f", {extra}" for extra in extras)
    if change.action == "delete":
        was = DECIDED.get(before.get("action", ""), "decided")
        return (
            f"{who} withdrew the decision on {about} (it had {was} the link): "
            "the machine's proposal applies again"
        )
    return _joined(who, _clauses(before, after, about, _LINK_RULES), f"changed {about}")


def _mark(change: Change, about: str) -> str:
    who, before, after = change.user_name, change.before or {}, change.after or {}
    if _undone(change):
        return _revert(change, about, "mark", ("significant", "note"))
    if change.action == "create":
        said = _clauses({}, after, about, _MARK_RULES)
        return _joined(who, said, f"marked {about}")
    return _joined(who, _clauses(before, after, about, _MARK_RULES), f"changed the mark {about}")


def _dossier(change: Change, about: str) -> str:
    who, after = change.user_name, change.after or {}
    notes = after.get("notes")
    if _undone(change):
        back = quoted(notes) or "none"
        return f"{who} undid #{change.reverts}: the dossier's notes are back to {back}"
    if notes:
        return f"{who} changed the dossier's notes: {quoted(notes)}"
    return f"{who} cleared the dossier's notes"


def changed_words(old: object, new: object) -> int:
    """How many words of ``old`` were replaced, removed or added in ``new`` (0 if too long)."""
    a, b = str(old or "").split(), str(new or "").split()
    if len(a) > DIFF_WORDS or len(b) > DIFF_WORDS:
        return 0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )


def _text(old: Any, new: Any) -> str:
    count = changed_words(old, new)
    return f"edited the text of {{ref}} ({count} word{'s' if count != 1 else ''} changed)"


def _boundaries(kind: str) -> Callable[[Any, Any], str]:
    verb = {"splits": "split a sentence of {ref}", "joins": "joined two sentences of {ref}"}[kind]
    undo = {"splits": "took a sentence split out of {ref}", "joins": "took a join out of {ref}"}

    def rule(old: Any, new: Any) -> str:
        more = len(new or []) - len(old or [])
        return verb if more > 0 else undo[kind] if more < 0 else f"moved a {kind[:-1]} in {{ref}}"

    return rule


def _field(name: str) -> Callable[[Any, Any], str]:
    return lambda old, new: f"changed the {name} of {{ref}} to {quoted(new) or 'nothing'}"


_DOCUMENT_RULES: dict[str, Callable[[Any, Any], str]] = {
    "title": lambda old, new: f"renamed {{ref}} to ‘{new}’",
    "text": _text,
    "splits": _boundaries("splits"),
    "joins": _boundaries("joins"),
    **{name: _field(name) for name in ("kind", "author", "date", "provenance")},
}


def _document(change: Change, about: str) -> str:
    who, before, after = change.user_name, change.before or {}, change.after or {}
    said = _clauses(before, after, about, _DOCUMENT_RULES)
    if _undone(change):
        done = " and ".join(said) if said else f"left {about} as it was"
        return f"{who} undid #{change.reverts} and so {done}"
    return _joined(who, said, f"changed {about}")


_TELLERS: dict[str, Callable[[Change, str], str]] = {
    "link": _link,
    "mark": _mark,
    "dossier": _dossier,
    "document": _document,
}
