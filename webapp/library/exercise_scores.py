"""An exercise's scores: each account's, and one overall figure of each over all of them.

Each account is scored on its own against its part of the key (:mod:`..collate.scoring`).
The overall figures put the accounts together so that a longer account weighs more, as it
asks more: links and omissions are pooled (the precision, recall and F1 of all accounts'
sentence pairs, and of all their left-out record sentences, taken together); label kappa
and accuracy are computed over every shared key link of all the accounts; the order is
the mean of the accounts' taus and the total of their swapped pairs; quotations are
pooled. With one account the overall figures are that account's.

Labels are scored only over key links whose *key* label is one of the labels that count;
a student may give any label of the project (the sentence under each label figure says so).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..collate.agreement import (
    LabelScores,
    LinkScores,
    OrderScores,
    QuoteScores,
    SetScores,
    cohen_kappa,
)
from ..collate.scoring import Explained, Scores
from ..collate.scoring_words import explain
from .exercise_tasks import FIGURES

#: The overall figures of several accounts, in a sentence for the pages.
POOLED_SENTENCE = (
    "The overall figures take the accounts together: link and omission scores count the "
    "sentence pairs and left-out sentences of all the accounts at once, label kappa and "
    "accuracy are computed over the shared key links of all of them, order tau is the mean "
    "of the accounts' taus and inversions their total."
)

#: How each overall figure of several accounts is made, said before its explanation.
POOLED = {
    "link_precision": "All accounts' sentence pairs together.",
    "link_recall": "All accounts' sentence pairs together.",
    "link_f1": "All accounts' sentence pairs together.",
    "omission_f1": "Each account's left-out record sentences, all together.",
    "label_kappa": "Over the shared key links of all the accounts.",
    "label_accuracy": "Over the shared key links of all the accounts.",
    "order_tau": "The mean of the accounts' order taus.",
    "inversions": "The accounts' swapped pairs added up.",
    "quote_accuracy": "All accounts' quotations together.",
}


@dataclass(frozen=True, slots=True)
class AccountScores:
    """One account's scores and its figures as the page explains them."""

    slug: str
    title: str
    scores: Scores
    shown: tuple[Explained, ...]


@dataclass(frozen=True, slots=True)
class ExerciseScores:
    """Every account's scores and the overall figures (see the module docstring)."""

    kind: str
    accounts: tuple[AccountScores, ...]
    overall: tuple[Explained, ...]

    def figures(self) -> dict[str, Any]:
        """What a submission stores: the overall figures, and each account's under
        ``accounts``."""
        return {
            **{e.name: e.value for e in self.overall},
            "accounts": {a.slug: {e.name: e.value for e in a.shown} for a in self.accounts},
        }


def _labels_rule(counted: Sequence[str] | None) -> str:
    if counted is None:
        return ""
    return f" Only key links labelled {', '.join(counted)} count here; any label may be chosen."


def _shown(
    kind: str, rows: Sequence[tuple[str, Any, str]], counted: Sequence[str] | None, pooled: bool
) -> tuple[Explained, ...]:
    """The figures the kind is scored on, each with its sentence (and the rules said)."""
    out = []
    for name, value, text in rows:
        if name not in FIGURES[kind]:
            continue
        before = POOLED[name] + " " if pooled else ""
        after = _labels_rule(counted) if name.startswith("label_") else ""
        out.append(Explained(name, value, before + text + after))
    return tuple(out)


def _explained(scores: Scores) -> list[tuple[str, Any, str]]:
    return explain(scores.links, scores.omissions, scores.labels, scores.order, scores.quotes)


def _pool(parts: Sequence[SetScores]) -> tuple[int, int, int, float | None, float | None, float]:
    tp = sum(p.true_positives for p in parts)
    fp = sum(p.false_positives for p in parts)
    fn = sum(p.false_negatives for p in parts)
    f1 = 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)
    return tp, fp, fn, tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None, f1


def _labels(all_scores: Sequence[Scores], counted: Sequence[str] | None) -> LabelScores:
    """Kappa and accuracy over every shared labelled key link of all the accounts (the
    pairs scoring compares, read back from each account's breakdown)."""
    keys: list[str] = []
    given: list[str] = []
    for scores in all_scores:
        for row in scores.breakdown:
            if row.status in ("extra", "not scored") or row.key_label is None or not row.found:
                continue
            if counted is None or row.key_label in counted:
                keys.append(row.key_label)
                given.append(row.answer_label or "")
    agreed = sum(a == b for a, b in zip(keys, given, strict=True))
    return LabelScores(
        len(keys), agreed, cohen_kappa(keys, given), agreed / len(keys) if keys else None
    )


def _order(all_scores: Sequence[Scores]) -> OrderScores:
    taus = [s.order.tau for s in all_scores if s.order.tau is not None]
    return OrderScores(
        sum(s.order.compared for s in all_scores),
        statistics.fmean(taus) if taus else None,
        sum(s.order.inverted for s in all_scores),
        sum(s.order.missing for s in all_scores),
    )


def _quotes(all_scores: Sequence[Scores]) -> QuoteScores:
    compared = sum(s.quotes.compared for s in all_scores)
    agreed = sum(s.quotes.agreed for s in all_scores)
    return QuoteScores(compared, agreed, agreed / compared if compared else None)


def combine(
    kind: str,
    parts: Sequence[tuple[str, str, Scores]],
    counted: Sequence[str] | None,
) -> ExerciseScores:
    """The exercise's scores from each account's ``(slug, title, scores)``."""
    accounts = tuple(
        AccountScores(slug, title, s, _shown(kind, _explained(s), counted, False))
        for slug, title, s in parts
    )
    if len(parts) == 1:
        return ExerciseScores(kind, accounts, accounts[0].shown)
    every = [s for _, _, s in parts]
    rows = explain(
        LinkScores(*_pool([s.links for s in every])),
        SetScores(*_pool([s.omissions for s in every])),
        _labels(every, counted),
        _order(every),
        _quotes(every),
    )
    return ExerciseScores(kind, accounts, _shown(kind, rows, counted, True))
