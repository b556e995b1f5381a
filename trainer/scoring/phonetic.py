"""How characters sound: one symbol per syllable so C-speed string tools compare pronunciation.

Every toneless pinyin syllable gets a private-use character. A text then has two sound strings
of its own length: `exact` (the toneless syllable) and `loose` (zh/z, ch/c, sh/s, -ng/-n merged
and 您 heard as 你). rapidfuzz and `re` work on these strings directly, so 家氣戰 and 加气站
compare equal without any Python loop per character.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from typing import Any

from pypinyin import Style, pinyin

_SYMBOL_BASE = 0xE000  # Unicode private use area: never clashes with real text.
_symbols: dict[str, str] = {}
_symbols_lock = threading.Lock()


def symbol(syllable: str) -> str:
    """The private-use character standing for one syllable (allocated on first use)."""
    found = _symbols.get(syllable)
    if found is not None:
        return found
    with _symbols_lock:
        return _symbols.setdefault(syllable, chr(_SYMBOL_BASE + len(_symbols)))


def is_han(char: str) -> bool:
    """Whether the character is a CJK ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char == "〇"


@lru_cache(maxsize=20000)
def readings(char: str) -> tuple[str, ...]:
    """Toneless readings of a character, the most common first; a non-Chinese character is its
    own single reading."""
    if not is_han(char):
        return (char,)
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    values = tuple(dict.fromkeys(r for r in (found[0] if found else ()) if r.isalpha()))
    return values or (char,)


@lru_cache(maxsize=2000)
def loosen(syllable: str) -> str:
    """The syllable with the distinctions recognisers and regional accents blur removed."""
    if not syllable.isascii() or not syllable.isalpha() or len(syllable) == 1:
        return syllable
    if syllable == "nin":  # the 您/你 rule: see lexicon.py
        return "ni"
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = retroflex[0] + syllable[2:]
            break
    if syllable.endswith(("ang", "eng", "ing")):
        syllable = syllable[:-1]
    return syllable


@lru_cache(maxsize=20000)
def char_symbols(char: str) -> tuple[str, str]:
    """(exact, loose) symbol of a character's most common reading."""
    first = readings(char)[0]
    if first == char:  # not Chinese: the character stands for itself
        return char, char
    return symbol(first), symbol(loosen(first))


def sound_strings(text: str) -> tuple[str, str]:
    """The exact and loose sound strings of a text (one symbol per character)."""
    pairs = [char_symbols(c) for c in text]
    return "".join(p[0] for p in pairs), "".join(p[1] for p in pairs)


@lru_cache(maxsize=20000)
def exact_class(char: str) -> frozenset[str]:
    """Exact symbols of every reading of a character (heteronyms: 长 is zhang and chang)."""
    found = readings(char)
    if found[0] == char:
        return frozenset({char})
    return frozenset(symbol(r) for r in found)


@lru_cache(maxsize=20000)
def loose_class(char: str) -> frozenset[str]:
    """Loose symbols of every reading of a character."""
    return loose_class_of(char, readings(char))


def loose_class_of(char: str, found: tuple[str, ...]) -> frozenset[str]:
    """Loose symbols of the given readings of a character."""
    if not found or found[0] == char:  # not Chinese: the character stands for itself
        return frozenset({char})
    return frozenset(symbol(loosen(r)) for r in found)


def _each_itself(chunk: str) -> Any:
    """pypinyin's errors callback: a run of non-Chinese characters, one item each (a list is
    taken as one reading per character), so the readings line up with the text."""
    return list(chunk)


@lru_cache(maxsize=4096)
def word_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Per character of a word, the readings it has in this word: pypinyin's reading in
    context and the character's most common one (what a recognised character is heard as),
    not every rare reading (尾 is wei in 尾箱, never yi as in 尾巴, so 一下 is no 尾箱)."""
    in_context = pinyin(text, style=Style.NORMAL, heteronym=False, errors=_each_itself)
    if len(in_context) != len(text):  # pypinyin split the text otherwise: every reading
        return tuple(readings(c) for c in text)
    found = []
    for char, said in zip(text, in_context, strict=True):
        own = readings(char)
        reading = said[0] if said and said[0].isalpha() and said[0] in own else own[0]
        found.append(tuple(dict.fromkeys((reading, own[0]))))
    return tuple(found)


_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q",
             "x", "r", "z", "c", "s")
# Spelling conventions undone, so finals compare as sounds: wen and lun both end in uen.
_ZERO_INITIAL = {"yi": "i", "yin": "in", "ying": "ing", "yu": "v", "yue": "ve", "yuan": "van",
                 "yun": "vn", "wu": "u"}
_ABBREVIATED = {"ui": "uei", "un": "uen", "iu": "iou"}
# After these initials pinyin's i spells the apical vowel (zhi, si), not the i of li or ji.
_APICAL = frozenset({"z", "c", "s", "zh", "ch", "sh", "r"})


@lru_cache(maxsize=2000)
def split_syllable(syllable: str) -> tuple[str, str]:
    """(initial, final) of a toneless syllable, finals spelled in full: lun -> (l, uen),
    zhi -> (zh, -i)."""
    if syllable in _ZERO_INITIAL:
        return "", _ZERO_INITIAL[syllable]
    if syllable.startswith("y"):
        rest = syllable[1:]
        return "", rest if rest.startswith("i") else "i" + rest
    if syllable.startswith("w"):
        return "", "u" + syllable[1:]
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            final = syllable[len(initial):]
            if initial in ("j", "q", "x") and final.startswith("u"):
                final = "v" + final[1:]
            if final == "i" and initial in _APICAL:
                final = "-i"  # zhi, ci, si: another vowel than the i of li, ji, ni
            return initial, _ABBREVIATED.get(final, final)
    return "", syllable


def _near(a: str, b: str) -> bool:
    # Near-homophones a recogniser confuses: the same final with another initial (仑 lun /
    # 文 wen, 额 e / 乐 le), or the same initial with a final one sound longer (刹 sa / 上 san).
    if a == b:
        return True
    ia, fa = split_syllable(a)
    ib, fb = split_syllable(b)
    if fa == fb:
        return True
    if ia != ib or not fa or not fb:
        return False
    if len(fa) < len(fb):
        fa, fb = fb, fa
    return len(fa) - len(fb) == 1 and (fa.startswith(fb) or fa.endswith(fb))


@lru_cache(maxsize=1)
def _all_loose_syllables() -> frozenset[str]:
    from pypinyin.constants import PINYIN_DICT

    found: set[str] = set()
    for value in PINYIN_DICT.values():
        for marked in value.split(","):
            plain = unicodedata.normalize("NFD", marked).replace("u\u0308", "v")
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            if plain.isalpha():
                found.add(loosen(plain))
    return frozenset(found)


@lru_cache(maxsize=5000)
def near_class(char: str) -> frozenset[str]:
    """Loose symbols of the syllables that sound nearly like the character (near-homophones
    such as 上 for 刹), its own readings included."""
    return near_class_of(char, readings(char))


def near_class_of(char: str, found: tuple[str, ...]) -> frozenset[str]:
    """Loose symbols of the syllables that sound nearly like the given readings of a
    character, the readings included."""
    if not found or found[0] == char:
        return frozenset({char})
    near: set[str] = set()
    universe = _all_loose_syllables()
    for reading in found:
        own = loosen(reading)
        near.add(symbol(own))
        near.update(symbol(other) for other in universe if _near(own, other))
    return frozenset(near)


def near_syllables(char: str, other: str) -> bool:
    """Whether two characters sound alike or nearly alike (any of their readings)."""
    return bool(near_class(char) & loose_class(other))


@lru_cache(maxsize=20000)
def toned_readings(char: str) -> frozenset[str]:
    """Readings of a character with their tones (chang2, zhang3); itself if not Chinese."""
    if not is_han(char):
        return frozenset({char})
    found = pinyin(char, style=Style.TONE3, heteronym=True, errors="ignore",
                   neutral_tone_with_five=True)
    values = frozenset(r for r in (found[0] if found else ()) if r)
    return values or frozenset({char})


# Characters whose second reading is as common as the first in names of places; every other
# character is read by its usual reading only, so a rare reading (北 bei4) makes no homophone.
_COMMON_READINGS = {
    "长": ("chang2", "zhang3"), "重": ("zhong4", "chong2"), "行": ("xing2", "hang2"),
    "乐": ("le4", "yue4"), "和": ("he2", "he4"), "大": ("da4", "dai4"), "朝": ("chao2", "zhao1"),
    "曾": ("zeng1", "ceng2"), "解": ("jie3", "xie4"), "单": ("dan1", "shan4"),
    "石": ("shi2", "dan4"), "会": ("hui4", "kuai4"), "都": ("du1", "dou1"), "藏": ("zang4", "cang2"),
    "沈": ("shen3", "chen2"), "广": ("guang3", "an1"), "厦": ("xia4", "sha4"),
    "蚌": ("bang4", "beng4"), "六": ("liu4", "lu4"), "番": ("fan1", "pan1"),
}


@lru_cache(maxsize=20000)
def usual_readings(char: str) -> frozenset[str]:
    """The readings a character has in everyday words and names: its usual one, and for a few
    characters a second as common (长: chang2 and zhang3)."""
    if char in _COMMON_READINGS:
        return frozenset(_COMMON_READINGS[char])
    if not is_han(char):
        return frozenset({char})
    found = pinyin(char, style=Style.TONE3, heteronym=False, errors="ignore",
                   neutral_tone_with_five=True)
    return frozenset(r for r in (found[0] if found else ()) if r) or frozenset({char})


def same_pinyin(a: str, b: str) -> bool:
    """Whether a typed character is an input-method homophone of another: the same usual
    reading, tone included (常 for 长 chang2, 北战 for 北站; not 贝 bei4 for 北 bei3)."""
    return a == b or bool(usual_readings(a) & usual_readings(b))


# Initials that recognisers and accents blur into each other (zh/z, l/n/r, f/h, j/q/x ...).
_BLURRED_INITIALS = ("zh z j", "ch c q", "sh s x", "l n r", "f h", "b p", "d t", "g k",
                     "j q x", "sh r")
# Finals that differ only by a nasal or a glide (an/ang, en/eng/un/ong, in/ing, i/in: 你/您).
_BLURRED_FINALS = ("an ang", "en eng un ong", "in ing", "i in", "ian iang", "uan uang",
                   "e o uo", "i ü u", "ie ian", "ao ou")


def sound_cost(a: str, b: str) -> int:
    """How two characters sound to a listener: 0 the same (tones and blurred initials
    ignored: 坤/昆, 息/即), 1 one small difference (a nasal or glide of the final, an initial
    dropped: 乐/额), 2 different (向/电)."""
    if a == b:
        return 0
    best = 2
    for x in syllables_of(a):
        for y in syllables_of(b):
            best = min(best, _syllable_cost(x, y))
    return best


def initials_alike(a: str, b: str) -> bool:
    """Whether two characters start alike to a listener (some reading of each): the same
    consonant, one that is blurred into it (j/q/x, zh/z, l/n ...), or none on one side."""
    return any(x[0] == y[0] or not x[0] or not y[0]
               or _same_group(x[0], y[0], _BLURRED_INITIALS)
               for x in syllables_of(a) for y in syllables_of(b))


@lru_cache(maxsize=20000)
def syllables_of(char: str) -> tuple[tuple[str, str], ...]:
    """(initial, final) of every reading of a character, as sound_cost compares them; none for
    a character with no reading (a digit, a letter)."""
    return tuple(_initial_final(s) for s in readings(char) if s != char)


def _initial_final(syllable: str) -> tuple[str, str]:
    syllable = syllable.replace("v", "ü")
    for initial in ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                    "j", "q", "x", "r", "z", "c", "s", "y", "w"):
        if syllable.startswith(initial):
            final = syllable[len(initial):]
            if initial in "yw":  # y/w spell a glide: yan = ian, wo = uo
                final = {"y": "i", "w": "u"}[initial] + final if not final.startswith(
                    ("i", "u", "ü")) else final
                initial = ""
            return initial, final
    return "", syllable


def _syllable_cost(x: tuple[str, str], y: tuple[str, str]) -> int:
    """0: the same syllable to a listener (tones and blurred initials ignored); 1: one small
    difference (a nasal or glide of the final, or an initial dropped); 2: a different one."""
    if x[0] == y[0] or _same_group(x[0], y[0], _BLURRED_INITIALS):
        initial = 0
    elif not x[0] or not y[0]:
        initial = 1
    else:
        return 2
    if x[1] == y[1]:
        final = 0
    elif _same_group(x[1], y[1], _BLURRED_FINALS):
        final = 1
    else:
        return 2
    return min(2, initial + final)


def _same_group(a: str, b: str, groups: tuple[str, ...]) -> bool:
    return any(a in group.split() and b in group.split() for group in groups)
