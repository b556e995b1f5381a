"""Managing stations and staff: the rules, callable without a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select

from trainer.audit import log_change, snapshot
from trainer.auth import sessions
from trainer.auth.access import Permission, RoleChange, can, visible_users
from trainer.auth.service import issue_code
from trainer.extensions import db
from trainer.models import POSTS, ROLES, Certificate, Role, Station, User
from trainer.models.certificate import CertificateStatus
from trainer.refusals import Refused
from trainer.timeutil import today

STATION_FIELDS = (
    "code", "name", "short_name", "company", "region", "address",
    "gas_price", "price_unit", "hotline", "rule_set", "active",
)
USER_FIELDS = (
    "employee_no", "name", "phone", "station_id", "post", "role", "hire_date", "active",
)
# What a station head may change on his own station's staff.
HEAD_EDITABLE = ("name", "phone", "post", "active")


class ServiceError(Refused):
    """A rule refused the change; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None, status: int | None = None):
        super().__init__(message, status=status, field=field)


# --- stations -----------------------------------------------------------------------------


def station_code_taken(code: str, *, except_id: int | None = None) -> bool:
    query = select(Station.id).where(func.lower(Station.code) == code.strip().lower())
    if except_id is not None:
        query = query.where(Station.id != except_id)
    return db.session.scalar(query) is not None


def save_station(actor: User, station: Station | None, data: dict[str, Any]) -> Station:
    """Create (station=None) or update a station, with an audit entry (the caller commits)."""
    if not can(actor, Permission.MANAGE_STATIONS):
        raise ServiceError("没有权限管理站点", status=403)
    if station_code_taken(data["code"], except_id=station.id if station else None):
        raise ServiceError("站点编码已存在", "code")
    creating = station is None
    before = None if creating else snapshot(station, STATION_FIELDS)
    if creating:
        station = Station()
        db.session.add(station)
    for name in STATION_FIELDS:
        if name in data:
            setattr(station, name, _clean(data[name]))
    station.rule_set = station.rule_set or None
    db.session.flush()
    log_change(
        actor, "station.create" if creating else "station.update", "station", station.id,
        before=before, after=snapshot(station, STATION_FIELDS),
    )
    return station


def stations_for_choice() -> list[Station]:
    return list(db.session.scalars(select(Station).order_by(Station.code)))


# --- staff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffFilter:
    station_id: int | None = None
    post: str | None = None
    role: str | None = None
    active: bool | None = None
    search: str = ""
    uncertified: bool = False      # only staff holding no certificate in force (待办)


def uncertified_staff(viewer: User, on: date | None = None) -> Select:
    """Active staff with a post the viewer sees who hold no certificate in force."""
    on = on or today()
    in_force = select(Certificate.user_id).where(Certificate.status == CertificateStatus.ACTIVE,
                                                 Certificate.expires_on >= on)
    return visible_users(viewer).where(User.active.is_(True), User.role == Role.STAFF,
                                       User.post.is_not(None), User.id.not_in(in_force))


def list_staff(viewer: User, filters: StaffFilter = StaffFilter()) -> list[User]:
    query = visible_users(viewer)
    if filters.station_id:
        query = query.where(User.station_id == filters.station_id)
    if filters.post:
        query = query.where(User.post == filters.post)
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.active is not None:
        query = query.where(User.active == filters.active)
    if filters.uncertified:
        query = query.where(User.id.in_(uncertified_staff(viewer).with_only_columns(User.id)))
    if filters.search.strip():
        # autoescape: a typed % or _ is looked for as itself, not as a LIKE wildcard.
        needle = filters.search.strip()
        query = query.where(or_(*(column.icontains(needle, autoescape=True)
                                  for column in (User.name, User.employee_no, User.phone))))
    return list(db.session.scalars(query.order_by(User.station_id, User.employee_no)))


def employee_no_taken(employee_no: str, *, except_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.employee_no) == employee_no.strip().lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def check_user_rules(actor: User, data: dict[str, Any], person: User | None = None) -> None:
    """Rules every created (person None) or edited person must satisfy, whoever enters him."""
    if data.get("role") not in ROLES:
        raise ServiceError("未知的权限角色", "role")
    if data.get("post") and data["post"] not in POSTS:
        raise ServiceError("未知的岗位", "post")
    if not can(actor, Permission.GRANT_ROLE, RoleChange(person, data["role"])):
        raise ServiceError("只有管理员可以授予或取消人力资源、管理员角色", "role", 403)
    if data["role"] in (Role.STAFF, Role.HEAD) and not data.get("station_id"):
        raise ServiceError("员工和站长必须属于一个站点", "station_id")
    if data.get("station_id") and db.session.get(Station, data["station_id"]) is None:
        raise ServiceError("站点不存在", "station_id")


def create_user(actor: User, data: dict[str, Any]) -> tuple[User, str]:
    """Create a person; returns him and the one-time code (shown once) with which he sets his
    own password. Nobody ever knows a password of his. The caller commits."""
    if not can(actor, Permission.CREATE_USER):
        raise ServiceError("没有权限新增人员", status=403)
    if employee_no_taken(data["employee_no"]):
        raise ServiceError("工号已存在", "employee_no")
    check_user_rules(actor, data)
    user = User()
    for name in USER_FIELDS:
        if name in data:
            setattr(user, name, _clean(data[name]))
    user.post = user.post or None
    db.session.add(user)
    db.session.flush()
    log_change(actor, "user.create", "user", user.id, after=snapshot(user, USER_FIELDS))
    return user, issue_code(user, actor=actor)


def update_user(actor: User, user: User, data: dict[str, Any]) -> User:
    """Edit a person within what the actor may change. A change of role or a deactivation
    ends the person's sessions and is logged on its own, so he is told at his next sign-in.
    The caller commits."""
    if not can(actor, Permission.EDIT_USER, user):
        raise ServiceError("没有权限修改此人员", status=403)
    full = can(actor, Permission.EDIT_ACCOUNT, user)
    allowed = USER_FIELDS if full else HEAD_EDITABLE
    merged = snapshot(user, USER_FIELDS) | {k: v for k, v in data.items() if k in allowed}
    if user.id == actor.id and merged.get("role") != actor.role:
        raise ServiceError("不能修改自己的权限角色", "role")
    if user.id == actor.id and not merged.get("active"):
        raise ServiceError("不能停用自己的账号", "active")
    if full:
        if employee_no_taken(merged["employee_no"], except_id=user.id):
            raise ServiceError("工号已存在", "employee_no")
        check_user_rules(actor, merged, user)
    elif merged.get("post") and merged["post"] not in POSTS:
        raise ServiceError("未知的岗位", "post")
    before = snapshot(user, USER_FIELDS)
    for name in allowed:
        if name in data:
            setattr(user, name, _clean(data[name]))
    user.post = user.post or None
    after = snapshot(user, USER_FIELDS)
    log_change(actor, "user.update", "user", user.id, before=before, after=after)
    _account_changes(actor, user, before, after)
    return user


def _account_changes(actor: User, user: User, before: dict, after: dict) -> None:
    if before["role"] != after["role"]:
        sessions.end_all(user, sessions.ROLE)
        log_change(actor, "user.role_change", "user", user.id,
                   before={"role": before["role"]}, after={"role": after["role"]})
    if before["active"] and not after["active"]:
        sessions.end_all(user, sessions.DEACTIVATED)
        log_change(actor, "user.deactivated", "user", user.id)
    elif after["active"] and not before["active"]:
        log_change(actor, "user.reactivated", "user", user.id)


def reset_password(actor: User, user: User) -> str:
    """Issue the person a one-time code (shown once) that only sets a new password; his old
    password and his sessions end. The resetter never learns a password."""
    if not can(actor, Permission.RESET_PASSWORD, user):
        raise ServiceError("没有权限重置此人员的密码", status=403)
    return issue_code(user, actor=actor)


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
