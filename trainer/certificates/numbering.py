"""Certificate numbers: JQZ-2026-000123-7, with a check digit that catches typing mistakes.

The last digit is a Damm check digit over the year and the sequence. Damm detects every
single-digit error and every swap of two adjacent digits, so a number read off a certificate
and mistyped on the verify page is reported as invalid instead of finding someone else's
certificate (or a plausible "not found").
"""

from __future__ import annotations

import re
import unicodedata

PREFIX = "JQZ"  # 加气站
MIN_SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 99_999_999

# The Damm quasigroup of order 10 (weakly totally anti-symmetric).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Letters people type for digits when copying a printed number; only read as digits after
# the prefix, where no letter can stand.
_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·—–−/]+")
_SHAPE = re.compile(rf"{PREFIX}(\d{{4}})(\d{{{MIN_SEQUENCE_DIGITS},8}})(\d)")


def check_digit(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return str(interim)


def format_number(year: int, sequence: int) -> str:
    """The certificate number of the `sequence`-th certificate issued in `year`:
    format_number(2026, 123) == 'JQZ-2026-000123-' + check digit."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"年份必须是四位数:{year}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"证书序号必须在 1 到 {MAX_SEQUENCE} 之间:{sequence}")
    serial = f"{sequence:0{MIN_SEQUENCE_DIGITS}d}"
    return f"{PREFIX}-{year}-{serial}-{check_digit(f'{year}{serial}')}"


def parse_number(text: str) -> str | None:
    """The canonical number for what someone typed, or None when it cannot be a certificate
    number (wrong shape or wrong check digit).

    Accepts lower case, full-width characters (ＪＱＺ－２０２６…), spaces or other separators
    anywhere, and O/I/L typed for 0/1 in the digits.
    """
    if not text:
        return None
    # NFKC turns full-width letters, digits and dashes into ASCII.
    folded = unicodedata.normalize("NFKC", text).upper()
    compact = _SEPARATORS.sub("", folded)
    if not compact.startswith(PREFIX):
        return None
    compact = PREFIX + compact[len(PREFIX):].translate(_LOOKALIKE_DIGITS)
    match = _SHAPE.fullmatch(compact)
    if match is None:
        return None
    year, serial, check = match.groups()
    if check_digit(year + serial) != check:
        return None
    sequence = int(serial)
    # Extra leading zeros are a typo too, not another spelling of the same number.
    if sequence == 0 or serial != f"{sequence:0{MIN_SEQUENCE_DIGITS}d}":
        return None
    return f"{PREFIX}-{year}-{serial}-{check}"

