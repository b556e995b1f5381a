"""Properties that must hold for every input, checked with hypothesis."""

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import cn2an
import opencc
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trainer.scoring import ForbiddenMatcher, compile_item, score_answer, score_ordering

LIST = Path(__file__).parents[1] / "content" / "forbidden.yaml"
MATCHER = ForbiddenMatcher.from_yaml(LIST)
FORBIDDEN = [w for item in yaml.safe_load(LIST.read_text(encoding="utf-8"))["items"]
             for w in [item["text"], *item.get("variants", [])]]
TO_TRADITIONAL = opencc.OpenCC("s2t")
# SCORING_EXAMPLES=3000 for a longer hunt; the default keeps the suite quick.
EXAMPLES = int(os.environ.get("SCORING_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

AMOUNT_PHRASES = [
    compile_item(["找您{amount}元,请拿好。"], forbidden=MATCHER),
    compile_item(["您好,一共{amount}元,请问用现金还是用卡?"], forbidden=MATCHER),
    compile_item(["收您{amount}元,请稍等。"], forbidden=MATCHER),
]
APPROVED = [
    ("您好!欢迎光临{station}加气站。", {"station": "昆仑"}),
    ("加气站规定车辆熄火后加气,请您合作!", {}),
    ("对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。", {}),
    ("请稍后,马上给您加气。", {}),
    ("师傅,请看表核对一下。", {}),
    ("还有别的事需要帮忙吗?", {}),
    ("您好!这里是{station}加气站,请问您找谁?", {"station": "昆仑"}),
    ("您好,请问用现金还是用卡?", {}),
    ("您好,余额不多,请及时充值。", {}),
    ("对不起,让您久等了。", {}),
    ("请打开引擎盖与后备箱。", {}),
]
COMPILED = [(compile_item([text], forbidden=MATCHER), text, values) for text, values in APPROVED]
# Recogniser homophones: same toneless syllables, different characters.
HOMOPHONES = {"加": "家", "气": "汽", "站": "战", "师": "诗", "傅": "父", "稍": "烧", "后": "候",
              "马": "码", "给": "给", "别": "憋", "事": "是", "忙": "盲", "光": "广", "临": "林",
              "欢": "环", "迎": "营", "规": "归", "定": "订", "熄": "洗", "火": "伙", "核": "合",
              "对": "队", "表": "表", "余": "鱼", "额": "鹅", "充": "冲", "值": "职", "久": "九",
              "等": "灯", "现": "线", "金": "今", "卡": "咔", "接": "街", "听": "厅"}
STATIONS = ["昆仑", "天山", "长城", "黄河", "东方", "海湾", "北岭", "南湖"]


def money(value: Decimal, style: int) -> str:
    """One of the ways a trainee says an amount of money."""
    plain = format(value.normalize(), "f")
    if style == 0:
        return plain + "元"
    if style == 1:
        return cn2an.an2cn(plain) + "元"
    if style == 2 and value == value.to_integral():
        return cn2an.an2cn(plain) + "块钱"
    if style == 3 and value == value.to_integral():
        return plain + "块"
    return plain + "元"


amounts = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("9999"), places=1,
                      allow_nan=False, allow_infinity=False)


@SETTINGS
@given(st.sampled_from(AMOUNT_PHRASES), amounts, st.integers(0, 3))
def test_approved_phrasing_with_any_amount_passes(compiled, value, style):
    template = compiled.variants[0].template
    answer = template.replace("{amount}元", money(value, style))
    result = score_answer(compiled, answer, {"amount": format(value, "f")})
    assert result.verdict == "pass", (answer, result.reasons)


@SETTINGS
@given(st.sampled_from(AMOUNT_PHRASES), amounts, amounts, st.integers(0, 3))
def test_any_other_amount_fails(compiled, value, said, style):
    assume(value != said)
    template = compiled.variants[0].template
    answer = template.replace("{amount}元", money(said, style))
    result = score_answer(compiled, answer, {"amount": format(value, "f")})
    assert result.verdict == "fail", answer
    assert any(r.startswith("金额不对") for r in result.reasons)


@SETTINGS
@given(st.sampled_from(COMPILED), st.sampled_from(FORBIDDEN), st.integers(0, 100),
       st.booleans(), st.sampled_from([",", "。", "!", " ", "?"]))
def test_any_forbidden_phrase_inserted_anywhere_fails(entry, phrase, where, traditional, mark):
    compiled, template, values = entry
    approved = template.format(**values)
    cut = where % (len(approved) + 1)
    answer = approved[:cut] + mark + phrase + mark + approved[cut:]
    if traditional:
        answer = TO_TRADITIONAL.convert(answer)
    result = score_answer(compiled, answer, values)
    assert result.verdict == "fail", answer
    assert result.forbidden_found
    for hit in result.forbidden_found:
        assert 0 <= hit.start < hit.end <= len(answer)


@SETTINGS
@given(st.sampled_from(COMPILED), st.sets(st.integers(0, 40), max_size=3), st.booleans(),
       st.booleans())
def test_approved_phrasing_with_recogniser_noise_passes(entry, positions, traditional,
                                                         unpunctuated):
    compiled, template, values = entry
    chars = list(template.format(**values))
    for position in positions:
        index = position % len(chars)
        chars[index] = HOMOPHONES.get(chars[index], chars[index])
    answer = "".join(chars)
    if traditional:
        answer = TO_TRADITIONAL.convert(answer)
    if unpunctuated:
        answer = re.sub(r"[,。!?]", "", answer)
    result = score_answer(compiled, answer, values, spoken=True)
    assert result.verdict == "pass", (answer, result.reasons)


@SETTINGS
@given(st.sampled_from([c for c in COMPILED if "{station}" in c[1]]),
       st.sampled_from(STATIONS), st.sampled_from(STATIONS))
def test_only_the_right_station_passes(entry, right, said):
    compiled, template, _ = entry
    answer = template.format(station=said)
    result = score_answer(compiled, answer, {"station": right})
    assert result.passed is (right == said), (answer, right, result.reasons)


@settings(max_examples=EXAMPLES * 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMPILED + [(AMOUNT_PHRASES[0], "", {"amount": "35"})]),
       st.one_of(st.text(max_size=80),
                 st.text(st.sampled_from(list("一二两三十百千万点块元毛角钱方升.,。 0123456789"
                                              "¥喂嗯啊那个您你好不知道快点急什么站气加")),
                         max_size=40)))
def test_scoring_never_raises_on_arbitrary_text(entry, text):
    compiled, _, values = entry
    result = score_answer(compiled, text, values)
    assert 0 <= result.score <= 100
    assert result.passed == (result.verdict == "pass")
    json.dumps(result.to_dict(), ensure_ascii=False)
    for hit in result.forbidden_found:
        assert 0 <= hit.start <= hit.end <= len(text)


@SETTINGS
@given(st.permutations(list("abcdefg")), st.sets(st.sampled_from(list("abcdefg")), max_size=2))
def test_ordering_score_is_the_longest_ordered_subset(answer, critical):
    result = score_ordering(list("abcdefg"), answer, critical)
    positions = ["abcdefg".index(s) for s in result.in_order]
    assert positions == sorted(positions)  # the kept steps really are in order
    assert result.score == round(100 * len(result.in_order) / 7)
    assert sorted(result.in_order + result.out_of_place) == sorted(answer)
    # A critical step is safe only if no other step crosses it.
    for step in critical:
        crossed = any((answer.index(step) < answer.index(o)) != (step < o)
                      for o in answer if o != step)
        assert (step in result.safety_failures) == crossed
    if result.safety_failures:
        assert result.verdict == "fail"
