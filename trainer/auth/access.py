"""Access rules declared on every route, and the scoping rules behind them.

Each view carries its rule as an attribute (`view.access_rule`), so a test can walk the URL
map and check that every route has one. Scoping: staff see only themselves, a station head
only his station, HR and admin everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select

from trainer.extensions import db
from trainer.models import Role, Station, User
from trainer.refusals import NotAllowed


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[str]
    public: bool = False

    def allows(self, role: str | None) -> bool:
        return self.public or (role is not None and role in self.roles)


ALL_ROLES = frozenset({Role.STAFF, Role.HEAD, Role.HR, Role.ADMIN})
OFFICE_ROLES = frozenset({Role.HR, Role.ADMIN})


def public(view: Callable) -> Callable:
    """Mark a view as open to everybody, logged in or not."""
    view.access_rule = AccessRule(roles=frozenset(), public=True)
    return view


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    """Allow a view to logged-in users of the given roles; others get 403, anonymous a login."""
    allowed = frozenset(roles) or ALL_ROLES

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = AccessRule(roles=allowed)
        return wrapped

    return decorate


login_required = roles_required(*ALL_ROLES)
# The rules most views carry, named by whom they are for.
trainees = roles_required(Role.STAFF, Role.HEAD)     # who trains (heads hold a post too)
managers = roles_required(Role.HEAD, *OFFICE_ROLES)  # a head (his station), HR and admin
office = roles_required(*OFFICE_ROLES)
head_only = roles_required(Role.HEAD)
hr_only = roles_required(Role.HR)


# --- scoping -------------------------------------------------------------------------------


def sees_all_stations(user: User) -> bool:
    return user.role in OFFICE_ROLES


def visible_users(viewer: User) -> Select:
    """A query of the people the viewer may see."""
    query = select(User)
    if sees_all_stations(viewer):
        return query
    if viewer.role == Role.HEAD:
        return query.where(User.station_id == viewer.station_id)
    return query.where(User.id == viewer.id)


def visible_stations(viewer: User) -> Select:
    query = select(Station)
    if sees_all_stations(viewer):
        return query
    return query.where(Station.id == viewer.station_id)


def user_or_404(viewer: User, user_id: int) -> User:
    """The person with this id if the viewer may see him, else 404 (no hint that he exists)."""
    user = db.session.scalar(visible_users(viewer).where(User.id == user_id))
    if user is None:
        abort(404)
    return user


def station_or_404(viewer: User, station_id: int) -> Station:
    station = db.session.scalar(visible_stations(viewer).where(Station.id == station_id))
    if station is None:
        abort(404)
    return station


def sees_record_of(viewer: User, owner_id: int, station_id: int | None) -> bool:
    """Whether the viewer may see a person's record (an attempt, a certificate) made at
    `station_id`: the person himself, HR and admin, and a head for records made at his station
    or of his current staff (someone who moved stations keeps his history with him)."""
    if viewer.id == owner_id or sees_all_stations(viewer):
        return True
    if viewer.role != Role.HEAD or viewer.station_id is None:
        return False
    if station_id == viewer.station_id:
        return True
    owner = db.session.get(User, owner_id)
    return owner is not None and owner.station_id == viewer.station_id


# --- permissions -----------------------------------------------------------------------------


class Permission(StrEnum):
    """What a person may do, named once; `can` decides each."""

    CREATE_USER = "create_user"
    EDIT_USER = "edit_user"                  # obj: the person edited
    GRANT_ROLE = "grant_role"                # obj: RoleChange(person or None, new role)
    RESET_PASSWORD = "reset_password"        # obj: the person
    ANSWER_ATTEMPT = "answer_attempt"        # obj: an attempt (answer, retry, finish, review)


@dataclass(frozen=True)
class RoleChange:
    """Giving `role` to `person` (None: a person being created)."""

    person: User | None
    role: str


def _office_account(role: str | None) -> bool:
    return role in OFFICE_ROLES


def _edit_user(user: User, target: User) -> bool:
    # HR and admin accounts are the admin's alone (HR edits only himself of them); a head
    # edits his own station's staff.
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.HR:
        return not _office_account(target.role) or target.id == user.id
    if user.role == Role.HEAD:
        return target.role == Role.STAFF and target.station_id == user.station_id
    return False


def _grant_role(user: User, change: RoleChange) -> bool:
    person = change.person
    if person is not None and person.id == user.id and change.role != user.role:
        return False  # nobody changes his own role
    if person is not None and person.role == change.role:
        return True  # no role is given or taken
    if _office_account(change.role) or (person is not None and _office_account(person.role)):
        return user.role == Role.ADMIN  # only the admin grants or removes HR and admin
    return user.role in OFFICE_ROLES


def _reset_password(user: User, target: User) -> bool:
    # One's own password is changed with the current one, never reset.
    return target.id != user.id and user.role in OFFICE_ROLES and _edit_user(user, target)


def _answer_attempt(user: User, attempt: Any) -> bool:
    # The person answers his own attempts, except a live check his station head runs: its
    # turns are recorded on the head's phone and only he closes it (trainer/station).
    return attempt.user_id == user.id and not (attempt.presented or {}).get("examiner_id")


_RULES: dict[Permission, Callable[[User, Any], bool]] = {
    Permission.CREATE_USER: lambda user, _: user.role in OFFICE_ROLES,
    Permission.EDIT_USER: _edit_user,
    Permission.GRANT_ROLE: _grant_role,
    Permission.RESET_PASSWORD: _reset_password,
    Permission.ANSWER_ATTEMPT: _answer_attempt,
}


def can(user: User | None, permission: Permission | str, obj: Any = None) -> bool:
    """Whether `user` may do `permission` (to `obj`, where the permission names one).
    Anonymous and inactive users may do nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return bool(_RULES[Permission(permission)](user, obj))


def require(user: User | None, permission: Permission | str, obj: Any = None,
            message: str = "没有权限执行此操作") -> None:
    """Raise NotAllowed unless `can(user, permission, obj)`: services call it before they
    change anything."""
    if not can(user, permission, obj):
        raise NotAllowed(message, code=f"forbidden:{Permission(permission)}")


def can_edit_user(viewer: User, target: User) -> bool:
    return can(viewer, Permission.EDIT_USER, target)
