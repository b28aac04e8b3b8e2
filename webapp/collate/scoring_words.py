"""The plain-words sentence that explains each score of :mod:`.scoring` on a results page.

One sentence per figure, with the counts behind it, so a student sees why the number is
what it is ("4 of the key's 5 sentence pairs") and a figure that is undefined says why.
"""

from __future__ import annotations

from .agreement import LabelScores, LinkScores, OrderScores, QuoteScores, SetScores

Row = tuple[str, float | int | None, str]


def _of(count: int, noun: str) -> str:
    """``1 pair`` / ``2 pairs``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _links(s: LinkScores) -> list[Row]:
    drawn, keyed = s.true_positives + s.false_positives, s.true_positives + s.false_negatives
    return [
        (
            "link_precision",
            s.precision,
            "You linked no sentence pair, so there is nothing to be right or wrong about."
            if s.precision is None
            else f"Of the {_of(drawn, 'sentence pair')} you linked, {s.true_positives} "
            f"{'is' if s.true_positives == 1 else 'are'} in the key.",
        ),
        (
            "link_recall",
            s.recall,
            "The key links no sentence pair here, so there is nothing to find."
            if s.recall is None
            else f"Of the key's {_of(keyed, 'sentence pair')}, you linked {s.true_positives}.",
        ),
        (
            "link_f1",
            s.f1,
            "Link F1 weighs both together: 1 means every pair of the key and no other, "
            "0 means none of the key's pairs.",
        ),
    ]


def _omissions(s: SetScores) -> Row:
    keyed = s.true_positives + s.false_negatives
    if keyed == 0:
        text = (
            "The key leaves no record sentence out, and neither do you."
            if s.false_positives == 0
            else f"The key leaves no record sentence out; you left out "
            f"{_of(s.false_positives, 'sentence')} the account keeps."
        )
    else:
        text = (
            f"The key says {_of(keyed, 'record sentence')} {'is' if keyed == 1 else 'are'} "
            f"left out; you left out {s.true_positives} of them and {s.false_positives} "
            "the account keeps."
        )
    return ("omission_f1", s.f1, text)


def _labels(s: LabelScores) -> list[Row]:
    if s.compared == 0:
        kappa = "No labelled key link is among the links you drew, so labels cannot be compared."
    elif s.kappa is None:
        kappa = (
            "Kappa is n/a: you and the key use one and the same label on every shared link, "
            "so chance alone would agree."
        )
    else:
        kappa = (
            f"Kappa {s.kappa:.2f} says how far your labels agree with the key's beyond "
            "chance: 1 is full agreement, 0 no better than chance."
        )
    accuracy = (
        "Label accuracy is n/a: there is no shared labelled link to count."
        if s.compared == 0
        else f"You gave {s.agreed} of the {_of(s.compared, 'key link')} you also linked "
        "the key's label."
    )
    return [("label_kappa", s.kappa, kappa), ("label_accuracy", s.accuracy, accuracy)]


def _order(s: OrderScores) -> list[Row]:
    if s.tau is None:
        tau = "The order cannot be compared: it needs two sentences that are not tied."
    else:
        tau = (
            f"Order tau {s.tau:.2f} compares your order with the key's: 1 is the same "
            "order, -1 the exact reverse."
        )
    swapped = (
        "You put no pair of sentences the other way round."
        if s.inverted == 0
        else f"You swapped {_of(s.inverted, 'pair')}: "
        f"{'it is' if s.inverted == 1 else 'they are'} the other way round from the key."
    )
    return [("order_tau", s.tau, tau), ("inversions", s.inverted, swapped)]


def _quotes(s: QuoteScores) -> Row:
    text = (
        "The key judges no quotation here."
        if s.accuracy is None
        else f"You judged {s.agreed} of the {_of(s.compared, 'quotation')} as the key does."
    )
    return ("quote_accuracy", s.accuracy, text)


def explain(
    links: LinkScores,
    omissions: SetScores,
    labels: LabelScores,
    order: OrderScores,
    quotes: QuoteScores,
) -> list[Row]:
    """(name, value, sentence) for every figure, in the order a results page lists them."""
    return [
        *_links(links),
        _omissions(omissions),
        *_labels(labels),
        *_order(order),
        _quotes(quotes),
    ]
