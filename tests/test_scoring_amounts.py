"""Amounts are strict: every spelling of the right number passes, any other number fails."""

from decimal import Decimal
from pathlib import Path

import pytest

from trainer.scoring import ForbiddenMatcher, compile_item, score_answer
from trainer.scoring.numbers import find_amounts, parse_chinese_integer, parse_number

MATCHER = ForbiddenMatcher.from_yaml(Path(__file__).parents[1] / "content" / "forbidden.yaml")
CHANGE = compile_item(["找您{amount}元,请拿好。"], forbidden=MATCHER)
FILL = compile_item(["好的,给您加{amount}方,请稍等。"], forbidden=MATCHER)
PRICE = compile_item(["今天的气价是每方{price}元。"], forbidden=MATCHER)


@pytest.mark.parametrize(("text", "value"), [
    ("三十五", 35), ("十五", 15), ("二十", 20), ("一百零五", 105), ("一百二", 120),
    ("一千二", 1200), ("两万", 20000), ("一万二", 12000), ("三百五十", 350), ("十万", 100000),
    ("一二零", 120), ("二〇二四", 2024), ("十", 10),
])
def test_chinese_integers(text, value):
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize("text", ["三五十", "百", ""])
def test_unreadable_numerals(text):
    assert parse_chinese_integer(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("35", "35"), ("7.5", "7.5"), ("三点五", "3.5"), ("零点五", "0.5"), ("1,000", "1000"),
    ("3万", "30000"),
])
def test_numbers(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(("text", "token"), [
    ("三十五元", "35元"), ("35元", "35元"), ("三十五块钱", "35元"), ("三十五块", "35元"),
    ("七块五", "7.5元"), ("7块5", "7.5元"), ("一百二十元", "120元"), ("两块", "2元"),
    ("五毛", "0.5元"), ("五毛钱", "0.5元"), ("2角", "0.2元"), ("三块五毛", "3.5元"),
    ("一块二毛五", "1.25元"), ("十块零五毛", "10.5元"), ("一块半", "1.5元"), ("¥35", "35元"),
    ("320.5方", "320.5方"), ("三十方", "30方"), ("三十立方", "30方"), ("20立方米", "20方"),
    ("30升", "30升"), ("二十公斤", "20公斤"), ("一百二", "120"), ("35", "35"),
])
def test_amount_spellings(text, token):
    (amount,) = find_amounts(text)
    assert amount.token == token
    assert (amount.start, amount.end) == (0, len(text))


@pytest.mark.parametrize("text", ["看一下", "一共", "万一", "千万别", "一块儿去", "十分感谢",
                                  "一方面", "稍向前一点", "三五分钟", "一个"])
def test_words_with_numerals_are_not_amounts(text):
    assert find_amounts(text) == []


@pytest.mark.parametrize(("value", "answer"), [
    ("35", "找您三十五元,请拿好"),
    ("35", "找您35元,请拿好"),
    ("35", "找您三十五块钱,您拿好"),
    ("35", "找您35块,请拿好"),
    ("35", "找您 35 元,请拿好"),
    ("35", "找您叁拾伍元,请拿好"),  # financial numerals
    ("7.5", "找您七块五,请拿好"),
    ("7.5", "找您七块五毛,请拿好"),
    ("7.5", "找您7.5元,请拿好"),
    ("120", "找您一百二,请拿好"),
    ("120", "找您一百二十块,请拿好"),
    ("2", "找您两块,请拿好"),
    ("0.5", "找您五毛,请拿好"),
    ("0.2", "找您2角,请拿好"),
    ("35.00", "找您35元,请拿好"),  # the value's own spelling does not matter either
    ("三十五", "找您35元,请拿好"),
])
def test_right_amount_in_any_spelling_passes(value, answer):
    result = score_answer(CHANGE, answer, {"amount": value})
    assert result.verdict == "pass", result.reasons


@pytest.mark.parametrize(("value", "answer", "heard"), [
    ("35", "找您五十元,请拿好", "50 元"),
    ("35", "找您53元,请拿好", "53 元"),
    ("35", "找您三十块,请拿好", "30 元"),
    ("35", "找您三百五十元,请拿好", "350 元"),
    ("7.5", "找您七块,请拿好", "7 元"),
    ("7.5", "找您五块七,请拿好", "5.7 元"),
    ("0.5", "找您五块,请拿好", "5 元"),
    ("120", "找您一百零二元,请拿好", "102 元"),
])
def test_wrong_amount_fails_however_similar_the_rest(value, answer, heard):
    result = score_answer(CHANGE, answer, {"amount": value})
    assert result.verdict == "fail"
    assert any(r.startswith("金额不对") and heard in r for r in result.reasons), result.reasons


@pytest.mark.parametrize("answer", ["找您钱,请拿好", "找您零钱,请拿好", "请拿好"])
def test_missing_amount_fails(answer):
    result = score_answer(CHANGE, answer, {"amount": "35"})
    assert result.verdict == "fail"
    assert "缺少金额:找零应为 35 元" in result.reasons


def test_reason_names_expected_and_heard_amounts():
    result = score_answer(CHANGE, "找您五十元,请拿好", {"amount": "35"})
    assert "金额不对:找零应为 35 元,说成了 50 元" in result.reasons


def test_volume_amounts():
    assert score_answer(FILL, "好的,给您加三十方,请稍等", {"amount": "30"}).passed
    assert score_answer(FILL, "好的,给您加30立方,请稍等", {"amount": "30"}).passed
    assert score_answer(FILL, "好的,给您加二十方,请稍等", {"amount": "30"}).verdict == "fail"
    # Money where a volume is asked is a different quantity.
    money = score_answer(FILL, "好的,给您加30元,请稍等", {"amount": "30"})
    assert money.verdict == "fail"
    assert "金额不对:应为 30 方,说成了 30 元" in money.reasons


def test_price_with_decimals():
    assert score_answer(PRICE, "今天的气价是每方四块五", {"price": "4.5"}).passed
    assert score_answer(PRICE, "今天的气价是每方4.5元", {"price": "4.5"}).passed
    assert score_answer(PRICE, "今天的气价是每方4.50元", {"price": "4.5"}).passed
    assert score_answer(PRICE, "今天的气价是每方45元", {"price": "4.5"}).verdict == "fail"
    assert score_answer(PRICE, "今天的气价是每方五块四", {"price": "4.5"}).verdict == "fail"


def test_extra_amounts_around_the_right_one_are_fine():
    result = score_answer(CHANGE, "收您一百元,找您三十五元,请拿好", {"amount": "35"})
    assert result.passed, result.reasons


def test_missing_value_is_a_content_error_not_a_fail():
    with pytest.raises(ValueError, match="amount"):
        score_answer(CHANGE, "找您35元,请拿好", {})


@pytest.mark.parametrize("answer", [
    "找您35元,哦不对,50元,请拿好",
    "找您三十五元,五十元,请拿好",
    "找您35块,请拿好,下次找您20",
])
def test_the_right_amount_beside_another_never_passes_on_its_own(answer):
    result = score_answer(CHANGE, answer, {"amount": "35"})
    assert not result.passed and result.verdict in ("review", "fail"), result.reasons
    assert any("其他金额" in r for r in result.reasons) or result.verdict == "fail"


def test_received_and_total_amounts_may_be_sung_beside_the_change():
    for answer in ("收您一百元,找您三十五元,请拿好", "一共65元,收您100元,找您35元,请拿好"):
        assert score_answer(CHANGE, answer, {"amount": "35"}).passed, answer


@pytest.mark.parametrize(("said", "read"), [
    ("请您把找零点一下", "请您把找零点一下"),  # heldout-K: 找零 lost to 0.1
    ("一点一点来", "一点一点来"),
    ("十点一刻到", "十点一刻到"),
    ("找您三点五元", "找您3.5元"),
    ("余额还有零点五方", "余额还有0.5方"),
    ("收您一百,找您三十一点五", "收您100找您31.5"),
])
def test_dian_is_a_decimal_point_only_in_a_number(said, read):
    from trainer.scoring.textnorm import prepare_cached

    assert prepare_cached(said).text == read
