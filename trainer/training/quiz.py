"""Quizzes: a module's questions, shuffled, answered on one page, scored in one transaction.

Practice quizzes draw up to PRACTICE_QUESTIONS questions (drafts included) and show every
answer with the right one, the explanation and the source at once. An assessment sitting asks
every ACTIVE question of the module (trainer.progress: 理论测验) within the window's time
limit; its answers are shown once the window has closed. Answers are saved as the trainee
goes (resume after a lost connection); when the time runs out the saved answers are scored.
The attempt records the module version it was scored against.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from trainer.attempts import service as attempts
from trainer.content import Module, Question
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import (
    AssessmentWindow,
    Attempt,
    AttemptKind,
    AttemptResponse,
    AttemptStatus,
    Mode,
    User,
    Verdict,
)
from trainer.refusals import Refused
from trainer.timeutil import now
from trainer.training import answers
from trainer.training.assessment import deadline_for, overdue

PRACTICE_QUESTIONS = 10
# A form sent at the deadline arrives a moment after it.
SUBMIT_GRACE = timedelta(seconds=60)


class QuizError(Refused):
    """The quiz cannot do this; the message is for the trainee."""


# An assessment keeps at least this many questions of its own, never shown in practice.
MIN_EXAM_QUESTIONS = 10


def split_pool(module: Module) -> tuple[list[Question], list[Question]]:
    """(practice pool, exam pool) of the module's active questions. Where the pool allows
    (a practice sample and MIN_EXAM_QUESTIONS left over) they are disjoint, so the exam asks
    what the trainee has not already seen word for word; otherwise both hold every question.
    The split is stable (by a hash of the question id), so it does not move between sittings."""
    active = sorted(module.with_status("active").questions,
                    key=lambda q: hashlib.sha256(q.id.encode()).hexdigest())
    practice_size = max(PRACTICE_QUESTIONS, len(active) // 2)
    if len(active) - practice_size < MIN_EXAM_QUESTIONS:
        return active, active
    return active[:practice_size], active[practice_size:]


def questions_for(module: Module, mode: str, rng: random.Random) -> list[Question]:
    """The questions of a sitting: the whole exam pool for an assessment, a random sample of
    the practice pool and the drafts for practice (see split_pool)."""
    practice_pool, exam_pool = split_pool(module)
    if mode == Mode.ASSESSMENT:
        chosen = list(exam_pool)
    else:
        pool = practice_pool + [q for q in module.questions if q.status != "active"]
        chosen = rng.sample(pool, min(PRACTICE_QUESTIONS, len(pool)))
    rng.shuffle(chosen)
    return chosen


def start_quiz(user: User, module: Module, *, mode: str = Mode.PRACTICE,
               window: AssessmentWindow | None = None, submit_key: str | None = None,
               at: datetime | None = None) -> Attempt:
    """Open a quiz attempt with questions and options shuffled (the caller commits).

    The same submit key twice (a double tap, the back button) returns the first attempt.
    """
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None and existing.user_id == user.id:
        return existing
    at = at or now()
    if mode == Mode.PRACTICE:
        # A new practice quiz replaces an unfinished one (the page offered to continue it).
        stale = in_progress_practice(user, module.id)
        while stale is not None:
            stale.status, stale.submitted_at = AttemptStatus.EXPIRED, at
            db.session.flush()
            stale = in_progress_practice(user, module.id)
    seed = secrets.randbelow(2**31)
    rng = random.Random(seed)
    questions = questions_for(module, mode, rng)
    if not questions:
        raise QuizError("这个模块没有测验题目")
    presented = {
        "questions": [answers.present(q, rng) for q in questions],
        "pass_mark": module.policy.pass_percent,
        "saved": {},
    }
    return attempts.start_attempt(
        user, module_id=module.id, module_version=module.version, kind=AttemptKind.QUIZ,
        mode=mode, window_id=window.id if window is not None else None, presented=presented,
        seed=seed, deadline_at=deadline_for(window, at) if window is not None else None,
        submit_key=submit_key)


@dataclass(frozen=True)
class QuestionView:
    """A question as the quiz page shows it, with the answer saved so far."""

    position: int
    question: Question
    entry: Mapping[str, Any]
    saved: Mapping[str, Any] | None

    @property
    def name(self) -> str:
        return answers.field_name(self.position)

    @property
    def type_label(self) -> str:
        return answers.TYPE_LABELS.get(self.question.type, "")

    def options(self) -> list[tuple[int, str, bool]]:
        """(index, text, chosen) in the presented order."""
        chosen = set((self.saved or {}).get("chosen") or [])
        return [(i, text, text in chosen) for i, text in enumerate(self.entry.get("options") or [])]

    def steps(self, library: ContentLibrary | None = None) -> list[tuple[str, str, int | None]]:
        """(step id, text, saved number) in the presented order."""
        texts = {step.id: step.text for step in getattr(self.question, "steps", ())}
        numbers = (self.saved or {}).get("numbers") or {}
        return [(sid, texts.get(sid, sid), numbers.get(sid)) for sid in self.entry.get("steps") or []]


def question_views(attempt: Attempt, library: ContentLibrary) -> list[QuestionView]:
    """The attempt's questions in the order presented (questions gone from the content are
    left out: they cannot be answered or scored)."""
    presented = attempt.presented or {}
    saved = presented.get("saved") or {}
    views = []
    for position, entry in enumerate(presented.get("questions") or []):
        question = _question(library, entry.get("id"))
        if question is not None:
            views.append(QuestionView(position, question, entry, saved.get(entry["id"])))
    return views


def _question(library: ContentLibrary, question_id: str | None) -> Question | None:
    try:
        item = library.item(str(question_id))
    except KeyError:
        return None
    return item if isinstance(item, Question) else None


def read_form(attempt: Attempt, library: ContentLibrary,
              getlist: Callable[[str], Sequence[str]]) -> dict[str, dict]:
    """The answers in a submitted quiz form, by question id (unanswered ones left out)."""
    found = {}
    for view in question_views(attempt, library):
        answer = answers.read_answer(view.question, view.entry, view.position, getlist)
        if answer is not None:
            found[view.question.id] = answer
    return found


def save_progress(attempt: Attempt, found: Mapping[str, dict], at: datetime | None = None) -> None:
    """Keep the answers given so far, so the quiz can be resumed (the caller commits)."""
    check_open(attempt, at)
    presented = dict(attempt.presented or {})
    presented["saved"] = {**(presented.get("saved") or {}), **found}
    attempt.presented = presented  # a new dict: the JSON column sees the change


def check_open(attempt: Attempt, at: datetime | None = None) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise QuizError("这次测验已经交卷")
    at = at or now()
    if attempt.deadline_at is not None and at > attempt.deadline_at + SUBMIT_GRACE:
        raise QuizError("作答时间已到，已按保存的答案交卷")


def submit_quiz(attempt: Attempt, found: Mapping[str, dict], library: ContentLibrary,
                at: datetime | None = None) -> Attempt:
    """Score the answers and close the attempt, answers and scores together (caller commits).

    Answering an attempt already scored changes nothing (a second submit returns it as is).
    """
    if attempt.status == AttemptStatus.SCORED:
        return attempt
    check_open(attempt, at)
    save_progress(attempt, found, at)
    return score_saved(attempt, library, at)


def score_saved(attempt: Attempt, library: ContentLibrary, at: datetime | None = None,
                expired: bool = False) -> Attempt:
    """Score the attempt from its saved answers: one response per question (caller commits)."""
    at = at or now()
    views = question_views(attempt, library)
    saved = (attempt.presented or {}).get("saved") or {}
    answered = attempts.answered_positions(attempt)
    right = 0
    for view in views:
        checked = answers.check(view.question, saved.get(view.question.id))
        right += checked.correct
        attempts.record_checked_answer(
            attempt, view.position, item_id=view.question.id, prompt=view.question.prompt,
            expected=checked.right, answer=saved.get(view.question.id) or {},
            score=checked.score, verdict=Verdict.PASS if checked.correct else Verdict.FAIL,
            result={"correct": checked.correct, "given": checked.given, "right": checked.right,
                    **checked.details}, replaces=view.position in answered)
    total = len(views)
    score = (Decimal(100 * right) / total).quantize(Decimal("0.01")) if total else Decimal(0)
    pass_mark = int((attempt.presented or {}).get("pass_mark") or 80)
    verdict = Verdict.PASS if total and score >= pass_mark else Verdict.FAIL
    module = _module(library, attempt.module_id)
    if module is not None:
        attempt.module_version = module.version  # the version it was scored against
    presented = dict(attempt.presented or {})
    presented.update(right=right, total=total, expired=expired)
    attempt.presented = presented
    attempt.score = attempt.final_score = score
    attempt.verdict = attempt.final_verdict = verdict
    attempt.status = AttemptStatus.SCORED
    attempt.submitted_at = attempt.deadline_at if expired and attempt.deadline_at else at
    return attempt


def _module(library: ContentLibrary, module_id: str) -> Module | None:
    try:
        return library.module(module_id)
    except KeyError:
        return None


def close_overdue(user: User, library: ContentLibrary, at: datetime | None = None) -> int:
    """Score the person's quizzes whose time ran out from their saved answers (the caller
    commits). Returns how many were closed."""
    at = at or now()
    stale = [a for a in db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == AttemptKind.QUIZ,
                              Attempt.status == AttemptStatus.IN_PROGRESS,
                              Attempt.deadline_at.is_not(None)))
             if overdue(a, at - SUBMIT_GRACE)]
    for attempt in stale:
        score_saved(attempt, library, at, expired=True)
    return len(stale)


@dataclass(frozen=True)
class AnswerView:
    """One answered question on the result page."""

    position: int
    question: Question | None
    prompt: str
    type_label: str
    correct: bool
    given: str
    right: str
    reasons: list[str]


def answer_views(attempt: Attempt, library: ContentLibrary) -> list[AnswerView]:
    """Each answer with the right one (the page adds explanation and source from `question`)."""
    rows = db.session.scalars(select(AttemptResponse).where(
        AttemptResponse.attempt_id == attempt.id).order_by(AttemptResponse.position))
    views = []
    for row in rows:
        result = row.result or {}
        question = _question(library, row.item_id)
        views.append(AnswerView(
            row.position, question, row.prompt,
            answers.TYPE_LABELS.get(question.type, "") if question else "",
            bool(result.get("correct")), str(result.get("given") or ""),
            str(result.get("right") or row.expected or ""), list(result.get("reasons") or [])))
    return views


def in_progress_practice(user: User, module_id: str) -> Attempt | None:
    """An unfinished practice quiz of the module to resume."""
    return db.session.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.module_id == module_id,
                              Attempt.kind == AttemptKind.QUIZ, Attempt.mode == Mode.PRACTICE,
                              Attempt.status == AttemptStatus.IN_PROGRESS)
        .order_by(Attempt.id.desc()).limit(1))
