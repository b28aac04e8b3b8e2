"""How well the scorer's evidence separates true pairs from chance, on the edited translations.

    python -m benchmarks.real_evidence [--seed N] [--only NAME] [--plain]

Every cell of record x account is scored with the engine's scorer (as ``compare`` builds
it); the known links of :func:`.real_edits.edit_pair` are the true pairs, every other
cell a chance pair. Printed per row: the median and 5th percentile of the true pairs'
scores, the 99.9th percentile of the chance pairs', how many true pairs are not each
side's best (a *ranking* error: a rival scores as high), how many do not beat their best
rival by 1.6 (the aligner's stand-out ratio), and how many score under 0.3 (its
``min_score``). Then, for the chance pairs at 0.2 or more and the true pairs between 0.1
and 0.3, the mean of each signal of the score (word cosine, character n-gram cosine, the
same over content words only, containment): what lifts chance pairs, and what the weak
true pairs have. ``--plain`` reads the words as written (without :mod:`webapp.collate.
archaic`), the figures before that module. No decision is made here: it measures the
evidence the decision step gets.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

import webapp.collate.normalize as normalize
from webapp.collate import Document
from webapp.collate.compare import _terms_of, _words_of
from webapp.collate.similarity import Scorer, _rowwise
from webapp.collate.tfidf import char_tfidf

from .real_bible import verses
from .real_edits import EditedPair, edit_pair
from .real_rows import TRANSLATIONS


def translation_pair(name: str, seed: int) -> EditedPair:
    """The edited translation pair of the benchmark row ``name`` (as ``translation_row``)."""
    version, book, filler = TRANSLATIONS[name]
    old, web = verses((book,), version), verses((book,), "WORLD_ENGLISH")
    shared = sorted(set(old.ids) & set(web.ids))
    at_o, at_w = old.index(), web.index()
    return edit_pair(
        [old.texts[at_o[v]] for v in shared],
        [web.texts[at_w[v]] for v in shared],
        verses((filler,), "WORLD_ENGLISH").texts,
        seed=seed,
    )


@contextmanager
def plain_words(plain: bool) -> Iterator[None]:
    """With ``plain``, the scorer reads the words as written (no modern reading)."""
    kept = getattr(normalize, "modernise")  # noqa: B009 (the hook's name in normalize)
    if plain:
        setattr(normalize, "modernise", _as_written)  # noqa: B010
    try:
        yield
    finally:
        setattr(normalize, "modernise", kept)  # noqa: B010


def _as_written(word_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    return [list(words) for words in word_lists]


def scorer_of(pair: EditedPair) -> tuple[Scorer, list[list[str]], list[list[str]]]:
    """The scorer ``compare`` builds for the pair, and the words it reads on each side."""
    norm = normalize.Normalizer()
    sides = []
    for name, lines in (("record", pair.record), ("account", pair.account)):
        doc = Document.from_lines(name, "\n".join(lines) + "\n")
        sides.append(normalize.fold_verb_endings(_words_of(doc.sentences, norm)))
    source, witness = sides
    terms = _terms_of(source, norm), _terms_of(witness, norm)
    return Scorer(terms[0], terms[1], source, witness), source, witness


def _all_cells(scorer: Scorer) -> np.ndarray:
    n, m = scorer.n_source, scorer.n_witness
    src, wit = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    return scorer.score_arrays(src, wit).score.reshape(n, m)


def separation(scores: np.ndarray, links: Sequence[tuple[int, int]]) -> dict[str, float]:
    """The figures of the first table (see the module docstring) for one score matrix."""
    true = np.zeros(scores.shape, dtype=bool)
    rows, cols = np.array([i for i, _ in links]), np.array([j for _, j in links])
    true[rows, cols] = True
    rivals = np.where(true, -1.0, scores)
    rival = np.maximum(rivals.max(axis=1)[rows], rivals.max(axis=0)[cols])
    held = scores[rows, cols]
    return {
        "true median": float(np.median(held)),
        "true p5": float(np.percentile(held, 5)),
        "chance p99.9": float(np.percentile(scores[~true], 99.9)),
        "not best": int((rival >= held).sum()),
        "under 1.6x rival": int((held < 1.6 * rival).sum()),
        "under 0.3": int((held < 0.3).sum()),
    }


def signals(
    scorer: Scorer, words: tuple[list[list[str]], list[list[str]]], cells: np.ndarray
) -> dict[str, float]:
    """Mean word, character and content-character cosines and containment of ``cells``."""
    src, wit = cells[:, 0], cells[:, 1]
    content = char_tfidf([normalize.content_words(w) or w for w in words[0] + words[1]])
    n = scorer.n_source
    cont_s, cont_w = scorer._containment(src, wit)
    return {
        "pairs": len(src),
        "word": float(_rowwise(scorer.word_source[src], scorer.word_witness[wit]).mean()),
        "char": float(_rowwise(scorer.char_source[src], scorer.char_witness[wit]).mean()),
        "char (content)": float(_rowwise(content[:n][src], content[n:][wit]).mean()),
        "containment": float(np.maximum(cont_s, cont_w).mean()),
    }


def _line(label: str, figures: dict[str, float]) -> str:
    shown = (f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())
    return f"{label:28} " + " | ".join(shown)


def report(name: str, seed: int, plain: bool) -> list[str]:
    """The printed lines of one row."""
    pair = translation_pair(name, seed)
    with plain_words(plain):
        scorer, source, witness = scorer_of(pair)
    scores = _all_cells(scorer)
    links = sorted(pair.links)
    true = np.zeros(scores.shape, dtype=bool)
    true[tuple(np.array(links).T)] = True
    chance = np.argwhere((scores >= 0.2) & ~true)
    held = np.array(links)
    weak = held[(scores[tuple(held.T)] >= 0.1) & (scores[tuple(held.T)] < 0.3)]
    tag = f"{name}{' (plain)' if plain else ''}"
    return [
        _line(tag, separation(scores, links)),
        _line("  chance pairs >= 0.2", signals(scorer, (source, witness), chance)),
        _line("  true pairs 0.1-0.3", signals(scorer, (source, witness), weak)),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Print the evidence tables (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="one row name (default: every row)")
    parser.add_argument("--plain", action="store_true", help="words as written (before)")
    args = parser.parse_args(argv)
    names = [args.only] if args.only else list(TRANSLATIONS)
    for name in names:
        print("\n".join(report(name, args.seed, args.plain)), flush=True)


if __name__ == "__main__":
    main()
