"""Daily practice (每日练习): one FSRS card per person and item, and how far his answers were read.

The card holds the FSRS memory state of one item (a phrase or a quiz question) for one person;
trainer/training/daily.py updates it from every scored answer he gives anywhere (quizzes,
role-plays, phrase practice, daily practice), oldest first, so weak items come back when
recall is due. Times are naive local time like every other timestamp.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now


class PracticeCard(db.Model):
    __tablename__ = "practice_card"
    __table_args__ = (UniqueConstraint("user_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(80))
    module_id: Mapped[str] = mapped_column(String(60))
    # FSRS state (fsrs.State: 1 learning, 2 review, 3 relearning), learning step, memory.
    state: Mapped[int] = mapped_column(Integer, default=1)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_review: Mapped[datetime | None] = mapped_column(DateTime)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    last_rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class PracticeSync(db.Model):
    """How far a person's scored answers have been applied to his cards: (scored_at, id) of the
    last one read. Scoring time, not creation, because a spoken turn is scored after later ones
    may have been typed."""

    __tablename__ = "practice_sync"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime)
    response_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
