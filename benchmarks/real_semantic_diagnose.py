"""Why true links of a paraphrase row stay unlinked with the semantic scorer on.

For each true link (record verse i, account line j) that the engine does not make, one
reason, checked in this order:

* ``merge half``: j is linked, to another of its true record verses (a merged line whose
  other half is missing);
* ``taken``: i or j is linked elsewhere (a wrong link took one side);
* ``unbracketed``: the nearest links before and after j (in account order) are not in
  order around i, so the pair is not inside a gap between in-order links;
* ``big gap``: the gap around it has more cells than the dense gap alignment scores;
* ``cos < floor``: its embedding cosine is below the rule's floor;
* ``not mutual``: another record verse of the gap has a higher cosine with j, or another
  account line with i;
* ``margin``: mutual best, but by less than the rule's margin;
* ``rule ok``: the rule should have taken it (something later removed it).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from webapp.collate import Document, Settings, compare, semantic
from webapp.collate.align import AlignSettings

from .metrics import predicted
from .real_edits import EditedPair


def _documents(pair: EditedPair) -> tuple[Document, Document]:
    rec = Document.from_lines("record", "\n".join(pair.record) + "\n")
    acc = Document.from_lines("account", "\n".join(pair.account) + "\n")
    return rec, acc


def _bracket(links: list[tuple[int, int]], i: int, j: int) -> tuple[int, int, int, int] | None:
    """The gap (record and account half-open ranges) of in-order links around (i, j)."""
    before = [(a, b) for a, b in links if b < j and a < i]
    after = [(a, b) for a, b in links if b > j and a > i]
    lo = max(before, key=lambda p: p[1], default=(-1, -1))
    hi = min(after, key=lambda p: p[1], default=(10**9, 10**9))
    if any(lo[1] < b < hi[1] and not (lo[0] < a < hi[0]) for a, b in links):
        return None
    return lo[0] + 1, hi[0], lo[1] + 1, hi[1]


def diagnose(pair: EditedPair, settings: AlignSettings | None = None) -> str:
    """Counts of the reasons, and a few examples of each (with their cosines)."""
    align = settings or AlignSettings()
    rec, acc = _documents(pair)
    found = predicted(compare(rec, [acc], Settings(semantic=True)).witnesses[0])
    cos = semantic.meaning(rec, acc)
    full = cos.witness @ cos.source.T  # account x record
    links = sorted(found.links)
    used_r, used_a = {i for i, _ in links}, {j for _, j in links}
    reasons: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for i, j in sorted(pair.links - found.links):
        reason = _reason(i, j, links, used_r, used_a, pair, full, align)
        reasons[reason] += 1
        examples.setdefault(reason, []).append(f"R{i}-A{j} cos {full[j, i]:.2f}")
    out = [f"  missed {sum(reasons.values())} of {len(pair.links)} true links:"]
    out += [f"    {r:12} {n:4}  e.g. {', '.join(examples[r][:4])}" for r, n in reasons.items()]
    wrong = sorted(found.links - pair.links)
    out.append(f"  wrong links {len(wrong)}: " + ", ".join(f"R{i}-A{j}" for i, j in wrong[:8]))
    return "\n".join(out)


def _reason(
    i: int,
    j: int,
    links: list[tuple[int, int]],
    used_r: set[int],
    used_a: set[int],
    pair: EditedPair,
    full: np.ndarray,
    align: AlignSettings,
) -> str:
    if j in used_a and any((a, j) in pair.links for a, b in links if b == j):
        return "merge half"
    if i in used_r or j in used_a:
        return "taken"
    gap = _bracket(links, i, j)
    if gap is None:
        return "unbracketed"
    r0, r1, a0, a1 = gap
    rows = [a for a in range(r0, min(r1, full.shape[1])) if a not in used_r]
    cols = [b for b in range(a0, min(a1, full.shape[0])) if b not in used_a]
    if len(rows) * len(cols) > align.dense_gap_cells:
        return "big gap"
    c = full[j, i]
    if c < align.meaning_floor:
        return "cos < floor"
    row = [full[j, a] for a in rows if a != i]
    col = [full[b, i] for b in cols if b != j]
    rival = max(row + col, default=-1.0)
    if rival > c:
        return "not mutual"
    if c < max(rival, align.meaning_floor) + align.meaning_margin:
        return "margin"
    return "rule ok"
