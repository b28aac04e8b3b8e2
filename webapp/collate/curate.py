"""Apply people's decisions to the machine's alignment of one account; fix sentence bounds.

>>> from webapp.collate import Document, compare
>>> record = Document.from_text("r", "The talks began. Yeltsin spoke. Then they ate.")
>>> account = Document.from_text("a", "They ate. Yeltsin spoke first.")
>>> machine = compare(record, [account]).witnesses[0]
>>> curated = curate(record, account, machine, [Decision("add", (0,), (1,), "h1")])
>>> [(link.source, link.witness, ref) for link, ref in zip(curated.result.links, curated.refs)]
[((0,), (1,), 'h1'), ((2,), (0,), None)]

Rules, applied to the decisions in sequence (later decisions win):

* ``remove`` drops the machine link with exactly the same sentences (nothing if none
  matches: its ref is reported in ``unmatched``); it also drops an earlier person's link
  with exactly those sentences;
* ``add`` and ``confirm`` put their link in the result whatever the machine proposed, so
  a confirmed link survives a re-alignment that no longer finds it; a machine link that
  shares a sentence with a person's link is dropped; two people's links never share a
  sentence: the later one replaces the earlier (whose ref goes to ``superseded``);
* a later ``add``/``confirm`` of exactly the link an earlier ``remove`` named overrides
  that removal (the removal's ref goes to ``superseded``).

Links of the result are sorted by (first record sentence, first account sentence), as
:func:`compare` sorts them, so link numbers people cite stay put where nothing changed;
``moved``, ``omitted``, ``added`` and ``order`` are recomputed, quotations stay as they
were. Invariant (as for :func:`compare`): every record sentence is in exactly one link or in
``omitted``, every account sentence in exactly one link or in ``added``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .compare import _kind, _shared_words
from .diff import word_diff
from .document import Document
from .model import Link, OrderStats, Sentence, WitnessResult
from .normalize import Normalizer, merge_comparatives
from .order import kendall_tau
from .tellings import combine, link_items, off_chain

#: What a person may decide about a link.
DECISION_ACTIONS = ("confirm", "remove", "add")

_Key = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Decision:
    """A person's decision on one link; ``ref`` identifies the stored decision (opaque).

    ``source`` and ``witness`` are sorted record and account sentence indices.
    """

    action: str
    source: tuple[int, ...]
    witness: tuple[int, ...]
    ref: str


@dataclass(frozen=True, slots=True)
class Curated:
    """The curated result of one account and what became of each decision.

    ``refs[k]`` is the ref of the decision that made or confirmed ``result.links[k]``
    (``None`` for a machine link). ``unmatched``: removals that named no link (harmless);
    ``rejected``: removals that did drop a link; ``superseded``: decisions overridden by a
    later one. Each tuple keeps the order of the decisions.
    """

    result: WitnessResult
    refs: tuple[str | None, ...]
    unmatched: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    superseded: tuple[str, ...] = ()


def curate(
    source: Document,
    witness: Document,
    result: WitnessResult,
    decisions: Sequence[Decision],
    normalizer: Normalizer | None = None,
) -> Curated:
    """Apply ``decisions`` to the machine's ``result`` for ``witness`` (see module rules).

    Pass the comparison's normaliser (``Normalizer(settings.variants)``) so that scores and
    diffs of people's new links fold spelling variants as the machine's do.
    Raises ``ValueError`` for an unknown action, an empty side or an index out of range.
    """
    if len(result.sentences) != len(witness.sentences):
        raise ValueError(
            f"result has {len(result.sentences)} account sentences, "
            f"the account has {len(witness.sentences)}"
        )
    for decision in decisions:
        _validate(decision, len(source.sentences), len(witness.sentences))
    if not decisions:  # nothing decided: the machine's result exactly, numbering included
        return Curated(result, (None,) * len(result.links))
    normalizer = normalizer or Normalizer()
    machine = {(link.source, link.witness): link for link in result.links}
    human, status = _resolve(decisions, set(machine))
    removed = {_key(d) for d, s in zip(decisions, status, strict=True) if s == "rejected"}
    taken_s = {i for src, _ in human for i in src}
    taken_w = {j for _, wit in human for j in wit}
    kept = [
        link
        for key, link in machine.items()
        if key not in removed
        and key not in human
        and taken_s.isdisjoint(link.source)
        and taken_w.isdisjoint(link.witness)
    ]
    made = [
        machine[key] if key in machine else _new_link(source, witness, key, normalizer)
        for key in human
    ]
    boosted = [False] * len(kept) + [key not in machine for key in human]
    links, refs = _place(kept + made, [None] * len(kept) + list(human.values()), boosted)
    return Curated(
        result=_analysed(result, links, len(source.sentences)),
        refs=refs,
        unmatched=_refs(decisions, status, "unmatched"),
        rejected=_refs(decisions, status, "rejected"),
        superseded=_refs(decisions, status, "superseded"),
    )


def _validate(decision: Decision, n_source: int, n_witness: int) -> None:
    """Refuse a decision the engine cannot apply, saying why (the web app answers 400)."""
    if decision.action not in DECISION_ACTIONS:
        raise ValueError(
            f"decision {decision.ref!r}: unknown action {decision.action!r} "
            f"(choose {', '.join(DECISION_ACTIONS)})"
        )
    for side, indices, size in (
        ("record", decision.source, n_source),
        ("account", decision.witness, n_witness),
    ):
        if not indices:
            raise ValueError(f"decision {decision.ref!r}: no {side} sentence")
        for index in indices:
            if isinstance(index, bool) or not isinstance(index, int):
                raise ValueError(f"decision {decision.ref!r}: {side} index {index!r} not an int")
            if not 0 <= index < size:
                raise ValueError(
                    f"decision {decision.ref!r}: {side} sentence {index} out of range "
                    f"(0..{size - 1})"
                )


def _key(decision: Decision) -> _Key:
    """The link a decision names, as sorted tuples without repeats."""
    return tuple(sorted(set(decision.source))), tuple(sorted(set(decision.witness)))


def _resolve(
    decisions: Sequence[Decision], machine: set[_Key]
) -> tuple[dict[_Key, str], list[str]]:
    """Play the decisions in order: people's links (key -> ref) and each decision's fate.

    A decision's fate is ``active`` (its link stands), ``rejected`` (a removal that drops a
    link), ``unmatched`` (a removal of nothing) or ``superseded`` (a later decision won).
    """
    human: dict[_Key, int] = {}
    status: list[str] = []
    removals: dict[_Key, list[int]] = {}
    for k, decision in enumerate(decisions):
        key = _key(decision)
        if decision.action == "remove":
            earlier = human.pop(key, None)
            if earlier is not None:
                status[earlier] = "superseded"
            removals.setdefault(key, []).append(k)
            status.append("rejected" if key in machine or earlier is not None else "unmatched")
            continue
        src, wit = set(key[0]), set(key[1])
        for other in [o for o in human if not (src.isdisjoint(o[0]) and wit.isdisjoint(o[1]))]:
            status[human.pop(other)] = "superseded"
        for earlier in removals.pop(key, []):
            status[earlier] = "superseded"
        human[key] = k
        status.append("active")
    return {key: decisions[k].ref for key, k in human.items()}, status


def _refs(decisions: Sequence[Decision], status: list[str], fate: str) -> tuple[str, ...]:
    return tuple(d.ref for d, s in zip(decisions, status, strict=True) if s == fate)


def _new_link(source: Document, witness: Document, key: _Key, normalizer: Normalizer) -> Link:
    """Score, classify and diff a link only a person made.

    The score is the Dice coefficient of the two sides' sets of stemmed content words
    (``2 |S & W| / (|S| + |W|)``): simple, in [0, 1], and explainable to a reader. The kind
    comes from the aligner's own rule, with containments as unweighted shares of each
    side's terms found on the other side.
    """
    src, wit = key
    src_words = [normalizer.words(source.sentences[i].text) for i in src]
    wit_words = [normalizer.words(witness.sentences[j].text) for j in wit]
    flat_s = [w for words in src_words for w in words]
    flat_w = [w for words in wit_words for w in words]
    terms_s, terms_w = (
        set(t) for t in merge_comparatives([normalizer.terms(flat_s), normalizer.terms(flat_w)])
    )
    common = len(terms_s & terms_w)
    dice = 2 * common / (len(terms_s) + len(terms_w)) if terms_s or terms_w else 0.0
    cont_s = common / len(terms_s) if terms_s else 0.0
    cont_w = common / len(terms_w) if terms_w else 0.0
    same = flat_s == flat_w
    src_text = " ".join(source.sentences[i].text for i in src)
    wit_text = " ".join(witness.sentences[j].text for j in wit)
    return Link(
        source=src,
        witness=wit,
        score=1.0 if same else min(dice, 0.999),
        kind=_kind(same, dice, len(src) + len(wit), cont_s, cont_w),
        diff=word_diff(src_text, wit_text, normalizer),
        shared=_shared_words(tuple(range(len(src))), tuple(range(len(wit))), src_words, wit_words),
    )


def _place(
    links: list[Link], refs: list[str | None], boosted: list[bool]
) -> tuple[tuple[Link, ...], tuple[str | None, ...]]:
    """Flag moved links and sort them by (first record sentence, first account sentence).

    Weights are the aligner's (sentences plus score), and a link only a person made
    (``boosted``) also gets the heaviest machine weight on top: it outweighs any one machine
    link, so where a person's new link and a machine link cross, the machine's guess is the
    one called moved, while a person's link that crosses many kept machine links is still
    (rightly) a move. Confirming a machine's own link says the pair is right, not which of
    two crossing links was told out of order: it keeps its machine weight, so a confirmation
    never moves the finding "moved" to another sentence.
    """
    items, owner, scores = link_items(links)
    base = [len(src) + len(wit) + score for (src, wit), score in zip(items, scores, strict=True)]
    up = [boosted[k] for k in owner]
    top = max((w for w, b in zip(base, up, strict=True) if not b), default=0.0)
    weights = [w + top if b else w for w, b in zip(base, up, strict=True)]
    off = off_chain(items, weights)
    flags: list[list[bool]] = [[] for _ in links]
    for k, is_off in zip(owner, off, strict=True):
        flags[k].append(is_off)
    positions = [(link.source[0], link.witness[0]) for link in links]
    placed = sorted(zip(positions, links, flags, refs, strict=True), key=lambda row: row[0])
    return (
        tuple(_reordered(link, is_off) for _, link, is_off, _ in placed),
        tuple(ref for *_, ref in placed),
    )


def _reordered(link: Link, off: list[bool]) -> Link:
    """The link with its order flags recomputed: each telling's (``off``: off the chain),
    a possible move kept as the machine judged it (:func:`.tellings.combine`)."""
    if not link.tellings:
        (is_off,) = off
        return replace(
            link,
            moved=is_off and not link.possible_move,
            possible_move=is_off and link.possible_move,
        )
    tellings = tuple(
        replace(t, moved=o and not t.possible_move, possible_move=o and t.possible_move)
        for t, o in zip(link.tellings, off, strict=True)
    )
    moved, possible = combine(tellings)
    return replace(link, moved=moved, possible_move=possible, tellings=tellings)


def _analysed(result: WitnessResult, links: tuple[Link, ...], n_source: int) -> WitnessResult:
    """Recompute omissions, additions and order statistics as :func:`compare` does."""
    linked_source = {i for link in links for i in link.source}
    linked_witness = {j for link in links for j in link.witness}
    positions = [(link.source[0], link.witness[0]) for link in links]
    moved = sum(link.moved for link in links)
    return replace(
        result,
        links=links,
        omitted=tuple(i for i in range(n_source) if i not in linked_source),
        added=tuple(j for j in range(len(result.sentences)) if j not in linked_witness),
        order=OrderStats(kendall_tau(positions), moved, len(links) - moved),
    )


def adjust_sentences(
    text: str, sentences: Sequence[Sentence], splits: Iterable[int], joins: Iterable[int]
) -> tuple[Sentence, ...]:
    """Apply a person's boundary fixes to the segmenter's sentences of ``text``.

    ``joins`` are offsets where a sentence (not the first) starts that should be merged into
    the previous one; ``splits`` are offsets strictly inside a sentence where a new one
    begins (white space around the cut is trimmed). Joins apply before splits; indices are
    renumbered densely and ``text[s.start:s.end] == s.text`` holds. Raises ``ValueError``
    naming the offset that cannot be applied.

    >>> from webapp.collate import segment
    >>> text = "Mr. Smith came. He left; then he ate."
    >>> [s.text for s in adjust_sentences(text, segment(text), splits=[24], joins=[16])]
    ['Mr. Smith came. He left;', 'then he ate.']
    """
    spans = [(s.start, s.end) for s in sentences]
    starts = {start: k for k, (start, _) in enumerate(spans)}
    for offset in sorted(set(joins)):
        if starts.get(offset, 0) == 0:
            raise ValueError(f"join at offset {offset}: no sentence after the first starts there")
    joined: list[tuple[int, int]] = []
    drop = set(joins)
    for start, end in spans:
        if joined and start in drop:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    out = _split(text, joined, sorted(set(splits)))
    return tuple(Sentence(k, a, b, text[a:b]) for k, (a, b) in enumerate(out))


def _split(text: str, spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Cut spans at the given sorted offsets, trimming white space on both sides of a cut."""
    out: list[tuple[int, int]] = []
    pending = iter(cuts)
    cut = next(pending, None)
    for start, end in spans:
        if cut is not None and cut <= start:
            raise ValueError(f"split at offset {cut}: not inside a sentence")
        while cut is not None and cut < end:
            left_end = cut
            while left_end > start and text[left_end - 1].isspace():
                left_end -= 1
            right = cut
            while right < end and text[right].isspace():
                right += 1
            if left_end == start or right == end:
                raise ValueError(f"split at offset {cut}: would leave an empty sentence")
            out.append((start, left_end))
            start = right
            cut = next(pending, None)
            if cut is not None and cut <= start:
                raise ValueError(f"split at offset {cut}: not inside a sentence")
        out.append((start, end))
    if cut is not None:
        raise ValueError(f"split at offset {cut}: not inside a sentence")
    return out
