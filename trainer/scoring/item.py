"""Compiling a phrase item once: everything that depends only on the content, not the answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from trainer.scoring.forbidden import ForbiddenMatcher
from trainer.scoring.keypoints import (
    KeyPoint,
    derive_key_points,
    is_courteous,
    key_point,
    phrase_words,
)
from trainer.scoring.language import Language, default_language
from trainer.scoring.negation import Polarity
from trainer.scoring.placeholders import (
    Placeholder,
    default_placeholder,
    names_in,
    without_placeholders,
)
from trainer.scoring.textnorm import Prepared, prepare_cached
from trainer.scoring.timelimits import Limit, parse_limit
from trainer.scoring.tone import ToneModel, default_tone


@dataclass(frozen=True, slots=True)
class CompiledVariant:
    """One approved phrasing with its derived key points, and how it says each point:
    asked for ("do"), prohibited ("forbid": 严禁打手机) or carrying its own negator ("self":
    余额不足, 严禁烟火); see `_polarities` for the keys."""

    template: str
    key_points: tuple[KeyPoint, ...]
    courteous: bool
    polarity: Mapping[str, Polarity]


@dataclass(frozen=True, slots=True)
class CompiledItem:
    """An item ready for score_answer: its phrasings, placeholder types, key points, time
    limits, forbidden-phrase matchers and the language rules. Immutable, so it can be cached
    and shared between threads."""

    variants: tuple[CompiledVariant, ...]
    placeholders: Mapping[str, Placeholder]
    key_points: tuple[KeyPoint, ...] | None  # named by the content; None: derived per phrasing
    matchers: tuple[ForbiddenMatcher, ...]
    allowed_forbidden: frozenset[str]  # wordings of the approved phrasings themselves
    language: Language
    time_limits: tuple[Limit, ...] = ()
    vocabulary: frozenset[str] = frozenset()  # words of service talk beyond these phrasings
    known_names: tuple[str, ...] = ()  # station names from the content (examples)
    tone: ToneModel | None = None  # the tone of added remarks (content/remarks.yaml)
    context: tuple[str, ...] = ()  # what the trainee is shown; placeholders still in it


def compile_item(expected: Sequence[str], *, placeholders: Mapping[str, Placeholder] | None = None,
                 key_points: Sequence[Sequence[str]] | None = None,
                 forbidden: ForbiddenMatcher | None = None,
                 extra_forbidden: Sequence[str] = (),
                 time_limits: Sequence[str] = (),
                 language: Language | None = None,
                 vocabulary: Iterable[str] = (),
                 known_names: Iterable[str] = (),
                 tone: ToneModel | None = None,
                 context: Sequence[str] = ()) -> CompiledItem:
    """Compile the approved phrasings of a scene.

    `placeholders` types the {name} placeholders (unknown ones are typed by name: amount,
    change, price, total, balance, *_amount are amounts; station, other_station, company are
    names; the rest free text). `key_points` are lists of acceptable wordings; without them
    the key points are derived from each phrasing; either way each wording brings its
    synonyms. `time_limits` are the limits the phrasing promises ("48小时内", "立即").
    `forbidden` is the global matcher, `extra_forbidden` phrases forbidden for this item only.
    `language` defaults to the repository's content/language.yaml and `tone` to its
    content/remarks.yaml; `context` is what the trainee is shown (the money it names is the
    only money an answer may name besides the placeholders'); `vocabulary` adds words of neutral service talk (the content library
    passes the words of every approved phrasing).
    Raises ValueError (Chinese message) for an item that cannot be scored.
    """
    if isinstance(expected, str):
        expected = [expected]
    templates = [t for t in expected if isinstance(t, str) and t.strip()]
    if not templates:
        raise ValueError("没有标准用语")
    language = language or default_language()
    # Placeholders of the prompt only (请稍候 for a caller asking for {colleague}) still name
    # what may not be said wrong.
    typed: dict[str, Placeholder] = dict(placeholders or {})
    for template in templates:
        for name in names_in(template):
            typed[name] = (placeholders or {}).get(name) or default_placeholder(name)
    explicit = None
    if key_points:
        explicit = tuple(key_point([point] if isinstance(point, str) else list(point), language)
                         for point in key_points)
    variants = []
    for template in templates:
        bare = without_placeholders(template)
        strict = any(typed[n].strict for n in names_in(template))
        points = derive_key_points(bare, has_strict_placeholders=strict, language=language)
        variants.append(CompiledVariant(
            template=template,
            key_points=points,
            courteous=is_courteous(bare),
            polarity=MappingProxyType(_polarities(bare, explicit or points, language)),
        ))
    matchers = [m for m in (forbidden, ForbiddenMatcher(list(extra_forbidden))) if m]
    # A wording the approved phrasing itself uses cannot be forbidden in this scene.
    allowed = frozenset(hit.phrase for matcher in matchers for template in templates
                        for hit in matcher.find(without_placeholders(template), spoken=False))
    words = set(vocabulary)
    for template in templates:
        found = phrase_words(without_placeholders(template))
        words.update(found.content + found.generic + found.courtesy)
    return CompiledItem(
        variants=tuple(variants),
        placeholders=MappingProxyType(typed),
        key_points=explicit,
        matchers=tuple(matchers),
        allowed_forbidden=allowed,
        language=language,
        time_limits=tuple(parse_limit(t, language) for t in time_limits),
        vocabulary=frozenset(words),
        known_names=tuple(dict.fromkeys(known_names)),
        tone=tone or default_tone(),
        context=tuple(context),
    )


def _polarities(text: str, points: Sequence[KeyPoint], language: Language
                ) -> dict[str, Polarity]:
    """How the phrasing says each point (see CompiledVariant), keyed by the point's label and
    by "label|wording" for each wording the phrasing itself uses: 禁止载客 and 请您下车 are one
    point of 请乘客下车, said once as a prohibition and once as a request."""
    prepared = prepare_cached(text)
    result: dict[str, Polarity] = {}
    for point in points:
        said = [(start, wording) for start, _, wording in point.occurrences(prepared, spoken=False)]
        kinds = {w: polarity_of(w, prepared, start, language) for start, w in said}
        for wording, kind in kinds.items():
            result[f"{point.label}|{wording}"] = kind
        values = set(kinds.values())
        result[point.label] = "do" if "do" in values or not values else next(iter(values))
    return result


def polarity_of(wording: str, said_in: Prepared, start: int, language: Language) -> Polarity:
    """How a wording said at `start` of a text stands: carrying a negator itself ("self"),
    prohibited or negated just before it in its clause ("forbid": 严禁打手机, 您不知道密码的话;
    an answer that negates it too keeps the point), or plainly asked for ("do": in
    余额不足,请充值 the 不 belongs to the clause before)."""
    words = language.negation
    if any(c in wording for c in words.negators + words.prohibitors + ("没",)):
        return "self"
    clause = max((b for b in said_in.breaks if b <= start), default=0)
    before = said_in.text[max(clause, start - 4):start]
    negating = words.prohibitors + words.negators + ("没", "没有")
    return "forbid" if any(p in before for p in negating) else "do"
