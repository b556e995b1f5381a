"""Hearing an answer the way a station head who knows the scene does, without inventing one.

A head hears 昆仑 in a blurred 坤倫 because he knows which station he is at. Whisper can be
given the same context (the scene's words as a prompt or ``hotwords``), but decoding with that
bias makes it hear the approved phrase in silence, the right amount where a wrong one was said,
and lose a forbidden word. So context never decodes anything here; it may only *rescue* a
correct answer, never *create* one:

1. The **unbiased** transcript is always made first and judged. Silence stays silence; a pass
   needs nothing more (one recognition, as before).
2. If the unbiased transcript shows a fault a bias could hide (a wrong amount or time, the
   wrong choice, a forbidden phrase, a negation, a rude addition: ``hard_faults`` of the
   scoring result), the answer fails whatever context would say. A time limit that is only
   *missing* (缺少时限: nothing like a time was heard) is a missing word like the others.
3. Otherwise the words the answer lacks (missed key points, the station or person's name when
   it was misheard, the missing time limit, 请/您 when courtesy was missed) are looked for as
   **near-sounds** in the unbiased transcript: a stretch of the same length that a listener
   could take for the word (坤倫 for 昆仑, 洗火 for 熄火, 三颗工作室内 for 三个工作日内).
   Another station's name, another amount or a word that sounds different is no near-sound.
4. The **audio decides** (forced alignment, ``text_logprobs``): each candidate text, with one
   near-sound replaced by its word, is forced through the plain model (no prompt) and may be
   less likely than the unbiased transcript by at most MAX_LOSS_PER_CHAR (natural log) per
   replaced character that sounds different (坤→昆 is free, 战→火 is not); per word the
   best-supported stretch is taken, and the merged text is checked once more as a whole. A
   near-sound the speaker really said costs about 1.5-4.5 per character; another word said
   instead costs 9-12 (development and tune clips).
5. The merged transcript is judged; it is taken only if it judges better than the unbiased one
   and shows no overruling fault.

Both transcripts and every replacement are kept (:class:`Heard`), so a head sees both. The
check costs one encoder pass and one forced decode of a few candidate texts (about a quarter
of a recognition), and runs only when the unbiased verdict is not a pass.
No Flask and no database here: ``judge`` is the caller's scorer (text -> ScoreResult).
"""

from __future__ import annotations

import contextlib
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from trainer.scoring.judge import MISSING_COURTESY
from trainer.scoring.names import keeps_surname
from trainer.scoring.phonetic import sound_cost
from trainer.scoring.timelimits import MISSING_LIMIT, WRONG_TIME
from trainer.speech.audio import PcmAudio
from trainer.speech.transcript import Transcript

# Faults of the unbiased transcript that no context may overrule (trainer.scoring's codes).
# "name" is not among them: a misheard station name (坤倫) is what context is for; another
# station's name is not a near-sound of this one, so it is never replaced. Nor is a time
# limit that is only missing ("time-missing"); a wrong or retracted one ("time") is.
OVERRULING = frozenset({"forbidden", "amount", WRONG_TIME, "choice", "negation", "rude"})
_RANK = {"pass": 2, "review": 1, "fail": 0}
# A rescue never puts in or takes out a numeral (amounts and limits are not "misheard" into
# others) or a character that negates, forbids or permits (可以抽烟 blurred into 不能抽烟 would
# turn a permission into the safety rule).
NUMERALS = frozenset("0123456789零〇一二三四五六七八九十百千万两半")
NEGATION_CHARS = frozenset("不没别无勿禁非莫未甭否免可准许")
NEVER_RESCUED = NUMERALS | NEGATION_CHARS
# Chosen on ../shared/eval and eval/speech/tune.jsonl (see the module docstring); since then
# checked on every eval/speech split and its degraded copies (eval/speech/README.md).
MAX_LOSS_PER_CHAR = 6.0
# At most this many candidate texts are forced through the audio (one batch).
MAX_CANDIDATES = 24
COURTESY = ("请", "您")


@dataclass(frozen=True)
class Heard:
    """What was heard: the transcript to score (``transcript``), the unbiased one, the text the
    context check made of it (or ``None`` when it made none) and the words it rescued."""

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
            # 2 when the audio was also checked against candidate texts
            "passes": 2 if self.decision.startswith("context") else 1,
            "elapsed": round(self.elapsed, 3),
        }


@dataclass(frozen=True)
class SceneContext:
    """What context may know of the answer beyond its scoring: the names it must say (the
    station, the person) with this attempt's values, and the key points with every word that
    counts for each, rescued when they were misheard."""

    names: Sequence[str] = ()
    # The item's key points, each with its alternatives ([稍后, 稍候, 稍等]): a result names a
    # missed point by its first word only.
    key_points: Sequence[Sequence[str]] = ()
    # Words of the content's service talk (ContentLibrary.vocabulary): one of them heard is a
    # word said, not another word misheard (不多 is never rescued into 不够).
    vocabulary: frozenset[str] = frozenset()


def hear(engine: Any, pcm: PcmAudio, context: SceneContext,
         judge: Callable[[str], Any], *, time_limit: float | None = None,
         long_seconds: float | None = None) -> Heard:
    """Recognise ``pcm`` for ``context`` (see the module docstring). ``judge`` scores a text
    and returns an object with ``verdict``, ``passed``, ``hard_faults``, ``faults`` and
    ``key_points_missed`` (trainer.scoring.ScoreResult).

    A recording longer than ``long_seconds`` is no service phrase: it is decoded greedily, in
    the background (the cores go to short answers first) and gets no context check.
    """
    started = time.perf_counter()
    is_long = long_seconds is not None and pcm.duration > long_seconds
    options: dict[str, Any] = {"beam_size": 1, "background": True} if is_long else {}
    unbiased = _transcribe(engine, pcm, time_limit=time_limit, **options)
    if unbiased.no_speech:
        return Heard(unbiased, unbiased, elapsed=time.perf_counter() - started)
    first = judge(unbiased.text)
    if first.passed:
        return Heard(unbiased, unbiased, elapsed=time.perf_counter() - started)
    if _overruling(first):
        return Heard(unbiased, unbiased, decision="hard-fault",
                     elapsed=time.perf_counter() - started)
    wanted = missing_words(first, context)
    if is_long or not wanted or getattr(engine, "text_logprobs", None) is None:
        return Heard(unbiased, unbiased, elapsed=time.perf_counter() - started)
    heard = plain(unbiased.text)
    merged, rescued = choose(engine, pcm, heard,
                             near_sounds(heard, wanted, said_words=context.vocabulary))
    elapsed = time.perf_counter() - started
    if merged is None or not rescued:  # no near-sound, or none the audio supports
        return Heard(unbiased, unbiased, elapsed=elapsed,
                     decision="unbiased" if merged is None else "context-rejected")
    second = judge(merged)
    better = _RANK[second.verdict] > _RANK[first.verdict]
    if not better or _overruling(second):
        return Heard(unbiased, unbiased, context_text=merged, rescued=tuple(rescued),
                     decision="context-rejected", elapsed=elapsed)
    adopted = Transcript(
        text=merged, duration=unbiased.duration, segments=unbiased.segments,
        language=unbiased.language, engine=unbiased.engine, elapsed=elapsed)
    return Heard(adopted, unbiased, context_text=merged, rescued=tuple(rescued),
                 decision="context", elapsed=elapsed)


def _overruling(result: Any) -> bool:
    """Whether a judged text shows a fault no context may overrule (a missing time limit,
    "time-missing", is no such fault: nothing was heard that context would contradict)."""
    return bool(set(result.hard_faults) & OVERRULING)


def missing_words(result: Any, context: SceneContext) -> list[str]:
    """The words context may rescue: the key points the answer missed (each alternative of a
    point, e.g. 稍后/稍候/稍等), the names when a name was not heard right, a missing time limit
    (as spoken, 三个工作日内) and 请/您 when courtesy was missed."""
    words: list[str] = []
    for label in getattr(result, "key_points_missed", []) or []:
        group = next((g for g in context.key_points if g and g[0] == label), None)
        words.extend(w for w in (group or _alternatives(label)) if w)
    if "name" in (getattr(result, "faults", []) or []):
        words.extend(context.names)
    for reason in getattr(result, "reasons", []) or []:
        if reason.startswith(MISSING_LIMIT):
            words.extend(_spoken_forms(reason[len(MISSING_LIMIT):]))
        elif reason == MISSING_COURTESY:
            words.extend(COURTESY)
    return list(dict.fromkeys(words))


def _alternatives(label: str) -> list[str]:
    for separator in ("/", "|", "或", "、"):
        if separator in label:
            return [part.strip() for part in label.split(separator)]
    return [label.strip()]


def _spoken_forms(text: str) -> list[str]:
    """A time limit as written and as said (3个工作日内 and 三个工作日内)."""
    import cn2an

    forms = [plain(text)]
    with contextlib.suppress(ValueError, KeyError):
        forms.append(plain(cn2an.transform(text, "an2cn")))
    return [f for f in dict.fromkeys(forms) if f]


def near_sounds(heard: str, words: Sequence[str], *, said_words: frozenset[str] = frozenset()
                ) -> list[tuple[int, int, str]]:
    """Every stretch of ``heard`` (plain text) that is a near-sound of a word it lacks, as
    (start, end, word). A person's surname must sound the same (五 for 吴), never merely
    near (胡主任 is somebody else than 吴主任).

    A character that sounds wholly different (多 for 够, 毡 for 火) is never replaced where the
    text around it is a word of `said_words` (the content's words), as written or, from three
    characters, with one character written as a homophone: that word was said, not the key
    word misheard. 余额不多 heard is no 余额不够; 加氣氈 heard is 加气站 said, no 加熄火 (each
    an invention of the context check on 2026-12-07's clips)."""
    found = []
    for word in words:
        word = plain(word)
        if not word or word in heard:
            continue
        for low in range(len(heard) - len(word) + 1):
            part = heard[low:low + len(word)]
            if (part != word and near_sound(part, word) and keeps_surname(part, word)
                    and not _said_otherwise(heard, low, word, said_words)):
                found.append((low, low + len(word), word))
    return found


# The shortest content word that shows it was said when one of its characters is written as
# a homophone (加氣氈 for 加气站): two characters with one homophone happen by chance.
SAID_BY_SOUND_MIN = 3


def _said_otherwise(heard: str, low: int, word: str, said_words: frozenset[str]) -> bool:
    """Whether replacing heard[low:low+len(word)] by ``word`` would overwrite, with a
    character that sounds wholly different, a content word heard there: the word itself
    (不多) or, from SAID_BY_SOUND_MIN characters, the word with one character written as a
    homophone (加氣氈)."""
    if not said_words:
        return False
    index = _by_sound(said_words)
    for at, char in enumerate(word, start=low):
        if sound_cost(heard[at], char) < 2:
            continue
        for length in range(2, index.longest + 1):
            for start in range(max(0, at - length + 1), min(at, len(heard) - length) + 1):
                stretch = heard[start:start + length]
                if stretch in said_words or (
                        length >= SAID_BY_SOUND_MIN and index.sounds_like(stretch)):
                    return True
    return False


@dataclass(frozen=True)
class _SoundIndex:
    """Content words of SAID_BY_SOUND_MIN characters or more by each way of masking one of
    their characters, to find a word with one character written as another (加氣氈)."""

    masked: dict[str, tuple[str, ...]]
    longest: int

    def sounds_like(self, stretch: str) -> bool:
        """Whether ``stretch`` is a content word with one character written as another of the
        same sound (加气毡 for 加气站); more than one is chance (著你累 is no 处理率)."""
        return any(sound_cost(stretch[at], said[at]) == 0
                   for at in range(len(stretch))
                   for said in self.masked.get(_masked(stretch, at), ()))


@lru_cache(maxsize=4)
def _by_sound(said_words: frozenset[str]) -> _SoundIndex:
    masked: dict[str, list[str]] = {}
    for said in said_words:
        if len(said) >= SAID_BY_SOUND_MIN:
            for at in range(len(said)):
                masked.setdefault(_masked(said, at), []).append(said)
    return _SoundIndex({k: tuple(v) for k, v in masked.items()},
                       max((len(w) for w in said_words), default=0))


def _masked(text: str, at: int) -> str:
    return text[:at] + "\0" + text[at + 1:]


def choose(engine: Any, pcm: PcmAudio, heard: str, spans: list[tuple[int, int, str]]
           ) -> tuple[str | None, list[tuple[str, str]]]:
    """The text with the near-sounds the audio supports replaced (step 4), and the
    (heard, word) pairs replaced; (None, []) when there was nothing to check."""
    spans = list(dict.fromkeys(spans))[:MAX_CANDIDATES]
    if not spans:
        return None, []
    texts = [heard] + [heard[:low] + word + heard[high:] for low, high, word in spans]
    base, *scores = engine.text_logprobs(pcm, texts)
    best: dict[str, tuple[float, tuple[int, int, str]]] = {}
    for (low, high, word), score in zip(spans, scores, strict=True):
        loss = (base - score) / _changed(heard[low:high], word)
        if loss <= MAX_LOSS_PER_CHAR and (word not in best or loss < best[word][0]):
            best[word] = (loss, (low, high, word))
    chosen: list[tuple[int, int, str]] = []
    for _, (low, high, word) in sorted(best.values()):
        if not any(low < end and begin < high for begin, end, _ in chosen):
            chosen.append((low, high, word))
    text = heard
    pairs = []
    for low, high, word in sorted(chosen, reverse=True):
        pairs.append((text[low:high], word))
        text = text[:low] + word + text[high:]
    if len(chosen) > 1:  # each was supported alone: the whole must be too
        together, alone = engine.text_logprobs(pcm, [text, heard])
        if alone - together > MAX_LOSS_PER_CHAR * _changed(heard, text):
            return heard, []
    return text, list(reversed(pairs))


def _changed(before: str, after: str) -> int:
    """The characters replaced by one that sounds different (坤→昆 does not count): the audio
    must support each of those on its own (施战 for 熄火 is 战 for 火, not two blurred ones)."""
    return max(1, sum(1 for a, b in zip(before, after, strict=True) if sound_cost(a, b) > 0))


def plain(text: str) -> str:
    """Simplified characters without punctuation, spaces or symbols."""
    from trainer.scoring.textnorm import to_simplified

    text = to_simplified(unicodedata.normalize("NFKC", text or ""))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def near_sound(heard: str, word: str) -> bool:
    """Whether ``heard`` could be ``word`` misheard: the same length and, on average, at most
    one small difference a character (a blurred initial, the nasal or glide of a final, any
    tone); 坤伦, 洗火, 不断 pass for 昆仑, 熄火, 不多; 长城 for 昆仑 or 后 for 前 do not.
    The audio decides the rest (:func:`choose`), each differently sounding character on its
    own."""
    if len(heard) != len(word) or not word:
        return False
    pairs = list(zip(heard, word, strict=True))
    if any(a != b and (a in NEVER_RESCUED or b in NEVER_RESCUED) for a, b in pairs):
        return False
    return sum(sound_cost(a, b) for a, b in pairs) <= len(word)


def _transcribe(engine: Any, pcm: PcmAudio, **options: Any) -> Transcript:
    options = {k: v for k, v in options.items() if v is not None}
    if options and not getattr(engine, "takes_options", False):
        options = {}  # an engine with the plain transcribe(pcm) only
    return engine.transcribe(pcm, **options) if options else engine.transcribe(pcm)
