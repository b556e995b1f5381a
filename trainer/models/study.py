"""Study cards a person has read through (学习卡片), for his progress per module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now


class CardStudy(db.Model):
    __tablename__ = "card_study"
    __table_args__ = (UniqueConstraint("user_id", "card_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    card_id: Mapped[str] = mapped_column(String(80))
    module_id: Mapped[str] = mapped_column(String(60))
    # The module version the card was read in, for the record.
    module_version: Mapped[str] = mapped_column(String(64))
    studied_at: Mapped[datetime] = mapped_column(DateTime, default=now)
