"""Compiling a phrase item once: everything that depends only on the content, not the answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from trainer.scoring.forbidden import ForbiddenMatcher
from trainer.scoring.keypoints import KeyPoint, derive_key_points, is_courteous, key_point
from trainer.scoring.placeholders import (
    Placeholder,
    default_placeholder,
    names_in,
    without_placeholders,
)


@dataclass(frozen=True, slots=True)
class CompiledVariant:
    """One approved phrasing with its derived key points."""

    template: str
    key_points: tuple[KeyPoint, ...]
    courteous: bool


@dataclass(frozen=True, slots=True)
class CompiledItem:
    """An item ready for score_answer: its phrasings, placeholder types, key points and
    forbidden-phrase matchers. Immutable, so it can be cached and shared between threads."""

    variants: tuple[CompiledVariant, ...]
    placeholders: Mapping[str, Placeholder]
    key_points: tuple[KeyPoint, ...] | None  # named by the content; None: derived per phrasing
    matchers: tuple[ForbiddenMatcher, ...]
    allowed_forbidden: frozenset[str]  # wordings of the approved phrasings themselves


def compile_item(expected: Sequence[str], *, placeholders: Mapping[str, Placeholder] | None = None,
                 key_points: Sequence[Sequence[str]] | None = None,
                 forbidden: ForbiddenMatcher | None = None,
                 extra_forbidden: Sequence[str] = ()) -> CompiledItem:
    """Compile the approved phrasings of a scene.

    `placeholders` types the {name} placeholders (unknown ones are typed by name: amount,
    change, price, total, balance, *_amount are amounts; station, other_station, company are
    names; the rest free text). `key_points` are lists of acceptable wordings; without them
    the key points are derived from each phrasing. `forbidden` is the global matcher,
    `extra_forbidden` phrases forbidden for this item only.
    Raises ValueError (Chinese message) for an item that cannot be scored.
    """
    if isinstance(expected, str):
        expected = [expected]
    templates = [t for t in expected if isinstance(t, str) and t.strip()]
    if not templates:
        raise ValueError("没有标准用语")
    typed: dict[str, Placeholder] = {}
    for template in templates:
        for name in names_in(template):
            typed[name] = (placeholders or {}).get(name) or default_placeholder(name)
    explicit = None
    if key_points:
        explicit = tuple(key_point([point] if isinstance(point, str) else list(point))
                         for point in key_points)
    variants = []
    for template in templates:
        bare = without_placeholders(template)
        strict = any(typed[n].strict for n in names_in(template))
        variants.append(CompiledVariant(
            template=template,
            key_points=derive_key_points(bare, has_strict_placeholders=strict),
            courteous=is_courteous(bare),
        ))
    matchers = [m for m in (forbidden, ForbiddenMatcher(list(extra_forbidden))) if m]
    # A wording the approved phrasing itself uses cannot be forbidden in this scene.
    allowed = frozenset(hit.phrase for matcher in matchers for template in templates
                        for hit in matcher.find(without_placeholders(template)))
    return CompiledItem(
        variants=tuple(variants),
        placeholders=MappingProxyType(typed),
        key_points=explicit,
        matchers=tuple(matchers),
        allowed_forbidden=allowed,
    )
