"""Mandatory retraining decided by a final evaluation.

A final grade whose band requires retraining (不合格 by default) re-assigns the modules the
person failed in the period: each must be passed again, by an assessment attempt made after
the assignment (trainer.progress.module_result decides "passed"). When the policy says so, his
certificate in force is suspended (trainer.certificates.service.suspend) until every module is
passed, then lifted. A grade that requires retraining with no failed module (a poor practical
or service record) leaves the content to the station head, who marks it done with a note.

Progress is checked when the station head presses 核对复训进度 on the evaluation page and by
``flask --app trainer check-retraining`` (run it daily, e.g. from cron); pages show the state
computed at the time. The evaluation itself is locked once final, so this state lives in its
own table. The caller commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from trainer.audit import log_change
from trainer.auth.access import Permission, can
from trainer.content.library import ContentLibrary
from trainer.evaluations.compute import EvaluationResult
from trainer.evaluations.periods import parse_period_key
from trainer.extensions import db
from trainer.models import Attempt, Evaluation, Retraining, User
from trainer.refusals import Refused
from trainer.timeutil import now


class RetrainingError(Refused):
    """A rule refused the action; the message is for the user."""


def retraining_of(evaluation: Evaluation) -> Retraining | None:
    return db.session.scalar(select(Retraining).where(Retraining.evaluation_id == evaluation.id))


def open_retraining(user: User) -> list[Retraining]:
    """The person's retraining not completed yet (what the training pages may show him)."""
    return list(db.session.scalars(select(Retraining).where(
        Retraining.user_id == user.id, Retraining.completed_at.is_(None))
        .order_by(Retraining.assigned_at)))


def settle_retraining(evaluation: Evaluation, actor: User | None,
                      library: ContentLibrary | None = None) -> Retraining | None:
    """After finalizing: assign retraining when the final grade requires it; a correction
    that no longer requires it completes the retraining its predecessor assigned."""
    result = EvaluationResult.from_dict(evaluation.result)
    existing = _open_in_chain(evaluation)
    if not result.retraining_required:
        if existing is not None:
            _complete(existing, actor, "更正后的考核结果不再需要复训", by_rule=True)
        return None
    if existing is not None:
        return existing
    period = parse_period_key(evaluation.period)
    modules = [{"module_id": m.module_id, "title": m.title, "passed_at": None, "attempt_ids": []}
               for m in result.failed_modules]
    retraining = Retraining(evaluation_id=evaluation.id, user_id=evaluation.user_id,
                            assigned_at=now(), modules=modules, suspended=False,
                            completion_note="")
    db.session.add(retraining)
    db.session.flush()
    names = "、".join(m["title"] for m in modules) or "由站长指定"
    reason = f"{period.label}考核等级为{evaluation.grade},须参加复训({names})"
    if result.suspend_duty:
        _suspend(retraining, actor, reason + ",复训通过前暂停上岗资格")
    log_change(actor, "retraining.assigned", "retraining", retraining.id,
               after={"evaluation_id": evaluation.id, "modules": [m["module_id"] for m in modules],
                      "suspended": retraining.suspended,
                      "certificate_id": retraining.certificate_id}, reason=reason)
    return retraining


def _open_in_chain(evaluation: Evaluation) -> Retraining | None:
    """Open retraining assigned by this evaluation or one it corrects."""
    ids = []
    current: Evaluation | None = evaluation
    while current is not None:
        ids.append(current.id)
        current = db.session.get(Evaluation, current.corrects_id) if current.corrects_id else None
    return db.session.scalar(select(Retraining).where(Retraining.evaluation_id.in_(ids),
                                                      Retraining.completed_at.is_(None)))


def _suspend(retraining: Retraining, actor: User | None, reason: str) -> None:
    from trainer.certificates import service as certificates
    from trainer.progress import valid_certificate

    person = db.session.get(User, retraining.user_id)
    certificate = valid_certificate(person) if person is not None else None
    if certificate is None:
        return   # not cleared for duty anyway: nothing to suspend
    try:
        # The rule suspends (the system): only HR or the rule itself may lift it.
        certificates.suspend(certificate, None, reason)
    except certificates.CertificateError:
        return
    retraining.certificate_id = certificate.id
    retraining.suspended = True


def check_retraining(retraining: Retraining, actor: User | None = None,
                     library: ContentLibrary | None = None) -> bool:
    """Mark the modules passed again since the assignment; when all are, complete the
    retraining and lift the suspension. True when it is complete (now or before)."""
    from trainer.progress import module_result
    from trainer.progress.results import library_or_default

    if retraining.completed_at is not None:
        return True
    if not retraining.modules:
        return False   # the head decides what retraining means and marks it done
    library = library_or_default(library)
    person = db.session.get(User, retraining.user_id)
    modules = []
    for entry in retraining.modules:
        entry = dict(entry)
        if entry.get("passed_at") is None:
            passed = _passed_since(person, entry["module_id"], retraining.assigned_at,
                                   library, module_result)
            if passed is not None:
                entry["passed_at"], entry["attempt_ids"] = passed[0].isoformat(), passed[1]
        modules.append(entry)
    if modules != retraining.modules:
        retraining.modules = modules   # a new list, so the JSON change is saved
        done = [m["title"] for m in modules if m.get("passed_at")]
        log_change(actor, "retraining.progress", "retraining", retraining.id,
                   after={"passed": done}, reason="复训模块通过情况更新")
    if all(m.get("passed_at") for m in modules):
        _complete(retraining, actor, "复训模块已全部通过", by_rule=True)
        return True
    return False


def _passed_since(person: User, module_id: str, since: datetime, library: ContentLibrary,
                  module_result: Any) -> tuple[datetime, list[int]] | None:
    try:
        module = library.module(module_id)
    except KeyError:
        return None
    result = module_result(person, module)
    if not result.passed or not result.attempt_ids:
        return None
    times = list(db.session.scalars(select(Attempt.submitted_at).where(
        Attempt.id.in_(result.attempt_ids), Attempt.submitted_at >= since)))
    if not times:
        return None   # passed, but by attempts made before the retraining: not again
    return max(times), list(result.attempt_ids)


def complete_manually(retraining: Retraining, actor: User, note: str) -> None:
    """The station head (or HR) marks retraining without modules as done, with a note."""
    if retraining.completed_at is not None:
        raise RetrainingError("复训已经完成")
    if retraining.modules:
        raise RetrainingError("复训模块须由员工重新考核通过,系统核对后自动完成")
    if not can(actor, Permission.MANAGE_RETRAINING, retraining):
        raise RetrainingError("只有本站站长或人力资源可以确认复训完成", status=403)
    note = (note or "").strip()
    if not note:
        raise RetrainingError("请写明复训的内容和结果")
    _complete(retraining, actor, note[:1000])


def _complete(retraining: Retraining, actor: User | None, note: str,
              by_rule: bool = False) -> None:
    """Close the retraining; the suspension it imposed is lifted by the rule itself when the
    rule completes it (modules passed, a correction), else by the person marking it done -
    which only HR may (Permission.LIFT_SUSPENSION in trainer.auth.access)."""
    from trainer.certificates import service as certificates
    from trainer.models import Certificate

    retraining.completed_at = now()
    retraining.completed_by_id = actor.id if actor is not None else None
    retraining.completion_note = note
    lifted = False
    if retraining.suspended and retraining.certificate_id is not None:
        certificate = db.session.get(Certificate, retraining.certificate_id)
        if certificate is not None:
            try:
                certificates.lift(certificate, None if by_rule else actor, f"复训完成:{note}")
                lifted = True
            except certificates.CertificateError:
                pass   # already lifted, or revoked meanwhile: nothing to undo
    log_change(actor, "retraining.completed", "retraining", retraining.id,
               after={"lifted_certificate": lifted}, reason=note)


def check_all(actor: User | None = None, library: ContentLibrary | None = None) -> tuple[int, int]:
    """Check every open retraining (the daily command): (checked, completed now)."""
    rows = list(db.session.scalars(select(Retraining).where(Retraining.completed_at.is_(None))))
    completed = sum(1 for row in rows if check_retraining(row, actor, library))
    return len(rows), completed
