"""Why the chunked paraphrase rows miss: every error of every piece, classed and counted.

    python -m benchmarks.real_paraphrase_misses [--only NAME[,NAME]] [--seed N]
                                                [--markdown] [--counts]

For the rows of :data:`benchmarks.real_chunks.CHUNKED` (default: the two Basic English
ones) each piece is edited and aligned as the benchmark does, and every missed true link,
false link and missed move is listed with both verses, the pair's score (first scoring,
before any learned lexicon), each side's best rival, the content stems they share and a
class:

* ``added~omitted``: a false link between an added verse and an omitted one (both
  figures lose a verse: the one-word overlap of two unrelated verses);
* ``added~linked`` / ``omitted~linked``: a false link from an added (omitted) verse to
  one that has its true partner elsewhere; ``wrong partner``: both sides have one;
* ``merge``: a missed half of a merged verse; ``no candidate``, ``no shared stem``;
  ``rival`` (a rival of either side scores more); ``refused`` (scored, best on both
  sides, not linked: under the cut of its gap or the matching);
* ``move not called`` (linked right, kept in order), ``move unlinked`` (the moved verse's
  link was missed), ``false move``.

Missed omissions and additions are the other side of these: a verse falsely linked is
not reported omitted (added), and a true link missed reports two. No decision is made.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from webapp.collate.normalize import Normalizer, fold_verb_endings

from .real_chunks import CHUNKED, chunks, texts_of
from .real_edits import EditedPair, edit_pair
from .real_errors import _best_other, _run, _table

__all__ = ["Miss", "classify", "counts", "misses", "render"]

#: The rows listed by default: the heavy paraphrases.
PARAPHRASED = [name for name, row in CHUNKED.items() if row.paraphrase]

Table = dict[tuple[int, int], tuple[float, float, float]]
#: Errors: (what, (record, account)) -> class.
Classes = dict[tuple[str, tuple[int, int]], str]


@dataclass(frozen=True)
class Miss:
    """One error of one piece: the row, the piece, its class and what explains it."""

    row: str
    piece: int
    what: str
    pair: tuple[int, int]
    score: float
    rivals: str
    shared: str
    cls: str
    record: str
    account: str


def _stems(text: str, normalizer: Normalizer) -> set[str]:
    """The content stems of one verse, as the scorer reads them (verb endings folded)."""
    return set(normalizer.terms(fold_verb_endings([normalizer.words(text)])[0]))


def classify(pair: EditedPair, links: frozenset[tuple[int, int]], table: Table) -> Classes:
    """Each error of ``links`` against ``pair``'s truth, with its class (see the module)."""
    merged = {j for j in range(len(pair.account)) if sum(1 for _, b in pair.links if b == j) > 1}
    out: Classes = {}
    for i, j in sorted(pair.links - links):
        out[("missed link", (i, j))] = _missed(pair, table, i, j, merged)
    true_s = {i for i, _ in pair.links}
    true_w = {j for _, j in pair.links}
    for i, j in sorted(links - pair.links):
        side_s = "omitted" if i not in true_s else ""
        side_w = "added" if j not in true_w else ""
        if side_s and side_w:
            cls = "added~omitted"
        elif side_s or side_w:
            cls = f"{side_w or side_s}~linked"
        else:
            cls = "wrong partner"
        out[("false link", (i, j))] = cls
    return out


def _missed(pair: EditedPair, table: Table, i: int, j: int, merged: set[int]) -> str:
    """Why the true pair (i, j) was not linked, from its figures alone."""
    if j in merged:
        return "merge"
    if (i, j) not in table:
        return "no candidate"
    score = table[(i, j)][0]
    (_, row), (_, col) = _best_other(table, i, j)
    return "rival" if max(row, col) > score else "refused"


def _moves(pair: EditedPair, links: frozenset[tuple[int, int]], moved: frozenset[int]) -> Classes:
    """Missed and false moves: (what, pair) -> class."""
    out: Classes = {}
    for j in sorted(pair.moved - moved):
        i = min(i for i, b in pair.links if b == j)
        cls = "move not called" if (i, j) in links else "move unlinked"
        out[("missed move", (i, j))] = cls
    for j in sorted(moved - pair.moved):
        i = min((i for i, b in links if b == j), default=-1)
        out[("false move", (i, j))] = "false move"
    return out


def misses(name: str, seed: int = 0) -> list[Miss]:
    """Every error of every piece of the chunked row ``name``."""
    row = CHUNKED[name]
    record, account, extra = texts_of(row)
    normalizer = Normalizer()
    out: list[Miss] = []
    for k, (rec, acc) in enumerate(chunks(record, account, row.chapters)):
        pair = edit_pair(rec, acc, extra, seed=seed + k)
        pred, pairs = _run(pair)
        table = _table(pairs)
        found = {**classify(pair, pred.links, table), **_moves(pair, pred.links, pred.moved)}
        for (what, (i, j)), cls in found.items():
            out.append(_miss(name, k, what, (i, j), cls, pair, table, normalizer))
    return out


def _miss(
    name: str,
    piece: int,
    what: str,
    ij: tuple[int, int],
    cls: str,
    pair: EditedPair,
    table: Table,
    normalizer: Normalizer,
) -> Miss:
    """One error with its score, rivals, shared stems and both verses."""
    i, j = ij
    r = pair.record[i] if i >= 0 else ""
    a = pair.account[j]
    shared = _stems(r, normalizer) & _stems(a, normalizer) if r else set()
    (rj, rs), (ri, ris) = _best_other(table, i, j)
    return Miss(
        name,
        piece,
        what,
        ij,
        table.get(ij, (0.0, 0.0, 0.0))[0],
        f"{rj}:{rs:.2f} / {ri}:{ris:.2f}",
        " ".join(sorted(shared)) or "-",
        cls,
        r,
        a,
    )


def counts(found: Sequence[Miss]) -> Counter[tuple[str, str, str]]:
    """How many errors of each (row, what, class)."""
    return Counter((m.row, m.what, m.cls) for m in found)


def render(found: Sequence[Miss], markdown: bool) -> str:
    """The errors as a markdown table or as plain indented lines."""
    if markdown:
        head = "| row | piece | miss | pair | score | row / col rival | shared stems | class |"
        lines = [head, "|" + "---|" * 8]
        for m in found:
            cells = (m.row, str(m.piece), m.what, str(m.pair), f"{m.score:.3f}", m.rivals)
            lines.append("| " + " | ".join((*cells, m.shared, m.cls)) + " |")
        return "\n".join(lines)
    out = []
    for m in found:
        out.append(
            f"{m.row[:20]:20} p{m.piece} {m.what:12} {str(m.pair):10} score {m.score:.3f} "
            f"rivals {m.rivals} [{m.cls}]"
        )
        out.append(f"    shared: {m.shared}\n    R: {m.record[:110]}\n    A: {m.account[:110]}")
    return "\n".join(out)


def render_counts(found: Sequence[Miss], markdown: bool) -> str:
    """The errors counted by row, kind and class."""
    rows = sorted(counts(found).items())
    if markdown:
        lines = ["| row | miss | class | count |", "|---|---|---|---|"]
        lines += [f"| {r} | {w} | {c} | {n} |" for (r, w, c), n in rows]
        return "\n".join(lines)
    return "\n".join(f"{r[:40]:40} {w:12} {c:16} {n}" for (r, w, c), n in rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the errors of the asked chunked rows, then their counts by class."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default=",".join(PARAPHRASED))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--counts", action="store_true", help="only the counts by class")
    args = parser.parse_args(argv)
    found = [m for name in args.only.split(",") for m in misses(name.strip(), args.seed)]
    if not args.counts:
        print(render(found, args.markdown))
        print()
    print(render_counts(found, args.markdown))


if __name__ == "__main__":
    main()
