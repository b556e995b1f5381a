"""Spoken and typed turns of ANY attempt: the rules behind the turn endpoints (no request here).

Reusable by every attempt kind (single phrases here; encounters and daily practice in
trainer/training). The endpoints in `trainer/practice/api.py` call these functions; other code
may call them directly.

Which item a turn answers
-------------------------
An attempt says what each position answers in ``attempt.presented["turns"]`` (index = position)::

    {"item": "sl-greet", "values": {"station": "昆仑"}}            # a phrase item
    {"item": "dl-fuel-cash", "turn": 2, "values": {...}}          # turn 2 of a dialogue

optionally with ``"prompt"`` (the customer's line, filled) and ``"expected"`` (the filled approved
phrasing). Without ``"turns"``, position 0 answers ``attempt.item_id`` with
``presented["values"]``. ``presented["expected_turns"]`` (default: the number of turns) is what
finishing counts; unanswered turns count as failed (attempts.service.finish_attempt).

Life of a spoken turn
---------------------
1. :func:`accept_recording`: the upload is checked (size, empty, not audio) and stored, and the
   turn is committed as 待识别 (status pending) BEFORE recognition, so a crash loses nothing;
   then it is decoded (PyAV, 16 kHz mono); an unusable recording is removed again and the
   AudioError (Chinese message) goes back to the trainee.
2. Recognition (trainer.turns.recognition: inline, or on an RQ worker) ends in
   :func:`apply_transcript` (scored, or "no speech": the turn stays open to record again) or
   in attempts.service.fail_recognition (stays 待识别 with the message; retry later).
3. :func:`after_scored`: a phrase attempt whose turns are all scored is finished; an attempt
   already waiting for recognition (status pending) is finished again. Other kinds finish
   through their own code.

:func:`turn_state` gives the JSON the page renders (states: scored, queued, failed, no_speech).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from trainer.attempts import service as attempts
from trainer.auth.access import Permission, can
from trainer.content import Dialogue, PhraseItem, PhraseSpec, substitute
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptKind,
    AttemptResponse,
    AttemptStatus,
    Mode,
    ResponseStatus,
    ReviewState,
    SpeakingExemption,
    User,
)
from trainer.models.attempt import VERDICT_LABELS
from trainer.refusals import Refused
from trainer.scoring.textnorm import to_simplified
from trainer.timeutil import now
from trainer.turns import timing

log = logging.getLogger(__name__)

# A recording finished at the deadline arrives a little after it.
DEADLINE_GRACE = timedelta(seconds=60)
MAX_TYPED_CHARS = 500
BUSY = "这一轮正在处理另一份回答，请稍等片刻再试。"
RECOGNISING = "这一轮的录音正在识别，识别完成前不能再作答。请稍候查看结果。"
PERSON_BUSY = "您上一段录音还在识别，请等它评分完成后再录下一段。"
MUST_SPEAK = ("口语考核的每一轮都要用语音作答，不能打字。如果您因身体原因暂时不能说话，"
              "请站长在“口语考核改用文字”中登记原因。")
OUT_OF_ORDER = "请按顺序逐轮作答。"
# A recording still "being recognised" after this long was lost (a worker died): the turn takes
# a new answer, and 重新识别 works, instead of staying locked for ever.
STALE_RECOGNITION = timedelta(minutes=10)
# A recogniser that started longer ago than this has died (SPEECH_TIME_LIMIT is 60 s).
WORKING_AT_MOST = timedelta(minutes=3)
# Container formats a browser records in (speech.sniff_format) -> the stored file's suffix.
SUFFIXES = {
    "wav": "wav", "ogg": "ogg", "matroska": "webm", "mov": "m4a", "flac": "flac",
    "amr": "amr", "aiff": "aiff", "mp3": "mp3", "aac": "aac",
}
REVIEW_LABELS = {ReviewState.NONE: "", ReviewState.PENDING: "等待站长复核",
                 ReviewState.DECIDED: "站长已复核"}


class TurnRefused(Refused):
    """The turn cannot be answered or read; ``message`` is for the trainee, ``status`` for HTTP."""


@dataclass(frozen=True)
class TurnTarget:
    """What one position of an attempt answers, with this attempt's placeholder values."""

    item_id: str
    turn_id: str | None
    spec: PhraseSpec
    values: dict[str, str]
    prompt: str
    expected: str


@dataclass(frozen=True)
class RecordingLimits:
    """Upload limits for a spoken answer (config RECORDING_MAX_BYTES / RECORDING_MAX_SECONDS)."""

    max_bytes: int
    max_seconds: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RecordingLimits:
        return cls(int(config["RECORDING_MAX_BYTES"]), float(config["RECORDING_MAX_SECONDS"]))

    @property
    def megabytes(self) -> str:
        return f"{self.max_bytes / 1024 / 1024:g}"

    def too_large_message(self) -> str:
        return f"录音文件超过 {self.megabytes} MB 的上限，请缩短回答后重新录音。"


# --- finding the attempt and the turn ------------------------------------------------------


def own_attempt(user: User, attempt_id: int) -> Attempt | None:
    """The attempt if the user may answer it (his own, not a check his head runs); None
    otherwise (the caller answers 404)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not can(user, Permission.ANSWER_ATTEMPT, attempt):
        return None
    return attempt


def response_at(attempt: Attempt, position: int) -> AttemptResponse | None:
    """The answer given at a position, if any."""
    return db.session.scalar(
        select(AttemptResponse).where(
            AttemptResponse.attempt_id == attempt.id, AttemptResponse.position == position
        ).execution_options(populate_existing=True)
    )


def turn_target(attempt: Attempt, position: int, library: ContentLibrary) -> TurnTarget:
    """What position ``position`` of the attempt answers; TurnRefused(404) if it has no such turn."""
    presented = attempt.presented or {}
    turns = presented.get("turns")
    if isinstance(turns, list):
        if not 0 <= position < len(turns) or not isinstance(turns[position], dict):
            raise TurnRefused("这次练习没有这一轮对话。", 404, "no_turn")
        entry = turns[position]
    elif position == 0 and attempt.item_id:
        entry = {"item": attempt.item_id, "values": presented.get("values") or {}}
    else:
        raise TurnRefused("这次练习没有这一轮对话。", 404, "no_turn")
    item_id = str(entry.get("item") or "")
    values = {str(k): str(v) for k, v in (entry.get("values") or {}).items()}
    try:
        item = library.item(item_id)
    except KeyError:
        raise TurnRefused("这道题已从培训内容中删除，无法作答。", 410, "gone") from None
    if isinstance(item, PhraseItem):
        spec, turn_id, customer = item.spec, None, item.customer
    elif isinstance(item, Dialogue) and isinstance(entry.get("turn"), int) and (
            0 <= entry["turn"] < len(item.turns)):
        turn = item.turns[entry["turn"]]
        spec, turn_id, customer = turn.spec, f"{item.id}#{entry['turn']}", turn.customer
    else:
        raise TurnRefused("这一轮不是口语作答题。", 404, "no_turn")
    prompt = entry.get("prompt") or substitute(customer, values)
    expected = entry.get("expected") or substitute(spec.expected[0], values)
    return TurnTarget(item_id, turn_id, spec, values, str(prompt), str(expected))


def check_open(attempt: Attempt, position: int | None = None, *,
               typed: bool = False) -> None:
    """Refuse an answer the turn cannot take (TurnRefused with the reason in Chinese):

    - the attempt is finished, or past its deadline (with a minute's grace);
    - the turns of a dialogue or a daily session are answered in order;
    - a turn of an assessment that allows one answer already has it;
    - the turn's recording is still being recognised: a turn takes one answer at a time, so
      a late result can never land on another answer;
    - ``typed``: the 口语 assessment is answered by voice, unless the head recorded that the
      person cannot speak for this check (SpeakingExemption).

    Call it after :func:`lock_attempt`, so that two answers sent at once are judged one after
    the other.
    """
    if attempt.status not in (AttemptStatus.IN_PROGRESS, AttemptStatus.PENDING):
        raise TurnRefused("这次练习已经结束，不能再作答。请开始新的练习。", 409, "closed")
    if attempt.deadline_at is not None and now() > attempt.deadline_at + DEADLINE_GRACE:
        raise TurnRefused("已超过作答时限，不能再作答。", 409, "expired")
    if position is None:
        return
    if attempts.answered_once(attempt, position):
        raise TurnRefused("考核中每一轮只能作答一次，这一轮已经作答。", 409, "answered")
    if position > first_open_position(attempt):
        raise TurnRefused(OUT_OF_ORDER, 409, "out_of_order")
    current = response_at(attempt, position)
    if current is not None and recognising(current):
        raise TurnRefused(RECOGNISING, 409, "recognising")
    if typed and must_speak(attempt):
        raise TurnRefused(MUST_SPEAK, 403, "must_speak")


ORDERED_KINDS = frozenset({AttemptKind.DIALOGUE, AttemptKind.DAILY})


def first_open_position(attempt: Attempt) -> int:
    """The first turn without an answer, for attempts whose turns come in order (a dialogue,
    a daily session); a large number for the others (any turn may be answered)."""
    if attempt.kind not in ORDERED_KINDS:
        return 1 << 30
    answered = {r.position: r for r in db.session.scalars(
        select(AttemptResponse).where(AttemptResponse.attempt_id == attempt.id)
        .execution_options(populate_existing=True))}
    position = 0
    while position in answered and not (answered[position].asr or {}).get("no_speech"):
        position += 1
    return position


def recognising(response: AttemptResponse, at: Any = None) -> bool:
    """Whether the turn's recording is waiting for, or in, recognition (not failed, not heard
    as silence, and not lost: see STALE_RECOGNITION)."""
    if response.status != ResponseStatus.PENDING or not response.recording_key:
        return False
    if response.error or (response.asr or {}).get("no_speech"):
        return False
    return response.created_at is None or response.created_at > (at or now()) - STALE_RECOGNITION


def must_speak(attempt: Attempt) -> bool:
    """A turn of the 口语 assessment (the role-play sitting) must be spoken, unless the head
    marked the person as unable to speak for this window."""
    if attempt.mode != Mode.ASSESSMENT or attempt.kind != AttemptKind.DIALOGUE:
        return False
    return speaking_exemption(attempt) is None


def speaking_exemption(attempt: Attempt) -> SpeakingExemption | None:
    """The head's record that this person may type this window's spoken check, if any."""
    if attempt.window_id is None:
        return None
    return db.session.scalar(select(SpeakingExemption).where(
        SpeakingExemption.user_id == attempt.user_id,
        SpeakingExemption.window_id == attempt.window_id))


def lock_attempt(attempt: Attempt) -> None:
    """Take the attempt's row lock for this transaction, so answers to one attempt are written
    one after the other (ten taps at once: the first is scored, the rest see it and are
    refused). PostgreSQL: SELECT ... FOR UPDATE; SQLite: a no-op UPDATE takes the write lock.
    Then re-reads the attempt, which another request may just have changed."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Attempt.id).where(Attempt.id == attempt.id).with_for_update())
    else:
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id)
                           .values(status=Attempt.status))
    db.session.refresh(attempt)


def retry_recognition(response: AttemptResponse) -> bool:
    """Put a 待识别 turn back in the queue after a failure, or after its job was lost (a
    server restarted while it waited); commits. False when there is nothing to retry: the
    turn is scored, or a recogniser is working on it right now (a second job would find it
    done and change nothing, but would cost a recognition)."""
    if response.status != ResponseStatus.PENDING or not response.recording_key:
        return False
    asr = response.asr or {}
    if asr.get("stage") == "recognising" and not response.error and recognising(response):
        started = asr.get("started_at")
        if started and datetime.fromisoformat(started) > now() - WORKING_AT_MOST:
            return False
    response.error = ""
    response.asr = {**(response.asr or {}), "stage": "queued", "no_speech": False}
    db.session.commit()
    return True


def person_recognising(user_id: int, at: Any = None) -> bool:
    """Whether one of the person's recordings (any attempt) is still being recognised: one
    recognition in flight per person, so one trainee cannot fill the queue."""
    rows = db.session.scalars(
        select(AttemptResponse).join(Attempt, Attempt.id == AttemptResponse.attempt_id)
        .where(Attempt.user_id == user_id, AttemptResponse.status == ResponseStatus.PENDING,
               AttemptResponse.recording_key.is_not(None)))
    return any(recognising(r, at) for r in rows)


# --- recordings -----------------------------------------------------------------------------


def read_upload(stream: BinaryIO, limits: RecordingLimits) -> bytes:
    """Read at most max_bytes + 1 bytes of an upload; refuse empty, oversized or non-audio data.

    Nothing is stored yet: these checks cost no decoding.
    """
    from trainer import speech

    raw = stream.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        raise speech.AudioTooLarge(limits.too_large_message())
    if not raw:
        raise speech.EmptyAudio()
    if speech.sniff_format(raw[:64]) is None:
        raise speech.NotAudio()
    return raw


def accept_recording(attempt: Attempt, position: int, raw: bytes, *, store: Any, library: ContentLibrary,
                     limits: RecordingLimits) -> tuple[AttemptResponse, Any]:
    """Decode an upload, store it and commit the turn as 待识别 (queued for recognition).

    Returns the response and its PcmAudio. Raises speech.AudioError (unusable recording:
    nothing is kept), TurnRefused (wrong turn, closed attempt, the turn or the person already
    has a recording in recognition: nothing is kept) or speech.StorageError (the disk
    refused; nothing is kept). Browser webm is stored remuxed, so replay shows its length.
    """
    from trainer import speech

    target = turn_target(attempt, position, library)
    check_open(attempt, position)
    container = speech.sniff_format(raw[:64])
    if container is None:
        raise speech.NotAudio()
    # Decoded before anything is kept: an unusable recording is refused without a trace.
    pcm = speech.load_audio(raw, max_bytes=limits.max_bytes, max_seconds=limits.max_seconds)
    kept = speech.replayable(raw, container)
    lock_attempt(attempt)
    try:
        check_open(attempt, position)
        if person_recognising(attempt.user_id):
            raise TurnRefused(PERSON_BUSY, 429, "person_busy")
    except TurnRefused:
        db.session.rollback()
        raise
    key = store.save(kept, SUFFIXES.get(container, "bin"))
    replaced = response_at(attempt, position)
    old_key = replaced.recording_key if replaced is not None else None
    try:
        response = attempts.add_spoken_turn(
            attempt, position, item_id=target.item_id, turn_id=target.turn_id,
            values=target.values, recording_key=key, prompt=target.prompt,
            expected=target.expected,
        )
        response.asr = {"stage": "queued", "duration": round(pcm.duration, 2)}
        db.session.commit()
    except IntegrityError:
        # Two uploads for one turn at once (a double tap on a slow network): the first wins.
        db.session.rollback()
        _delete_recording(store, key)
        raise TurnRefused(BUSY, 409, "busy") from None
    except Exception:
        db.session.rollback()
        _delete_recording(store, key)
        raise
    _delete_recording(store, old_key)
    return response, pcm


def _delete_recording(store: Any, key: str | None) -> None:
    if not key:
        return
    try:
        store.delete(key)
    except Exception:  # a stale file must never fail the answer that replaced it
        log.warning("could not delete recording %s", key, exc_info=True)


def mark_recognising(response: AttemptResponse) -> None:
    """Recognition of the turn's recording starts now (the page shows 识别中)."""
    response.asr = {**(response.asr or {}), "stage": "recognising",
                    "started_at": now().isoformat(timespec="seconds")}


def scene_of(target: TurnTarget, words: frozenset[str]) -> Any:
    """What the context check of recognition may know: the names (station, person) the
    answer must say, with this attempt's values, the item's key points, and the content's
    ``words`` (ContentLibrary.words: a word of them heard is said, not misheard)."""
    from trainer.speech.context import SceneContext
    from trainer.speech_cases import name_values

    return SceneContext(names=tuple(name_values(target.spec, target.values)),
                        key_points=tuple(target.spec.key_points or ()), vocabulary=words)


def hear_turn(response: AttemptResponse, pcm: Any, engine: Any, library: ContentLibrary, *,
              time_limit: float | None = None, long_seconds: float | None = None) -> Any:
    """Recognise a turn's recording in its scene (trainer.speech.context.hear): the unbiased
    transcript, and the context check only to rescue a near-sound of a missing word."""
    from trainer.scoring import score_answer
    from trainer.speech.context import hear

    target = turn_target(response.attempt, response.position, library)
    compiled = library.compile(target.spec)
    values = dict(response.values or target.values)
    known = attempts.known_station_names()

    def judge(text: str) -> Any:  # as attempts.score_phrase judges a recognised answer
        return score_answer(compiled, text, values, spoken=True, known_names=known)

    return hear(engine, pcm, scene_of(target, library.words()), judge,
                time_limit=time_limit, long_seconds=long_seconds)


def apply_transcript(response: AttemptResponse, heard: Any, library: ContentLibrary) -> str:
    """Score a recognised recording (the caller commits). Returns the turn's new state.

    ``heard`` is a trainer.speech.context.Heard (or a plain Transcript). Both transcripts and
    how the scored one was chosen are kept in ``response.asr["context"]`` for the head.
    "No speech" (silence, noise, a muted microphone) is never scored as an answer: the turn
    stays open with the message, and the trainee records again.
    """
    from trainer import speech

    transcript = getattr(heard, "transcript", heard)
    if transcript.no_speech:
        response.status = ResponseStatus.PENDING
        response.error = speech.NO_SPEECH_MESSAGE
        response.asr = attempts.transcript_summary(transcript)
        return "no_speech"
    attempt = response.attempt
    target = turn_target(attempt, response.position, library)
    attempts.complete_spoken_turn(response, library.compile(target.spec), transcript)
    unbiased = getattr(heard, "unbiased", transcript)
    response.asr = {**(response.asr or {}), "delivery": delivery_dict(unbiased)}
    if hasattr(heard, "summary"):
        response.asr["context"] = heard.summary()
    after_scored(attempt)
    return "scored"


def delivery_dict(transcript: Any) -> dict:
    """Speaking rate, long pauses and fillers as JSON (shown, not counted toward passing)."""
    from trainer import speech

    feedback = speech.delivery_feedback(transcript)
    data = asdict(feedback)
    data["filler_count"] = feedback.filler_count
    return data


# --- typed turns ----------------------------------------------------------------------------


def record_typed(attempt: Attempt, position: int, text: str, *, library: ContentLibrary,
                 store: Any = None, allow_typing: bool = False) -> AttemptResponse:
    """Score a typed answer to a turn and commit it (the fallback when there is no microphone;
    not in the 口语 assessment unless the head recorded that the person cannot speak).
    ``allow_typing``: only for records made outside a trainee's request (the demo data)."""
    text = (text or "").strip()
    if not text:
        raise TurnRefused("请先输入您的回答。", 422, "empty_text")
    if len(text) > MAX_TYPED_CHARS:
        raise TurnRefused(f"回答太长(最多 {MAX_TYPED_CHARS} 字)。", 422, "text_too_long")
    target = turn_target(attempt, position, library)
    check_open(attempt, position, typed=not allow_typing)
    lock_attempt(attempt)
    try:
        check_open(attempt, position, typed=not allow_typing)
    except TurnRefused:
        db.session.rollback()
        raise
    replaced = response_at(attempt, position)
    old_key = replaced.recording_key if replaced is not None else None
    response = attempts.record_typed_turn(
        attempt, position, item_id=target.item_id, turn_id=target.turn_id,
        compiled=library.compile(target.spec), values=target.values, text=text,
        prompt=target.prompt, expected=target.expected,
    )
    try:
        db.session.flush()
        after_scored(attempt)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise TurnRefused(BUSY, 409, "busy") from None
    if store is not None:
        _delete_recording(store, old_key)
    return response


# --- finishing ------------------------------------------------------------------------------


def expected_turns(attempt: Attempt) -> int:
    presented = attempt.presented or {}
    declared = presented.get("expected_turns")
    if isinstance(declared, int) and declared > 0:
        return declared
    turns = presented.get("turns")
    return len(turns) if isinstance(turns, list) and turns else 1


def after_scored(attempt: Attempt) -> None:
    """Finish what a scored turn completes (see the module docstring; the caller commits)."""
    db.session.flush()
    db.session.refresh(attempt)
    wanted = expected_turns(attempt)
    if attempt.status == AttemptStatus.PENDING:
        attempts.finish_attempt(attempt, expected_turns=wanted)
        return
    if attempt.kind != AttemptKind.PHRASE:
        return
    scored = [r for r in attempt.responses if r.status == ResponseStatus.SCORED]
    if len(scored) >= wanted and len(scored) == len(attempt.responses):
        attempts.finish_attempt(attempt, expected_turns=wanted)


# --- what the page renders ------------------------------------------------------------------


def turn_state(response: AttemptResponse | None, *, reveal: bool = True) -> dict:
    """The turn as JSON: its state and, once scored, everything the result panel shows.

    States: ``empty`` (not answered), ``queued`` (待识别, recognition not done yet),
    ``failed`` (待识别, recognition failed: retry), ``no_speech`` (record again),
    ``scored``.
    """
    if response is None:
        return {"state": "empty"}
    if not reveal:
        return _sealed_state(response)
    asr = response.asr or {}
    data: dict[str, Any] = {
        "response_id": response.id,
        "position": response.position,
        "spoken": bool(response.recording_key),
        "expected": response.expected or "",
        "prompt": response.prompt or "",
    }
    if response.status == ResponseStatus.PENDING:
        if asr.get("no_speech"):
            data.update(state="no_speech", message=response.error)
        elif response.error:
            data.update(state="failed", message=response.error)
        else:
            data.update(state="queued", **progress(response))
        return data
    result = response.result or {}
    # What the recogniser heard, in the simplified characters of the UI; typed text as typed.
    answer = to_simplified(response.transcript or "") if response.recording_key else \
        (response.answer or {}).get("text")
    data.update(
        state="scored",
        transcript=answer or "",
        score=int(response.score) if response.score is not None else 0,
        verdict=response.verdict,
        verdict_label=VERDICT_LABELS.get(response.verdict or "", ""),
        reasons=list(result.get("reasons") or []),
        expected=result.get("matched_variant") or response.expected or "",
        diff=list(result.get("diff") or []),
        forbidden=list(result.get("forbidden_found") or []),
        flags=list(result.get("flags") or []),
        key_points={"hit": list(result.get("key_points_hit") or []),
                    "missed": list(result.get("key_points_missed") or [])},
        delivery=asr.get("delivery"),
        duration=asr.get("duration"),
    )
    return data


def progress(response: AttemptResponse) -> dict:
    """Where a recording waiting for recognition is: ``stage`` "queued" with ``position``
    (1 = next) or "recognising", an estimate in seconds, and the message the page shows."""
    per_answer = timing.seconds_per_answer()
    if (response.asr or {}).get("stage") == "recognising":
        return {"stage": "recognising", "position": 0, "estimate": per_answer,
                "message": "识别中……"}
    waiting = db.session.scalars(
        select(AttemptResponse).where(AttemptResponse.status == ResponseStatus.PENDING,
                                      AttemptResponse.recording_key.is_not(None),
                                      AttemptResponse.error == "",
                                      AttemptResponse.id < response.id))
    ahead = sum(1 for r in waiting if recognising(r))
    estimate = round(per_answer * (ahead + 1))
    return {"stage": "queued", "position": ahead + 1, "estimate": estimate,
            "message": f"录音已保存，排队第 {ahead + 1} 位，预计约 {estimate} 秒后出结果。"
                       "可以先离开本页，结果会记在“练习记录”里。"}


def _sealed_state(response: AttemptResponse) -> dict:
    """An assessment turn while its window is open: that it was received, nothing that would
    tell a colleague the approved wording or how it was judged."""
    data = {"response_id": response.id, "position": response.position,
            "spoken": bool(response.recording_key), "sealed": True}
    if response.status == ResponseStatus.PENDING:
        asr = response.asr or {}
        state = "no_speech" if asr.get("no_speech") else "failed" if response.error else "queued"
        data.update(state=state, message=response.error)
        if state == "queued":
            data.update(progress(response))
    else:
        data.update(state="scored", message="已记录。考核结束后可以查看结果和解析。")
    return data


def attempt_state(attempt: Attempt) -> dict:
    """The attempt's overall result as JSON (after its turns are scored)."""
    verdict = attempt.final_verdict or attempt.verdict
    score = attempt.final_score if attempt.final_score is not None else attempt.score
    return {
        "id": attempt.id,
        "status": attempt.status,
        "verdict": verdict,
        "verdict_label": VERDICT_LABELS.get(verdict or "", ""),
        "score": float(score) if score is not None else None,
        "review_state": attempt.review_state,
        "review_label": REVIEW_LABELS.get(attempt.review_state, ""),
        "can_request_review": attempt.status == AttemptStatus.SCORED
        and attempt.review_state == ReviewState.NONE,
    }


def may_replay(viewer: User, attempt: Attempt) -> bool:
    """Who may hear a recording: the trainee himself, the head of his station, HR and admin.

    A head hears recordings made at his station and those of his current staff (someone who
    moved stations keeps his history with him).
    """
    return can(viewer, Permission.VIEW_RECORD, attempt)
