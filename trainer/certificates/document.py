"""What a certificate says: everything the PDF, the badge and the exports print.

The service layer fills a CertificateDocument from the database (holder, station and post are
copied at issue time); everything downstream only reads it, so rendering needs no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

VALID = "有效"
EXPIRED = "已过期"
SUSPENDED = "已暂停"
REVOKED = "已撤销"
STATUSES = (VALID, EXPIRED, SUSPENDED, REVOKED)

Score = Decimal | str


@dataclass(frozen=True)
class CertificateDocument:
    """One certificate as printed. `status` is the Chinese label (有效/已过期/已暂停/已撤销)
    as of printing; `verify_url` is the absolute URL of /v/<token>, built by the caller,
    since only the web layer knows the public address."""

    number: str
    holder_name: str
    employee_no: str
    station_name: str
    post_label: str
    qualification: str
    modules: tuple[tuple[str, Score], ...]
    issued_on: date
    expires_on: date
    certified_by_name: str
    status: str
    verify_url: str
    company_name: str = ""
    replaces_number: str | None = None
    # The day it was suspended or revoked: the page then says since when.
    status_changed_on: date | None = None

    def __post_init__(self) -> None:
        # Lists from JSON columns would make the dataclass unhashable; accept them as tuples.
        object.__setattr__(self, "modules", tuple((str(t), s) for t, s in self.modules))
        if self.status not in STATUSES:
            raise ValueError(f"证书状态必须是 {'/'.join(STATUSES)} 之一,收到:{self.status!r}")
        if not self.verify_url.startswith(("https://", "http://")):
            raise ValueError(f"核验地址必须是完整网址(http:// 或 https:// 开头):{self.verify_url!r}")
        if self.expires_on < self.issued_on:
            raise ValueError("有效期截止日期不能早于发证日期")
        for field in ("number", "holder_name", "station_name", "post_label", "qualification"):
            if not str(getattr(self, field)).strip():
                raise ValueError(f"证书缺少必填内容:{field}")

    @property
    def is_valid(self) -> bool:
        """Whether the certificate was in force when printed."""
        return self.status == VALID


def format_score(score: Score) -> str:
    """A score as printed: '92.50' and Decimal('92.50') print as 92.5, 100 as 100."""
    try:
        value = Decimal(str(score).strip())
    except ArithmeticError:
        return str(score).strip()
    if not value.is_finite():
        return str(score).strip()
    text = format(value.normalize(), "f")
    return text


def format_date(day: date) -> str:
    """A date the way a Chinese certificate writes it: 2026年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"
