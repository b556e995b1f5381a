"""A person's attempts of every kind, newest first, and how each is named on his pages."""

from __future__ import annotations

from sqlalchemy import select

from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import Attempt, AttemptKind, AttemptStatus, Mode, User

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


def attempts_of(user: User, page: int = 1) -> tuple[list[Attempt], bool]:
    """One page of the person's attempts, newest first, and whether there are more."""
    page = max(1, page)
    rows = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def attempt_title(attempt: Attempt, library: ContentLibrary) -> str:
    """What the attempt was about: the dialogue's title, the phrase's scene, the module."""
    presented = attempt.presented or {}
    if presented.get("title"):
        return str(presented["title"])
    for item_id in (attempt.item_id, None):
        try:
            item = library.item(item_id) if item_id else library.module(attempt.module_id)
        except KeyError:
            continue
        return str(getattr(item, "title", None) or getattr(item, "scene", None) or item_id)
    return attempt.module_id
