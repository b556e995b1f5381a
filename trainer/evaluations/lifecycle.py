"""The life of an evaluation, as rules without a database: statuses, who acts at each step,
which step is allowed from which status, and the appeal window.

    draft ──(station head reviews, may adjust with a reason; publishes)──▶ published
    published ──(the staff member acknowledges)──▶ acknowledged
    published ──(the staff member appeals with a reason, within the window)──▶ appealed
    published ──(the window ends in silence)──▶ acknowledged (silently)
    appealed ──(HR resolves: upholds or changes a component, with a written resolution)──▶ resolved
    acknowledged | resolved ──(HR finalizes, one by one or in bulk)──▶ final (locked)
    final ──(HR corrects, with a reason)──▶ a NEW evaluation (revision + 1) in draft

Silence: a published evaluation whose appeal window has ended IS acknowledged. Pages and
finalizing read :func:`effective_status`, so nothing waits for a job; the
``close-appeal-windows`` command also writes it down (with its audit entry) for the record.
Pure code: no Flask, no database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer.vocabulary import EVALUATION_STATUS_LABELS as STATUS_LABELS  # noqa: F401 - for the pages
from trainer.vocabulary import EvaluationStatus

# Short names for the statuses of the one vocabulary (trainer/vocabulary.py).
DRAFT = EvaluationStatus.DRAFT
PUBLISHED = EvaluationStatus.PUBLISHED
ACKNOWLEDGED = EvaluationStatus.ACKNOWLEDGED
APPEALED = EvaluationStatus.APPEALED
RESOLVED = EvaluationStatus.RESOLVED
FINAL = EvaluationStatus.FINAL
STATUSES = tuple(EvaluationStatus)
SHORT_LABELS = {DRAFT: "草稿", PUBLISHED: "待确认", ACKNOWLEDGED: "已确认", APPEALED: "申诉中",
                RESOLVED: "已处理", FINAL: "已定稿"}

# Who takes each step: the head of the person's station (HR for a head's own evaluation),
# the person himself, or HR.
HEAD, OWNER, HR = "head", "owner", "hr"
COMPUTE, ADJUST, PUBLISH = "compute", "adjust", "publish"
ACKNOWLEDGE, APPEAL = "acknowledge", "appeal"
RESOLVE, FINALIZE, CORRECT = "resolve", "finalize", "correct"

STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    # action: (who, statuses it may start from)
    COMPUTE: (HR, (DRAFT,)),
    ADJUST: (HEAD, (DRAFT,)),
    PUBLISH: (HEAD, (DRAFT,)),
    ACKNOWLEDGE: (OWNER, (PUBLISHED,)),
    APPEAL: (OWNER, (PUBLISHED,)),
    RESOLVE: (HR, (APPEALED,)),
    FINALIZE: (HR, (ACKNOWLEDGED, RESOLVED)),
    CORRECT: (HR, (FINAL,)),
}
ACTION_LABELS = {COMPUTE: "重新计算", ADJUST: "调整分数", PUBLISH: "审核完成并发给员工",
                 ACKNOWLEDGE: "确认", APPEAL: "申诉", RESOLVE: "处理申诉", FINALIZE: "定稿",
                 CORRECT: "更正"}

# Why a step is refused, by the status the evaluation is in.
_REFUSALS: dict[str, str] = {
    DRAFT: "考核结果还在站长审核中",
    PUBLISHED: "考核结果正等待员工确认或申诉",
    ACKNOWLEDGED: "员工已确认考核结果",
    APPEALED: "员工已提出申诉,须先由人力资源处理",
    RESOLVED: "申诉已处理,等待定稿",
    FINAL: "考核结果已定稿,不能再修改;如需更正,请由人力资源新建更正记录",
}


def appeal_deadline(published_at: datetime, days: int) -> datetime:
    """The end of the appeal window: `days` whole days after the head published the result."""
    return published_at + timedelta(days=days)


def appeal_open(status: str, deadline: datetime | None, at: datetime) -> bool:
    """Whether the staff member may still acknowledge or appeal at `at`."""
    return status == PUBLISHED and deadline is not None and at < deadline


def effective_status(status: str, deadline: datetime | None, at: datetime) -> str:
    """The status as it stands at `at`: a published result whose window has ended in
    silence is acknowledged."""
    if status == PUBLISHED and deadline is not None and at >= deadline:
        return ACKNOWLEDGED
    return status


def refusal(action: str, status: str, deadline: datetime | None, at: datetime) -> str | None:
    """Why `action` may not be taken now (Chinese), or None when the status allows it.
    Only the status and the window are judged here; who acts is the service's rule."""
    if action not in STEPS:
        raise ValueError(f"未知的操作:{action}")
    current = effective_status(status, deadline, at)
    if action in (ACKNOWLEDGE, APPEAL) and status == PUBLISHED and current != PUBLISHED:
        return "申诉期已过,按规定视为已确认"
    if current in STEPS[action][1]:
        return None
    return _REFUSALS.get(current, f"当前状态不能{ACTION_LABELS[action]}")
