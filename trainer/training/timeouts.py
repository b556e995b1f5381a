"""Closing sittings whose time ran out, before a page shows the person's attempts; and
practice left behind with nothing to score (a silent recording, a page opened and left), which
would otherwise stay 进行中 / 待识别 in 练习记录 forever."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import Attempt, AttemptKind, AttemptStatus, Mode, ResponseStatus, User
from trainer.timeutil import now
from trainer.training import quiz, roleplay

# A single-phrase practice with no scored answer this long after it started is closed.
ABANDONED_AFTER = timedelta(minutes=30)


def close_overdue_attempts(user: User, library: ContentLibrary) -> int:
    """Score overdue quizzes from their saved answers and finish overdue role-plays, close
    abandoned practice (commits)."""
    closed = quiz.close_overdue(user, library) + roleplay.close_overdue(user) \
        + close_abandoned_practice(user)
    if closed:
        db.session.commit()
    return closed


def unscorable(response: Any) -> bool:
    """An answer that will never get a score: heard as silence, or its recognition failed."""
    asr = response.asr or {}
    return response.status == ResponseStatus.PENDING and bool(asr.get("no_speech")
                                                             or response.error)


def close_abandoned_practice(user: User, at: datetime | None = None) -> int:
    """Single-phrase practice without a scorable answer after ABANDONED_AFTER is closed
    (未完成, or 未识别到语音 when a recording was silent); a daily session of an earlier day is
    finished with what was answered (the caller commits)."""
    from trainer.training import daily

    at = at or now()
    rows = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.mode == Mode.PRACTICE,
                              Attempt.kind.in_((AttemptKind.PHRASE, AttemptKind.DAILY)),
                              Attempt.status.in_((AttemptStatus.IN_PROGRESS,
                                                  AttemptStatus.PENDING)),
                              Attempt.started_at < at - ABANDONED_AFTER)))
    closed = 0
    for attempt in rows:
        if attempt.kind == AttemptKind.DAILY:
            if attempt.started_at < datetime.combine(at.date(), time()):
                daily.finish_session(attempt)
                closed += 1
        elif all(unscorable(r) for r in attempt.responses):
            attempt.status = AttemptStatus.EXPIRED
            attempt.submitted_at = attempt.submitted_at or at
            closed += 1
    return closed


def status_label(attempt: Attempt, labels: dict) -> str:
    """The state 练习记录 shows: 未识别到语音 for practice closed on a silent recording."""
    if attempt.status == AttemptStatus.EXPIRED and any(
            (r.asr or {}).get("no_speech") for r in attempt.responses):
        return "未识别到语音"
    return labels.get(attempt.status, attempt.status)
