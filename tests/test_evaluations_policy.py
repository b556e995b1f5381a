"""Evaluation policies (defaults, validation messages, JSON round-trip) and periods.

Pure logic: no app, no database.
"""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.evaluations.periods import (
    MONTHLY,
    QUARTERLY,
    Period,
    format_period_key,
    parse_period_key,
    period_bounds,
    period_contains,
    period_for,
    period_key_for,
    period_label,
    shift_period,
)
from trainer.evaluations.policy import Band, Policy, PolicyError, validate_policy

D = Decimal


def default_dict() -> dict:
    return Policy().to_dict()


def problems_with(**changes) -> list[str]:
    data = default_dict()
    data.update(changes)
    return validate_policy(data)


# ------------------------------------------------------------------------------ defaults

def test_defaults_are_the_issues():
    policy = Policy()
    assert policy.period_kind == MONTHLY
    assert policy.weights == {"theory": D(25), "spoken": D(35), "practical": D(30),
                              "service": D(10)}
    assert [(b.name, b.interval(), b.coefficient, b.retraining) for b in policy.bands] == [
        ("优秀", "[90, 100]", D("1.2"), False),
        ("良好", "[80, 90)", D("1.0"), False),
        ("合格", "[70, 80)", D("0.9"), False),
        ("不合格", "[0, 70)", D("0.7"), True),
    ]
    assert policy.safety_cap_grade == "合格"
    assert policy.appeal_window_days == 7
    assert validate_policy(default_dict()) == []


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "优秀"), ("90.0", "优秀"), ("89.9", "良好"), ("80.0", "良好"), ("79.9", "合格"),
    ("70.0", "合格"), ("69.9", "不合格"), ("0", "不合格"),
])
def test_band_for_each_edge(total, grade):
    assert Policy().band_for(D(total)).name == grade


def test_grade_ranks_go_up_with_the_bands():
    policy = Policy()
    assert [policy.rank(n) for n in ("不合格", "合格", "良好", "优秀")] == [0, 1, 2, 3]


# ---------------------------------------------------------------------------- validation

def test_weights_not_summing_to_100_are_refused_in_chinese():
    weights = {"theory": "25", "spoken": "35", "practical": "30", "service": "5"}
    assert problems_with(weights=weights) == ["各部分权重之和必须为 100,当前为 95"]


def test_a_missing_weight_is_named():
    problems = problems_with(weights={"theory": "25", "spoken": "35", "practical": "40"})
    assert problems == ["缺少服务记录权重"]


@pytest.mark.parametrize(("value", "message"), [
    ("-5", "理论权重不能为负数"),
    ("25.005", "理论权重最多保留 2 位小数"),
    ("abc", "理论权重必须是数字"),
    (True, "理论权重必须是数字"),
    ("NaN", "理论权重必须是数字"),
])
def test_bad_weight_values(value, message):
    weights = {"theory": value, "spoken": "35", "practical": "30", "service": "10"}
    problems = problems_with(weights=weights)
    assert any(p.startswith(message) for p in problems), problems


def test_weights_with_two_decimals_are_fine():
    weights = {"theory": "25.25", "spoken": "34.75", "practical": "30", "service": "10"}
    assert problems_with(weights=weights) == []
    assert Policy.from_dict({"weights": weights}).weight_theory == D("25.25")


def band(name, lower, upper, coefficient, retraining=False):
    return {"name": name, "lower": lower, "upper": upper, "coefficient": coefficient,
            "retraining": retraining}


GOOD_BANDS = [band("优秀", "90", "100", "1.2"), band("良好", "80", "90", "1.0"),
              band("合格", "70", "80", "0.9"), band("不合格", "0", "70", "0.7", True)]


def test_overlapping_bands_are_refused():
    bands = [*GOOD_BANDS[:1], band("良好", "80", "91", "1.0"), *GOOD_BANDS[2:]]
    assert problems_with(bands=bands) == ["等级区间重叠:“良好”止于 91,“优秀”却从 90 开始"]


def test_gapped_bands_are_refused():
    bands = [*GOOD_BANDS[:2], band("合格", "70", "79.5", "0.9"), GOOD_BANDS[3]]
    assert problems_with(bands=bands) == [
        "等级区间有空档:“合格”止于 79.5,“良好”从 80 开始,中间的总分没有等级"]


def test_bands_must_cover_0_to_100():
    bands = [band("优秀", "90", "99", "1.2"), *GOOD_BANDS[1:3], band("不合格", "10", "70", "0.7")]
    problems = problems_with(bands=bands)
    assert any(p.startswith("等级区间必须从 0 分开始") for p in problems)
    assert any(p.startswith("等级区间必须到 100 分为止") for p in problems)


def test_negative_coefficient_is_refused():
    bands = [*GOOD_BANDS[:3], band("不合格", "0", "70", "-0.7", True)]
    assert "等级“不合格”的系数不能为负数" in problems_with(bands=bands)


def test_a_higher_band_may_not_pay_less():
    bands = [band("优秀", "90", "100", "0.95"), *GOOD_BANDS[1:]]
    assert problems_with(bands=bands) == [
        "较高等级的系数不能低于较低等级:“优秀” 0.95 低于“良好” 1.0"]


def test_band_names_and_bounds_are_checked():
    bands = [band("优秀", "90", "100", "1.2"), band("优秀", "80", "90", "1.0"),
             band("合格", "80", "70", "0.9"), band("", "0", "70", "0.7")]
    problems = problems_with(bands=bands)
    assert "等级名称重复:优秀" in problems
    assert "等级“合格”的下限 80 必须小于上限 70" in problems
    assert "第 4 个等级缺少名称" in problems
    assert problems_with(bands=[]) == ["至少要定义一个等级"]


def test_unknown_cap_grade_is_refused():
    assert problems_with(safety_cap_grade="及格") == [
        "安全违规封顶等级“及格”不是已定义的等级(优秀、良好、合格、不合格)"]


def test_cap_grade_follows_renamed_bands():
    bands = [band("A", "85", "100", "1.3"), band("B", "60", "85", "1.0"),
             band("C", "0", "60", "0.6", True)]
    # The failure caps of issue 14 name grades too ("" = no cap).
    failures = {**default_dict()["failures"], "failed_assessment_grade": "B",
                "critical_grooming_grade": "B", "failed_drill_grade": "",
                "not_cleared_grade": "C"}
    assert problems_with(bands=bands, safety_cap_grade="B", failures=failures) == []
    assert problems_with(bands=bands)[0].startswith("安全违规封顶等级“合格”不是已定义的等级")
    assert any("“期末暂不能上岗”的封顶等级“合格”不是已定义的等级" in p
               for p in problems_with(bands=bands, safety_cap_grade="B"))


def test_a_failed_assessment_cap_must_stay_below_the_pass_mark():
    failures = {**default_dict()["failures"], "assessment_score": "80"}
    assert problems_with(failures=failures) == [
        "考核未通过计分上限 80 必须低于模块及格分 80,否则未通过的考核仍按及格计"]
    assert problems_with(failures={**failures, "assessment": "half"})[0].startswith(
        "考核未通过时的计分方法只能是")


@pytest.mark.parametrize("days", [0, -1, 366, "7", 7.0, True])
def test_appeal_window_must_be_whole_days(days):
    problems = problems_with(appeal_window_days=days)
    assert len(problems) == 1 and problems[0].startswith("申诉期限必须是 1 到 365 之间的整数天数")


def test_other_settings_are_checked():
    assert problems_with(period_kind="weekly")[0].startswith("考核周期只能是按月")
    assert problems_with(retraining_suspends_duty="yes") == [
        "“复训期间暂停上岗资格”必须是是/否(true/false)"]
    assert problems_with(scoring={"theory_grading": "best"})[0].startswith(
        "理论成绩的取分规则只能是 highest(取最高分)")
    assert problems_with(service={"complaint": "-10"}) == ["每次投诉的分数不能为负数"]
    assert problems_with(service={"base": "120"}) == ["服务记录基础分不能大于 100"]
    assert problems_with(service={"when_empty": "zero"})[0].startswith("无服务记录时的处理只能是")
    assert problems_with(wieghts={}) == ["有未知的设置项:wieghts"]
    assert validate_policy(["not", "a", "dict"]) == ["考核政策必须是键值对象"]


def test_every_problem_is_listed_at_once():
    problems = problems_with(weights={"theory": "30", "spoken": "35", "practical": "30",
                                      "service": "10"},
                             safety_cap_grade="X", appeal_window_days=0)
    assert len(problems) == 3


def test_an_invalid_policy_cannot_be_built():
    with pytest.raises(PolicyError) as error:
        Policy(weight_service=D(5))
    assert error.value.problems == ["各部分权重之和必须为 100,当前为 95"]
    assert "考核政策有误" in str(error.value)
    with pytest.raises(PolicyError):
        Policy.from_dict({"safety_cap_grade": "X"})
    with pytest.raises(PolicyError):
        Policy(bands=(Band("全部", D(0), D(100), D(-1)),))


# ------------------------------------------------------------------------------- dict form

def test_missing_keys_take_their_defaults():
    policy = Policy.from_dict({"period_kind": "quarterly", "service": {"complaint": "20"}})
    assert policy.period_kind == QUARTERLY
    assert policy.complaint_points == D(20)
    assert policy.commendation_points == D(5)
    assert policy.weights == Policy().weights


def test_floats_are_read_by_their_shortest_text():
    data = default_dict()
    data["bands"][2]["coefficient"] = 0.9
    data["weights"]["theory"] = 25.0
    policy = Policy.from_dict(data)
    assert policy.band_named("合格").coefficient == D("0.9")
    assert policy.weight_theory == D(25)


@st.composite
def policies(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=3, max_size=3)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10000], strict=True)]
    weights = [D(p) / 100 for p in parts]
    edges = sorted(draw(st.sets(st.integers(1, 999), min_size=1, max_size=4)))
    bounds = [D(0), *(D(e) / 10 for e in edges), D(100)]
    coefficients = sorted(draw(st.lists(st.integers(0, 300), min_size=len(bounds) - 1,
                                        max_size=len(bounds) - 1)))
    bands = tuple(Band(f"等级{i}", bounds[i], bounds[i + 1], D(coefficients[i]) / 100,
                       retraining=i == 0) for i in range(len(bounds) - 1))
    names = [b.name for b in bands]
    return Policy(
        period_kind=draw(st.sampled_from([MONTHLY, QUARTERLY])),
        weight_theory=weights[0], weight_spoken=weights[1], weight_practical=weights[2],
        weight_service=weights[3], bands=bands,
        safety_cap_grade=draw(st.sampled_from(names)),
        failed_assessment=draw(st.sampled_from(["cap_score", "cap_grade"])),
        failed_assessment_grade=draw(st.sampled_from(["", *names])),
        critical_grooming_grade=draw(st.sampled_from(["", *names])),
        failed_drill_grade=draw(st.sampled_from(["", *names])),
        not_cleared_grade=draw(st.sampled_from(["", *names])),
        appeal_window_days=draw(st.integers(1, 365)),
        retraining_suspends_duty=draw(st.booleans()),
        theory_grading=draw(st.sampled_from(["highest", "first", "last", "average"])),
        complaint_points=D(draw(st.integers(0, 10000))) / 100,
    )


@settings(max_examples=150, deadline=None)
@given(policies())
def test_policy_json_round_trip(policy):
    text = json.dumps(policy.to_dict(), ensure_ascii=False)
    again = Policy.from_dict(json.loads(text))
    assert again == policy
    assert again.fingerprint() == policy.fingerprint()
    assert validate_policy(json.loads(text)) == []


def test_fingerprint_changes_with_any_value():
    assert Policy().fingerprint() == Policy.from_dict(default_dict()).fingerprint()
    assert Policy().fingerprint() != Policy(appeal_window_days=8).fingerprint()


# --------------------------------------------------------------------------------- periods

def test_period_for_a_date():
    assert period_for(date(2026, 11, 30)) == Period(MONTHLY, 2026, 11)
    assert period_for(datetime(2026, 12, 31, 23, 59), QUARTERLY) == Period(QUARTERLY, 2026, 4)
    assert period_for(date(2026, 4, 1), QUARTERLY).key == "2026-Q2"


def test_bounds_are_local_dates_start_inclusive_end_exclusive():
    assert period_bounds(Period(MONTHLY, 2026, 12)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert period_bounds(Period(MONTHLY, 2028, 2)) == (date(2028, 2, 1), date(2028, 3, 1))
    assert period_bounds(Period(QUARTERLY, 2026, 4)) == (date(2026, 10, 1), date(2027, 1, 1))
    november = Period(MONTHLY, 2026, 11)
    assert period_contains(november, datetime(2026, 11, 1, 0, 0))
    assert period_contains(november, datetime(2026, 11, 30, 23, 59, 59))
    assert not period_contains(november, datetime(2026, 12, 1, 0, 0))
    assert not period_contains(november, datetime(2026, 10, 31, 23, 59, 59))


def test_an_aware_time_counts_by_its_local_date():
    # 17:30 UTC on 30 November is 01:30 on 1 December in Shanghai.
    evening_utc = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    assert period_for(evening_utc).key == "2026-12"
    assert period_key_for(evening_utc) == "2026-12"


def test_labels_and_keys():
    assert period_label(Period(MONTHLY, 2026, 11)) == "2026年11月"
    assert period_label(Period(QUARTERLY, 2026, 4)) == "2026年第4季度"
    assert format_period_key(Period(MONTHLY, 2026, 3)) == "2026-03"
    assert parse_period_key("2026-Q4") == Period(QUARTERLY, 2026, 4)
    assert parse_period_key(" 2026-03 ") == Period(MONTHLY, 2026, 3)


@pytest.mark.parametrize("key", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026/11",
                                 "26-11", "2026-1", "", "2026-11-01"])
def test_bad_period_keys_are_refused_in_chinese(key):
    with pytest.raises(ValueError, match="无法识别的考核周期"):
        parse_period_key(key)


def test_shift_crosses_years():
    assert shift_period(Period(MONTHLY, 2026, 12), 1) == Period(MONTHLY, 2027, 1)
    assert shift_period(Period(MONTHLY, 2026, 1), -1) == Period(MONTHLY, 2025, 12)
    assert shift_period(Period(QUARTERLY, 2026, 1), -5) == Period(QUARTERLY, 2024, 4)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9990, 12, 31)),
       st.sampled_from([MONTHLY, QUARTERLY]))
def test_every_day_lies_in_its_period_and_periods_tile(day, kind):
    period = period_for(day, kind)
    start, end = period_bounds(period)
    assert start <= day < end
    assert period_bounds(shift_period(period, 1))[0] == end
    assert period_for(end - timedelta(days=1), kind) == period
    assert parse_period_key(period.key) == period
    assert period_key_for(day, kind) == period.key
