"""Practical checks at the pump: the grooming checklist item by item and the fueling drill
against the station's time limits - the rules (pure) and the pages a head uses on his phone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.station_helpers import new_key
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import AuditLog, PracticalCheck, PracticalKind, Station, User
from trainer.progress import certification_requirements
from trainer.station import checks

# --- pure rules: grooming -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    from trainer.config import Defaults
    from trainer.content import load_content

    return load_content(Defaults.CONTENT_DIR)


@pytest.fixture(scope="module")
def checklist(library):
    return library.module("image").checklists[0]


@pytest.fixture(scope="module")
def drill(library):
    return library.module("fueling").drills[0]


def all_met(checklist, **changes):
    answers = {e.id: True for e in checklist.entries}
    answers.update(changes)
    return answers


def test_every_entry_met_passes_with_full_marks(checklist):
    result = checks.grade_grooming(checklist, all_met(checklist))
    assert result.passed and result.score == Decimal(100) and result.reasons == ()


def test_one_critical_entry_missed_fails_whatever_the_rest(checklist):
    critical = next(e for e in checklist.entries if e.critical)
    result = checks.grade_grooming(checklist, all_met(checklist, **{critical.id: False}))
    assert not result.passed
    assert result.reasons == (f"关键项不符合:{critical.text}",)
    assert result.score == (Decimal(100) * (len(checklist.entries) - 1) / len(checklist.entries)
                            ).quantize(Decimal("0.01"))


def test_ordinary_entries_pass_until_below_the_pass_mark(checklist):
    ordinary = [e.id for e in checklist.entries if not e.critical]
    total = len(checklist.entries)
    allowed = total - -(-checklist.pass_percent * total // 100)  # misses still at the mark
    ok = checks.grade_grooming(checklist, all_met(checklist, **dict.fromkeys(ordinary[:allowed], False)))
    assert ok.passed
    too_many = checks.grade_grooming(
        checklist, all_met(checklist, **dict.fromkeys(ordinary[:allowed + 1], False)))
    assert not too_many.passed and "未达到" in too_many.reasons[0]


def test_a_skipped_entry_is_not_taken_for_met(checklist):
    answers = all_met(checklist)
    skipped = checklist.entries[3]
    del answers[skipped.id]
    with pytest.raises(ValueError, match="还有 1 项未检查"):
        checks.grade_grooming(checklist, answers)


# --- pure rules: drill --------------------------------------------------------------------------


def steady(drill, seconds_per_step=4.0):
    return {s.id: i * seconds_per_step for i, s in enumerate(drill.steps)}


def limits(drill, *rule_sets):
    return drill.limits_for(frozenset(rule_sets) if rule_sets else None)


def test_the_standard_order_within_every_limit_passes(drill):
    result = checks.grade_drill(drill, limits(drill, "pay-1min"), steady(drill))
    assert result.passed and result.score == Decimal(100)
    assert [limit.kept for limit in result.limits] == [True, True]


def test_thirty_one_seconds_from_engine_off_to_nozzle_fails_the_drill(drill):
    times = steady(drill)
    times["nozzle"] = times["stopped"] + 31
    for later in ("close", "pay", "paid", "leave"):
        times[later] += 40
    result = checks.grade_drill(drill, limits(drill), times)
    assert not result.passed and result.order_passed
    stop_to_nozzle = result.limits[0]
    assert stop_to_nozzle.taken == 31 and not stop_to_nozzle.kept
    assert "车就位熄火到开枪:用时 31 秒(限 30 秒),超时 1 秒" in result.reasons
    # The order was perfect: 70 points for it, none of the 30 for the only limit.
    assert result.score == Decimal(70)
    exactly = dict(times, nozzle=times["stopped"] + 30)
    assert checks.grade_drill(drill, limits(drill), exactly).passed


@pytest.mark.parametrize(("rule_set", "payment_seconds", "passed"), [
    ("pay-1min", 60, True), ("pay-1min", 61, False), ("pay-1min", 90, False),
    ("pay-2min", 90, True), ("pay-2min", 120, True), ("pay-2min", 121, False),
])
def test_the_payment_limit_is_the_station_standards(drill, rule_set, payment_seconds, passed):
    times = steady(drill)
    times["paid"] = times["pay"] + payment_seconds
    times["leave"] = times["paid"] + 3
    result = checks.grade_drill(drill, limits(drill, rule_set), times)
    assert result.passed is passed
    assert [r.allowed for r in result.limits] == [30, 60 if rule_set == "pay-1min" else 120]


def test_a_station_without_a_payment_standard_times_only_the_thirty_seconds(drill):
    assert [limit.seconds for limit in limits(drill)] == [30]


def test_a_safety_step_out_of_order_fails_even_when_fast(drill):
    times = steady(drill)
    # Nozzle opened before the check of the valves and leaks: a safety-critical step misplaced.
    times["check"], times["nozzle"] = times["nozzle"], times["check"]
    result = checks.grade_drill(drill, limits(drill), times)
    assert not result.passed and not result.order_passed
    assert [s for s, _ in result.performed][2:4] == ["nozzle", "check"]


def test_a_step_not_done_is_missing_and_its_limit_cannot_be_kept(drill):
    times = steady(drill)
    del times["paid"], times["leave"]
    result = checks.grade_drill(drill, limits(drill, "pay-1min"), times)
    assert not result.passed and result.missing == ("paid", "leave")
    assert result.limits[1].taken is None and "未计时" in result.limits[1].text


def test_step_times_are_read_from_what_the_head_typed(drill):
    assert checks.parse_step_times(drill, {"stopped": "0", "prepare": "4,5", "check": " "}) == {
        "stopped": 0.0, "prepare": 4.5}
    for bad, message in (({"stopped": "abc"}, "不是数字"), ({"stopped": "-1"}, "之间"),
                         ({"stopped": "nan"}, "之间"), ({}, "没有记录")):
        with pytest.raises(ValueError, match=message):
            checks.parse_step_times(drill, bad)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=600, allow_nan=False), min_size=8, max_size=8))
def test_a_drill_score_is_always_between_0_and_100_and_a_pass_means_every_limit_kept(drill, values):
    times = {s.id: v for s, v in zip(drill.steps, values, strict=True)}
    result = checks.grade_drill(drill, limits(drill, "pay-2min"), times)
    assert Decimal(0) <= result.score <= Decimal(100)
    if result.passed:
        assert all(r.kept for r in result.limits) and result.order_passed


def test_a_live_spoken_check_passes_only_when_the_head_passes_every_phrase():
    j = checks.PhraseJudgement
    ok = checks.grade_spoken([j("a", Decimal(90), "pass", "pass"), j("b", Decimal(70), "review", "pass")])
    assert ok.passed and ok.score == Decimal(80) and ok.overridden == ("b",)
    failed = checks.grade_spoken([j("a", Decimal(95), "pass", "fail"), j("b", None, None, "fail")])
    assert not failed.passed and failed.score == Decimal("47.50")
    with pytest.raises(ValueError):
        checks.grade_spoken([])


# --- pages ------------------------------------------------------------------------------------


def grooming_form(browser, user_id, answers, notes=""):
    url = f"/station/staff/{user_id}/grooming"
    page = browser.get(url).get_data(as_text=True)
    import re

    key = re.search(r'name="submit_key"[^>]*value="([0-9a-f]+)"', page).group(1)
    data = {f"entry-{k}": "1" if v else "0" for k, v in answers.items()}
    data.update(submit_key=key, notes=notes)
    return browser.post(url, data)


def latest_check(app, user_id, kind):
    with app.app_context():
        check = db.session.scalar(select(PracticalCheck).where(
            PracticalCheck.user_id == user_id, PracticalCheck.kind == kind)
            .order_by(PracticalCheck.id.desc()).limit(1))
        if check is not None:
            db.session.expunge(check)
        return check


def test_the_head_goes_through_the_grooming_checklist_on_the_page(app, world, login_as,
                                                                  checklist):
    head = login_as("head_a")
    page = head.get(f"/station/staff/{world.id('staff_a')}/grooming").get_data(as_text=True)
    for entry in checklist.entries:
        assert entry.text in page
    assert page.count("★") >= sum(e.critical for e in checklist.entries)
    response = grooming_form(head, world.id("staff_a"), all_met(checklist), notes="仪表整洁")
    assert response.status_code == 302
    check = latest_check(app, world.id("staff_a"), PracticalKind.GROOMING)
    assert check.passed and check.score == Decimal(100) and check.notes == "仪表整洁"
    assert check.examiner_id == world.id("head_a") and check.station_id == world.station_a
    assert len(check.details["entries"]) == len(checklist.entries)
    detail = head.get(response.headers["Location"]).get_data(as_text=True)
    assert "通过" in detail and checklist.entries[0].text in detail
    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        grooming = next(r for r in certification_requirements(user)
                        if r.practical_kind == PracticalKind.GROOMING)
        assert grooming.met
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "practical.recorded"))


def test_a_half_filled_checklist_is_refused_and_nothing_is_saved(app, world, login_as, checklist):
    head = login_as("head_a")
    answers = all_met(checklist)
    answers.pop(checklist.entries[-1].id)
    response = grooming_form(head, world.id("staff_a"), answers)
    assert response.status_code == 200
    assert "还有 1 项未检查" in response.get_data(as_text=True)
    assert latest_check(app, world.id("staff_a"), PracticalKind.GROOMING) is None


def test_submitting_the_same_checklist_twice_records_it_once(app, world, login_as, checklist):
    head = login_as("head_a")
    url = f"/station/staff/{world.id('staff_a')}/grooming"
    data = {f"entry-{e.id}": "1" for e in checklist.entries}
    data["submit_key"] = new_key()
    head.post(url, data)
    head.post(url, data)
    with app.app_context():
        assert db.session.query(PracticalCheck).count() == 1


def test_a_failed_critical_entry_is_recorded_as_failed(app, world, login_as, checklist):
    critical = next(e for e in checklist.entries if e.critical)
    grooming_form(login_as("head_a"), world.id("staff_a"),
                  all_met(checklist, **{critical.id: False}))
    check = latest_check(app, world.id("staff_a"), PracticalKind.GROOMING)
    assert not check.passed


def drill_post(browser, user_id, times, key=None):
    data = {f"step-{k}": v for k, v in times.items()}
    data["submit_key"] = key or new_key()
    return browser.post(f"/station/staff/{user_id}/drill", data)


def test_the_drill_page_shows_the_steps_and_the_stations_limits(app, world, login_as, drill):
    with app.app_context():
        db.session.get(Station, world.station_a).rule_set = "pay-2min"
        db.session.commit()
    page = login_as("head_a").get(f"/station/staff/{world.id('staff_a')}/drill").get_data(
        as_text=True)
    assert "车就位熄火到开枪" in page and "≤ 30 秒" in page
    assert "开票、收款" in page and "≤ 120 秒" in page and "收款、记账" not in page
    for step in drill.steps:
        assert step.text in page


def test_the_head_records_a_timed_drill(app, world, login_as, drill):
    head = login_as("head_a")
    times = {s.id: str(i * 4) for i, s in enumerate(drill.steps)}
    response = drill_post(head, world.id("staff_a"), times)
    assert response.status_code == 302
    check = latest_check(app, world.id("staff_a"), PracticalKind.DRILL)
    assert check.passed and check.score == Decimal(100) and check.module_id == "fueling"
    assert check.details["limits"][0]["taken"] == 12.0
    slow = dict(times, nozzle="45", close="50", pay="55", paid="60", leave="65")
    drill_post(head, world.id("staff_a"), slow)
    check = latest_check(app, world.id("staff_a"), PracticalKind.DRILL)
    assert not check.passed
    page = head.get(f"/station/checks/{check.id}").get_data(as_text=True)
    assert "车就位熄火到开枪" in page and "45.0 秒" in page


def test_a_drill_with_nonsense_times_is_refused(app, world, login_as):
    head = login_as("head_a")
    response = drill_post(head, world.id("staff_a"), {"stopped": "0", "prepare": "五秒"})
    assert response.status_code == 200 and "不是数字" in response.get_data(as_text=True)
    assert latest_check(app, world.id("staff_a"), PracticalKind.DRILL) is None


def test_only_the_own_stations_head_examines(app, world, login_as):
    key = world.id("staff_b")
    assert login_as("head_a").get(f"/station/staff/{key}/grooming").status_code == 404
    assert login_as("head_a").post(f"/station/staff/{key}/drill",
                                   {"step-stopped": "0"}).status_code == 404
    assert login_as("hr").get(f"/station/staff/{key}/grooming").status_code == 403
    assert login_as("staff_b").get(f"/station/staff/{key}/grooming").status_code == 403
    # Nor himself.
    assert login_as("head_a").get(f"/station/staff/{world.id('head_a')}/grooming").status_code == 404
    with app.app_context():
        assert db.session.query(PracticalCheck).count() == 0


def test_a_clerk_has_no_fueling_drill(app, world, login_as):
    head = login_as("head_a")
    assert head.get(f"/station/staff/{world.id('clerk_a')}/drill").status_code == 404
    page = head.get(f"/station/staff/{world.id('clerk_a')}").get_data(as_text=True)
    assert "加气操作计时</a>" not in page and "仪容仪表检查</a>" in page
    with app.app_context():
        library = get_library()
        clerk = db.session.get(User, world.id("clerk_a"))
        kinds = {r.practical_kind for r in certification_requirements(clerk, library)}
        assert kinds == {PracticalKind.GROOMING, None}
