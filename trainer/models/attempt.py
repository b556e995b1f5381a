"""Attempts: everything a trainee answers, with the scores it got and why.

An attempt is one sitting: a quiz over a module, one spoken phrase, a role-play encounter,
a drill. Its responses are the answered questions or spoken turns. A borderline result goes
to the station head's review; his decision becomes the attempt's final result, and only
final results of assessment attempts feed certification and evaluations.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import now
from trainer.vocabulary import (  # noqa: F401 - re-exported: the models' names for the vocabulary
    VERDICT_LABELS,
    AttemptKind,
    AttemptStatus,
    Mode,
    ResponseStatus,
    ReviewState,
    Verdict,
)


class Attempt(db.Model):
    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The station at the time of the attempt: staff may move, the record stays where it was made.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    module_id: Mapped[str] = mapped_column(String(60), index=True)
    module_version: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20), default=Mode.PRACTICE)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_window.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What was presented (question order, option order, placeholder values), so a resumed or
    # reviewed attempt shows exactly what the trainee saw.
    seed: Mapped[int] = mapped_column(Integer, default=0)
    presented: Mapped[dict | None] = mapped_column(JSON)
    # The automatic result, and the final one (equal unless a station head decided otherwise).
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    verdict: Mapped[str | None] = mapped_column(String(10))
    final_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    final_verdict: Mapped[str | None] = mapped_column(String(10))
    review_state: Mapped[str] = mapped_column(String(10), default=ReviewState.NONE)
    review_requested_reason: Mapped[str] = mapped_column(Text, default="")
    # A form's one-time key: a double submit or a back-button resubmit finds the first attempt.
    submit_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    responses: Mapped[list[AttemptResponse]] = relationship(
        back_populates="attempt", order_by="AttemptResponse.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="attempt", order_by="Review.id", cascade="all, delete-orphan"
    )

    @property
    def counts(self) -> bool:
        """Whether this attempt may feed certification and evaluations."""
        return (
            self.mode == Mode.ASSESSMENT
            and self.status == AttemptStatus.SCORED
            and self.review_state != ReviewState.PENDING
            and self.final_verdict in (Verdict.PASS, Verdict.FAIL)
        )


class AttemptResponse(db.Model):
    """One answered question, or one spoken/typed turn of a role-play."""

    __tablename__ = "attempt_response"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(80))
    turn_id: Mapped[str | None] = mapped_column(String(80))
    prompt: Mapped[str] = mapped_column(Text, default="")
    # The approved phrasing with this attempt's values filled in, and the values themselves.
    expected: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[dict | None] = mapped_column(JSON)
    answer: Mapped[dict | None] = mapped_column(JSON)        # typed text or chosen options
    recording_key: Mapped[str | None] = mapped_column(String(200))
    transcript: Mapped[str | None] = mapped_column(Text)
    asr: Mapped[dict | None] = mapped_column(JSON)           # engine, duration, timings, no_speech
    status: Mapped[str] = mapped_column(String(10), default=ResponseStatus.SCORED)
    error: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    verdict: Mapped[str | None] = mapped_column(String(10))
    result: Mapped[dict | None] = mapped_column(JSON)        # the scoring engine's explanation
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")


class Review(db.Model):
    """A station head's decision on an attempt; the original result stays beside it."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    previous_verdict: Mapped[str | None] = mapped_column(String(10))
    previous_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    verdict: Mapped[str] = mapped_column(String(10))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    reason: Mapped[str] = mapped_column(Text)

    attempt: Mapped[Attempt] = relationship(back_populates="reviews")
