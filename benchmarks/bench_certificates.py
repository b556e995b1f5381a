"""Certificate export speed and memory: 1,000 certificates to a ZIP of PDFs and to one PDF.

    .venv/bin/python benchmarks/bench_certificates.py [--count 1000] [--trace-count 300]

Each export runs in its own process (so one's memory cannot hide the other's) and writes to a
real file in a temporary directory. Prints per export: the wall time for --count certificates
(font loading included; target < 30 s, issue 7), the file size, the process's resident memory
(RSS) at a quarter, half, three quarters and all of the run, and its maximum. A second run of
--trace-count certificates under tracemalloc gives the peak traced memory and the memory in
use after a fifth and after all of them: the difference per certificate shows whether memory
grows with the count ("flat": a few hundred bytes of PDF/ZIP index per certificate at most).
Certificates are generated on the fly, so the input is never held in memory either.

`--source database` (the default `both` runs it after the above) measures the same exports as
HR runs them: certificate rows in a SQLite database read by the export service
(trainer/certificates/exports.py); see the section at the end of this file.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.certificates.bundle import write_merged_pdf, write_zip  # noqa: E402
from trainer.certificates.document import (  # noqa: E402
    EXPIRED,
    REVOKED,
    SUSPENDED,
    VALID,
    CertificateDocument,
)
from trainer.certificates.fonts import certificate_font  # noqa: E402
from trainer.certificates.numbering import format_number  # noqa: E402

TARGET_SECONDS = 30.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉兰萍红鹏辉建国志宏"
         "海燕波宇欣怡子涵浩然梓轩思雨佳琪俊杰晓东立新德胜春生")
STATIONS = ["天山路", "北郊", "东环", "西站", "南湖", "开发区", "机场路", "高新区", "滨河", "长江路"]
MODULES = ["员工形象", "规范服务用语", "加气作业程序", "安全管理规定", "客户投诉处理",
           "服务承诺", "营业厅服务", "现场管理", "岗位职责"]
POSTS = [("加气员", "CNG加气员上岗资格"), ("营业员", "营业厅营业员上岗资格"),
         ("技术员", "加气站技术员上岗资格")]
STATUSES = [VALID] * 17 + [EXPIRED, SUSPENDED, REVOKED]


def certificates(count: int) -> Iterator[CertificateDocument]:
    """Plausible, varied certificates: many different names (so many different glyphs), 5-9
    modules, every status."""
    for i in range(count):
        number = format_number(2026, i + 1)
        post, qualification = POSTS[i % len(POSTS)]
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        if i % 3:
            name += GIVEN[(i * 13 + 5) % len(GIVEN)]
        issued = date(2026, 1, 1) + timedelta(days=i % 300)
        status = STATUSES[i % len(STATUSES)]
        yield CertificateDocument(
            number=number,
            holder_name=name,
            employee_no=f"E{10000 + i}",
            station_name=f"华鑫燃气{STATIONS[i % len(STATIONS)]}加气站",
            post_label=post,
            qualification=qualification,
            modules=tuple((MODULES[(i + k) % len(MODULES)], Decimal(60 + (i * 7 + k * 11) % 41))
                          for k in range(5 + i % 5)),
            issued_on=issued,
            expires_on=issued + timedelta(days=364),
            certified_by_name=SURNAMES[(i // 40) % len(SURNAMES)] + "站长",
            status=status,
            verify_url=f"https://peixun.hx-gas.example.cn/verify/{number}",
            company_name="华鑫燃气有限公司",
            status_changed_on=issued + timedelta(days=90) if status != VALID else None,
        )


def rss_mib() -> float:
    """Resident memory now (Linux /proc), else the maximum so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return max_rss_mib()


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_export(kind: str, count: int, directory: Path) -> dict:
    """Time one export and sample RSS along the way (runs in a child process)."""
    writer = write_zip if kind == "zip" else write_merged_pdf
    checkpoints = {max(1, count * q // 4) for q in (1, 2, 3, 4)}
    samples: dict[int, float] = {}

    def progress(done: int, _total: int | None) -> None:
        if done in checkpoints:
            samples[done] = round(rss_mib(), 1)

    path = directory / f"certificates.{kind}"
    start = time.perf_counter()
    certificate_font()
    font_seconds = time.perf_counter() - start
    with path.open("wb") as file:
        writer(certificates(count), file, progress, total=count)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "font_seconds": font_seconds, "bytes": path.stat().st_size,
            "rss": samples, "max_rss": max_rss_mib()}


def trace_export(kind: str, count: int, directory: Path) -> dict:
    """The same export under tracemalloc (slower): peak, and memory in use along the way."""
    writer = write_zip if kind == "zip" else write_merged_pdf
    certificate_font()
    with open(os.devnull, "wb") as sink:  # warm: the font's glyph tables load once
        writer(certificates(5), sink)
    first = max(1, count // 5)
    in_use: dict[int, int] = {}

    def progress(done: int, _total: int | None) -> None:
        if done in (first, count):
            gc.collect()
            in_use[done] = tracemalloc.get_traced_memory()[0]

    with (directory / f"traced.{kind}").open("wb") as file:
        tracemalloc.start()
        writer(certificates(count), file, progress, total=count)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    per_certificate = (in_use[count] - in_use[first]) / max(1, count - first)
    return {"peak": peak, "first": first, "in_use": in_use, "per_certificate": per_certificate}


def child(kind: str, count: int, trace_count: int, directory: Path) -> None:
    result = {"run": run_export(kind, count, directory)}
    if trace_count:
        result["trace"] = trace_export(kind, trace_count, directory)
    print(json.dumps(result))


def report(kind: str, count: int, result: dict) -> bool:
    run = result["run"]
    label = "ZIP of PDFs" if kind == "zip" else "one merged PDF"
    ok = run["seconds"] < TARGET_SECONDS
    rss = ", ".join(f"{done}: {mib:.0f}" for done, mib in sorted(run["rss"].items(),
                                                                  key=lambda kv: int(kv[0])))
    print(f"  {label}: {count:,} certificates in {run['seconds']:.1f} s "
          f"({run['seconds'] / count * 1000:.1f} ms each, font {run['font_seconds']:.2f} s) "
          f"[target < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}]; "
          f"file {run['bytes'] / 2**20:.1f} MiB")
    print(f"    RSS MiB after n certificates: {rss}; max RSS {run['max_rss']:.0f} MiB")
    trace = result.get("trace")
    if trace:
        first, last = (int(k) for k in sorted(trace["in_use"], key=int))
        print(f"    tracemalloc ({last:,} certificates): peak {trace['peak'] / 2**20:.1f} MiB; "
              f"in use after {first}: {trace['in_use'][str(first)] / 2**20:.2f} MiB, after "
              f"{last}: {trace['in_use'][str(last)] / 2**20:.2f} MiB "
              f"= {trace['per_certificate']:.0f} bytes per further certificate")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates per export")
    parser.add_argument("--trace-count", type=int, default=300,
                        help="certificates in the tracemalloc run (0: skip it)")
    parser.add_argument("--kind", choices=["zip", "pdf", "both"], default="both")
    parser.add_argument("--source", choices=["pure", "database", "both"], default="both",
                        help="pure: documents generated in memory; database: certificate rows "
                             "read by the export service (see the section at the end)")
    parser.add_argument("--child", choices=["zip", "pdf"], help=argparse.SUPPRESS)
    parser.add_argument("--db-child", choices=["zip", "pdf"], help=argparse.SUPPRESS)
    parser.add_argument("--directory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count, args.trace_count, Path(args.directory))
        return
    if args.db_child:
        database_child(args.db_child, args.count, args.trace_count, Path(args.directory))
        return
    kinds = ["zip", "pdf"] if args.kind == "both" else [args.kind]
    print(f"certificate export benchmark (Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs)")
    all_ok = True
    if args.source in ("pure", "both"):
        with tempfile.TemporaryDirectory() as directory:
            for kind in kinds:
                output = subprocess.run(
                    [sys.executable, __file__, "--child", kind, "--count", str(args.count),
                     "--trace-count", str(args.trace_count), "--directory", directory],
                    capture_output=True, text=True, check=True).stdout
                all_ok &= report(kind, args.count, json.loads(output.strip().splitlines()[-1]))
    if args.source in ("database", "both"):
        all_ok &= database_section(kinds, args.count, args.trace_count)
    sys.exit(0 if all_ok else 1)


# --- from the database --------------------------------------------------------------------------
#
# The same exports as HR runs them: certificate rows in a real (SQLite) database, read in
# batches by trainer.certificates.exports.write_export (the code behind the HR page's
# background job and `flask --app trainer export-certificates`). The parent builds the
# database once (schema by the migrations, --count certificates of 10 stations, every status);
# each export then runs in a child process of its own, as above.


def database_section(kinds: list[str], count: int, trace_count: int) -> bool:
    """Build a database of `count` certificates, then time each export from it."""
    print(f"  from the database ({count:,} certificate rows, SQLite, via the export service):")
    ok = True
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        build_database(Path(directory), max(count, trace_count))
        print(f"    (database built in {time.perf_counter() - started:.1f} s, not counted)")
        for kind in kinds:
            output = subprocess.run(
                [sys.executable, __file__, "--db-child", kind, "--count", str(count),
                 "--trace-count", str(trace_count), "--directory", directory],
                capture_output=True, text=True, check=True).stdout
            ok &= report(kind, count, json.loads(output.strip().splitlines()[-1]))
    return ok


def bench_app(directory: Path):
    from trainer import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.db'}",
                       "SECRET_KEY": "bench", "LOAD_CONTENT": False, "TESTING": True},
                      instance_path=str(directory / "instance"))


def build_database(directory: Path, count: int) -> None:
    """Stations, a holder and a head per certificate's station, and `count` certificates."""
    import logging

    from flask_migrate import upgrade

    from trainer.extensions import db
    from trainer.models import Certificate, CertificateStatus, Station, User
    from trainer.timeutil import now, today

    logging.disable(logging.INFO)  # alembic's progress lines
    app = bench_app(directory)
    states = {VALID: CertificateStatus.ACTIVE, EXPIRED: CertificateStatus.ACTIVE,
              SUSPENDED: CertificateStatus.SUSPENDED, REVOKED: CertificateStatus.REVOKED}
    with app.app_context():
        upgrade()
        stations = [Station(code=f"S{i:02d}", name=f"华鑫燃气{name}加气站", short_name=name,
                            company="华鑫燃气有限公司") for i, name in enumerate(STATIONS)]
        db.session.add_all(stations)
        db.session.flush()
        heads = [User(employee_no=f"H{i:03d}", name=f"{SURNAMES[i]}站长", role="head",
                      post="head", station_id=s.id) for i, s in enumerate(stations)]
        db.session.add_all(heads)
        db.session.flush()
        for i, doc in enumerate(certificates(count)):
            station, head = stations[i % len(stations)], heads[i % len(heads)]
            holder = User(employee_no=doc.employee_no, name=doc.holder_name, role="staff",
                          post="attendant", station_id=station.id)
            db.session.add(holder)
            db.session.flush()
            # Expired ones ran out last year; the others are in force or were stopped lately.
            issued = today() - timedelta(days=400 if doc.status == EXPIRED else 30 + i % 300)
            db.session.add(Certificate(
                number=doc.number, user_id=holder.id, station_id=station.id, post="attendant",
                qualification=doc.qualification, holder_name=doc.holder_name,
                employee_no=doc.employee_no, station_name=station.name,
                modules=[{"module_id": f"m{k}", "title": title, "score": str(score)}
                         for k, (title, score) in enumerate(doc.modules)],
                issued_on=issued, expires_on=issued + timedelta(days=364),
                certified_by_id=head.id, certified_by_name=head.name,
                status=states[doc.status], status_reason="",
                status_changed_at=now() if doc.status in (SUSPENDED, REVOKED) else None))
            if i % 500 == 499:
                db.session.commit()
        db.session.commit()


def database_child(kind: str, count: int, trace_count: int, directory: Path) -> None:
    from trainer.certificates.exports import write_export
    from trainer.certificates.service import CertificateFilter, filtered_query

    app = bench_app(directory)
    base_url = "https://peixun.hx-gas.example.cn"

    def query(limit: int):
        return filtered_query(None, CertificateFilter()).limit(limit)

    with app.app_context():
        checkpoints = {max(1, count * q // 4) for q in (1, 2, 3, 4)}
        samples: dict[int, float] = {}

        def progress(done: int, _total: int | None) -> None:
            if done in checkpoints:
                samples[done] = round(rss_mib(), 1)

        path = directory / f"database.{kind}"
        start = time.perf_counter()
        certificate_font()
        font_seconds = time.perf_counter() - start
        with path.open("wb") as file:
            written = write_export(kind, query(count), file, base_url, progress=progress,
                                   total=count)
        seconds = time.perf_counter() - start
        assert written == count, (written, count)
        result: dict = {"run": {"seconds": seconds, "font_seconds": font_seconds,
                                "bytes": path.stat().st_size, "rss": samples,
                                "max_rss": max_rss_mib()}}
        if trace_count:
            first = max(1, trace_count // 5)
            in_use: dict[int, int] = {}

            def traced(done: int, _total: int | None) -> None:
                if done in (first, trace_count):
                    gc.collect()
                    in_use[done] = tracemalloc.get_traced_memory()[0]

            with (directory / f"traced-db.{kind}").open("wb") as file:
                tracemalloc.start()
                write_export(kind, query(trace_count), file, base_url, progress=traced,
                             total=trace_count)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            result["trace"] = {"peak": peak, "first": first, "in_use": in_use,
                               "per_certificate": (in_use[trace_count] - in_use[first])
                               / max(1, trace_count - first)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
