"""The result of scoring one answer, as the UI and the attempt records read it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from trainer.scoring.alignment import DiffOp
from trainer.scoring.forbidden import ForbiddenHit

Verdict = Literal["pass", "fail", "review"]

# Why an answer failed or went to review, as codes other parts can act on (the speech layer
# lets an unbiased transcript's hard faults overrule a context-biased one). Hard faults are
# what a recogniser's bias could hide: they fail an answer whatever else it gets right.
# ("time-missing": a promise without its time limit; "time": a wrong or retracted limit.)
HARD_FAULTS = frozenset({"forbidden", "amount", "time", "time-missing", "name", "choice",
                         "negation", "rude"})

# Score bands, so the number and the verdict never contradict each other.
PASS_MIN = 60
REVIEW_MIN = 50


@dataclass(frozen=True)
class ScoreResult:
    """Score 0-100, verdict, and everything needed to explain it to the trainee.

    `matched_variant` is the approved phrasing (values filled in) that matched best;
    `forbidden_found` positions index the original answer; `diff` aligns that phrasing with
    the normalised answer; `reasons` are short Chinese sentences.
    """

    score: int
    verdict: Verdict
    matched_variant: str | None
    key_points_hit: list[str] = field(default_factory=list)
    key_points_missed: list[str] = field(default_factory=list)
    forbidden_found: list[ForbiddenHit] = field(default_factory=list)
    diff: list[DiffOp] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    normalized: str = ""
    faults: list[str] = field(default_factory=list)  # codes, see HARD_FAULTS
    # Parts of the answer that caused a fail or review (negated key point, rude or doubtful
    # remark): {"start", "end" (original answer indices), "kind", "label"} for the UI to mark.
    flags: list[dict] = field(default_factory=list)
    # True only for the pass verdict: review counts as not passed until a head decides.
    passed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "passed", self.verdict == "pass")

    @property
    def hard_faults(self) -> list[str]:
        """The fault codes that fail an answer outright (forbidden phrase, wrong amount,
        time limit or name, negated key point, rude addition)."""
        return [f for f in self.faults if f in HARD_FAULTS]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (lists and dicts of str, int, bool, None)."""
        return asdict(self)


def band(score: float, verdict: Verdict) -> int:
    """The score clamped into its verdict's band: pass 60-100, review 50-59, fail 0-49."""
    value = round(score)
    if verdict == "pass":
        return max(PASS_MIN, min(100, value))
    if verdict == "review":
        return max(REVIEW_MIN, min(PASS_MIN - 1, value))
    return max(0, min(REVIEW_MIN - 1, value))
