"""Forbidden phrases (服务忌语): found anywhere in an answer, also when a recogniser wrote them
as homophones (有一件你找令到去) or a word was slipped in (不归我们管).

Matching works on toneless syllables, every reading of each character counted. What keeps it
from raising false alarms:
- a homophone match needs at least a third of its characters as written, so 布置到 (no
  character in common) is not 不知道;
- short phrases must start and end on word boundaries, so 加快点火 does not contain 快点, and
  lie within one clause (您别着急,什么时候 does not contain 急什么);
- a long phrase (six characters or more) may have one character misheard outright;
- one inserted character is tolerated in phrases of four characters or more (and in shorter
  ones when every character is as written: 没有零钱);
- lexicon.HARMLESS_AFTER / HARMLESS_BEFORE list polite uses (不知道您还需要什么帮助).
您 in place of 你 is still forbidden (see the 您/你 rule in lexicon.py).

Families (forbidden.yaml `families`) catch the colloquial, regional and reordered forms of each
kind of 忌语 with patterns (patterns.py): 喊什么喊, 急啥, 爱充不充, 嫌贵去别家, 你自己再打吧,
with `harmless` patterns for the polite uses that look alike (我快点给您加, 请您自己看一下表).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.scoring import lexicon
from trainer.scoring.patterns import ClausePattern, Lined
from trainer.scoring.phonetic import exact_class, symbol
from trainer.scoring.textnorm import Prepared, prepare, prepare_cached

_SHORT = 4  # phrases up to this length must sit on word boundaries, within one clause
_LONG = 6  # phrases from this length may have one character misheard outright


@dataclass(frozen=True, slots=True)
class ForbiddenHit:
    """A forbidden phrase found in an answer; start/end index the ORIGINAL answer string."""

    phrase: str
    start: int
    end: int
    kind: str = ""  # the family's label (推诿, 催促顾客 ...); empty for a listed phrase


@dataclass(frozen=True)
class Family:
    """One kind of 忌语 as patterns; a match that overlaps a `harmless` match is not one."""

    id: str
    label: str
    patterns: tuple[ClausePattern, ...]
    harmless: tuple[ClausePattern, ...] = ()

    @classmethod
    def compile(cls, family_id: str, label: str, patterns: Sequence[str],
                harmless: Sequence[str] = ()) -> Family:
        """patterns.PatternError (Chinese message) for an invalid pattern."""
        return cls(family_id, label, tuple(ClausePattern.compile(p) for p in patterns),
                   tuple(ClausePattern.compile(p) for p in harmless))

    def find(self, answer: Prepared | Lined, *, spoken: bool,
             patterns: Sequence[ClausePattern] | None = None) -> list[tuple[int, int]]:
        """Spans (text indices) of this family in the answer (only `patterns` of it, when the
        caller already knows the others cannot match)."""
        found = [span for pattern in (self.patterns if patterns is None else patterns)
                 for span in pattern.spans(answer, spoken=spoken)]
        if not found or not self.harmless:
            return found
        safe = [span for pattern in self.harmless for span in pattern.spans(answer, spoken=False)]
        return [(start, end) for start, end in found
                if not any(s < end and start < e for s, e in safe)]


@dataclass(frozen=True, slots=True)
class _Form:
    phrase: str  # the wording as listed (shown to the trainee)
    text: str  # normalised
    classes: tuple[frozenset[str], ...]
    pattern: re.Pattern[str]


def _class(char: str) -> frozenset[str]:
    symbols = set(exact_class(char))
    you, polite_you = symbol("ni"), symbol("nin")
    if you in symbols or polite_you in symbols:
        symbols |= {you, polite_you}
    return frozenset(symbols)


def _regex_class(symbols: frozenset[str]) -> str:
    return "[" + "".join(re.escape(s) for s in sorted(symbols)) + "]"


def _compile_form(phrase: str) -> _Form | None:
    text = prepare_cached(phrase).text
    if not text:
        return None
    classes = tuple(_class(c) for c in text)
    parts = [_regex_class(c) for c in classes]
    options = ["".join(parts)]
    if len(text) >= 3:
        options += ["".join(parts[:i]) + "." + "".join(parts[i:]) for i in range(1, len(parts))]
    if len(text) >= _LONG:
        options += ["".join(parts[:i]) + "." + "".join(parts[i + 1:]) for i in range(len(parts))]
    # A lookahead finds overlapping occurrences; the group gives the span.
    pattern = re.compile("(?=(" + "|".join(options) + "))")
    return _Form(phrase.strip(), text, classes, pattern)


_COMMON = frozenset("不你您我的了是有在这那就也都还没别要们他她个一")


def _rarity(chars: frozenset[str]) -> tuple[int, int]:
    """How often a set of characters occurs in ordinary answers (fewer common ones first)."""
    return sum(c in _COMMON for c in chars), len(chars)


class ForbiddenMatcher:
    """Finds forbidden phrases in answers. Compile once and reuse; safe to share between
    threads once built (it holds only compiled patterns).

    `phrases` are texts, or (text, variants) pairs as in content/forbidden.yaml.
    """

    def __init__(self, phrases: Sequence[str | tuple[str, Sequence[str]]],
                 families: Sequence[Family] = ()) -> None:
        forms: list[_Form] = []
        seen: set[str] = set()
        for entry in phrases:
            if isinstance(entry, str):
                wordings: Iterable[str] = (entry,)
            else:
                text, variants = entry
                wordings = (text, *variants)
            for wording in wordings:
                if not isinstance(wording, str) or not wording.strip():
                    continue
                form = _compile_form(wording)
                if form is not None and form.text not in seen:
                    seen.add(form.text)
                    forms.append(form)
        # Longest first, so 有意见找领导去 wins over 找领导去 at the same place.
        forms.sort(key=lambda f: -len(f.text))
        self._forms: tuple[_Form, ...] = tuple(forms)
        self.families: tuple[Family, ...] = tuple(families)
        # Which family patterns a character (or, heard, a sound) may bring into play: most
        # answers then try a handful of the patterns, not all of them.
        self._by_char: dict[str, list[tuple[int, ClausePattern]]] = {}
        self._by_sound: dict[str, list[tuple[int, ClausePattern]]] = {}
        self._always: list[tuple[int, ClausePattern]] = []
        for number, family in enumerate(self.families):
            for pattern in family.patterns:
                key = min(pattern.required, key=_rarity) if pattern.required else None
                if key is None:
                    self._always.append((number, pattern))
                    continue
                for char in key:
                    self._by_char.setdefault(char, []).append((number, pattern))
                for sound in pattern.sounds or {""}:
                    self._by_sound.setdefault(sound, []).append((number, pattern))

    @classmethod
    def from_yaml(cls, path: str | Path) -> ForbiddenMatcher:
        """A matcher for a file in the format of content/forbidden.yaml."""
        import yaml

        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        entries: list[tuple[str, Sequence[str]]] = []
        for item in data.get("items", []):
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                entries.append((item["text"], tuple(item.get("variants") or ())))
        families = [Family.compile(str(f.get("id", "")), str(f.get("label", "")),
                                   f.get("patterns") or (), f.get("harmless") or ())
                    for f in data.get("families", []) if isinstance(f, dict)]
        return cls(entries, families)

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every wording the matcher looks for."""
        return tuple(f.phrase for f in self._forms)

    def __len__(self) -> int:
        return len(self._forms)

    def find(self, answer: str | Prepared, *, ignore: Iterable[str] = (),
             spoken: bool = True) -> list[ForbiddenHit]:
        """Forbidden phrases and family matches in the answer, in order of position.

        Wordings in `ignore` (listed phrases, or the text a family matched) are skipped: they
        are part of the approved phrasing itself. `spoken`: the answer came from a recogniser,
        so families are matched by sound too (listed phrases always are).
        """
        prepared = answer if isinstance(answer, Prepared) else prepare(answer)
        if not prepared.text:
            return []
        skipped = set(ignore)
        spans = self._family_spans(prepared, skipped, spoken)
        heard = frozenset(prepared.exact)
        candidates = [f for f in self._forms if f.phrase not in skipped and _may_occur(f, heard)]
        if not candidates:
            return self._hits(prepared, spans)
        boundaries = _Boundaries(prepared)
        for form in candidates:
            for match in form.pattern.finditer(prepared.exact):
                start, end = match.start(1), match.end(1)
                if _accept(form, prepared, start, end, boundaries):
                    spans.append((start, end, form.phrase, ""))
        return self._hits(prepared, spans)

    def _family_spans(self, prepared: Prepared, skipped: set[str], spoken: bool
                      ) -> list[tuple[int, int, str, str]]:
        spans = []
        lined = Lined.of(prepared)
        boundaries = _Boundaries(prepared)
        chosen: dict[int, dict[int, ClausePattern]] = {}
        keys = [self._by_char.get(c, ()) for c in lined.chars]
        if spoken:
            keys += [self._by_sound.get(s, ()) for s in lined.sound_set]
        for number, pattern in [*self._always, *(entry for key in keys for entry in key)]:
            chosen.setdefault(number, {})[id(pattern)] = pattern
        # In the families' order of forbidden.yaml: of two naming the same words, the first
        # is reported (a set's order would change the reason from one process to the next).
        for number, patterns in sorted(chosen.items()):
            family = self.families[number]
            for start, end in family.find(lined, spoken=spoken, patterns=list(patterns.values())):
                if end - start <= 2 and not (boundaries.at(start) and (
                        boundaries.at(end) or prepared.text[end:end + 1]
                        in lexicon.TRAILING_PARTICLES)):
                    continue  # 快点 inside 加快点火 is no hurrying: words must stand whole
                said = prepared.text[start:end]
                if said not in skipped:
                    spans.append((start, end, said, family.label))
        return spans

    @staticmethod
    def _hits(prepared: Prepared, spans: list[tuple[int, int, str, str]]) -> list[ForbiddenHit]:
        hits: list[ForbiddenHit] = []
        taken: list[tuple[int, int]] = []
        # Listed phrases before family matches at the same place, longer before shorter.
        for start, end, phrase, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]),
                                                                      bool(s[3]))):
            if any(s <= start and end <= e for s, e in taken):
                continue  # inside a longer phrase already reported
            taken.append((start, end))
            original = prepared.original_span(start, end)
            hits.append(ForbiddenHit(phrase, original[0], original[1], kind))
        return hits


def _may_occur(form: _Form, heard: frozenset[str]) -> bool:
    """Whether the answer has the sounds a match of the form needs: all of its characters' (one
    may be missing from a long form). Exact, and far cheaper than trying the patterns on a
    long answer."""
    missing = sum(1 for symbols in form.classes if symbols.isdisjoint(heard))
    return missing <= (1 if len(form.text) >= _LONG else 0)


def _accept(form: _Form, answer: Prepared, start: int, end: int,
            boundaries: _Boundaries) -> bool:
    size = len(form.text)
    heard = answer.text[start:end]
    inserted = _inserted_position(form, answer, start, end)
    kept = heard if inserted is None else heard[:inserted] + heard[inserted + 1:]
    as_written = sum(a == b for a, b in zip(kept, form.text, strict=True))
    if as_written < size and as_written < max(1, size // 3):
        return False
    if inserted is not None and size < _SHORT and as_written < size:
        return False
    if size <= 2 and as_written < size and not _whole_clause(answer, start, end):
        return False  # 快电 alone may be 快点 misheard; inside a word it is something else
    if size <= _SHORT:
        if any(start < b < end for b in answer.breaks):
            return False  # 您别着急,什么时候: the words belong to two clauses
        exact_short = as_written == size and size <= 2
        if (exact_short or as_written < size) and not (
                boundaries.at(start) and (boundaries.at(end) or (
                    exact_short and answer.text[end:end + 1] in lexicon.TRAILING_PARTICLES))):
            return False
    return not _harmless(form, answer, start, end)


def _whole_clause(answer: Prepared, start: int, end: int) -> bool:
    return (start == 0 or start in answer.pauses) and (end == len(answer.text)
                                                        or end in answer.pauses)


def _inserted_position(form: _Form, answer: Prepared, start: int, end: int) -> int | None:
    if end - start == len(form.text):
        return None
    heard = answer.exact[start:end]
    for gap in range(1, len(form.text)):
        rest = heard[:gap] + heard[gap + 1:]
        if all(s in c for s, c in zip(rest, form.classes, strict=True)):
            return gap
    return 1


def _harmless(form: _Form, answer: Prepared, start: int, end: int) -> bool:
    text = answer.text
    # Only words said in one breath with the phrase make it harmless: 请,你自己看 is not a request.
    for word in lexicon.HARMLESS_AFTER.get(form.text, ()):
        if end not in answer.pauses and text.startswith(word, end):
            return True
    for word in lexicon.HARMLESS_BEFORE.get(form.text, ()):
        if start not in answer.pauses and text.endswith(word, 0, start):
            return True
    # 不知道怎么充值的话,我可以教您: a condition about the customer, not a refusal.
    if form.text in lexicon.HARMLESS_IN_CONDITION:
        following = min((b for b in answer.breaks if b > end), default=len(text))
        if "的话" in text[end:following]:
            return True
    return False


class _Boundaries:
    """Word boundaries of an answer, segmented lazily around the places that need them."""

    def __init__(self, answer: Prepared) -> None:
        self._answer = answer
        self._known: dict[int, bool] = {}

    def at(self, position: int) -> bool:
        text = self._answer.text
        if position <= 0 or position >= len(text) or position in self._answer.pauses:
            return True
        if position not in self._known:
            from trainer.scoring.keypoints import quiet_jieba

            jieba = quiet_jieba()
            # A window around the position is enough to know whether a word spans it.
            low, high = max(0, position - 8), min(len(text), position + 8)
            offset = low
            cuts = set()
            for word in jieba.lcut(text[low:high], HMM=False):
                offset += len(word)
                cuts.add(offset)
            self._known[position] = position in cuts
        return self._known[position]
