"""Loading progress for many people at once: a page listing a station reads every person's
assessment attempts, windows, certificates and practical checks in a handful of queries, then
the progress rules (results.py, certification.py) run unchanged on what was read.

    with preloaded(people):
        rows = [duty_status(person) for person in people]   # no query per person

Inside the block the loaders below answer from memory for the people given; for anybody else
(or outside a block) they query as before. The block is per request and read-only: a page that
writes progress must not read it back through a preload made before the write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import select

from trainer.extensions import db
from trainer.models import (
    AssessmentWindow,
    Attempt,
    Certificate,
    Mode,
    PracticalCheck,
    User,
)


@dataclass
class Preload:
    user_ids: frozenset[int]
    attempts: dict[tuple[int, str], list[Attempt]] = field(default_factory=dict)
    windows: dict[int, AssessmentWindow] = field(default_factory=dict)
    certificates: dict[int, list[Certificate]] = field(default_factory=dict)
    latest_checks: dict[tuple[int, str], PracticalCheck] = field(default_factory=dict)

    def covers(self, user: User) -> bool:
        return user.id in self.user_ids


_current: ContextVar[Preload | None] = ContextVar("trainer_progress_preload", default=None)


@contextmanager
def preloaded(people: Iterable[User]) -> Iterator[Preload]:
    """Read the progress records of these people in five queries; the rules use them inside."""
    preload = load(list(people))
    token = _current.set(preload)
    try:
        yield preload
    finally:
        _current.reset(token)


def preload_for_request(people: Iterable[User]) -> Preload:
    """Preload for the rest of the current request (kept on flask.g, gone with the request):
    one line at the top of a view instead of a block around its body."""
    from flask import g

    g.trainer_progress_preload = preload = load(list(people))
    return preload


def _active_preload() -> Preload | None:
    preload = _current.get()
    if preload is not None:
        return preload
    from flask import g, has_app_context

    return g.get("trainer_progress_preload") if has_app_context() else None


def active() -> bool:
    """Whether a preload is open (its records are in the session's identity map)."""
    return _active_preload() is not None


def current_for(user: User) -> Preload | None:
    """The open preload, when it holds this person."""
    preload = _active_preload()
    return preload if preload is not None and preload.covers(user) else None


def load(people: list[User]) -> Preload:
    ids = [person.id for person in people]
    preload = Preload(frozenset(ids))
    if not ids:
        return preload
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id.in_(ids), Attempt.mode == Mode.ASSESSMENT)
        .order_by(Attempt.started_at, Attempt.id))
    by_module: dict[tuple[int, str], list[Attempt]] = defaultdict(list)
    window_ids = set()
    for attempt in attempts:
        by_module[(attempt.user_id, attempt.module_id)].append(attempt)
        if attempt.window_id is not None:
            window_ids.add(attempt.window_id)
    preload.attempts = dict(by_module)
    if window_ids:
        preload.windows = {w.id: w for w in db.session.scalars(
            select(AssessmentWindow).where(AssessmentWindow.id.in_(window_ids)))}
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in db.session.scalars(
            select(Certificate).where(Certificate.user_id.in_(ids))
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())):
        certificates[certificate.user_id].append(certificate)
    preload.certificates = dict(certificates)
    # The latest check of each kind per person (newest first; the first seen wins).
    for check in db.session.scalars(
            select(PracticalCheck).where(PracticalCheck.user_id.in_(ids))
            .order_by(PracticalCheck.performed_at.desc(), PracticalCheck.id.desc())):
        preload.latest_checks.setdefault((check.user_id, check.kind), check)
    return preload
