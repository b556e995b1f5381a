"""The admin corrects a phrase or a card in the UI (issue 17).

A correction is a row of content_override (append-only, audited), layered over the YAML by
trainer/content/overrides.py and checked by the same validation as `flask content check`
before it is saved. The newest row of an item is in force; the files stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from trainer.audit import log_change
from trainer.auth.access import Permission, require
from trainer.content import Card, Dialogue, PhraseItem, Question, check_content
from trainer.content.overrides import EDITABLE
from trainer.extensions import db
from trainer.models import Attempt, AttemptResponse, ContentOverride, Review, User
from trainer.refusals import Invalid

MAX_REASON = 500


class CorrectionRefused(Invalid):
    """The correction would make the content invalid (or changes nothing)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message, code="content_invalid")
        self.problems = [message, *(problems or [])]


def overrides_in_force() -> dict[str, dict[str, Any]]:
    """{item_id: fields} of the newest correction of each item."""
    newest: dict[str, dict[str, Any]] = {}
    for row in db.session.scalars(select(ContentOverride).order_by(ContentOverride.id)):
        newest[row.item_id] = dict(row.fields)
    return newest


def history(item_id: str) -> list[tuple[ContentOverride, User | None]]:
    rows = db.session.execute(select(ContentOverride, User)
                              .outerjoin(User, User.id == ContentOverride.created_by_id)
                              .where(ContentOverride.item_id == item_id)
                              .order_by(ContentOverride.id.desc()))
    return [(row, user) for row, user in rows]


def section_of(item: Any) -> str | None:
    """The module file's section holding the item, if the UI may correct it."""
    for kind, section in ((PhraseItem, "phrases"), (Card, "cards"), (Question, "questions"),
                          (Dialogue, "dialogues")):
        if isinstance(item, kind):
            return section
    return None


def current_fields(item: Any) -> dict[str, Any]:
    """The item's editable keys as the YAML spells them."""
    if isinstance(item, PhraseItem):
        return {"expected": list(item.spec.expected),
                "key_points": [list(p) for p in item.spec.key_points],
                "explanation": item.explanation, "status": item.status}
    if isinstance(item, Card):
        return {"title": item.title, "body": item.body, "status": item.status}
    if isinstance(item, Question):
        return {"prompt": item.prompt, "explanation": item.explanation, "status": item.status}
    if isinstance(item, Dialogue):
        return {"status": item.status}
    return {}


def fields_from_form(item: Any, form: dict[str, str]) -> dict[str, Any]:
    """The form's text as YAML keys: one phrasing per line; one key point per line, its
    synonyms separated by “/”."""
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    fields: dict[str, Any] = {"status": form.get("status", "")}
    editable = EDITABLE.get(section_of(item) or "", ())
    for key in editable:
        if key == "expected":
            fields[key] = lines(form.get(key, ""))
        elif key == "key_points":
            fields[key] = [[s.strip() for s in line.split("/") if s.strip()]
                           for line in lines(form.get(key, ""))]
        elif key != "status":
            fields[key] = (form.get(key) or "").strip()
    return fields


def save_correction(actor: User, content_dir: Path | str, base: Any, item: Any,
                    fields: dict[str, Any], reason: str) -> ContentOverride:
    """Check the corrected item with the whole content (as `flask content check` would) and
    append it; audited. The caller commits and then calls library.content_corrected."""
    require(actor, Permission.MANAGE_CONTENT)
    section = section_of(item)
    if section is None:
        raise CorrectionRefused("这类条目不能在网页上修改,请修改内容文件")
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionRefused("请写明修改理由(例如依据哪条标准)")
    if len(reason) > MAX_REASON:
        raise CorrectionRefused(f"修改理由最多 {MAX_REASON} 字")
    fields = {key: value for key, value in fields.items() if key in EDITABLE[section]}
    before = current_fields(item)
    if fields == before:
        raise CorrectionRefused("内容没有改动")
    if fields.get("status") not in ("draft", "active"):
        raise CorrectionRefused("请选择状态:草稿或生效")
    in_force = overrides_in_force()
    problems = check_content(content_dir, {**in_force, item.id: fields})
    if problems:
        raise CorrectionRefused(
            "修改未保存:内容检查不通过", [_problem_text(p) for p in problems])
    row = ContentOverride(item_id=item.id, fields=fields, reason=reason, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    log_change(actor, "content.corrected", "content_item", item.id, before=before, after=fields,
               reason=reason)
    return row


def _problem_text(problem: Any) -> str:
    where = f"{problem.field}:" if problem.field else ""
    return f"{where}{problem.message}"


# --- how often the engine and the heads disagreed on an item -----------------------------------


@dataclass(frozen=True)
class Disagreement:
    decided: int            # answers a head reviewed
    changed: int            # ... whose verdict he changed
    to_pass: int            # engine said fail/review, head said pass
    to_fail: int            # engine said pass/review, head said fail
    recent: list[tuple[Review, Attempt]]

    @property
    def percent(self) -> int:
        return round(100 * self.changed / self.decided) if self.decided else 0


def disagreement(item_id: str, recent: int = 10) -> Disagreement:
    """The heads' review decisions on attempts answering this item (or its dialogue)."""
    attempts = select(AttemptResponse.attempt_id).where(AttemptResponse.item_id == item_id)
    rows = list(db.session.execute(
        select(Review, Attempt).join(Attempt, Attempt.id == Review.attempt_id)
        .where(Review.attempt_id.in_(attempts))
        .order_by(Review.decided_at.desc(), Review.id.desc())))
    changed = [(r, a) for r, a in rows if r.previous_verdict != r.verdict]
    return Disagreement(
        decided=len(rows), changed=len(changed),
        to_pass=sum(1 for r, _ in changed if r.verdict == "pass"),
        to_fail=sum(1 for r, _ in changed if r.verdict == "fail"),
        recent=[(r, a) for r, a in rows[:recent]])
