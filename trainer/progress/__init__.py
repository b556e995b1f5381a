"""The progress contract: what a person has assigned, what he has achieved, what he lacks.

Callable without a request (inside an app context); each function takes the content library
explicitly or uses the app's loaded one. Other areas (station heads' certification, HR
evaluations) read progress ONLY through these names.

``assigned_modules(user) -> tuple[Module, ...]``
    The modules of his post under his station's rule set (items of other rule sets dropped).

``module_result(user, module) -> ModuleResult``
    From his ASSESSMENT attempts that count (``Attempt.counts``: scored, not awaiting review,
    final verdict pass/fail). A module's assessment has parts, decided by its ACTIVE items
    (drafts are practice only):

    - 理论测验 (``quiz``), when the module has questions: one sitting answers every active
      question of the module (for his rule set); its score is the share answered right
      (0-100) and it passes at the module's pass mark (policy ``pass_percent``, default 80).
    - 情景对话考核 (``roleplay``), when the module has phrases or dialogues: one sitting plays
      one randomly chosen active dialogue whole, then up to five active phrase items the
      dialogue does not use (eight phrases when the module has no active dialogue). Its
      score is the mean of the turn scores and it passes when every turn passes (one
      borderline turn sends it to the station head's review; until he decides it does not
      count).

    Each part is graded by the grading method of the window of its latest finished attempt
    (a later window is a retake; a window's attempts count only with each other): highest
    (default: the best attempt, a passed one before a failed one), first, last, or average
    (the mean, passed when it reaches the pass mark and one averaged attempt passed).
    The module's score is the mean of its parts' scores (None until every part has one);
    it is passed when that score reaches the pass mark AND every part passed. A module with
    an assessment policy but nothing to assess counts as passed.
    ``attempts_used`` counts the sittings of the deciding windows (started ones included);
    ``attempt_ids`` the attempts behind the score.

``certification_requirements(user) -> list[Requirement]``
    Each with a Chinese ``label``, ``met`` and ``detail``: every REQUIRED assigned module with
    an assessment passed (above); the grooming checklist (``PracticalKind.GROOMING``) passed,
    for every post; the fueling drill (``PracticalKind.DRILL``) passed, for posts whose
    required modules contain a drill. A practical check counts by the LATEST check of its
    kind (``PracticalCheck.passed``, written by the certification area).

``duty_status(user, on=today) -> DutyStatus``
    ``cleared`` (可以上岗) only with a certificate for his CURRENT post that is in force on the
    day (issued, not expired, suspended or revoked). Otherwise ``missing`` lists exactly
    what is missing: the state of his latest certificate for the post if he had one
    (证书已过期/已暂停/已撤销), then the unmet requirements, or "已满足全部要求,等待站长认证上岗".
    A suspended certificate lists only its state (the head lifts the suspension).

An assessment sitting whose time ran out counts once it is closed (its saved answers scored):
the trainee's own pages close it; an area reading someone else's results may first call
``trainer.training.timeouts.close_overdue_attempts(user, library)``.

``progress_overview(user) -> list[ModuleProgress]``
    For the home page, per assigned module: cards studied, practice best, assessment result,
    the window open now, and a state.
"""

from trainer.progress.certification import (
    AWAITING_CERTIFICATION,
    CLEARED,
    NOT_CLEARED,
    DutyStatus,
    Requirement,
    certification_requirements,
    duty_status,
    valid_certificate,
)
from trainer.progress.overview import ModuleProgress, module_progress, progress_overview
from trainer.progress.results import (
    PART_LABELS,
    QUIZ_PART,
    ROLEPLAY_PART,
    ModuleResult,
    PartResult,
    assessed_parts,
    assigned_modules,
    is_assessed,
    module_result,
)

__all__ = [
    "AWAITING_CERTIFICATION", "CLEARED", "NOT_CLEARED", "PART_LABELS", "QUIZ_PART",
    "ROLEPLAY_PART", "DutyStatus", "ModuleProgress", "ModuleResult", "PartResult",
    "Requirement", "assessed_parts", "assigned_modules", "certification_requirements",
    "duty_status", "is_assessed", "module_progress", "module_result", "progress_overview",
    "valid_certificate",
]
