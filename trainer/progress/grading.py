"""Grading a part of a module from several attempts: highest, first, last or average.

Pure: no Flask, no database. The attempts come in as `Sitting` records in the order they were
taken; the assessment window chooses the method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HIGHEST, FIRST, LAST, AVERAGE = "highest", "first", "last", "average"
METHODS = (HIGHEST, FIRST, LAST, AVERAGE)


@dataclass(frozen=True)
class Sitting:
    """One counted attempt: its final score and whether its final verdict is pass."""

    attempt_id: int
    score: Decimal
    passed: bool


@dataclass(frozen=True)
class Graded:
    """The part's result: score, passed, and the attempts it was taken from."""

    score: Decimal
    passed: bool
    attempt_ids: tuple[int, ...]


def grade(sittings: Sequence[Sitting], method: str, pass_mark: int) -> Graded | None:
    """Grade counted attempts (oldest first) by `method`; None when there is none.

    - highest: the best attempt: a passed one before a failed one, then the higher score
      (a role-play with one failed turn fails whatever its mean, so "best" is not just the
      highest number);
    - first / last: that attempt as it stands;
    - average: the mean score; passed when the mean reaches the pass mark and at least one
      averaged attempt passed on its own (a mean of failures is still a failure).
    Unknown methods grade as highest.
    """
    if not sittings:
        return None
    if method == FIRST:
        chosen = sittings[0]
    elif method == LAST:
        chosen = sittings[-1]
    elif method == AVERAGE:
        mean = (sum((s.score for s in sittings), Decimal(0)) / len(sittings)).quantize(
            Decimal("0.01"))
        passed = mean >= pass_mark and any(s.passed for s in sittings)
        return Graded(mean, passed, tuple(s.attempt_id for s in sittings))
    else:
        # max() keeps the first of equals: the earlier attempt stands on a tie.
        chosen = max(sittings, key=lambda s: (s.passed, s.score))
    return Graded(chosen.score, chosen.passed, (chosen.attempt_id,))
