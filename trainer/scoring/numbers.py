"""Numbers that go with a unit: 三十五块钱, 七块五, 五毛, 2角, 320.5方, 一百二.

Only numeral runs next to a unit (or written in digits, or long enough to be unmistakably a
number such as 一百二) are read as amounts. 看一下 and 一共 keep their 一: converting every
numeral in a sentence is what turns 看一下 into 看1下.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MONEY = "元"
UNIT_LABELS = {MONEY: "元", "方": "方", "升": "升", "公斤": "公斤", "": ""}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9,
              # financial numerals (大写), as on receipts
              "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
              "仨": 3, "俩": 2}  # 仨 = 三个, 俩 = 两个: 仨块钱
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)
_CN_DIGIT_CHARS = "".join(_CN_DIGITS)

NUMERAL = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?万?"
    r"|\d+(?:\.\d+)?万?"
    rf"|[{_CN_CHARS}]+(?:点[{_CN_DIGIT_CHARS}]+)?"
)
_NONZERO_DIGITS = "".join(c for c, v in _CN_DIGITS.items() if v)
_SINGLE_DIGIT = re.compile(rf"[1-9{_NONZERO_DIGITS}]")
# What may follow a colloquial tail digit (七块五) without making it part of something else.
_NOT_AFTER_TAIL = re.compile(rf"[\d{_CN_CHARS}角毛分元块方升]|个|点")
# After a Chinese numeral with 点 and no unit, these make 点 a word of its own (点一下, 一点一点,
# 十点一刻, 一点儿).
_NOT_AFTER_DECIMAL = frozenset("下点刻分钟儿些")
# 一方面, 两方便: 方 starting another word is not a cubic metre.
_NOT_VOLUME_AFTER = frozenset("面便向法式案针位")
_VOLUME_UNITS = (("立方米", "方"), ("立方", "方"), ("方", "方"), ("m3", "方"), ("公升", "升"),
                 ("升", "升"), ("公斤", "公斤"), ("千克", "公斤"), ("kg", "公斤"))


@dataclass(frozen=True, slots=True)
class Amount:
    """A number found in a text: value, unit (元 方 升 公斤, or "" for a bare number) and span."""

    value: Decimal
    unit: str
    start: int
    end: int

    @property
    def token(self) -> str:
        """The canonical spelling that replaces the span: 35元, 7.5元, 320.5方."""
        return format_number(self.value) + self.unit


def format_number(value: Decimal) -> str:
    """35, 7.5, 0.5: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def parse_chinese_integer(text: str) -> int | None:
    """一百二 = 120, 三十五 = 35, 一百零五 = 105, 两万 = 20000, 一二零 = 120; None if unreadable."""
    if not text:
        return None
    if all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total = section = number = 0
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if char in _CN_DIGITS:
            if before in _CN_DIGITS and before not in "零〇":
                return None  # 三五十: two digits in a row inside a composed number
            number = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            if number == 0:
                if char not in "十拾":
                    return None
                number = 1  # 十五 is 15
            section += number * _CN_SMALL_UNITS[char]
            number = 0
        else:
            total = (total + section + number) * _CN_BIG_UNITS[char]
            section = number = 0
    if number and len(text) >= 2 and text[-2] in "百千万亿佰仟":
        # Colloquial: 一百二 is 120, 一万二 is 12000 (the unit after the last digit is implied).
        number *= {**_CN_SMALL_UNITS, **_CN_BIG_UNITS}[text[-2]] // 10
    return total + section + number


def parse_number(text: str) -> Decimal | None:
    """A numeral in digits or Chinese (with 点 for the decimal point) as a Decimal."""
    text = text.replace(",", "")
    multiplier = 1
    if text.endswith("万") and text[:-1].replace(".", "", 1).isdigit():
        text, multiplier = text[:-1], 10**4
    try:
        if text.replace(".", "", 1).isdigit():
            return Decimal(text) * multiplier
    except InvalidOperation:
        return None
    whole, _, fraction = text.partition("点")
    integer = parse_chinese_integer(whole) if whole else 0
    if integer is None:
        return None
    value = Decimal(integer)
    if fraction:
        value += Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in fraction))
    return value


def parse_amount_value(text: str) -> tuple[Decimal, str] | None:
    """A placeholder value such as 35, 7.5, 三十五, 35元 or 0.5元: (value, unit)."""
    found = find_amounts(text.strip())
    if len(found) == 1:
        return found[0].value, found[0].unit
    value = parse_number(text.strip())
    return None if value is None else (value, "")


def _numeral_start(text: str, match: re.Match[str]) -> int:
    # 万一 (in case) and 千万 (by all means) are not numbers: a numeral starts with a digit or 十.
    start = match.start()
    while start < match.end() and text[start] in "百千万亿佰仟":
        start += 1
    return start


def _is_standalone_number(numeral: str) -> bool:
    if numeral[0].isdigit():
        # 000, 0010: a group of a telephone or card number, kept digit for digit (read as a
        # count, 400-000-0010 became 400010, which contains 400-000-0001's 40001).
        return not (numeral[0] == "0" and len(numeral) > 1 and numeral[1].isdigit())
    # Two or more characters with a magnitude (三十五, 一百二) or a decimal point (三点五).
    return len(numeral) >= 2 and any(c in numeral for c in "十百千万亿点拾佰仟")


def _is_range(numeral: str) -> bool:
    """三五元, 两三块: two rising digits name a range (3 to 5 yuan), never 35 yuan."""
    if len(numeral) != 2 or not all(c in _CN_DIGITS for c in numeral):
        return False
    low, high = (_CN_DIGITS[c] for c in numeral)
    return 0 < low < high


def find_amounts(text: str) -> list[Amount]:
    """Every amount in a text without spaces: money as 元, volumes, weights, bare numbers."""
    found: list[Amount] = []
    position = 0
    while True:
        match = NUMERAL.search(text, position)
        if match is None:
            return found
        start = _numeral_start(text, match)
        numeral = text[start:match.end()]
        position = match.end()
        if not numeral:
            continue
        value = parse_number(numeral) if not _is_range(numeral) else None
        if value is None:
            continue
        amount = _with_unit(text, start, position, value, numeral)
        if amount is not None:
            found.append(amount)
            position = amount.end


def _with_unit(text: str, start: int, end: int, value: Decimal, numeral: str) -> Amount | None:
    if start > 0 and text[start - 1] in "¥￥$":
        return Amount(value, MONEY, start - 1, end)
    rest = text[end:end + 3]
    if rest[:1] in ("元", "块") and text[end + 1:end + 2] != "儿":
        return _money(text, start, end + 1, value)
    if rest[:1] in ("角", "毛"):
        value = value / 10
        stop = end + 1
        tail = NUMERAL.match(text, stop)
        if tail and _SINGLE_DIGIT.fullmatch(tail.group()):
            value += parse_number(tail.group()) / 100  # type: ignore[operator]  # a digit parses
            stop = tail.end() + (1 if text[tail.end():tail.end() + 1] == "分" else 0)
        if text[stop:stop + 1] == "钱":
            stop += 1
        return Amount(value, MONEY, start, stop)
    for spelling, unit in _VOLUME_UNITS:
        if text.startswith(spelling, end) and not (
                spelling == "方" and text[end + 1:end + 2] in _NOT_VOLUME_AFTER):
            return Amount(value, unit, start, end + len(spelling))
    if "点" in numeral and not numeral[0].isdigit() and text[end:end + 1] in _NOT_AFTER_DECIMAL:
        return None  # 找零点一下, 一点一点来, 十点一刻: 点 is no decimal point there
    if _is_standalone_number(numeral):
        return Amount(value, "", start, end)
    return None


def _money(text: str, start: int, stop: int, value: Decimal) -> Amount:
    if text[stop:stop + 1] == "钱":
        stop += 1
    if text[stop:stop + 1] == "半":  # 一块半
        return Amount(value + Decimal("0.5"), MONEY, start, stop + 1)
    tail = NUMERAL.match(text, stop)
    if tail is not None and tail.group()[0] in "零〇":  # 十块零五毛
        tail = NUMERAL.match(text, stop + 1)
        stop_zero = 1
    else:
        stop_zero = 0
    if tail is not None:
        after = text[tail.end():tail.end() + 1]
        small = parse_number(tail.group())
        if small is not None and after in ("角", "毛") and small < 10:
            value += small / 10
            stop = tail.end() + 1
            cents = NUMERAL.match(text, stop)
            if cents and len(cents.group()) == 1 and _SINGLE_DIGIT.fullmatch(cents.group()):
                value += parse_number(cents.group()) / 100  # type: ignore[operator]  # a digit
                stop = cents.end() + (1 if text[cents.end():cents.end() + 1] == "分" else 0)
        elif (small is not None and not stop_zero and _SINGLE_DIGIT.fullmatch(tail.group())
              and not _NOT_AFTER_TAIL.match(text, tail.end())):
            value += small / 10  # 七块五 is 7.5
            stop = tail.end()
    if text[stop:stop + 1] == "钱":
        stop += 1
    return Amount(value, MONEY, start, stop)
