"""Query budgets: the pages a head, HR and a trainee use every day send a bounded number of SQL
statements, however many people and records the station has (a station of 40 staff with a
year of records each: tests/budget_helpers.py; page times in benchmarks/bench_pages.py)."""

from __future__ import annotations

import pytest

from tests.budget_helpers import budget_pages, build_busy_station, counting_statements

BUDGET = 25


@pytest.fixture
def busy(app, world):
    with app.app_context():
        return build_busy_station(world, staff=40)


def statements_per_page(app, login_as, busy) -> dict[str, int]:
    browsers = {}
    counts = {}
    for name, (who, url) in budget_pages(busy).items():
        browser = browsers.get(who) or browsers.setdefault(who, login_as(who))
        browser.get(url)  # warm: the first request of a session loads what every page needs
        with app.app_context(), counting_statements() as counter:
            response = browser.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = counter["statements"]
    return counts


def test_every_daily_page_stays_within_its_query_budget(app, login_as, busy):
    counts = statements_per_page(app, login_as, busy)
    print(counts)
    assert {name: n for name, n in counts.items() if n > BUDGET} == {}, counts


@pytest.mark.slow
def test_the_statements_do_not_grow_with_the_people_or_their_records(app, world, login_as):
    with app.app_context():
        small = build_busy_station(world, staff=5)
    few = statements_per_page(app, login_as, small)
    with app.app_context():
        large = build_busy_station(world, staff=35, numbers="A6", again=True)
    large.evaluation_id = small.evaluation_id  # the same person's page, now among 40
    large.staff_ids[1] = small.staff_ids[1]
    many = statements_per_page(app, login_as, large)
    assert many == few, (few, many)
