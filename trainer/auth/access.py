"""Access rules declared on every route, and the scoping rules behind them.

Each view carries its rule as an attribute (`view.access_rule`), so a test can walk the URL
map and check that every route has one. Scoping: staff see only themselves, a station head
only his station, HR and admin everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select

from trainer.extensions import db
from trainer.models import Role, Station, User


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


def can_edit_user(viewer: User, target: User) -> bool:
    """HR and admin edit anyone (only admin touches admins); a head edits his station's staff."""
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role == Role.HR:
        return target.role != Role.ADMIN
    if viewer.role == Role.HEAD:
        return target.role == Role.STAFF and target.station_id == viewer.station_id
    return False
