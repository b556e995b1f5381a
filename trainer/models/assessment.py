"""Assessment windows: when a module's assessment is open, for whom, and how it is graded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now
from trainer.vocabulary import GRADING_LABELS, Grading  # noqa: F401 - re-exported


class AssessmentWindow(db.Model):
    """A module's assessment, open between two times, set by a station head (his station) or HR
    (one station or all, station_id None)."""

    __tablename__ = "assessment_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(String(60), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(DateTime)
    closes_at: Mapped[datetime] = mapped_column(DateTime)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer, default=2)
    grading: Mapped[str] = mapped_column(String(10), default=Grading.HIGHEST)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set by HR or admin (a head may not change it): the only windows in which a station head
    # sits his own assessments.
    hr_managed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    def is_open(self, at: datetime) -> bool:
        return self.opens_at <= at < self.closes_at
