"""Word-level differences between the two sides of a link.

>>> from webapp.collate.normalize import Normalizer
>>> [(op.op, op.text) for op in word_diff("a great idea", "a brilliant idea", Normalizer())]
[('equal', 'a '), ('delete', 'great'), ('insert', 'brilliant'), ('equal', ' idea')]

Each word (and each run of spaces or punctuation) becomes one symbol, so diff-match-patch
compares words, never characters, and stays fast. Words are compared by their normalised
key, so case, curly quotes and spelling variants do not show as changes; the text shown
is always the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

from .model import DiffOp
from .normalize import Normalizer
from .parallel import parallel_map

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|[^\w\s]", re.UNICODE)
_OPS = {0: "equal", -1: "delete", 1: "insert"}


#: From this many links on, the diffs are shared among processes (see :mod:`.parallel`).
PARALLEL_DIFFS = 2000


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
    symbols: dict[str, str] = {}

    def encode(tokens: list[str]) -> str:
        chars = []
        for token in tokens:
            key = normalizer.key(token)
            if key not in symbols:
                # Private-use and later planes give room for ~1M distinct words.
                symbols[key] = (
                    chr(0xE000 + len(symbols))
                    if len(symbols) < 6400
                    else chr(0x100000 + len(symbols))
                )
            chars.append(symbols[key])
        return "".join(chars)

    a, b = encode(src_tokens), encode(wit_tokens)
    engine = diff_match_patch()
    engine.Diff_Timeout = 0.5
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
