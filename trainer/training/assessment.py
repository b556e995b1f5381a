"""Assessment sittings: whether a person may start one, how many he has left, deadlines,
and when answers may be shown.

A module's assessment has parts (trainer.progress: 理论测验, 情景对话考核). Each part may be
taken `max_attempts` times within the window open for the person; a sitting's deadline is its
time limit or the window's end, whichever comes first. An unfinished sitting is resumed, not
started again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from trainer.attempts.service import answers_revealed  # noqa: F401  (re-exported)
from trainer.content import Module
from trainer.extensions import db
from trainer.models import AssessmentWindow, Attempt, AttemptStatus, Mode, User
from trainer.progress import PART_LABELS, assessed_parts
from trainer.progress.results import PART_KINDS
from trainer.refusals import Refused
from trainer.timeutil import now
from trainer.windows.service import open_window


class AssessmentRefused(Refused):
    """The person may not start this sitting; the message says why (Chinese)."""


@dataclass(frozen=True)
class PartState:
    """One part of a module's assessment as the person sees it right now."""

    part: str
    label: str
    window: AssessmentWindow | None
    used: int
    allowed: int
    in_progress: Attempt | None
    reason: str        # why he cannot start, empty when he can

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.used)

    @property
    def can_start(self) -> bool:
        return not self.reason


def part_state(user: User, module: Module, part: str, at: datetime | None = None) -> PartState:
    """Whether the person may start (or resume) this part now, and why not."""
    at = at or now()
    window = open_window(user, module.id, at) if module.policy.mode == "assessment" else None
    label = PART_LABELS[part]
    if part not in assessed_parts(module):
        return PartState(part, label, window, 0, 0, None, "本模块没有这部分考核")
    if window is None:
        return PartState(part, label, None, 0, 0, None, "现在没有开放的考核")
    sittings = _sittings(user, window, part)
    in_progress = next((a for a in sittings if a.status == AttemptStatus.IN_PROGRESS
                        and (a.deadline_at is None or a.deadline_at > at)), None)
    used = len(sittings)
    reason = ""
    if in_progress is None and used >= window.max_attempts:
        reason = f"本次考核的 {window.max_attempts} 次机会已用完"
    return PartState(part, label, window, used, window.max_attempts, in_progress, reason)


def _sittings(user: User, window: AssessmentWindow, part: str) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.window_id == window.id,
                              Attempt.kind == PART_KINDS[part], Attempt.mode == Mode.ASSESSMENT)
        .order_by(Attempt.id)))


def lock_person(user: User) -> None:
    """Serialise starts of one person's sittings (PostgreSQL row lock; SQLite writes are
    serialised anyway), so two taps cannot both take the last attempt."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def deadline_for(window: AssessmentWindow, at: datetime) -> datetime:
    """The sitting's deadline: its time limit, but never after the window closes."""
    if window.time_limit_minutes:
        return min(at + timedelta(minutes=window.time_limit_minutes), window.closes_at)
    return window.closes_at


def overdue(attempt: Attempt, at: datetime | None = None) -> bool:
    """Whether an unfinished attempt's time ran out."""
    return (attempt.status == AttemptStatus.IN_PROGRESS and attempt.deadline_at is not None
            and attempt.deadline_at <= (at or now()))
