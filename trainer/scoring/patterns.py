"""Patterns of rude speech (服务忌语 families), written as regular expressions in Chinese
characters and matched clause by clause.

A pattern such as ``(急|喊|吵)什么\\1?`` is matched on the normalised text of each clause
(simplified characters, no punctuation). For a recognised answer it is also matched on the
clause's sound string, each character of the pattern standing for every character that sounds
like it, so 喊深么喊 from a recogniser is still 喊什么喊; such a sound match counts only when at
least half of its characters are written as in the pattern, so an unrelated sentence that
merely sounds similar is not taken for an insult.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.scoring.phonetic import exact_class, is_han
from trainer.scoring.textnorm import Prepared


class PatternError(ValueError):
    """A pattern that is not a valid regular expression (Chinese message)."""


@dataclass(frozen=True)
class ClausePattern:
    """One compiled pattern: on text, and on exact sound strings."""

    source: str
    text: re.Pattern[str]
    sound: re.Pattern[str]
    literals: frozenset[str]  # the Chinese characters the pattern writes out
    sounds: frozenset[str] = frozenset()  # ...and every sound of them
    required: tuple[frozenset[str], ...] = ()  # every match has a character of each set

    @classmethod
    def compile(cls, source: str) -> ClausePattern:
        """Compile a pattern; PatternError for an invalid one."""
        try:
            # Clauses are lines of one string (see `Lined`): ^ and $ are a clause's ends and
            # "." never crosses into the next clause.
            text = re.compile(source, re.MULTILINE)
            sound = re.compile(_to_sound(source), re.MULTILINE)
        except re.error as exc:
            raise PatternError(f"正则表达式有误:{exc}") from exc
        if text.match(""):
            raise PatternError("模式不能匹配空字符串")
        literals = frozenset(c for c in source if is_han(c))
        sounds = frozenset(s for c in literals for s in exact_class(c))
        return cls(source, text, sound, literals, sounds, _required(source))

    def spans(self, answer: Prepared | Lined, *, spoken: bool) -> list[tuple[int, int]]:
        """Where the pattern matches inside one clause of the answer (text indices)."""
        lined = answer if isinstance(answer, Lined) else Lined.of(answer)
        # Quick rejection: a typed answer lacking a character every match needs, or any of
        # the pattern's characters (or, heard, their sounds). Most answers stop here.
        if not spoken and not all(needed & lined.chars for needed in self.required):
            return []
        if self.literals and self.literals.isdisjoint(lined.chars) and not (
                spoken and not self.sounds.isdisjoint(lined.sound_set)):
            return []
        found = [lined.span(m.start(), m.end()) for m in self.text.finditer(lined.text)
                 if m.end() > m.start()]
        if spoken:
            for m in self.sound.finditer(lined.sounds):
                start, end = lined.span(m.start(), m.end())
                # One syllable heard alike proves nothing (见 is not 贱): two at least.
                if end - start >= 2 and (start, end) not in found and self._written(
                        lined.answer.text[start:end]):
                    found.append((start, end))
        return found

    def _written(self, heard: str) -> bool:
        han = [c for c in heard if is_han(c)]
        return bool(han) and 2 * sum(c in self.literals for c in han) >= len(han)


@dataclass(frozen=True)
class Lined:
    """An answer's text and sounds with a newline between clauses, so every pattern runs once
    over the whole answer instead of once per clause."""

    answer: Prepared
    text: str
    sounds: str
    starts: tuple[int, ...]  # where each line starts in `text`, and in the answer's text

    chars: frozenset[str] = frozenset()
    sound_set: frozenset[str] = frozenset()

    @classmethod
    def of(cls, answer: Prepared) -> Lined:
        spans = clause_spans(answer)
        text = "\n".join(answer.text[a:b] for a, b in spans)
        sounds = "\n".join(answer.exact[a:b] for a, b in spans)
        return cls(answer, text, sounds, tuple(a for a, _ in spans), frozenset(answer.text),
                   frozenset(answer.exact))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A match in the lined string as (start, end) in the answer's text."""
        line = self.text.count("\n", 0, start)
        return start - line, end - line


def _required(source: str) -> tuple[frozenset[str], ...]:
    """Sets of characters of which every match of the pattern contains at least one each
    (for quick rejection): 爱(.{1,2})不\\1 needs 爱 and 不, (急|喊)什么 needs 急 or 喊, and 什."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # the standard library's own parser
    except ImportError:  # pragma: no cover - another Python: no quick rejection
        return ()
    return tuple(frozenset(s) for s in _needed(_parser.parse(source)) if s)


def _needed(items) -> list[set[str]]:
    needed: list[set[str]] = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            needed.append({chr(value)})
        elif name == "SUBPATTERN":
            needed += _needed(value[-1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            needed += _needed(value[2])
        elif name == "BRANCH":
            # A match follows one branch: it has a character of that branch's first need.
            firsts = [_needed(branch) for branch in value[1]]
            if firsts and all(firsts):
                needed.append(set().union(*(first[0] for first in firsts)))
        elif name == "IN" and all(str(kind) == "LITERAL" for kind, _ in value):
            needed.append({chr(code) for _, code in value})
    return needed


def clause_spans(answer: Prepared) -> list[tuple[int, int]]:
    """(start, end) of each clause of a prepared text: it was split at punctuation."""
    bounds = sorted({0, len(answer.text)} | set(answer.breaks))
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _class_of(chars: str) -> str:
    symbols: set[str] = set()
    for char in chars:
        symbols |= exact_class(char) if is_han(char) else {char}
    return "".join(re.escape(s) for s in sorted(symbols))


def _to_sound(source: str) -> str:
    """The pattern with each Chinese character replaced by the class of its sounds."""
    out: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            out.append(source[index:index + 2])
            index += 2
        elif char == "[":
            close = source.find("]", index + 2)
            if close < 0:
                raise PatternError("方括号没有闭合")
            body = source[index + 1:close]
            negated = body.startswith("^")
            members = body[1:] if negated else body
            if any(is_han(c) for c in members):
                out.append("[" + ("^" if negated else "") + _class_of(members) + "]")
            else:
                out.append(source[index:close + 1])
            index = close + 1
        elif is_han(char):
            out.append("[" + _class_of(char) + "]")
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)
