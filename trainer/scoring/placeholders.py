"""Typed placeholders in approved phrasings ({station}, {amount}) and filling them in.

amount: the number must be right (三十五元 = 35元 = 三十五块钱); name: the name must be right
(a homophone from the recogniser is fine); choice: the given value, or any listed one when no
value is given; text: not checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

PlaceholderKind = Literal["amount", "name", "choice", "text"]
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

_AMOUNT_NAMES = frozenset({"amount", "change", "price", "total", "balance"})
_NAME_NAMES = frozenset({"station", "other_station", "company"})


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A typed placeholder of an approved phrasing."""

    name: str
    kind: PlaceholderKind
    choices: tuple[str, ...] = ()

    @property
    def strict(self) -> bool:
        """Whether a wrong value fails the answer."""
        return self.kind != "text"


def default_placeholder(name: str) -> Placeholder:
    """The type a placeholder has when the content does not declare it, judged by its name."""
    if name in _AMOUNT_NAMES or name.endswith("_amount"):
        return Placeholder(name, "amount")
    if name in _NAME_NAMES:
        return Placeholder(name, "name")
    return Placeholder(name, "text")


def names_in(template: str) -> list[str]:
    """Placeholder names of a template, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(template)))


def without_placeholders(template: str) -> str:
    """The template with every placeholder replaced by a pause (for deriving key points)."""
    return PLACEHOLDER.sub(",", template)


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a placeholder's value landed in a filled phrasing."""

    placeholder: Placeholder
    value: str
    start: int
    end: int


def fill(template: str, placeholders: Mapping[str, Placeholder], values: Mapping[str, str]
         ) -> tuple[str, tuple[Slot, ...]]:
    """The template with values filled in, and where each value went.

    Raises ValueError (Chinese message) when a checked placeholder has no value.
    """
    pieces: list[str] = []
    slots: list[Slot] = []
    length = 0
    position = 0
    for match in PLACEHOLDER.finditer(template):
        literal = template[position:match.start()]
        pieces.append(literal)
        length += len(literal)
        name = match.group(1)
        placeholder = placeholders.get(name) or default_placeholder(name)
        value = values.get(name)
        if value is None or not str(value).strip():
            if placeholder.kind in ("amount", "name"):
                raise ValueError(f"缺少占位符 {{{name}}} 的值")
            value = ""
        value = str(value).strip()
        pieces.append(value)
        slots.append(Slot(placeholder, value, length, length + len(value)))
        length += len(value)
        position = match.end()
    pieces.append(template[position:])
    return "".join(pieces), tuple(slots)


def fill_text(text: str, values: Mapping[str, str]) -> str:
    """A prompt with the attempt's values in its placeholders (unknown ones left as they are)."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)
