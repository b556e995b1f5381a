"""Spoken assessments: who may type instead of speak, and why (station head's decision)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now


class SpeakingExemption(db.Model):
    """The head marked a person as unable to speak for one assessment window's spoken check
    (a sore throat, a hearing or speech impairment): his turns of it may then be typed.

    Every grant is also in the audit log; rows are never changed, only added.
    """

    __tablename__ = "speaking_exemption"
    __table_args__ = (UniqueConstraint("user_id", "window_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("assessment_window.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
