"""Word-level differences between the two sides of a link.

>>> from webapp.collate.normalize import Normalizer
>>> [(op.op, op.text) for op in word_diff("a great idea", "a brilliant idea", Normalizer())]
[('equal', 'a '), ('delete', 'great'), ('insert', 'brilliant'), ('equal', ' idea')]

Each word (and each run of spaces or punctuation) becomes one symbol, so diff-match-patch
compares words, never characters, and stays fast. Words are compared by their normalised
key, so case, curly quotes and spelling variants do not show as changes; the text shown
is always the original.

Long texts (a 20,000-word sentence, a merged page) are first cut at stretches of words
that occur once on each side and in the same order (as patience diff does), and
diff-match-patch compares only what lies between them: its cost grows with the length
times the changes, and past its time limit it gives up and shows a whole stretch as
deleted and inserted, a result that would then depend on the machine's load.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

from .model import DiffOp
from .normalize import Normalizer
from .parallel import parallel_map

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|[^\w\s]", re.UNICODE)
_OPS = {0: "equal", -1: "delete", 1: "insert"}


#: From this many links on, the diffs are shared among processes (see :mod:`.parallel`).
PARALLEL_DIFFS = 2000
#: From this many tokens on the shorter side, a diff is cut at unique shared runs first.
LONG_TOKENS = 2000
#: Tokens in a run that must occur once on each side to cut a long diff there.
ANCHOR_TOKENS = 8


def word_diffs(
    pairs: Sequence[tuple[str, str]], normalizer: Normalizer
) -> list[tuple[DiffOp, ...]]:
    """Word diffs of many (source, witness) texts, in order; a long list on several cores.

    A pair of texts that recurs (a formula linked to its copies) is diffed once.
    """
    distinct = list(dict.fromkeys(pairs))
    jobs = [(source, witness, normalizer) for source, witness in distinct]
    found = dict(
        zip(distinct, parallel_map(_diff_job, jobs, min_items=PARALLEL_DIFFS), strict=True)
    )
    return [found[pair] for pair in pairs]


def _diff_job(job: tuple[str, str, Normalizer]) -> tuple[DiffOp, ...]:
    return word_diff(*job)


def word_diff(source: str, witness: str, normalizer: Normalizer) -> tuple[DiffOp, ...]:
    """Return the word diff from ``source`` to ``witness``, cleaned up for reading."""
    src_tokens = _TOKEN.findall(source)
    wit_tokens = _TOKEN.findall(witness)
    symbols: dict[str, str] = {}  # comparison key -> symbol
    of_token: dict[str, str] = {}  # token -> symbol (a token recurs: its key is read once)

    def encode(tokens: list[str]) -> str:
        chars = []
        for token in tokens:
            symbol = of_token.get(token)
            if symbol is None:
                key = normalizer.key(token)
                if key not in symbols:
                    # Private-use and later planes give room for ~1M distinct words.
                    symbols[key] = (
                        chr(0xE000 + len(symbols))
                        if len(symbols) < 6400
                        else chr(0x100000 + len(symbols))
                    )
                symbol = of_token[token] = symbols[key]
            chars.append(symbol)
        return "".join(chars)

    a, b = encode(src_tokens), encode(wit_tokens)
    engine = diff_match_patch()
    engine.Diff_Timeout = 0.5
    if min(len(a), len(b)) >= LONG_TOKENS:
        diffs = _anchored(a, b, engine)
    else:
        diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    out: list[DiffOp] = []
    pos_a = pos_b = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 1:
            text = "".join(wit_tokens[pos_b : pos_b + n])
            pos_b += n
        else:
            text = "".join(src_tokens[pos_a : pos_a + n])
            pos_a += n
            if op == 0:
                pos_b += n
        if out and out[-1].op == _OPS[op]:
            out[-1] = DiffOp(_OPS[op], out[-1].text + text)
        else:
            out.append(DiffOp(_OPS[op], text))
    return tuple(out)


def _anchored(a: str, b: str, engine: diff_match_patch) -> list[tuple[int, str]]:
    """diff-match-patch's diff of two long symbol strings, run between anchors: runs of
    :data:`ANCHOR_TOKENS` symbols found once in each string, on their longest common order."""
    diffs: list[tuple[int, str]] = []
    end_a = end_b = 0
    for at_a, at_b in _anchors(a, b):
        if at_a < end_a or at_b < end_b:
            continue  # overlaps the anchor before it (the same run, one symbol on)
        diffs += engine.diff_main(a[end_a:at_a], b[end_b:at_b], False)
        end_a, end_b = at_a + ANCHOR_TOKENS, at_b + ANCHOR_TOKENS
        diffs.append((0, a[at_a:end_a]))
    diffs += engine.diff_main(a[end_a:], b[end_b:], False)
    engine.diff_cleanupMerge(diffs)
    return diffs


def _anchors(a: str, b: str) -> list[tuple[int, int]]:
    """Start positions (in ``a``, in ``b``) of runs found once on each side, taken every
    :data:`ANCHOR_TOKENS` symbols of ``a``, on their longest chain increasing on both
    sides (patience sorting)."""
    k = ANCHOR_TOKENS
    in_a, in_b = _unique_runs(a, k), _unique_runs(b, k)
    pairs = [(at, in_b[run]) for run, at in in_a.items() if at % k == 0 and run in in_b]
    pairs.sort()
    tails: list[int] = []  # the smallest ``b`` position ending a chain of each length
    ends: list[int] = []
    previous = [-1] * len(pairs)
    for n, (_, at_b) in enumerate(pairs):
        place = bisect_left(tails, at_b)
        previous[n] = ends[place - 1] if place else -1
        if place == len(tails):
            tails.append(at_b)
            ends.append(n)
        else:
            tails[place], ends[place] = at_b, n
    chain: list[tuple[int, int]] = []
    n = ends[-1] if ends else -1
    while n >= 0:
        chain.append(pairs[n])
        n = previous[n]
    return chain[::-1]


def _unique_runs(text: str, k: int) -> dict[str, int]:
    """Each run of ``k`` symbols that occurs exactly once in ``text``, with its position."""
    runs = [text[at : at + k] for at in range(len(text) - k + 1)]
    counts = Counter(runs)
    return {run: at for at, run in enumerate(runs) if counts[run] == 1}
