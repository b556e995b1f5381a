"""Finishing a change in a request: one unit of work for every view.

A view calls a service inside :func:`unit_of_work`: the service checks its rules (raising a
`Refused` before it changes anything) and never commits; the unit of work commits the change
and its audit entry together, or rolls everything back and shows the refusal - on the form
field it names, else as a flash - so no view keeps its own try/rollback/flash block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from trainer.extensions import db
from trainer.refusals import Refused

CONFLICT = "有人同时修改了同一条记录,您的操作未保存,请刷新页面后重试。"


@dataclass(frozen=True)
class Outcome:
    """What became of a change: `value` is the service's return value when it went through."""

    ok: bool
    value: Any = None
    refused: Refused | None = None


def unit_of_work(change: Callable[[], Any], *, done: str | Callable[[Any], str] | None = None,
                 form: Any = None, conflict: str | None = CONFLICT,
                 prefix: str = "", flashes: bool = True) -> Outcome:
    """Run `change`, then commit and flash `done` (text, or made from the value); on a
    refusal roll back and show its message (on `form`'s field when it names one, after
    `prefix`). Two people changing the same row at once is a refusal too (`conflict`; None
    when a double submit of the same form is harmless and needs no message). A JSON endpoint
    passes flashes=False and answers with `outcome.refused` itself."""
    try:
        value = change()
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        if flashes:
            _show(refused, form, prefix)
        return Outcome(False, refused=refused)
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        if conflict and flashes:
            flash(conflict, "error")
        return Outcome(False, refused=Refused(conflict or CONFLICT, 409, "conflict"))
    if done:
        flash(done(value) if callable(done) else done, "success")
    return Outcome(True, value)


def _show(refused: Refused, form: Any, prefix: str) -> None:
    field = getattr(form, refused.field, None) if form is not None and refused.field else None
    messages = getattr(refused, "problems", None) or [refused.message]
    if field is not None:
        field.errors = [*field.errors, *messages]
        return
    for message in messages:
        flash(prefix + message, "error")
