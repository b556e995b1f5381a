"""The URL converters of the app."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from trainer.ids import MAX_ID


def bounded_integer_converter(map: Map, *args: Any, **kwargs: Any) -> IntegerConverter:
    """``<int:...>`` in routes, up to MAX_ID unless the rule says otherwise: a larger number
    does not match (404) instead of reaching the database as an integer no column can hold.
    A plain IntegerConverter, so code that looks at a rule's converters sees the usual one."""
    kwargs.setdefault("max", MAX_ID)
    return IntegerConverter(map, *args, **kwargs)
