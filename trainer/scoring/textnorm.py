"""Normalising an answer or a phrase so typing and recogniser noise cost nothing.

NFKC (full-width forms), traditional to simplified (opencc t2s), lower case, numbers read digit
by digit in digits (四零零 -> 400), amounts to one
spelling (三十五块钱 -> 35元, before punctuation goes so 320.5 stays 320.5), punctuation and
spaces removed (a space is remembered as a pause, punctuation as a clause break), fillers
(嗯 呃 啊 anywhere, 那个 at the start of a clause) and a leading 喂 dropped.
Every character of the result remembers where it came from in the original string, so a
forbidden phrase can be highlighted where the trainee typed or said it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import opencc

from trainer.scoring import lexicon
from trainer.scoring.numbers import Amount, find_amounts
from trainer.scoring.phonetic import is_han, sound_strings

_converter_local = threading.local()
# Traditional texts write the particle 着 as 著, which t2s keeps (著 is also 著名, 显著).
_ZHE = re.compile(r"(?<![显土卓编原论名])著(?![作名称者述])")


def _to_simplified(text: str) -> str:
    # One converter per thread: the C++ object is cheap, and sharing it is not documented as safe.
    converter = getattr(_converter_local, "converter", None)
    if converter is None:
        converter = _converter_local.converter = opencc.OpenCC("t2s")
    try:
        return converter.convert(text)
    except Exception:  # opencc rejects some malformed input; keep it rather than fail scoring
        return text


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (opencc t2s), for showing what the recogniser heard:
    Whisper often writes traditional characters, and the UI is Simplified Chinese."""
    return _to_simplified(text) if text else text


@dataclass(frozen=True, slots=True)
class Prepared:
    """A normalised text with its character positions in the original and its sound strings."""

    original: str
    text: str
    starts: tuple[int, ...]  # original index of each character's first source character
    ends: tuple[int, ...]  # original index just after each character's last source character
    breaks: frozenset[int]  # indices where a clause starts (punctuation was removed before them)
    pauses: frozenset[int]  # breaks, and indices where a space was removed before them
    amounts: tuple[Amount, ...]  # positions in `text`
    exact: str  # one toneless-syllable symbol per character
    loose: str  # one loose-syllable symbol per character

    def __len__(self) -> int:
        return len(self.text)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original string that produced text[start:end]."""
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        """What the answer said for text[start:end], as written (for a reason's quote)."""
        low, high = self.original_span(start, end)
        return self.original[low:high].strip()

    @property
    def has_han(self) -> bool:
        """Whether any Chinese character is left."""
        return any(is_han(c) for c in self.text)


def _is_separator(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PSZC" or char.isspace()


def prepare(text: str) -> Prepared:
    """Normalise a text (see the module docstring)."""
    chars, spans = _width_and_script(text)
    chars, spans = _drop_spaces(chars, spans)
    chars = _digits_read_out(chars)
    amounts = find_amounts("".join(chars))
    # tags: which amount each character belongs to (-1: none)
    chars, spans, tags = _canonical_amounts(chars, spans, amounts)
    keep = [tag >= 0 or not _is_separator(c) for c, tag in zip(chars, tags, strict=True)]
    breaks = _clause_breaks(keep)
    _mark_fillers(chars, keep, breaks)
    kept = [i for i, flag in enumerate(keep) if flag]
    final = "".join(chars[i] for i in kept)
    final_breaks = {bisect_left(kept, b) for b in breaks}
    exact, loose = sound_strings(final)
    starts = tuple(spans[i][0] for i in kept)
    ends = tuple(spans[i][1] for i in kept)
    kept_breaks = frozenset(b for b in final_breaks if 0 < b < len(final))
    return Prepared(
        original=text,
        text=final,
        starts=starts,
        ends=ends,
        breaks=kept_breaks,
        pauses=kept_breaks | _spaces_between(text, starts, ends),
        amounts=_located_amounts(amounts, [tags[i] for i in kept]),
        exact=exact,
        loose=loose,
    )


def _spaces_between(text: str, starts: tuple[int, ...], ends: tuple[int, ...]) -> frozenset[int]:
    # A space is no clause break (您 好 spelled out is one clause), but it is a pause.
    if not any(c.isspace() for c in text):
        return frozenset()
    return frozenset(i for i in range(1, len(starts))
                     if any(c.isspace() for c in text[ends[i - 1]:starts[i]]))


@lru_cache(maxsize=4096)
def prepare_cached(text: str) -> Prepared:
    """`prepare` for texts that recur (approved phrasings, key points, forbidden phrases)."""
    return prepare(text)


def _width_and_script(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        folded = char if char.isascii() else unicodedata.normalize("NFKC", char)
        for piece in folded.lower():
            chars.append(piece)
            spans.append((index, index + 1))
    joined = "".join(chars)
    simplified = _to_simplified(joined)
    if len(simplified) != len(joined):
        # A phrase conversion changed the length: convert character by character instead.
        simplified = "".join(_to_simplified(c)[:1] or c for c in chars)
    if "著" in simplified:
        simplified = _ZHE.sub("着", simplified)
    return list(simplified), spans


_DIGIT_CHARACTERS = str.maketrans("零〇一二三四五六七八九幺", "001234567891")
_UNITS = "十百千万亿点拾佰仟"
_DIGITS_READ_OUT = re.compile(f"(?<![{_UNITS}])[零〇一二三四五六七八九幺]{{3,}}(?![{_UNITS}])")


def _digits_read_out(chars: list[str]) -> list[str]:
    """A number read digit by digit (四零零、八零零 for a hotline, as said and as a recogniser
    may write it) in digits, one character for one. A count (四十二, 一百零五) has a unit
    character, and a run beside one (四百零零八…) is left as it is: no telephone number."""
    text = "".join(chars)
    read = _DIGITS_READ_OUT.sub(lambda m: m.group().translate(_DIGIT_CHARACTERS), text)
    return chars if read == text else list(read)


def _drop_spaces(chars: list[str], spans: list[tuple[int, int]]
                 ) -> tuple[list[str], list[tuple[int, int]]]:
    # Spaces go before amounts are read (找您 35 元), except between two Latin letters or digits,
    # where they separate words (please turn off).
    out_chars: list[str] = []
    out_spans: list[tuple[int, int]] = []
    for index, char in enumerate(chars):
        if char.isspace():
            before = out_chars[-1] if out_chars else ""
            after = chars[index + 1] if index + 1 < len(chars) else ""
            if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
                continue
        out_chars.append(char)
        out_spans.append(spans[index])
    return out_chars, out_spans


def _canonical_amounts(chars: list[str], spans: list[tuple[int, int]], amounts: list[Amount]
                       ) -> tuple[list[str], list[tuple[int, int]], list[int]]:
    out_chars: list[str] = []
    out_spans: list[tuple[int, int]] = []
    tags: list[int] = []
    position = 0
    for number, amount in enumerate(amounts):
        out_chars.extend(chars[position:amount.start])
        out_spans.extend(spans[position:amount.start])
        tags.extend([-1] * (amount.start - position))
        span = (spans[amount.start][0], spans[amount.end - 1][1])
        for char in amount.token:
            out_chars.append(char)
            out_spans.append(span)
            tags.append(number)
        position = amount.end
    out_chars.extend(chars[position:])
    out_spans.extend(spans[position:])
    tags.extend([-1] * (len(chars) - position))
    return out_chars, out_spans, tags


def _located_amounts(amounts: list[Amount], tags: list[int]) -> tuple[Amount, ...]:
    located: list[Amount] = []
    for number, amount in enumerate(amounts):
        positions = [i for i, tag in enumerate(tags) if tag == number]
        if positions:
            located.append(Amount(amount.value, amount.unit, positions[0], positions[-1] + 1))
    return tuple(located)


def _clause_breaks(keep: list[bool]) -> set[int]:
    # A clause starts at the beginning and after every run of removed separators.
    breaks = {0}
    for index in range(1, len(keep)):
        if keep[index] and not keep[index - 1]:
            breaks.add(index)
    return breaks


def _mark_fillers(chars: list[str], keep: list[bool], breaks: set[int]) -> None:
    text = "".join(chars)
    for index, char in enumerate(chars):
        if char in lexicon.FILLER_CHARS:
            keep[index] = False
    first = True
    for start in sorted(breaks):
        position = _skip_removed(keep, start)
        stripped = True
        while stripped:
            stripped = False
            openers = lexicon.CLAUSE_FILLERS + (lexicon.PHONE_OPENERS if first else ())
            for filler in openers:
                end = position + len(filler)
                if text.startswith(filler, position) and _skip_removed(keep, end) < len(text):
                    for offset in range(position, end):
                        keep[offset] = False
                    position = _skip_removed(keep, end)
                    stripped = True
                    break
        first = False


def _skip_removed(keep: list[bool], position: int) -> int:
    while position < len(keep) and not keep[position]:
        position += 1
    return position
