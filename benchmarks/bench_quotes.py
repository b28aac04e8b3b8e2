"""Time the quotation check alone on the inputs that used to blow it up; print a table.

Run: ``python -m benchmarks.bench_quotes`` (a few seconds; texts are read one sentence a
line, so that segmenting is not what is timed).

* ``unclosed quotes``: :func:`benchmarks.shapes.make_shape` ``quotes`` (3,000 lines, an
  unclosed straight quote every 7th account line, no blank lines);
* ``quoting near-duplicates``: 3,000 and 5,000 lines of near-duplicate material (a pool
  of 50 sentences cycled, one or two words changed per copy), a quotation in every third
  account line (3 to 8 words, a word changed in a third of them, one mark dropped in 30%);
* ``long quotations``: quotations of 10, 40 and 100 words of random words into a record of
  20,000 words of a 300-word vocabulary (many places share the quoted words).

Columns: quotations found by the pairing, quoted words looked up, the work units the
look-ups counted (words compared, index postings read, alignment cells; see
``webapp.collate.quotes``), units per quoted word (bounded by ``WORK_PER_WORD``), seconds.
"""

from __future__ import annotations

import random
import time
from collections import Counter

from webapp.collate import Document
from webapp.collate.normalize import Normalizer
from webapp.collate.quotes import WORK_PER_WORD, Cost, TokenStream, check_quotes

from .shapes import _change_words, _pool, make_shape


def _quoting_near_duplicates(n: int, seed: int = 11) -> tuple[str, str]:
    rng = random.Random(seed)
    pool = _pool()
    vocabulary = sorted({w for s in pool for w in s.split()[1:-1]})
    record = [
        _change_words(pool[k % len(pool)], rng, vocabulary, rng.randint(1, 2)) for k in range(n)
    ]
    account = []
    for k in range(n):
        words = _change_words(pool[k % len(pool)], rng, vocabulary, 1).split()
        if k % 3 == 0 and len(words) > 6:
            a = rng.randrange(0, len(words) - 4)
            b = min(len(words), a + rng.randint(3, 8))
            if rng.random() < 0.33:
                words[rng.randrange(a, b)] = rng.choice(vocabulary)
            drop = rng.random()
            if drop >= 0.15:  # keep the opening mark
                words[a] = '"' + words[a]
            if drop < 0.15 or drop >= 0.3:  # keep the closing mark
                words[b - 1] = words[b - 1] + '"'
        account.append(" ".join(words))
    return "\n".join(record), "\n".join(account)


def _long_quotations(seed: int = 5) -> tuple[str, str]:
    rng = random.Random(seed)
    vocabulary = [f"v{k}" for k in range(300)]
    record = " ".join(rng.choice(vocabulary) for _ in range(20000)) + "."
    quotes = [" ".join(rng.choice(vocabulary) for _ in range(size)) for size in (10, 40, 100)]
    return record, "\n\n".join(f'He said "{q}" then.' for q in quotes)


def measure(name: str, record: str, account: str) -> tuple[str, int, int, int, float, float, str]:
    """One row: the quotation check of ``account`` against ``record``, timed and counted."""
    normalizer = Normalizer()
    # One sentence a line: segmenting is not what is timed (pysbd would take most of it).
    record_doc = Document.from_lines("record", record)
    account_doc = Document.from_lines("account", account)
    stream = TokenStream.build([s.text for s in record_doc.sentences], normalizer)
    cost = Cost()
    start = time.perf_counter()
    quotes = check_quotes(account, account_doc.sentences, stream, normalizer, cost)
    seconds = time.perf_counter() - start
    per_word = cost.units / cost.quoted_words if cost.quoted_words else 0.0
    statuses = Counter(q.status for q in quotes)
    summary = ", ".join(f"{statuses[s]} {s}" for s in ("exact", "altered", "not_found"))
    return name, len(quotes), cost.quoted_words, cost.units, per_word, seconds, summary


def main() -> None:
    """Print the table."""
    record, account, _ = make_shape("quotes", 3000)
    rows = [measure("unclosed quotes, 3,000 lines", record, account)]
    for n in (3000, 5000):
        rows.append(measure(f"quoting near-duplicates, {n:,} lines", *_quoting_near_duplicates(n)))
    rows.append(measure("long quotations, 20,000-word record", *_long_quotations()))
    print(f"Work bound: {WORK_PER_WORD} units per quoted word.")
    print("| input | quotations | quoted words | work units | units/word | seconds | statuses |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, count, words, units, per_word, seconds, summary in rows:
        figures = f"{count} | {words} | {units:,} | {per_word:.0f} | {seconds:.2f}"
        print(f"| {name} | {figures} | {summary} |")


if __name__ == "__main__":
    main()
