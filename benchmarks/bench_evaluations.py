"""Evaluation computation speed: one period for 5,000 staff, each with a year of history.

    .venv/bin/python benchmarks/bench_evaluations.py [--staff 5000] [--period 2026-11]
                                                      [--all-periods] [--seed 8]

Generates realistic records in memory (not timed): per person and month a few assessment quiz
attempts over several modules (windows graded by their rule, a few still awaiting review), a
few role-play results, one to three practical checks (some drills over their time limit),
and now and then a complaint, a commendation or a safety violation (some unconfirmed); some
people miss a component in some months. Then times (one Python thread): grouping all records by
person and period, computing the chosen period for every person, and turning the results into
the JSON an evaluation stores. Target (issue 8): the period in well under 10 s including the
grouping. Pure part only; the database round-trip comes with the models.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.evaluations.compute import (  # noqa: E402
    PracticalResult,
    QuizResult,
    Records,
    ServiceEvent,
    SpokenResult,
    compute_evaluation,
    group_records,
)
from trainer.evaluations.periods import parse_period_key, period_bounds, shift_period  # noqa: E402
from trainer.evaluations.policy import Policy  # noqa: E402

MODULES = ["image", "phrases", "fueling", "safety", "complaints", "commitments", "hall",
           "site", "duties"]
ITEMS = [f"sl-item-{n}" for n in range(40)]
GRADINGS = ["highest", "highest", "highest", "last", "average"]


def score(rng: random.Random, mean: float, spread: float) -> Decimal:
    """A stored score: two decimals, 0-100 (the float only draws the random number)."""
    value = min(100.0, max(0.0, rng.gauss(mean, spread)))
    return Decimal(round(value * 100)) / 100


def moment(rng: random.Random, start: date, days: int) -> datetime:
    day = start + timedelta(days=rng.randrange(days))
    return datetime(day.year, day.month, day.day, rng.randrange(7, 22), rng.randrange(60))


def generate(staff: int, last_period: str, seed: int) -> tuple[list, int]:
    """(person, record) rows for twelve months ending with `last_period`."""
    rng = random.Random(seed)
    rows: list = []
    ids = iter(range(1, 10**9))
    months = [shift_period(parse_period_key(last_period), -n) for n in range(11, -1, -1)]
    for person in range(staff):
        ability = rng.gauss(80, 8)
        for month in months:
            start, end = period_bounds(month)
            days = (end - start).days
            if rng.random() > 0.02:                      # theory: 1-3 modules, 1-2 attempts
                for module in rng.sample(MODULES, rng.randint(1, 3)):
                    window = next(ids)
                    grading = rng.choice(GRADINGS)
                    for _ in range(rng.randint(1, 2)):
                        value = score(rng, ability, 10)
                        rows.append((person, QuizResult(
                            next(ids), module, value, moment(rng, start, days),
                            pending_review=rng.random() < 0.02, passed=value >= 80,
                            window_id=window, grading=grading)))
            if rng.random() > 0.03:                      # spoken: 2-5 role-plays
                for _ in range(rng.randint(2, 5)):
                    rows.append((person, SpokenResult(
                        next(ids), rng.choice(ITEMS), score(rng, ability - 3, 12),
                        moment(rng, start, days), pending_review=rng.random() < 0.04,
                        module_id=rng.choice(("phrases", "complaints")))))
            if rng.random() > 0.15:                      # practical: 1-3 checks
                for _ in range(rng.randint(1, 3)):
                    kind = rng.choice(("grooming", "drill", "spoken"))
                    value = score(rng, ability, 9)
                    rows.append((person, PracticalResult(
                        next(ids), kind, value, value >= 60, moment(rng, start, days),
                        module_id="fueling" if kind == "drill" else "image")))
            for kind, chance in (("complaint", 0.12), ("commendation", 0.10),
                                 ("safety_violation", 0.006)):
                if rng.random() < chance:
                    rows.append((person, ServiceEvent(
                        next(ids), kind, rng.random() > 0.1, moment(rng, start, days))))
    rng.shuffle(rows)                                    # the database gives no useful order
    return rows, len(months)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--all-periods", action="store_true",
                        help="also compute all twelve months for everyone")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    policy = Policy()
    started = time.perf_counter()
    rows, months = generate(args.staff, args.period, args.seed)
    generated = time.perf_counter() - started
    print(f"生成数据(不计时): {args.staff} 人 × {months} 个月, {len(rows):,} 条记录, "
          f"{generated:.1f} s")

    started = time.perf_counter()
    grouped = group_records(rows, policy.period_kind)
    grouping = time.perf_counter() - started

    started = time.perf_counter()
    results = {}
    empty = Records()
    for person in range(args.staff):
        records = grouped.get((person, args.period), empty)
        results[person] = compute_evaluation(policy, records, args.period)
    computing = time.perf_counter() - started

    started = time.perf_counter()
    stored = [json.dumps(result.to_dict(), ensure_ascii=False) for result in results.values()]
    serialising = time.perf_counter() - started

    period_total = grouping + computing
    print(f"按人和周期分组 {len(rows):,} 条记录: {grouping:.2f} s ({len(grouped):,} 组)")
    print(f"计算 {args.period} 全部 {args.staff} 人: {computing:.2f} s "
          f"({computing / args.staff * 1000:.2f} ms/人)")
    print(f"分组 + 计算合计: {period_total:.2f} s (目标 < 10 s: "
          f"{'达到' if period_total < 10 else '未达到'})")
    print(f"转为存档 JSON: {serialising:.2f} s, 平均 {sum(map(len, stored)) / len(stored):,.0f} 字符/份")

    grades = Counter(r.grade or "暂不评定" for r in results.values())
    print("等级分布: " + ", ".join(f"{g} {n}" for g, n in grades.most_common()))
    print(f"数据不全 {sum(r.incomplete for r in results.values())}, "
          f"安全违规封顶 {sum(r.safety_capped for r in results.values())}, "
          f"须复训 {sum(r.retraining_required for r in results.values())}, "
          f"有待复核记录 {sum(bool(r.pending_ids) for r in results.values())}")

    if args.all_periods:
        last = parse_period_key(args.period)
        keys = [shift_period(last, -n).key for n in range(months)]
        started = time.perf_counter()
        count = 0
        for person in range(args.staff):
            for key in keys:
                compute_evaluation(policy, grouped.get((person, key), empty), key)
                count += 1
        whole = time.perf_counter() - started
        print(f"全年 {count:,} 份评估: {whole:.2f} s ({whole / count * 1000:.2f} ms/份)")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"进程最大常驻内存: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
