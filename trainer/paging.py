"""One page of a long list: LIMIT/OFFSET on the query, the total counted once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from trainer.extensions import db

PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int          # 1-based
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(text: str | None) -> int:
    """The page asked for in ?page=; anything that is not a small positive number is page 1."""
    text = (text or "").strip()
    # isascii: "²" and other Unicode digits pass isdigit() but are not numbers int() reads.
    if not (text.isascii() and text.isdigit() and 0 < len(text) < 7):
        return 1
    return max(1, int(text))


def paginate(query: Select, number: int, per_page: int | None = None, *,
             scalars: bool = True) -> Page:
    """The `number`th page of an ordered query (a page past the end shows the last one)."""
    per_page = per_page or PER_PAGE
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    last = max(1, -(-(total or 0) // per_page))
    number = min(max(1, number), last)
    bounded = query.limit(per_page).offset((number - 1) * per_page)
    rows = list(db.session.scalars(bounded) if scalars else db.session.execute(bounded))
    return Page(rows, number, per_page, total or 0)
