"""Numbers typed into URLs and form fields: record ids, positions, counts.

``str.isdigit`` admits "²" (which ``int`` refuses) and ``int`` admits numbers past any
database column ("99999999999999999999" would make SQLite raise OverflowError and PostgreSQL
"integer out of range"): a request must get a 404 or a Chinese message, never a 500. Pure code.
"""

from __future__ import annotations

from typing import Any

# PostgreSQL INTEGER, the type of every id column; SQLite's are wider but never get there.
MAX_ID = 2**31 - 1


def parse_count(text: Any, limit: int = MAX_ID) -> int | None:
    """A whole number of ASCII digits from 0 to `limit`, else None."""
    value = str(text).strip() if text is not None else ""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(limit)):
        return None
    number = int(value)
    return number if number <= limit else None


def parse_id(text: Any) -> int | None:
    """A record id (1 to MAX_ID, ASCII digits) from a form field or query string, else None.

    Usable as ``request.args.get("station", type=parse_id)``."""
    number = parse_count(text)
    return number if number else None
