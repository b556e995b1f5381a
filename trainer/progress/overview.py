"""The home page's view of a person's modules: cards read, practice, assessment, state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from trainer.content import Module
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import (
    AssessmentWindow,
    Attempt,
    AttemptKind,
    AttemptStatus,
    CardStudy,
    Mode,
    User,
)
from trainer.progress.results import (
    ModuleResult,
    assessment_attempts,
    assessment_attempts_by_module,
    assigned_modules,
    is_assessed,
    library_or_default,
    module_result,
)
from trainer.timeutil import now

NOT_STARTED, STUDYING, ASSESSMENT_OPEN = "未开始", "学习中", "考核开放中"
PASSED, FAILED, IN_REVIEW, PRACTICE_ONLY = "已通过", "未通过", "待站长复核", "仅练习"


@dataclass(frozen=True)
class ModuleProgress:
    """One assigned module on the home page."""

    module: Module
    cards_total: int
    cards_studied: int
    practice_best: Decimal | None      # best practice-quiz score
    roleplay_best: Decimal | None      # best practice role-play score
    practice_attempts: int
    assessed: bool
    assessment: ModuleResult
    window: AssessmentWindow | None    # open for him now
    next_window: AssessmentWindow | None
    state: str


def studied_cards(user: User) -> set[str]:
    """Ids of the study cards the person has marked as read."""
    return set(db.session.scalars(select(CardStudy.card_id).where(CardStudy.user_id == user.id)))


def practice_stats(user: User, module_id: str | None = None
                   ) -> dict[tuple[str, str], tuple[Decimal | None, int]]:
    """(module, kind) -> (best score, number) of the person's scored practice attempts, for
    one module or all of them in one query."""
    query = (select(Attempt.module_id, Attempt.kind, func.max(Attempt.score),
                    func.count(Attempt.id))
             .where(Attempt.user_id == user.id, Attempt.mode == Mode.PRACTICE,
                    Attempt.status == AttemptStatus.SCORED)
             .group_by(Attempt.module_id, Attempt.kind))
    if module_id is not None:
        query = query.where(Attempt.module_id == module_id)
    return {(module, kind): (Decimal(best) if best is not None else None, int(count or 0))
            for module, kind, best, count in db.session.execute(query)}


@dataclass(frozen=True)
class _Known:
    """What the home page needs of the person, read once for all his modules (a handful of
    queries instead of seven per module)."""

    studied: set[str]
    practice: dict[tuple[str, str], tuple[Decimal | None, int]]
    assessments: dict[str, list[Attempt]]
    windows: dict[str, list[AssessmentWindow]]

    @classmethod
    def read(cls, user: User, module_id: str | None = None) -> _Known:
        from trainer.windows.service import windows_by_module, windows_for

        if module_id is None:
            return cls(studied_cards(user), practice_stats(user),
                       assessment_attempts_by_module(user), windows_by_module(user))
        return cls(studied_cards(user), practice_stats(user, module_id),
                   {module_id: assessment_attempts(user, module_id)},
                   {module_id: list(windows_for(user, module_id))})


def module_progress(user: User, module: Module, at: datetime | None = None,
                    known: _Known | None = None) -> ModuleProgress:
    """One module's progress for the person (see progress_overview)."""
    from trainer.windows.service import next_window, open_window

    at = at or now()
    known = known or _Known.read(user, module.id)
    quiz_best, quiz_count = known.practice.get((module.id, AttemptKind.QUIZ), (None, 0))
    roleplay_best, roleplay_count = known.practice.get((module.id, AttemptKind.DIALOGUE),
                                                       (None, 0))
    assessed = is_assessed(module)
    result = module_result(user, module, known.assessments.get(module.id, []))
    windows = known.windows.get(module.id, [])
    window = open_window(user, module.id, at, windows) if assessed else None
    read = sum(card.id in known.studied for card in module.cards)
    if not assessed:
        state = PRACTICE_ONLY
    elif result.passed:
        state = PASSED
    elif result.pending_review:
        state = IN_REVIEW
    elif window is not None:
        state = ASSESSMENT_OPEN
    elif result.taken:
        state = FAILED
    elif read or quiz_count or roleplay_count:
        state = STUDYING
    else:
        state = NOT_STARTED
    return ModuleProgress(
        module=module, cards_total=len(module.cards), cards_studied=read,
        practice_best=quiz_best, roleplay_best=roleplay_best,
        practice_attempts=quiz_count + roleplay_count, assessed=assessed, assessment=result,
        window=window,
        next_window=next_window(user, module.id, at, windows) if assessed else None,
        state=state)


def progress_overview(user: User, library: ContentLibrary | None = None) -> list[ModuleProgress]:
    """Per assigned module: cards studied, practice best, assessment result, open window and
    state (未开始 / 学习中 / 考核开放中 / 已通过 / 未通过 / 待站长复核 / 仅练习)."""
    library = library_or_default(library)
    known = _Known.read(user)
    at = now()
    return [module_progress(user, module, at, known)
            for module in assigned_modules(user, library)]
