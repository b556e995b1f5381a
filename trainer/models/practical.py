"""Practical checks a station head runs at the pump: grooming checklist, timed fueling drill,
live spoken phrases. They feed certification and the practical component of evaluations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now
from trainer.vocabulary import PRACTICAL_LABELS, PracticalKind  # noqa: F401 - re-exported


class PracticalCheck(db.Model):
    __tablename__ = "practical_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    examiner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))
    module_id: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[str] = mapped_column(String(80))
    module_version: Mapped[str] = mapped_column(String(64))
    performed_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool] = mapped_column(Boolean)
    # Item-by-item results, step times against their limits, or the phrases and their results.
    details: Mapped[dict] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    submit_key: Mapped[str | None] = mapped_column(String(64), unique=True)
