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
