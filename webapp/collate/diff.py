"""Word-level differences between the two sides of a link.

>>> from webapp.collate.normalize import Normalizer
>>> [(op.op, op.text) for op in word_diff("a great idea", "a brilliant idea", Normalizer())]
[('equal', 'a '), ('delete', 'great'), ('insert', 'brilliant'), ('equal', ' idea')]

Each word (and each run of spaces or punctuation) becomes one symbol, so diff-match-patch
compares words, never characters, and stays fast. Words are compared by their normalised
key, so case, curly quotes and spelling variants do not show as changes; the text shown
is always the original.

Long texts (a 20,000-word sentence, a merged page) are first cut at stretches of words
that occur once on each side and in the same order (:mod:`.anchors`), and
diff-match-patch compares only what lies between them. A long text's tokens are read
from its pieces between single spaces (:class:`_Pieces`), cut once with its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from .anchors import anchored
from .bounded import BoundedDiff
from .model import DiffOp
from .normalize import Normalizer
from .parallel import parallel_map

# Possessive: a word or a space run never gives back characters (no backtracking to try).
_TOKEN = re.compile(r"[^\W_]++(?:['’][^\W_]++)*+|\s++|[^\w\s]")
_OPS = {0: "equal", -1: "delete", 1: "insert"}


#: From this many characters on, a text of words parted by single spaces is cut at them first.
SPLIT_FROM = 2000
#: From this many links on, the diffs are shared among processes (see :mod:`.parallel`).
PARALLEL_DIFFS = 2000
#: From this many tokens on the shorter side, a diff is cut at unique shared runs first.
LONG_TOKENS = 2000
#: Cells of bisection diff-match-patch may explore in one diff before it settles for a
#: coarser one (:mod:`.bounded`): a bound on a pathological pair that is the same on every
#: machine, about 0.4 s of work on the development machine (benchmarks/RESULTS.md, "the
#: word diff's budget"). Ordinary pairs of sentences use a few thousand.
DIFF_STEPS = 400_000
#: Symbols numbered below this are private-use characters from U+E000 (see _symbols).
_FIRST_SYMBOLS = 6400
#: The most distinct tokens of a long text numbered by characters, from U+0000 to before
#: the surrogates (see :class:`_Pieces`; a few hundred fit in one byte a character).
_MOST_NUMBERED = 0xD800
#: Pieces this long or longer are not cut by :class:`_Pieces` (a length is one character).
_LONGEST_PIECE = 0xD800


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
    src, wit = _side(source, normalizer), _side(witness, normalizer)
    of_token = _symbols(dict.fromkeys(chain(src.distinct, wit.distinct)), normalizer)
    a, b = src.symbols(of_token), wit.symbols(of_token)
    engine = BoundedDiff(DIFF_STEPS)
    if min(len(a), len(b)) >= LONG_TOKENS:
        diffs = anchored(a, b, engine)
    else:
        diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    out: list[DiffOp] = []
    pos_a = pos_b = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 1:
            text = wit.text(pos_b, pos_b + n)
            pos_b += n
        else:
            text = src.text(pos_a, pos_a + n)
            pos_a += n
            if op == 0:
                pos_b += n
        if out and out[-1].op == _OPS[op]:
            out[-1] = DiffOp(_OPS[op], out[-1].text + text)
        else:
            out.append(DiffOp(_OPS[op], text))
    return tuple(out)


class _Tokens:
    """A text's display tokens (words, runs of spaces, single marks) as a list."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        #: Each distinct token, in order of first appearance (repeats allowed).
        self.distinct: Sequence[str] = tokens

    def symbols(self, of_token: dict[str, str]) -> str:
        """One symbol a token."""
        return "".join(map(of_token.__getitem__, self.tokens))

    def text(self, start: int, end: int) -> str:
        """The text of tokens ``start`` to ``end``."""
        return "".join(self.tokens[start:end])


class _Pieces:
    """A long text cut at its single spaces: each distinct piece is read once, and the
    tokens are the pieces' tokens with a space after each piece but the last (issue 10:
    no list of 40,000 tokens, no pass of the pattern over every character).

    Only for texts whose tokens cover every character (no ``_``, which no token holds),
    so a run of tokens is a slice of the text, found from the tokens' lengths.
    """

    def __init__(self, text: str, pieces: list[str], parts: dict[str, tuple[str, ...]]) -> None:
        self._text = text
        self._pieces = pieces
        self._parts = parts
        # The distinct pieces' tokens come in the order the tokens first appear.
        firsts = list(chain.from_iterable(parts.values()))
        self.distinct: Sequence[str] = firsts if len(pieces) > 1 else firsts[:-1]
        self._offsets: np.ndarray | None = None
        self._numbers: np.ndarray | None = None  # each token's number (see symbols)
        self._tokens: list[str] = []  # the distinct tokens, by number
        self._count = 0  # tokens (symbols) in the text

    def symbols(self, of_token: dict[str, str]) -> str:
        """One symbol a token: each piece's tokens numbered (a character a distinct
        token) and joined once, then every piece's; the symbols and, when a slice is
        asked for, the tokens' lengths are read from those numbers by numpy (one join
        a text, whether or not tokens of one symbol differ in length: "2", "two")."""
        tokens = list(dict.fromkeys(chain.from_iterable(self._parts.values())))
        if len(tokens) > _MOST_NUMBERED:
            joined = self._symbols_joined(of_token)
            self._count = len(joined)
            return joined
        number = {t: chr(k) for k, t in enumerate(tokens)}
        if len(self._pieces) == 1:  # no space (which may have no symbol)
            numbered = "".join(map(number.__getitem__, self._parts[self._pieces[0]][:-1]))
        else:
            table = {p: "".join(map(number.__getitem__, t)) for p, t in self._parts.items()}
            numbered = "".join(map(table.__getitem__, self._pieces))[:-1]  # none after the last
        self._numbers = _code_points(numbered)
        self._tokens = tokens
        symbol_of = np.fromiter(
            (ord(of_token[t]) if t in of_token else 0 for t in tokens),
            dtype="<u4",
            count=len(tokens),
        )
        found: str = symbol_of[self._numbers].tobytes().decode("utf-32-le")
        self._count = len(found)
        return found

    def _symbols_joined(self, of_token: dict[str, str]) -> str:
        """:meth:`symbols` with each piece's symbols joined (more distinct tokens than
        characters to number them with); the lengths are then each piece's tokens'."""
        if len(self._pieces) == 1:
            return "".join(map(of_token.__getitem__, self._parts[self._pieces[0]][:-1]))
        table = {p: "".join(map(of_token.__getitem__, t)) for p, t in self._parts.items()}
        return "".join(map(table.__getitem__, self._pieces))[:-1]

    def text(self, start: int, end: int) -> str:
        """The text of tokens ``start`` to ``end``: a slice of the text."""
        if self._offsets is None:
            lengths = self._lengths()
            self._offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=self._offsets[1:])
        return self._text[int(self._offsets[start]) : int(self._offsets[end])]

    def _lengths(self) -> np.ndarray:
        """Each token's length: from its number, or from each piece's token lengths
        written as characters (when the tokens were not numbered)."""
        if self._numbers is not None:
            of_number = np.fromiter(map(len, self._tokens), dtype=np.int64, count=len(self._tokens))
            found: np.ndarray = of_number[self._numbers]
            return found
        lengths = {p: "".join(chr(len(t)) for t in ts) for p, ts in self._parts.items()}
        joined = "".join(map(lengths.__getitem__, self._pieces))
        return _code_points(joined)[: self._count]


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (no lone surrogates), as an array."""
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def _side(text: str, normalizer: Normalizer) -> _Tokens | _Pieces:
    """A text ready for the diff: its tokens, or for a long text whose only spaces are
    single spaces between pieces, its pieces (see :class:`_Pieces`).

    The pieces' tokens are those of the pattern over the whole text, which costs a step of
    the regular-expression engine per character: no token spans a space. The cut is
    the normalizer's (:meth:`.Normalizer.pieces`), made once for the words and the diff.
    """
    cut = normalizer.pieces(text) if len(text) >= SPLIT_FROM and "_" not in text else None
    if cut is None:  # short, other whitespace or "  ", or a "_" (which no token holds)
        return _Tokens(_TOKEN.findall(text))
    pieces, distinct = cut
    parts = {
        piece: (piece, " ") if piece.isalnum() else (*_TOKEN.findall(piece), " ")
        for piece in distinct
    }
    if max(map(len, distinct)) >= _LONGEST_PIECE:  # its length is not one character
        return _Tokens(_TOKEN.findall(text))
    return _Pieces(text, pieces, parts)


def _symbols(tokens: Iterable[str], normalizer: Normalizer) -> dict[str, str]:
    """One symbol per distinct comparison key, for each distinct token (in order)."""
    symbols: dict[str, str] = {}  # comparison key -> symbol
    of_token: dict[str, str] = {}
    for token in tokens:
        key = normalizer.key(token)
        symbol = symbols.get(key)
        if symbol is None:
            # Private-use and later planes give room for ~1M distinct words.
            n = len(symbols)
            symbol = symbols[key] = chr(0xE000 + n) if n < _FIRST_SYMBOLS else chr(0x100000 + n)
        of_token[token] = symbol
    return of_token
