"""The load test in its bounded form (the full runs: `make bench`): a few simulated trainees
drive the app under gunicorn for a few seconds on the suite's kind of database (PostgreSQL
when DATABASE_URL names one - in a database of the test's own -, else SQLite with the
single-site settings), and nothing may fail, lock, get lost or be written twice.

Only correctness is asserted here: how much the trainees got done in 12 s depends on the
machine's load, so the throughput is a figure of `benchmarks/run_load.py` (the same bounded
run: `--database sqlite --users 8 --time 12`), not a test."""

from __future__ import annotations

import pytest

from benchmarks import harness, run_load
from tests.conftest import using_postgres

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report():
    database = "postgresql" if using_postgres() else "sqlite"
    if database == "postgresql" and not harness.postgres_answers():
        pytest.skip("PostgreSQL does not answer (or may not create databases)")
    return run_load.run(database=database, users=8, seconds=12, spawn_rate=8, workers=2,
                        threads=4, stations=2, double_tap=0.3)


def test_every_request_of_the_simulated_trainees_succeeds(report):
    total = report["total"]
    assert total["requests"] > 0, total
    assert total["failures"] == 0, report["failures"]
    assert not report["exceptions"], report["exceptions"]
    assert report["server"] == {"tracebacks": 0, "database_locked": 0, "server_errors": 0}


def test_they_did_the_whole_journey(report):
    ledger = report["ledger"]
    # At least one of each step: a correctness check, not a throughput figure.
    assert ledger["submitted_quizzes"] >= 1 and ledger["typed_turns"] >= 1, ledger
    endpoints = report["endpoints"]
    for name in ("POST /login [POST]", "POST /me/modules/[module]/quiz", "POST /me/quiz/[id] [POST]",
                 "POST /me/roleplay/attempts/[id]/turns/[n]"):
        assert endpoints.get(name, {}).get("requests"), name


def test_no_attempt_is_lost_duplicated_or_half_written(report):
    ledger = report["ledger"]
    assert ledger["lost"] == [] and ledger["duplicated"] == [] and ledger["half_written"] == []
    assert ledger["acknowledged_attempts"] == ledger["attempts_in_database"] > 0
    assert ledger["unacknowledged"] == []
    # Start forms sent twice at once with one key (a double tap) each made one attempt.
    assert ledger["double_taps"] >= 1
    rows = report["database_rows"]
    assert rows["attempts"] == ledger["attempts_in_database"]
    # Every quiz the trainees were shown a result for is scored, with one answer per question.
    assert rows["by_kind"].get("quiz/scored", 0) >= ledger["submitted_quizzes"]
