"""Delivery feedback from recogniser timings: rate, long pauses and fillers, in Chinese."""

from __future__ import annotations

import pytest

from trainer.speech import Segment, Transcript, Word, delivery_feedback
from trainer.speech.delivery import find_fillers, long_pauses, speaking_rate


def words(*timed: tuple[float, float, str]) -> tuple[Word, ...]:
    return tuple(Word(start, end, text) for start, end, text in timed)


def transcript_of(text: str, segments: tuple[Segment, ...]) -> Transcript:
    return Transcript(text=text, duration=segments[-1].end + 0.5, segments=segments)


def even_words(text: str, start: float, seconds_per_char: float) -> tuple[Word, ...]:
    return tuple(
        Word(start + i * seconds_per_char, start + (i + 1) * seconds_per_char, ch)
        for i, ch in enumerate(text)
    )


def test_rate_counts_characters_between_first_and_last_sound():
    ws = even_words("您好欢迎光临昆仑加气站", 0.6, 0.25)  # 11 characters in 2.75 s
    t = transcript_of(
        "您好,欢迎光临昆仑加气站。", (Segment(0.6, 3.35, "您好,欢迎光临昆仑加气站。", ws),)
    )
    assert speaking_rate(t) == 240
    feedback = delivery_feedback(t)
    assert feedback.chars_per_minute == 240 and feedback.rate_label == "适中"
    assert "每分钟约 240 字" in feedback.notes[0]


@pytest.mark.parametrize("seconds_per_char,label", [(0.15, "偏快"), (0.6, "偏慢"), (0.25, "适中")])
def test_rate_labels(seconds_per_char, label):
    ws = even_words("请稍后马上给您加气", 0.0, seconds_per_char)
    t = transcript_of("请稍后马上给您加气", (Segment(0.0, ws[-1].end, "请稍后马上给您加气", ws),))
    assert delivery_feedback(t).rate_label == label


def test_too_short_to_judge_the_rate():
    t = transcript_of(
        "再见", (Segment(0.2, 0.7, "再见", words((0.2, 0.45, "再"), (0.45, 0.7, "见"))),)
    )
    feedback = delivery_feedback(t)
    assert feedback.chars_per_minute is None and "无法判断" in feedback.rate_label


def test_long_pause_between_words_is_found_with_its_length():
    ws = words(
        (0.0, 0.4, "请"),
        (0.4, 0.8, "稍后"),
        (2.3, 2.6, "马上"),
        (2.6, 3.0, "给您"),
        (3.1, 3.4, "加气"),
    )
    t = transcript_of("请稍后马上给您加气", (Segment(0.0, 3.4, "请稍后马上给您加气", ws),))
    pauses = long_pauses(t)
    assert [(p.start, p.seconds) for p in pauses] == [(0.8, 1.5)]
    assert "1 处超过 1 秒(1.5 秒)" in delivery_feedback(t).notes[1]


def test_pauses_fall_back_to_segments_without_word_timings():
    t = transcript_of(
        "请走好欢迎再次光临", (Segment(0.0, 1.0, "请走好"), Segment(3.0, 4.5, "欢迎再次光临"))
    )
    assert [p.seconds for p in long_pauses(t)] == [2.0]


def test_short_gaps_are_not_pauses():
    ws = even_words("对不起让您久等了", 0.0, 0.3)
    t = transcript_of("对不起让您久等了", (Segment(0.0, 2.4, "对不起让您久等了", ws),))
    assert long_pauses(t) == ()
    assert "没有过长的停顿" in delivery_feedback(t).notes[1]


@pytest.mark.parametrize(
    "text,fillers",
    [
        ("嗯,您好,欢迎光临", ("嗯",)),
        ("呃,那个,请稍后", ("呃", "那个")),
        ("那個,您好", ("那個",)),
        ("啊,找您三十五元", ("啊",)),
        ("您好,余额不多,请及时充值", ()),  # 额 of 余额 is not a filler
        ("来了啊,加多少", ()),  # a sentence particle, not a hesitation
        ("那个车请熄火", ("那个",)),  # clause start: counted, the trainee should say 您的车
        ("请把那个油枪挂好", ()),
    ],
)
def test_fillers(text, fillers):
    assert find_fillers(text) == fillers


def test_feedback_lists_fillers_in_chinese():
    ws = even_words("嗯您好欢迎光临", 0.0, 0.3)
    t = transcript_of("嗯,您好,欢迎光临", (Segment(0.0, 2.1, "嗯,您好,欢迎光临", ws),))
    feedback = delivery_feedback(t)
    assert feedback.filler_count == 1
    assert "口头语:1 次(嗯)" in feedback.notes[2]


def test_no_speech_gives_no_delivery_judgement():
    feedback = delivery_feedback(Transcript(text="", duration=2.0, no_speech=True))
    assert (
        feedback.chars_per_minute is None and feedback.long_pauses == () and feedback.fillers == ()
    )
    assert "没有听到说话声" in feedback.notes[0]
