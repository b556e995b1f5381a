"""Turning content phrase specs into the scoring engine's compiled items.

The engine is imported inside the functions so the loader and `content check` work even
where the scoring package is not importable.
"""

from __future__ import annotations

from typing import Any

from trainer.content.model import PhraseSpec


def scoring_placeholders(spec: PhraseSpec) -> dict[str, Any]:
    """The engine's Placeholder objects for the placeholders of the expected phrasings."""
    from trainer.scoring import Placeholder

    return {
        name: Placeholder(name, placeholder.kind, placeholder.choices)  # type: ignore[arg-type]
        for name, placeholder in spec.placeholders.items()
    }


def compile_spec(spec: PhraseSpec, forbidden: Any = None, language: Any = None,
                 vocabulary: Any = (), known_names: Any = (), tone: Any = None) -> Any:
    """A CompiledItem for one phrase spec; `forbidden` is the global ForbiddenMatcher,
    `language` the library's language rules, `vocabulary` the words of every phrasing."""
    from trainer.scoring import compile_item

    return compile_item(
        list(spec.expected),
        placeholders=scoring_placeholders(spec) or None,
        key_points=[list(point) for point in spec.key_points] or None,
        forbidden=forbidden,
        extra_forbidden=tuple(spec.extra_forbidden),
        time_limits=tuple(spec.time_limits),
        language=language,
        vocabulary=vocabulary,
        known_names=known_names,
        tone=tone,
        context=tuple(spec.context),
    )

