"""Page times of a busy station: the pages of the query budget (tests/test_query_budget.py) on a
station of 40 staff with a year of records each (tests/budget_helpers.py), through the app's
test client (no network, no gunicorn): SQL statements per page and the median and worst time
of ``--reps`` requests after one warm-up.

    .venv/bin/python benchmarks/bench_pages.py [--staff 40] [--reps 20]
                                               [--database-url postgresql://...]

SQLite in a temporary directory by default; ``--database-url`` measures PostgreSQL (its tables
are dropped and rebuilt by the migrations).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.budget_helpers import (  # noqa: E402
    budget_pages,
    build_busy_station,
    counting_statements,
)
from tests.conftest import PEOPLE, Browser, build_schema, make_world, test_config  # noqa: E402
from trainer import create_app  # noqa: E402
from trainer.config import normalise_database_url  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=40)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = test_config(Path(tmp))
        if args.database_url:
            config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(args.database_url)
        app = create_app(config, instance_path=str(Path(tmp) / "instance"))
        with app.app_context():
            build_schema(app)
        world = make_world(app)
        started = time.perf_counter()
        with app.app_context():
            busy = build_busy_station(world, staff=args.staff)
        print(f"station of {args.staff} staff with a year of records built in "
              f"{time.perf_counter() - started:.1f} s ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})")
        browsers: dict[str, Browser] = {}
        print(f"{'page':<24}{'statements':>11}{'median ms':>11}{'max ms':>9}")
        for name, (who, url) in budget_pages(busy).items():
            browser = browsers.get(who)
            if browser is None:
                browser = browsers[who] = Browser(app.test_client())
                browser.login(PEOPLE[who][0])
            browser.get(url)
            with app.app_context(), counting_statements() as counter:
                browser.get(url)
            times = []
            for _ in range(args.reps):
                begin = time.perf_counter()
                response = browser.get(url)
                times.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(f"{name:<24}{counter['statements']:>11}{statistics.median(times):>11.1f}"
                  f"{max(times):>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
