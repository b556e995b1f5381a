"""Spaced repetition with FSRS (the `fsrs` package, the algorithm Anki uses), in local time.

Pure: no Flask, no database. A `Memory` is one person's FSRS state of one item; `review`
applies one answer to it (pass -> Good, borderline -> Hard, fail -> Again) and says when the
item is due again for the target retention. `choose` picks a daily session: due items first
(most overdue first), then a few never-seen ones, within the daily cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import fsrs

from trainer.timeutil import TIMEZONE

RATINGS: Mapping[str, fsrs.Rating] = {
    "pass": fsrs.Rating.Good, "review": fsrs.Rating.Hard, "fail": fsrs.Rating.Again,
}


@dataclass(frozen=True)
class Memory:
    """FSRS state of one item for one person; times are naive local."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0
    last_rating: int | None = None


def new_memory(at: datetime) -> Memory:
    """An item never answered: learning, due now."""
    card = fsrs.Card(card_id=1, due=_utc(at))
    return Memory(int(card.state), card.step, None, None, at, None)


def scheduler(retention: float = 0.9, fuzz: bool = True) -> fsrs.Scheduler:
    """An FSRS scheduler aiming at `retention` (the chance of recalling an item when due)."""
    return fsrs.Scheduler(desired_retention=retention, enable_fuzzing=fuzz)


def rating_for(verdict: str | None) -> fsrs.Rating:
    """The FSRS rating of an answer's verdict (anything but pass or review is Again)."""
    return RATINGS.get(verdict or "", fsrs.Rating.Again)


def review(memory: Memory, verdict: str | None, at: datetime,
           planner: fsrs.Scheduler) -> Memory:
    """The memory after one answer given at `at` (naive local time)."""
    rating = rating_for(verdict)
    # FSRS counts elapsed time forward only: an answer stamped before the last review (two in
    # the same second, a recording recognised late) is applied at the last review's time.
    when = max(at, memory.last_review) if memory.last_review else at
    card = fsrs.Card(card_id=1, state=fsrs.State(memory.state), step=memory.step,
                     stability=memory.stability, difficulty=memory.difficulty,
                     due=_utc(memory.due),
                     last_review=_utc(memory.last_review) if memory.last_review else None)
    card, _ = planner.review_card(card, rating, review_datetime=_utc(when))
    lapsed = rating == fsrs.Rating.Again and memory.state == int(fsrs.State.Review)
    return replace(memory, state=int(card.state), step=card.step, stability=card.stability,
                   difficulty=card.difficulty, due=_local(card.due), last_review=when,
                   reps=memory.reps + 1, lapses=memory.lapses + lapsed, last_rating=int(rating))


def retrievability(memory: Memory, at: datetime, planner: fsrs.Scheduler) -> float:
    """The predicted chance of recalling the item now (0 for one never answered)."""
    if memory.last_review is None or memory.stability is None:
        return 0.0
    card = fsrs.Card(card_id=1, state=fsrs.State(memory.state), step=memory.step,
                     stability=memory.stability, difficulty=memory.difficulty,
                     due=_utc(memory.due), last_review=_utc(memory.last_review))
    return float(planner.get_card_retrievability(card, _utc(at)))


def choose(due: Mapping[str, datetime], unseen: Sequence[str], at: datetime, *,
           size: int, done_today: int, daily_cap: int, new_limit: int) -> list[str]:
    """A session: due items (most overdue first), then up to `new_limit` unseen ones, at most
    `size` items and no more than the daily cap leaves."""
    room = max(0, min(size, daily_cap - done_today))
    overdue = sorted((item for item, when in due.items() if when <= at),
                     key=lambda item: (due[item], item))
    chosen = overdue[:room]
    fresh = [item for item in unseen if item not in due][:max(0, min(new_limit, room - len(chosen)))]
    return chosen + fresh


def due_count(due: Iterable[datetime], at: datetime) -> int:
    return sum(when <= at for when in due)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=TIMEZONE).astimezone(UTC)


def _local(at: datetime) -> datetime:
    return at.astimezone(TIMEZONE).replace(tzinfo=None, microsecond=0)
