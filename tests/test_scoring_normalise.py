"""Normalisation: typing and recogniser noise must vanish, meaning must not."""

import pytest

from trainer.scoring.phonetic import sound_strings
from trainer.scoring.textnorm import prepare


@pytest.mark.parametrize(("raw", "normal"), [
    ("您好,歡迎光臨崑崙加氣站", "您好欢迎光临昆仑加气站"),  # traditional characters
    ("您 好 , 欢 迎 光 临 昆 仑 加 气 站 !", "您好欢迎光临昆仑加气站"),  # spaces, full width
    ("请稍后……马上给您加气!!", "请稍后马上给您加气"),
    ("嗯,您好", "您好"),  # filler
    ("呃,那个,您好", "您好"),  # fillers at the start of a clause
    ("您好啊,欢迎光临", "您好欢迎光临"),
    ("喂您好这里是昆仑加气站", "您好这里是昆仑加气站"),  # phone line noise
    ("喂,喂,您好", "您好"),
    ("沒看見我正忙著嗎", "没看见我正忙着吗"),  # 著 as the particle 着
    ("ＡＢＣ１２３", "abc123"),  # full-width Latin and digits
])
def test_noise_is_removed(raw, normal):
    assert prepare(raw).text == normal


@pytest.mark.parametrize(("raw", "normal"), [
    ("那个加气站的师傅", "加气站的师傅"),  # 那个 at the start reads as a filler
    ("请看一下这个表", "请看一下这个表"),  # ...but 这个 inside a clause stays
    ("著名的加气站", "著名的加气站"),  # 著 of 著名 is not the particle
    ("喂", "喂"),  # a lone 喂 is the whole answer, not noise to drop
    ("余额不多", "余额不多"),  # 额 is not the filler 呃
])
def test_meaning_is_kept(raw, normal):
    assert prepare(raw).text == normal


@pytest.mark.parametrize(("raw", "normal"), [
    ("找您三十五元,请拿好", "找您35元请拿好"),
    ("找您三十五块钱", "找您35元"),
    ("找您35块", "找您35元"),
    ("七块五", "7.5元"),
    ("五毛钱", "0.5元"),
    ("加 320.5 方", "加320.5方"),  # the decimal point survives punctuation removal
    ("三十立方", "30方"),
    ("加一百二", "加120"),
    ("看一下", "看一下"),  # a numeral without a unit is a word, not a number
    ("一共", "一共"),
    ("稍向前一点", "稍向前一点"),
    ("万一", "万一"),
    ("十分感谢", "十分感谢"),
])
def test_amounts_are_spelled_one_way(raw, normal):
    assert prepare(raw).text == normal


def test_positions_point_into_the_original():
    raw = "嗯,您好!歡迎光臨"
    prepared = prepare(raw)
    assert prepared.text == "您好欢迎光临"
    start, end = prepared.original_span(2, 6)
    assert raw[start:end] == "歡迎光臨"


def test_amount_positions_cover_the_spoken_words():
    raw = "找您三十五块钱,请拿好"
    prepared = prepare(raw)
    (amount,) = prepared.amounts
    assert prepared.text[amount.start:amount.end] == "35元"
    start, end = prepared.original_span(amount.start, amount.end)
    assert raw[start:end] == "三十五块钱"


def test_clause_breaks_are_remembered():
    prepared = prepare("您别着急,什么时候都行")
    assert prepared.text == "您别着急什么时候都行"
    assert 4 in prepared.breaks


@pytest.mark.parametrize("blank", ["", "   ", "\n\t", "。。。", "嗯……", "!!"])
def test_blank_answers_normalise_to_nothing(blank):
    assert prepare(blank).text == ""


def test_homophones_sound_the_same():
    # 家氣戰 and 加气站, 師父 and 师傅, 稍候 and 稍后: same toneless syllables.
    for a, b in [("家氣戰", "加气站"), ("師父", "师傅"), ("稍候", "稍后"), ("令到", "领导")]:
        assert prepare(a).exact == prepare(b).exact
    # Tones are ignored, so 布置到 sounds like 不知道: the forbidden matcher also looks at
    # characters and word boundaries (see test_scoring_forbidden.py).
    assert prepare("布置到").exact == prepare("不知道").exact


def test_loose_sound_merges_what_recognisers_blur():
    exact_nin, loose_nin = sound_strings("您")
    exact_ni, loose_ni = sound_strings("你")
    assert exact_nin != exact_ni  # 您 and 你 are different syllables...
    assert loose_nin == loose_ni  # ...heard alike (the 您/你 rule in lexicon.py)
    assert sound_strings("站")[1] == sound_strings("赞")[1]  # zh/z
    assert sound_strings("请")[1] == sound_strings("亲")[1]  # -ng/-n


def test_arbitrary_unicode_does_not_break_normalisation():
    for raw in ["\ud800abc", "𠀀𠀁", "\x00\x01", "😀您好😀", "ﷺ", "\u200b您\u200b好"]:
        prepared = prepare(raw)
        assert len(prepared.starts) == len(prepared.text) == len(prepared.exact)
