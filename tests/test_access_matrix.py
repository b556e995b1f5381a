"""The access-control matrix, generated from the URL map and each route's declared rule:
for every route and every role, the answer a user of that role gets. A new route without a
rule, or a rule the route does not honour, fails here."""

from __future__ import annotations

import pytest

from tests.conftest import PEOPLE
from trainer.auth.access import AccessRule

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
