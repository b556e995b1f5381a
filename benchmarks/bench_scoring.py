"""Scoring speed and memory for typed answers.

    .venv/bin/python benchmarks/bench_scoring.py [--seconds 5]

Prints: answers per second on one core for short answers to five items (the workload of the
earlier figures), and for every labelled answer of tests/data/scoring/dev-*.jsonl (right,
paraphrased, negated, rude, list, wrong time or amount ...) scored against its own content
item exactly as the app does; the per-answer time
for 5,000-character answers (they go to the station head as too long); and the peak memory
tracemalloc sees while compiling items and while scoring, and the process's maximum resident
size. Targets (issues 3 and 13): >= 2,000 answers/s, a 5,000-character answer in < 50 ms.
Times are the process's CPU time on the one core it is pinned to (time.process_time), so
other work on a shared machine does not inflate them. Runs in about a minute.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import json  # noqa: E402

from trainer.content import load_content  # noqa: E402
from trainer.scoring import ForbiddenMatcher, compile_item, score_answer  # noqa: E402

LIBRARY = load_content(ROOT / "content")
CASES = ROOT / "tests" / "data" / "scoring"

# (approved phrasings, values, answers) - the answers a trainee or a recogniser produces.
WORKLOAD = [
    (["您好!欢迎光临{station}加气站。"], {"station": "昆仑"}, [
        "您好,欢迎光临昆仑加气站", "您好歡迎光臨坤倫家氣戰", "嗯,您好,欢迎来到昆仑加气站",
        "您好!欢迎光临天山加气站。", "来了啊,加多少?", "再见"]),
    (["找您{amount}元,请拿好。"], {"amount": "35"}, [
        "找您三十五元,请拿好", "找您35块钱,您拿好", "找您五十元,请拿好", "找您钱,请拿好",
        "没零钱", "收您一百元,找您三十五元,请拿好"]),
    (["对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。"], {}, [
        "对不起,根据安全规定,严禁打手机,请到站外去接听", "打什么电话,说了你也不懂",
        "對不起根據安全規定嚴禁大手機請到站外去接聽", "对不起,站内禁止打电话,请到站外接听"]),
    (["请走好。", "再见!", "欢迎再次光临。"], {}, [
        "请走好,欢迎再次光临", "再见!", "走吧", "下班了明天再来"]),
    (["师傅,请看表核对一下。"], {}, [
        "师父请看表核对一下", "师傅,看一下", "你自己看", "师傅,请核对一下"]),
]


def pin_to_one_core() -> str:
    """Run on a single CPU where the OS allows it, so the figure is per core."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"CPU {cpu}"
    return "one thread (affinity not available)"


def build():
    matcher = ForbiddenMatcher.from_yaml(ROOT / "content" / "forbidden.yaml")
    return [(compile_item(expected, forbidden=matcher), values, answers)
            for expected, values, answers in WORKLOAD]


def labelled_answers() -> list[tuple[object, dict, str]]:
    """(compiled item, values, answer) for every labelled development answer."""
    flat = []
    for path in sorted(CASES.glob("dev-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            spec = LIBRARY.spec_for(case["item"], case.get("turn"))
            flat.append((LIBRARY.compile(spec), case.get("vars") or {}, case["response"]))
    return flat


def throughput(flat, seconds: float) -> tuple[float, int, float]:
    for item, values, answer in flat:  # warm the caches a long-running server also has warm
        score_answer(item, answer, values)
    count = 0
    start = time.process_time()
    deadline = start + seconds
    while time.process_time() < deadline:
        for item, values, answer in flat:
            score_answer(item, answer, values)
        count += len(flat)
    elapsed = time.process_time() - start
    mean_chars = statistics.mean(len(answer) for _, _, answer in flat)
    return count / elapsed, count, mean_chars


def long_answers(items, rounds: int = 20) -> tuple[float, float, str]:
    item, values, _ = items[2]
    base = "对不起,根据安全规定,严禁打手机,请到站外去接听,请您合作。今天车比较多,请您耐心等待。"
    times = []
    verdict = ""
    for round_number in range(rounds):
        answer = (str(round_number) + base * 200)[:5000]
        start = time.process_time()
        result = score_answer(item, answer, values)
        times.append(time.process_time() - start)
        verdict = f"{result.verdict}: {result.reasons[0]}"
    return statistics.mean(times) * 1000, max(times) * 1000, verdict


def scoring_memory() -> tuple[float, float]:
    """Peak traced memory (MiB) while compiling the items again and scoring a batch, counted
    from a warm process (the jieba and pinyin dictionaries are loaded once per process)."""
    tracemalloc.start()
    fresh = build()
    _, compile_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    flat = [(item, values, answer) for item, values, answers in fresh for answer in answers]
    for round_number in range(50):
        for item, values, answer in flat:
            score_answer(item, answer + str(round_number), values)
    score_answer(fresh[2][0], "对不起" * 1700, {})
    _, scoring_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return compile_peak / 2**20, scoring_peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of the throughput run")
    args = parser.parse_args()
    where = pin_to_one_core()
    started = time.process_time()
    items = build()
    compile_seconds = time.process_time() - started
    short = [(item, values, answer) for item, values, answers in items for answer in answers]
    rate, count, mean_chars = throughput(short, args.seconds)
    real_rate, real_count, real_chars = throughput(labelled_answers(), args.seconds)
    mean_ms, max_ms, verdict = long_answers(items)
    compile_mib, scoring_mib = scoring_memory()
    process_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scoring benchmark ({where}, Python {sys.version.split()[0]})")
    print(f"  compile {len(items)} items (incl. jieba/pinyin warm-up): {compile_seconds:.2f} s")
    print(f"  short answers to 5 items ({mean_chars:.0f} chars on average): {rate:,.0f} answers/s "
          f"over {count:,} answers  (target >= 2,000)")
    print(f"  every labelled development answer, each against its own item ({real_chars:.0f} "
          f"chars on average): {real_rate:,.0f} answers/s over {real_count:,} answers")
    print(f"  5,000-char answer: mean {mean_ms:.1f} ms, max {max_ms:.1f} ms  (target < 50 ms); "
          f"{verdict}")
    print(f"  peak traced memory: re-compiling {len(items)} items (warm caches) {compile_mib:.1f} MiB, "
          f"scoring {scoring_mib:.1f} MiB; process max RSS {process_mib:.0f} MiB "
          f"(mostly the jieba and pinyin dictionaries)")


if __name__ == "__main__":
    main()
