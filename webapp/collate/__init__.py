"""The comparison engine: segment, normalise, score, align and analyse accounts of a record.

Pure Python, no web framework or database: the CLI, the web app, tests and batch jobs
all call :func:`compare` the same way.

>>> from webapp.collate import Document, compare
>>> record = Document.from_text("memcon", "A stroke of genius. Later, maybe.")
>>> result = compare(record, [Document.from_text("memoir", "Later, maybe.")])
>>> result.witnesses[0].omitted
(0,)
"""

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
    Sentence,
    SourceInfo,
    WitnessResult,
)
from .phrases import AccountOrder, OrderAnswer, PhraseNotFound, phrase_order
from .segment import SEGMENTERS, SegmentationError, segment

__all__ = [
    "DECISION_ACTIONS",
    "ENGINE_VERSION",
    "LINK_KINDS",
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
    "SegmentationError",
    "Sentence",
    "Settings",
    "SourceInfo",
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
