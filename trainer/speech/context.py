"""Hearing an answer the way a station head who knows the scene does, without inventing one.

A head hears 昆仑 in a blurred 坤倫 because he knows which station he is at. Whisper can be
given the same context (the scene's words as ``hotwords``), but the same bias makes it hear
the approved phrase in silence, the right amount where a wrong one was said, and lose a
forbidden word. So context may only *rescue* a correct answer, never *create* one:

1. The **unbiased** transcript is always made first and judged. Silence stays silence; a pass
   needs nothing more (one recognition, as before).
2. If the unbiased transcript shows a fault a bias could hide (a wrong amount or time, the
   wrong choice, a forbidden phrase, a negation, a rude addition: ``hard_faults`` of the
   scoring result), the answer fails whatever context would say. No second pass is run.
3. Otherwise, when key words are missing (or the station name was misheard), a **context
   pass** decodes the same audio with the scene's words as hotwords. Its text is never taken
   as the answer. Only where it has a missing key word, and the unbiased transcript has a
   *near-sound* of that word at the same place (坤倫 for 昆仑, 洗火 for 熄火, 故鄭 for 故障),
   is that stretch of the unbiased transcript replaced by the key word. Another station's name,
   another amount or an added 请 are not near-sounds of anything missing, so they stay.
4. The audio must support the merged transcript: forced through the plain model (no prompt),
   it may be less likely than the unbiased transcript by at most MAX_LOSS_PER_CHAR (natural
   log) per replaced character. A near-sound the speaker really said costs about 1.5-4.5 per
   character; another station or amount said instead costs 9-12 (development and tune clips).
5. The merged transcript is judged; it is taken only if it judges better than the unbiased one.

Both transcripts and every replacement are kept (:class:`Heard`), so a head sees both.
No Flask and no database here: ``judge`` is the caller's scorer (text -> ScoreResult).
"""

from __future__ import annotations

import difflib
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypinyin import Style, pinyin

from trainer.speech.audio import PcmAudio
from trainer.speech.transcript import Transcript

# Faults of the unbiased transcript that no context may overrule. "name" is not among them:
# a misheard station name (坤倫) is what context is for; another station's name is not a
# near-sound of this one, so the merge below never replaces it.
OVERRULING = frozenset({"forbidden", "amount", "time", "choice", "negation", "rude"})
# Initials that recognisers and accents blur into each other (zh/z, l/n/r, f/h, j/q/x ...).
_INITIAL_GROUPS = ("zh z j", "ch c q", "sh s x", "l n r", "f h", "b p", "d t", "g k")
# Finals that differ only by a nasal or a glide (an/ang, en/eng/un/ong, in/ing, e/o/uo).
_FINAL_GROUPS = ("an ang", "en eng un ong", "in ing", "ian iang", "uan uang", "e o uo", "i ü u",
                 "ie ian", "ao ou")
_RANK = {"pass": 2, "review": 1, "fail": 0}
NUMERALS = frozenset("0123456789零〇一二三四五六七八九十百千万两半")
# Chosen on ../shared/eval and eval/speech/tune.jsonl (see the module docstring).
MAX_LOSS_PER_CHAR = 6.0


@dataclass(frozen=True)
class Heard:
    """What was heard: the transcript to score (``transcript``), the unbiased one, the context
    pass's text (or ``None`` when it did not run) and the key words it rescued."""

    transcript: Transcript
    unbiased: Transcript
    context_text: str | None = None
    # (heard, key word) pairs: replaced when decision is "context", else only proposed.
    rescued: tuple[tuple[str, str], ...] = ()
    decision: str = "unbiased"  # unbiased | hard-fault | context-rejected | context
    elapsed: float = 0.0

    def summary(self) -> dict[str, Any]:
        """JSON for the attempt record: both transcripts and how the one scored was chosen."""
        return {
            "decision": self.decision,
            "unbiased": self.unbiased.text,
            "context": self.context_text,
            "rescued": [list(pair) for pair in self.rescued],
            "passes": 1 if self.context_text is None else 2,
            "elapsed": round(self.elapsed, 3),
        }


@dataclass(frozen=True)
class SceneContext:
    """The scene the answer belongs to: its approved phrasings with this attempt's values
    filled in, and the names the answer must say (the station name)."""

    phrasings: Sequence[str]
    names: Sequence[str] = ()

    def hotwords(self, words: Sequence[str]) -> str:
        """The text given to the decoder as hotwords: the missing words, then the phrasing."""
        return " ".join(dict.fromkeys([*words, *self.phrasings[:1]]))


def hear(engine: Any, pcm: PcmAudio, context: SceneContext,
         judge: Callable[[str], Any], *, time_limit: float | None = None,
         long_seconds: float | None = None, pause: Callable[[], None] | None = None) -> Heard:
    """Recognise ``pcm`` for ``context`` (see the module docstring). ``judge`` scores a text
    and returns an object with ``verdict``, ``passed``, ``hard_faults``, ``faults`` and
    ``key_points_missed`` (trainer.scoring.ScoreResult).

    A recording longer than ``long_seconds`` is no service phrase: it is decoded greedily,
    makes way for short answers between windows (``pause``) and gets no context pass.
    """
    started = time.perf_counter()
    is_long = long_seconds is not None and pcm.duration > long_seconds
    options = {"beam_size": 1, "pause": pause} if is_long else {}
    unbiased = _transcribe(engine, pcm, time_limit=time_limit, **options)
    if unbiased.no_speech:
        return Heard(unbiased, unbiased, elapsed=time.perf_counter() - started)
    first = judge(unbiased.text)
    if first.passed:
        return Heard(unbiased, unbiased, elapsed=time.perf_counter() - started)
    if set(first.hard_faults) & OVERRULING:
        return Heard(unbiased, unbiased, decision="hard-fault",
                     elapsed=time.perf_counter() - started)
    wanted = missing_words(first, context)
    if is_long or not wanted or not getattr(engine, "takes_hotwords", False):
        return Heard(unbiased, unbiased, elapsed=time.perf_counter() - started)
    remaining = None if time_limit is None else max(1.0, time_limit - unbiased.elapsed)
    biased = _transcribe(engine, pcm, hotwords=context.hotwords(wanted), time_limit=remaining)
    elapsed = time.perf_counter() - started
    if biased.no_speech:
        return Heard(unbiased, unbiased, context_text="", decision="context-rejected",
                     elapsed=elapsed)
    merged, rescued = rescue(unbiased.text, biased.text, wanted)
    if not rescued or not supported(engine, pcm, plain(unbiased.text), merged):
        return Heard(unbiased, unbiased, context_text=biased.text, rescued=tuple(rescued),
                     decision="context-rejected", elapsed=time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    second = judge(merged)
    better = _RANK[second.verdict] > _RANK[first.verdict]
    if not better or set(second.hard_faults) & OVERRULING:
        return Heard(unbiased, unbiased, context_text=biased.text, rescued=tuple(rescued),
                     decision="context-rejected", elapsed=elapsed)
    adopted = Transcript(
        text=merged, duration=unbiased.duration, segments=unbiased.segments,
        language=unbiased.language, engine=unbiased.engine, elapsed=elapsed)
    return Heard(adopted, unbiased, context_text=biased.text, rescued=tuple(rescued),
                 decision="context", elapsed=elapsed)


def supported(engine: Any, pcm: PcmAudio, heard: str, merged: str) -> bool:
    """Whether the audio supports ``merged`` nearly as well as what was heard (step 4)."""
    changed = sum(1 for a, b in zip(heard, merged, strict=False) if a != b)
    if len(heard) != len(merged) or changed == 0:
        return False
    scores = getattr(engine, "text_logprobs", None)
    if scores is None:
        return False  # an engine that cannot check the audio gets no rescue
    before, after = scores(pcm, [heard, merged])
    return after - before >= -MAX_LOSS_PER_CHAR * changed


def missing_words(result: Any, context: SceneContext) -> list[str]:
    """The words context may rescue: the key points the answer missed (each alternative of a
    point, e.g. 对不起/抱歉), and the names when a name was not heard right."""
    words: list[str] = []
    for label in getattr(result, "key_points_missed", []) or []:
        words.extend(w for w in _alternatives(label) if w)
    if "name" in (getattr(result, "faults", []) or []):
        words.extend(context.names)
    return list(dict.fromkeys(words))


def _alternatives(label: str) -> list[str]:
    for separator in ("/", "|", "或", "、"):
        if separator in label:
            return [part.strip() for part in label.split(separator)]
    return [label.strip()]


def rescue(heard: str, context_text: str, words: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    """Replace, in ``heard``, each near-sound of a missing word that ``context_text`` has as
    that word at the same place. Returns the new text and the (heard, word) pairs replaced.

    Works on the simplified text without punctuation or spaces (the scorer ignores both).
    """
    plain_heard = plain(heard)
    plain_context = plain(context_text)
    matcher = difflib.SequenceMatcher(a=plain_context, b=plain_heard, autojunk=False)
    replacements: list[tuple[int, int, str]] = []
    for word in words:
        word = plain(word)
        if not word or word in plain_heard:
            continue
        start = plain_context.find(word)
        if start < 0:
            continue
        span = _aligned_span(matcher, start, start + len(word))
        if span is None:
            continue
        low, high = span
        heard_part = plain_heard[low:high]
        overlaps = any(low < end and begin < high for begin, end, _ in replacements)
        if near_sound(heard_part, word) and not overlaps:
            replacements.append((low, high, word))
    if not replacements:
        return heard, []
    text = plain_heard
    pairs = []
    for low, high, word in sorted(replacements, reverse=True):
        pairs.append((text[low:high], word))
        text = text[:low] + word + text[high:]
    return text, list(reversed(pairs))


def _aligned_span(matcher: difflib.SequenceMatcher, low: int, high: int) -> tuple[int, int] | None:
    """Where the context text's characters low..high lie in the heard text, as a stretch of
    the same length; None when they straddle an insertion or deletion.

    Across blocks of equal length each character maps to its counterpart; inside one block
    of unequal length (the context pass repeated itself, say) the word keeps its offset from
    the block's start, or else from its end.
    """
    blocks = [b for b in matcher.get_opcodes() if b[1] < high and b[2] > low]
    if len(blocks) == 1 and blocks[0][0] == "replace":
        _, a0, a1, b0, b1 = blocks[0]
        length = high - low
        if low - a0 + length <= b1 - b0:
            return b0 + low - a0, b0 + low - a0 + length
        if b1 - (a1 - high) - length >= b0:
            return b1 - (a1 - high) - length, b1 - (a1 - high)
        return None
    if not blocks or any(tag in ("insert", "delete") or a1 - a0 != b1 - b0
                         for tag, a0, a1, b0, b1 in blocks):
        return None
    first, last = blocks[0], blocks[-1]
    return first[3] + low - first[1], last[3] + high - last[1]


def plain(text: str) -> str:
    """Simplified characters without punctuation, spaces or symbols."""
    from trainer.scoring.textnorm import to_simplified

    text = to_simplified(unicodedata.normalize("NFKC", text or ""))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def near_sound(heard: str, word: str) -> bool:
    """Whether ``heard`` could be ``word`` misheard: the same length and, on average, at most
    one small difference a character (a blurred initial, the nasal or glide of a final, any
    tone); a character that sounds different is allowed only beside exact ones. 坤伦, 洗火,
    不断 pass for 昆仑, 熄火, 不多; 长城 for 昆仑 or 后 for 前 do not. The audio decides
    the rest (:func:`supported`)."""
    if len(heard) != len(word) or not word:
        return False
    pairs = list(zip(heard, word, strict=True))
    if any(a != b and (a in NUMERALS or b in NUMERALS) for a, b in pairs):
        return False  # a number is never "misheard" into another: amounts are not rescued
    return sum(_char_cost(a, b) for a, b in pairs) <= len(word)


def _char_cost(a: str, b: str) -> int:
    if a == b:
        return 0
    best = 2
    for x in _readings(a):
        for y in _readings(b):
            best = min(best, _syllable_cost(x, y))
    return best


@lru_cache(maxsize=20000)
def _readings(char: str) -> tuple[tuple[str, str], ...]:
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    syllables = [s for s in (found[0] if found else []) if s.isalpha()]
    return tuple(_split(s) for s in dict.fromkeys(syllables))


def _split(syllable: str) -> tuple[str, str]:
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
    if x[0] == y[0] or _same_group(x[0], y[0], _INITIAL_GROUPS):
        initial = 0
    elif not x[0] or not y[0]:
        initial = 1
    else:
        return 2
    if x[1] == y[1]:
        final = 0
    elif _same_group(x[1], y[1], _FINAL_GROUPS):
        final = 1
    else:
        return 2
    return min(2, initial + final)


def _same_group(a: str, b: str, groups: tuple[str, ...]) -> bool:
    return any(a in group.split() and b in group.split() for group in groups)


def _transcribe(engine: Any, pcm: PcmAudio, **options: Any) -> Transcript:
    options = {k: v for k, v in options.items() if v is not None}
    if options and not getattr(engine, "takes_hotwords", False):
        options = {}  # an engine with the plain transcribe(pcm) only
    return engine.transcribe(pcm, **options) if options else engine.transcribe(pcm)
