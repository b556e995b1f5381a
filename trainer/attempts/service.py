"""Recording what a trainee answered and what it scored, in one transaction each.

Typed turns are scored at once. Spoken turns are written first with their recording (status
待识别), so a crash or a failed recognition loses nothing; recognition then completes them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.audit import log_change
from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptResponse,
    AttemptStatus,
    ResponseStatus,
    Review,
    ReviewState,
    User,
    Verdict,
)
from trainer.refusals import Refused
from trainer.timeutil import now

NO_SPEECH = "没有识别到语音:请在安静处靠近话筒,说完整句再试"


class AttemptError(Refused):
    """A rule refused the action; the message is for the user."""


def new_submit_key() -> str:
    """A one-time key a form carries, so that submitting it twice records one attempt."""
    return secrets.token_hex(16)


def find_by_submit_key(key: str | None) -> Attempt | None:
    if not key:
        return None
    return db.session.scalar(select(Attempt).where(Attempt.submit_key == key))


def start_once(user: User, submit_key: str | None, start: Callable[[], Attempt]) -> Attempt | None:
    """Run `start` and commit. The same form sent twice at once makes one attempt: the second
    commit hits the unique submit key and gets the first attempt back. None when the key
    belongs to somebody else's attempt (the caller answers 409). Domain errors raised by
    `start` roll back and propagate."""
    try:
        attempt = start()
        db.session.commit()
        return attempt
    except IntegrityError:
        db.session.rollback()
        attempt = find_by_submit_key(submit_key)  # type: ignore[assignment]  # the other one
        return attempt if attempt is not None and attempt.user_id == user.id else None
    except Exception:
        db.session.rollback()
        raise


def start_attempt(
    user: User,
    *,
    module_id: str,
    module_version: str,
    kind: str,
    mode: str,
    item_id: str | None = None,
    window_id: int | None = None,
    presented: dict | None = None,
    seed: int | None = None,
    deadline_at: datetime | None = None,
    submit_key: str | None = None,
) -> Attempt:
    """Open an attempt for the user (added to the session; the caller commits)."""
    attempt = Attempt(
        user_id=user.id,
        station_id=user.station_id,
        module_id=module_id,
        module_version=module_version,
        kind=kind,
        mode=mode,
        item_id=item_id,
        window_id=window_id,
        presented=presented or {},
        seed=seed if seed is not None else secrets.randbelow(2**31),
        deadline_at=deadline_at,
        submit_key=submit_key,
        status=AttemptStatus.IN_PROGRESS,
        review_state=ReviewState.NONE,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


# --- phrase turns -------------------------------------------------------------------------


def score_phrase(compiled: Any, text: str | None, values: Mapping[str, str], *,
                 no_speech: bool = False, spoken: bool = False) -> dict:
    """The scoring engine's result for one answer, as stored on the response. `spoken`: the
    text came from the recogniser (names may then be near-sounds, never another station's)."""
    from trainer.scoring import score_answer

    if no_speech:
        result = score_answer(compiled, None, values).to_dict()
        result["reasons"] = [NO_SPEECH]
        return result
    return score_answer(compiled, text, values, spoken=spoken,
                        known_names=known_station_names()).to_dict()


def known_station_names() -> tuple[str, ...]:
    """The short names of every station in the database: a recognised near-sound is never
    taken for the right station when another real station sounds closer. `flask score` passes
    the same list, so it judges exactly as the app."""
    from trainer.models import Station

    try:
        return tuple(n for n in db.session.scalars(select(Station.short_name)) if n)
    except Exception:  # no database (a case file scored on a fresh checkout): content only
        db.session.rollback()
        return ()


def _response(attempt: Attempt, position: int) -> AttemptResponse | None:
    return db.session.scalar(
        select(AttemptResponse).where(
            AttemptResponse.attempt_id == attempt.id, AttemptResponse.position == position
        )
    )


def answered_positions(attempt: Attempt) -> set[int]:
    """Positions that already have an answer (one query, for callers recording many)."""
    return set(db.session.scalars(select(AttemptResponse.position)
                                  .where(AttemptResponse.attempt_id == attempt.id)))


def _new_response(attempt: Attempt, position: int, replaces: bool = True,
                  **fields) -> AttemptResponse:
    if attempt.status != AttemptStatus.IN_PROGRESS and attempt.status != AttemptStatus.PENDING:
        raise AttemptError("这次练习已经结束,不能再作答")
    existing = _response(attempt, position) if replaces else None
    if existing is not None:
        # Answering the same turn again (a retry before finishing) replaces the answer.
        db.session.delete(existing)
        db.session.flush()
    response = AttemptResponse(attempt_id=attempt.id, position=position, **fields)
    db.session.add(response)
    return response


def record_typed_turn(
    attempt: Attempt,
    position: int,
    *,
    item_id: str,
    compiled: Any,
    values: Mapping[str, str],
    text: str,
    prompt: str = "",
    expected: str = "",
    turn_id: str | None = None,
) -> AttemptResponse:
    """Score a typed answer and keep it on the attempt (the caller commits)."""
    result = score_phrase(compiled, text, values)
    response = _new_response(
        attempt, position, item_id=item_id, turn_id=turn_id, prompt=prompt,
        expected=expected or (result.get("matched_variant") or ""), values=dict(values),
        answer={"text": text}, status=ResponseStatus.SCORED,
    )
    _apply_result(response, result)
    return response


def record_checked_answer(
    attempt: Attempt,
    position: int,
    *,
    item_id: str,
    answer: dict,
    score: int | Decimal,
    verdict: str,
    result: dict,
    prompt: str = "",
    expected: str = "",
    replaces: bool = True,
) -> AttemptResponse:
    """Keep an answer that was judged outside the phrase scorer (a quiz question, a drill's
    order), with its score and verdict (the caller commits). `replaces=False`: the caller
    knows the position has no answer yet (answered_positions), which saves a query each."""
    response = _new_response(
        attempt, position, replaces, item_id=item_id, prompt=prompt, expected=expected,
        answer=dict(answer), status=ResponseStatus.SCORED,
    )
    response.result = result
    response.score = Decimal(score).quantize(Decimal("0.01"))
    response.verdict = verdict
    response.scored_at = now()
    return response


def add_spoken_turn(
    attempt: Attempt,
    position: int,
    *,
    item_id: str,
    values: Mapping[str, str],
    recording_key: str,
    prompt: str = "",
    expected: str = "",
    turn_id: str | None = None,
) -> AttemptResponse:
    """Keep a recorded answer before recognition (status 待识别; the caller commits)."""
    return _new_response(
        attempt, position, item_id=item_id, turn_id=turn_id, prompt=prompt, expected=expected,
        values=dict(values), recording_key=recording_key, status=ResponseStatus.PENDING,
    )


def complete_spoken_turn(response: AttemptResponse, compiled: Any, transcript: Any) -> AttemptResponse:
    """Score a recognised recording. `transcript` has text, no_speech, duration, segments,
    engine and elapsed (trainer.speech.Transcript)."""
    result = score_phrase(compiled, transcript.text, response.values or {},
                          no_speech=bool(transcript.no_speech), spoken=True)
    response.transcript = "" if transcript.no_speech else transcript.text
    response.asr = transcript_summary(transcript)
    response.status = ResponseStatus.SCORED
    response.error = ""
    if not response.expected:
        response.expected = result.get("matched_variant") or ""
    _apply_result(response, result)
    return response


def fail_recognition(response: AttemptResponse, message: str) -> None:
    """Recognition failed: the recording stays, the turn stays 待识别 and can be retried."""
    response.status = ResponseStatus.PENDING
    response.error = message


def transcript_summary(transcript: Any) -> dict:
    segments = [
        {"start": round(float(s.start), 2), "end": round(float(s.end), 2), "text": s.text}
        for s in getattr(transcript, "segments", ()) or ()
    ]
    return {
        "engine": getattr(transcript, "engine", ""),
        "duration": round(float(getattr(transcript, "duration", 0.0) or 0.0), 2),
        "elapsed": round(float(getattr(transcript, "elapsed", 0.0) or 0.0), 3),
        "no_speech": bool(getattr(transcript, "no_speech", False)),
        "segments": segments,
    }


def _apply_result(response: AttemptResponse, result: dict) -> None:
    response.result = result
    response.score = Decimal(int(result["score"]))
    response.verdict = result["verdict"]
    response.scored_at = now()


def answers_revealed(attempt: Attempt, at: datetime | None = None) -> bool:
    """Practice shows the right answers at once; an assessment only once its window closed
    (so nobody passes the answers to a colleague who still has to sit it)."""
    from trainer.models import AssessmentWindow, Mode

    if attempt.mode != Mode.ASSESSMENT or attempt.window_id is None:
        return True
    window = db.session.get(AssessmentWindow, attempt.window_id)
    return window is None or window.closes_at <= (at or now())


def answered_once(attempt: Attempt, position: int) -> bool:
    """Whether an assessment that allows one answer per turn already has this turn answered.
    A recording still waiting for recognition (or heard as silence) may be sent again."""
    if not (attempt.presented or {}).get("answer_once"):
        return False
    response = _response(attempt, position)
    return response is not None and response.status == ResponseStatus.SCORED


# --- finishing ----------------------------------------------------------------------------


def combine_verdicts(verdicts: Iterable[str]) -> str:
    """Every turn must pass: one fail fails the attempt, else one borderline sends it to review."""
    verdicts = list(verdicts)
    if not verdicts or Verdict.FAIL in verdicts:
        return Verdict.FAIL
    if Verdict.REVIEW in verdicts:
        return Verdict.REVIEW
    return Verdict.PASS


def finish_attempt(attempt: Attempt, *, expected_turns: int | None = None) -> Attempt:
    """Close the attempt from its responses: the mean score and the combined verdict.

    With recordings still 待识别 the attempt waits (status pending) and is finished again when
    they are recognised. Unanswered turns (fewer than expected_turns) count as failed.
    """
    responses = list(db.session.scalars(
        select(AttemptResponse).where(AttemptResponse.attempt_id == attempt.id)
        .order_by(AttemptResponse.position)
    ))
    attempt.submitted_at = attempt.submitted_at or now()
    if any(r.status == ResponseStatus.PENDING for r in responses):
        attempt.status = AttemptStatus.PENDING
        return attempt
    scores = [r.score or Decimal(0) for r in responses]
    verdicts = [r.verdict or Verdict.FAIL for r in responses]
    missing = max(0, (expected_turns or len(responses)) - len(responses))
    scores += [Decimal(0)] * missing
    verdicts += [Verdict.FAIL] * missing
    attempt.score = (sum(scores) / len(scores)).quantize(  # type: ignore[union-attr]  # Decimals
        Decimal("0.01")) if scores else Decimal(0)
    attempt.verdict = combine_verdicts(verdicts)
    attempt.status = AttemptStatus.SCORED
    if attempt.verdict == Verdict.REVIEW:
        attempt.review_state = ReviewState.PENDING
        attempt.final_score = attempt.final_verdict = None
    else:
        attempt.final_score, attempt.final_verdict = attempt.score, attempt.verdict
    return attempt


# --- reviews ------------------------------------------------------------------------------


ASSESSMENT_REVIEW_REFUSED = ("考核成绩不能申请复核:如对考核结果有异议,请在考核结果发给您确认时"
                             "提出申诉,由人力资源处理")


def request_review(attempt: Attempt, user: User, reason: str) -> None:
    """The trainee asks his station head to look at a scored PRACTICE attempt. An assessment
    counts for pay and certification: its result is disputed through the appeal of the
    evaluation (trainer.evaluations.service.appeal), never by a review request, which would
    take it out of the evaluation while pending and could be asked again after a decision."""
    from trainer.models import Mode

    reason = (reason or "").strip()
    if attempt.user_id != user.id:
        raise AttemptError("只能对自己的练习申请复核")
    if attempt.mode == Mode.ASSESSMENT:
        raise AttemptError(ASSESSMENT_REVIEW_REFUSED)
    if attempt.status != AttemptStatus.SCORED:
        raise AttemptError("这次练习还没有评分,不能申请复核")
    if attempt.review_state == ReviewState.PENDING:
        raise AttemptError("已经在等待站长复核")
    if not reason:
        raise AttemptError("请写明申请复核的理由")
    attempt.review_state = ReviewState.PENDING
    attempt.review_requested_reason = reason[:1000]
    log_change(user, "attempt.review_requested", "attempt", attempt.id, reason=reason)


def decide_review(attempt: Attempt, reviewer: User, verdict: str, score: Decimal | None,
                  reason: str, *, pass_mark: Decimal | int | None = None) -> Review:
    """The station head's decision: it becomes the final result; the original stays on record
    (and the audit log has who, when, the score and verdict before and after, and why).
    With `pass_mark`, verdict and score must agree: 通过 only at or above it."""
    reason = (reason or "").strip()
    if verdict not in (Verdict.PASS, Verdict.FAIL):
        raise AttemptError("复核结论只能是通过或不通过")
    if not reason:
        raise AttemptError("请写明复核理由")
    if score is not None and not (Decimal(0) <= score <= Decimal(100)):
        raise AttemptError("分数应在 0 到 100 之间")
    final = score if score is not None else attempt.score
    if (pass_mark is not None and verdict == Verdict.PASS
            and (final is None or final < Decimal(pass_mark))):
        shown = "—" if final is None else f"{final.normalize():f}"
        raise AttemptError(f"结论与分数不一致:通过须不低于及格分 {pass_mark} 分,"
                           f"本次分数为 {shown} 分。请改为不通过,或按复核结果改分数")
    before = {"verdict": attempt.final_verdict or attempt.verdict,
              "score": str(attempt.final_score if attempt.final_score is not None else attempt.score)}
    review = Review(
        attempt_id=attempt.id, reviewer_id=reviewer.id,
        previous_verdict=attempt.verdict, previous_score=attempt.score,
        verdict=verdict, score=score if score is not None else attempt.score, reason=reason,
    )
    db.session.add(review)
    attempt.final_verdict = verdict
    attempt.final_score = review.score
    attempt.review_state = ReviewState.DECIDED
    log_change(reviewer, "attempt.review_decided", "attempt", attempt.id, before=before,
               after={"verdict": verdict, "score": str(review.score)}, reason=reason)
    return review
