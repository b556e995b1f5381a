"""The home page's view of a person's modules: cards read, practice, assessment, state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from trainer.content import Module
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


def practice_best(user: User, module_id: str, kind: str) -> tuple[Decimal | None, int]:
    """The best scored practice attempt of a kind on a module, and how many were scored."""
    best, count = db.session.execute(
        select(func.max(Attempt.score), func.count(Attempt.id))
        .where(Attempt.user_id == user.id, Attempt.module_id == module_id,
               Attempt.kind == kind, Attempt.mode == Mode.PRACTICE,
               Attempt.status == AttemptStatus.SCORED)).one()
    return (Decimal(best) if best is not None else None), int(count or 0)


def module_progress(user: User, module: Module, studied: set[str] | None = None,
                    at: datetime | None = None) -> ModuleProgress:
    """One module's progress for the person (see progress_overview)."""
    from trainer.windows.service import next_window, open_window

    at = at or now()
    studied = studied_cards(user) if studied is None else studied
    quiz_best, quiz_count = practice_best(user, module.id, AttemptKind.QUIZ)
    roleplay_best, roleplay_count = practice_best(user, module.id, AttemptKind.DIALOGUE)
    assessed = is_assessed(module)
    result = module_result(user, module)
    window = open_window(user, module.id, at) if assessed else None
    read = sum(card.id in studied for card in module.cards)
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
        window=window, next_window=next_window(user, module.id, at) if assessed else None,
        state=state)


def progress_overview(user: User, library: Any | None = None) -> list[ModuleProgress]:
    """Per assigned module: cards studied, practice best, assessment result, open window and
    state (未开始 / 学习中 / 考核开放中 / 已通过 / 未通过 / 待站长复核 / 仅练习)."""
    library = library_or_default(library)
    studied = studied_cards(user)
    at = now()
    return [module_progress(user, module, studied, at)
            for module in assigned_modules(user, library)]
