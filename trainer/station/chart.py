"""Horizontal bar charts as plain geometry for a server-rendered SVG (pure: no Flask).

No chart library and nothing from a CDN: the template draws <rect> and <text> elements at the
coordinates computed here, so the chart is part of the page, prints, and needs no JavaScript.
The SVG scales to the screen width (viewBox), so one geometry serves a 360-px phone and a PC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400
ROW_HEIGHT = 44
BAR_HEIGHT = 14
LABEL_HEIGHT = 18  # the label and the value sit on a line above their bar
TOP = 4
LABEL_CHARS = 20


@dataclass(frozen=True)
class Bar:
    """One row: its label and value on a line, the bar's box below them."""

    label: str
    value_text: str
    y: float       # top of the row
    width: float   # of the bar
    tone: str      # a CSS class suffix: good, warn, bad

    @property
    def text_y(self) -> float:
        return self.y + LABEL_HEIGHT - 4

    @property
    def bar_y(self) -> float:
        return self.y + LABEL_HEIGHT


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(title: str, rows: Sequence[tuple[str, float, str]], maximum: float,
              tones: Sequence[str] | None = None) -> Chart:
    """A chart of (label, value, value as printed) rows, bars scaled to `maximum`.

    `tones` gives each bar's colour class (default: all "good"). Labels longer than fit are
    shortened with an ellipsis (the table beside the chart has them whole).
    """
    bars = []
    for index, (label, value, text) in enumerate(rows):
        share = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
        tone = tones[index] if tones is not None else "good"
        bars.append(Bar(shorten(label, LABEL_CHARS), text, TOP + index * ROW_HEIGHT,
                        round(WIDTH * share, 1), tone))
    return Chart(title, tuple(bars), TOP * 2 + ROW_HEIGHT * max(1, len(bars)))


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def rate_tone(rate: float) -> str:
    """The colour of a failure rate: under a quarter good, under a half warn, else bad."""
    if rate < 0.25:
        return "good"
    return "warn" if rate < 0.5 else "bad"
