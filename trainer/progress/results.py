"""Which modules a person has, and what his assessment attempts add up to per module."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from trainer.content import Module
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import AssessmentWindow, Attempt, AttemptKind, Mode, ReviewState, User
from trainer.progress import batch
from trainer.progress.grading import Graded, Sitting, grade

QUIZ_PART = "quiz"
ROLEPLAY_PART = "roleplay"
PART_KINDS = {QUIZ_PART: AttemptKind.QUIZ, ROLEPLAY_PART: AttemptKind.DIALOGUE}
PART_LABELS = {QUIZ_PART: "理论测验", ROLEPLAY_PART: "情景对话考核"}


def library_or_default(library: ContentLibrary | None) -> ContentLibrary:
    """The library given, or the app's loaded one (trainer.library.get_library)."""
    if library is not None:
        return library
    from trainer.library import get_library

    return get_library()


def assigned_modules(user: User, library: ContentLibrary | None = None) -> tuple[Module, ...]:
    """The modules of the person's post as his station's rule set teaches them (curriculum order).

    No post, no modules. A station whose rule set has left the content gets what applies under
    every rule set rather than an error.
    """
    library = library_or_default(library)
    if not user.post:
        return ()
    rule_set = user.station.rule_set if user.station is not None else None
    try:
        return library.modules_for_post(user.post, rule_set)
    except KeyError:
        try:
            return library.modules_for_post(user.post, None)
        except KeyError:  # a post the content does not know
            return ()


def assessed_parts(module: Module) -> tuple[str, ...]:
    """The parts a module's assessment has, from its ACTIVE items (drafts are practice only):
    the quiz when it has questions, the role-play when it has phrases or dialogues."""
    active = module.with_status("active")
    parts = []
    if active.questions:
        parts.append(QUIZ_PART)
    if active.phrases or active.dialogues:
        parts.append(ROLEPLAY_PART)
    return tuple(parts)


def is_assessed(module: Module) -> bool:
    """Whether the module has an assessment at all (policy assessment and something to ask)."""
    return module.policy.mode == "assessment" and bool(assessed_parts(module))


@dataclass(frozen=True)
class PartResult:
    """One part of a module's assessment, graded in the latest window where it counted."""

    part: str
    label: str
    score: Decimal | None
    passed: bool
    attempts_used: int
    attempt_ids: tuple[int, ...]
    window_id: int | None
    grading: str
    pending_review: bool


@dataclass(frozen=True)
class ModuleResult:
    """A module's assessment result (see trainer.progress for the rules)."""

    module_id: str
    title: str
    pass_mark: int
    score: Decimal | None
    passed: bool
    attempts_used: int
    attempt_ids: tuple[int, ...]
    parts: tuple[PartResult, ...]
    pending_review: bool

    @property
    def taken(self) -> bool:
        """Whether any part has a counted result yet."""
        return any(part.score is not None for part in self.parts)

    @property
    def state_label(self) -> str:
        """未参加 / 待站长复核 / 已通过 / 未通过 (for pages and lists)."""
        if self.passed:
            return "已通过"
        if self.pending_review:
            return "待站长复核"
        if not self.taken:
            return "未参加"
        return "未通过"


def assessment_attempts(user: User, module_id: str) -> list[Attempt]:
    """Every assessment attempt of the person on the module, oldest first."""
    preload = batch.current_for(user)
    if preload is not None:
        return list(preload.attempts.get((user.id, module_id), []))
    return list(db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.module_id == module_id,
               Attempt.mode == Mode.ASSESSMENT)
        .order_by(Attempt.started_at, Attempt.id)))


def assessment_attempts_by_module(user: User) -> dict[str, list[Attempt]]:
    """assessment_attempts of every module in one query (for pages listing all his modules)."""
    preload = batch.current_for(user)
    if preload is not None:
        return {module_id: list(attempts) for (owner, module_id), attempts
                in preload.attempts.items() if owner == user.id}
    grouped: dict[str, list[Attempt]] = {}
    for attempt in db.session.scalars(
            select(Attempt).where(Attempt.user_id == user.id, Attempt.mode == Mode.ASSESSMENT)
            .order_by(Attempt.started_at, Attempt.id)):
        grouped.setdefault(attempt.module_id, []).append(attempt)
    return grouped


def module_result(user: User, module: Module,
                  attempts: list[Attempt] | None = None) -> ModuleResult:
    """The person's assessment result on a module (see the package docstring for the rules).
    `attempts`: assessment_attempts(user, module.id) when the caller has them already."""
    attempts = assessment_attempts(user, module.id) if attempts is None else attempts
    pass_mark = module.policy.pass_percent
    parts = tuple(_part_result(part, attempts, module) for part in assessed_parts(module))
    scored = [p.score for p in parts if p.score is not None]
    if parts and len(scored) == len(parts):
        score: Decimal | None = (sum(scored, Decimal(0)) / len(scored)).quantize(Decimal("0.01"))
    else:
        score = None
    passed = bool(parts) and score is not None and score >= pass_mark and all(
        p.passed for p in parts)
    if module.policy.mode == "assessment" and not parts:
        passed = True  # nothing to assess: the module asks only for study and practical checks
    return ModuleResult(
        module_id=module.id, title=module.title, pass_mark=pass_mark, score=score,
        passed=passed, attempts_used=sum(p.attempts_used for p in parts),
        attempt_ids=tuple(i for p in parts for i in p.attempt_ids), parts=parts,
        pending_review=any(p.pending_review for p in parts))


def _part_result(part: str, attempts: list[Attempt], module: Module) -> PartResult:
    mine = [a for a in attempts if a.kind == PART_KINDS[part]]
    finished = [a for a in mine if a.counts or a.review_state == ReviewState.PENDING]
    # A later window is a retake: the window of the latest finished attempt decides the part
    # (an attempt still being answered or recognised does not displace the result before it).
    window_id = finished[-1].window_id if finished else (mine[-1].window_id if mine else None)
    in_window = [a for a in mine if a.window_id == window_id]
    grading = _grading(window_id, module)
    graded: Graded | None = grade(
        [Sitting(a.id, a.final_score or Decimal(0), a.final_verdict == "pass")
         for a in in_window if a.counts],
        grading, module.policy.pass_percent)
    return PartResult(
        part=part, label=PART_LABELS[part],
        score=graded.score if graded else None, passed=bool(graded and graded.passed),
        attempts_used=len(in_window), attempt_ids=graded.attempt_ids if graded else (),
        window_id=window_id, grading=grading,
        pending_review=any(a.review_state == ReviewState.PENDING for a in in_window))


def _grading(window_id: int | None, module: Module) -> str:
    window = db.session.get(AssessmentWindow, window_id) if window_id is not None else None
    return window.grading if window is not None else module.policy.grading
