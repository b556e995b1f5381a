"""The content against the real scoring engine: every approved phrasing passes itself with its
placeholders filled, every 忌语 fails it, and the key points catch what a station head would."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.shared_paths import CASES
from trainer.content import fill_placeholders, load_content, substitute
from trainer.scoring import agreement_summary, run_cases, score_answer

ROOT = Path(__file__).resolve().parent.parent
EVAL = CASES
STATIONS = [
    {"station": "昆仑", "company": "中石油昆仑燃气有限公司", "hotline": "0991-1234567",
     "price": "3.6"},
    {"station": "天山", "company": "天山燃气有限公司", "hotline": "400-100-2000", "price": "4.05"},
]


@pytest.fixture(scope="module")
def library():
    return load_content(ROOT / "content")


def scored_specs(library):
    """(name, spec) of every phrase item and every dialogue turn with its own phrasing."""
    specs = []
    for module in library.modules:
        specs += [(item.id, item.spec) for item in module.phrases]
        specs += [(f"{d.id}#{n}", turn.spec) for d in module.dialogues
                  for n, turn in enumerate(d.turns) if turn.phrase_id is None]
    return specs


def test_every_approved_phrasing_passes_with_its_placeholders_filled(library):
    specs = scored_specs(library)
    assert len(specs) >= 60
    failures = []
    for name, spec in specs:
        compiled = library.compile(spec)
        for seed in range(6):
            values = fill_placeholders(spec, STATIONS[seed % 2], random.Random(seed))
            for phrasing in spec.expected:
                answer = substitute(phrasing, values)
                result = score_answer(compiled, answer, values)
                if not result.passed:
                    failures.append((name, answer, result.verdict, result.reasons))
    assert failures == []


def test_every_forbidden_phrase_and_variant_fails_every_item(library):
    words = [w for phrase in library.forbidden for w in (phrase.text, *phrase.variants)]
    assert len(words) >= 30
    passed = []
    for number, (name, spec) in enumerate(scored_specs(library)):
        compiled = library.compile(spec)
        values = fill_placeholders(spec, STATIONS[0], random.Random(number))
        approved = substitute(spec.expected[0], values)
        pause = approved.find("，") + 1  # a clause boundary, or 0: the start
        for position, word in enumerate(words):
            # Said before, after, or between two clauses of an otherwise perfect answer.
            answer = [f"{word}，{approved}", f"{approved}{word}",
                      f"{approved[:pause]}{word}，{approved[pause:]}"][(number + position) % 3]
            if score_answer(compiled, answer, values).passed:
                passed.append((name, answer))
    assert passed == []


def test_item_specific_forbidden_phrases_fail(library):
    dialogue = library.item("sf-dlg-smoker")
    spec = dialogue.turns[1].spec
    assert spec.extra_forbidden
    answer = spec.expected[0] + spec.extra_forbidden[0]
    assert not score_answer(library.compile(spec), answer, {}).passed


def judge(library, item_id, answer, values=None):
    return score_answer(library.compile(library.item(item_id)), answer, values or {})


@pytest.mark.parametrize("item_id, answer, values", [
    ("sl-greet", "你好，欢迎光临昆仑加气站", {"station": "昆仑"}),  # 你好 accepted (README)
    ("sl-greet", "您好，欢迎来到昆仑加气站！", {"station": "昆仑"}),
    ("sl-engine-off", "请您把车熄火，谢谢合作。", {}),
    ("sl-hood-trunk", "麻烦您把引擎盖和后备箱打开一下", {}),
    ("sl-check-meter", "师傅，您看一下表，核对一下", {}),
    ("sl-move-car", "师傅，麻烦您把车往后挪一点", {"direction": "后"}),
    ("sl-change", "找您十二块五，请拿好", {"amount": "12.5"}),
    ("sl-reply-thanks", "不用谢", {}),
    ("sl-reply-sorry", "没事没事", {}),
    ("sl-farewell", "再见，欢迎再次光临", {}),
    ("cm-tel-repair-40min", "您好，您的报修已经受理，维修人员会在四十分钟内赶到现场", {}),
])
def test_paraphrases_a_station_head_accepts(library, item_id, answer, values):
    result = judge(library, item_id, answer, values)
    assert result.passed, result.reasons


@pytest.mark.parametrize("item_id, answer, values", [
    ("sl-greet", "欢迎光临昆仑加气站", {"station": "昆仑"}),  # no greeting
    ("sl-greet", "您好，欢迎光临天山加气站", {"station": "昆仑"}),  # wrong station
    ("sl-engine-off", "熄火！", {}),  # a bare command
    ("sl-hood-trunk", "请打开引擎盖。", {}),  # trunk missing
    ("sl-check-meter", "师傅，看一下。", {}),  # 看表 and 核对 missing
    ("sl-move-car", "师傅，麻烦您把车稍向后一点", {"direction": "前"}),  # wrong way
    ("sl-change", "找您十二块，请拿好", {"amount": "12.5"}),  # wrong change
    ("sl-get-out", "下车", {}),  # no 请
    ("sl-phone-stop", "不许打电话", {}),
    ("sl-balance-low", "您好，欢迎光临昆仑加气站", {}),  # another scene
    ("cm-tel-repair-40min", "您好，您的报修已经受理，维修人员会在两小时内赶到现场", {}),
    ("sl-sorry-wait", "没看见我正忙着吗？", {}),
])
def test_answers_a_station_head_fails(library, item_id, answer, values):
    assert not judge(library, item_id, answer, values).passed


def test_typed_development_cases_agree_with_the_content_forbidden_list(library, tmp_path):
    """The global 忌语 list is what `flask score` uses: extending it must not fail good answers."""
    if not EVAL.exists():
        pytest.skip(f"development set not present: {EVAL}")
    cases = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    typed = [case for case in cases if "response" in case]
    assert len(typed) >= 15
    path = tmp_path / "typed.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in typed), "utf-8")
    results = list(run_cases(path, forbidden=library.forbidden_matcher(), transcribe=None))
    summary = agreement_summary(typed, results)
    wrong = [r["id"] for r, c in zip(results, typed, strict=True)
             if r.get("passed") != (c["label"] == "pass")]
    assert wrong == [], summary
