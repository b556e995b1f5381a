"""Ordering questions (the fuelling steps): how much of the correct order an answer keeps.

The score is the longest correctly ordered subset of the steps, as a share of all steps; the
steps outside it are named as out of place. A safety-critical step that is missing, or in the
wrong order relative to any other step, fails the question whatever the score.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PASS_MARK = 80  # a share of steps in order; one slip in five steps still passes


@dataclass(frozen=True)
class OrderingResult:
    """Score 0-100, verdict and the steps to name to the trainee."""

    score: int
    verdict: Literal["pass", "fail"]
    in_order: list[str]  # the longest correctly ordered subset, in answer order
    out_of_place: list[str]  # answered steps outside it, in answer order
    missing: list[str]  # correct steps not answered
    unknown: list[str]  # answered steps that are not steps of this question
    safety_failures: list[str]  # safety-critical steps missing or out of order
    reasons: list[str] = field(default_factory=list)
    passed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "passed", self.verdict == "pass")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data."""
        return asdict(self)


def score_ordering(correct: Sequence[str], answer: Sequence[str],
                   safety_critical: Collection[str] = (), *,
                   pass_mark: int = PASS_MARK) -> OrderingResult:
    """Score an ordering answer. Steps are compared as given (ids or texts, spaces trimmed).

    Raises ValueError (Chinese message) when `correct` is empty.
    """
    steps = list(dict.fromkeys(s.strip() for s in correct if s and s.strip()))
    if not steps:
        raise ValueError("排序题没有正确顺序")
    position = {step: index for index, step in enumerate(steps)}
    critical = {s.strip() for s in safety_critical} & set(steps)
    answered = list(dict.fromkeys(s.strip() for s in answer if isinstance(s, str) and s.strip()))
    known = [s for s in answered if s in position]
    unknown = [s for s in answered if s not in position]
    kept = _longest_in_order(known, position, critical)
    kept_set = set(kept)
    out_of_place = [s for s in known if s not in kept_set]
    missing = [s for s in steps if s not in set(known)]
    safety = [s for s in steps if s in critical and (s in missing or _inverted(s, known, position))]
    score = round(100 * len(kept) / len(steps))
    verdict: Literal["pass", "fail"] = "pass" if score >= pass_mark and not safety else "fail"
    return OrderingResult(score, verdict, kept, out_of_place, missing, unknown, safety,
                          _reasons(answered, out_of_place, missing, unknown, safety))


def _longest_in_order(known: list[str], position: dict[str, int], critical: set[str]
                      ) -> list[str]:
    # Longest increasing subsequence by correct position; among equally long ones, keep the
    # one with more safety-critical steps, so the named culprits are the ordinary steps.
    count = len(known)
    if not count:
        return []
    best: list[tuple[int, int]] = []
    previous: list[int] = []
    for i, step in enumerate(known):
        weight = (1, 1 if step in critical else 0)
        best.append(weight)
        previous.append(-1)
        for j in range(i):
            if position[known[j]] < position[step]:
                candidate = (best[j][0] + weight[0], best[j][1] + weight[1])
                if candidate > best[i]:
                    best[i] = candidate
                    previous[i] = j
    end = max(range(count), key=lambda i: best[i])
    chain: list[str] = []
    while end != -1:
        chain.append(known[end])
        end = previous[end]
    return chain[::-1]


def _inverted(step: str, known: list[str], position: dict[str, int]) -> bool:
    here = known.index(step)
    return any((index < here) != (position[other] < position[step])
               for index, other in enumerate(known) if other != step)


def _reasons(answered: list[str], out_of_place: list[str], missing: list[str],
             unknown: list[str], safety: list[str]) -> list[str]:
    if not answered:
        return ["没有作答"]
    reasons: list[str] = []
    if safety:
        reasons.append("安全关键步骤顺序错误或缺失:" + "、".join(safety))
    if out_of_place:
        reasons.append("顺序不对的步骤:" + "、".join(out_of_place))
    if missing:
        reasons.append("缺少步骤:" + "、".join(missing))
    if unknown:
        reasons.append("不属于本题的步骤:" + "、".join(unknown))
    return reasons or ["顺序完全正确"]
