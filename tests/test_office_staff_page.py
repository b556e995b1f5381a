"""Issue 17: the head's staff page says each missing requirement once; the grooming check
starts from 全部符合 and the head marks the exceptions."""

from __future__ import annotations

import re

from trainer.extensions import db
from trainer.library import get_library
from trainer.models import User
from trainer.progress import certification_requirements


def test_each_missing_requirement_is_listed_once(app, world, login_as):
    page = login_as("head_a").get(f"/station/staff/{world.id('staff_a')}").get_data(as_text=True)
    with app.app_context():
        person = db.session.get(User, world.id("staff_a"))
        unmet = [r for r in certification_requirements(person, get_library()) if not r.met]
    assert unmet
    for requirement in unmet:
        assert page.count(requirement.label) == 1, requirement.label
    assert f"上面标 ✗ 的 {len(unmet)} 项未满足" in page


def test_grooming_all_met_then_the_exceptions(app, world, login_as):
    head = login_as("head_a")
    url = f"/station/staff/{world.id('staff_a')}/grooming"
    blank = head.get(url).get_data(as_text=True)
    assert "全部符合" in blank and 'value="1" required checked' not in blank
    page = head.get(url + "?all=1").get_data(as_text=True)
    entries = re.findall(r'name="(entry-[^"]+)" value="1" required( checked)?', page)
    assert entries and all(checked for _, checked in entries)
    # The head marks one ordinary exception and saves: the check is recorded with it.
    answers = {name: "1" for name, _ in entries}
    ordinary = re.findall(r'<li class="st-entry" data-entry>\s*<fieldset>\s*<legend>[^<]*</legend>'
                          r'\s*<div class="st-choice">\s*<label class="st-yes"><input type="radio" '
                          r'name="(entry-[^"]+)"', page)
    answers[ordinary[0]] = "0"
    key = re.search(r'name="submit_key" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="submit_key" value="([^"]+)"', page)
    response = head.post(url, {**answers, "submit_key": key.group(1), "notes": ""})
    assert response.status_code == 302
    detail = head.get(response.headers["Location"]).get_data(as_text=True)
    assert "不符合" in detail


def test_the_review_page_shows_the_phrase_and_diff_the_trainee_saw(app, world, login_as):
    from tests.practice_helpers import answer_text, start_phrase
    from trainer.models import Attempt

    staff = login_as("staff_a")
    attempt_id = start_phrase(staff, "sl-greet")
    seen = answer_text(staff, attempt_id, "你好呀欢迎").get_json()
    assert staff.post(f"/practice/attempts/{attempt_id}/review",
                      {"reason": "识别错了"}).status_code == 302
    page = login_as("head_a").get(f"/station/reviews/{attempt_id}").get_data(as_text=True)
    assert f"标准用语(员工看到的):</span>{seen['expected']}" in page
    assert '<p class="diff">' in page and 'class="d-delete"' in page
    # A passing answer's remarks are not printed as faults.
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        response = attempt.responses[0]
        result = dict(response.result)
        result["reasons"] = ["符合标准用语"]
        response.result, response.verdict = result, "pass"
        db.session.commit()
    page = login_as("head_a").get(f"/station/reviews/{attempt_id}").get_data(as_text=True)
    assert '<ul class="st-reasons ok"><li>符合标准用语</li>' in page
    assert '<ul class="st-missing"><li>符合标准用语' not in page
