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
grouping.

The database part (skip it with --no-database) stores the same year in a fresh database built
by the migrations - 5,000 staff at 50 stations, their assessment attempts (some awaiting
review), practical checks and service records (not timed) - then times what HR's 计算 button
does: ``trainer.evaluations.service.compute_period`` reading the period's records from the
database, computing every person, and writing 5,000 drafts with their audit entries in one
transaction (target under 10 s). Then it times recomputing those drafts (nothing changed) and
finalizing them in bulk. SQLite in a temporary directory by default; ``--database-url
postgresql://...`` measures PostgreSQL (the database's tables are dropped and rebuilt).
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
    parser.add_argument("--no-database", action="store_true",
                        help="only the pure computation, not the database part")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL to measure (default: SQLite in a temporary directory)")
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

    if not args.no_database:
        database_part(rows, args)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"进程最大常驻内存: {peak:,.0f} MB")


# ------------------------------------------------------------------------------ database

STATIONS = 50
CHUNK = 20_000


def database_part(rows: list, args: argparse.Namespace) -> None:
    """Store the year in a fresh database, then time computing the period from it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-evaluations-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = _app(url, Path(tmp))
        with app.app_context():
            started = time.perf_counter()
            _build_schema()
            heads = _people(args.staff)
            counts = _store_records(rows, heads)
            print(f"\n数据库({url.split(':')[0]}):写入 {args.staff} 人一年的记录(不计时):"
                  + ", ".join(f"{name} {n:,} 条" for name, n in counts.items())
                  + f", {time.perf_counter() - started:.1f} s")
            _time_period(args.period)
            from trainer.extensions import db

            db.session.remove()
            db.engine.dispose()


def _app(url: str, tmp: Path):
    from trainer import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "LOAD_CONTENT": True, "RATELIMIT_STORAGE_URI": "memory://"},
                      instance_path=str(tmp / "instance"))


def _build_schema() -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from trainer.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade()


def _people(staff: int) -> dict[int, int]:
    """Stations, a head each, and the staff; returns person number -> his head's user id."""
    from sqlalchemy import insert, select

    from trainer.extensions import db
    from trainer.models import Station, User

    db.session.execute(insert(Station), [
        {"code": f"S{n:03d}", "name": f"测试{n}号加气站", "short_name": f"测试{n}",
         "company": "测试燃气有限公司"} for n in range(STATIONS)])
    stations = list(db.session.scalars(select(Station.id).order_by(Station.id)))
    db.session.execute(insert(User), [
        {"employee_no": f"H{n:04d}", "name": f"站长{n}", "station_id": stations[n],
         "post": "head", "role": "hr" if n == 0 else "head"} for n in range(STATIONS)])
    db.session.execute(insert(User), [
        {"employee_no": f"E{n:05d}", "name": f"员工{n}", "station_id": stations[n % STATIONS],
         "post": "attendant", "role": "staff"} for n in range(staff)])
    db.session.commit()
    ids = dict(db.session.execute(select(User.employee_no, User.id)).all())
    heads = [ids[f"H{n:04d}"] for n in range(STATIONS)]
    return {n: (ids[f"E{n:05d}"], heads[n % STATIONS]) for n in range(staff)}


def _store_records(rows: list, people: dict) -> Counter:
    from sqlalchemy import insert

    from trainer.extensions import db
    from trainer.models import Attempt, PracticalCheck, ServiceRecord

    batches: dict = {Attempt: [], PracticalCheck: [], ServiceRecord: []}
    counts: Counter = Counter()

    def flush(model) -> None:
        if batches[model]:
            db.session.execute(insert(model), batches[model])
            counts[model.__tablename__] += len(batches[model])
            batches[model].clear()

    for person, record in rows:
        user_id, head_id = people[person]
        if isinstance(record, QuizResult | SpokenResult):
            quiz = isinstance(record, QuizResult)
            pending = record.pending_review
            verdict = "pass" if record.score >= 80 else "fail"
            batches[Attempt].append({
                "user_id": user_id, "module_id": record.module_id if quiz else "phrases",
                "module_version": "bench", "item_id": None if quiz else record.item_id,
                "kind": "quiz" if quiz else "dialogue", "mode": "assessment",
                "status": "scored", "started_at": record.at, "submitted_at": record.at,
                "score": record.score, "verdict": "review" if pending else verdict,
                "final_score": None if pending else record.score,
                "final_verdict": None if pending else verdict,
                "review_state": "pending" if pending else "none", "presented": {}})
            model = Attempt
        elif isinstance(record, PracticalResult):
            batches[PracticalCheck].append({
                "user_id": user_id, "examiner_id": head_id, "kind": record.kind,
                "module_id": record.module_id or "", "item_id": "x", "module_version": "bench",
                "performed_at": record.at, "score": record.score, "passed": record.passed,
                "details": {}})
            model = PracticalCheck
        else:
            batches[ServiceRecord].append({
                "user_id": user_id, "kind": record.kind, "occurred_at": record.at,
                "summary": "基准测试", "evidence": "基准测试", "entered_by_id": head_id,
                "status": "confirmed" if record.confirmed else "pending"})
            model = ServiceRecord
        if len(batches[model]) >= CHUNK:
            flush(model)
    for model in list(batches):
        flush(model)
    db.session.commit()
    return counts


def _time_period(period: str) -> None:
    from sqlalchemy import func, select

    from trainer.evaluations import records, service
    from trainer.extensions import db
    from trainer.library import get_library
    from trainer.models import Evaluation, User
    from trainer.timeutil import now

    hr = db.session.scalar(select(User).where(User.role == "hr"))
    started = time.perf_counter()
    loaded = records.load_records(parse_period_key(period),
                                  titles=records.module_titles(get_library()))
    reading = time.perf_counter() - started
    db.session.rollback()
    print(f"只读取 {period} 的记录: {reading:.2f} s ({len(loaded):,} 人有记录)")

    started = time.perf_counter()
    summary = service.compute_period(period, hr)
    db.session.commit()
    whole = time.perf_counter() - started
    print(f"计算 {period} 并写入草稿(读取 + 计算 + 写入 {summary.created:,} 份和审计日志): "
          f"{whole:.2f} s (目标 < 10 s: {'达到' if whole < 10 else '未达到'})")

    db.session.expire_all()
    started = time.perf_counter()
    again = service.compute_period(period, hr)
    db.session.commit()
    print(f"再次计算(草稿无变化 {again.unchanged:,} 份): {time.perf_counter() - started:.2f} s")

    # Every head reviewed and every window ended (set directly: not what is measured).
    at = now()
    for evaluation in service.current_revisions(period):
        evaluation.status, evaluation.appeal_deadline = "acknowledged", at
    db.session.commit()
    started = time.perf_counter()
    outcome = service.finalize_many(period, hr, at=at)
    db.session.commit()
    print(f"批量定稿 {len(outcome.finalized):,} 份(含须复训者的复训安排): "
          f"{time.perf_counter() - started:.2f} s")
    grades = db.session.execute(select(Evaluation.grade, func.count())
                                .group_by(Evaluation.grade)).all()
    print("数据库中的等级分布: " + ", ".join(f"{g or '暂无等级'} {n}" for g, n in grades))


if __name__ == "__main__":
    main()
