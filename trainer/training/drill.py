"""Timed drill self-practice: put the fueling sequence in order against a clock.

The trainee taps the steps in order while a clock runs (or numbers them without JavaScript).
The order is scored like an ordering question (a safety-critical step out of place fails it);
the time counts from the start of the attempt on the server, or the page's own clock when it
is plausible (it leaves out the page loading). Passed when the order passes and the time is
within SECONDS_PER_STEP per step. The real time limits at the pump (熄火到开枪 30 秒, 收款
时限 of the station's rule set) are shown beside it: the station head times those.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer.attempts import service as attempts
from trainer.content import Drill, Module, TimeLimit
from trainer.models import Attempt, AttemptKind, AttemptStatus, Mode, User, Verdict
from trainer.refusals import Refused
from trainer.scoring import score_ordering
from trainer.timeutil import now

SECONDS_PER_STEP = 5
# The page's clock may run a little ahead of the server's second-resolution one.
CLOCK_SLACK_SECONDS = 2


class DrillError(Refused):
    """The drill cannot do this; the message is for the trainee."""


@dataclass(frozen=True)
class DrillEntry:
    module: Module
    drill: Drill


def drills(modules: tuple[Module, ...]) -> list[DrillEntry]:
    return [DrillEntry(module, drill) for module in modules for drill in module.drills]


def find_drill(modules: tuple[Module, ...], drill_id: str) -> DrillEntry | None:
    return next((d for d in drills(modules) if d.drill.id == drill_id), None)


def time_allowed(drill: Drill) -> int:
    """Seconds allowed to put the steps in order."""
    return SECONDS_PER_STEP * len(drill.steps)


def pump_limits(drill: Drill, rule_set_ids: frozenset[str] | None) -> tuple[TimeLimit, ...]:
    """The limits a station following these rule sets times at the pump."""
    return drill.limits_for(rule_set_ids)


def start_drill(user: User, entry: DrillEntry, *, submit_key: str | None = None) -> Attempt:
    """Open a drill attempt with the steps shuffled (the caller commits)."""
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None and existing.user_id == user.id:
        return existing
    seed = secrets.randbelow(2**31)
    steps = [step.id for step in entry.drill.steps]
    rng = random.Random(seed)
    for _ in range(10):
        rng.shuffle(steps)
        if steps != [step.id for step in entry.drill.steps]:
            break
    return attempts.start_attempt(
        user, module_id=entry.module.id, module_version=entry.module.version,
        kind=AttemptKind.DRILL, mode=Mode.PRACTICE, item_id=entry.drill.id, seed=seed,
        submit_key=submit_key,
        presented={"steps": steps, "seconds_allowed": time_allowed(entry.drill)})


def elapsed_seconds(attempt: Attempt, client_ms: Any, at: datetime | None = None) -> float:
    """The time taken: the page's clock when it is plausible, else the server's."""
    server = max(0.0, ((at or now()) - attempt.started_at).total_seconds())
    try:
        client = float(client_ms) / 1000
    except (TypeError, ValueError):
        return server
    if 0 < client <= server + CLOCK_SLACK_SECONDS:
        return round(client, 1)
    return server


def submit_drill(attempt: Attempt, drill: Drill, order: list[str], client_ms: Any,
                 at: datetime | None = None) -> Attempt:
    """Score the order and the time, and close the attempt (caller commits). A second submit
    returns the attempt as it is."""
    if attempt.status == AttemptStatus.SCORED:
        return attempt
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise DrillError("这次演练已经结束")
    known = {step.id for step in drill.steps}
    order = [step for step in dict.fromkeys(order) if step in known]
    if len(order) != len(drill.steps):
        raise DrillError("请把每一步都排进顺序后再提交")
    seconds = elapsed_seconds(attempt, client_ms, at)
    allowed = int((attempt.presented or {}).get("seconds_allowed") or time_allowed(drill))
    result = score_ordering([s.id for s in drill.steps], order,
                            [s.id for s in drill.steps if s.safety_critical])
    in_time = seconds <= allowed
    passed = result.passed and in_time
    texts = {step.id: step.text for step in drill.steps}
    reasons = [] if in_time else [f"用时 {seconds:.0f} 秒，超过 {allowed} 秒"]
    if result.safety_failures:
        reasons.append("安全关键步骤顺序错误：" + "、".join(texts[s] for s in result.safety_failures))
    if result.out_of_place:
        reasons.append("顺序不对的步骤：" + "、".join(texts[s] for s in result.out_of_place))
    attempts.record_checked_answer(
        attempt, 0, item_id=drill.id, prompt=drill.title,
        expected=";".join(f"{i}. {s.text}" for i, s in enumerate(drill.steps, start=1)),
        answer={"order": order, "seconds": seconds},
        score=result.score, verdict=Verdict.PASS if passed else Verdict.FAIL,
        result={**result.to_dict(), "seconds": seconds, "allowed": allowed, "in_time": in_time,
                "reasons": reasons or ["顺序正确，用时在要求之内"]})
    return attempts.finish_attempt(attempt, expected_turns=1)
