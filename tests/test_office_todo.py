"""Issue 17: the 待办 home of heads and HR, the evaluations list across stations, the
uncertified-staff filter; every count and row scoped to what the viewer may see."""

from __future__ import annotations

import re

from sqlalchemy import update

from tests.evaluation_helpers import compute, evaluation_of, full_month
from trainer.evaluations import lifecycle
from trainer.extensions import db
from trainer.models import Evaluation


def todo_counts(html: str) -> dict[str, int]:
    section = html.split('id="todo"', 1)[1].split("</section>", 1)[0]
    return {label.strip(): int(count) for count, label in
            re.findall(r"<strong>(\d+)</strong>\s*([^<]+)</a>", section)}


def test_hr_home_lists_what_to_act_on_with_counts_and_links(app, world, login_as):
    with app.app_context():
        for key in ("staff_a", "staff_b"):
            full_month(world.id(key), world.id("head_a"), cleared=False)
        compute(world.id("hr"))
        appealed = evaluation_of(world.id("staff_b"))
        db.session.execute(update(Evaluation).where(Evaluation.id == appealed.id)
                           .values(status=lifecycle.APPEALED, appeal_reason="分数不对"))
        db.session.commit()
    html = login_as("hr").get("/hr").get_data(as_text=True)
    counts = todo_counts(html)
    assert counts["申诉待处理"] == 1
    # HR reviews the heads' own drafts; the heads review their staff's.
    assert counts["考核草稿待审核"] == 2
    mine = login_as("hr").get("/evaluations/all?status=draft&review=1").get_data(as_text=True)
    assert "甲站长" in mine and "乙站长" in mine and "张一" not in mine
    assert counts["证书 30 天内到期"] == 0
    # 张一, 张二, 张营业 at A and 李一 at B hold no certificate.
    assert counts["尚未取得上岗证的员工"] == 4
    assert 'href="/evaluations/all?status=appealed"' in html
    listed = login_as("hr").get("/evaluations/all?status=appealed").get_data(as_text=True)
    assert "李一" in listed and "张一" not in listed


def test_a_heads_todo_counts_only_his_station(app, world, login_as):
    with app.app_context():
        for key in ("staff_a", "staff_b"):
            full_month(world.id(key), world.id("head_a"), cleared=False)
        compute(world.id("hr"))
    html = login_as("head_a").get("/station").get_data(as_text=True)
    counts = todo_counts(html)
    assert "申诉待处理" not in counts                   # HR decides appeals
    assert counts["考核草稿待审核"] == 3                # 张一, 张二, 张营业; not his own
    assert counts["尚未取得上岗证的员工"] == 3          # 张一, 张二, 张营业; not 李一 of B
    page = login_as("head_a").get("/staff?uncertified=1&active=1").get_data(as_text=True)
    assert "张一" in page and "李一" not in page
    drafts = login_as("head_a").get("/evaluations/all?status=draft").get_data(as_text=True)
    assert "张一" in drafts and "李一" not in drafts


def test_the_evaluations_list_filters_by_station_grade_and_pages(app, world, login_as):
    with app.app_context():
        for key in ("staff_a", "staff_a2", "staff_b"):
            full_month(world.id(key), world.id("head_a"))
        compute(world.id("hr"))
        grade = evaluation_of(world.id("staff_a")).grade
    hr = login_as("hr")
    only_b = hr.get(f"/evaluations/all?station={world.station_b}").get_data(as_text=True)
    assert "李一" in only_b and "张一" not in only_b
    by_grade = hr.get(f"/evaluations/all?grade={grade}").get_data(as_text=True)
    assert "张一" in by_grade
    assert "没有符合条件" in hr.get("/evaluations/all?grade=不存在").get_data(as_text=True)
    # Rubbish paging or filters are a page, never a 500.
    for query in ("page=abc", "page=99999999999", "station=x", "status=zzz", "page=-1"):
        assert hr.get(f"/evaluations/all?{query}").status_code == 200, query
    # A trainee has no such list.
    assert login_as("staff_a").get("/evaluations/all").status_code == 403


def test_the_evaluations_list_pages(app, world, login_as, monkeypatch):
    monkeypatch.setattr("trainer.paging.PER_PAGE", 2)
    with app.app_context():
        for key in ("staff_a", "staff_a2", "staff_b"):
            full_month(world.id(key), world.id("head_a"))
        compute(world.id("hr"))
    hr = login_as("hr")
    first = hr.get("/evaluations/all").get_data(as_text=True)
    pages = int(re.search(r"第 1 / (\d+) 页", first).group(1))
    assert pages >= 2 and "下一页" in first and first.count("<tr>") == 1 + 2
    last = hr.get(f"/evaluations/all?page={pages}").get_data(as_text=True)
    assert f"第 {pages} / {pages} 页" in last and "上一页" in last and "下一页" not in last


def test_the_certificate_list_has_employee_numbers_search_and_marks_expiring(app, world,
                                                                             login_as):
    from datetime import timedelta

    from tests.station_helpers import (
        certificate_of,
        certify_via_page,
        make_eligible,
        shift_certificate,
    )
    from trainer.timeutil import today

    for key in ("staff_a", "staff_a2"):
        make_eligible(app, world, key)
        certify_via_page(login_as("head_a"), world.id(key))
    soon = certificate_of(app, world.id("staff_a"))
    later = certificate_of(app, world.id("staff_a2"))
    shift_certificate(app, soon.id, issued=today() - timedelta(days=700),
                      expires=today() + timedelta(days=10))
    hr = login_as("hr")
    page = hr.get("/certificates").get_data(as_text=True)
    assert '<td data-label="工号">A001</td>' in page
    row = page.split(soon.number)[1].split("</tr>")[0]
    assert "即将到期" in row
    assert "即将到期" not in page.split(later.number)[1].split("</tr>")[0]
    for needle in ("A002", "张二", later.number[-6:]):
        found = hr.get(f"/certificates?q={needle}").get_data(as_text=True)
        assert later.number in found and soon.number not in found, needle
    assert "没有符合条件的证书" in hr.get("/certificates?q=%25").get_data(as_text=True)
