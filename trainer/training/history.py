"""A person's attempts of every kind, newest first, and how each is named on his pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import Attempt, AttemptKind, AttemptStatus, Mode, User
from trainer.refusals import Refused
from trainer.timeutil import now

KIND_LABELS = {
    AttemptKind.QUIZ: "测验", AttemptKind.PHRASE: "单句口语", AttemptKind.DIALOGUE: "情景对话",
    AttemptKind.DRILL: "计时演练", AttemptKind.DAILY: "每日练习",
}
MODE_LABELS = {Mode.PRACTICE: "练习", Mode.ASSESSMENT: "考核"}
STATUS_LABELS = {
    AttemptStatus.IN_PROGRESS: "进行中", AttemptStatus.PENDING: "待识别",
    AttemptStatus.SCORED: "已评分", AttemptStatus.EXPIRED: "未完成",
}
PAGE_SIZE = 30


class HistoryError(Refused):
    """The attempt cannot be closed; the message is for the trainee."""


def attempts_of(user: User, page: int = 1) -> tuple[list[Attempt], bool]:
    """One page of the person's attempts, newest first, and whether there are more."""
    page = max(1, page)
    rows = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id)
        .options(selectinload(Attempt.responses))     # for the state each row shows
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def closable(attempt: Attempt) -> bool:
    """A single-phrase practice still open with no answer that will be scored."""
    from trainer.training.timeouts import unscorable

    return (attempt.kind == AttemptKind.PHRASE and attempt.mode == Mode.PRACTICE
            and attempt.status in (AttemptStatus.IN_PROGRESS, AttemptStatus.PENDING)
            and all(unscorable(r) for r in attempt.responses))


def close(attempt: Attempt) -> None:
    """Close it as 未完成 (未识别到语音 when its recording was silent); the caller commits."""
    if not closable(attempt):
        raise HistoryError("这次练习已有答案或已结束，不能关闭。")
    attempt.status = AttemptStatus.EXPIRED
    attempt.submitted_at = attempt.submitted_at or now()


def attempt_title(attempt: Attempt, library: ContentLibrary) -> str:
    """What the attempt was about: the dialogue's title, the phrase's scene, the module."""
    presented = attempt.presented or {}
    if attempt.kind == AttemptKind.DAILY:
        return "每日练习"          # its items come from several modules
    if presented.get("title"):
        return str(presented["title"])
    for item_id in (attempt.item_id, None):
        try:
            item = library.item(item_id) if item_id else library.module(attempt.module_id)
        except KeyError:
            continue
        return str(getattr(item, "title", None) or getattr(item, "scene", None) or item_id)
    return attempt.module_id
