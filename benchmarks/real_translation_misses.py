"""Why the translation rows miss: every missed link and move, with both verses and why.

    python -m benchmarks.real_translation_misses [--only NAME[,NAME]] [--seed N] [--markdown]

For the three edited translation rows (KJV->WEB Genesis and Proverbs, ASV->WEB Acts) list
each true link the engine missed, each moved verse it did not call moved and each false
link, with the
pair's score, each side's best rival, the content stems the two verses share and a reason:
``no candidate`` (never scored), ``no shared stem`` (nothing lexical in common: what a
learned word correspondence could reach), ``rival`` (a rival scores more) or ``refused``
(scored, best on both sides, under the thresholds). No decision is made here (issue 10).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from webapp.collate.normalize import Normalizer, fold_verb_endings

from .real_edits import EditedPair
from .real_errors import _best_other, _run, _table
from .real_evidence import translation_pair
from .real_rows import TRANSLATIONS

Table = dict[tuple[int, int], tuple[float, float, float]]


def _stems(text: str, normalizer: Normalizer) -> set[str]:
    """The content stems of one verse, as the scorer reads them (verb endings folded)."""
    return set(normalizer.terms(fold_verb_endings([normalizer.words(text)])[0]))


def _reason(table: Table, i: int, j: int, shared: set[str]) -> str:
    """Why the pair (i, j) was not linked, from its figures alone."""
    if (i, j) not in table:
        return "no candidate" if shared else "no shared stem"
    score = table[(i, j)][0]
    (_, row), (_, col) = _best_other(table, i, j)
    if not shared:
        return "no shared stem"
    return "rival" if max(row, col) > score else "refused"


def rows(name: str, seed: int) -> list[tuple[str, ...]]:
    """One row per miss: (row, what, pair, score, rivals, shared, reason, record, account)."""
    return pair_rows(name, translation_pair(name, seed))


def pair_rows(name: str, pair: EditedPair) -> list[tuple[str, ...]]:
    """The misses of the engine on one edited pair (``name`` labels them), as :func:`rows`."""
    pred, pairs = _run(pair)
    table = _table(pairs)
    normalizer = Normalizer()
    merged = {j for j in range(len(pair.account)) if sum(1 for _, b in pair.links if b == j) > 1}
    moves_missed = pair.moved - pred.moved
    out: list[tuple[str, ...]] = []
    wanted = sorted(pair.links - pred.links) + sorted(
        (i, j) for i, j in pair.links & pred.links if j in moves_missed
    )
    false = sorted(pred.links - pair.links)
    for i, j in wanted + false:
        shared = _stems(pair.record[i], normalizer) & _stems(pair.account[j], normalizer)
        s = table.get((i, j), (0.0, 0.0, 0.0))[0]
        (rj, rs), (ri, ris) = _best_other(table, i, j)
        if (i, j) in false:
            what, reason = "false link", "not in the truth"
        elif (i, j) in pred.links:
            what, reason = "move not called", "linked, kept in order"
        else:
            what = "missed " + _kind(j, merged, pair.moved)
            reason = _reason(table, i, j, shared)
        out.append(
            (
                name,
                what,
                f"({i}, {j})",
                f"{s:.3f}",
                f"{rj}:{rs:.2f} / {ri}:{ris:.2f}",
                " ".join(sorted(shared)) or "-",
                reason,
                pair.record[i][:90],
                pair.account[j][:90],
            )
        )
    return out


def _kind(j: int, merged: set[int], moved: frozenset[int]) -> str:
    """The edit the truth made of account verse ``j``."""
    return "merge" if j in merged else ("moved" if j in moved else "kept")


def render(table: list[tuple[str, ...]], markdown: bool) -> str:
    """The misses as a markdown table or as plain indented lines."""
    if markdown:
        head = "| row | miss | pair | score | row / col rival | shared stems | why | R | A |"
        lines = [head, "|" + "---|" * 9]
        lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in table]
        return "\n".join(lines)
    out = []
    for r in table:
        out.append(f"{r[0]:17} {r[1]:16} {r[2]:11} score {r[3]} rivals {r[4]} [{r[6]}]")
        out.append(f"    shared: {r[5]}\n    R: {r[7]}\n    A: {r[8]}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the misses of the asked translation rows."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default=",".join(TRANSLATIONS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    table = [r for name in args.only.split(",") for r in rows(name.strip(), args.seed)]
    print(render(table, args.markdown))


if __name__ == "__main__":
    main()
