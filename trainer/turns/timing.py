"""How long a short answer takes to recognise in this server process: the recognition pool
notes each job's time (a moving average), the pages read it for their estimate. Kept apart so
that the turn rules read it without importing the pool (no import cycle)."""

from __future__ import annotations

import os
import threading
from typing import Any

DEFAULT_SECONDS = 2.0
_estimates: dict[tuple[int, int], float] = {}
_lock = threading.Lock()


def note(app: Any, seconds: float) -> float:
    """Add one short job's time to this process's average for ``app``; returns the average."""
    key = (os.getpid(), id(app))
    with _lock:
        average = 0.8 * _estimates.get(key, DEFAULT_SECONDS) + 0.2 * seconds
        _estimates[key] = average
    return average


def seconds_per_answer(app: Any = None) -> float:
    """About how long one short answer takes to recognise here (for the page's estimate)."""
    if app is None:
        from flask import current_app

        app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy
    return round(_estimates.get((os.getpid(), id(app)), DEFAULT_SECONDS), 1)
