"""Adversarial sweeps over every scene (issue 15's review), typed and as a recogniser would
write it: a rude remark after the approved phrase never passes, nor a key action waived.

Each item's approved phrasing (filled with the values of a passing development case) is
followed by remarks a hostile colleague would add: a sneer, a retort, shooing the customer off,
a repeat of a key word wrapped in contempt (跟您说了也白说 after 告诉您), a remark that
sounds like a key word (看你 like 帮您, 你急 like 立即). Written before the rules that now
catch them: 12 of 7,440 scorings passed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.content import load_content
from trainer.scoring import lexicon, score_answer
from trainer.scoring.placeholders import fill_text

ROOT = Path(__file__).parents[1]
LIBRARY = load_content(ROOT / "content")
REMARKS = [
    "催也没用", "您瞎着急什么", "再嚷嚷不给你加了", "你行你来", "我又不是机器", "没看我忙着呢",
    "您这人真事多", "等着呗还能咋地", "有本事你别来", "烦不烦啊", "你聋啊", "又不是我让你等的",
    "早干嘛去了", "说多少遍了", "自己不会看啊", "懒得跟你说", "你爱找谁找谁", "该干嘛干嘛去",
    "一边等着去", "看你那样", "下回别来了", "问那么多干嘛", "跟你说了也白说", "跟您说了也白说",
    "有完没完", "就你急", "去去去", "我有什么办法",
]


def approved_answers() -> list[tuple[str, int | None, str, dict]]:
    """(item, turn, approved phrasing filled in, values): one per item and turn of the
    development sets, where the phrasing itself passes."""
    found: dict[tuple[str, int | None], tuple[str, dict]] = {}
    for path in sorted((ROOT / "tests" / "data" / "scoring").glob("dev-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else None
            if case and case["label"] == "pass":
                found.setdefault((case["item"], case.get("turn")),
                                 (case["expected"][0], case.get("vars") or {}))
    return [(item, turn, fill_text(phrase, values), values)
            for (item, turn), (phrase, values) in sorted(found.items(), key=str)]


ANSWERS = approved_answers()


def test_every_scene_is_swept():
    assert len(ANSWERS) >= 80


@pytest.mark.parametrize("remark", REMARKS)
def test_a_rude_remark_after_the_phrase_never_passes(remark):
    passed = []
    for item, turn, phrase, values in ANSWERS:
        compiled = LIBRARY.compile(LIBRARY.spec_for(item, turn))
        if score_answer(compiled, phrase, values).verdict != "pass":
            continue  # the sweep asks only what the remark adds
        answer = phrase.rstrip("。！!？?") + "。" + remark + "。"
        for spoken in (False, True):
            if score_answer(compiled, answer, values, spoken=spoken).verdict == "pass":
                passed.append((item, turn, "spoken" if spoken else "typed"))
    assert passed == []


# A key action given up after the approved phrase: 熄火就不用了, 没必要核对, 严禁烟火免了吧.
WAIVERS = ["{k}就不用了", "没必要{k}", "{k}就算了", "不{k}也行", "{k}免了吧", "{k}没有必要",
           "{k}可有可无", "用不着{k}", "{k}不是必须的", "不用{k}了", "{k}那是以前的规定",
           "今天不用{k}"]


@pytest.mark.parametrize("waiver", WAIVERS)
def test_a_key_point_waived_after_the_phrase_never_passes(waiver):
    """Written before the rules that catch them: 62 of 3,120 scorings passed (严禁烟火 waived
    by 今天不用 or 免了吧, 站外免了 heard as 站外面了, a saying across a clause break). Points
    that carry their own negator (余额不足, 不客气) or are courtesy make no sense waived."""
    passed = []
    for item, turn, phrase, values in ANSWERS:
        compiled = LIBRARY.compile(LIBRARY.spec_for(item, turn))
        if score_answer(compiled, phrase, values).verdict != "pass":
            continue
        points = compiled.key_points if compiled.key_points is not None \
            else compiled.variants[0].key_points
        for point in points or []:
            label = point.label
            if label in lexicon.COURTESY_WORDS or len(label) < 2 or set(label) & set("不没"):
                continue
            if label == "久等":  # 不久等也行 is no Chinese
                continue
            answer = phrase.rstrip("。！!？?") + "，" + waiver.format(k=label) + "。"
            for spoken in (False, True):
                if score_answer(compiled, answer, values, spoken=spoken).verdict == "pass":
                    passed.append((item, label, "spoken" if spoken else "typed"))
    assert passed == []
