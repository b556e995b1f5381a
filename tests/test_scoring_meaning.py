"""Scoring that reads the sentence (issue 13): each rule with examples a station head would
give, judged exactly as the app judges the content item, and the reason a trainee reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content import load_content
from trainer.scoring import score_answer

LIBRARY = load_content(Path(__file__).parents[1] / "content")


def judge(item: str, answer: str, values: dict | None = None, turn: int | None = None, *,
          spoken: bool = False):
    spec = LIBRARY.spec_for(item, turn)
    return score_answer(LIBRARY.compile(spec), answer, values or {}, spoken=spoken)


# --- 1. negation and waivers -----------------------------------------------------------------

@pytest.mark.parametrize(("item", "answer", "point"), [
    ("sl-engine-off", "师傅,今天不必熄火,请您合作一下。", "熄火"),
    ("sl-engine-off", "规定是要熄火的,您赶时间的话不熄也没关系。", "熄火"),
    ("sl-engine-off", "熄什么火啊,请您稍等马上好,谢谢合作。", "熄火"),
    ("sl-engine-off", "您可以不熄火,请您配合我们加气。", "熄火"),
    ("sl-engine-handbrake", "发动机不用关,拉一下手刹就行。", "关闭发动机"),
    ("sl-hood-trunk", "引擎盖和后备箱都不用打开了。", "引擎盖"),
    ("sl-hood-trunk", "请打开引擎盖,后备箱您不方便就算了。", "后备箱"),
    ("sl-get-out", "您好,乘客不用下车,很快就好。", "下车"),
    ("sl-phone-stop", "您可以在这里接电话,不用去站外。", "站外"),
    ("sl-check-meter", "师傅,表就别看了,核对什么的不用了。", "核对"),
    ("sl-card-show", "加气卡不用出示了,直接加吧。", "出示"),
    ("sl-balance-short", "您好,余额不足,不用充值,我先给您记账。", "充值"),
    ("sl-fault-elsewhere", "对不起加气站出现故障,您也别去新区加气站了,那边也排老长。", "新区"),
])
def test_a_negated_or_waived_key_point_fails_and_is_named(item, answer, point):
    result = judge(item, answer, {"other_station": "新区"})
    assert result.verdict == "fail"
    assert any(r.startswith(("否定了要点", "把禁止的事说成了可以")) and point in r
               for r in result.reasons), result.reasons
    assert "negation" in result.hard_faults
    flagged = [answer[f["start"]:f["end"]] for f in result.flags if f["kind"] == "negation"]
    assert flagged, "the negated part is marked for the trainee"


@pytest.mark.parametrize(("item", "answer"), [
    ("sl-phone-stop", "您在这儿打电话也行,注意别离加气机太近就好。"),
    ("sf-smoke-warn", "对不起,站内严禁烟火,不过您抽一根没事,离远点就行。"),
    ("sf-smoke-warn", "对不起,站内严禁烟火,请您马上把烟熄灭……算了,您站那边抽吧。"),
    ("sf-passenger-warn", "对不起,加气站禁止载客加气,您车上的人在车里坐着就可以了。"),
])
def test_a_prohibition_turned_into_permission_fails(item, answer):
    assert judge(item, answer).verdict == "fail"


@pytest.mark.parametrize(("item", "answer"), [
    ("sl-reply-thanks", "不客气!"),
    ("sl-reply-sorry", "没关系,您别放在心上。"),
    ("cp-invite-office", "对不起,您别着急,请到办公室坐一下,我们马上给您处理。"),
    ("sl-phone-stop", "不好意思,站内不能打电话,麻烦您到站外接听。"),
    ("sf-smoke-warn", "对不起,站内严禁烟火,请您把烟熄灭,千万不要在这里抽烟。"),
    ("sl-engine-off", "师傅,车没熄火是不能加气的,请您先熄火,谢谢合作。"),
    ("sl-engine-off", "如果不熄火我们没法加气,请您先熄火,谢谢合作。"),
    ("sl-balance-short", "您好,卡里余额不够了,请您充一下值,不然加不满。"),
    ("cm-tel-complaint-48h", "您反映的情况我们马上调查处理,不超过48小时给您答复。"),
    ("sl-sorry-wait", "对不起,让您久等了,是我们没安排好。"),
    ("ht-first-contact", "您好,虽然这块不是我负责,但我帮您联系负责的同事,一定给您办好。"),
    ("sl-check-meter", "师傅,请您看一下表,核对一下对不对。"),
])
def test_legitimate_negatives_still_pass(item, answer):
    result = judge(item, answer)
    assert result.passed, result.reasons


# --- 2. what is said beyond the approved phrasing ---------------------------------------------

@pytest.mark.parametrize(("item", "answer", "values"), [
    ("sl-sorry-wait", "对不起,今天车多,让您久等了,我这就给您加。", {}),
    ("sl-check-meter", "师傅,请您看表核对一下,有问题随时跟我说。", {}),
    ("sl-farewell", "请走好,路上注意安全,欢迎您下次再来,有什么意见也可以随时告诉我们。", {}),
    ("sl-greet", "您好,欢迎光临北站加气站,今天天冷,您注意保暖。", {"station": "北站"}),
    ("sl-get-out", "您好,请车上的乘客先下车,到休息区等候。", {}),
])
def test_courteous_or_neutral_additions_pass(item, answer, values):
    result = judge(item, answer, values)
    assert result.passed, result.reasons


@pytest.mark.parametrize(("item", "answer"), [
    ("sl-queue-wait", "请您稍等,马上就好,别在这瞎按喇叭。"),
    ("sl-card-return", "请收好加气卡,丢了可别找我们。"),
    ("sl-thanks-trip", "谢谢,祝您一路平安,下次早点来,别让我们等。"),
])
def test_rude_additions_fail_with_their_reason(item, answer):
    result = judge(item, answer)
    assert result.verdict == "fail"
    assert any(r.startswith("多说了不当的话") for r in result.reasons), result.reasons
    assert "rude" in result.hard_faults


@pytest.mark.parametrize(("item", "answer"), [
    # no rule names these; they sound like remarks heads have judged rude
    ("sl-engine-off", "加气站规定车辆熄火后加气,请您合作!天天跟您说,您就是记不住。"),
    ("sl-greet", "您好,欢迎光临昆仑加气站,您这车一股烟味,进站前就该散散。"),
    # a question with no polite word scoffs
    ("sl-move-car", "停这么远我胳膊够得着吗?师傅,麻烦您把车稍向前一点!"),
])
def test_doubtful_additions_go_to_the_head_never_pass(item, answer):
    result = judge(item, answer, {"station": "昆仑", "direction": "前"})
    assert result.verdict == "review", result.reasons
    assert any("需站长判断" in r for r in result.reasons)


# --- 3. forbidden phrases as families ---------------------------------------------------------

@pytest.mark.parametrize("phrase", ["喊什么喊", "急啥呀", "磨蹭什么", "爱充不充", "嫌贵去别家",
                                    "有意见找我们领导去", "你自己再打吧", "问别人去"])
def test_families_catch_colloquial_forms(phrase):
    assert judge("sl-wait", f"请稍后,马上给您加气,{phrase}").verdict == "fail"


@pytest.mark.parametrize("answer", ["请稍后,我快点给您加气", "请稍后,马上给您加气,我帮您问一下别人",
                                    "请稍后,马上给您加气,请您自己看一下表"])
def test_harmless_look_alikes_pass(answer):
    assert judge("sl-wait", answer).passed


def test_a_family_heard_by_sound_in_a_recognised_answer():
    assert judge("sl-wait", "请稍后马上给您加气喊深么喊", spoken=True).verdict == "fail"


# --- 4. word order and sentence form ----------------------------------------------------------

@pytest.mark.parametrize(("item", "answer"), [
    ("sl-hood-trunk", "引擎盖 后备箱 打开 请 您"),
    ("sl-phone-stop", "手机 站外 对不起 安全规定"),
    ("sl-hood-trunk", "开 引擎盖 后备箱 麻烦"),
    ("sf-smoke-warn", "严禁烟火,合作,对不起"),
])
def test_a_list_of_key_words_is_no_sentence(item, answer):
    result = judge(item, answer)
    assert result.verdict == "fail" and any(r.startswith("不成句") for r in result.reasons)


def test_reordered_sentences_pass():
    assert judge("sl-engine-handbrake", "请拉好手刹,再把发动机关了。").passed
    assert judge("sl-engine-off", "请您合作,加气站规定车辆熄火以后才能加气。").passed


# --- 5. times, units and the role of each number ----------------------------------------------

@pytest.mark.parametrize(("item", "answer"), [
    ("cm-tel-complaint-48h", "您反映的问题我们马上调查处理,四十八小时之内给您答复。"),
    ("cm-tel-complaint-48h", "您反映的情况我们马上调查处理,两天内给您答复。"),
    ("cm-tel-emergency-30min", "抢修人员已经出发了,半小时之内一定到现场。"),
    ("cm-tel-reply-3days", "不好意思,这个需要查询一下,三个工作日内给您回复。"),
    ("cm-tel-repair-40min", "您好,报修已经受理了,维修师傅四十分钟以内赶到。"),
])
def test_the_right_time_limit_in_other_words_passes(item, answer):
    result = judge(item, answer)
    assert result.passed, result.reasons


@pytest.mark.parametrize(("item", "answer", "reason"), [
    ("cm-tel-complaint-48h", "您反映的情况我们马上调查处理,72小时内给您答复。", "时限不对"),
    ("cm-tel-complaint-48h", "您反映的情况我们马上调查处理,48天内给您答复。", "时限不对"),
    ("cm-tel-emergency-30min", "抢险人员已经出发,三个小时内到达现场。", "应为30分钟内,说成了三个小时内"),
    ("cm-tel-repair-40min", "您的报修已经受理,维修人员40分钟以后出发。", "时限不对"),
    ("cm-tel-reply-3days", "对不起,这个需要查询,三周内给您答复。", "时限不对"),
    ("cm-tel-reply-3days", "对不起,这个需要查询,3天内给您答复。", "时限不对"),
    ("cm-tel-complaint-48h", "您反映的情况我们马上调查处理,尽快给您答复。", "说成了尽快"),
    ("cm-tel-emergency-30min", "抢险人员已经出发,能不能半小时到现场不好说。", "不确定"),
    ("cm-tel-repair-now", "您好,您的报修已经受理,维修人员40分钟内赶到现场。", "应为立即"),
])
def test_a_wrong_time_limit_fails(item, answer, reason):
    result = judge(item, answer)
    assert result.verdict == "fail"
    assert any(reason in r for r in result.reasons), result.reasons
    assert "time" in result.hard_faults and "time-missing" not in result.faults


@pytest.mark.parametrize("answer", ["麻烦您把引擎盖打开一下。", "麻煩您把引擎蓋打開一下",
                                    "请把前盖打开一下"])
def test_a_rare_reading_makes_no_key_word(answer):
    """尾 is yi only in 尾巴: 一下 is no near-sound of 尾箱, so 后备箱 is still missing
    (a false pass of the blind speech set heldout5, on noisy clips)."""
    result = judge("sl-hood-trunk", answer, spoken=True)
    assert result.verdict == "fail" and "后备箱" in result.key_points_missed


def test_each_key_word_keeps_its_own_readings():
    assert judge("sl-hood-trunk", "麻烦您把机盖和尾箱打开一下", spoken=True).verdict == "pass"
    assert judge("sl-hood-trunk", "请打开引擎盖与尾相", spoken=True).verdict == "pass"


@pytest.mark.parametrize("heard", [
    "您好,报修受理了,维修人员明天上午过去。",  # 理了: a near-sound of 立即 on 受理's 理
    "您好,您不保障眼睛的手里,您将眼睛的眼睛上了过去。",  # 里您, on 手里 (受理)
])
def test_a_near_sound_never_borrows_a_character_of_another_key_word(heard):
    """One heard character is one word: the 理 of 受理 is not also the 立 of 立即. Both were
    false passes of spoken answers (a recogniser's garbage on a noisy clip, and the typed
    sets read as recognised), with 明天上午 promised or nothing at all."""
    result = judge("cm-tel-repair-now", heard, spoken=True)
    assert result.verdict == "fail" and result.key_points_missed == ["立即"]


def test_a_near_sound_of_its_own_still_keeps_a_key_word():
    assert judge("cm-tel-repair-now", "您好,报修受理了,维修人员利息赶到现场。",
                 spoken=True).verdict == "pass"


def test_characters_alike_only_in_their_finals_are_no_key_word():
    """会向 (will ... to) shares only sounds with 回电, a wording of 告诉您: heard as recognised,
    您反映的情况我会向站长报告的 passed with no promise to tell the customer (blind set
    heldout11, every condition). 利息 for 立即, 手上 for 手刹 and 障碍 for 站外 stay near-sounds."""
    for heard in ("您反映的情况我会向站长报告的。", "凝反硬的情况我会向站长报告的。"):
        result = judge("cp-report-up", heard, spoken=True)
        assert result.verdict == "fail" and result.key_points_missed == ["告诉您"]
    said = judge("cp-report-up", "您反映的情况我马上向站长报告,会及时回电给您。", spoken=True)
    assert said.verdict == "pass"
    assert judge("sl-engine-handbrake", "请关闭发动机并拉手上。", spoken=True).verdict == "pass"
    # 障碍 for 站外: each character keeps the wording's start (zh, none), as a listener hears.
    assert judge("sl-phone-stop", "对不起师傅,按安全规定这里不能打手机,请您到障碍接听。",
                 spoken=True).verdict == "pass"
    # Longer wordings alike: 高速西 is no 告诉您 (西 starts otherwise, no character as
    # written); 告素洗 keeps 告.
    ending = "您反映的情况我马上向站长报告,处理进度会及时{}。"
    assert judge("cp-report-up", ending.format("高速西"), spoken=True).verdict == "fail"
    assert judge("cp-report-up", ending.format("告素洗"), spoken=True).verdict == "pass"


def test_the_apical_i_is_no_near_sound_of_the_i_of_li():
    """直接 (zhi) is no near-sound of 理解 (li, a synonym of 合作): pinyin's i after zh, ch,
    sh, r, z, c, s spells another vowel. Read as recognised, this denial passed."""
    from trainer.scoring.phonetic import near_syllables

    assert not near_syllables("直", "理") and not near_syllables("子", "你")
    assert near_syllables("直", "次") and near_syllables("仑", "文")
    result = judge("sl-engine-off", "谁说一定要熄火?您直接加就行。", spoken=True)
    assert result.verdict == "fail" and "合作" in result.key_points_missed


@pytest.mark.parametrize(("item", "heard", "point"), [
    ("cm-tel-repair-now", "您好,您的报修已经受理,维修人员有空了就过去。", "立即"),
    ("sl-wait", "请稍后,加气的事不着急,您等着就行。", "马上"),
])
def test_a_particle_before_jiu_is_no_zhejiu(item, heard, point):
    """着就 and 了就 sound like 这就 (着 is zhe, 了 a near-sound): read as recognised, 马上 was
    heard in 等着就行 and 立即 in 有空了就过去. 这就 keeps the point as 我这就 or 这就给您."""
    result = judge(item, heard, spoken=True)
    assert result.verdict == "fail" and point in result.key_points_missed
    for spoken in (False, True):
        assert judge("sl-wait", "请稍等,我这就给您加气。", spoken=spoken).verdict == "pass"
        assert judge("sl-wait", "请稍候,这就给您加。", spoken=spoken).verdict == "pass"


def test_the_gun_that_cannot_reach_negates_nothing():
    """够不到: the nozzle cannot reach, not 不倒 (到 sounds like 倒, a wording of moving the car).
    A correct answer of the blind speech set heldout7, failed in every condition."""
    for spoken in (False, True):
        assert judge("sl-move-car", "师傅,加气枪够不到,麻烦您把车往后退一退。", {"direction": "后"},
                     spoken=spoken).verdict == "pass"
        assert judge("sl-move-car", "师傅,加气枪够不到,车就不用挪了。", {"direction": "后"},
                     spoken=spoken).verdict == "fail"


@pytest.mark.parametrize(("said", "passes"), [
    ("我们的咨询电话是四零零、零零零、零零零一,有问题您随时打这个电话。", True),  # digit by digit
    ("我们的咨询电话是四零零零零零零零零一,有问题您随时打这个电话。", True),
    ("我们的咨询电话是400-000-0001,有问题您可以随时打。", True),
    ("我们的咨询电话是400-000-0010,有问题您可以随时打。", False),  # was 400010 ⊃ 40001
    ("我们的咨询电话是四零零、零零零、零零一零,有问题您可以随时打。", False),
    ("我们的咨询电话是四百零零零一,有问题您可以随时打。", False),  # 四百: no number read out
    ("我們的資訊電話是40000000010有問題您可以隨時打", False),  # a digit more: another number
    ("我们的咨询电话是14000000001,有问题您随时打这个电话。", False),
])
def test_a_telephone_number_is_read_digit_for_digit(said, passes):
    """A hotline said digit by digit (as people say it, and as a recogniser may write it) is
    the number; a group with leading zeros is never read as a count, so a wrong number whose
    groups lose their zeros cannot contain the right one."""
    for spoken in (False, True):
        result = judge("ht-tell-hotline", said, {"hotline": "400-000-0001"}, spoken=spoken)
        assert (result.verdict == "pass") is passes, (spoken, result.reasons)


def test_a_missing_time_limit_fails_under_its_own_code():
    """Left out, not contradicted: the speech layer may look for a misheard limit then."""
    result = judge("cm-tel-reply-3days", "对不起,这个问题需要查询,我们会给您答复。")
    assert result.verdict == "fail" and any(r.startswith("缺少时限") for r in result.reasons)
    assert "time-missing" in result.hard_faults and "time" not in result.faults


@pytest.mark.parametrize(("answer", "values", "verdict"), [
    ("收您两百元,找您三十五元五角,请拿好。", {"received": "200", "change": "35.5"}, "pass"),
    ("您给的是一百元,找您十二元,请您拿好。", {"received": "100", "change": "12"}, "pass"),
    ("找您49.5元,收您100元,请拿好。", {"received": "100", "change": "49.5"}, "pass"),
    ("收您200元,找您54元,请拿好。", {"received": "200", "change": "45"}, "fail"),  # swapped digits
    ("收您45元,找您200元,请拿好。", {"received": "200", "change": "45"}, "fail"),  # swapped roles
    ("收您200元,找您45元,再找您5元,请拿好。", {"received": "200", "change": "45"}, "fail"),
])
def test_each_amount_is_checked_in_its_role(answer, values, verdict):
    assert judge("ht-sing-cash", answer, values).verdict == verdict


def test_jiao_is_a_tenth_of_a_yuan():
    assert judge("sl-change", "找您20角,请拿好。", {"amount": "20"}).verdict == "fail"
    assert judge("sl-change", "找您七块五,请拿好。", {"amount": "7.5"}).passed


@pytest.mark.parametrize(("answer", "passed"), [
    ("胡主任,您好!", False),  # another person (heldout6, noisy clips: a false pass)
    ("李主任,您好!", False),
    ("五主任,您好!", True),  # the recogniser's homophone of 吴
    ("武主任您好", True),
    ("吴主人,您好!", True),  # a near-sound of the title, not of the person
])
def test_a_surname_heard_is_a_homophone_or_another_person(answer, passed):
    result = judge("sl-company-visitor", answer, {"title": "吴主任"}, spoken=True)
    assert result.passed is passed
    assert ("name" in result.hard_faults) is not passed


# --- 6. synonyms, 7. length, 8. station names ------------------------------------------------

@pytest.mark.parametrize(("item", "answer", "values"), [
    ("sl-hood-trunk", "麻烦您把前盖和后备箱打开一下,谢谢。", {}),
    ("sl-move-car", "师傅,麻烦您把车往后倒一点。", {"direction": "后"}),
    ("sl-tel-answer", "您好,这里是长庆加气站,请问您找哪位?", {"station": "长庆"}),
    ("sl-wait", "请您稍候,我马上给您加。", {}),
    ("cm-tel-reply-3days", "不好意思,这个需要查询一下,三个工作日内给您回复。", {}),
])
def test_synonyms_a_head_accepts(item, answer, values):
    assert judge(item, answer, values).passed


@pytest.mark.parametrize(("typed", "verdict"), [
    ("您好,欢迎光临常庆加气站。", "pass"),   # an input-method homophone: chang qing, same tones
    ("您好,欢迎光临长青加气站。", "fail"),   # qing1 is not qing4: another name
    ("您好,欢迎光临长庆山加气站。", "fail"),  # a longer name that contains it
])
def test_typed_station_names(typed, verdict):
    assert judge("sl-greet", typed, {"station": "长庆"}).verdict == verdict


def test_a_heard_near_sound_passes_unless_another_station_sounds_closer():
    heard = "您好歡迎光臨坤倫家氣戰"
    assert judge("sl-greet", heard, {"station": "昆仑"}, spoken=True).passed
    item = LIBRARY.compile(LIBRARY.spec_for("sl-greet"))
    garbled = "您好,欢迎光临坤文加气站"
    assert score_answer(item, garbled, {"station": "昆仑"}, spoken=True).passed
    other = score_answer(item, garbled, {"station": "昆仑"}, spoken=True, known_names=["坤文"])
    assert other.verdict == "fail" and "name" in other.hard_faults


# --- recognised speech without punctuation (issue 15) -----------------------------------------

@pytest.mark.parametrize("answer", ["对不起我们会在三个工作日内给您答复",
                                    "对不起,我们会在3个工作日内给您答复"])
def test_an_apology_just_before_a_time_limit_is_no_negation(answer):
    assert judge("cm-tel-reply-3days", answer, spoken=True).verdict == "pass"


def test_a_limit_taken_back_is_still_wrong_beside_an_apology():
    result = judge("cm-tel-reply-3days", "对不起我们不能在三个工作日内给您答复", spoken=True)
    assert result.verdict == "fail" and "time" in result.faults


def test_the_question_after_an_approved_qing_wen_passes_without_punctuation():
    values = {"station": "昆仑"}
    assert judge("sl-tel-call", "你好我是昆仑加气站请问王经理在吗", values,
                 spoken=True).verdict == "pass"
    # Without the approved 请问 the bare question still goes to the head...
    assert judge("sl-tel-call", "您好我是昆仑加气站王经理在吗", values,
                 spoken=True).verdict == "review"
    # ...and a retort stays a retort after 请问.
    assert judge("sl-tel-call", "您好我是昆仑加气站请问你聋了吗", values,
                 spoken=True).verdict == "fail"


@pytest.mark.parametrize(("item", "answer", "turn"), [
    ("cp-dlg-long-wait", "请稍后,马上给您加气。您再哼我也快不了。", 3),
    ("sl-wait", "请稍候,马上给您加气,恨我也快疯了。", None),
    ("sl-wait", "请稍候,马上给您加气。您再哼我也快没辙。", None),
    ("sl-wait", "请稍候,马上给您加气。很烦也快不了。", None),
    ("sl-queue-wait", "请您稍等,马上就好,哼谁也快不了。", None),
    ("sl-balance-short", "您好,您的余额不足,请及时充值,冲你的值我可不管。", None),
])
def test_a_remark_is_no_key_word_with_words_slipped_in(item, answer, turn):
    """哼我也快 sounds like 很快 (a wording of 马上) with 我也 slipped in. A remark said around a
    key word's sounds stays a remark for the head (or, with 不了, says 马上 cannot be),
    typed or heard: read as recognised, the sneer of dev-G G-162 passed."""
    for spoken in (False, True):
        result = judge(item, answer, turn=turn, spoken=spoken)
        assert result.verdict != "pass", (spoken, result.reasons)
        assert {"remark", "negation"} & set(result.faults), (spoken, result.faults)


@pytest.mark.parametrize(("item", "answer"), [
    ("sl-wait", "请稍候,马上就给您加气,很快。"),
    ("sl-queue-wait", "请您稍微等一下,马上就好。"),
    ("sl-check-meter", "请您看一下表,核对一下。"),
    ("sl-balance-short", "您好,卡里的余额不够加满了,您得先充点值。"),
])
def test_a_split_verb_keeps_its_light_words(item, answer):
    """看一下表, 充点值: what a split verb takes between its parts is part of the saying."""
    for spoken in (False, True):
        assert judge(item, answer, spoken=spoken).verdict == "pass", spoken


@pytest.mark.parametrize(("item", "answer", "verdict"), [
    ("sl-get-out", "您好,乘客莫下车,坐到起就行。", "fail"),
    ("sl-engine-off", "师傅,莫熄火,请您合作,我们很快的。", "fail"),
    ("sl-engine-off", "师傅请熄火,请您合作,莫着急,马上就好。", "pass"),
    ("sl-get-out", "您好,请乘客下车,莫坐在车里。", "pass"),
])
def test_mo_is_a_regional_bie(item, answer, verdict):
    """莫 is 别 in south-western and Wu speech: 乘客莫下车 keeps the passengers in the car
    (a false pass of the held-out set E); 莫着急 is 别着急."""
    for spoken in (False, True):
        assert judge(item, answer, spoken=spoken).verdict == verdict, spoken


@pytest.mark.parametrize(("item", "answer", "passes"), [
    ("sl-queue-wait", "请您稍等,马上就好,不想等可以走。", False),
    ("sl-queue-wait", "请您稍等,马上就好,等不了您可以走。", False),
    ("sl-queue-wait", "请您稍等,马上就好,嫌慢可以走。", False),
    ("sl-queue-wait", "请您稍等,马上就好,您要是着急可以先去休息室坐坐。", True),
    ("sl-ask-opinion", "谢谢,有意见跟我们领导提去。", False),
    ("sl-ask-opinion", "谢谢,有什么意见您跟经理反映去。", False),
    ("sl-ask-opinion", "谢谢您,有意见您可以随时向我们站长反映。", True),
    ("sl-ask-opinion", "谢谢您的意见,我这就跟站长说去。", True),
])
def test_sending_the_customer_away_or_to_the_boss_is_forbidden(item, answer, passes):
    """不想等可以走 and 有意见跟领导提去 are 忌语 of the families 爱理不理 and 让顾客去投诉
    (false passes of the held-out sets I and E); an offer to wait inside or to pass the
    opinion on is not."""
    for spoken in (False, True):
        result = judge(item, answer, spoken=spoken)
        assert (result.verdict == "pass") is passes, (spoken, result.reasons)
        assert passes or "forbidden" in result.faults or "rude" in result.faults


@pytest.mark.parametrize(("answer", "verdict"), [
    ("不好意思,这个问题我得查询后才能告诉您,叁个工作日内给您回复。", "pass"),
    ("不好意思,这个问题我得查询后才能告诉您,伍个工作日内给您回复。", "fail"),
    ("不好意思,这个问题我得查询后才能告诉您,叁天内给您回复。", "fail"),
])
def test_a_time_limit_in_financial_numerals(answer, verdict):
    """叁个工作日内 is 3 个工作日内, as 叁拾伍元 is 35 元 (a held-out answer failed as missing
    its limit)."""
    assert judge("cm-tel-reply-3days", answer).verdict == verdict


def test_a_title_then_hao_greets():
    """王经理好 greets as 王经理,您好 does."""
    assert judge("sl-company-visitor", "王经理好!您这边请。", {"title": "王经理"}).verdict == "pass"


@pytest.mark.parametrize(("item", "answer", "point"), [
    ("sl-engine-off", "师傅,今天没有必要熄火,请您合作。", "熄火"),
    ("sl-engine-off", "师傅,熄火没有必要,请您合作。", "熄火"),
    ("sl-engine-off", "师傅,没有熄火的必要,请您合作。", "熄火"),
    ("sl-engine-off", "师傅,未必要熄火,请您合作。", "熄火"),
    ("sl-engine-off", "师傅,何须熄火,请您合作。", "熄火"),
    ("sl-engine-off", "师傅,熄火那是以前的规定,请您合作。", "熄火"),
    ("sl-engine-off", "师傅,熄火的规定取消了,请您合作。", "熄火"),
    ("sl-get-out", "您好,乘客没有必要下车。", "下车"),
    ("sl-get-out", "您好,没有下车的必要。", "下车"),
    ("sl-engine-handbrake", "请关闭发动机,手刹没有必要拉。", "手刹"),
])
def test_no_need_in_other_words_negates(item, answer, point):
    """没有必要, 没有……的必要, 未必, 何须, a rule said to be old or cancelled: each passed as
    the approved phrasing (adversarial cases written for issue 15's review, every scene of a
    key action)."""
    for spoken in (False, True):
        result = judge(item, answer, spoken=spoken)
        assert result.verdict == "fail", (spoken, result.reasons)
        assert any(r.startswith("否定了要点") and point in r for r in result.reasons), result.reasons


def test_finishing_the_cigarette_first_permits_it():
    result = judge("sf-smoke-warn", "对不起,站内严禁烟火,您抽完再加也一样。")
    assert result.verdict == "fail"


@pytest.mark.parametrize("said", [
    "维修人员四十分钟内赶不到现场。", "维修人员四十分钟内到不了现场。", "维修人员在40分钟内来不了。",
    "但是维修人员40分钟内去不了。", "维修人员40分钟内赶不过去。", "维修人员最快四十分钟到现场。",
])
def test_a_limit_said_and_taken_back_after_it_fails(said):
    """四十分钟内到不了 names the limit and denies it in the same breath; 最快四十分钟 is forty
    minutes or more. Each passed as the approved phrasing."""
    for spoken in (False, True):
        result = judge("cm-tel-repair-40min", "您好,您的报修已经受理," + said, spoken=spoken)
        assert result.verdict == "fail" and "time" in result.faults, (spoken, result.reasons)


def test_a_key_action_that_cannot_be_done_is_negated_unless_promised_after():
    result = judge("cm-tel-repair-40min", "您好,您的报修受理不了,维修人员会在40分钟内赶到现场。")
    assert result.verdict == "fail" and any("受理" in r for r in result.reasons)
    assert judge("cm-tel-reply-3days", "对不起,这个我现在答复不了,需要查询一下,最迟3个工作日给您答复。"
                 ).verdict == "pass"
    assert judge("cm-tel-repair-40min", "您好,您的报修已经受理,维修人员四十分钟不到就能赶到现场。"
                 ).verdict == "pass"


@pytest.mark.parametrize(("said", "verdict"), [
    ("找您三五元,请拿好。", "fail"), ("找您两三块,请拿好。", "fail"),
    ("找您三十五元,请拿好。", "pass"), ("找您叁拾伍元,请拿好。", "pass"),
])
def test_two_rising_digits_are_a_range_not_an_amount(said, verdict):
    """三五元 is three to five yuan: never the 35 yuan of change due."""
    for spoken in (False, True):
        assert judge("sl-change", said, {"amount": "35"}, spoken=spoken).verdict == verdict


@pytest.mark.parametrize("remark", ["就你急", "我有什么办法", "去去去"])
def test_a_short_remark_after_the_phrase_is_caught_as_heard(remark):
    """就你急 is no second 立即 (你急 sounds like 立即) once 马上 was said; 我有什么办法 is
    推诿 and 去去去 shoos the customer off. Each passed after the approved phrase."""
    for spoken in (False, True):
        result = judge("sl-wait", f"请稍候,马上给您加气。{remark}。", spoken=spoken)
        assert result.verdict != "pass", (spoken, result.reasons)


def test_a_near_sound_beside_its_word_said_is_still_the_word():
    """真抱歉 holds 抱歉: the near-sound of 很抱歉 around it is the apology, no remark."""
    answer = "真抱歉,让您生气了,您先消消气,咱们去办公室坐下慢慢说,我们马上帮您处理。"
    assert judge("cp-invite-office", answer, spoken=True).verdict == "pass"


@pytest.mark.parametrize(("item", "turn", "answer", "values"), [
    ("sl-engine-off", None, "加气站规定车辆熄火后加气,请您合作!您要实在赶时间,火开着我也给您加。", {}),
    ("sl-dlg-cng-full", 6, "余额不足,请充值。卡里没钱还说加满。", {"station": "金港", "amount": "19.5"}),
    ("cp-invite-office", None, "对不起您别着急,有话去办公室说,不满意12345随便打。", {}),
    ("ht-sing-cash", None, "收您一百元,找您十八块五,零钱没有了,给您凑个整十八",
     {"received": "100", "change": "18.5"}),
    ("ht-recharge-slip", None, "您充值350元,小票打出来了,对不对您自个儿看。", {"amount": "350"}),
])
def test_false_passes_of_the_blind_typed_set_j(item, turn, answer, values):
    """The five false passes of heldout-J, scored once blind (2026-12-07): an engine left
    running, a sneer at an empty card (卡里没钱 is no second 卡里钱 after 余额), complaints
    sent elsewhere, no small change, and 您自个儿看. Each is a fail or goes to the head."""
    for spoken in (False, True):
        assert judge(item, answer, values, turn, spoken=spoken).verdict != "pass", spoken


def test_sa_and_lia_are_numbers():
    """仨块钱 is 3 元, 俩 2: a colloquial amount of the blind typed set J; a limit too."""
    assert judge("sl-change", "找您仨块钱,请拿好", {"amount": "3"}).verdict == "pass"
    assert judge("sl-change", "找您仨块钱,请拿好", {"amount": "4"}).verdict == "fail"
    said = "对不起,这个问题需要查询后才能答复,我们会在{}工作日内给您答复。"
    assert judge("cm-tel-reply-3days", said.format("仨")).verdict == "pass"
    assert judge("cm-tel-reply-3days", said.format("俩")).verdict == "fail"


def test_an_apology_heard_with_a_near_sound_negates_nothing():
    """最不齐让您久等了 is 对不起 heard on the telephone band (a shared noisy development
    clip): its 不 does not negate 久等. 谁不让您久等 is no apology."""
    assert judge("sl-sorry-wait", "最不齊讓您久等了", spoken=True).verdict == "pass"
    assert judge("sl-sorry-wait", "对不起,谁不让您久等了", spoken=True).verdict == "fail"


@pytest.mark.parametrize(("said", "passed"), [
    ("对不起,小程不在。", False), ("对不起,小陈不在。", True), ("对不起,小晨不在。", True),
])
def test_a_surname_blurred_by_an_accent_is_another_person(said, passed):
    """程 (cheng) and 陈 (chen) are two surnames, though many accents blur -ng: heard, 小程
    passed for 小陈 (the blind typed set J read as recognised). 晨 is 陈's homophone."""
    result = judge("sl-tel-absent", said, {"colleague": "小陈"}, spoken=True)
    assert (result.verdict == "pass") is passed, result.reasons


@pytest.mark.parametrize(("said", "passed"), [
    ("你好白云家气战青松", False),  # heldout8 on tempo 1.15: 请讲 rescued into 青松 beside 白云
    ("您好,白云加气站,青松。", False),
    ("您好,青松加气站,白云加气站。", False),
    ("您好,青松加气站。", True),
    ("您好,我们加气站是青松加气站。", True),
])
def test_another_station_named_beside_the_right_one_fails(said, passed):
    """A station is named once: 白云加气站 said beside 青松 names another station, typed or
    heard (the blind speech set heldout8, where context rescued 青松 from 请讲 after 白云)."""
    for spoken in (False, True):
        result = judge("sl-tel-answer-short", said, {"station": "青松"}, spoken=spoken)
        assert (result.verdict == "pass") is passed, (spoken, result.reasons)
        assert passed or "name" in result.faults


def test_the_station_to_send_drivers_to_is_no_stray_name():
    result = judge("sl-fault-elsewhere", "对不起,本站加气机出现故障,请到龙山加气站加气。",
                   {"other_station": "龙山"})
    assert result.verdict == "pass", result.reasons


def test_a_lone_qing_after_a_prohibition_is_not_negated():
    """不能载客,请车上的人先下来, heard 不能再课請: the 请 of the apology point is courtesy, not
    an act 不能 denies (heldout8 on noise at 10 dB, and heldout6)."""
    heard = "對不起,按規定家氣時不能再課請車上的人先下來,到等後去等一等"
    assert judge("sf-passenger-warn", heard, spoken=True).verdict == "pass"


@pytest.mark.parametrize(("said", "passed"), [
    ("您好,余额不多了,不过不用急着充值,还能加一次。", False),  # dev-B B-55
    ("您好,余額不多了,不用急着充值。", False),
    ("您好,余额不多了,充值不用急。", False),
    ("您好,余额不多了,不着急充值。", False),
    ("您好,余额不多了,充值的事不急,还能加一次。", False),
    ("您好,余额不多了,请及时充值,您别着急。", True),
    ("您好余额不多了请充值别着急", True),
    ("您好,余额不多了,请您充值,别急着走。", True),
])
def test_no_hurry_said_of_the_key_action_puts_it_off(said, passed):
    """不用急着充值 was a negator of the language file, but the kind word 不用急 inside it
    was read by sound and covered it: the answer passed on the tone model's doubt alone until
    that model learnt it as kind. 不着急充值 and 充值不用急 say the same."""
    for spoken in (False, True):
        result = judge("sl-balance-low", said, spoken=spoken)
        assert (result.verdict == "pass") is passed, (spoken, result.reasons)
        assert passed or any("充值" in r for r in result.reasons if r.startswith("否定了要点"))


@pytest.mark.parametrize(("item", "said"), [
    ("sl-wait", "您别急,稍等一下,我马上就过来!"),
    ("sl-wait", "您别急稍等一下我马上就过来"),
    ("sl-sorry-wait", "不好意思,让您久等了,您别着急。"),
    ("ht-first-contact", "你好,找我就对了,我帮你联系负责改表的同事,一定帮你办好,你别着急。"),
])
def test_a_kind_no_hurry_to_the_customer_negates_nothing(item, said):
    for spoken in (False, True):
        result = judge(item, said, spoken=spoken)
        assert result.verdict == "pass", (spoken, result.reasons)


# --- the blind typed set K (2026-12-07, scored once: 93.8 %, 7 false passes) ------------------

@pytest.mark.parametrize(("item", "said"), [
    ("sl-engine-off", "熄火合作规定加气车辆，您请。"),
    ("cm-tel-complaint-48h", "48小时答复调查处理情况您反映。"),
    ("sl-hood-trunk", "引擎盖后备箱，请，打开与。"),
])
def test_the_phrasings_words_jumbled_are_no_sentence(item, said):
    result = judge(item, said)
    assert result.verdict == "fail"
    assert "salad" in result.faults, result.reasons


@pytest.mark.parametrize(("item", "said", "values"), [
    ("ht-sing-cash", "找您23元 收您150元 请拿好", {"received": "150", "change": "23"}),
    ("sl-engine-off", "请您合作，加气站规定车辆熄火后加气。", {}),
    ("cm-tel-complaint-48h", "48小时内给您答复，您反映的情况我们马上调查处理。", {}),
])
def test_a_reordered_sentence_is_still_a_sentence(item, said, values):
    assert judge(item, said, values).verdict == "pass"


@pytest.mark.parametrize(("said", "passed"), [
    ("您好，您的报修已经受理，维修人员明天上午立即过去。", False),
    ("您好，报修已经受理，维修人员明天过去。", False),
    ("您好，报修已经受理，我们马上派人过去，明天再给您回访。", True),
])
def test_a_later_day_is_no_immediately(said, passed):
    result = judge("cm-tel-repair-now", said)
    assert (result.verdict == "pass") is passed, result.reasons


@pytest.mark.parametrize(("said", "passed"), [
    ("您好，您反映的情况我们已经受理，维修人员会在40分钟内赶到现场。但是今天人手紧，不一定。", False),
    ("您好，报修已受理，维修人员四十分钟内赶到现场，不过说不准。", False),
    ("您好，报修已受理，维修人员四十分钟内赶到现场，请您放心。", True),
])
def test_a_promise_doubted_in_a_later_clause_is_taken_back(said, passed):
    result = judge("cm-tel-repair-40min", said)
    assert (result.verdict == "pass") is passed, result.reasons


def test_a_later_clause_doubting_something_else_keeps_the_promise():
    result = judge("cm-tel-repair-40min", "您好，报修已受理，维修人员四十分钟内赶到现场。不过您不一定要在家等。")
    assert not any(r.startswith("时限") for r in result.reasons), result.reasons


def test_a_typed_homophone_with_a_gap_is_another_word():
    """请问是 typed holds 请 … 是, a homophone of 请示 with a word slipped in: no key point."""
    values = {"station": "玉门"}
    result = judge("sl-dispatch-call", "您好！请问是公司调度吗？我是玉门加气站。", values)
    assert result.verdict == "fail" and "请示" in result.key_points_missed
    assert judge("sl-dispatch-call", "您好！请问是公司调度吗？我是玉门加气站，有件事向您请示。",
                 values).verdict == "pass"


@pytest.mark.parametrize(("item", "turn", "said", "passed"), [
    ("sf-dlg-smoker", 2, "对不起，站内严禁烟火，请您把烟熄灭，不熄灭的话也不是不能加。", False),
    ("sl-phone-stop", None, "对不起，按安全规定，您这个电话不能不去站外接，请您合作。", True),
    ("sl-engine-handbrake", None, "师傅，加气前发动机不能不关，手刹也请拉好。", True),
    ("sf-passenger-warn", None, "对不起，加气的时候乘客不能不下车，请您到等候区等候。", True),
])
def test_double_negations_read_as_a_head_reads_them(item, turn, said, passed):
    """不能不 X = X is a must; 也不是不能加 = fuelling anyway, the sanction waived."""
    result = judge(item, said, turn=turn)
    assert (result.verdict == "pass") is passed, result.reasons


def test_an_apology_to_you_is_courtesy():
    """heldout9: a recogniser writes 你 for 您 in 让您生气了."""
    heard = "真是抱歉,讓你生氣了,咱們到辦公室坐下來慢慢談,一定給您解決。"
    assert judge("cp-invite-office", heard, spoken=True).verdict == "pass"


@pytest.mark.parametrize(("said", "passed"), [
    ("請您先關調總罰 別開關電器搶修人員已經出發30分鐘內到", True),  # heldout9, noise 15 dB
    ("请您先关闭总阀，不要开关电器，抢修人员已经出发，30分钟内到。", True),
    ("不用抢修人员出发了，30分钟内到。", False),
])
def test_a_negator_aimed_at_a_hazard_leaves_the_key_point(said, passed):
    """Gas-leak advice (别开关电器) heard without its comma before 抢修人员 negated 抢修."""
    result = judge("cm-tel-emergency-30min", said, spoken=True)
    assert (result.verdict == "pass") is passed, result.reasons


def test_the_right_limit_negated_is_named_as_taken_back():
    result = judge("cm-tel-emergency-30min", "抢险人员已经出发，不一定能在30分钟内到达现场。")
    assert "时限被收回:应承诺30分钟内" in result.reasons, result.reasons


# --- the red team of 2026-12-07 (tests/data/scoring/redteam-R.jsonl holds the attacks) --------

@pytest.mark.parametrize(("item", "said", "values"), [
    ("sl-check-meter", "师傅，加完气请您看一下表，核对一下金额。", {}),
    ("sl-check-meter", "师傅，您回头看一下表，核对一下金额。", {}),  # 回头: turn round, no "later"
    ("cm-tel-emergency-30min", "请您先关闭总阀，千万别开灯看，也不要开关电器，抢险人员已经出发，30分钟内到达现场。", {}),
    ("cm-tel-repair-now", "您好，报修已经受理，我们马上派人过去，明天再给您回访。", {}),
    ("sf-passenger-warn", "对不起，加气站禁止载客加气，请您下车，不能留在车里。", {}),
    ("sl-phone-stop", "对不起，根据安全规定，严禁打手机，您可以到站外去接听，请您合作。", {}),
    ("sl-greet", "您好！欢迎光临昆仑加气站，天黑了开车记得开灯。", {"station": "昆仑"}),
    ("sl-engine-off", "加气站规定车辆熄火后加气，请您合作！加完气您再点火启动。", {}),
])
def test_what_the_red_team_rules_must_leave_alone(item, said, values):
    """The rules against the red team's attacks (加完气再…, 开灯看看, a later day, 可以留在车里)
    leave the right answers that say the same words passed."""
    for spoken in (False, True):
        result = judge(item, said, values, spoken=spoken)
        assert result.verdict == "pass", (spoken, result.reasons)


# Sneers written after the red team, to measure whether the engine generalises beyond the
# remarks it learnt from (2026-12-07: 18 of 20 not passed after every item below). 我都说三遍了
# and 您慢慢磨吧,我先忙别的 still pass: a known gap, named in the note.
NEW_SNEERS = ["您这开车技术得多练练。", "您先想好了再开口。", "您是不是没睡醒？", "您能不能别磨蹭了？",
              "跟您说了您也记不住。", "您这脾气得改改。", "您要是嫌麻烦就别来了。",
              "您先排队去吧，别在这儿挡着。", "这点小事您也要问？", "您自己心里没点数吗？",
              "您倒是快点掏钱啊。", "您嗓门再大也没用。", "您可真会挑时候。", "您明天别再这个点来了。",
              "您就不能自己看看牌子？", "您下回长点记性。", "您以为这是您家呢？", "您这样的我见多了。"]


@pytest.mark.parametrize("sneer", NEW_SNEERS)
def test_a_sneer_after_the_right_phrasing_is_never_passed(sneer):
    for item, values in (("sl-engine-off", {}), ("sl-change", {"amount": "35"}),
                         ("sl-check-meter", {}), ("sl-farewell", {}), ("sl-wait", {})):
        phrase = LIBRARY.spec_for(item, None).expected[0].replace("{amount}", "35")
        result = judge(item, phrase + sneer, values)
        assert result.verdict != "pass", (item, result.reasons)


# --- rules after the red team's gaps and the blind set L (2026-12-07, second session) -------
# Each attack is worded anew (not the red team's own string), beside answers a head passes with
# the same words.

@pytest.mark.parametrize(("item", "said", "values", "verdict"), [
    # 甲不甲 with indifference, 想开就开着, a part said to be enough
    ("sl-engine-off", "加气站规定车辆熄火后加气,请您合作!关不关都一样。", {}, "fail"),
    ("sl-engine-off", "加气站规定车辆熄火后加气,请您合作!您爱开着就开着。", {}, "fail"),
    ("sl-hood-trunk", "请打开引擎盖与后备箱,开一半就可以。", {}, "fail"),
    # complying put off; the act told where to do it, or how little
    ("sl-phone-stop", "对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。说完这两句再出去。", {},
     "fail"),
    ("sf-smoke-warn", "对不起,加气站内严禁烟火,请您合作。去洗车房后边抽。", {}, "fail"),
    ("sf-smoke-warn", "对不起,加气站内严禁烟火,请您合作。抽两口就掐了。", {}, "fail"),
    ("sl-phone-stop", "对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。手机照打。", {}, "fail"),
    # the opposite of getting out, told or permitted by 就
    ("sl-get-out", "您好,请下车。老人家留在车上。", {}, "fail"),
    ("sf-passenger-warn", "对不起,加气站禁止载客加气,请您下车到等候区等候。外面晒就坐车里。", {}, "fail"),
    # a limit for another act, widened, or waited for
    ("cm-tel-repair-40min", "您好,您的报修已经受理,维修人员会在40分钟内派人。", {}, "fail"),
    ("cm-tel-repair-now", "您好,您的报修已经受理,维修人员会立即赶到现场,还要等前面两家修完。", {},
     "fail"),
    ("cm-tel-reply-3days", "对不起,这个问题需要查询后才能答复,我们会在3个工作日内给您答复,最晚月底。", {},
     "fail"),
    ("cm-tel-emergency-30min", "抢险人员已经出发,会在30分钟内到达现场,要是下雪那就不一定了。", {},
     "fail"),
    # a second station said without 加气站
    ("sl-fault-elsewhere", "对不起,加气站出现故障,请到新区加气站加气,南湖站也可以。",
     {"other_station": "新区"}, "fail"),
    # sent elsewhere after help promised; a bare number against the amount; a day away
    ("ht-first-contact", "您好,这件事我来帮您联系负责的同事,一定给您办好,您去二楼问一下。", {},
     "review"),
    ("sl-change", "找您18元,请拿好。这是16。", {"amount": "18"}, "review"),
    ("cp-report-up", "您反映的情况我过几天向站长报告,处理进度会及时告诉您。", {}, "review"),
])
def test_an_added_clause_in_ordinary_words_does_not_pass(item, said, values, verdict):
    result = judge(item, said, values)
    assert result.verdict == verdict, (said, result.reasons)


@pytest.mark.parametrize(("item", "said", "values"), [
    ("sl-engine-off", "加气站规定车辆熄火后加气,请您合作!熄了火我马上给您加。", {}),
    ("sl-phone-stop", "对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。接完电话再回来。", {}),
    ("sf-smoke-warn", "对不起,加气站内严禁烟火,请您合作。出了站就能抽。", {}),
    ("sf-smoke-warn", "对不起,加气站内严禁烟火,请您合作。打火机也别打。", {}),
    ("sl-get-out", "您好,请下车,车上坐着的几位也请下来一下。", {}),
    ("cm-tel-repair-40min", "您好,您的报修已经受理,维修人员会在40分钟内赶到现场,到了给您打电话。", {}),
    ("cm-tel-repair-now", "您好,您的报修已经受理,维修人员会立即赶到现场,请您稍等。", {}),
    ("sl-fault-elsewhere", "对不起,加气站出现故障,请到北站加气站加气。", {"other_station": "北站"}),
    ("sl-greet", "您好!欢迎光临翠湖加气站,请找站长的话他在站房里。", {"station": "翠湖"}),
    ("sl-change", "找您18元,请拿好,您到2号窗口开发票。", {"amount": "18"}),
    ("ht-sing-cash", "收您100元,找您37元,请拿好。", {"received": "100", "change": "37"}),
    ("sl-balance-low", "您好,余额不多,请及时充值,营业室晚上也能办。", {}),
])
def test_what_the_added_clause_rules_leave_alone(item, said, values):
    result = judge(item, said, values)
    assert result.verdict == "pass", (said, result.reasons)


# --- rules after the second red team (S) and the blind set N ---------------------------------

@pytest.mark.parametrize(("item", "said", "verdict"), [
    # station-wide rules in items whose key points do not name them
    ("sl-greet", "您好!欢迎光临翠湖加气站。车停好就行,今天不用熄火。", "fail"),
    ("sl-please-sit", "您好,请坐!等的时候可以抽支烟。", "fail"),
    # put off till something at the pump is done
    ("sl-engine-off", "加气站规定车辆熄火后加气,请您合作!等我把枪接上您再熄。", "fail"),
    ("sl-check-meter", "师傅,请看表核对一下。您回家再慢慢核对。", "fail"),
    # hazard advice in polite words, money and papers, the rule taken for a joke: the head
    ("cm-tel-emergency-30min", "抢险人员已经出发,会在30分钟内到达现场。请您先把插座上的插头都拔了。",
     "review"),
    ("cm-tel-emergency-30min", "抢险人员已经出发,会在30分钟内到达现场。您可以先把门窗都关好保暖。",
     "review"),
    ("sl-thanks-trip", "谢谢,祝您一路平安!路上闻到点气味很正常。", "review"),
    ("sl-pay-method", "您好,请问用现金还是用卡?刷卡另收两块钱。", "review"),
    ("sl-card-show", "请出示加气卡,密码我帮您输,您把密码告诉我就行。", "review"),
    ("sl-engine-off", "加气站规定车辆熄火后加气,请您合作!这是说着玩的。", "review"),
    # a wait longer than a day where the phrasing promises soon
    ("sl-fault-wait", "对不起,加气站出现故障,请稍候。零件到了得等两天。", "review"),
    # written without a comma, as a recogniser often writes: the remark in the middle, or
    # after the phrasing's first words, is still read
    ("sl-engine-off", "加气站规定车辆熄火后加气这条规定早就不执行了请您合作", "review"),
    ("sl-farewell", "请走好加气枪还没拔您直接开走就行", "review"),
    ("cm-tel-emergency-30min", "抢险人员已经出发,会在30分钟内到达现场。厨房那个换气扇您先转起来散散味儿。",
     "review"),
    ("cm-tel-reply-3days", "对不起,这个问题需要查询后才能答复,我们会在3个工作日内给您答复,赶上忙那就再晚两天。",
     "fail"),
])
def test_what_an_added_clause_does_is_read_not_only_its_tone(item, said, verdict):
    result = judge(item, said, {"station": "翠湖"})
    assert result.verdict == verdict, (said, result.reasons)


def test_a_second_telephone_number_contradicts_the_first():
    values = {"hotline": "400-816-5526"}
    right = judge("ht-tell-hotline", "我们的咨询电话是400-816-5526,有问题您可以随时打,您记一下,"
                  "四零零八一六五五二六。", values)
    wrong = judge("ht-tell-hotline", "我们的咨询电话是400-816-5526,有问题您可以随时打,记成"
                  "400-816-5562也行。", values)
    assert right.verdict == "pass", right.reasons
    assert wrong.verdict == "fail" and "号码不对:又说了 4008165562" in wrong.reasons


@pytest.mark.parametrize(("item", "said"), [
    ("cm-tel-emergency-30min", "抢险人员已经出发,会在30分钟内到达现场。请您先关上表前阀门,开窗通风。"),
    ("cm-tel-emergency-30min", "抢险人员已经出发,会在30分钟内到达现场,千万别开关电器,到楼下等。"),
    ("sf-smoke-warn", "对不起,加气站内严禁烟火,请您合作。打火机也请先揣兜里。"),
    ("sl-engine-handbrake", "请关闭发动机并拉手刹,不然车可能会溜。"),
    ("sl-greet", "您好!欢迎光临翠湖加气站,请您熄火稍等。"),
    ("sl-fault-wait", "对不起,加气站出现故障,请稍候,大概十分钟就好。"),
    ("sl-check-meter", "师傅,请看表核对一下,气量和金额都在上面,您慢慢看。"),
    ("sl-engine-off", "加气站规定车辆熄火后加气为了您和大家的安全请您合作"),
    ("sl-tel-call", "您好我是翠湖加气站的请问你们这周六能来检修压缩机吗"),
])
def test_what_the_added_clause_readings_leave_alone(item, said):
    result = judge(item, said, {"station": "翠湖"})
    assert result.verdict == "pass", (said, result.reasons)


def test_sitting_down_to_talk_heard_with_a_near_sound_is_no_scolding():
    """坐下说 heard as 做下說 (heldout10, every condition) sounds like 瞎说; 别瞎说 still fails."""
    kind = judge("cp-invite-office", "對不起,您先消消氣,咱們到辦公室做下說,我馬上幫您處理。",
                 spoken=True)
    rude = judge("cp-invite-office", "对不起,您先消消气,咱们到办公室,别瞎说了。", spoken=True)
    assert kind.verdict == "pass", kind.reasons
    assert rude.verdict == "fail"


def test_a_prohibition_heard_wrong_is_no_permission():
    """严禁打手机 heard as 嚴謹打手機 (the recogniser on tune, heldout3, heldout5, heldout6): the
    act said at the clause's end is no 'told where to do it' (到加气机后面抽 is)."""
    heard = judge("sl-phone-stop", "對不起,根據安全規定,嚴謹打手機,請到站外區接聽,請您合作。", spoken=True)
    told = judge("sf-smoke-warn", "对不起,加气站内严禁烟火,请您合作。到加气机后面抽。")
    assert heard.verdict == "pass", heard.reasons
    assert told.verdict == "fail"


def test_a_bare_number_heard_before_the_first_amount_is_its_mangled_role():
    """收您两百元 heard as 凶年两百人,找您38块5 (heldout10, telephone band); typed, 这里是17 after
    找您18元 is another number."""
    heard = judge("ht-sing-cash", "凶年两百人,找您38块5,请收好。", {"received": "200", "change": "38.5"},
                  spoken=True)
    assert heard.verdict == "pass", heard.reasons
    assert judge("sl-change", "找您18元,请拿好。这里是17。", {"amount": "18"}).verdict == "review"
