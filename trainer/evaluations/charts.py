"""Charts of evaluations as plain geometry for a server-rendered SVG (pure: no Flask).

No chart library, nothing from a CDN, no script: the template draws lines, circles and
rectangles at the coordinates computed here, and CSS colours them by class. The SVG scales to
the screen (viewBox), so one geometry serves a 360-px phone and a PC.

- :func:`score_trend` - a person's totals (and component scores) period by period, with the
  grade band boundaries as guide lines; a period without a total leaves a gap.
- :func:`grade_distribution` - how many of a station's people got each grade in a period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 34, 46
LABEL_WIDTH = 110     # room a period label needs at the chart's font size

SERIES_LABELS = {"total": "总分", "theory": "理论", "spoken": "口语", "practical": "实操",
                 "service": "服务记录"}


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    text: str          # the value as printed beside it / in its tooltip


@dataclass(frozen=True)
class Series:
    key: str           # total, theory, ... (the CSS class suffix)
    label: str
    lines: tuple[str, ...]   # SVG polyline "points" strings; a gap starts a new one
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class Guide:
    y: float
    label: str         # e.g. "90 优秀"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    series: tuple[Series, ...]
    guides: tuple[Guide, ...]
    ticks: tuple[Tick, ...]
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT

    @property
    def empty(self) -> bool:
        return not any(s.dots for s in self.series)


def score_trend(title: str, periods: Sequence[tuple[str, Mapping[str, Decimal | None]]],
                bands: Sequence[tuple[str, Decimal]], height: int = 300) -> LineChart:
    """`periods`: (label, {series key: value or None}) oldest first; `bands`: (grade name,
    lower bound) drawn as guide lines. The value axis starts at the nearest ten below the
    lowest value and the lowest guide (at most 0), and ends at 100."""
    values = [v for _, row in periods for v in row.values() if v is not None]
    floor_value = min([*values, *(low for _, low in bands if low > 0)], default=Decimal(60))
    low = max(Decimal(0), (floor_value - 5) // 10 * 10)
    plot_height = height - TOP - BOTTOM
    span = WIDTH - LEFT - RIGHT
    step = span / max(1, len(periods) - 1) if len(periods) > 1 else 0.0

    def x_of(index: int) -> float:
        return round(LEFT + (index * step if len(periods) > 1 else span / 2), 1)

    def y_of(value: Decimal) -> float:
        share = (value - low) / (Decimal(100) - low) if low < 100 else Decimal(1)
        return round(TOP + plot_height * (1 - float(share)), 1)

    keys = [key for key in SERIES_LABELS if any(key in row for _, row in periods)]
    series = []
    for key in keys:
        lines: list[Any] = []
        current: list[Any] = []
        dots: list[Any] = []
        for index, (_, row) in enumerate(periods):
            value = row.get(key)
            if value is None:
                if current:
                    lines.append(current)
                current = []
                continue
            dot = Dot(x_of(index), y_of(value), _number(value))
            dots.append(dot)
            current.append(f"{dot.x},{dot.y}")
        if current:
            lines.append(current)
        series.append(Series(key, SERIES_LABELS[key], tuple(" ".join(p) for p in lines),
                             tuple(dots)))
    guides = [Guide(y_of(lower), f"{_number(lower)} {name}") for name, lower in bands
              if low < lower < 100]
    guides.append(Guide(y_of(Decimal(100)), "100"))
    # Many periods: label every few so the labels never overlap (the last always).
    every = max(1, -(-len(periods) * LABEL_WIDTH // span)) if periods else 1
    ticks = tuple(Tick(x_of(i), label if (len(periods) - 1 - i) % every == 0 else "")
                  for i, (label, _) in enumerate(periods))
    return LineChart(title, WIDTH, height, tuple(series), tuple(guides), ticks)


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    tone: str          # CSS class suffix: top, mid, low, none

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class ColumnChart:
    title: str
    width: int
    height: int
    baseline: float
    columns: tuple[Column, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.columns)


def grade_distribution(title: str, counts: Mapping[str, int], grades: Sequence[str],
                       failing: Sequence[str] = (), extra: Sequence[str] = (),
                       height: int = 230) -> ColumnChart:
    """One column per grade (`grades` from the best down), then the `extra` labels (such as
    暂无等级) when they have any. The best grade's column is "top", the `failing` ones "low",
    extras "none", the rest "mid"."""
    labels = list(grades) + [label for label in extra if counts.get(label)]
    most = max([counts.get(label, 0) for label in labels] + [1])
    slot = (WIDTH - 2 * 16) / max(1, len(labels))
    bar = min(90.0, slot * 0.6)
    baseline = height - 48
    usable = baseline - 34
    columns = []
    for index, label in enumerate(labels):
        count = counts.get(label, 0)
        tall = round(usable * count / most, 1)
        if label in extra:
            tone = "none"
        elif label in failing:
            tone = "low"
        elif index == 0:
            tone = "top"
        else:
            tone = "mid"
        columns.append(Column(label, count, round(16 + slot * index + (slot - bar) / 2, 1),
                              round(baseline - tall, 1), round(bar, 1), tall, tone))
    return ColumnChart(title, WIDTH, height, baseline, tuple(columns))


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return text
