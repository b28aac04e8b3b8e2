"""The comparison engine: segment, normalise, score, align and analyse accounts of a record.

Pure Python, no web framework or database: the CLI, the web app, tests and batch jobs
all call :func:`compare` the same way.

>>> from webapp.collate import Document, compare
>>> record = Document.from_text("memcon", "A stroke of genius. Later, maybe.")
>>> result = compare(record, [Document.from_text("memoir", "Later, maybe.")])
>>> result.witnesses[0].omitted
(0,)

Names are loaded on first use (PEP 562): importing the package, or a light module of it
such as :mod:`.model`, does not load the scorers (scikit-learn, SciPy), so ``memcon --help``
and the web layer's imports stay quick.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from .lazy import lazy_names

if TYPE_CHECKING:
    from .carry import carry_span, carry_spans, sentences_for_spans
    from .compare import Settings, compare
    from .curate import DECISION_ACTIONS, Curated, Decision, adjust_sentences, curate
    from .document import Document
    from .model import (
        ENGINE_VERSION,
        LINK_KINDS,
        NOT_VERBATIM,
        ORDER_VERDICTS,
        QUOTE_STATUSES,
        SCHEMA_VERSION,
        Comparison,
        DiffOp,
        Link,
        OrderStats,
        Quote,
        QuoteChange,
        Rendering,
        Sentence,
        SourceInfo,
        Telling,
        WitnessResult,
    )
    from .phrases import AccountOrder, OrderAnswer, PhraseNotFound, phrase_order
    from .segment import SEGMENTERS, SegmentationError, segment
    from .vocabulary import LABELS, LINK_STATUSES, MACHINE


__all__ = [
    "DECISION_ACTIONS",
    "ENGINE_VERSION",
    "LABELS",
    "LINK_KINDS",
    "LINK_STATUSES",
    "MACHINE",
    "NOT_VERBATIM",
    "ORDER_VERDICTS",
    "QUOTE_STATUSES",
    "SCHEMA_VERSION",
    "SEGMENTERS",
    "AccountOrder",
    "Comparison",
    "Curated",
    "Decision",
    "DiffOp",
    "Document",
    "Link",
    "OrderAnswer",
    "OrderStats",
    "PhraseNotFound",
    "Quote",
    "QuoteChange",
    "Rendering",
    "SegmentationError",
    "Sentence",
    "Settings",
    "SourceInfo",
    "Telling",
    "WitnessResult",
    "adjust_sentences",
    "carry_span",
    "carry_spans",
    "compare",
    "curate",
    "phrase_order",
    "segment",
    "sentences_for_spans",
]

#: Where each public name lives, relative to this package.
_HOMES = {
    "carry_span": ".carry",
    "carry_spans": ".carry",
    "sentences_for_spans": ".carry",
    "Settings": ".compare",
    "compare": ".compare",
    "DECISION_ACTIONS": ".curate",
    "Curated": ".curate",
    "Decision": ".curate",
    "adjust_sentences": ".curate",
    "curate": ".curate",
    "Document": ".document",
    "AccountOrder": ".phrases",
    "OrderAnswer": ".phrases",
    "PhraseNotFound": ".phrases",
    "phrase_order": ".phrases",
    "SEGMENTERS": ".segment",
    "SegmentationError": ".segment",
    "segment": ".segment",
    "LABELS": ".vocabulary",
    "LINK_STATUSES": ".vocabulary",
    "MACHINE": ".vocabulary",
}


__getattr__ = lazy_names(__name__, _HOMES, default=".model", public=__all__)


def __dir__() -> list[str]:
    """List the public names (loaded or not) beside the module's own."""
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """This package, keeping its functions named like their modules (``compare``, ...).

    Importing ``webapp.collate.compare`` sets the package's attribute ``compare`` to the
    module; eager imports used to bind the function over it, and this keeps doing so.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _HOMES.get(name) == f".{name}":
            return  # the module stays in sys.modules; the name keeps meaning the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
