"""The bundled Zavidovo dossier's expected findings, checked one by one (pass/fail).

What a teacher must see without telling the tool (``/work/shared/corpus-brief.md``, the same
findings as ``tests/test_corpus_zavidovo.py``): Christopher's caveat linked to the
"longer term eventuality" and moved relative to the enthusiasm, "stroke of genius" kept in
order, Talbott's "brilliant" linked to the beats it answers and the eventuality omitted,
the essay keeping the record's order, and the quotation verdicts. The link and move
findings are checked for the naive baseline as well (same sentences, its links and LIS
moves); the quotation and phrase-order findings exist only in the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from webapp.collate import Comparison, Document, Settings, compare, phrase_order
from webapp.ingest.corpus import find_dossier

from .baselines import tfidf_nearest
from .metrics import Predicted, predicted

__all__ = ["Finding", "zavidovo_findings"]

#: Verbatim in the record; anything else (altered, not found) is "not verbatim".
VERBATIM = "exact"


@dataclass(frozen=True)
class Finding:
    """One expected finding: did the engine (and the baseline, if it can) show it?"""

    name: str
    memcon: bool
    baseline: bool | None  # None: the baseline has no such notion
    detail: str = ""


@dataclass(frozen=True)
class _Run:
    record: Document
    accounts: dict[str, Document]
    comparison: Comparison
    baseline: dict[str, list[Predicted]]  # per account: one result per threshold
    seconds: float
    baseline_seconds: float

    def index(self, doc: Document, words: str) -> int:
        """The one sentence of ``doc`` containing ``words``."""
        (k,) = [s.index for s in doc.sentences if words in s.text]
        return k

    def account(self, part: str) -> tuple[int, Document]:
        """Position and document of the account whose file name contains ``part``."""
        for k, (name, doc) in enumerate(self.accounts.items()):
            if part in name:
                return k, doc
        raise KeyError(part)


def _run(thresholds: tuple[float, ...]) -> _Run:
    """Compare the dossier with the engine and the baseline (timed separately)."""
    dossier = find_dossier("zavidovo-1993")
    record = dossier.document(dossier.record_meta)
    accounts = {m.file: dossier.document(m) for m in dossier.accounts}
    settings: Settings = dossier.settings()
    t0 = time.perf_counter()
    comparison = compare(record, list(accounts.values()), settings)
    t1 = time.perf_counter()
    rec = [s.text for s in record.sentences]
    baseline = {
        name: [tfidf_nearest(rec, [s.text for s in doc.sentences], t) for t in thresholds]
        for name, doc in accounts.items()
    }
    t2 = time.perf_counter()
    return _Run(record, accounts, comparison, baseline, t1 - t0, (t2 - t1) / len(thresholds))


def _linked(pred: Predicted, account_sentence: int, record_sentences: set[int]) -> bool:
    """Whether the account sentence links to one of the record sentences."""
    return any(j == account_sentence and i in record_sentences for i, j in pred.links)


def _checks(run: _Run) -> list[tuple[str, Callable[[Predicted, str], bool], bool]]:
    """(name, test on a Predicted of an account, baseline can be judged) for each finding."""
    r = run.record
    eventuality = run.index(r, "longer term eventuality")
    great_idea = run.index(r, "a great idea, really great")
    genius = run.index(r, "it is a stroke of genius")
    _, chris = run.account("christopher")
    _, talbott = run.account("talbott")
    caveat = run.index(chris, "long-term and evolutionary")
    great = run.index(chris, "This really is a great idea")
    chris_genius = run.index(chris, "stroke of genius")
    brilliant = run.index(talbott, "brilliant")

    def caveat_moved(p: Predicted, who: str) -> bool:
        linked = _linked(p, caveat, {eventuality}) and _linked(p, great, {great_idea})
        return who == "christopher" and linked and bool({caveat, great} & p.moved)

    def genius_in_order(p: Predicted, who: str) -> bool:
        return _linked(p, chris_genius, {genius}) and chris_genius not in p.moved

    def brilliant_linked(p: Predicted, who: str) -> bool:
        return _linked(p, brilliant, {genius, great_idea}) and eventuality in p.omitted

    def essay_in_order(p: Predicted, who: str) -> bool:
        return not p.moved and any(i == eventuality for i, _ in p.links)

    return [
        (
            "christopher: caveat linked, moved vs 'great idea'",
            caveat_moved,
            True,
        ),
        ("christopher: 'stroke of genius' in order", genius_in_order, True),
        ("talbott: 'brilliant' linked, caveat omitted", brilliant_linked, True),
        ("goldgeier: order kept, caveat linked", essay_in_order, True),
    ]


def _quote_findings(run: _Run) -> list[Finding]:
    """The quotation verdicts and the phrase-order answer (engine only)."""
    k, _ = run.account("christopher")
    quotes = {q.text: q for q in run.comparison.witnesses[k].quotes}
    genius = run.index(run.record, "it is a stroke of genius")
    out = []
    for text in ("long-term and evolutionary", "This really is a great idea"):
        status = quotes[text].status if text in quotes else "missing"
        ok = status not in (VERBATIM, "missing", "close")
        out.append(Finding(f"quote '{text}' not verbatim", ok, None, status))
    g = quotes.get("stroke of genius")
    ok = g is not None and g.status == VERBATIM and g.source == genius
    out.append(Finding("quote 'stroke of genius' exact", ok, None))
    answer = phrase_order(run.record, run.comparison, "longer term eventuality", "great idea")
    verdict = next((a.verdict for a in answer.accounts if "Stream" in a.name), "none")
    out.append(Finding("phrase order: christopher inverted", verdict == "inverted", None, verdict))
    return out


def zavidovo_findings(thresholds: tuple[float, ...]) -> tuple[list[Finding], float, float]:
    """Every finding, with the engine's and the baseline's time for the dossier."""
    run = _run(thresholds)
    names = list(run.accounts)
    who = ("christopher", "talbott", "goldgeier")
    findings: list[Finding] = []
    for name, check, judged in _checks(run):
        part = next(p for p in who if p in name.split(":")[0])
        k = next(i for i, n in enumerate(names) if part in n)
        mine = check(predicted(run.comparison.witnesses[k]), part)
        theirs = any(check(p, part) for p in run.baseline[names[k]]) if judged else None
        findings.append(Finding(name, mine, theirs))
    findings.extend(_quote_findings(run))
    return findings, run.seconds, run.baseline_seconds
