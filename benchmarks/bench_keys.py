"""Score the machine's alignment of each bundled dossier that has a teaching key; print a table.

Run: ``python -m benchmarks.bench_keys`` (a few seconds); ``--large 5000`` also times the
scores of a synthetic key of that many links (a tenth of the answer's links wrong, its
order shuffled in windows of ten) and the JSON size of such a frozen key.

The key (``corpora/<dossier>/key.json``) was written by reading the texts; the machine's
comparison (with the dossier's settings, as the web app computes it) is read as a
student's answer (:func:`webapp.collate.scoring.answer_of`) and scored with the exercise
scores. The machine gives no labels, so label scores are not shown. Columns: link
precision / recall / F1 (sentence pairs, unscored links out of both sides), omission F1,
the order tau and inverted pairs of the machine's implied order (its linked account
sentences in the record's order) against the key's, the pairs the account's own reading
order swaps against the key's order (what an order task asks a student to undo) beside
the links the machine flags as moved, the quotation verdicts it shares with the key, and
the per-link breakdown (found = every pair of a key link, partial, missed, not scored,
extra = a machine link, or its part, not in the key).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter

from webapp.collate import Document, compare
from webapp.collate.answerkey import FrozenAccount, FrozenDocument, FrozenKey, FrozenLink
from webapp.collate.scoring import Answer, AnswerLink, Scores, answer_of, score
from webapp.ingest.corpus import Dossier, bundled_dossiers
from webapp.ingest.keyfile import check_key, read_key

HEADER = (
    f"{'dossier / account':40} {'P':>5} {'R':>5} {'F1':>5} {'omF1':>5} {'tau':>6} {'inv':>4} "
    f"{'swaps':>5} {'moved':>5} {'quotes':>6}  key links"
)


def _cell(value: float | None, width: int = 5) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:>{width}.3f}"


def row(name: str, scores: Scores, swaps: int, moved: int) -> str:
    """One line of the table: ``swaps`` are the pairs the account itself tells the other
    way round from the key's order, ``moved`` the machine's moved links."""
    s = scores.links
    # The machine gives no labels: a key link it found is "found", whatever the label.
    found = Counter(
        "found" if r.status in ("right", "wrong label") else r.status for r in scores.breakdown
    )
    parts = [f"{n} {status}" for status, n in sorted(found.items())]
    q = scores.quotes
    quotes = "-" if q.accuracy is None else f"{q.agreed}/{q.compared}"
    return (
        f"{name:40} {_cell(s.precision)} {_cell(s.recall)} {_cell(s.f1)} "
        f"{_cell(scores.omissions.f1)} {_cell(scores.order.tau, 6)} {scores.order.inverted:>4} "
        f"{swaps:>5} {moved:>5} {quotes:>6}  {', '.join(parts)}"
    )


def dossier_rows(dossier: Dossier) -> list[str]:
    """A row per account of a dossier with a key (none without one)."""
    key = read_key(dossier.folder)
    if key is None:
        return []
    documents = {meta.file: dossier.document(meta) for meta in dossier.documents}
    check_key(key, documents)
    record = documents[dossier.record]
    accounts = [meta.file for meta in dossier.accounts]
    comparison = compare(record, [documents[f] for f in accounts], dossier.settings())
    rows = []
    for file, result in zip(accounts, comparison.witnesses, strict=True):
        account_key = key.account(file)
        if account_key is not None:
            key_of = account_key.key(documents[file])
            scores = score(key_of, answer_of(result))
            reading = score(key_of, Answer(order=tuple(range(len(result.sentences)))))
            moved = sum(link.moved for link in result.links)
            name = f"{dossier.id} / {file.rsplit('.', 1)[0]}"
            rows.append(row(name, scores, reading.order.inverted, moved))
    return rows


def large(n: int, seed: int = 3) -> str:
    """Time the scores of a synthetic key of ``n`` links; one line of figures."""
    rng = random.Random(seed)
    text = " ".join(f"Sentence number {k} of the text." for k in range(n))
    document = Document.from_lines("synthetic", text.replace(". ", ".\n"))
    links = [FrozenLink((k,), (k,), rng.choice(("verbatim", "paraphrase"))) for k in range(n)]
    account = FrozenAccount.build("a", document, None, None, links)
    frozen = FrozenKey(FrozenDocument.of("r", document, None, None), (account,))
    answer_links = [
        AnswerLink((k,), (k if rng.random() > 0.1 else (k + 1) % n,), link.label)
        for k, link in enumerate(links)
    ]
    order = list(range(n))
    for start in range(0, n, 10):
        window = order[start : start + 10]
        rng.shuffle(window)
        order[start : start + 10] = window
    answer = Answer(links=tuple(answer_links), order=tuple(order))
    began = time.perf_counter()
    result = score(account.key(), answer)
    scored = time.perf_counter() - began
    size = len(json.dumps(frozen.to_dict()))
    return (
        f"large key: {n} links, scored in {scored:.3f} s (link F1 {result.links.f1:.3f}, "
        f"tau {result.order.tau:.3f}, {result.order.inverted} inverted pairs); "
        f"frozen key {size / 1e6:.2f} MB of JSON"
    )


def main(argv: list[str] | None = None) -> None:
    """Print the table (the wording of the breakdown is the results page's)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=0, help="also time a key of N links")
    args = parser.parse_args(argv)
    print(HEADER)
    for dossier in bundled_dossiers():
        for line in dossier_rows(dossier):
            print(line)
    if args.large:
        print(large(args.large))


if __name__ == "__main__":
    main()
