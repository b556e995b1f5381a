"""Load test: N simulated trainees against the app under its production server.

    .venv/bin/python benchmarks/run_load.py [--database postgresql|sqlite] [--users 50]
        [--time 60] [--spawn-rate 2] [--workers 2] [--threads 4] [--stations N]
        [--think 1] [--json FILE] [--keep]

1. A database of its own: on PostgreSQL a new database on the server of LOAD_PG_ADMIN_URL or
   DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards;
   on SQLite a file in a temporary directory, with the documented single-site settings (WAL,
   busy timeout: trainer/factory.py). Schema by the migrations; seeded with stations
   (--stations, default one per five trainees), one attendant account per simulated user and
   an open assessment window per station and required module.
2. gunicorn with trainer.gunicorn_conf (gthread, TRAINER_WORKERS x TRAINER_THREADS) on a free
   loopback port, as `make run` starts it; the run begins once its workers are idle.
3. locust, headless, from a second process (benchmarks/locustfile.py): every user signs in,
   then repeats practice quizzes, assessment quizzes and typed role-play turns for --time
   seconds (users finish the task in hand when the time is up).
4. Throughput, p50/p95/p99 and errors (locust's figures), 5xx answers, tracebacks and
   "database is locked" in the server log, and the database against the ledger of what the
   users were acknowledged (harness.check_ledger): nothing lost, duplicated or half-written.

Targets (issue 9): PostgreSQL, 50 trainees: p95 < 300 ms and no errors; SQLite, 10 trainees:
no "database is locked"; both: no lost or duplicated attempts. Exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import harness  # noqa: E402

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
P95_TARGET_MS = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--users", type=int, default=None,
                        help="simulated trainees (default 50 on PostgreSQL, 10 on SQLite)")
    parser.add_argument("--time", type=int, default=60, help="seconds of load (default 60)")
    # Trainees arrive at 2 a second (50 within 25 s). Every sign-in costs a scrypt hash (about
    # 0.1 s of CPU, on purpose): 10 a second is a login storm that queues the other requests
    # on 2 cores for its few seconds; try --spawn-rate 10 to see it.
    parser.add_argument("--spawn-rate", type=float, default=2,
                        help="users started per second (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--stations", type=int, default=None, help="stations (default users/5)")
    parser.add_argument("--think", type=float, default=1.0, help="scale of the pauses")
    parser.add_argument("--p95", type=float, default=None,
                        help=f"p95 target in ms (default {P95_TARGET_MS} on PostgreSQL)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()
    users = args.users or (50 if args.database == "postgresql" else 10)
    if args.database == "postgresql" and not harness.postgres_answers():
        print(f"PostgreSQL does not answer at {harness.postgres_admin_url()} (or may not create "
              "databases); set LOAD_PG_ADMIN_URL, or run with --database sqlite", file=sys.stderr)
        return 2
    p95 = args.p95 if args.p95 is not None else (P95_TARGET_MS if args.database == "postgresql"
                                                  else None)
    report = run(database=args.database, users=users, seconds=args.time,
                 spawn_rate=args.spawn_rate, workers=args.workers, threads=args.threads,
                 stations=args.stations or max(2, users // 5), think=args.think,
                 p95_target=p95, keep=args.keep)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    return 0 if report["ok"] else 1


def run(*, database: str, users: int, seconds: int, spawn_rate: float = 2, workers: int = 2,
        threads: int = 4, stations: int = 2, think: float = 1.0, double_tap: float = 0.1,
        p95_target: float | None = None, keep: bool = False) -> dict:
    """One load run; returns the report (see print_report)."""
    # Other work on the machine shares its CPUs with the server: said beside the figures.
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="trainer-load-"))
    instance = work / "instance"
    if database == "postgresql":
        url = harness.create_postgres_database("trainer_load")
    else:
        url = f"sqlite:///{work / 'trainer.db'}"
    try:
        started = time.perf_counter()
        roster = harness.prepare_database(url, trainees=users, stations=stations,
                                          instance=instance)
        prepared = time.perf_counter() - started
        port = harness.free_port()
        env = harness.server_environment(url, port=port, workers=workers, threads=threads,
                                         recordings=work / "recordings",
                                         secret=secrets.token_hex(16))
        server = harness.AppServer(env, work / "server.log").start()
        try:
            server.settle()
            cpu_before, client_before = server.cpu_seconds(), children_cpu()
            locust = run_locust(server.url, roster, work, users=users, seconds=seconds,
                                spawn_rate=spawn_rate, think=think, double_tap=double_tap)
            server_cpu = server.cpu_seconds() - cpu_before
            client_cpu = children_cpu() - client_before
        finally:
            server.stop()
        timings = read_timings(work / "timings.jsonl")
        failures = read_failures(work / "locust_failures.csv")
        exceptions = read_exceptions(work / "locust_exceptions.csv")
        problems = harness.server_problems(server.log())
        entries = harness.Ledger(work / "ledger.jsonl").entries()
        check = harness.check_ledger(url, entries, instance, users=roster.employee_nos)
        rows = harness.count_rows(url, instance)
    finally:
        if database == "postgresql" and not keep:
            harness.drop_postgres_database(url)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    total = summarise(timings["all"])
    steady = summarise(timings["steady"])
    targets = {
        # A run where nothing reached the server must not pass for a fast one.
        "the trainees worked": total["requests"] > 0 and check.acknowledged_attempts > 0
        and check.submitted_quizzes > 0 and check.typed_turns > 0,
        "no errors": total["failures"] == 0 and problems["server_errors"] == 0
        and problems["tracebacks"] == 0 and not exceptions,
        "no database is locked": problems["database_locked"] == 0,
        "no lost, duplicated or half-written attempts": check.ok,
        "every attempt acknowledged": not check.unacknowledged,
    }
    if p95_target is not None:
        targets[f"p95 < {p95_target:g} ms"] = total["p95"] < p95_target
    return {
        "database": database, "users": users, "seconds": seconds, "workers": workers,
        "threads": threads, "stations": stations, "think": think, "cpus": os.cpu_count(),
        "spawn_rate": spawn_rate, "load_average_before": round(load_before, 2),
        "prepare_seconds": round(prepared, 1), "locust_exit": locust.returncode,
        "total": total, "steady": steady, "server_cpu_seconds": round(server_cpu, 1),
        "client_cpu_seconds": round(client_cpu, 1),
        "endpoints": {name: summarise(rows) for name, rows in sorted(by_name(timings["all"]))},
        "failures": failures, "exceptions": exceptions,
        "server": problems, "ledger": check.as_dict(), "database_rows": rows,
        "targets": targets, "ok": all(targets.values()),
        "kept": f"{work} ({url})" if keep else None,
    }


def run_locust(host: str, roster: harness.Roster, work: Path, *, users: int, seconds: int,
               spawn_rate: float, think: float, double_tap: float) -> subprocess.CompletedProcess:
    """locust in a process of its own, headless, for a bounded time."""
    env = {**os.environ, "LOAD_ROSTER": str(roster.write(work / "roster.json")),
           "LOAD_LEDGER": str(work / "ledger.jsonl"), "LOAD_THINK": str(think),
           "LOAD_TIMINGS": str(work / "timings.jsonl"), "LOAD_DOUBLE_TAP": str(double_tap)}
    command = [str(harness.BIN / "locust"), "-f", str(LOCUSTFILE), "--headless",
               "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", host,
               "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "30",
               "--loglevel", "WARNING", "--skip-log-setup"]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True,
                            timeout=seconds + 180)
    (work / "locust.log").write_text(result.stdout + result.stderr, "utf-8")
    return result


def read_timings(path: Path) -> dict[str, list[tuple]]:
    """Every request the simulated users made (start, name, ms, ok): all of them, and the
    steady part, after the last user signed in."""
    rows = [tuple(json.loads(line)) for line in path.read_text("utf-8").splitlines() if line] \
        if path.exists() else []
    signed_in = [row[0] for row in rows if row[1] == "signed in"]
    requests = [row for row in rows if row[1] != "signed in"]
    steady_from = max(signed_in) if signed_in else 0
    return {"all": requests, "steady": [row for row in requests if row[0] >= steady_from]}


def by_name(rows: list[tuple]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[1], []).append(row)
    return grouped.items()


def summarise(rows: list[tuple]) -> dict:
    """Requests, failures, requests per second and exact percentiles (ms)."""
    if not rows:
        return {"requests": 0, "failures": 0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0,
                "max": 0.0}
    times = sorted(row[2] for row in rows)
    span = max(row[0] for row in rows) - min(row[0] for row in rows)
    return {"requests": len(rows), "failures": sum(not row[3] for row in rows),
            "rps": round(len(rows) / span, 1) if span > 0 else 0.0,
            "p50": percentile(times, 0.50), "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99), "max": times[-1]}


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def children_cpu() -> float:
    """CPU seconds used by the waited-for child processes (around locust: its own cost)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_failures(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [{"request": f"{r['Method']} {r['Name']}", "error": r["Error"],
                 "count": int(r["Occurrences"])} for r in csv.DictReader(fh)]


def read_exceptions(path: Path) -> list[dict]:
    """Errors inside the simulated users (a page they could not read counts as an error)."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [{"error": r["Message"], "count": int(r["Count"]),
                 "where": r["Traceback"].strip().splitlines()[-2:]} for r in csv.DictReader(fh)]


def print_report(report: dict) -> None:
    total = report["total"]
    print(f"load test: {report['users']} trainees for {report['seconds']} s on "
          f"{report['database']} (gunicorn {report['workers']} workers x {report['threads']} "
          f"threads, {report['stations']} stations, {report['cpus']} CPUs, users start at "
          f"{report['spawn_rate']:g}/s, think x{report['think']:g}; load average before "
          f"{report['load_average_before']})")
    steady = report["steady"]
    print(f"  whole run: {total['rps']} requests/s; {total['requests']} requests, "
          f"{total['failures']} failed; p50 {total['p50']:.0f} ms, p95 {total['p95']:.0f} ms, "
          f"p99 {total['p99']:.0f} ms, max {total['max']:.0f} ms")
    print(f"  steady (after all {report['users']} signed in): {steady['rps']} requests/s; "
          f"{steady['requests']} requests; p50 {steady['p50']:.0f} ms, p95 {steady['p95']:.0f} ms,"
          f" p99 {steady['p99']:.0f} ms")
    print(f"  CPU: server {report['server_cpu_seconds']} s, locust {report['client_cpu_seconds']}"
          f" s, over {report['seconds']} s on {report['cpus']} CPUs")
    for name, row in sorted(report["endpoints"].items()):
        print(f"    {name:<48} {row['requests']:>6}  p50 {row['p50']:>5.0f}  "
              f"p95 {row['p95']:>5.0f}  p99 {row['p99']:>5.0f}  failed {row['failures']}")
    for failure in report["failures"]:
        print(f"  failure x{failure['count']}: {failure['request']}: {failure['error']}")
    for error in report["exceptions"]:
        print(f"  exception in a simulated user x{error['count']}: {error['error']} "
              f"({' / '.join(line.strip() for line in error['where'])})")
    server = report["server"]
    print(f"  server log: {server['server_errors']} answers 5xx, {server['tracebacks']} "
          f"tracebacks, {server['database_locked']} 'database is locked'")
    ledger = report["ledger"]
    print(f"  attempts: {ledger['acknowledged_attempts']} acknowledged to the users, "
          f"{ledger['attempts_in_database']} in the database; {ledger['submitted_quizzes']} quizzes "
          f"submitted, {ledger['typed_turns']} typed turns, {ledger['double_taps']} double taps; "
          f"lost {len(ledger['lost'])}, duplicated {len(ledger['duplicated'])}, "
          f"half-written {len(ledger['half_written'])}, unacknowledged "
          f"{len(ledger['unacknowledged'])}")
    rows = report["database_rows"]
    print(f"  database: {rows['attempts']} attempts {rows['by_kind']}, {rows['answers']} answers")
    for name, met in report["targets"].items():
        print(f"  [{'met' if met else 'MISSED'}] {name}")
    if report["kept"]:
        print(f"  logs and database kept in {report['kept']}")


if __name__ == "__main__":
    sys.exit(main())
