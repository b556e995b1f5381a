"""Ordering questions: the longest correctly ordered subset, culprits named, safety first."""

import json

import pytest

from trainer.scoring import OrderingResult, score_ordering

STEPS = ["引导车辆进站", "熄火拉手刹", "乘客下车", "检查钢瓶", "连接加气枪", "开始加气", "收款"]
SAFETY = {"熄火拉手刹", "检查钢瓶"}


def test_correct_order_scores_full_marks():
    result = score_ordering(STEPS, STEPS, SAFETY)
    assert isinstance(result, OrderingResult)
    assert (result.score, result.verdict, result.passed) == (100, "pass", True)
    assert result.out_of_place == [] and result.reasons == ["顺序完全正确"]


def test_one_ordinary_step_out_of_place_is_named_and_costs_its_share():
    answer = ["引导车辆进站", "熄火拉手刹", "检查钢瓶", "乘客下车", "连接加气枪", "开始加气", "收款"]
    result = score_ordering(STEPS, answer, SAFETY)
    # 6 of 7 steps keep their order; the culprit named is the ordinary step, not the safety one.
    assert result.score == round(100 * 6 / 7)
    assert result.out_of_place == ["乘客下车"]
    assert result.safety_failures == ["检查钢瓶"]  # it now comes before 乘客下车
    assert result.verdict == "fail"


def test_ordinary_swap_passes_with_the_steps_named():
    answer = ["引导车辆进站", "熄火拉手刹", "乘客下车", "检查钢瓶", "连接加气枪", "收款", "开始加气"]
    result = score_ordering(STEPS, answer, SAFETY)
    assert result.verdict == "pass"
    assert result.score == 86
    assert len(result.out_of_place) == 1 and result.out_of_place[0] in {"收款", "开始加气"}
    assert any(r.startswith("顺序不对的步骤:") for r in result.reasons)


def test_safety_critical_step_out_of_place_fails_whatever_the_score():
    answer = ["熄火拉手刹", "引导车辆进站", "乘客下车", "检查钢瓶", "连接加气枪", "开始加气", "收款"]
    result = score_ordering(STEPS, answer, SAFETY)
    assert result.score >= 80
    assert result.verdict == "fail"
    assert result.safety_failures == ["熄火拉手刹"]
    assert result.reasons[0] == "安全关键步骤顺序错误或缺失:熄火拉手刹"


def test_missing_safety_step_fails():
    answer = [s for s in STEPS if s != "检查钢瓶"]
    result = score_ordering(STEPS, answer, SAFETY)
    assert result.verdict == "fail"
    assert result.missing == ["检查钢瓶"] and result.safety_failures == ["检查钢瓶"]


def test_reversed_order_keeps_one_step():
    result = score_ordering(STEPS, list(reversed(STEPS)))
    assert result.score == round(100 / 7)
    assert len(result.in_order) == 1 and len(result.out_of_place) == 6
    assert result.verdict == "fail"


def test_longest_ordered_subset_not_just_positions():
    # Shifting every step by one keeps 6 of 7 in order even though no step is in its slot.
    answer = STEPS[1:] + STEPS[:1]
    result = score_ordering(STEPS, answer)
    assert result.in_order == STEPS[1:]
    assert result.out_of_place == [STEPS[0]]
    assert result.score == 86


def test_unknown_and_repeated_steps():
    answer = ["引导车辆进站", "洗车", "熄火拉手刹", "熄火拉手刹", "乘客下车", "检查钢瓶", "连接加气枪",
              "开始加气", "收款"]
    result = score_ordering(STEPS, answer, SAFETY)
    assert result.unknown == ["洗车"]
    assert result.score == 100 and result.verdict == "pass"
    assert "不属于本题的步骤:洗车" in result.reasons


def test_empty_answer_fails():
    result = score_ordering(STEPS, [], SAFETY)
    assert (result.score, result.verdict, result.reasons) == (0, "fail", ["没有作答"])


def test_no_correct_order_is_an_error():
    with pytest.raises(ValueError):
        score_ordering([], ["a"])


def test_pass_mark_is_adjustable():
    answer = ["b", "a", "c", "d", "e"]
    assert score_ordering(list("abcde"), answer).verdict == "pass"  # 80
    assert score_ordering(list("abcde"), answer, pass_mark=100).verdict == "fail"


def test_result_is_json_able():
    result = score_ordering(STEPS, STEPS[::-1], SAFETY)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["passed"] is False and data["safety_failures"] == ["熄火拉手刹", "检查钢瓶"]
