"""Forbidden phrases: caught when mangled or padded, not raised on harmless uses."""

from pathlib import Path

import pytest
import yaml

from trainer.scoring import ForbiddenMatcher, compile_item, score_answer

LIST = Path(__file__).parents[1] / "content" / "forbidden.yaml"
MATCHER = ForbiddenMatcher.from_yaml(LIST)
WAIT = compile_item(["请稍后,马上给您加气。"], forbidden=MATCHER)


def test_the_global_list_has_the_phrases_the_issue_names():
    listed = {item["text"] for item in yaml.safe_load(LIST.read_text(encoding="utf-8"))["items"]}
    assert {"不知道", "不归我管", "急什么", "没看见我正忙着吗", "你问我我问谁", "找领导去",
            "有意见找领导去", "爱加不加", "嫌慢你去别处加", "下班了明天再来", "我也没办法",
            "你自己看", "不是告诉你了吗", "怎么这么多事", "快点后面还有人", "没零钱",
            "机器坏了我有什么办法", "说了你也不懂", "到底加不加", "喊什么喊"} <= listed


@pytest.mark.parametrize("text", [
    "不知道", "我不知道", "不知道啊", "我不知道,您问别人吧", "急什么", "你急什么", "你着急什么",
    "你问我我问谁", "爱加不加", "下班了明天再来", "下班了,明天再来!", "我们下班了明天再来吧",
    "不是告诉你了吗", "怎么这么多事", "怎么这么多事儿", "快点后面还有人", "快点", "你快点",
    "快点儿", "没零钱", "机器坏了我有什么办法", "说了你也不懂", "到底加不加", "你到底加不加",
    "喊什么喊", "找领导去", "有意见找领导去", "没看见我正忙着吗", "没看见我在忙吗", "你自己看",
    "你自己看吧", "我也没办法", "嫌慢你去别处加", "嫌慢去别处加", "不归我管", "这不归我管",
])
def test_listed_phrases_are_found(text):
    assert MATCHER.find(text), text


@pytest.mark.parametrize(("text", "phrase"), [
    ("有一件你找令到去", "有意见你找领导去"),  # recogniser homophones
    ("不知到", "不知道"),
    ("急什麼,馬上給您加氣", "急什么"),  # traditional characters
    ("即什么马上给您加气", "急什么"),
    ("沒看見我正忙著嗎?", "没看见我正忙着吗"),
    ("不是告訴你了嗎", "不是告诉你了吗"),
    ("到底家不家", "到底加不加"),
    ("愛加不加", "爱加不加"),
    ("快电,后面还有人", "快点后面还有人"),
])
def test_homophone_mangled_phrases_are_found(text, phrase):
    assert phrase in [hit.phrase for hit in MATCHER.find(text)]


@pytest.mark.parametrize(("text", "phrase"), [
    ("不归我们管", "不归我们管"),  # listed variant
    ("这个不归我们管", "不归我们管"),
    ("我也没有办法", "我也没办法"),  # one word slipped in
    ("没有零钱", "没零钱"),
    ("嫌慢你就去别处加", "嫌慢你去别处加"),
    ("说了你们也不懂", "说了你也不懂"),
])
def test_inserted_words_do_not_hide_a_phrase(text, phrase):
    assert phrase in [hit.phrase for hit in MATCHER.find(text)]


def test_polite_you_does_not_make_a_rude_phrase_polite():
    # The 您/你 rule (lexicon.py): 您问我我问谁 is as rude as 你问我我问谁.
    assert MATCHER.find("您问我我问谁")


@pytest.mark.parametrize("text", [
    "不知道您还需要什么帮助",  # polite: "I wonder whether you need..."
    "不知道您贵姓",
    "不知道是否方便",
    "如果您不知道怎么操作,我来帮您",
    "有不知道的地方可以问我",
    "加快点火",  # 快点 is not a word here
    "请您加快点火速度",
    "布置到位",  # sounds like 不知道 without tones, shares no character with it
    "您别着急,什么时候方便都可以",  # 急 and 什么 are in different clauses
    "请您不要着急",
    "请您自己看一下表,核对一下",
    "您没有零钱的话可以扫码",
    "我马上去找领导来帮您处理",
    "您好,欢迎光临昆仑加气站",
    "对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。",
    "请问您还需要什么",
    "请多提宝贵意见",
    "找您35元,请拿好",
])
def test_harmless_uses_raise_no_alarm(text):
    assert MATCHER.find(text) == []


def test_positions_index_the_original_answer():
    answer = "嗯,請稍後,怎麼這麼多事,馬上給您加氣"
    (hit,) = MATCHER.find(answer)
    assert hit.phrase == "怎么这么多事"
    assert answer[hit.start:hit.end] == "怎麼這麼多事"


def test_a_longer_phrase_is_reported_once_not_with_its_parts():
    hits = MATCHER.find("有意见找领导去")
    assert [h.phrase for h in hits] == ["有意见找领导去"]


def test_every_occurrence_is_reported_in_order():
    answer = "急什么,我不知道"
    assert [answer[h.start:h.end] for h in MATCHER.find(answer)] == ["急什么", "不知道"]


def test_forbidden_phrase_anywhere_fails_the_answer():
    for answer in ["急什么,请稍后,马上给您加气", "请稍后,怎么这么多事,马上给您加气",
                   "请稍后,马上给您加气,爱加不加"]:
        result = score_answer(WAIT, answer)
        assert result.verdict == "fail"
        assert any(r.startswith("含服务忌语:") for r in result.reasons)
        assert result.forbidden_found


def test_forbidden_reason_names_the_phrase():
    result = score_answer(WAIT, "急什么,马上给您加气")
    assert result.reasons[0] == "含服务忌语:急什么"
    assert result.score <= 20


def test_texts_and_text_variant_pairs_are_accepted():
    matcher = ForbiddenMatcher(["爱加不加", ("不归我管", ["不归我们管"])])
    assert matcher.find("不归我们管")
    assert matcher.find("爱加不加")
    assert not matcher.find("您好")


def test_extra_forbidden_phrases_apply_to_their_item_only():
    item = compile_item(["请稍后,马上给您加气。"], forbidden=MATCHER, extra_forbidden=["好嘞"])
    assert score_answer(item, "好嘞,请稍后,马上给您加气").verdict == "fail"
    assert score_answer(WAIT, "好嘞,请稍后,马上给您加气").verdict == "pass"


def test_a_wording_the_approved_phrase_uses_is_not_forbidden_there():
    item = compile_item(["您不知道密码的话,请到营业厅重置。"],
                        forbidden=ForbiddenMatcher(["不知道密码"]))
    assert score_answer(item, "您不知道密码的话,请到营业厅重置").passed


def test_empty_matcher_finds_nothing():
    assert ForbiddenMatcher([]).find("不知道") == []
    assert ForbiddenMatcher(["", "  "]).find("不知道") == []


def test_one_matcher_and_item_serve_many_threads():
    from concurrent.futures import ThreadPoolExecutor

    answers = ["急什么,马上给您加气", "请稍后,马上给您加气", "我不知道", "有一件你找令到去",
               "不知道您还需要什么帮助", "加快点火"] * 20
    expected = [(score_answer(WAIT, a).verdict, MATCHER.find(a)) for a in answers]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda a: (score_answer(WAIT, a).verdict, MATCHER.find(a)), answers))
    assert got == expected


_REASONS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from trainer.content import load_content
from trainer.scoring import score_answer
library = load_content(Path(sys.argv[1]) / "content")
said = [("sl-farewell", "走吧，别挡道。"), ("sl-check-meter", "要看表自己看去，我可没空陪你对。"),
        ("sl-check-meter", "表上都有，你自己看吧，我没空。")]
print(json.dumps([score_answer(library.compile(library.spec_for(item, None)), text).reasons
                  for item, text in said], ensure_ascii=False))
"""


@pytest.mark.slow
def test_the_family_named_is_the_same_in_every_process():
    """Where two families match the same words (别挡道: 赶顾客走 and 催促顾客), the reason names
    the one listed first, whatever the process's string hashing: a head reading an answer
    today and tomorrow reads the same reason."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    outputs = {subprocess.run([sys.executable, "-c", _REASONS, str(root)], check=True,
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in range(6)}
    assert len(outputs) == 1, outputs
