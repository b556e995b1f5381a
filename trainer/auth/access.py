"""Who may do what, decided in one place.

`can(user, permission, obj=None)` answers every question of the kind "may this person do
this (to this thing)": routes declare it (`@requires(Permission.X)`, or a role set below for
whole pages), services ask it before they change anything (`require`), and templates build
menus and buttons from it (`can` and `may_open` are template globals). Nothing else in the
code compares roles or re-spells "the head of the same station, not himself".

A permission is a role rule (which roles may ever hold it: what a route declares and what a
menu shows) and, for permissions about a thing, an object rule. `can(user, P)` without an
object asks the role rule only ("may he manage windows at all?"); services always pass the
object.

Each view carries its declared rule as an attribute (`view.access_rule`), so a test walks
the URL map and checks that every route has one. Scoping queries (what lists show) live here
too: staff see only themselves, a station head only his station, HR and admin everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select, true

from trainer.extensions import db
from trainer.models import Role, Station, User
from trainer.refusals import NotAllowed

ALL_ROLES = frozenset({Role.STAFF, Role.HEAD, Role.HR, Role.ADMIN})
OFFICE_ROLES = frozenset({Role.HR, Role.ADMIN})
TRAINEE_ROLES = frozenset({Role.STAFF, Role.HEAD})   # who trains (heads hold a post too)
MANAGER_ROLES = frozenset({Role.HEAD, *OFFICE_ROLES})
HEAD = frozenset({Role.HEAD})
HR = frozenset({Role.HR})
ADMIN = frozenset({Role.ADMIN})


# --- the object rules, each spelled once --------------------------------------------------------


def sees_all_stations(user: User) -> bool:
    return user.role in OFFICE_ROLES


def heads_station(user: User, station_id: int | None) -> bool:
    """The user is the head of this station."""
    return (user.role == Role.HEAD and user.station_id is not None
            and user.station_id == station_id)


def heads(user: User, person: User) -> bool:
    """The user is the head of the person's station, and not the person himself."""
    return user.id != person.id and heads_station(user, person.station_id)


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


def _sees_person(user: User, person: User) -> bool:
    return (user.id == person.id or sees_all_stations(user)
            or heads_station(user, person.station_id))


def _sees_record(user: User, record: Any) -> bool:
    return sees_record_of(user, record.user_id, record.station_id)


def _edit_user(user: User, target: User) -> bool:
    # HR and admin accounts are the admin's alone (HR edits only himself of them); a head
    # edits his own station's staff.
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.HR:
        return target.role not in OFFICE_ROLES or target.id == user.id
    return target.role == Role.STAFF and heads_station(user, target.station_id)


@dataclass(frozen=True)
class RoleChange:
    """Giving `role` to `person` (None: a person being created)."""

    person: User | None
    role: str


def _grant_role(user: User, change: RoleChange) -> bool:
    person = change.person
    if person is not None and person.id == user.id and change.role != user.role:
        return False  # nobody changes his own role
    if person is not None and person.role == change.role:
        return True  # no role is given or taken
    if change.role in OFFICE_ROLES or (person is not None and person.role in OFFICE_ROLES):
        return user.role == Role.ADMIN  # only the admin grants or removes HR and admin
    return user.role in OFFICE_ROLES


def _reset_password(user: User, target: User) -> bool:
    # One's own password is changed with the current one, never reset.
    return target.id != user.id and _edit_user(user, target)


def _answer_attempt(user: User, attempt: Any) -> bool:
    # The person answers his own attempts, except a live check his station head runs: its
    # turns are recorded on the head's phone and only he closes it (trainer/station).
    return attempt.user_id == user.id and not (attempt.presented or {}).get("examiner_id")


def _review_attempt(user: User, attempt: Any) -> bool:
    # A head decides the attempts of his station or of his staff, never his own.
    return (user.role == Role.HEAD and attempt.user_id != user.id
            and sees_record_of(user, attempt.user_id, attempt.station_id))


def _certificate_of_station(user: User, certificate: Any) -> bool:
    return sees_all_stations(user) or heads_station(user, certificate.station_id)


def _lift_suspension(user: User, certificate: Any) -> bool:
    # Who may lift depends on who imposed the suspension: one a head imposed, that station's
    # head or HR; one HR, the admin or a rule imposed, HR only.
    from trainer.certificates.suspensions import suspended_by

    if user.role == Role.HR:
        return True
    return suspended_by(certificate) == Role.HEAD and heads_station(user, certificate.station_id)


def _manage_window(user: User, window: Any) -> bool:
    # A head manages his station's windows that heads set, never an HR-managed one (he sits
    # his own assessments in those).
    return sees_all_stations(user) or (
        window.station_id is not None and heads_station(user, window.station_id)
        and not getattr(window, "hr_managed", False))


def _view_evaluation(user: User, evaluation: Any) -> bool:
    # The person sees his own once published (a draft is still the head's to review).
    from trainer.evaluations import lifecycle

    if sees_all_stations(user):
        return True
    if user.id == evaluation.user_id:
        return evaluation.status != lifecycle.DRAFT
    return heads_station(user, evaluation.station_id)


def _review_evaluation(user: User, evaluation: Any) -> bool:
    # The head of the evaluation's station, never for himself; HR for a head's evaluation.
    if user.id == evaluation.user_id:
        return False
    if user.role == Role.HEAD:
        return heads_station(user, evaluation.station_id)
    person = db.session.get(User, evaluation.user_id)
    return person is not None and person.role == Role.HEAD


def _view_service_record(user: User, record: Any) -> bool:
    return (sees_all_stations(user) or user.id == record.user_id
            or heads_station(user, record.station_id))


def _decide_service_record(user: User, record: Any) -> bool:
    # HR, or the head of the record's station (not about himself).
    if user.role == Role.HR:
        return True
    return user.id != record.user_id and heads_station(user, record.station_id)


def _manage_retraining(user: User, retraining: Any) -> bool:
    if user.role == Role.HR:
        return True
    person = db.session.get(User, retraining.user_id)
    return person is not None and heads(user, person)


# --- permissions ----------------------------------------------------------------------------------


class Permission(StrEnum):
    """What a person may do, named once. The comment names the object `can` expects."""

    # people and stations
    VIEW_PERSON = "view_person"                  # a user
    CREATE_USER = "create_user"
    EDIT_USER = "edit_user"                      # the person edited
    EDIT_ACCOUNT = "edit_account"                # employee number, station, role (not a head's)
    GRANT_ROLE = "grant_role"                    # RoleChange(person or None, new role)
    RESET_PASSWORD = "reset_password"            # the person
    IMPORT_STAFF = "import_staff"
    MANAGE_STATIONS = "manage_stations"
    SEE_ALL_STATIONS = "see_all_stations"
    MANAGE_CONTENT = "manage_content"
    # training
    TRAIN = "train"
    ANSWER_ATTEMPT = "answer_attempt"            # an attempt (answer, retry, finish, review)
    VIEW_RECORD = "view_record"                  # anything with user_id and station_id
    REVIEW_ATTEMPT = "review_attempt"            # an attempt
    EXAMINE = "examine"                          # the person examined (practical checks)
    MANAGE_WINDOW = "manage_window"              # an assessment window
    GRANT_SPEAKING_EXEMPTION = "grant_speaking_exemption"  # the person who cannot speak
    # certificates
    CERTIFY = "certify"                          # the person certified
    CHANGE_CERTIFICATE = "change_certificate"    # a certificate (suspend, revoke)
    LIFT_SUSPENSION = "lift_suspension"          # a certificate
    RENEW_CERTIFICATE = "renew_certificate"      # a certificate (re-issue, renew)
    EXPORT_CERTIFICATES = "export_certificates"
    # evaluations
    VIEW_EVALUATION = "view_evaluation"          # an evaluation
    REVIEW_EVALUATION = "review_evaluation"      # an evaluation (adjust, publish)
    COMPUTE_EVALUATIONS = "compute_evaluations"
    FINALIZE_EVALUATION = "finalize_evaluation"  # an evaluation
    RESOLVE_APPEAL = "resolve_appeal"            # an evaluation
    DECIDE_WITHOUT_DATA = "decide_without_data"  # an evaluation without assessment data
    SETTLE_PERIOD_EARLY = "settle_period_early"
    CORRECT_EVALUATION = "correct_evaluation"    # an evaluation
    EXPORT_PAYROLL = "export_payroll"
    EDIT_POLICY = "edit_policy"
    ENTER_SERVICE_RECORD = "enter_service_record"  # the person it is about
    VIEW_SERVICE_RECORD = "view_service_record"    # a service record
    DECIDE_SERVICE_RECORD = "decide_service_record"  # a service record
    OVERRULE_SERVICE_RECORD = "overrule_service_record"  # a confirmed service record
    MANAGE_RETRAINING = "manage_retraining"      # a retraining


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    check: Callable[[User, Any], bool] | None = None


RULES: dict[Permission, Rule] = {
    Permission.VIEW_PERSON: Rule(ALL_ROLES, _sees_person),
    Permission.CREATE_USER: Rule(OFFICE_ROLES),
    Permission.EDIT_USER: Rule(MANAGER_ROLES, _edit_user),
    Permission.EDIT_ACCOUNT: Rule(OFFICE_ROLES, _edit_user),
    Permission.GRANT_ROLE: Rule(OFFICE_ROLES, _grant_role),
    Permission.RESET_PASSWORD: Rule(OFFICE_ROLES, _reset_password),
    Permission.IMPORT_STAFF: Rule(OFFICE_ROLES),
    Permission.MANAGE_STATIONS: Rule(OFFICE_ROLES),
    Permission.SEE_ALL_STATIONS: Rule(OFFICE_ROLES),
    Permission.MANAGE_CONTENT: Rule(ADMIN),
    Permission.TRAIN: Rule(TRAINEE_ROLES),
    Permission.ANSWER_ATTEMPT: Rule(TRAINEE_ROLES, _answer_attempt),
    Permission.VIEW_RECORD: Rule(ALL_ROLES, _sees_record),
    Permission.REVIEW_ATTEMPT: Rule(HEAD, _review_attempt),
    Permission.EXAMINE: Rule(HEAD, heads),
    Permission.MANAGE_WINDOW: Rule(MANAGER_ROLES, _manage_window),
    Permission.GRANT_SPEAKING_EXEMPTION: Rule(
        MANAGER_ROLES, lambda u, p: u.id != p.id and (sees_all_stations(u) or heads(u, p))),
    Permission.CERTIFY: Rule(HEAD, heads),
    Permission.CHANGE_CERTIFICATE: Rule(MANAGER_ROLES, _certificate_of_station),
    Permission.LIFT_SUSPENSION: Rule(frozenset({Role.HEAD, Role.HR}), _lift_suspension),
    Permission.RENEW_CERTIFICATE: Rule(HEAD, lambda u, c: heads_station(u, c.station_id)),
    Permission.EXPORT_CERTIFICATES: Rule(OFFICE_ROLES),
    Permission.VIEW_EVALUATION: Rule(ALL_ROLES, _view_evaluation),
    Permission.REVIEW_EVALUATION: Rule(frozenset({Role.HEAD, Role.HR}), _review_evaluation),
    Permission.COMPUTE_EVALUATIONS: Rule(HR),
    Permission.FINALIZE_EVALUATION: Rule(HR),
    Permission.RESOLVE_APPEAL: Rule(HR),
    Permission.DECIDE_WITHOUT_DATA: Rule(HR),
    Permission.SETTLE_PERIOD_EARLY: Rule(HR),
    Permission.CORRECT_EVALUATION: Rule(HR),
    Permission.EXPORT_PAYROLL: Rule(HR),
    Permission.EDIT_POLICY: Rule(HR),
    Permission.ENTER_SERVICE_RECORD: Rule(HEAD, heads),
    Permission.VIEW_SERVICE_RECORD: Rule(ALL_ROLES, _view_service_record),
    Permission.DECIDE_SERVICE_RECORD: Rule(frozenset({Role.HEAD, Role.HR}),
                                           _decide_service_record),
    Permission.OVERRULE_SERVICE_RECORD: Rule(HR),
    Permission.MANAGE_RETRAINING: Rule(frozenset({Role.HEAD, Role.HR}), _manage_retraining),
}


def can(user: User | None, permission: Permission | str, obj: Any = None) -> bool:
    """Whether `user` may do `permission` (to `obj`; without one: whether his role ever may).
    Anonymous and inactive users may do nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    rule = RULES[Permission(permission)]
    if user.role not in rule.roles:
        return False
    return obj is None or rule.check is None or bool(rule.check(user, obj))


def require(user: User | None, permission: Permission | str, obj: Any = None,
            message: str = "没有权限执行此操作") -> None:
    """Raise NotAllowed unless `can(user, permission, obj)`: services call it before they
    change anything."""
    if not can(user, permission, obj):
        raise NotAllowed(message, code=f"forbidden:{Permission(permission)}")


# --- what routes declare ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[str]
    public: bool = False

    def allows(self, role: str | None) -> bool:
        return self.public or (role is not None and role in self.roles)


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


def requires(permission: Permission) -> Callable[[Callable], Callable]:
    """A view for the roles that may hold the permission (the object rule is the view's or
    its service's to ask, once it has the object)."""
    decorate = roles_required(*RULES[permission].roles)

    def declare(view: Callable) -> Callable:
        wrapped = decorate(view)
        wrapped.permission = permission
        return wrapped

    return declare


login_required = roles_required(*ALL_ROLES)
# Whole pages, named by whom they are for.
trainees = roles_required(*TRAINEE_ROLES)
managers = roles_required(*MANAGER_ROLES)   # a head (his station), HR and admin
office = roles_required(*OFFICE_ROLES)
head_only = roles_required(*HEAD)
hr_only = roles_required(*HR)
admin_only = roles_required(*ADMIN)


def may_open(endpoint: str, user: User | None = None) -> bool:
    """Whether the route's declared rule lets the user in (menus show only such links)."""
    user = user if user is not None else current_user
    view = current_app.view_functions.get(endpoint)
    rule = getattr(view, "access_rule", None)
    if rule is None:
        return False
    if rule.public:
        return True
    return bool(getattr(user, "is_authenticated", False)) and rule.allows(user.role)


def register_template_helpers(app) -> None:
    """`can(P.X, obj)`, `may_open('area.view')` and `P` in every template."""

    def template_can(permission: Permission | str, obj: Any = None) -> bool:
        return can(current_user, permission, obj)

    app.jinja_env.globals.update(can=template_can, may_open=may_open, P=Permission)


# --- scoping -------------------------------------------------------------------------------


def visible_users(viewer: User) -> Select:
    """A query of the people the viewer may see (the VIEW_PERSON rule as a query)."""
    query = select(User)
    if sees_all_stations(viewer):
        return query
    if viewer.role == Role.HEAD:
        return query.where(User.station_id == viewer.station_id)
    return query.where(User.id == viewer.id)


def record_scope(viewer: User, station_column: Any, owner_column: Any) -> Any:
    """A WHERE clause for records (certificates, attempts, evaluations) the viewer sees in
    lists: all for HR and admin, his station's for a head, his own for anybody else."""
    if sees_all_stations(viewer):
        return true()
    if viewer.role == Role.HEAD and viewer.station_id is not None:
        return station_column == viewer.station_id
    return owner_column == viewer.id


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
