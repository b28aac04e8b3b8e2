"""Compare a record with its accounts: the engine's one entry point.

>>> record = Document.from_text("memcon", "Yeltsin called it a stroke of genius. Then he left.")
>>> account = Document.from_text("memoir", "Then he left. Yeltsin called it a stroke of genius.")
>>> result = compare(record, [account])
>>> [(link.source, link.witness, link.moved) for link in result.witnesses[0].links]
[((0,), (1,), True), ((1,), (0,), False)]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from itertools import chain, compress
from typing import Any

from . import lexicon, semantic
from .align import AlignSettings, DraftLink
from .candidates import Fixed, identical_pairs, positions_of, quote_bonus, score_and_align
from .diff import word_diffs
from .document import Document
from .gcpause import paused
from .model import (
    Comparison,
    Link,
    OrderStats,
    Rendering,
    Sentence,
    SourceInfo,
    Telling,
    WitnessResult,
)
from .moves import judge_moves
from .normalize import (
    Normalizer,
    content_words,
    fold_verb_endings,
    merged_stems_of,
)
from .order import kendall_tau
from .quotes import TokenStream, check_quotes
from .similarity import PairScores, Scorer
from .tellings import as_link, chain_items, off_chain, runs

#: ``progress(stage, fraction)``: told the stage reached and the fraction of the whole
#: comparison done (0 to 1); it may raise to stop the comparison (a cancelled job).
Progress = Callable[[str, float], None]
#: The stages reported for each witness, in order.
STAGES = ("candidates", "scoring", "aligning", "analysing")


@dataclass(frozen=True, slots=True)
class Settings:
    """What a comparison depends on besides the texts (part of its cache key)."""

    variants: Mapping[str, str] = field(default_factory=dict)
    #: Top partners of each sentence kept as candidates, each way. 13, not 10: in
    #: formulaic text (genealogies, regnal formulae) the true partner of a verse often
    #: ranks below ten look-alikes (Samuel-Kings -> Chronicles sets found 0.940 -> 0.952,
    #: moved-set F1 0.923 -> 0.943; synthetic heavy moved F1 +0.01; 15 gives the same).
    candidates: int = 13
    align: AlignSettings = field(default_factory=AlignSettings)
    #: Also score by meaning (sentence embeddings, see :mod:`.semantic`; needs the extra).
    semantic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain data (stored beside a result).

        ``semantic`` is named only when on: the default's data (and cache keys) stay as
        they were before the semantic scorer existed.
        """
        data: dict[str, Any] = {
            "variants": dict(sorted(self.variants.items())),
            "candidates": self.candidates,
            "align": asdict(self.align),
        }
        if self.semantic:
            data["semantic"] = True
        return data


def compare(
    source: Document,
    witnesses: Sequence[Document],
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
) -> Comparison:
    """Align every witness with the source and analyse what each one did with it.

    ``progress``, if given, is called at each stage of each witness (see :data:`STAGES`)
    and once more with ``("analysing", 1.0)`` at the end. Python's cyclic garbage
    collector is paused meanwhile (see :mod:`.gcpause`).
    """
    with paused():
        return _compare(source, witnesses, settings or Settings(), progress)


def _compare(
    source: Document,
    witnesses: Sequence[Document],
    settings: Settings,
    progress: Progress | None,
) -> Comparison:
    """:func:`compare`, with the collector paused."""
    normalizer = Normalizer(settings.variants)
    source_words = _words_of(source.sentences, normalizer)
    source_scored = fold_verb_endings(source_words)
    source_terms = _terms_of(source_scored, normalizer)
    # The record's index for quotations, built at the first quotation of any witness.
    stream = cache(partial(TokenStream.from_words, source_words))
    results = tuple(
        _compare_one(
            source,
            witness,
            settings,
            normalizer,
            (source_words, source_scored),
            source_terms,
            stream,
            _reporter(progress, k, len(witnesses)),
        )
        for k, witness in enumerate(witnesses)
    )
    if progress is not None:
        progress(STAGES[-1], 1.0)
    return Comparison(
        source=SourceInfo(source.name, source.sentences),
        witnesses=results,
        settings=settings.to_dict(),
    )


def _compare_one(
    source: Document,
    witness: Document,
    settings: Settings,
    normalizer: Normalizer,
    source_read: tuple[list[list[str]], list[list[str]]],
    source_terms: list[list[str]],
    stream: Callable[[], TokenStream],
    report: Callable[[str], None] = lambda stage: None,
) -> WitnessResult:
    """Align one witness and analyse it.

    ``source_read`` is the record's words as written and as scored (verb endings folded).
    """
    report("candidates")
    source_words, source_scored = source_read
    witness_words = _words_of(witness.sentences, normalizer)
    witness_scored = fold_verb_endings(witness_words)
    witness_terms = _terms_of(witness_scored, normalizer)
    quotes = check_quotes(witness.text, witness.sentences, stream, normalizer)
    drafts: list[DraftLink] = []
    read_as_one: tuple[Rendering, ...] = ()
    alike: dict[str, str] = {}  # each learned word's class, when links were found through it
    scorer: Scorer | None = None
    pairs: PairScores | None = None
    bonus: dict[tuple[int, int], float] = {}
    if source.sentences and witness.sentences:
        bonus = quote_bonus(quotes, witness_terms, normalizer)
        identical = identical_pairs(source_words, witness_words, settings.candidates)
        meaning = semantic.meaning(source, witness) if settings.semantic else None
        fixed = Fixed(bonus, identical, meaning, len(source.sentences), len(witness.sentences))
        scorer = Scorer(source_terms, witness_terms, source_scored, witness_scored)
        pairs, drafts = score_and_align(scorer, fixed, settings.candidates, settings.align, report)
        table = lexicon.learned(drafts, scorer, settings.align, (source_terms, witness_terms))
        if table:  # a second scoring with the learned words spelled alike (:mod:`.lexicon`)
            terms, scored = lexicon.apply(
                table, (source_terms, witness_terms), (source_scored, witness_scored)
            )
            mapped = Scorer(*terms, *scored)
            again, second = score_and_align(
                mapped, fixed, settings.candidates, settings.align, lambda stage: None
            )
            extra = lexicon.free_links(drafts, second)
            if extra:  # else the first scores stand: nothing was read anew
                scorer, pairs, drafts = mapped, again, drafts + extra
                read_as_one = lexicon.renderings(
                    table, (source_scored, witness_scored), (source_words, witness_words)
                )
                alike = lexicon.classes(table)
    report("analysing")
    links = _finish_links(
        drafts,
        _Evidence(scorer, pairs, bonus, settings.align.moved_min_score),
        source,
        witness,
        (source_words, witness_words),
        normalizer,
        alike,
    )
    linked_source = {i for link in links for i in link.source}
    linked_witness = {j for link in links for j in link.witness}
    positions = [(link.source[0], link.witness[0]) for link in links]
    moved = sum(link.moved for link in links)
    return WitnessResult(
        name=witness.name,
        sentences=witness.sentences,
        links=links,
        omitted=tuple(i for i in range(len(source.sentences)) if i not in linked_source),
        added=tuple(j for j in range(len(witness.sentences)) if j not in linked_witness),
        order=OrderStats(kendall_tau(positions), moved, len(links) - moved),
        quotes=quotes,
        lexicon=read_as_one,
    )


def _words_of(sentences: Sequence[Sentence], normalizer: Normalizer) -> list[list[str]]:
    """The normalised words of each sentence; a sentence that recurs is read once."""
    seen: dict[str, list[str]] = {}
    out = []
    for sentence in sentences:
        words = seen.get(sentence.text)
        if words is None:
            out.append(seen.setdefault(sentence.text, normalizer.words(sentence.text)))
        else:
            out.append(list(words))  # a list of its own, as for the first copy
    return out


def _terms_of(words: list[list[str]], normalizer: Normalizer) -> list[list[str]]:
    """The stemmed content words of each sentence; a sentence that recurs is read once."""
    seen: dict[tuple[str, ...], list[str]] = {}
    out = []
    for sentence in words:
        key = tuple(sentence)
        terms = seen.get(key)
        if terms is None:
            out.append(seen.setdefault(key, normalizer.terms(sentence)))
        else:
            out.append(list(terms))
    return out


def _reporter(progress: Progress | None, k: int, n: int) -> Callable[[str], None]:
    """Report the stages of witness ``k`` of ``n`` as fractions of the whole comparison."""

    def report(stage: str) -> None:
        if progress is not None:
            progress(stage, (k + STAGES.index(stage) / len(STAGES)) / n)

    return report


class _Evidence:
    """Scores of the candidate pairs and of whole links, with quotation evidence."""

    def __init__(
        self,
        scorer: Scorer | None,
        pairs: PairScores | None,
        bonus: dict[tuple[int, int], float],
        strong: float,
    ) -> None:
        self.scorer = scorer
        self.scored = pairs
        self.bonus = bonus
        self.strong = strong

    def corroborated(self, i: int, j: int) -> bool:
        """Whether the pair shares a quotation or a phrase of two content words."""
        return (i, j) in self.bonus or (self.scorer is not None and self.scorer.shares_phrase(i, j))

    def links(
        self, keys: Sequence[tuple[tuple[int, ...], tuple[int, ...]]]
    ) -> list[tuple[float, float, float]]:
        """Score and containments of each link; 1:1 links reuse their pair's figures."""
        figures: dict[int, tuple[float, float, float]] = {}
        singles = {(s[0], w[0]): k for k, (s, w) in enumerate(keys) if len(s) == len(w) == 1}
        if self.scored is not None:
            pairs = self.scored
            for at in positions_of(pairs, singles.keys()):
                key = (int(pairs.source[at]), int(pairs.witness[at]))
                figures[singles[key]] = (
                    float(pairs.score[at]),
                    float(pairs.containment_source[at]),
                    float(pairs.containment_witness[at]),
                )
        rest = [k for k in range(len(keys)) if k not in figures]
        if rest:
            assert self.scorer is not None
            groups = self.scorer.group_scores([keys[k] for k in rest])
            for k, (score, cont_s, cont_w) in zip(rest, groups, strict=True):
                src, wit = keys[k]
                extra = max((self.bonus.get((i, j), 0.0) for i in src for j in wit), default=0.0)
                figures[k] = (min(1.0, score + extra), cont_s, cont_w)
        return [figures[k] for k in range(len(keys))]


def _finish_links(
    drafts: list[DraftLink],
    evidence: _Evidence,
    source: Document,
    witness: Document,
    words: tuple[list[list[str]], list[list[str]]],
    normalizer: Normalizer,
    alike: Mapping[str, str],
) -> tuple[Link, ...]:
    """Score, classify, diff and order-check the chosen links, each telling of a link on
    its own (:mod:`.tellings`); sort them by source. ``alike``: the learned words read as
    one (:mod:`.lexicon`), which a link's shared words count as the same word."""
    drafts = sorted(drafts, key=lambda d: (min(d.source), min(d.witness)))
    if not drafts:
        return ()
    source_words, witness_words = words
    keys = [(tuple(sorted(d.source)), tuple(sorted(d.witness))) for d in drafts]
    items, owner = chain_items(keys)
    figures = evidence.links(items)
    weights = [len(s) + len(w) + f[0] for (s, w), f in zip(items, figures, strict=True)]
    moved = off_chain(items, weights)
    judged = judge_moves(
        items, moved, [f[0] for f in figures], evidence.strong, evidence.corroborated
    )
    told = [key for key in keys if len(runs(key[1])) > 1]
    texts = [
        (
            " ".join(source.sentences[i].text for i in src),
            " ".join(witness.sentences[j].text for j in wit),
        )
        for src, wit in items + told
    ]
    diffs = word_diffs(texts, normalizer)
    joined = dict(zip(told, diffs[len(items) :], strict=True))
    tellings: list[list[Telling]] = [[] for _ in keys]
    for k, (src, wit), (score, cont_s, cont_w), (is_moved, possible), diff in zip(
        owner, items, figures, judged, diffs[: len(items)], strict=True
    ):
        same = _same_words(src, wit, source_words, witness_words)
        kind = _kind(same, score, len(src) + len(wit), cont_s, cont_w)
        score = 1.0 if same else min(score, 0.999)
        tellings[k].append(Telling(wit, score, kind, is_moved, possible, diff))
    shared: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
    links = []
    for (src, wit), told_here in zip(keys, tellings, strict=True):
        # A recurring pair of sentences is read once (what it shares depends on its words
        # only; its texts are the key: their hashes are kept, a long word list's are not).
        both = (
            tuple(source.sentences[i].text for i in src),
            tuple(witness.sentences[j].text for j in wit),
        )
        if both not in shared:
            shared[both] = _shared_words(src, wit, source_words, witness_words, alike)
        links.append(as_link((src, wit), told_here, joined.get((src, wit), ()), shared[both]))
    return tuple(links)


def _same_words(
    src: tuple[int, ...],
    wit: tuple[int, ...],
    source_words: list[list[str]],
    witness_words: list[list[str]],
) -> bool:
    """Whether the link's two sides have the same words (a verbatim link)."""
    if len(src) == len(wit) == 1:
        return source_words[src[0]] == witness_words[wit[0]]
    return list(chain.from_iterable(source_words[i] for i in src)) == list(
        chain.from_iterable(witness_words[j] for j in wit)
    )


def _kind(same: bool, score: float, size: int, cont_s: float, cont_w: float) -> str:
    """Name the link: verbatim, close, paraphrase or partial."""
    if same:
        return "verbatim"
    if size > 2:
        return "partial"
    if score >= 0.75:
        return "close"
    if min(cont_s, cont_w) < 0.5 and max(cont_s, cont_w) >= 0.6:
        return "partial"
    return "paraphrase"


def _shared_words(
    src: tuple[int, ...],
    wit: tuple[int, ...],
    source_words: list[list[str]],
    witness_words: list[list[str]],
    alike: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Content words both sides use (by stem, a learned word as its class), in the
    source's order: the link's evidence ("froward" for "perverse" where it was learned).

    Each distinct word is read once (the source's in order of first use): what a word
    shares depends only on the words of the two sides, not on how often they occur.
    """
    alike = alike or {}
    src_words = content_words(
        list(dict.fromkeys(chain.from_iterable(source_words[i] for i in src)))
    )
    wit_words = content_words(list(set(chain.from_iterable(witness_words[j] for j in wit))))
    src_terms, wit_terms = merged_stems_of([src_words, wit_words])
    present = {alike.get(t, t) for t in wit_terms}
    return tuple(compress(src_words, (alike.get(t, t) in present for t in src_terms)))
