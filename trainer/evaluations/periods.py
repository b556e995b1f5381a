"""Evaluation periods: a calendar month ("2026-11") or a calendar quarter ("2026-Q4").

A period is a range of local dates [start, end): the company's time zone, as every timestamp
is stored (see `trainer.timeutil`). A record belongs to the period of its local date. Pure
code: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime

from trainer.timeutil import TIMEZONE

MONTHLY = "monthly"
QUARTERLY = "quarterly"
PERIOD_KINDS = (MONTHLY, QUARTERLY)
PERIOD_KIND_LABELS = {MONTHLY: "按月", QUARTERLY: "按季度"}

_MONTH_KEY = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_KEY = re.compile(r"(\d{4})-[Qq](\d)")


@dataclass(frozen=True, order=True)
class Period:
    """One evaluation period: `index` is the month (1-12) or the quarter (1-4) of `year`."""

    kind: str
    year: int
    index: int

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"未知的考核周期类型:{self.kind}")
        # The last possible period must still have an end date that `date` can hold.
        if not MINYEAR <= self.year < MAXYEAR:
            raise ValueError(f"年份超出范围:{self.year}")
        last = 12 if self.kind == MONTHLY else 4
        if not 1 <= self.index <= last:
            unit = "月份" if self.kind == MONTHLY else "季度"
            raise ValueError(f"{unit}超出范围:{self.index}")

    @property
    def key(self) -> str:
        return format_period_key(self)

    @property
    def label(self) -> str:
        return period_label(self)


def local_date(at: date | datetime) -> date:
    """The local calendar date of a timestamp: naive datetimes are already local time; an
    aware one is converted to the company's time zone first; a date is itself."""
    if isinstance(at, datetime):
        if at.tzinfo is not None:
            at = at.astimezone(TIMEZONE)
        return at.date()
    return at


def period_for(day: date | datetime, kind: str = MONTHLY) -> Period:
    """The period of `kind` that contains the local date of `day`."""
    day = local_date(day)
    if kind == MONTHLY:
        return Period(MONTHLY, day.year, day.month)
    if kind == QUARTERLY:
        return Period(QUARTERLY, day.year, (day.month - 1) // 3 + 1)
    raise ValueError(f"未知的考核周期类型:{kind}")


def period_bounds(period: Period) -> tuple[date, date]:
    """Local dates [start, end): the first day of the period and the first day after it."""
    months = 1 if period.kind == MONTHLY else 3
    first_month = period.index if period.kind == MONTHLY else (period.index - 1) * 3 + 1
    start = date(period.year, first_month, 1)
    after = first_month - 1 + months            # zero-based month after the period
    end = date(period.year + after // 12, after % 12 + 1, 1)
    return start, end


def period_contains(period: Period, at: date | datetime) -> bool:
    """Whether the local date of `at` falls in [start, end) of the period."""
    start, end = period_bounds(period)
    return start <= local_date(at) < end


def period_label(period: Period) -> str:
    """What people read: 2026年11月, 2026年第4季度."""
    if period.kind == MONTHLY:
        return f"{period.year}年{period.index}月"
    return f"{period.year}年第{period.index}季度"


def format_period_key(period: Period) -> str:
    """The stable key stored with evaluations and used in URLs: 2026-11, 2026-Q4."""
    if period.kind == MONTHLY:
        return f"{period.year:04d}-{period.index:02d}"
    return f"{period.year:04d}-Q{period.index}"


def parse_period_key(key: str) -> Period:
    """The period a key names ("2026-11" monthly, "2026-Q4" quarterly); ValueError with a
    Chinese message for anything else."""
    text = key.strip() if isinstance(key, str) else ""
    if match := _MONTH_KEY.fullmatch(text):
        kind = MONTHLY
    elif match := _QUARTER_KEY.fullmatch(text):
        kind = QUARTERLY
    else:
        raise ValueError(f"无法识别的考核周期:{key!r}(应为 2026-11 或 2026-Q4 的形式)")
    try:
        return Period(kind, int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise ValueError(f"无法识别的考核周期:{key!r}({exc})") from None


def shift_period(period: Period, count: int) -> Period:
    """The period `count` steps later (negative: earlier) of the same kind."""
    per_year = 12 if period.kind == MONTHLY else 4
    position = period.year * per_year + period.index - 1 + count
    return Period(period.kind, position // per_year, position % per_year + 1)


def period_key_for(day: date | datetime, kind: str = MONTHLY) -> str:
    """`period_for(day, kind).key` without building the Period: grouping a year of records
    for thousands of people calls this once per record."""
    day = local_date(day)
    if kind == MONTHLY:
        return f"{day.year:04d}-{day.month:02d}"
    if kind == QUARTERLY:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    raise ValueError(f"未知的考核周期类型:{kind}")
