"""Names (station, other station, company): typed names must be right, heard names may be
garbled by the recogniser, but never into another station's name.

- Typed: every character must read exactly like the name's, tone included: an input-method
  homophone (常庆 for 长庆, 北战 for 北站) is fine; a name that merely sounds close (孔仑 for
  昆仑) or another real station's name fails.
- Recognised: every character must sound like the name's (zh/z, -ng/-n merged), and in a name
  of two characters or more one of them may be a near-sound (坤文 for 昆仑), which is how
  recognisers garble names; but only when no other known station sounds closer to what was
  heard, and never a person's surname: 胡主任 is another person than 吴主任 (五主任 is him).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from trainer.scoring.alignment import aligned_text
from trainer.scoring.phonetic import exact_class, is_han, loose_class, near_class, same_pinyin
from trainer.scoring.textnorm import Prepared, prepare_cached


def check_name(value: str, what: str, expected: Prepared, answer: Prepared,
               span: tuple[int, int], *, spoken: bool, known: Sequence[str],
               cues: Sequence[str] = ()) -> str | None:
    """None when the answer says the name `value`; else the Chinese reason.

    `span` is where the name sits in the filled phrasing `expected`; `known` are the names of
    every station the engine knows of (the database's and the content's); `cues`, when given,
    are the words one of which must lead the name (the place a customer is sent: 到新区).
    """
    target = prepare_cached(value).text
    if not target:
        return None
    others = [n for n in (prepare_cached(k).text for k in known) if n and n != target]
    found = _typed_spans(target, answer.text) if not spoken else _heard_spans(target, answer)
    if target.isdigit():  # a number is said whole: 40000000010 does not say 4000000001
        found = [(a, b) for a, b in found
                 if not answer.text[a - 1:a].isdigit() and not answer.text[b:b + 1].isdigit()]
    low, high = span
    longer = ""
    misplaced = False
    for start, end in found:
        heard = answer.text[start:end]
        if spoken and _closer_other(heard, target, others):
            continue
        if what == "站名" and _longer_name(answer.text, start, end, expected.text, low, high):
            # 昆仑山加气站, 东昆仑加气站: another name that contains this one
            longer = answer.text[max(0, start - 1):end + 1]
            continue
        if cues and not any(c in answer.text[max(0, start - 6):start] for c in cues):
            misplaced = True  # 新区加气站出现故障: the name said, but not as the place to go
            continue
        return None
    if misplaced:
        return f"{what}说的位置不对:应说请到 {value} 去"
    heard = aligned_text(expected, answer, low, high) if high > low else ""
    named = [o for o in others if o in answer.text]
    if named:
        heard = named[0]
    elif longer:
        heard = longer
    heard = heard if any(is_han(c) for c in heard) else ""
    if heard:
        return f"{what}不对:应为 {value},{'听到' if spoken else '写成了'} {heard}"
    return f"缺少{what}:应为 {value}"


_NAME_ENDS = frozenset("站的这那呢吗啊呀吧")
_NAME_STARTS = frozenset("东南西北新老大小中")


def _longer_name(text: str, start: int, end: int, phrasing: str, low: int, high: int) -> bool:
    """Whether the name said at [start, end) is part of a longer name: followed by a character
    the phrasing does not have there (昆仑山加气站), or led by a direction or size (东昆仑)."""
    after = text[end:end + 1]
    expected_after = phrasing[high:high + 1]
    if (after and is_han(after) and after not in _NAME_ENDS
            and not (expected_after and loose_class(after) & loose_class(expected_after))):
        return True
    before = text[start - 1:start] if start else ""
    expected_before = phrasing[low - 1:low] if low else ""
    return before in _NAME_STARTS and before != expected_before


def name_spans(value: str, answer: Prepared, *, spoken: bool) -> list[tuple[int, int]]:
    """Where the name is said in the answer (typed: same pinyin; heard: sounding alike)."""
    target = prepare_cached(value).text
    if not target:
        return []
    return _heard_spans(target, answer) if spoken else _typed_spans(target, answer.text)


def _typed_spans(target: str, text: str) -> list[tuple[int, int]]:
    size = len(target)
    return [(i, i + size) for i in range(len(text) - size + 1)
            if all(same_pinyin(a, b) for a, b in zip(text[i:i + size], target, strict=True))]


def _heard_spans(target: str, answer: Prepared) -> list[tuple[int, int]]:
    pattern = _heard_pattern(target)
    return [(m.start(), m.end()) for m in pattern.finditer(answer.loose)
            if keeps_surname(answer.text[m.start():m.end()], target)]


def _closer_other(heard: str, target: str, others: list[str]) -> bool:
    """Whether another known name is nearer to what was heard than the target is."""
    own = _distance(heard, target)
    return any(len(o) == len(heard) and _distance(heard, o) < own for o in others)


def _distance(heard: str, name: str) -> int:
    # 0 for the same character, 1 for a homophone, 2 for a near-sound, 3 for anything else.
    if len(heard) != len(name):
        return 3 * max(len(heard), len(name))
    total = 0
    for a, b in zip(heard, name, strict=True):
        if a == b:
            continue
        if loose_class(a) & loose_class(b):
            total += 1
        elif near_class(a) & loose_class(b):
            total += 2
        else:
            total += 3
    return total


@lru_cache(maxsize=2048)
def _heard_pattern(text: str) -> re.Pattern[str]:
    exact = [_regex_class(loose_class(c)) for c in text]
    options = ["".join(exact)]
    surname = surname_index(text)
    if len(text) >= 2:
        options += ["".join(exact[:i] + [_regex_class(near_class(c))] + exact[i + 1:])
                    for i, c in enumerate(text) if is_han(c) and i != surname]
    return re.compile("|".join(options))


def surname_index(name: str) -> int | None:
    """Where a person's name (吴主任, 李师傅, 小王) has its surname; None for other names.
    The surname is what tells two people apart: it may be heard as a homophone, never as a
    near-sound (胡 for 吴 is somebody else)."""
    match = _PERSON.fullmatch(prepare_cached(name).text)
    if match is None:
        return None
    return 1 if match.group()[0] in "小老" and len(match.group()) == 2 else 0


def keeps_surname(heard: str, name: str) -> bool:
    """Whether ``heard`` (as long as ``name``) says the same person's surname, if ``name`` is
    a person's: a homophone (五 for 吴) does; a near-sound (胡 for 吴) or a blurred one (程
    for 陈) does not."""
    surname = surname_index(name)
    return surname is None or bool(exact_class(heard[surname]) & exact_class(name[surname]))


def _regex_class(symbols: frozenset[str]) -> str:
    return "[" + "".join(re.escape(s) for s in sorted(symbols)) + "]"


_PERSON = re.compile(r"(?:小|老)[\u4e00-\u9fff](?![\u4e00-\u9fff]{0,1}(?:时|会|点|心|样|的))"
                     r"|[\u4e00-\u9fff](?:师傅|站长|经理|主任|科长|班长|队长|主管|工)")


def other_person(value: str, answer: Prepared) -> str | None:
    """Another person named where `value` (a colleague, a title) is due: 王师傅 for 李师傅."""
    target = prepare_cached(value).text
    if not target or _typed_spans(target, answer.text):
        return None
    for match in _PERSON.finditer(answer.text):
        said = match.group()
        if said not in target and target not in said:
            return said
    return None


# Where a station's name starts: a clause, or after a word that leads a name (这里是, 欢迎
# 光临, 请到, 您好). A stretch with one of _NOT_NAME is a description (我们加气站, 附近的).
_NAME_LEADS = frozenset("是到临来去在往从好叫请为或和者")
_NOT_NAME = frozenset("的们个这那本该家边近他她别其哪每某咱我你您此一")
_STATION = "加气站"
# 站 followed by these is no station's name (站长, 站内, 站好); before 站, these name no
# other gas station (车站, 加油站).
_STATION_WORDS = frozenset("长台内外里房岗点区着在起好稳住立队务前边上下")
_NOT_STATIONS = frozenset({"加油", "服务", "维修", "充电", "公交", "地铁", "火车", "汽车", "收费",
                           "客运", "高铁", "换电", "总站", "分站", "车站", "网站", "岗站"})


def stray_station(names: Sequence[str], answer: Prepared, *, spoken: bool) -> str | None:
    """Another station named beside the right one(s): 您好,白云加气站,青松 names 白云 too.
    `names` are the stations the phrasing names (this station, the one to send drivers to);
    returns the first other name said before 加气站, or None."""
    targets = [t for t in (prepare_cached(n).text for n in names) if t]
    sizes = sorted({len(t) for t in targets})
    full = [m.start() for m in _station_pattern().finditer(answer.loose)]
    for at in full:
        said = _stray_before(answer, at, sizes, targets, spoken)
        if said:
            return said + _STATION
    if spoken:
        return None  # a recogniser's 站 alone may be any sound; only 加气站 anchors a name
    # 西环站或者东郊站, 东郊站也行: typed, a name before 站 alone names a station too.
    inside = {i for at in full for i in range(at, at + len(_STATION))}
    at = answer.text.find("站")
    while at >= 0:
        if (at not in inside and at + 1 not in full  # (北站加气站: 北站 is the name)
                and answer.text[at + 1:at + 2] not in _STATION_WORDS):
            said = _stray_before(answer, at, sizes, targets, spoken)
            if said and said not in _NOT_STATIONS:
                return said + "站"
        at = answer.text.find("站", at + 1)
    return None


def _stray_before(answer: Prepared, at: int, sizes: list[int], targets: list[str],
                  spoken: bool) -> str | None:
    """The name said just before position `at` (a 站), when it is none of `targets`."""
    for size in sizes:
        low = at - size
        said = answer.text[low:at] if low >= 0 else ""
        if (not said or not all(is_han(c) for c in said) or set(said) & _NOT_NAME
                or not (low == 0 or low in answer.breaks or answer.text[low - 1] in _NAME_LEADS)):
            continue
        if not any(_says(said, target, answer, low, spoken) for target in targets):
            return said
    return None


@lru_cache(maxsize=1)
def _station_pattern() -> re.Pattern[str]:
    return re.compile("".join(_regex_class(loose_class(c)) for c in _STATION))


def _says(said: str, target: str, answer: Prepared, low: int, spoken: bool) -> bool:
    if len(said) != len(target):
        return False
    if not spoken:
        return bool(_typed_spans(target, said))
    return _heard_pattern(target).fullmatch(answer.loose, low, low + len(said)) is not None
