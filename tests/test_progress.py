"""The progress contract (trainer.progress): assigned modules, module results by the window's
grading method, certification requirements and whether a person is cleared for duty."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.training_helpers import (
    certificate,
    pass_all_modules,
    practical,
    sitting,
    window,
)
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import AttemptKind, AttemptStatus, CertificateStatus, Mode, ReviewState, User
from trainer.models.practical import PracticalKind
from trainer.progress import (
    AWAITING_CERTIFICATION,
    CLEARED,
    assessed_parts,
    assigned_modules,
    certification_requirements,
    duty_status,
    module_result,
    progress_overview,
)
from trainer.progress.grading import Sitting, grade
from trainer.timeutil import today

QUIZ, DIALOGUE = AttemptKind.QUIZ, AttemptKind.DIALOGUE


# --- grading (pure) ---------------------------------------------------------------------------


def s(i, score, passed):
    return Sitting(i, Decimal(score), passed)


def test_highest_takes_the_best_attempt_a_pass_before_a_higher_fail():
    graded = grade([s(1, 92, False), s(2, 81, True)], "highest", 80)
    assert (graded.score, graded.passed, graded.attempt_ids) == (Decimal(81), True, (2,))
    assert grade([s(1, 60, False), s(2, 90, True)], "highest", 80).attempt_ids == (2,)
    # On a tie the earlier attempt stands.
    assert grade([s(1, 85, True), s(2, 85, True)], "highest", 80).attempt_ids == (1,)


def test_first_and_last_take_that_attempt_as_it_stands():
    sittings = [s(1, 60, False), s(2, 90, True), s(3, 70, False)]
    assert grade(sittings, "first", 80) .attempt_ids == (1,)
    assert not grade(sittings, "first", 80).passed
    assert grade(sittings, "last", 80).attempt_ids == (3,)


def test_average_needs_the_mean_and_one_attempt_passed_on_its_own():
    mean = grade([s(1, 70, False), s(2, 95, True)], "average", 80)
    assert mean.score == Decimal("82.50") and mean.passed and mean.attempt_ids == (1, 2)
    assert not grade([s(1, 70, False), s(2, 85, True)], "average", 80).passed
    # A mean over the mark made of failures (a failed turn in each) is still a failure.
    assert not grade([s(1, 85, False), s(2, 90, False)], "average", 80).passed


def test_no_attempt_no_grade():
    assert grade([], "highest", 80) is None


# --- assigned modules and parts ---------------------------------------------------------------


def test_assigned_modules_follow_the_post(app, world):
    with app.app_context():
        library = get_library()
        attendant = [m.id for m in assigned_modules(db.session.get(User, world.id("staff_a")), library)]
        clerk = [m.id for m in assigned_modules(db.session.get(User, world.id("clerk_a")), library)]
        assert "fueling" in attendant and "commitments" not in attendant
        assert "commitments" in clerk and "fueling" not in clerk
        assert assigned_modules(db.session.get(User, world.id("hr")), library) == ()


def test_parts_come_from_active_items_only(app):
    with app.app_context():
        library = get_library()
        assert assessed_parts(library.module("phrases")) == ("quiz", "roleplay")
        assert assessed_parts(library.module("fueling")) == ("quiz",)
        # The complaint role-plays are drafts: practice only, no role-play assessment.
        assert assessed_parts(library.module("complaints")) == ("quiz",)


# --- module results ---------------------------------------------------------------------------


def result(world, key, module_id):
    user = db.session.get(User, world.id(key))
    return module_result(user, get_library().module(module_id))


def test_both_parts_must_pass_and_the_score_is_their_mean(app, world):
    with app.app_context():
        wid = window("phrases", world.station_a)
        quiz = sitting(world.id("staff_a"), "phrases", QUIZ, 90, "pass", window_id=wid)
        first = result(world, "staff_a", "phrases")
        assert first.score is None and not first.passed       # the role-play is missing
        talk = sitting(world.id("staff_a"), "phrases", DIALOGUE, 85, "pass", window_id=wid)
        done = result(world, "staff_a", "phrases")
        assert done.passed and done.score == Decimal("87.50")
        assert set(done.attempt_ids) == {quiz, talk} and done.attempts_used == 2


def test_a_failed_part_fails_the_module_whatever_the_mean(app, world):
    with app.app_context():
        wid = window("phrases", world.station_a)
        sitting(world.id("staff_a"), "phrases", QUIZ, 100, "pass", window_id=wid)
        sitting(world.id("staff_a"), "phrases", DIALOGUE, 75, "fail", window_id=wid)
        outcome = result(world, "staff_a", "phrases")
        assert outcome.score == Decimal("87.50") and not outcome.passed
        requirement = next(r for r in certification_requirements(
            db.session.get(User, world.id("staff_a"))) if r.module_id == "phrases")
        assert not requirement.met and "情景对话考核未通过" in requirement.detail


def test_a_module_score_under_the_pass_mark_fails_even_with_parts_passed(app, world):
    with app.app_context():
        wid = window("phrases", world.station_a)
        sitting(world.id("staff_a"), "phrases", QUIZ, 80, "pass", window_id=wid)
        sitting(world.id("staff_a"), "phrases", DIALOGUE, 62, "pass", window_id=wid)
        outcome = result(world, "staff_a", "phrases")
        assert outcome.score == Decimal(71) and not outcome.passed


@pytest.mark.parametrize("grading, score, passed", [
    ("highest", 90, True), ("first", 60, False), ("last", 90, True), ("average", 75, False),
])
def test_the_windows_grading_method_decides(app, world, grading, score, passed):
    with app.app_context():
        wid = window("fueling", world.station_a, grading=grading)
        sitting(world.id("staff_a"), "fueling", QUIZ, 60, "fail", window_id=wid, minutes_ago=20)
        sitting(world.id("staff_a"), "fueling", QUIZ, 90, "pass", window_id=wid, minutes_ago=5)
        outcome = result(world, "staff_a", "fueling")
        assert outcome.score == Decimal(score) and outcome.passed is passed


def test_a_later_window_is_a_retake_and_decides(app, world):
    with app.app_context():
        old = window("fueling", world.station_a, opens=_ago(days=10), hours=2)
        for minutes in (14400, 14300):
            sitting(world.id("staff_a"), "fueling", QUIZ, 50, "fail", window_id=old,
                    minutes_ago=minutes)
        assert not result(world, "staff_a", "fueling").passed
        new = window("fueling", world.station_a)
        sitting(world.id("staff_a"), "fueling", QUIZ, 85, "pass", window_id=new)
        outcome = result(world, "staff_a", "fueling")
        assert outcome.passed and outcome.attempts_used == 1


def test_only_counting_assessment_attempts_feed_the_result(app, world):
    with app.app_context():
        wid = window("fueling", world.station_a)
        uid = world.id("staff_a")
        sitting(uid, "fueling", QUIZ, 100, "pass", window_id=None, mode=Mode.PRACTICE)
        sitting(uid, "fueling", QUIZ, 100, "pass", window_id=wid,
                status=AttemptStatus.IN_PROGRESS)
        sitting(uid, "fueling", QUIZ, 55, "review", window_id=wid, review=ReviewState.PENDING)
        outcome = result(world, "staff_a", "fueling")
        assert not outcome.passed and outcome.score is None and outcome.pending_review
        assert outcome.state_label == "待站长复核"
        # Another person's pass is not his.
        sitting(world.id("staff_a2"), "fueling", QUIZ, 100, "pass", window_id=wid)
        assert not result(world, "staff_a", "fueling").passed


# --- certification requirements and duty status -----------------------------------------------


def test_requirements_of_an_attendant(app, world):
    with app.app_context():
        reqs = certification_requirements(db.session.get(User, world.id("staff_a")))
        modules = {r.module_id for r in reqs if r.kind == "module"}
        assert modules == {"image", "phrases", "fueling", "safety", "complaints", "hall", "site"}
        practical_kinds = [r.practical_kind for r in reqs if r.kind == "practical"]
        assert practical_kinds == [PracticalKind.GROOMING, PracticalKind.DRILL]
        assert not any(r.met for r in reqs)
        assert all(r.label and r.detail for r in reqs)
        assert next(r for r in reqs if r.module_id == "fueling").detail == "尚未参加考核"


def test_a_clerk_needs_no_fueling_drill(app, world):
    with app.app_context():
        reqs = certification_requirements(db.session.get(User, world.id("clerk_a")))
        assert [r.practical_kind for r in reqs if r.kind == "practical"] == [PracticalKind.GROOMING]
        assert "commitments" in {r.module_id for r in reqs}


def test_the_latest_practical_check_counts(app, world):
    with app.app_context():
        uid, head = world.id("staff_a"), world.id("head_a")
        practical(uid, head, PracticalKind.GROOMING, True, days_ago=5)
        grooming = lambda: next(r for r in certification_requirements(  # noqa: E731
            db.session.get(User, uid)) if r.practical_kind == PracticalKind.GROOMING)
        assert grooming().met
        practical(uid, head, PracticalKind.GROOMING, False, days_ago=1)
        assert not grooming().met and "未通过" in grooming().detail


def test_duty_status_lists_exactly_what_is_missing(app, world):
    with app.app_context():
        uid, head = world.id("staff_a"), world.id("head_a")
        library = get_library()
        status = duty_status(db.session.get(User, uid))
        assert not status.cleared and status.label == "暂不能上岗"
        assert len(status.missing) == 9 and any("加气操作流程" in m for m in status.missing)
        pass_all_modules(uid, library, world.station_a)
        status = duty_status(db.session.get(User, uid))
        assert [m.split("——")[0] for m in status.missing] == ["仪容仪表检查:通过", "加气操作计时:通过"]
        practical(uid, head, PracticalKind.GROOMING, True)
        practical(uid, head, PracticalKind.DRILL, True)
        assert duty_status(db.session.get(User, uid)).missing == (AWAITING_CERTIFICATION,)
        cert = certificate(uid, head)
        status = duty_status(db.session.get(User, uid))
        assert status.cleared and status.label == CLEARED == "可以上岗"
        assert status.certificate.id == cert.id and status.missing == ()


def test_an_expired_suspended_or_revoked_certificate_does_not_clear(app, world):
    with app.app_context():
        uid, head = world.id("staff_a"), world.id("head_a")
        pass_all_modules(uid, get_library(), world.station_a)
        practical(uid, head, PracticalKind.GROOMING, True)
        practical(uid, head, PracticalKind.DRILL, True)
        expired = certificate(uid, head, issued=today() - timedelta(days=400),
                              expires=today() - timedelta(days=35))
        status = duty_status(db.session.get(User, uid))
        assert not status.cleared
        assert status.missing[0].startswith("证书已过期") and expired.number in status.missing[0]
        assert status.missing[1:] == (AWAITING_CERTIFICATION,)
        # Valid yesterday, expired today: the day decides.
        assert duty_status(db.session.get(User, uid), on=today() - timedelta(days=40)).cleared

        suspended = certificate(uid, head, status=CertificateStatus.SUSPENDED, reason="酒后上岗")
        status = duty_status(db.session.get(User, uid))
        assert status.missing == (f"证书已暂停(编号 {suspended.number}):酒后上岗",)
        suspended.status = CertificateStatus.REVOKED
        db.session.commit()
        status = duty_status(db.session.get(User, uid))
        assert status.missing[0].startswith("证书已撤销") and not status.cleared


def test_a_certificate_of_another_post_does_not_clear(app, world):
    with app.app_context():
        uid, head = world.id("staff_a"), world.id("head_a")
        certificate(uid, head, post="clerk")
        assert not duty_status(db.session.get(User, uid)).cleared
        user = db.session.get(User, uid)
        user.post = "clerk"
        db.session.commit()
        assert duty_status(db.session.get(User, uid)).cleared


def test_someone_without_a_post_is_told_so(app, world):
    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        user.post = None
        db.session.commit()
        assert duty_status(user).missing == ("账号未设置岗位,请联系站长",)


# --- overview ---------------------------------------------------------------------------------


def test_overview_states_follow_the_journey(app, world):
    from trainer.models import CardStudy

    with app.app_context():
        uid = world.id("staff_a")
        states = lambda: {p.module.id: p for p in progress_overview(db.session.get(User, uid))}  # noqa: E731
        first = states()
        assert first["fueling"].state == "未开始" and first["fueling"].cards_studied == 0
        # The station follows no rule set: the cards of the payment rule sets are not his.
        all_cards = get_library().module("fueling").cards
        assert first["fueling"].cards_total == len([c for c in all_cards if not c.rule_sets])
        assert first["fueling"].cards_total < len(all_cards)
        db.session.add(CardStudy(user_id=uid, card_id="op-card-guide-in", module_id="fueling",
                                 module_version="v"))
        db.session.commit()
        assert states()["fueling"].state == "学习中" and states()["fueling"].cards_studied == 1
        wid = window("fueling", None)                     # HR's window for every station
        assert states()["fueling"].state == "考核开放中"
        assert states()["fueling"].window.id == wid
        sitting(uid, "fueling", QUIZ, 88, "pass", window_id=wid)
        progress = states()["fueling"]
        assert progress.state == "已通过" and progress.assessment.score == Decimal(88)


def _ago(**kwargs):
    from trainer.timeutil import now

    return now() - timedelta(**kwargs)
