"""Filling placeholders: the station's own values, plausible varying amounts, listed choices."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from trainer.content import PlaceholderSpec, fill_placeholders, load_content, substitute

ROOT = Path(__file__).resolve().parent.parent
STATION = {"station": "昆仑", "company": "中石油昆仑燃气有限公司", "hotline": "0991-1234567",
           "price": "3.6"}


@pytest.fixture(scope="module")
def library():
    return load_content(ROOT / "content")


def test_amounts_stay_in_range_on_the_step_and_vary(library):
    spec = library.item("sl-change").spec
    amounts = {fill_placeholders(spec, STATION, random.Random(seed))["amount"]
               for seed in range(60)}
    assert len(amounts) > 20
    for amount in amounts:
        value = Decimal(amount)
        assert Decimal(1) <= value <= Decimal(100)
        assert value % Decimal("0.5") == 0
        assert not amount.endswith(".0")  # said as 12 or 12.5, never 12.0


def test_the_same_seed_gives_the_same_values(library):
    spec = library.item("sl-change").spec
    assert (fill_placeholders(spec, STATION, random.Random(7))
            == fill_placeholders(spec, STATION, random.Random(7)))


def test_station_values_come_from_the_station_record(library):
    values = fill_placeholders(library.item("sl-greet").spec, STATION, random.Random(0))
    assert values == {"station": "昆仑"}
    phrase = substitute(library.item("sl-greet").expected[0], values)
    assert phrase == "您好！欢迎光临昆仑加气站。"
    with pytest.raises(ValueError, match="station"):
        fill_placeholders(library.item("sl-greet").spec, {"company": "x"}, random.Random(0))


def test_choices_and_examples(library):
    spec = library.item("sl-move-car").spec
    seen = {fill_placeholders(spec, STATION, random.Random(s))["direction"] for s in range(30)}
    assert seen == {"前", "后"}
    elsewhere = library.item("sl-fault-elsewhere")
    names = {fill_placeholders(elsewhere.spec, STATION, random.Random(s))["other_station"]
             for s in range(30)}
    assert names <= set(elsewhere.placeholders["other_station"].examples) and len(names) > 1
    # A neighbouring station the station record names wins over the examples.
    named = fill_placeholders(elsewhere.spec, {**STATION, "other_station": "红山"},
                              random.Random(0))
    assert named["other_station"] == "红山"


def test_prompt_and_answer_use_the_same_values(library):
    item = library.item("ht-sing-cash")
    values = fill_placeholders(item.spec, STATION, random.Random(3))
    assert Decimal(values["change"]) < Decimal(values["received"])
    assert values["received"] in substitute(item.situation, values)
    assert values["change"] in substitute(item.expected[0], values)


def test_price_is_an_amount_from_the_station():
    spec = {"price": PlaceholderSpec("price", "amount", station_value="price", unit="元")}
    assert fill_placeholders(spec, STATION, random.Random(0)) == {"price": "3.6"}
