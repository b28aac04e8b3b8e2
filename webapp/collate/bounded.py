"""diff-match-patch bounded by a count of its own steps, not by the clock.

diff-match-patch bounds a diff by a deadline in seconds (``Diff_Timeout``): past it, its
bisection gives up and shows the rest of a stretch as deleted and inserted. The same pair
of texts then gives a finer diff on a fast machine than on a slow or loaded one, and a
reader who cites a diff, or an export made on another machine, could see other words
marked. Here the deadline is a :class:`StepBudget` instead: each step of the bisection
(one more edit explored, costing as many cells as the edits so far) is charged to it, so a
pair that is too costly to diff finely is cut at the same place on every machine.

>>> old, new = "the cat sat on a mat", "a dog sat on the mat"
>>> BoundedDiff(steps=10**6).diff_main(old, new, False)[:4]
[(-1, 'the c'), (0, 'a'), (-1, 't'), (1, ' dog')]
>>> BoundedDiff(steps=0).diff_main(old, new, False)
[(-1, 'the cat'), (1, 'a dog'), (0, ' sat on '), (-1, 'a'), (1, 'the'), (0, ' mat')]

With no steps to spend, the bisection gives up at once and each changed stretch is shown
whole (the common middle is still found by diff-match-patch's half-match).
"""

from __future__ import annotations

from typing import Any

from diff_match_patch import diff_match_patch

__all__ = ["BoundedDiff", "StepBudget"]


class StepBudget:
    """A deadline that counts work: spent when diff-match-patch asks whether it has passed.

    diff-match-patch checks ``time.time() > deadline`` once per step ``d`` of its bisection,
    whose step costs about ``d`` cells (the diagonals explored on each side). A float
    cannot compare itself with this object, so Python asks :meth:`__lt__` of it instead,
    which charges the step and answers whether the budget is spent.
    """

    __slots__ = ("left", "step")

    def __init__(self, cells: int) -> None:
        self.left = cells
        self.step = 0  # steps taken by the bisection now running

    def __lt__(self, _now: object) -> bool:
        self.step += 1
        self.left -= self.step
        return self.left < 0


class BoundedDiff(diff_match_patch):  # type: ignore[misc]  # the library is untyped
    """diff-match-patch whose diffs are bounded by ``steps`` cells of bisection each.

    ``Diff_Timeout`` keeps its default only because the library reads it as a switch for
    its half-match speed-up (off at 0); no clock is read.
    """

    def __init__(self, steps: int) -> None:
        super().__init__()
        self.steps = steps

    def diff_main(
        self, text1: str, text2: str, checklines: bool = True, deadline: Any = None
    ) -> list[tuple[int, str]]:
        """A diff as diff-match-patch's, with a fresh budget for each call made from outside."""
        if deadline is None:
            deadline = StepBudget(self.steps)
        diffs: list[tuple[int, str]] = super().diff_main(text1, text2, checklines, deadline)
        return diffs

    def diff_bisect(self, text1: str, text2: str, deadline: Any) -> list[tuple[int, str]]:
        """One bisection, its steps counted from one (a nested call counts its own)."""
        if not isinstance(deadline, StepBudget):
            out: list[tuple[int, str]] = super().diff_bisect(text1, text2, deadline)
            return out
        outer, deadline.step = deadline.step, 0
        try:
            found: list[tuple[int, str]] = super().diff_bisect(text1, text2, deadline)
            return found
        finally:
            deadline.step = outer
