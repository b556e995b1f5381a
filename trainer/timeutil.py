"""Time as the stations live it: naive local datetimes in the company's time zone.

Periods (a month of evaluations, an assessment window, a certificate's expiry) are local
dates, so every timestamp is stored as local time; China has no daylight saving, so a naive
local time is unambiguous.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo(os.environ.get("TRAINER_TIMEZONE", "Asia/Shanghai"))


def now() -> datetime:
    return datetime.now(TIMEZONE).replace(tzinfo=None, microsecond=0)


def today() -> date:
    return now().date()


def when_text(at: datetime | None, on: datetime | None = None) -> str:
    """A time as pages show it: 今天 09:15 for today, otherwise the full date with its year
    (a bare 12-25 reads as a future date when it was last year's)."""
    if at is None:
        return "—"
    on = on or now()
    if at.date() == on.date():
        return f"今天 {at:%H:%M}"
    return f"{at:%Y-%m-%d %H:%M}"
