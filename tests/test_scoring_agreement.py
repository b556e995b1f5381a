"""The engine against labelled typed answers, judged exactly as the app judges each item.

`tests/data/scoring/dev-*.jsonl` are development sets written from the standards by several
people (one JSON case a line, the format of ../shared/eval, each naming its `item`): the
engine must agree with the station head's label on at least 97 % of each and never pass an
answer the head fails. `heldout-*.jsonl` is never tuned on and not asserted here: it is
reported by `benchmarks/bench_scoring_agreement.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.shared_paths import EVAL
from trainer.content import load_content
from trainer.scoring import agreement_summary, run_cases

DATA = Path(__file__).parent / "data" / "scoring"
LIBRARY = load_content(Path(__file__).parents[1] / "content")
DEV_SETS = sorted(DATA.glob("dev-*.jsonl"))


def score_file(path: Path) -> tuple[list[dict], list[dict]]:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    results = list(run_cases(path, forbidden=LIBRARY.forbidden_matcher(), transcribe=None,
                             items=LIBRARY))
    return cases, results


def agreement(cases: list[dict], results: list[dict]) -> tuple[float, list, list, list]:
    by_id = {r["id"]: r for r in results}
    false_pass, false_fail, errors = [], [], []
    for case in cases:
        result = by_id[case["id"]]
        if "error" in result:
            errors.append((case["id"], result["error"]))
        elif result["passed"] and case["label"] == "fail":
            false_pass.append((case["id"], case["response"], case["why"]))
        elif not result["passed"] and case["label"] == "pass":
            false_fail.append((case["id"], case["response"], result["reasons"]))
    share = 1 - (len(false_pass) + len(false_fail) + len(errors)) / len(cases)
    return share, false_pass, false_fail, errors


def test_there_are_development_sets_of_every_kind():
    assert len(DEV_SETS) >= 6
    kinds = {json.loads(line)["kind"] for path in DEV_SETS
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    for kind in ("negation", "waiver", "rude-addition", "courteous-addition", "salad",
                 "time-wrong", "amount-role", "station-right", "legit-negative"):
        assert kind in kinds


@pytest.mark.parametrize("path", DEV_SETS, ids=[p.stem for p in DEV_SETS])
def test_development_set_agrees_with_the_head(path):
    cases, results = score_file(path)
    share, false_pass, false_fail, errors = agreement(cases, results)
    assert errors == []
    assert false_pass == [], agreement_summary(cases, results)
    assert share >= 0.97, (share, false_fail)


def test_shared_meaning_cases_agree_through_the_command(runner):
    """`flask score` with the shared cases that name their item: >= 97 %, no false pass, and
    at most one case in twenty sent to review."""
    path = EVAL / "cases-meaning.jsonl"
    outcome = runner.invoke(args=["score", str(path)])
    assert outcome.exit_code == 0, outcome.output
    results = [json.loads(line) for line in outcome.stdout.splitlines() if line.startswith("{")]
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    share, false_pass, false_fail, errors = agreement(cases, results)
    assert errors == [] and false_pass == []
    assert share >= 0.97, false_fail
    reviews = sum(r["verdict"] == "review" for r in results)
    assert reviews <= len(results) / 20


def test_a_named_item_is_judged_by_its_own_key_points_and_an_unknown_one_is_an_error(tmp_path):
    path = tmp_path / "cases.jsonl"
    lines = [
        # 前盖 is a synonym in the item's own key points; the line's `expected` alone would
        # derive 引擎盖 and fail it.
        {"id": "own", "item": "sl-hood-trunk", "expected": ["请打开引擎盖与后备箱。"],
         "response": "麻烦您把前盖和后备箱打开一下,谢谢。"},
        {"id": "turn", "item": "sl-dlg-cng-full", "turn": 8, "vars": {"amount": "23"},
         "response": "找您二十三块,您拿好。"},
        {"id": "no-such-item", "item": "sl-nothing", "response": "您好"},
        {"id": "no-such-turn", "item": "sl-dlg-cng-full", "turn": 11, "response": "您好"},
        {"id": "turn-of-a-phrase", "item": "sl-greet", "turn": 1, "response": "您好"},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines),
                    encoding="utf-8")
    own, turn, unknown, beyond, phrase = run_cases(
        path, forbidden=LIBRARY.forbidden_matcher(), transcribe=None, items=LIBRARY)
    assert own["passed"] and turn["passed"]
    assert "error" in unknown and "sl-nothing" in unknown["error"]
    assert "error" in beyond and "11" in beyond["error"]
    assert "error" in phrase


def test_the_command_and_the_app_give_the_same_reasons(app):
    """One scoring path: what `flask score` prints is what a trainee's attempt stores."""
    from trainer.attempts.service import score_phrase

    spec = LIBRARY.spec_for("sl-engine-off")
    answer = "师傅,今天不必熄火,请您合作一下。"
    path = Path(app.instance_path) / "one.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"id": "x", "item": "sl-engine-off", "response": answer},
                               ensure_ascii=False), encoding="utf-8")
    with app.app_context():
        (line,) = run_cases(path, forbidden=LIBRARY.forbidden_matcher(), transcribe=None,
                            items=LIBRARY)
        stored = score_phrase(LIBRARY.compile(spec), answer, {})
    assert line["verdict"] == stored["verdict"] == "fail"
    assert line["reasons"] == stored["reasons"]
    assert "否定了要点:熄火" in stored["reasons"]


RED_TEAM = sorted(DATA.glob("redteam-*.jsonl"))


@pytest.mark.parametrize("path", RED_TEAM, ids=[p.stem for p in RED_TEAM])
def test_red_team_attacks_stay_caught(path):
    """Answers hostile colleagues wrote to slip past the engine (R and S, 2026-12-07: a correct
    phrasing with a waiver, a postponement, a later day, hazardous advice, money asked on the
    side or a sneer added, ...), every one labelled fail by a head. Those caught must stay caught; those the engine still passes
    are marked `known_gap` (reported in the issue's note), and a gap that closes must lose its
    mark, so the list of gaps is always the true one."""
    cases, results = score_file(path)
    by_id = {r["id"]: r for r in results}
    assert all(c["label"] == "fail" for c in cases)
    slipped = [(c["id"], c["response"]) for c in cases
               if by_id[c["id"]]["passed"] and not c.get("known_gap")]
    closed = [c["id"] for c in cases if c.get("known_gap") and not by_id[c["id"]]["passed"]]
    assert slipped == [], slipped
    assert closed == [], f"no longer passed, remove known_gap: {closed}"
