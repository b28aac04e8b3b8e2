"""The thresholds of the link choice (:func:`.align.choose_links`), one frozen record.

Kept apart from the decision code so the knobs, each with why it has its value, read as
one list; :mod:`benchmarks.sensitivity` sweeps every field.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AlignSettings"]


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Thresholds of the link choice (all scores are in [0, 1])."""

    #: Lowest score at which a 1:1 pair becomes a link on its own strength, anywhere.
    min_score: float = 0.3
    #: Below ``min_score``, a pair down to this score is still matched when it stands out:
    #: each side is the other's best candidate, by ``distinct_ratio`` over any rival.
    weak_score: float = 0.12
    distinct_ratio: float = 1.6
    #: A weak move (under ``moved_min_score``, no moved neighbour) stays a link when each
    #: side is the other's best by this ratio over any rival; whether it is then a move
    #: or only a possible move is judged on the final links (:func:`.moves.judge_moves`).
    lone_move_ratio: float = 1.6
    #: A weak lone move that shares a phrase the two texts have nowhere else needs a lower
    #: stand-out ratio (the phrase is evidence of its own); 1.25: a clear best, as the
    #: band's landmarks (1.0, the mere best, let template phrases of unrelated texts in).
    phrase_move_ratio: float = 1.25
    #: A move scoring this much needs no other evidence (a claim that the account
    #: reordered the record needs clear evidence; below it, a block, phrase or quotation).
    moved_min_score: float = 0.5
    #: The price, in score, of a pair that breaks the order of the first matching's
    #: longest chain: the links are chosen again with it, so a chance likeness far away
    #: does not beat a slightly weaker partner in its place.
    move_penalty: float = 0.15
    #: A pair of sentences still free after the gaps and blocks, out of order, sharing a
    #: rare phrase and no copy of a formula, is linked when each side is the other's best
    #: by this ratio over every rival that is free or prefers it: a rival linked to a
    #: partner it matches better is spoken for, no evidence against the pair
    #: (:mod:`.lonely`). 1.6, ``lone_move_ratio``'s value (not tuned); 0: off.
    spoken_move_ratio: float = 1.6
    #: Lowest score ever accepted in a gap between anchors, whatever the calibration says
    #: (scores this low are shared function words and spelling, not content).
    gap_score: float = 0.1
    #: Expected false links per gap: a gap of c cells accepts a pair above the 1 - alpha/c
    #: quantile of this text pair's random-pair scores (0.05: one chance link in 20 gaps).
    gap_alpha: float = 0.05
    #: Pairs scored to calibrate the gap and block thresholds: enough for the
    #: 1 - 0.05 / 400 quantile of a 400-cell gap (about 160 samples above it).
    null_pairs: int = 20_000
    #: Gaps up to this many cells are aligned over every cell (a dynamic programme of a
    #: few ms); larger ones over their sparse candidates, which split them.
    dense_gap_cells: int = 400
    #: A chain link is an anchor unless a rival partner of either side scores within this
    #: much of it (a repeated sentence): then the local order decides between the copies.
    tie_margin: float = 0.02
    #: Expected chance blocks in the whole text pair: a run of pairs is a block when a
    #: union bound on chance runs as good (free cells x its members' random-pair tails
    #: x the price of its steps' shapes) stays under this (:mod:`.blocks`).
    block_alpha: float = 0.05
    #: Fewest pairs in a moved block found below the matching's threshold.
    block_length: int = 2
    #: Largest step between two members of a block, in sentences on either side (the
    #: account may expand or drop a verse or two inside a moved passage).
    block_step: int = 3
    #: An account sentence reuses an already linked record sentence from this score
    #: (each use must match well on its own, as a move needing no other evidence does:
    #: doublets and refrains, not look-alikes).
    reuse_score: float = 0.5
    #: With the semantic scorer, a pair in a small gap whose embedding cosine reaches this
    #: is a link, whatever its words, when it leads every other cosine of its row and
    #: column in the gap by ``meaning_margin``: the order around the gap and a clear best
    #: meaning together. 0.6: above the 0.45 at which MiniLM stops telling a paraphrase
    #: from another claim on the subject (see semantic.FLOOR), by a margin of 0.1.
    meaning_floor: float = 0.6
    meaning_margin: float = 0.1
    #: How far (in sentences) a joining sentence may be from the link it joins (one more
    #: across an unlinked sentence).
    join_distance: int = 1
    #: Share of a joining sentence's content that must be in the link's other side. The
    #: join must also make the link cover both sides better (:mod:`.merges`), which is
    #: the real guard; 0.3 lets a merged half in whose wording changed (0.5 lost them in
    #: heavy paraphrase: synthetic heavy link F1 0.993 -> 0.995 at 0.3).
    join_containment: float = 0.3
    #: Lowest pair score for a sentence to join a link.
    join_score: float = 0.22
    #: After the gaps, a sentence under ``join_containment`` joins a link that lacks it
    #: when this text pair's chance pairs reach its score this rarely (:mod:`.merges`).
    join_alpha: float = 0.05
    #: Fewest further uses of linked record sentences in a run that is a second telling
    #: of a passage (:mod:`.retell`): a run is evidence, a lone weak use is not.
    retell_length: int = 2
    #: A lone further use is a second telling too when it stands out on its own, above
    #: the chance of every cell searched (each free account sentence's record row), and
    #: no linked account neighbour tells another passage
    #: (:mod:`.retell`): the context guard is what the synthetic pairs' template
    #: additions called for; no value is tuned (it reads ``block_step``, ``gap_alpha``).
    retell_alone: bool = True
    #: The tellings of a passage told more than once grow at their edges: a free account
    #: sentence beside one (or across one unlinked sentence) that tells a linked record
    #: sentence within ``block_step`` of the telling's, at the calibrated cut of a small gap
    #: (:mod:`.retell`). A switch: no value is tuned (it reads ``block_step``,
    #: ``gap_alpha``, ``gap_score``, ``tie_margin``, ``distinct_ratio``).
    retell_edges: bool = True
    #: Learn word correspondences from this text pair's confident links ("froward" /
    #: "perverse", a paraphrase's consistent synonyms), read each learned class as one
    #: word and align again, adding only links between sentences the first alignment
    #: left free (:mod:`.lexicon`; BBE Genesis 1-20 omitted / added F1 0.907 / 0.925 ->
    #: 0.929 / 0.954, Samuel-Kings and the synthetic pairs unchanged).
    lexicon: bool = True
    #: Fewest confident links in which both words of a learned pair go unmatched: 3
    #: (2 gives the same on the tuning set; from 4 on, BBE Genesis learns too little).
    lexicon_min_links: int = 3
    #: Chance learned pairs in the whole text pair: a pair's G2 must be one chance
    #: reaches under this, with a union bound over every pair counted (0.001 to 0.5 give
    #: the same tuning figures).
    lexicon_alpha: float = 0.05
    # --- heavy paraphrase at a memcon's size (issue 10, session 12: paraphrase) ---
    #: A free sentence does not join a neighbouring link through a pair weaker than its
    #: best pair with a free sentence beside that link's other side: that pair is its
    #: partner in place, for the gap to link, not a merged half (:mod:`.merges`; in Basic
    #: English two verses told in order became one link of four crossed halves). A switch:
    #: no value is tuned (it reads ``join_distance``).
    join_in_place: bool = True
    #: A sentence joins a link only if the link's sides end no further apart in length
    #: (words, log ratio) than this more than before (:func:`.merges.closer`): a
    #: merged half makes the short side as long as the other, an omitted verse on the same
    #: subject joined as a "merge" makes it the longer one. ``inf``: no such check.
    join_length_slack: float = 0.0
    #: A join that leaves the sides further apart in length still passes when the link
    #: scores more than this higher with it (a merged half that the account padded out).
    join_length_rise: float = 0.0
