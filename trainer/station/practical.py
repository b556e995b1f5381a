"""Recording the practical checks a station head runs at the pump (PracticalCheck rows).

Callable without a request; every function leaves the commit to the caller. The rows feed
certification (trainer.progress: the latest check of each kind counts) and the practical
component of evaluations. Each form carries a one-time key, so submitting it twice records one
check.

The live spoken check is an attempt of the staff member (kind phrase, practice mode, titled
站长现场抽查) whose turns the head records on his own phone through this area's turn endpoints;
``presented["recorded_by"]`` remembers which answer the head recorded for each turn, so only
those count (the trainee's own phone could otherwise answer his open attempt).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from trainer.attempts import service as attempts
from trainer.audit import log_change
from trainer.auth.access import Permission, can
from trainer.content import (
    Checklist,
    Drill,
    Module,
    PhraseItem,
    TimeLimit,
    fill_placeholders,
    substitute,
)
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Mode,
    PracticalCheck,
    PracticalKind,
    ResponseStatus,
    ReviewState,
    User,
    Verdict,
)
from trainer.progress import assigned_modules
from trainer.refusals import Refused
from trainer.station import checks
from trainer.timeutil import now

# The module whose checklist is the grooming check (员工形象与纪律).
GROOMING_MODULE = "image"
SPOKEN_TITLE = "站长现场抽查:服务用语"
MAX_SPOKEN_PHRASES = 8
MAX_NOTES = 1000


class CheckError(Refused):
    """A rule refused the check; the message is for the station head."""


def _require_examiner(examiner: User, user: User) -> None:
    if not can(examiner, Permission.EXAMINE, user):
        raise CheckError("只有本站站长可以考核本站人员(不能考核自己)", status=403)


def _notes(notes: str | None) -> str:
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise CheckError(f"备注最多 {MAX_NOTES} 字")
    return notes


def _existing(submit_key: str | None) -> PracticalCheck | None:
    if not submit_key:
        return None
    return db.session.scalar(select(PracticalCheck).where(PracticalCheck.submit_key == submit_key))


def history(user: User, limit: int = 30) -> list[PracticalCheck]:
    """The person's practical checks, newest first."""
    return list(db.session.scalars(
        select(PracticalCheck).where(PracticalCheck.user_id == user.id)
        .order_by(PracticalCheck.performed_at.desc(), PracticalCheck.id.desc()).limit(limit)))


def _save(user: User, examiner: User, kind: str, module: Module, item_id: str,
          score: Decimal, passed: bool, details: dict, notes: str,
          submit_key: str | None) -> PracticalCheck:
    check = PracticalCheck(
        user_id=user.id, station_id=user.station_id, examiner_id=examiner.id, kind=kind,
        module_id=module.id, item_id=item_id[:80], module_version=module.version,
        performed_at=now(), score=score, passed=passed, details=details, notes=notes,
        submit_key=submit_key or None)
    db.session.add(check)
    db.session.flush()
    log_change(examiner, "practical.recorded", "practical_check", check.id,
               after={"user_id": user.id, "kind": kind, "item_id": item_id,
                      "score": str(score), "passed": passed}, reason=notes)
    return check


# --- grooming -------------------------------------------------------------------------------


def grooming_checklist(user: User, library: ContentLibrary) -> tuple[Module, Checklist] | None:
    """The grooming checklist (员工形象) as the person's station teaches it."""
    modules = [m for m in assigned_modules(user, library) if m.id == GROOMING_MODULE]
    if not modules:
        try:
            modules = [library.module(GROOMING_MODULE)]
        except KeyError:
            return None
    module = modules[0]
    return (module, module.checklists[0]) if module.checklists else None


def record_grooming(user: User, examiner: User, answers: Mapping[str, bool], library: ContentLibrary, *,
                    notes: str = "", submit_key: str | None = None) -> PracticalCheck:
    """Record the grooming checklist: `answers` maps every entry id to met (True) or not."""
    existing = _existing(submit_key)
    if existing is not None:
        return existing
    _require_examiner(examiner, user)
    found = grooming_checklist(user, library)
    if found is None:
        raise CheckError("培训内容中没有员工形象检查表")
    module, checklist = found
    try:
        result = checks.grade_grooming(checklist, answers)
    except ValueError as error:
        raise CheckError(str(error)) from None
    return _save(user, examiner, PracticalKind.GROOMING, module, checklist.id, result.score,
                 result.passed, result.details(), _notes(notes), submit_key)


# --- fueling drill ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillSetup:
    module: Module
    drill: Drill
    limits: tuple[TimeLimit, ...]


def fueling_drill(user: User, library: ContentLibrary) -> DrillSetup | None:
    """The drill of the person's required modules, with the time limits of his station's
    standard (the 30-second limit everywhere, the payment limit of its rule set)."""
    rule_set = user.station.rule_set if user.station is not None else None
    try:
        rule_set_ids = library.rule_set_ids(rule_set)
    except KeyError:
        rule_set_ids = None
    for module in assigned_modules(user, library):
        if module.required and module.drills:
            drill = module.drills[0]
            return DrillSetup(module, drill, drill.limits_for(rule_set_ids))
    return None


def record_drill(user: User, examiner: User, times: Mapping[str, str], library: ContentLibrary, *,
                 notes: str = "", submit_key: str | None = None) -> PracticalCheck:
    """Record a timed drill from the seconds at which each step was reached (form text)."""
    existing = _existing(submit_key)
    if existing is not None:
        return existing
    _require_examiner(examiner, user)
    setup = fueling_drill(user, library)
    if setup is None:
        raise CheckError("此人的岗位没有加气操作计时考核")
    try:
        parsed = checks.parse_step_times(setup.drill, times)
    except ValueError as error:
        raise CheckError(str(error)) from None
    result = checks.grade_drill(setup.drill, setup.limits, parsed)
    return _save(user, examiner, PracticalKind.DRILL, setup.module, setup.drill.id, result.score,
                 result.passed, result.details(), _notes(notes), submit_key)


# --- live spoken check ------------------------------------------------------------------------


def spoken_phrases(user: User, library: ContentLibrary) -> list[tuple[Module, PhraseItem]]:
    """The active phrase items of the person's modules, as his station teaches them."""
    return [(module, item) for module in assigned_modules(user, library)
            for item in module.phrases if item.active]


def start_spoken_check(user: User, examiner: User, item_ids: list[str], library: ContentLibrary, *,
                       submit_key: str | None = None,
                       rng: random.Random | None = None) -> Attempt:
    """Open the live check of the chosen phrases, with this station's values filled in."""
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None:
        if is_spoken_check(existing) and existing.user_id == user.id:
            return existing
        # The key of another form (copied, or a page of someone else): never a second row
        # with the same key, which the database would refuse.
        raise CheckError("页面已过期,请返回重新开始抽查。")
    _require_examiner(examiner, user)
    available = {item.id: (module, item) for module, item in spoken_phrases(user, library)}
    chosen = [available[i] for i in dict.fromkeys(item_ids) if i in available]
    if not chosen:
        raise CheckError("请至少选择一句服务用语")
    if len(chosen) > MAX_SPOKEN_PHRASES:
        raise CheckError(f"一次最多抽查 {MAX_SPOKEN_PHRASES} 句")
    if user.station is None:
        raise CheckError("此人没有所属站点")
    seed = secrets.randbelow(2**31)
    rng = rng or random.Random(seed)
    turns = []
    for _, item in chosen:
        try:
            values = fill_placeholders(item.spec, user.station.phrase_values(), rng)
        except ValueError as error:
            raise CheckError(f"{error}。请在站点信息中补全。") from None
        turns.append({"item": item.id, "values": values, "scene": item.scene,
                      "situation": substitute(item.situation, values),
                      "prompt": substitute(item.customer, values),
                      "expected": substitute(item.expected[0], values)})
    module = chosen[0][0]
    return attempts.start_attempt(
        user, module_id=module.id, module_version=module.version, kind=AttemptKind.PHRASE,
        mode=Mode.PRACTICE, seed=seed, submit_key=submit_key,
        presented={"title": SPOKEN_TITLE, "spoken_check": True, "examiner_id": examiner.id,
                   "turns": turns, "expected_turns": len(turns), "recorded_by": {}})


def is_spoken_check(attempt: Attempt) -> bool:
    return bool((attempt.presented or {}).get("spoken_check"))


def spoken_check_for(examiner: User, attempt_id: int) -> Attempt | None:
    """The live-check attempt if this head may run it (his station's staff), else None."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not is_spoken_check(attempt):
        return None
    user = db.session.get(User, attempt.user_id)
    return attempt if user is not None and can(examiner, Permission.EXAMINE, user) else None


def mark_recorded(attempt: Attempt, position: int, response_id: int) -> None:
    """Remember that the head recorded this answer for the turn (the caller commits)."""
    presented = dict(attempt.presented or {})
    recorded = dict(presented.get("recorded_by") or {})
    recorded[str(position)] = response_id
    presented["recorded_by"] = recorded
    attempt.presented = presented
    flag_modified(attempt, "presented")


def recorded_response(attempt: Attempt, position: int) -> Any:
    """The answer the head recorded for a turn, or None (unanswered, or answered elsewhere)."""
    from trainer.turns.rules import response_at

    response = response_at(attempt, position)
    marker = ((attempt.presented or {}).get("recorded_by") or {}).get(str(position))
    return response if response is not None and response.id == marker else None


@dataclass(frozen=True)
class SpokenTurn:
    """One phrase of a live check as the summary shows it."""

    position: int
    item_id: str
    scene: str
    prompt: str
    expected: str
    response: Any  # AttemptResponse or None

    @property
    def answered(self) -> bool:
        return self.response is not None and self.response.status == ResponseStatus.SCORED

    @property
    def waiting(self) -> bool:
        return self.response is not None and self.response.status == ResponseStatus.PENDING


def spoken_turns(attempt: Attempt) -> list[SpokenTurn]:
    """Every phrase of the check with the answer the head recorded for it."""
    return [SpokenTurn(position, str(turn.get("item")), str(turn.get("scene") or ""),
                       str(turn.get("prompt") or ""), str(turn.get("expected") or ""),
                       recorded_response(attempt, position))
            for position, turn in enumerate((attempt.presented or {}).get("turns") or [])]


def finish_spoken_check(attempt: Attempt, examiner: User, decisions: Mapping[int, str],
                        library: ContentLibrary, *, notes: str = "") -> PracticalCheck:
    """Save the live check with the head's verdict (pass/fail) for every phrase.

    A verdict other than the engine's needs a note saying why (it goes to the audit log with
    the original). The attempt is closed; a borderline result it had is decided by the head.
    """
    presented = attempt.presented or {}
    if presented.get("check_id"):
        existing = db.session.get(PracticalCheck, presented["check_id"])
        if existing is not None:
            return existing
    user = db.session.get(User, attempt.user_id)
    _require_examiner(examiner, user)
    notes = _notes(notes)
    turns = spoken_turns(attempt)
    if any(turn.waiting for turn in turns):
        raise CheckError("还有录音没有识别完成,请稍候或重新录音后再保存")
    judgements, phrases = [], []
    for turn in turns:
        verdict = decisions.get(turn.position)
        if verdict not in (Verdict.PASS, Verdict.FAIL):
            raise CheckError(f"请给出第 {turn.position + 1} 句“{turn.scene}”的结论")
        response = turn.response if turn.answered else None
        auto_score = response.score if response is not None else None
        auto_verdict = response.verdict if response is not None else None
        judgements.append(checks.PhraseJudgement(turn.item_id, auto_score, auto_verdict, verdict))
        phrases.append({
            "item": turn.item_id, "scene": turn.scene, "prompt": turn.prompt,
            "expected": turn.expected, "response_id": response.id if response else None,
            "recorded": bool(response is not None and response.recording_key),
            "answer": _answer_text(response), "auto_score": _text(auto_score),
            "auto_verdict": auto_verdict, "verdict": verdict})
    result = checks.grade_spoken(judgements)
    if any(j.auto_verdict in (Verdict.PASS, Verdict.FAIL) and j.verdict != j.auto_verdict
           for j in judgements) and not notes:
        raise CheckError("改变了自动评分的结论,请在备注中写明理由")
    _close_attempt(attempt, examiner, result, notes)
    module = library.module_of(turns[0].item_id) if turns else library.module(attempt.module_id)
    check = _save(user, examiner, PracticalKind.SPOKEN, module, turns[0].item_id, result.score,
                  result.passed, {"attempt_id": attempt.id, "phrases": phrases,
                                  "overridden": list(result.overridden)}, notes, None)
    presented = dict(attempt.presented or {})
    presented["check_id"] = check.id
    attempt.presented = presented
    flag_modified(attempt, "presented")
    return check


def _close_attempt(attempt: Attempt, examiner: User, result: checks.SpokenResult,
                   notes: str) -> None:
    if attempt.status in (AttemptStatus.IN_PROGRESS, AttemptStatus.PENDING):
        attempts.finish_attempt(attempt, expected_turns=len((attempt.presented or {})["turns"]))
    verdict = Verdict.PASS if result.passed else Verdict.FAIL
    if (attempt.review_state == ReviewState.PENDING or attempt.verdict != verdict
            or attempt.score != result.score):
        attempts.decide_review(attempt, examiner, verdict, result.score,
                               notes or "站长现场抽查结论")


def _answer_text(response: Any) -> str:
    if response is None:
        return ""
    if response.recording_key:
        return response.transcript or ""
    return (response.answer or {}).get("text", "")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
