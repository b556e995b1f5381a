"""The attempts service: typed and spoken turns, finishing, reviews and their audit trail."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from trainer.attempts import service
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Attempt, AuditLog, Mode, ReviewState, User


@dataclass(frozen=True)
class FakeTranscript:
    """What a recogniser hands back (the real engine is tested in test_speech_*)."""

    text: str
    no_speech: bool = False
    duration: float = 3.0
    elapsed: float = 0.8
    engine: str = "test"
    segments: tuple = ()


def open_attempt(app, world, mode=Mode.ASSESSMENT):
    library = get_library()
    item = library.item("sl-greet")
    module = library.module_of("sl-greet")
    user = db.session.get(User, world.id("staff_a"))
    attempt = service.start_attempt(user, module_id=module.id, module_version=module.version,
                                    kind="phrase", mode=mode, item_id=item.id)
    return attempt, library.compile(item)


def test_typed_turn_is_scored_and_the_attempt_passes(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world)
        service.record_typed_turn(attempt, 0, item_id="sl-greet", compiled=compiled,
                                  values={"station": "昆仑"}, text="您好,欢迎光临昆仑加气站")
        service.finish_attempt(attempt)
        db.session.commit()
        assert attempt.verdict == "pass" and attempt.final_verdict == "pass"
        assert attempt.counts and attempt.responses[0].result["matched_variant"]


def test_wrong_station_fails_and_unanswered_turns_count_as_failed(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world)
        service.record_typed_turn(attempt, 0, item_id="sl-greet", compiled=compiled,
                                  values={"station": "昆仑"}, text="您好,欢迎光临天山加气站")
        service.finish_attempt(attempt, expected_turns=3)
        assert attempt.verdict == "fail" and attempt.score < Decimal(40)


def test_spoken_turn_waits_for_recognition_then_scores(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world)
        response = service.add_spoken_turn(attempt, 0, item_id="sl-greet", values={"station": "昆仑"},
                                           recording_key="2026/11/x.webm")
        service.finish_attempt(attempt)
        assert attempt.status == "pending" and attempt.verdict is None
        service.fail_recognition(response, "识别失败")
        assert response.status == "pending" and response.recording_key
        service.complete_spoken_turn(response, compiled, FakeTranscript("您好歡迎光臨坤倫家氣站"))
        service.finish_attempt(attempt)
        assert attempt.status == "scored" and attempt.verdict == "pass"
        assert response.asr["engine"] == "test" and response.transcript


def test_no_speech_fails_with_a_reason(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world)
        response = service.add_spoken_turn(attempt, 0, item_id="sl-greet", values={"station": "昆仑"},
                                           recording_key="k")
        service.complete_spoken_turn(response, compiled, FakeTranscript("字幕由Amara.org社群提供", no_speech=True))
        assert response.verdict == "fail" and response.transcript == ""
        assert any("语音" in r for r in response.result["reasons"])


def test_review_decision_becomes_final_and_both_go_to_the_audit_log(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world, Mode.PRACTICE)
        service.record_typed_turn(attempt, 0, item_id="sl-greet", compiled=compiled,
                                  values={"station": "昆仑"}, text="欢迎光临昆仑加气站")
        service.finish_attempt(attempt)
        db.session.commit()
        staff = db.session.get(User, world.id("staff_a"))
        head = db.session.get(User, world.id("head_a"))
        if attempt.verdict != "review":
            attempt.verdict, attempt.score = "fail", Decimal("45")
            attempt.final_verdict, attempt.final_score = "fail", Decimal("45")
            service.request_review(attempt, staff, "我说了您好,是识别错了")
            with pytest.raises(service.AttemptError):
                service.request_review(attempt, staff, "再来一次")
        assert attempt.review_state == ReviewState.PENDING and not attempt.counts
        with pytest.raises(service.AttemptError):
            service.decide_review(attempt, head, "pass", None, "")
        service.decide_review(attempt, head, "pass", Decimal("80"), "回放录音,问候完整")
        db.session.commit()
        assert attempt.final_verdict == "pass" and attempt.final_score == Decimal("80")
        assert attempt.verdict != "pass"  # the original stays
        entries = db.session.scalars(select(AuditLog).where(AuditLog.entity_type == "attempt")
                                     .order_by(AuditLog.id)).all()
        decided = entries[-1]
        assert decided.action == "attempt.review_decided" and decided.reason == "回放录音,问候完整"
        assert decided.before["verdict"] != "pass" and decided.after["verdict"] == "pass"
        assert decided.before["score"] == "45" and decided.after["score"] == "80"
        assert decided.actor_id == head.id and decided.at is not None
        assert not attempt.counts                   # practice never feeds pay or certification


def test_an_assessment_is_disputed_by_appeal_not_by_review_request(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world)
        service.record_typed_turn(attempt, 0, item_id="sl-greet", compiled=compiled,
                                  values={"station": "昆仑"}, text="来了啊")
        service.finish_attempt(attempt)
        owner = db.session.get(User, world.id("staff_a"))
        with pytest.raises(service.AttemptError, match="申诉"):
            service.request_review(attempt, owner, "识别错了")
        assert attempt.review_state != ReviewState.PENDING


def test_only_the_owner_asks_for_review_and_a_reason_is_required(app, world):
    with app.app_context():
        attempt, compiled = open_attempt(app, world, Mode.PRACTICE)
        service.record_typed_turn(attempt, 0, item_id="sl-greet", compiled=compiled,
                                  values={"station": "昆仑"}, text="来了啊")
        service.finish_attempt(attempt)
        other = db.session.get(User, world.id("staff_b"))
        owner = db.session.get(User, world.id("staff_a"))
        with pytest.raises(service.AttemptError):
            service.request_review(attempt, other, "理由")
        with pytest.raises(service.AttemptError):
            service.request_review(attempt, owner, "  ")


def test_submit_key_finds_the_first_attempt(app, world):
    with app.app_context():
        key = service.new_submit_key()
        user = db.session.get(User, world.id("staff_a"))
        first = service.start_attempt(user, module_id="phrases", module_version="v", kind="phrase",
                                      mode="practice", submit_key=key)
        db.session.commit()
        assert service.find_by_submit_key(key).id == first.id
        assert service.find_by_submit_key(None) is None
        assert db.session.scalar(select(Attempt).where(Attempt.submit_key == key)) is not None
