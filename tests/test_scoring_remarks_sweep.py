"""A rude remark after the approved phrase, in every scene, never passes: typed or as a
recogniser would write it (issue 15's adversarial sweep).

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
from trainer.scoring import score_answer
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
