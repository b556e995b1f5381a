"""Assessment windows: who may set them, the rules they obey, and which one applies to whom.

A window opens one module's assessment between two times for one station (station_id) or for
every station (station_id None, HR only), with a time limit per sitting, a number of attempts
per part (quiz, role-play) and a grading method. A station head manages his station's windows;
HR and admin manage all. For a person, a window of his own station comes before an
all-stations window open at the same time.

Rules that keep an assessment fair (issue 14): once someone has sat it, only the end time may
change (grading, number of attempts, time limit, start, module and station are frozen); a
window that has ended is never changed or reopened (a retake is a new window); every change
and every early close carries a written reason (in the audit log). Windows HR or admin set
are HR-managed: a head cannot change them, and a station head sits his OWN assessments only
in HR-managed windows - never in one he manages himself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from trainer.audit import log_change, snapshot
from trainer.auth.access import Permission, can
from trainer.content import Module
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import AssessmentWindow, Attempt, Station, User
from trainer.models.assessment import GRADING_LABELS
from trainer.refusals import Refused
from trainer.timeutil import now

MAX_ATTEMPTS = 10
MAX_TIME_LIMIT = 300
MAX_REASON = 1000
METHODS = tuple(GRADING_LABELS)
FIELDS = ("module_id", "station_id", "opens_at", "closes_at", "time_limit_minutes",
          "max_attempts", "grading")


class WindowError(Refused):
    """A rule refused the window; the message is for the user."""


@dataclass
class WindowData:
    """What a head or HR fills in; station_id None means every station."""

    module_id: str
    station_id: int | None
    opens_at: datetime
    closes_at: datetime
    time_limit_minutes: int | None
    max_attempts: int
    grading: str


def visible_windows(viewer: User) -> Select:
    """Windows the viewer may see: all for HR/admin; his station's and all-station ones for a
    head; those that apply to him for staff."""
    query = select(AssessmentWindow)
    if can(viewer, Permission.SEE_ALL_STATIONS):
        return query
    return query.where(or_(AssessmentWindow.station_id == viewer.station_id,
                           AssessmentWindow.station_id.is_(None)))


def assessable_modules(library: ContentLibrary) -> tuple[Module, ...]:
    """Modules whose policy is assessment (practice-only modules get no window)."""
    return tuple(m for m in library.modules if m.policy.mode == "assessment")


def defaults_for(module: Module, station_id: int | None, at: datetime | None = None) -> WindowData:
    """A new window's defaults from the module's policy: opens now, closes in a week."""
    from datetime import timedelta

    start = (at or now()).replace(second=0)
    return WindowData(module.id, station_id, start, start + timedelta(days=7),
                      module.policy.time_limit_minutes, module.policy.attempts,
                      module.policy.grading)


def list_windows(viewer: User, *, module_id: str | None = None) -> list[AssessmentWindow]:
    query = visible_windows(viewer)
    if module_id:
        query = query.where(AssessmentWindow.module_id == module_id)
    return list(db.session.scalars(query.order_by(AssessmentWindow.opens_at.desc(),
                                                  AssessmentWindow.id.desc())))


def window_or_none(viewer: User, window_id: int) -> AssessmentWindow | None:
    return db.session.scalar(visible_windows(viewer).where(AssessmentWindow.id == window_id))


def attempts_in(window: AssessmentWindow) -> int:
    return db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.window_id == window.id)) or 0


def save_window(viewer: User, window: AssessmentWindow | None, data: WindowData,
                library: ContentLibrary, reason: str = "", at: datetime | None = None) -> AssessmentWindow:
    """Create (window None) or change a window after checking every rule; a change needs a
    written reason. The audit log records it. The caller commits."""
    at = at or now()
    if window is not None and not can(viewer, Permission.MANAGE_WINDOW, window):
        raise WindowError("您不能修改这次考核安排", status=403)
    if window is not None:
        reason = _reason(reason, "修改考核安排须写明理由")
        if window.closes_at <= at:
            raise WindowError("这次考核已经结束,不能再修改或重新开放;如需补考,请新建考核安排")
    data = _checked(viewer, window, data, library)
    if window is not None:      # after _checked: a head's station is filled in by then
        _frozen(window, data, at)
    before = snapshot(window, FIELDS) if window is not None else None
    if window is None:
        window = AssessmentWindow(created_by_id=viewer.id,
                                  hr_managed=can(viewer, Permission.SEE_ALL_STATIONS))
        db.session.add(window)
    for name, value in asdict(data).items():
        setattr(window, name, value)
    db.session.flush()
    log_change(viewer, "window.updated" if before else "window.created", "assessment_window",
               window.id, before=before, after=snapshot(window, FIELDS), reason=reason)
    return window


def _frozen(window: AssessmentWindow, data: WindowData, at: datetime) -> None:
    """Once someone has sat the window, only its end time may change (and not into the past:
    ending it early is 提前结束)."""
    if data.closes_at <= at:
        raise WindowError("结束时间已经过去;要提前结束考核,请用“提前结束”")
    if not attempts_in(window):
        return
    changed = [label for name, label in _FROZEN.items()
               if _minutes(getattr(window, name)) != _minutes(getattr(data, name))]
    if changed:
        raise WindowError(f"已有人参加这次考核,不能再更改{'、'.join(changed)};"
                          f"只能调整结束时间")


def _minutes(value: Any) -> Any:
    # The form gives times to the minute: a stored time with seconds is the same time.
    return value.replace(second=0, microsecond=0) if isinstance(value, datetime) else value


_FROZEN = {"module_id": "模块", "station_id": "站点", "opens_at": "开始时间",
           "time_limit_minutes": "作答时限", "max_attempts": "考核次数", "grading": "成绩计算方式"}


def _reason(reason: str | None, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WindowError(missing)
    if len(reason) > MAX_REASON:
        raise WindowError(f"理由最多 {MAX_REASON} 字")
    return reason


def close_window(viewer: User, window: AssessmentWindow, reason: str = "",
                 at: datetime | None = None) -> None:
    """End a window now, with a written reason (attempts already started keep their own
    deadline). Caller commits."""
    at = at or now()
    if not can(viewer, Permission.MANAGE_WINDOW, window):
        raise WindowError("您不能关闭这次考核安排", status=403)
    if window.closes_at <= at:
        raise WindowError("这次考核已经结束")
    reason = _reason(reason, "提前结束考核须写明理由")
    before = snapshot(window, FIELDS)
    window.closes_at = max(at, window.opens_at)
    log_change(viewer, "window.closed", "assessment_window", window.id, before=before,
               after=snapshot(window, FIELDS), reason=reason)


def _checked(viewer: User, window: AssessmentWindow | None, data: WindowData,
             library: ContentLibrary) -> WindowData:
    try:
        module = library.module(data.module_id)
    except KeyError:
        raise WindowError("请选择培训模块") from None
    if module.policy.mode != "assessment":
        raise WindowError(f"“{module.title}”只用于练习,不设考核")
    if not can(viewer, Permission.MANAGE_WINDOW):
        raise WindowError("只有站长和人力资源可以安排考核", status=403)
    if not can(viewer, Permission.SEE_ALL_STATIONS):
        data.station_id = viewer.station_id  # a head sets windows of his own station
    elif data.station_id is not None and db.session.get(Station, data.station_id) is None:
        raise WindowError("请选择站点")
    if data.opens_at >= data.closes_at:
        raise WindowError("结束时间必须晚于开始时间")
    if window is None and data.closes_at <= now():
        raise WindowError("结束时间已经过去,请重新选择")
    if data.time_limit_minutes is not None and not 1 <= data.time_limit_minutes <= MAX_TIME_LIMIT:
        raise WindowError(f"每次作答时限应在 1 到 {MAX_TIME_LIMIT} 分钟之间,或留空表示不限时")
    if not 1 <= data.max_attempts <= MAX_ATTEMPTS:
        raise WindowError(f"考核次数应在 1 到 {MAX_ATTEMPTS} 次之间")
    if data.grading not in METHODS:
        raise WindowError("请选择成绩计算方式")
    clash = _overlapping(data, exclude=window)
    if clash is not None:
        raise WindowError(
            f"同一模块在同一范围已有考核安排({clash.opens_at:%Y-%m-%d %H:%M} 至 "
            f"{clash.closes_at:%Y-%m-%d %H:%M}),时间不能重叠;请修改时间或编辑原有安排")
    return data


def _overlapping(data: WindowData, exclude: AssessmentWindow | None) -> AssessmentWindow | None:
    scope = (AssessmentWindow.station_id.is_(None) if data.station_id is None
             else AssessmentWindow.station_id == data.station_id)
    query = select(AssessmentWindow).where(
        AssessmentWindow.module_id == data.module_id, scope,
        AssessmentWindow.opens_at < data.closes_at, AssessmentWindow.closes_at > data.opens_at)
    if exclude is not None:
        query = query.where(AssessmentWindow.id != exclude.id)
    return db.session.scalar(query.limit(1))


# --- which window applies to a person -------------------------------------------------------


def _applying_to(user: User) -> Select:
    # His station's windows and the all-station ones, latest first; a station head sits his
    # own assessments only in HR-managed ones, never in a window he manages himself.
    query = (select(AssessmentWindow)
             .where(or_(AssessmentWindow.station_id == user.station_id,
                        AssessmentWindow.station_id.is_(None)))
             .order_by(AssessmentWindow.opens_at.desc(), AssessmentWindow.id.desc()))
    if can(user, Permission.MANAGE_WINDOW):
        query = query.where(AssessmentWindow.hr_managed.is_(True))
    return query


def windows_for(user: User, module_id: str) -> Sequence[AssessmentWindow]:
    """Every window of the module that applies to the person (his station's and all-station
    ones), latest first."""
    return list(db.session.scalars(
        _applying_to(user).where(AssessmentWindow.module_id == module_id)))


def windows_by_module(user: User) -> dict[str, list[AssessmentWindow]]:
    """windows_for of every module in one query (for pages listing all his modules)."""
    grouped: dict[str, list[AssessmentWindow]] = {}
    for window in db.session.scalars(_applying_to(user)):
        grouped.setdefault(window.module_id, []).append(window)
    return grouped


def open_window(user: User, module_id: str, at: datetime | None = None,
                windows: Sequence[AssessmentWindow] | None = None) -> AssessmentWindow | None:
    """The window open for the person now: his station's before an all-stations one.
    `windows`: windows_for(user, module_id) when the caller has them already."""
    at = at or now()
    windows = windows_for(user, module_id) if windows is None else windows
    open_ones = [w for w in windows if w.is_open(at)]
    open_ones.sort(key=lambda w: (w.station_id is None, -w.opens_at.timestamp()))
    return open_ones[0] if open_ones else None


def next_window(user: User, module_id: str, at: datetime | None = None,
                windows: Sequence[AssessmentWindow] | None = None) -> AssessmentWindow | None:
    """The earliest window of the module that has not opened yet for the person."""
    at = at or now()
    windows = windows_for(user, module_id) if windows is None else windows
    later = [w for w in windows if w.opens_at > at]
    return min(later, key=lambda w: w.opens_at) if later else None


def grading_label(method: str) -> str:
    return GRADING_LABELS.get(method, method)
