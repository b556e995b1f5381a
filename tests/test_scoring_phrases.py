"""Judging service phrases the way a careful station head would (rules 1, 3, 4, 5, 7)."""

import json
from pathlib import Path

import pytest

from trainer.scoring import (
    DiffOp,
    ForbiddenMatcher,
    Placeholder,
    ScoreResult,
    compile_item,
    score_answer,
)

MATCHER = ForbiddenMatcher.from_yaml(Path(__file__).parents[1] / "content" / "forbidden.yaml")
STATION = {"station": "昆仑"}


def item(*expected, **kwargs):
    return compile_item(list(expected), forbidden=MATCHER, **kwargs)


GREET = item("您好!欢迎光临{station}加气站。")
TEL = item("您好!这里是{station}加气站,请问您找谁?")
OFF = item("加气站规定车辆熄火后加气,请您合作!")
PHONE = item("对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。")
WAIT = item("请稍后,马上给您加气。")
CHECK = item("师傅,请看表核对一下。")
HELP = item("还有别的事需要帮忙吗?")
BYE = item("请走好。", "再见!", "欢迎再次光临。")
PAY = item("您好,请问用现金还是用卡?")
LOW = item("您好,余额不多,请及时充值。")
SORRY = item("对不起,让您久等了。")
HOOD = item("请打开引擎盖与后备箱。")
BRAKE = item("请拉好手刹。")
FAULT = item("对不起,加气站出现故障,请到{other_station}加气站加气。")
MOVE = item("师傅,麻烦您把车稍向{direction}一点!",
            placeholders={"direction": Placeholder("direction", "choice", ("前", "后"))})
DISTURB = item("对不起,打扰您了!")
WHAT = item("请问您有什么事?")


def verdict(compiled, answer, values=None):
    return score_answer(compiled, answer, values).verdict


# --- rule 1: recogniser and typing noise costs nothing ---------------------------------------

@pytest.mark.parametrize(("compiled", "answer", "values"), [
    (GREET, "您好,歡迎光臨崑崙加氣站", STATION),  # traditional
    (GREET, "您好歡迎光臨坤倫家氣戰", STATION),  # recogniser homophones
    (GREET, "您好欢迎光临昆仑家气站", STATION),
    (GREET, "您 好 , 欢 迎 光 临 昆 仑 加 气 站 !", STATION),
    (GREET, "嗯,您好,欢迎光临昆仑加气站", STATION),
    (GREET, "呃……那个,您好,欢迎光临昆仑加气站", STATION),
    (TEL, "喂您好这里是昆仑加气站请问您找谁", STATION),
    (TEL, "喂,喂,您好,这里是昆仑加气站,请问您找谁?", STATION),
    (CHECK, "师父请看表核对一下", None),
    (CHECK, "師父,請看錶核對一下", None),
    (WAIT, "请稍候,马上给您加气", None),
    (WAIT, "請稍後,馬上給您加氣。", None),
    (BRAKE, "请拉好手上", None),  # near-homophone 手上/手刹
    (OFF, "加氣戰規定車輛洗火後加氣請您合作", None),
    (LOW, "您好,娱樂不多請及時充職。", None),
    (SORRY, "對不起讓您久等了", None),
])
def test_noise_costs_nothing(compiled, answer, values):
    result = score_answer(compiled, answer, values, spoken=True)
    assert result.verdict == "pass", result.reasons


@pytest.mark.parametrize(("compiled", "answer"), [
    (BRAKE, "请拉好手上"),  # a near-sound is recogniser noise, not an input method's slip
    (LOW, "您好,娱樂不多請及時充職。"),
])
def test_typed_answers_get_no_near_sound_allowance(compiled, answer):
    typed = score_answer(compiled, answer, None)
    assert not typed.passed and typed.key_points_missed
    assert score_answer(compiled, answer, None, spoken=True).passed


def test_you_for_polite_you_is_accepted():
    # The 您/你 rule (lexicon.py): recognisers write 你好 for 您好.
    assert verdict(GREET, "你好,欢迎光临昆仑加气站", STATION) == "pass"
    assert verdict(PAY, "你好,请问用现金还是用卡", None) == "pass"


# --- rule 3: names are strict, choices accept their values -----------------------------------

@pytest.mark.parametrize("answer", ["您好,欢迎光临天山加气站", "您好,欢迎光临长城加气站",
                                    "您好,欢迎光临昆明加气站", "您好,欢迎光临加气站"])
def test_wrong_or_missing_station_fails(answer):
    result = score_answer(GREET, answer, STATION)
    assert result.verdict == "fail"
    assert any("站名" in r for r in result.reasons), result.reasons


def test_wrong_station_reason_names_both():
    result = score_answer(GREET, "您好!欢迎光临天山加气站。", STATION)
    assert "站名不对:应为 昆仑,写成了 天山" in result.reasons
    heard = score_answer(GREET, "您好!欢迎光临天山加气站。", STATION, spoken=True)
    assert "站名不对:应为 昆仑,听到 天山" in heard.reasons


def test_station_heard_as_near_homophone_passes():
    # Whisper wrote 坤文 for 昆仑: one syllable with the same final, the other identical.
    heard = "您好,這裡是坤文家企占請問您找水"
    assert score_answer(TEL, heard, STATION, spoken=True).verdict == "pass"
    # Typed, a name that merely sounds close is another name.
    assert verdict(TEL, "您好,这里是坤文加气站,请问您找谁", STATION) == "fail"


def test_heteronyms_count_for_names():
    chang_an = item("您好!欢迎光临{station}加气站。")
    assert verdict(chang_an, "您好,欢迎光临常安加气站", {"station": "长安"}) == "pass"


def test_other_station_placeholder_is_strict_too():
    assert verdict(FAULT, "对不起,加气站出现故障,请到天山加气站加气",
                   {"other_station": "天山"}) == "pass"
    assert verdict(FAULT, "对不起,加气站出现故障,请到华山加气站加气",
                   {"other_station": "天山"}) == "fail"


def test_choice_placeholder():
    assert verdict(MOVE, "师傅,麻烦您把车稍向前一点", {"direction": "前"}) == "pass"
    assert verdict(MOVE, "师傅,麻烦您把车往前开一点", {"direction": "前"}) == "pass"
    wrong = score_answer(MOVE, "师傅,麻烦您把车稍向后一点", {"direction": "前"})
    assert wrong.verdict == "fail"
    assert "说法不对:应为 前,听到 后" in wrong.reasons
    # Without a value for this attempt, any listed value is accepted.
    assert verdict(MOVE, "师傅,麻烦您把车稍向后一点", {}) == "pass"


def test_free_text_placeholders_are_not_checked():
    call = item("对不起,{person}不在,请稍后再打来。")
    assert verdict(call, "对不起,王站长不在,请稍后再打来", {"person": "李师傅"}) == "pass"


# --- rule 4: key points ------------------------------------------------------------------------

@pytest.mark.parametrize(("compiled", "answer", "values"), [
    (GREET, "您好,欢迎来到昆仑加气站", STATION),
    (GREET, "欢迎光临昆仑加气站", STATION),
    (HELP, "请问还有什么需要帮忙的吗?", None),
    (HELP, "请问还需要什么帮助吗", None),
    (PAY, "您好,请问您是用现金还是刷卡?", None),
    (OFF, "请您把车熄火,谢谢合作", None),
    (OFF, "师傅,请您熄火,谢谢合作", None),
    (PHONE, "对不起,站内严禁打手机,请到站外接听", None),
    (PHONE, "对不起,加气站内禁止打电话,请您到站外接听,谢谢合作", None),
    (WAIT, "您稍等一下,我马上给您加气", None),
    (CHECK, "师傅,请您看一下表,核对一下", None),
    (LOW, "您好,您卡里钱不多了,请尽快充值", None),
    (SORRY, "不好意思,让您久等了", None),
    (SORRY, "抱歉,让您等久了", None),
    (HOOD, "请您打开引擎盖和后备箱", None),
    (BYE, "再见,欢迎下次光临", None),
    (BYE, "您慢走", None),
    (DISTURB, "不好意思,打扰了", None),
    (WHAT, "您有什么事吗", None),
])
def test_paraphrase_keeping_every_key_point_passes(compiled, answer, values):
    result = score_answer(compiled, answer, values)
    assert result.verdict == "pass", result.reasons
    assert result.key_points_missed == []


@pytest.mark.parametrize(("compiled", "answer", "missing"), [
    (CHECK, "师傅,看一下", "核对"),
    (HOOD, "打开一下", "引擎盖"),
    (HOOD, "请打开后备箱", "引擎盖"),
    (WAIT, "请稍后", "马上"),
    (LOW, "您好,请及时充值", "余额"),
    (PHONE, "对不起,请到站外去接听", "严禁"),
    (HELP, "还有别的事吗", "帮忙"),
    (BRAKE, "请拉好", "手刹"),
])
def test_dropping_a_key_point_fails(compiled, answer, missing):
    result = score_answer(compiled, answer)
    assert result.verdict == "fail", result.reasons
    assert missing in result.key_points_missed
    assert any(r.startswith("缺少要点:") and missing in r for r in result.reasons)


def test_key_points_named_by_the_content_are_all_required():
    named = item("师傅,请看表核对一下。", key_points=[["核对", "核实"], ["表", "金额"]])
    assert verdict(named, "师傅,请您核实一下表上的金额") == "pass"
    result = score_answer(named, "师傅,请核对一下")
    assert result.verdict == "fail"  # not review: the content said 表 is essential
    assert result.key_points_missed == ["表"]


def test_one_derived_key_point_short_in_a_close_answer_goes_to_review():
    result = score_answer(CHECK, "师傅,请核对一下")
    assert result.verdict == "review"
    assert 50 <= result.score < 60
    assert not result.passed


def test_key_points_hit_are_reported():
    result = score_answer(CHECK, "师傅,请看表核对一下")
    assert result.key_points_hit == ["看表", "核对"]


# --- rule 5: extra courtesy is fine, far too long is not -------------------------------------

@pytest.mark.parametrize(("compiled", "answer", "values"), [
    (GREET, "您好您好,欢迎光临昆仑加气站,今天加多少?", STATION),
    (SORRY, "对不起对不起,让您久等了,今天车比较多", None),
    (BYE, "请走好,欢迎再次光临", None),
    (BYE, "好的,谢谢您,再见!", None),
])
def test_extra_courteous_words_are_fine(compiled, answer, values):
    assert verdict(compiled, answer, values) == "pass"


def test_far_too_long_answer_goes_to_the_head():
    # Rule 7 of the meaning issue: length alone is no fail; far beyond the phrasing, a head
    # decides whether it is still a service phrase.
    answer = "您好,欢迎光临昆仑加气站," + "今天天气真不错我们这里服务也很好," * 4
    result = score_answer(GREET, answer, STATION)
    assert result.verdict == "review"
    assert "回答太长,不像一句服务用语,请站长确认" in result.reasons


def test_long_only_because_of_courteous_clauses_passes():
    answer = "您好,欢迎光临昆仑加气站,今天天冷,您注意保暖,有什么需要随时叫我,祝您一路平安。"
    assert verdict(GREET, answer, STATION) == "pass"


def test_five_thousand_characters_are_judged_not_passed():
    result = score_answer(PHONE, ("对不起,根据安全规定,严禁打手机,请到站外去接听。" * 400)[:5000])
    assert result.verdict == "review"
    assert "回答太长,不像一句服务用语,请站长确认" in result.reasons
    rude = score_answer(PHONE, ("对不起,根据安全规定,严禁打手机,请到站外去接听。" * 300)
                        + "快点,后面还有人")
    assert rude.verdict == "fail"


# --- rule 7: other scene, English, empty ------------------------------------------------------

@pytest.mark.parametrize(("compiled", "answer", "values"), [
    (GREET, "再见", STATION),
    (GREET, "您好,这里是昆仑加气站,请问您找谁", STATION),
    (LOW, "您好,欢迎光临昆仑加气站", None),
    (SORRY, "请稍后,马上给您加气", None),
    (HELP, "请问您用现金还是用卡", None),
    (WAIT, "对不起,打扰您了", None),
    (BYE, "欢迎光临昆仑加气站", None),
])
def test_phrase_of_another_scene_fails(compiled, answer, values):
    result = score_answer(compiled, answer, values)
    assert result.verdict == "fail", result.reasons
    assert result.reasons


def test_other_scene_is_named_as_such():
    result = score_answer(LOW, "您好,欢迎光临昆仑加气站")
    assert result.reasons[0] == "不是本场景的服务用语"


@pytest.mark.parametrize("answer", ["please turn off the engine", "OK", "123", "Turn it off!"])
def test_answer_without_chinese_fails(answer):
    result = score_answer(OFF, answer)
    assert result.verdict == "fail"
    assert "没有中文内容,请用普通话回答" in result.reasons


@pytest.mark.parametrize("answer", ["", "   ", None, "。", "嗯……"])
def test_empty_answer_fails(answer):
    result = score_answer(GREET, answer, STATION)
    assert (result.verdict, result.score, result.reasons) == ("fail", 0, ["没有作答"])


@pytest.mark.parametrize(("compiled", "answer"), [
    (OFF, "熄火!"), (OFF, "把火熄了"), (WAIT, "等着"), (PAY, "现金还是卡"),
    (GREET, "来了,加多少"), (CHECK, "看表"),
])
def test_bare_or_rude_answers_fail(compiled, answer):
    assert verdict(compiled, answer, STATION) == "fail"


def test_missing_courtesy_is_named():
    result = score_answer(OFF, "熄火!")
    assert "缺少礼貌用语(请、您等)" in result.reasons


# --- the result object -------------------------------------------------------------------------

def test_result_carries_everything_the_ui_needs():
    result = score_answer(GREET, "嗯,您好,欢迎光临昆仑家气站!", STATION)
    assert isinstance(result, ScoreResult)
    assert result.passed is True and result.verdict == "pass" and 60 <= result.score <= 100
    assert result.matched_variant == "您好!欢迎光临昆仑加气站。"
    assert result.normalized == "您好欢迎光临昆仑家气站"
    assert result.key_points_hit == ["欢迎"] and result.key_points_missed == []
    assert result.forbidden_found == []
    # The diff lines up the filled phrasing with the answer; the homophone shows as replaced.
    assert DiffOp("replace", "加", "家") in result.diff
    assert "".join(op.expected for op in result.diff) == "您好欢迎光临昆仑加气站"
    assert "".join(op.answer for op in result.diff) == result.normalized


def test_diff_marks_missing_and_extra_text():
    result = score_answer(SORRY, "对不起,让您等了,今天车多")
    ops = {(op.op, op.expected, op.answer) for op in result.diff}
    assert ("delete", "久", "") in ops
    assert ("insert", "", "今天车多") in ops


def test_matched_variant_is_the_best_one():
    assert score_answer(BYE, "再见!").matched_variant == "再见!"
    assert score_answer(BYE, "欢迎您再次光临").matched_variant == "欢迎再次光临。"


def test_result_is_json_able():
    result = score_answer(WAIT, "急什么,马上给您加气")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["verdict"] == "fail" and data["passed"] is False
    assert data["forbidden_found"] == [{"phrase": "急什么", "start": 0, "end": 3, "kind": ""}]
    assert {"op", "expected", "answer"} == set(data["diff"][0])


def test_result_is_immutable():
    result = score_answer(WAIT, "请稍后,马上给您加气")
    with pytest.raises(AttributeError):
        result.score = 0


def test_score_and_verdict_agree():
    for answer in ["请稍后,马上给您加气", "请稍后", "急什么", "马上给您加气", ""]:
        result = score_answer(WAIT, answer)
        band = {"pass": range(60, 101), "review": range(50, 60), "fail": range(0, 50)}
        assert result.score in band[result.verdict]


def test_compile_rejects_an_item_without_phrasings():
    with pytest.raises(ValueError):
        compile_item([])
    with pytest.raises(ValueError):
        compile_item(["  "])


def test_placeholders_are_typed_by_name_when_undeclared():
    compiled = compile_item(["找您{change}元,{station}加气站欢迎您再来。"])
    assert compiled.placeholders["change"].kind == "amount"
    assert compiled.placeholders["station"].kind == "name"
    free = compile_item(["{greeting},欢迎光临。"])
    assert free.placeholders["greeting"].kind == "text"


