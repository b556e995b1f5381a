"""The station dashboard: every staff member's progress, last activity and duty status, and the
scenes where the station's answers fail most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from trainer.content import Dialogue, Module, PhraseItem
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import Attempt, AttemptResponse, PracticalCheck, Role, User, Verdict
from trainer.progress import DutyStatus, ModuleResult, assigned_modules, duty_status, is_assessed
from trainer.progress import module_result as result_of
from trainer.progress.batch import preloaded
from trainer.station.chart import Chart, bar_chart, rate_tone
from trainer.timeutil import now

WEAK_SCENES = 8
SCENE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class ModuleCell:
    """One module of one person: 已通过 / 未通过 / 待站长复核 / 未参加 / 仅练习, and the score."""

    module: Module
    label: str
    result: ModuleResult | None

    @property
    def tone(self) -> str:
        return {"已通过": "pass", "未通过": "fail", "待站长复核": "review"}.get(self.label, "none")


@dataclass(frozen=True)
class StaffRow:
    user: User
    cells: tuple[ModuleCell, ...]
    passed: int
    assessed: int
    last_activity: datetime | None
    duty: DutyStatus

    def cell(self, module_id: str) -> ModuleCell | None:
        """His cell for a module, or None when the module is not assigned to him."""
        return next((c for c in self.cells if c.module.id == module_id), None)


def module_columns(rows: list[StaffRow]) -> list[Module]:
    """Every module assigned to anyone of the rows, in curriculum order (the table's columns)."""
    seen = {c.module.id: c.module for row in rows for c in row.cells}
    return sorted(seen.values(), key=lambda m: (m.order, m.id))


def station_staff(station_id: int) -> list[User]:
    """The people a head certifies: active staff of the station with a post."""
    return list(db.session.scalars(
        select(User).where(User.station_id == station_id, User.role == Role.STAFF,
                           User.active.is_(True), User.post.is_not(None))
        .order_by(User.employee_no)))


def last_activity(user_ids: list[int]) -> dict[int, datetime]:
    """The latest attempt or practical check of each person."""
    if not user_ids:
        return {}
    latest: dict[int, datetime] = {}
    for model, column in ((Attempt, Attempt.started_at),
                          (PracticalCheck, PracticalCheck.performed_at)):
        rows = db.session.execute(select(model.user_id, func.max(column))
                                  .where(model.user_id.in_(user_ids)).group_by(model.user_id))
        for user_id, at in rows:
            if at is not None and (user_id not in latest or at > latest[user_id]):
                latest[user_id] = at
    return latest


def staff_rows(station_id: int, library: ContentLibrary) -> list[StaffRow]:
    """Every staff member with his modules, last activity and cleared-for-duty status."""
    people = station_staff(station_id)
    activity = last_activity([p.id for p in people])
    with preloaded(people):
        return [_staff_row(person, library, activity) for person in people]


def _staff_row(person: User, library: ContentLibrary, activity: dict[int, datetime]
               ) -> StaffRow:
    cells = []
    for module in assigned_modules(person, library):
        if not is_assessed(module):
            cells.append(ModuleCell(module, "仅练习", None))
            continue
        result = result_of(person, module)
        cells.append(ModuleCell(module, result.state_label, result))
    assessed = [c for c in cells if c.result is not None]
    return StaffRow(person, tuple(cells), sum(c.result.passed for c in assessed),
                    len(assessed), activity.get(person.id), duty_status(person, library=library))


@dataclass(frozen=True)
class SceneStat:
    item_id: str
    label: str
    module_title: str
    answered: int
    failed: int

    @property
    def rate(self) -> float:
        return self.failed / self.answered if self.answered else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.rate)


def weakest_scenes(station_id: int, library: ContentLibrary, *, limit: int = WEAK_SCENES,
                   days: int = SCENE_WINDOW_DAYS) -> list[SceneStat]:
    """The role-play scenes answered at the station in the last `days` days where most answers
    failed: most failures first, then the higher failure rate."""
    since = now() - timedelta(days=days)
    failed = func.sum(case((AttemptResponse.verdict == Verdict.FAIL, 1), else_=0))
    rows = db.session.execute(
        select(AttemptResponse.item_id, func.count(AttemptResponse.id), failed)
        .join(Attempt, Attempt.id == AttemptResponse.attempt_id)
        .where(Attempt.station_id == station_id, AttemptResponse.verdict.is_not(None),
               AttemptResponse.created_at >= since)
        .group_by(AttemptResponse.item_id))
    stats = []
    for item_id, answered, failures in rows:
        try:
            item = library.item(item_id)
        except KeyError:
            continue  # removed from the content since
        if isinstance(item, PhraseItem):
            label = item.scene
        elif isinstance(item, Dialogue):
            label = item.title
        else:
            continue  # quiz questions and drills are not scenes
        stats.append(SceneStat(item_id, label, library.module_of(item_id).title,
                               int(answered), int(failures or 0)))
    stats = [s for s in stats if s.failed]
    stats.sort(key=lambda s: (-s.failed, -s.rate, s.label))
    return stats[:limit]


def scenes_chart(scenes: list[SceneStat]) -> Chart:
    """The weakest scenes as bars of their failure rate."""
    return bar_chart("失败率最高的情景", [(s.label, s.percent, f"{s.percent}%({s.failed}/{s.answered})")
                                   for s in scenes], 100, [rate_tone(s.rate) for s in scenes])


def progress_chart(rows: list[StaffRow]) -> Chart:
    """Modules passed per person, out of his assessed modules."""
    most = max((r.assessed for r in rows), default=0)
    tones = ["good" if r.duty.cleared else ("warn" if r.passed else "bad") for r in rows]
    return bar_chart("考核通过的模块", [(r.user.name, r.passed, f"{r.passed}/{r.assessed}")
                                 for r in rows], most, tones)
