"""How often the engine agrees with a careful station head, on every labelled typed set.

    .venv/bin/python benchmarks/bench_scoring_agreement.py [--show-misses] [--as-spoken]

Scores each set exactly as the app scores its items (the content library, every case naming
its `item`): the development sets `tests/data/scoring/dev-*.jsonl`, the held-out sets
`tests/data/scoring/heldout-*.jsonl` (written by people who never saw the engine, and never
tuned on), the red team's attacks `tests/data/scoring/redteam-*.jsonl` (every one a fail; those
still passed are marked `known_gap`), and the typed shared cases `../shared/eval/cases-meaning.jsonl`. Prints agreement,
false passes, false fails, the share sent to review and the share whose verdict is exactly the
head's (a review is "not passed": it agrees with a fail label, but is not exact), overall and by
kind of case. Targets
(issue 13): >= 97 % agreement and no false pass on held-out cases; review <= 5 % on the shared
cases. `--show-misses` prints the misses of the development sets only (reading the held-out
misses would turn them into development data). `--as-spoken` scores every typed answer as if a
recogniser had written exactly that text (spoken=True: sounds instead of characters, one
near-sound allowed), as a perfect recogniser would: what the spoken tolerance costs.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.shared_paths import EVAL  # noqa: E402
from trainer.content import load_content  # noqa: E402
from trainer.scoring import run_cases, score_answer  # noqa: E402

DATA = ROOT / "tests" / "data" / "scoring"


def measure(path: Path, library, as_spoken: bool = False) -> dict:
    cases = {c["id"]: c for c in (json.loads(line) for line in path.read_text("utf-8")
                                  .splitlines() if line.strip())}
    if as_spoken:
        results = {case_id: _as_spoken(case, library) for case_id, case in cases.items()}
    else:
        results = {r["id"]: r for r in run_cases(path, forbidden=library.forbidden_matcher(),
                                                 transcribe=None, items=library)}
    by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    misses = []
    for case_id, case in cases.items():
        result = results[case_id]
        row = by_kind[case.get("kind", "-")]
        row[0] += 1
        wanted = case["label"] == "pass"
        passed = bool(result.get("passed"))
        if "error" not in result and passed == wanted:
            row[1] += 1
        elif passed:
            row[2] += 1
            misses.append(("FALSE PASS", case_id, case.get("response", ""), case.get("why", "")))
        else:
            row[3] += 1
            misses.append(("false fail", case_id, case.get("response", ""),
                           result.get("reasons") or result.get("error")))
    total = len(cases)
    agree = sum(row[1] for row in by_kind.values())
    return {
        "total": total, "agree": agree,
        "false_pass": sum(row[2] for row in by_kind.values()),
        "false_fail": sum(row[3] for row in by_kind.values()),
        "review": sum(r.get("verdict") == "review" for r in results.values()),
        # The verdict itself equals the head's: a rude answer sent to review is safe (it is
        # not passed) and counts as agreement above, but it is not the head's "fail".
        "exact": sum(results[i].get("verdict") == c["label"] for i, c in cases.items()),
        "by_kind": dict(by_kind), "misses": misses,
    }


def _as_spoken(case: dict, library) -> dict:
    """The case's typed answer scored as a recogniser's text."""
    item = library.compile(library.spec_for(case["item"], case.get("turn")))
    result = score_answer(item, case["response"], case.get("vars") or {}, spoken=True)
    return {"passed": result.passed, "verdict": result.verdict, "reasons": result.reasons}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--as-spoken", action="store_true",
                        help="score the typed answers as a recogniser's text")
    args = parser.parse_args()
    library = load_content(ROOT / "content")
    sets = ([("development", p) for p in sorted(DATA.glob("dev-*.jsonl"))]
            + [("HELD-OUT", p) for p in sorted(DATA.glob("heldout-*.jsonl"))]
            + [("red team", p) for p in sorted(DATA.glob("redteam-*.jsonl"))]
            + [("shared", EVAL / "cases-meaning.jsonl")])
    print(f"{'set':28s} {'cases':>5s} {'agree':>7s} {'false pass':>10s} {'false fail':>10s} "
          f"{'review':>7s} {'exact':>7s}")
    for role, path in sets:
        figures = measure(path, library, args.as_spoken)
        share = 100 * figures["agree"] / figures["total"]
        print(f"{role + ' ' + path.stem:28s} {figures['total']:5d} {share:6.1f}% "
              f"{figures['false_pass']:10d} {figures['false_fail']:10d} "
              f"{100 * figures['review'] / figures['total']:6.1f}% "
              f"{100 * figures['exact'] / figures['total']:6.1f}%")
        if role == "HELD-OUT":
            for kind, (n, agree, false_pass, false_fail) in sorted(
                    figures["by_kind"].items(), key=lambda item: -item[1][0]):
                print(f"    {kind:22s} {n:4d} cases, {agree:4d} agree, "
                      f"{false_pass} false pass, {false_fail} false fail")
        if args.show_misses and role != "HELD-OUT":
            for miss in figures["misses"]:
                print("    ", *miss)


if __name__ == "__main__":
    main()
