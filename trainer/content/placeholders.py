"""Typed placeholders in service phrases, and filling them so role-plays differ every time."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from trainer.content.fields import Fields
from trainer.content.model import PLACEHOLDER_KINDS, PhraseSpec, PlaceholderSpec

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NAME = re.compile(r"^[a-z][a-z_]*$")

# Values every station record supplies (Station.phrase_values); items use them undeclared.
STATION_PLACEHOLDERS: Mapping[str, PlaceholderSpec] = {
    "station": PlaceholderSpec("station", "name", station_value="station"),
    "company": PlaceholderSpec("company", "name", station_value="company"),
    "hotline": PlaceholderSpec("hotline", "name", station_value="hotline"),
    "price": PlaceholderSpec("price", "amount", station_value="price", unit="元"),
}


def placeholder_names(texts: Iterable[str]) -> list[str]:
    """The placeholder names used in the texts, in order of first use."""
    names: list[str] = []
    for text in texts:
        for name in PLACEHOLDER.findall(text):
            if name not in names:
                names.append(name)
    return names


def parse_placeholder(fields: Fields, name: str) -> PlaceholderSpec | None:
    """One declared placeholder spec (`fields` is its mapping), or None when it is invalid."""
    before = len(fields.problems)
    kind = fields.choice("kind", PLACEHOLDER_KINDS)
    station_value = fields.text("station_value", "") or None
    examples = fields.texts("examples", ())
    choices = fields.texts("choices", ())
    unit = fields.text("unit", "")
    minimum = fields.number("min", None)
    maximum = fields.number("max", None)
    step = fields.number("step", None)
    fields.finish()
    if kind == "choice" and len(choices) < 2:
        fields.problem("choices", "choice 类型至少需要两个可选值")
    if kind != "choice" and choices:
        fields.problem("choices", "只有 choice 类型可以列出 choices")
    if kind == "amount" and station_value is None:
        if minimum is None or maximum is None or step is None:
            fields.problem("", "amount 类型需要 min、max、step(或 station_value)以生成金额")
        elif not 0 < step <= maximum - minimum or minimum < 0:
            fields.problem("", "金额范围无效:需要 0 ≤ min < max,且 0 < step ≤ max − min")
    if kind in ("name", "text") and station_value is None and not examples:
        fields.problem("examples", "不取站点信息的 name/text 占位符需要 examples 示例值")
    if station_value is not None and station_value not in STATION_PLACEHOLDERS:
        fields.problem("station_value",
                       f"站点信息中没有 “{station_value}”(可用:{'、'.join(STATION_PLACEHOLDERS)})")
    if len(fields.problems) > before:
        return None
    return PlaceholderSpec(name, kind, choices, station_value, minimum, maximum, step, unit,
                           examples)


def fill_placeholders(spec: PhraseSpec | Mapping[str, PlaceholderSpec],
                      station_values: Mapping[str, str], rng: random.Random) -> dict[str, str]:
    """Values for every placeholder of a phrase: the station's own values, random plausible
    amounts, one of the choices, one of the examples.

    Raises ValueError (Chinese message) when the station record lacks a value the phrase needs.
    """
    specs = spec.placeholders if isinstance(spec, PhraseSpec) else spec
    values: dict[str, str] = {}
    for name, placeholder in specs.items():
        key = placeholder.station_value or name
        if placeholder.station_value is not None or (
                placeholder.kind == "name" and station_values.get(key)):
            if not station_values.get(key):
                raise ValueError(f"站点信息缺少“{key}”,无法生成练习")
            values[name] = str(station_values[key])
        elif placeholder.kind == "amount":
            values[name] = _random_amount(placeholder, rng)
        elif placeholder.kind == "choice":
            values[name] = rng.choice(placeholder.choices)
        else:
            values[name] = rng.choice(placeholder.examples)
    return values


def _random_amount(placeholder: PlaceholderSpec, rng: random.Random) -> str:
    # Decimal keeps 0.5 steps exact, so 12.5 is never shown as 12.499999.
    low, high, step = (Decimal(str(v)) for v in (placeholder.minimum, placeholder.maximum,
                                                   placeholder.step))
    value = low + step * rng.randint(0, int((high - low) / step))
    return format(value.normalize(), "f")


def substitute(text: str, values: Mapping[str, str]) -> str:
    """The text with its placeholders replaced (unknown ones left as they are)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
