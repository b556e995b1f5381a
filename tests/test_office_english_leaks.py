"""Issue 17: no English leaks into the UI: codes shown instead of labels ("状态 active") and
WTForms / Flask-WTF messages in English ("Not a valid choice.")."""

from __future__ import annotations

import html as htmlmod
import re

import pytest

from tests.evaluation_helpers import compute, full_month

# Stored codes and library messages that must never reach a page's text.
LEAKS = re.compile(
    r"Not a valid|not a valid choice|This field is required|CSRF token|Invalid Choice|"
    r"Field must be|Invalid input|\bNone\b|\bTrue\b|\bFalse\b|"
    r"\b(active|draft|pending|scored|appealed|published|acknowledged|resolved|final|revoked|"
    r"suspended|expired|attendant|clerk|hotline|technician|in_progress)\b")


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return htmlmod.unescape(page)


def leaks(page: str) -> list[str]:
    text = visible_text(page)
    return sorted({m.group(0) for m in LEAKS.finditer(text)})


def menu_links(page: str) -> list[str]:
    nav = page.split("data-nav-links>", 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.parametrize("key", ["head_a", "hr", "admin", "staff_a"])
def test_no_english_on_any_menu_page(app, world, login_as, key):
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"))
    browser = login_as(key)
    home = browser.get("/", follow_redirects=True).get_data(as_text=True)
    found = {}
    for url in ["/", *menu_links(home)]:
        response = browser.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        bad = leaks(response.get_data(as_text=True))
        if bad:
            found[url] = bad
    assert found == {}


def test_form_messages_are_chinese(app, world, login_as):
    hr = login_as("hr")
    # A select given a value that is not one of its options, and a form without its token.
    page = hr.post("/staff/new", {"employee_no": "Z1", "name": "某人", "role": "nonsense",
                                  "station_id": "999", "post": "x"}).get_data(as_text=True)
    assert "请从列表中选择" in page and leaks(page) == []
    page = hr.client.post("/staff/new", data={"employee_no": "Z1", "name": "某人"}).get_data(
        as_text=True)
    assert leaks(page) == []


def test_the_export_page_names_the_status_in_chinese(app, world, login_as):
    hr = login_as("hr")
    response = hr.post("/certificates/exports", {"status": "active", "post": "attendant",
                                                 "format": "zip"})
    assert response.status_code == 302
    page = hr.get(response.headers["Location"]).get_data(as_text=True)
    assert "状态 有效" in page and "岗位 加气员" in page
    assert leaks(page) == []


def test_no_english_on_detail_pages(app, world, login_as):
    from tests.evaluation_helpers import evaluation_of

    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"))
        evaluation_id = evaluation_of(world.id("staff_a")).id
    staff = world.id("staff_a")
    pages = {
        "hr": ["/evaluations/all", f"/evaluations/{evaluation_id}", f"/staff/{staff}",
               f"/evaluations/people/{staff}", "/certificates?status=active"],
        "head_a": [f"/station/staff/{staff}", f"/station/staff/{staff}/grooming",
                   f"/evaluations/{evaluation_id}"],
        "admin": ["/admin/content", "/admin/content/fueling", "/admin/stations", "/admin/audit",
                  "/admin/content/items/sl-greet", "/admin/content/items/sl-greet/edit",
                  "/admin/content/items/im-card-uniform"],
    }
    found = {}
    for key, urls in pages.items():
        browser = login_as(key)
        for url in urls:
            response = browser.get(url)
            assert response.status_code == 200, (key, url)
            if bad := leaks(response.get_data(as_text=True)):
                found[(key, url)] = bad
    assert found == {}
