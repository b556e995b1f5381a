"""Agreement with the labelled development set, and the case-file runner.

The shared cases are only measured here, never copied: the engine is judged on held-out
cases of the same kinds. Audio cases are proven by the speech engineer's CI step.
"""

import json
from pathlib import Path

import pytest

from tests.shared_paths import CASES
from trainer.scoring import ForbiddenMatcher, agreement_summary, run_cases

ROOT = Path(__file__).parents[1]
DEV_SET = CASES
MATCHER = ForbiddenMatcher.from_yaml(ROOT / "content" / "forbidden.yaml")


@pytest.mark.skipif(not DEV_SET.is_file(), reason="../shared/eval/cases.jsonl is not here")
def test_agreement_on_the_typed_development_cases(tmp_path):
    cases = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    typed = [c for c in cases if "response" in c]
    assert len(typed) >= 15
    path = tmp_path / "typed.jsonl"  # the typed lines only, read by the real runner
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in typed),
                    encoding="utf-8")
    results = {r["id"]: r for r in run_cases(path, forbidden=MATCHER, transcribe=None)}
    agree = sum(results[c["id"]]["passed"] == (c["label"] == "pass") for c in typed)
    false_passes = [c["id"] for c in typed
                    if results[c["id"]]["passed"] and c["label"] == "fail"]
    reviews = [c["id"] for c in typed if results[c["id"]]["verdict"] == "review"]
    assert false_passes == []
    assert agree / len(typed) >= 0.97, agreement_summary(typed, list(results.values()))
    assert len(reviews) <= len(typed) // 10  # the review band stays narrow


def write(tmp_path, *lines):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Heard:
    def __init__(self, text, no_speech=False):
        self.text = text
        self.no_speech = no_speech


def test_runner_scores_text_cases_and_ignores_labels(tmp_path):
    path = write(
        tmp_path,
        json.dumps({"id": "ok", "expected": ["找您{amount}元,请拿好。"], "vars": {"amount": "35"},
                    "response": "找您三十五块钱,您拿好", "label": "fail", "why": "x", "say": "y"},
                   ensure_ascii=False),
        "",
        json.dumps({"id": "bad-amount", "expected": ["找您{amount}元,请拿好。"],
                    "vars": {"amount": 35}, "response": "找您五十元,请拿好"}, ensure_ascii=False),
    )
    ok, bad = run_cases(path, forbidden=MATCHER, transcribe=None)
    assert ok == {"id": "ok", "verdict": "pass", "passed": True, "score": ok["score"],
                  "transcript": "找您三十五块钱,您拿好", "reasons": ok["reasons"]}
    assert bad["verdict"] == "fail" and bad["passed"] is False
    assert "金额不对:找零应为 35 元,说成了 50 元" in bad["reasons"]


def test_runner_uses_key_points_and_extra_forbidden_of_a_case(tmp_path):
    path = write(
        tmp_path,
        json.dumps({"id": "kp", "expected": ["师傅,请看表核对一下。"], "key_points": [["核对"], "表"],
                    "response": "师傅,请核对一下"}, ensure_ascii=False),
        json.dumps({"id": "extra", "expected": ["请稍后,马上给您加气。"], "forbidden": ["等着吧"],
                    "response": "等着吧,马上给您加气"}, ensure_ascii=False),
    )
    kp, extra = run_cases(path, forbidden=MATCHER, transcribe=None)
    assert kp["verdict"] == "fail" and "缺少要点:表" in kp["reasons"]
    assert extra["verdict"] == "fail" and "含服务忌语:等着吧" in extra["reasons"]


def test_runner_transcribes_audio_relative_to_the_file(tmp_path):
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "a.wav").write_bytes(b"RIFF")
    (tmp_path / "audio" / "quiet.wav").write_bytes(b"RIFF")
    heard = {}

    def transcribe(path):
        heard[path.name] = path
        return Heard("", no_speech=True) if path.name == "quiet.wav" else Heard("您好歡迎光臨坤倫家氣戰")

    path = write(
        tmp_path,
        json.dumps({"id": "a", "expected": ["您好!欢迎光临{station}加气站。"],
                    "vars": {"station": "昆仑"}, "audio": "audio/a.wav"}, ensure_ascii=False),
        json.dumps({"id": "quiet", "expected": ["您好!欢迎光临{station}加气站。"],
                    "vars": {"station": "昆仑"}, "audio": "audio/quiet.wav"}, ensure_ascii=False),
    )
    spoken, quiet = run_cases(path, forbidden=MATCHER, transcribe=transcribe)
    assert heard["a.wav"] == tmp_path / "audio" / "a.wav"
    assert spoken["verdict"] == "pass" and spoken["transcript"] == "您好歡迎光臨坤倫家氣戰"
    assert quiet == {"id": "quiet", "verdict": "fail", "passed": False, "score": 0,
                     "transcript": "", "reasons": ["没有识别到语音"]}


def test_bad_lines_yield_errors_and_the_run_goes_on(tmp_path):
    def broken(path):
        raise RuntimeError("模型未加载")

    path = write(
        tmp_path,
        "{not json",
        json.dumps({"id": "no-expected", "response": "您好"}),
        json.dumps({"id": "bad-types", "expected": "您好", "vars": ["x"], "response": "您好"}),
        json.dumps({"id": "no-answer", "expected": ["您好"]}),
        json.dumps({"id": "no-value", "expected": ["找您{amount}元"], "response": "找您35元"}),
        json.dumps({"id": "no-engine", "expected": ["您好"], "audio": "x.wav"}),
        json.dumps({"id": "missing-file", "expected": ["您好"], "audio": "nope.wav"}),
        json.dumps(["a list"]),
        json.dumps({"id": "fine", "expected": ["再见!"], "response": "再见"}),
    )
    (tmp_path / "x.wav").write_bytes(b"RIFF")
    results = list(run_cases(path, forbidden=MATCHER, transcribe=None))
    assert [r["id"] for r in results] == [1, "no-expected", "bad-types", "no-answer", "no-value",
                                          "no-engine", "missing-file", 8, "fine"]
    errors = {r["id"]: r["error"] for r in results if "error" in r}
    assert errors[1] == "第 1 行不是有效的 JSON"
    assert "expected" in errors["no-expected"]
    assert "vars" in errors["bad-types"]
    assert "response" in errors["no-answer"]
    assert "amount" in errors["no-value"]
    assert errors["no-engine"] == "语音识别不可用"
    assert errors[8] == "第 8 行应为 JSON 对象"
    assert results[-1]["verdict"] == "pass"
    with_engine = list(run_cases(path, forbidden=MATCHER, transcribe=broken))
    errors = {r["id"]: r["error"] for r in with_engine if "error" in r}
    assert errors["no-engine"] == "语音识别失败:模型未加载"
    assert errors["missing-file"] == "找不到录音文件:nope.wav"


def test_unreadable_file_raises(tmp_path):
    with pytest.raises(OSError):
        list(run_cases(tmp_path / "absent.jsonl", forbidden=MATCHER, transcribe=None))


def test_agreement_summary_counts_what_matters():
    cases = [{"id": "a", "label": "pass"}, {"id": "b", "label": "fail"},
             {"id": "c", "label": "pass"}, {"id": "d", "label": "fail"}]
    results = [{"id": "a", "verdict": "pass", "passed": True},
               {"id": "b", "verdict": "pass", "passed": True},
               {"id": "c", "verdict": "review", "passed": False},
               {"id": "d", "error": "语音识别不可用"}]
    summary = agreement_summary(cases, results)
    assert summary.startswith("一致 1/4 = 25.0%")
    assert "误判通过 1(b)" in summary
    assert "误判不通过 1(c)" in summary
    assert "待复核 1/4" in summary
    assert "出错 1(d)" in summary
