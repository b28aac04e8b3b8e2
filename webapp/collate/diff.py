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
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np
from diff_match_patch import diff_match_patch

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
#: Tokens in a run that must occur once on each side to cut a long diff there.
ANCHOR_TOKENS = 8
#: Symbols numbered below this are private-use characters from U+E000 (see _symbols).
_FIRST_SYMBOLS = 6400
#: Bits of a run's hash that pick its bucket: enough for twice as many buckets as runs.
BUCKET_BITS = 1
#: Pieces this long or longer are not cut by :class:`_Pieces` (a length is one character).
_LONGEST_PIECE = 0xD800
#: The base of the polynomial hash of runs of symbols (odd, 64 bits).
_HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


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
        self._symbols = ""
        self._of_token: dict[str, str] = {}

    def symbols(self, of_token: dict[str, str]) -> str:
        """One symbol a token: each piece's symbols joined once, then every piece's."""
        if len(self._pieces) == 1:  # no space (which may have no symbol)
            found = "".join(map(of_token.__getitem__, self._parts[self._pieces[0]][:-1]))
        else:
            table = {p: "".join(map(of_token.__getitem__, t)) for p, t in self._parts.items()}
            found = "".join(map(table.__getitem__, self._pieces))[:-1]  # none after the last
        self._symbols, self._of_token = found, of_token
        return found

    def text(self, start: int, end: int) -> str:
        """The text of tokens ``start`` to ``end``: a slice of the text."""
        if self._offsets is None:
            lengths = self._lengths_by_symbol()
            if lengths is None:
                lengths = self._lengths_by_piece()
            self._offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=self._offsets[1:])
        return self._text[int(self._offsets[start]) : int(self._offsets[end])]

    def _lengths_by_symbol(self) -> np.ndarray | None:
        """Each token's length read from its symbol, when the tokens that share a symbol
        ("The", "the") have one length and the symbols are the first 6,400 (else None)."""
        lengths: dict[int, int] = {}
        for token in self.distinct:  # every token of the text
            code = ord(self._of_token[token]) - 0xE000
            if not 0 <= code < _FIRST_SYMBOLS or lengths.setdefault(code, len(token)) != len(token):
                return None
        table = np.zeros(_FIRST_SYMBOLS, dtype=np.int64)
        table[list(lengths)] = list(lengths.values())
        codes = np.frombuffer(self._symbols.encode("utf-32-le"), dtype=np.uint32)
        found: np.ndarray = table[codes.astype(np.int64) - 0xE000]
        return found

    def _lengths_by_piece(self) -> np.ndarray:
        """Each token's length from each piece's token lengths written as characters."""
        lengths = {p: "".join(chr(len(t)) for t in ts) for p, ts in self._parts.items()}
        joined = "".join(map(lengths.__getitem__, self._pieces))
        return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)[: len(self._symbols)]


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


def _anchored(a: str, b: str, engine: diff_match_patch) -> list[tuple[int, str]]:
    """diff-match-patch's diff of two long symbol strings, run between anchors: runs of
    :data:`ANCHOR_TOKENS` symbols found once in each string, on their longest common order.

    Anchors next to each other make one equality, and each equality is merged with its
    neighbours as it comes, so the final clean-up has nothing to splice (its splices in a
    list of thousands of pieces cost the square of their number).
    """
    diffs: list[tuple[int, str]] = []
    same_from = 0
    gaps, (end_a, end_b) = _gaps(*_anchors(a, b))
    for from_a, to_a, from_b, to_b in gaps:
        _add(diffs, [(0, a[same_from:from_a])])
        _add(diffs, _gap(a[from_a:to_a], b[from_b:to_b], engine))
        same_from = to_a
    _add(diffs, [(0, a[same_from:end_a])])
    _add(diffs, engine.diff_main(a[end_a:], b[end_b:], False))
    if not _merged(diffs):
        engine.diff_cleanupMerge(diffs)
    return diffs


def _merged(diffs: list[tuple[int, str]]) -> bool:
    """Whether ``diff_cleanupMerge`` would leave ``diffs`` as they are (then it need not
    run over thousands of pieces): no empty piece and no two equalities side by side;
    between equalities, one edit, or one deletion then one insertion that neither start
    nor end alike; and no lone edit between equalities that ends with the one before it
    or starts with the one after it (it would slide over it)."""
    k, n = 0, len(diffs)
    while k < n:
        op, text = diffs[k]
        if not text or (op == 0 and k and diffs[k - 1][0] == 0):
            return False
        if op == 0:
            k += 1
            continue
        end = k + 1
        while end < n and diffs[end][0] != 0:
            end += 1
        if end - k == 2:
            (first, deleted), (second, inserted) = diffs[k], diffs[k + 1]
            if (first, second) != (-1, 1) or not inserted or deleted[0] == inserted[0]:
                return False
            if deleted[-1] == inserted[-1]:
                return False
        elif end - k > 2:
            return False
        elif (
            0 < k and end < n and (text.endswith(diffs[k - 1][1]) or text.startswith(diffs[end][1]))
        ):
            return False
        k = end
    return True


def _gaps(
    at_a: np.ndarray, at_b: np.ndarray
) -> tuple[list[tuple[int, int, int, int]], tuple[int, int]]:
    """The stretches between anchors (start and end in ``a``, then in ``b``) where they
    differ, and where the last anchor ends. An anchor overlapping the one taken before it
    (the same run, one symbol on) is skipped; when none overlaps (the usual case), the
    gaps are found by numpy: anchors next to each other leave none."""
    k = ANCHOR_TOKENS
    if len(at_a) and np.all(at_b[1:] >= at_b[:-1] + k):  # at_a is k apart or more
        ends_a, ends_b = np.r_[0, at_a[:-1] + k], np.r_[0, at_b[:-1] + k]
        where = np.flatnonzero((at_a > ends_a) | (at_b > ends_b))
        parts = (ends_a[where], at_a[where], ends_b[where], at_b[where])
        found = list(zip(*(part.tolist() for part in parts), strict=True))
        return found, (int(at_a[-1]) + k, int(at_b[-1]) + k)
    gaps: list[tuple[int, int, int, int]] = []
    end_a = end_b = 0
    for start_a, start_b in zip(at_a.tolist(), at_b.tolist(), strict=True):
        if start_a < end_a or start_b < end_b:
            continue  # overlaps the anchor before it
        if start_a > end_a or start_b > end_b:
            gaps.append((end_a, start_a, end_b, start_b))
        end_a, end_b = start_a + k, start_b + k
    return gaps, (end_a, end_b)


def _add(diffs: list[tuple[int, str]], more: list[tuple[int, str]]) -> None:
    """Append diff pieces, an equality joined to an equality before it (empty ones dropped)."""
    for op, text in more:
        if not text:
            continue
        if op == 0 and diffs and diffs[-1][0] == 0:
            diffs[-1] = (0, diffs[-1][1] + text)
        else:
            diffs.append((op, text))


def _gap(a: str, b: str, engine: diff_match_patch) -> list[tuple[int, str]]:
    """The diff of the symbols between two anchors (a side left empty needs no search).

    One symbol changed between a shared start and end (most gaps: a changed word) is
    what ``diff_main`` finds, without its search and clean-up: it trims the common
    prefix and suffix, deletes and inserts a single different symbol, and its merge has
    nothing to move (no equalities touch, the two edits have nothing in common).
    """
    if not a or not b:
        return [(1, b)] if b else ([(-1, a)] if a else [])
    if len(a) == len(b) and a != b:
        head = engine.diff_commonPrefix(a, b)
        tail = engine.diff_commonSuffix(a[head:], b[head:])
        if head + tail + 1 == len(a):
            middle = [(-1, a[head]), (1, b[head])]
            return [(0, a[:head])] * bool(head) + middle + [(0, a[head + 1 :])] * bool(tail)
    found: list[tuple[int, str]] = engine.diff_main(a, b, False)
    return found


def _anchors(a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    """Start positions (in ``a``, in ``b``) of runs found once on each side, taken every
    :data:`ANCHOR_TOKENS` symbols of ``a``, on their longest chain increasing on both
    sides (patience sorting)."""
    starts_a, starts_b = _unique_pairs(_codes(a), _codes(b), ANCHOR_TOKENS)
    if np.all(starts_b[1:] > starts_b[:-1]):
        return starts_a, starts_b  # already in order on both sides: the chain is all of them
    pairs = list(zip(starts_a.tolist(), starts_b.tolist(), strict=True))
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
    chain: list[int] = []
    n = ends[-1] if ends else -1
    while n >= 0:
        chain.append(n)
        n = previous[n]
    taken = np.array(chain[::-1], dtype=np.int64)
    return starts_a[taken], starts_b[taken]


def _unique_pairs(
    codes_a: np.ndarray, codes_b: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The starts (in ``a``, and in ``b``) of each run of ``k`` symbols that starts at a
    multiple of ``k`` in ``a`` and occurs once in each, in order of ``a``.

    The runs are hashed by numpy and counted in a table of buckets (the hash's top bits;
    no sort of every run); only the runs whose bucket holds more than one run of a side
    are counted by sorting those buckets' runs. Runs whose hashes collide count as
    repeated, and each pair found is checked symbol by symbol.
    """
    hashes_a, hashes_b = _run_hashes(codes_a, k), _run_hashes(codes_b, k)
    if not len(hashes_a) or not len(hashes_b):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.arange(0, len(hashes_a), k)
    wanted = hashes_a[starts]
    bits = max(1, max(len(hashes_a), len(hashes_b)).bit_length() + BUCKET_BITS)
    bucket_a = (hashes_a >> np.uint64(64 - bits)).astype(np.int64)
    bucket_b = (hashes_b >> np.uint64(64 - bits)).astype(np.int64)
    count_a = np.bincount(bucket_a, minlength=1 << bits)
    count_b = np.bincount(bucket_b, minlength=1 << bits)
    where_b = np.zeros(1 << bits, dtype=np.int64)  # a bucket's run of b, if it has one
    where_b[bucket_b] = np.arange(len(hashes_b))
    mine = bucket_a[starts]
    at_b = where_b[mine]
    once = (count_a[mine] == 1) & (count_b[mine] == 1) & (hashes_b[at_b] == wanted)
    crowded = np.flatnonzero((count_a[mine] > 1) | (count_b[mine] > 1))
    if len(crowded):
        found, places = _counted_runs(wanted[crowded], mine[crowded], hashes_a, hashes_b, bits)
        once[crowded[found]] = True
        at_b[crowded[found]] = places
    starts_a, starts_b = starts[once], at_b[once]
    same = np.ones(len(starts_a), dtype=bool)  # the runs themselves, not only their hashes
    for j in range(k):
        same &= codes_a[starts_a + j] == codes_b[starts_b + j]
    return starts_a[same], starts_b[same]


def _counted_runs(
    keys: np.ndarray, buckets: np.ndarray, hashes_a: np.ndarray, hashes_b: np.ndarray, bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """Which ``keys`` occur once among ``hashes_a`` and once among ``hashes_b``, and that
    occurrence's place in ``b``: counted by sorting the runs of the keys' buckets only
    (equal hashes share a bucket, so no occurrence is missed)."""
    marked = np.zeros(1 << bits, dtype=bool)
    marked[buckets] = True
    shift = np.uint64(64 - bits)
    sorted_a = np.sort(hashes_a[marked[(hashes_a >> shift).astype(np.int64)]])
    once_a = np.searchsorted(sorted_a, keys, "right") - np.searchsorted(sorted_a, keys) == 1
    in_b = np.flatnonzero(marked[(hashes_b >> shift).astype(np.int64)])
    order = in_b[np.argsort(hashes_b[in_b], kind="stable")]
    sorted_b = hashes_b[order]
    low = np.searchsorted(sorted_b, keys)
    found = once_a & (np.searchsorted(sorted_b, keys, "right") - low == 1)
    return np.flatnonzero(found), order[low[found]]


def _run_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """A polynomial hash (wrapping at 2**64) of the run of ``k`` codes at each position."""
    size = max(len(codes) - k + 1, 0)
    hashes = codes[:size].astype(np.uint64)  # a copy: the first code of each run
    for j in range(1, k):  # in place: no new array a step
        hashes *= _HASH_BASE
        hashes += codes[j : j + size]
    return hashes


def _codes(text: str) -> np.ndarray:
    """The code points of ``text`` as 64-bit integers."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


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
