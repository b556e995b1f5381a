"""The access-control matrix, generated from the URL map and each route's declared rule:
for every route and every role, the answer a user of that role gets. A new route without a
rule, or a rule the route does not honour, fails here."""

from __future__ import annotations

import pytest

from tests.conftest import PEOPLE
from trainer.auth.access import AccessRule
from trainer.extensions import db

ROLE_USERS = {"staff": "staff_a", "head": "head_a", "hr": "hr", "admin": "admin"}
# Routes whose anonymous answer is not a login redirect by design.
PUBLIC_STATUSES = {200, 302, 303, 400, 404, 405, 429}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        yield rule, getattr(view, "access_rule", None)


def sample_url(rule, world) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        values[name] = world.id("staff_a") if kind == "IntegerConverter" else "x"
    return rule.build(values, append_unknown=False)[1]


def methods(rule):
    return sorted(m for m in rule.methods if m in {"GET", "POST"})


def test_every_route_has_a_rule(app):
    assert [r.rule for r, access in routes(app) if not isinstance(access, AccessRule)] == []


def test_anonymous_users_are_sent_to_login_everywhere_but_public_routes(app, world):
    client = app.test_client()
    for rule, access in routes(app):
        url = sample_url(rule, world)
        for method in methods(rule):
            response = client.open(url, method=method)
            assert response.status_code != 500, (method, url)
            if access.public:
                assert response.status_code in PUBLIC_STATUSES, (method, url, response.status_code)
            elif method == "GET":
                assert response.status_code == 302, (method, url)
                assert "/login" in response.headers["Location"], (method, url)
            else:
                # Without a session there is no CSRF token either: refused before the view runs.
                assert response.status_code in (302, 400), (method, url, response.status_code)


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_each_role_gets_what_the_rule_says(app, world, login_as, role):
    browser = login_as(ROLE_USERS[role])
    for rule, access in routes(app):
        if rule.endpoint in ("auth.logout", "auth.logout_everywhere"):
            continue
        url = sample_url(rule, world)
        for method in methods(rule):
            response = browser.client.open(url, method=method, data={"csrf_token": browser.csrf})
            code = response.status_code
            assert code != 500, (role, method, url)
            if access.public or access.allows(role):
                assert code != 403, (role, method, url)
            else:
                assert code == 403, (role, method, url, code)


def test_every_post_route_refuses_a_request_without_csrf_token(app, world, login_as):
    browsers = {role: login_as(user) for role, user in ROLE_USERS.items()}
    for rule, access in routes(app):
        if "POST" not in rule.methods:
            continue
        allowed = [r for r in ROLE_USERS if access.public or access.allows(r)]
        browser = browsers[allowed[0]] if allowed else browsers["admin"]
        response = browser.client.post(sample_url(rule, world), data={})
        assert response.status_code in (400, 403), (rule.rule, response.status_code)


def test_people_table_covers_every_role():
    assert {PEOPLE[u][4] for u in ROLE_USERS.values()} == set(ROLE_USERS)


# --- objects: every permission x every role x owner / same station / other station --------------
#
# The policy written out as a table, independently of trainer/auth/access.py: for each
# permission and role, three letters for the object's relation to the acting person -
# his own (or, for windows, one for all stations), a colleague's at his station (station A for
# HR and admin, who have none), another station's. Y may, N may not.

ACTORS = {"staff": "staff_a", "head": "head_a", "hr": "hr", "admin": "admin"}
COLLEAGUE = {"staff": "staff_a2", "head": "staff_a", "hr": "staff_a", "admin": "staff_a"}
OTHER = "staff_b"

PEOPLE_KIND = {
    "view_person":          {"staff": "YNN", "head": "YYN", "hr": "YYY", "admin": "YYY"},
    "edit_user":            {"staff": "NNN", "head": "NYN", "hr": "YYY", "admin": "YYY"},
    "edit_account":         {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "YYY"},
    "reset_password":       {"staff": "NNN", "head": "NNN", "hr": "NYY", "admin": "NYY"},
    "examine":              {"staff": "NNN", "head": "NYN", "hr": "NNN", "admin": "NNN"},
    "certify":              {"staff": "NNN", "head": "NYN", "hr": "NNN", "admin": "NNN"},
    "enter_service_record": {"staff": "NNN", "head": "NYN", "hr": "NNN", "admin": "NNN"},
    "grant_speaking_exemption": {"staff": "NNN", "head": "NYN", "hr": "NYY", "admin": "NYY"},
}
RECORD_KIND = {
    "view_record":             {"staff": "YNN", "head": "YYN", "hr": "YYY", "admin": "YYY"},
    "answer_attempt":          {"staff": "YNN", "head": "YNN", "hr": "NNN", "admin": "NNN"},
    "review_attempt":          {"staff": "NNN", "head": "NYN", "hr": "NNN", "admin": "NNN"},
    "view_service_record":     {"staff": "YNN", "head": "YYN", "hr": "YYY", "admin": "YYY"},
    "decide_service_record":   {"staff": "NNN", "head": "NYN", "hr": "YYY", "admin": "NNN"},
    "overrule_service_record": {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "NNN"},
    "manage_retraining":       {"staff": "NNN", "head": "NYN", "hr": "YYY", "admin": "NNN"},
    "view_evaluation":         {"staff": "YNN", "head": "YYN", "hr": "YYY", "admin": "YYY"},
    "review_evaluation":       {"staff": "NNN", "head": "NYN", "hr": "NNN", "admin": "NNN"},
    "finalize_evaluation":     {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "NNN"},
    "resolve_appeal":          {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "NNN"},
    "correct_evaluation":      {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "NNN"},
    "decide_without_data":     {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "NNN"},
    "change_certificate":      {"staff": "NNN", "head": "YYN", "hr": "YYY", "admin": "YYY"},
    # (suspended by HR, the stricter case; one a head imposed: see the next test)
    "lift_suspension":         {"staff": "NNN", "head": "NNN", "hr": "YYY", "admin": "NNN"},
    "renew_certificate":       {"staff": "NNN", "head": "YYN", "hr": "NNN", "admin": "NNN"},
}
WINDOW_KIND = {  # own relation: a window for every station
    "manage_window": {"staff": "NNN", "head": "NYN", "hr": "YYY", "admin": "YYY"},
}
NO_OBJECT = {  # roles that hold it
    "create_user": {"hr", "admin"}, "grant_role": {"hr", "admin"}, "import_staff": {"hr", "admin"},
    "manage_stations": {"hr", "admin"}, "see_all_stations": {"hr", "admin"},
    "manage_content": {"admin"}, "train": {"staff", "head"},
    "export_certificates": {"hr", "admin"}, "compute_evaluations": {"hr"},
    "export_payroll": {"hr"}, "edit_policy": {"hr"}, "settle_period_early": {"hr"},
}


def _people(app, world):
    from trainer.models import User

    with app.app_context():
        users = {key: db.session.get(User, world.id(key)) for key in PEOPLE}
        for user in users.values():
            db.session.expunge(user)
    return users


def _record(person, **extra):
    from types import SimpleNamespace

    return SimpleNamespace(**{"user_id": person.id, "station_id": person.station_id,
                              "presented": {}, "status": "published", **extra})


def test_the_object_table_covers_every_permission():
    from trainer.auth.access import Permission

    named = {*PEOPLE_KIND, *RECORD_KIND, *WINDOW_KIND, *NO_OBJECT}
    assert named == {p.value for p in Permission}


@pytest.mark.parametrize("role", sorted(ACTORS))
def test_every_permission_for_every_role_and_relation(app, world, role):
    from types import SimpleNamespace

    from trainer.auth.access import can

    users = _people(app, world)
    actor = users[ACTORS[role]]
    related = [actor, users[COLLEAGUE[role]], users[OTHER]]
    wrong = []
    with app.app_context():
        for permission, table in PEOPLE_KIND.items():
            for relation, person in enumerate(related):
                if can(actor, permission, person) != (table[role][relation] == "Y"):
                    wrong.append((permission, role, ["own", "same", "other"][relation]))
        for permission, table in RECORD_KIND.items():
            for relation, person in enumerate(related):
                if can(actor, permission, _record(person)) != (table[role][relation] == "Y"):
                    wrong.append((permission, role, ["own", "same", "other"][relation]))
        windows = [SimpleNamespace(station_id=None), SimpleNamespace(station_id=world.station_a),
                   SimpleNamespace(station_id=world.station_b)]
        for permission, table in WINDOW_KIND.items():
            for relation, window in enumerate(windows):
                if can(actor, permission, window) != (table[role][relation] == "Y"):
                    wrong.append((permission, role, ["all", "same", "other"][relation]))
        for permission, holders in NO_OBJECT.items():
            if can(actor, permission) != (role in holders):
                wrong.append((permission, role, "-"))
    assert wrong == []


def test_the_object_rules_that_depend_on_more_than_the_station(app, world):
    from trainer.auth.access import Permission as P
    from trainer.auth.access import RoleChange, can

    users = _people(app, world)
    staff, head, hr, admin = (users[k] for k in ("staff_a", "head_a", "hr", "admin"))
    with app.app_context():
        # A draft evaluation is the head's to review, not yet the person's to see.
        draft = _record(staff, status="draft")
        assert not can(staff, P.VIEW_EVALUATION, draft) and can(head, P.VIEW_EVALUATION, draft)
        # HR reviews a head's evaluation; nobody his own.
        assert can(hr, P.REVIEW_EVALUATION, _record(head))
        assert not can(head, P.REVIEW_EVALUATION, _record(head))
        # The live check a head runs is not the trainee's to answer.
        check = _record(staff, presented={"spoken_check": True, "examiner_id": head.id})
        assert not can(staff, P.ANSWER_ATTEMPT, check)
        # Only the admin grants or removes HR and admin; nobody changes his own role.
        assert can(hr, P.GRANT_ROLE, RoleChange(staff, "head"))
        assert not can(hr, P.GRANT_ROLE, RoleChange(staff, "hr"))
        assert not can(hr, P.GRANT_ROLE, RoleChange(None, "hr"))
        assert not can(hr, P.GRANT_ROLE, RoleChange(users["hr"], "staff"))
        assert can(admin, P.GRANT_ROLE, RoleChange(staff, "hr"))
        assert can(admin, P.GRANT_ROLE, RoleChange(hr, "staff"))
        assert not can(admin, P.GRANT_ROLE, RoleChange(admin, "hr"))
        assert not can(head, P.GRANT_ROLE, RoleChange(staff, "head"))
        # HR cannot touch the admin's account.
        assert not can(hr, P.EDIT_USER, admin) and not can(hr, P.RESET_PASSWORD, admin)


def test_nobody_anonymous_or_deactivated_may_do_anything(app, world):
    from flask_login import AnonymousUserMixin

    from trainer.auth.access import Permission, can

    users = _people(app, world)
    admin = users["admin"]
    admin.active = False
    with app.app_context():
        for permission in Permission:
            assert not can(AnonymousUserMixin(), permission)
            assert not can(None, permission)
            assert not can(admin, permission)


def test_a_refusal_no_view_handled_answers_with_its_status_and_message(app, tmp_path):
    """The safety net of trainer.core.errors: a Refused escaping a view is its own answer."""
    from flask import Blueprint

    from trainer import create_app
    from trainer.refusals import NotAllowed

    probe_app = create_app(dict(app.config), instance_path=str(tmp_path / "probe"))
    probe = Blueprint("probe", __name__)

    @probe.route("/_probe/refused")
    def refused():
        raise NotAllowed("只有人力资源可以执行此操作")

    probe_app.register_blueprint(probe)
    try:
        page = probe_app.test_client().get("/_probe/refused")
        assert page.status_code == 403 and "只有人力资源可以执行此操作" in page.get_data(as_text=True)
        data = probe_app.test_client().get("/_probe/refused",
                                           headers={"Accept": "application/json"})
        assert data.status_code == 403 and data.get_json()["code"] == "forbidden"
    finally:
        with probe_app.app_context():
            db.engine.dispose()
