"""Word correspondences learned from a text pair's own confident links (issue 10).

A translation or a retelling renders some content words consistently with others (KJV
"froward", WEB "perverse"; "kingdom of heaven" for "kingdom of God"): no stem, word pair
or n-gram of the scorer sees them. After a first alignment, :func:`learn` counts, over the
confident one-to-one links, which record stem the account lacks and which account stem the
record lacks in the same link, and keeps a pair when the two co-occur there far more than
chance (a log-likelihood ratio, G2, over the links, with a union bound over every pair
tested: the threshold is the pair's own), each is the other's best association and each
mostly goes unmatched where it occurs. :func:`apply` then reads each class of learned
words as one word on both sides (stems, word pairs, n-grams) for a second scoring and
alignment, of which :func:`free_links` keeps the links between sentences the first
alignment left free: the first links stand.

>>> links = [(["froward", f"w{k}"], ["pervers", f"w{k}"]) for k in range(6)]
>>> links += [([f"x{k}"], [f"x{k}"]) for k in range(12)]
>>> learn(links, min_links=3, alpha=0.05)
{'pervers': 'froward'}
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from statistics import NormalDist

from .align_settings import AlignSettings
from .merges import DraftLink
from .model import Rendering
from .normalize import stem
from .similarity import Scorer

__all__ = ["apply", "chi2_isf_1", "classes", "free_links", "learn", "learned", "renderings"]

#: A link whose sides each lack more than this many of the other's stems is read no
#: further: a long or loose link is weak evidence of any one word, and its cross product
#: of unmatched stems would cost the square of its length.
MAX_UNMATCHED = 8
#: A word is a rendering only where it is mostly unmatched: in at least this share of the
#: confident links that have it, the other side lacks it (a word both texts use is not
#: rendered by another).
UNMATCHED_SHARE = 0.5

Terms = Sequence[str]


def free_links(first: Sequence[DraftLink], second: Sequence[DraftLink]) -> list[DraftLink]:
    """The links of the second alignment between sentences the first left free.

    The first alignment's links stand: a learned word only adds evidence where there was
    none, so it cannot unsettle a region the texts' own words already decided.
    """
    source = {i for d in first for i in d.source}
    witness = {j for d in first for j in d.witness}
    return [d for d in second if source.isdisjoint(d.source) and witness.isdisjoint(d.witness)]


def learned(
    drafts: Sequence[DraftLink],
    scorer: Scorer,
    settings: AlignSettings,
    terms: tuple[Sequence[Terms], Sequence[Terms]],
) -> dict[str, str]:
    """The correspondences of a first alignment's confident one-to-one links (those at
    ``min_score``, on their own strength): ``{}`` with the lexicon off."""
    if not settings.lexicon:
        return {}
    singles = [
        (min(d.source), min(d.witness)) for d in drafts if len(d.source) == len(d.witness) == 1
    ]
    scores = scorer.score(singles).score.tolist()
    links = [
        (terms[0][i], terms[1][j])
        for (i, j), score in zip(singles, scores, strict=True)
        if score >= settings.min_score
    ]
    return learn(links, settings.lexicon_min_links, settings.lexicon_alpha)


def chi2_isf_1(p: float) -> float:
    """The value a chi-square variable of one degree of freedom exceeds with probability
    ``p``: the square of the normal quantile at ``p / 2``, from the standard library
    (``scipy.stats.chi2.isf(p, 1)`` gives the same to 1e-12, but importing scipy.stats
    cost every ``memcon`` process 0.6 s)."""
    if p >= 1.0:
        return 0.0
    if p <= 0.0:
        return math.inf
    return NormalDist().inv_cdf(p / 2) ** 2


def learn(links: Sequence[tuple[Terms, Terms]], min_links: int, alpha: float) -> dict[str, str]:
    """Return ``{account stem: record stem}`` for the pairs the confident links support.

    ``links`` holds each confident link's record and account terms; a pair needs at
    least ``min_links`` links in which both are unmatched, and a G2 that chance reaches
    with probability under ``alpha`` over all the pairs tested.
    """
    counts, unmatched = _counts(links)
    frequent = sorted(pair for pair, c in counts.items() if c >= min_links)
    if not frequent:
        return {}
    seen = _seen(links, frequent)
    n = len(links)
    threshold = chi2_isf_1(alpha / len(counts))
    best_source: dict[str, tuple[float, str]] = {}
    best_witness: dict[str, tuple[float, str]] = {}
    for a, b in frequent:
        if not _mostly_unmatched(a, b, unmatched, seen):
            continue
        g2 = _g2(counts[(a, b)], unmatched[("s", a)], unmatched[("w", b)], n)
        if g2 < threshold:
            continue
        if g2 > best_source.get(a, (0.0, ""))[0]:
            best_source[a] = (g2, b)
        if g2 > best_witness.get(b, (0.0, ""))[0]:
            best_witness[b] = (g2, a)
    return {b: a for b, (_, a) in best_witness.items() if best_source[a][1] == b}


def _counts(
    links: Sequence[tuple[Terms, Terms]],
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """Co-occurrences of unmatched (record, account) stems over the links, and how often
    each stem is unmatched (keys ``("s", stem)`` and ``("w", stem)``)."""
    pairs: Counter[tuple[str, str]] = Counter()
    unmatched: Counter[tuple[str, str]] = Counter()
    for source, witness in links:
        s, w = set(source), set(witness)
        only_s, only_w = s - w, w - s
        if len(only_s) > MAX_UNMATCHED or len(only_w) > MAX_UNMATCHED:
            continue
        unmatched.update(("s", a) for a in only_s)
        unmatched.update(("w", b) for b in only_w)
        pairs.update((a, b) for a in only_s for b in only_w)
    return pairs, unmatched


def _seen(
    links: Sequence[tuple[Terms, Terms]], pairs: Sequence[tuple[str, str]]
) -> Counter[tuple[str, str]]:
    """In how many links each word of ``pairs`` occurs on its own side (read only for the
    few pairs frequent enough to test: most texts have none)."""
    record, account = {a for a, _ in pairs}, {b for _, b in pairs}
    seen: Counter[tuple[str, str]] = Counter()
    for source, witness in links:
        seen.update(("s", a) for a in record.intersection(source))
        seen.update(("w", b) for b in account.intersection(witness))
    return seen


def _mostly_unmatched(
    a: str, b: str, unmatched: Counter[tuple[str, str]], seen: Counter[tuple[str, str]]
) -> bool:
    """Whether both words mostly go without their own spelling on the other side."""
    return (
        unmatched[("s", a)] >= UNMATCHED_SHARE * seen[("s", a)]
        and unmatched[("w", b)] >= UNMATCHED_SHARE * seen[("w", b)]
    )


def _g2(c: int, n_a: int, n_b: int, n: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 table (0 when the pair is under chance)."""
    cells = (c, n_a - c, n_b - c, n - n_a - n_b + c)
    rows, cols = (n_a, n - n_a), (n_b, n - n_b)
    if c * n <= n_a * n_b:
        return 0.0
    total = 0.0
    for k, cell in enumerate(cells):
        expected = rows[k // 2] * cols[k % 2] / n
        if cell > 0 and expected > 0:
            total += cell * math.log(cell / expected)
    return 2.0 * total


def apply(
    table: Mapping[str, str],
    terms: tuple[Sequence[Terms], Sequence[Terms]],
    words: tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]],
) -> tuple[tuple[list[list[str]], list[list[str]]], tuple[list[list[str]], list[list[str]]]]:
    """Both texts' terms and scored words with the words of each learned class as one.

    The pairs are joined into classes (a pair may share a word with another: "fled" for
    "crossed", "crossed" for "moved"), and every member, on both sides, becomes the
    class's first stem, as a term and as a word (so word pairs and character n-grams
    agree too; where both texts use the account's word they still agree).
    """
    canon = classes(table)
    new_terms = tuple([[canon.get(t, t) for t in sentence] for sentence in side] for side in terms)
    new_words = tuple(
        [[canon.get(stem(w), w) for w in sentence] for sentence in side] for side in words
    )
    return (new_terms[0], new_terms[1]), (new_words[0], new_words[1])


def classes(table: Mapping[str, str]) -> dict[str, str]:
    """Each word of the learned pairs mapped to the first stem of its class (the pairs
    joined wherever they share a word)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for b, a in sorted(table.items()):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: root(x) for x in parent}


def renderings(
    table: Mapping[str, str],
    scored: tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]],
    written: tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]],
) -> tuple[Rendering, ...]:
    """The learned pairs as a reader would say them: for each stem its commonest word as
    written (``written`` is parallel to ``scored``, whose words the stems come from),
    sorted by the record's word."""
    record = _spelled(set(table.values()), scored[0], written[0])
    account = _spelled(set(table), scored[1], written[1])
    pairs = {Rendering(record.get(a, a), account.get(b, b)) for b, a in table.items()}
    return tuple(sorted(pairs, key=lambda r: (r.record, r.account)))


def _spelled(
    stems: set[str], scored: Sequence[Sequence[str]], written: Sequence[Sequence[str]]
) -> dict[str, str]:
    """The commonest written word of each of ``stems`` (ties: the first in the text)."""
    counts: dict[str, Counter[str]] = {}
    for folded, words in zip(scored, written, strict=True):
        shown = words if len(words) == len(folded) else folded
        for word, as_written in zip(folded, shown, strict=True):
            key = stem(word)
            if key in stems:
                counts.setdefault(key, Counter())[as_written] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}
