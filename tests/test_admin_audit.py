"""Issue 17: the admin's audit-log page: search, filters by person and object, paging, CSV
export (UTF-8 with BOM, formula-safe); nobody else may open it."""

from __future__ import annotations

import csv
import io

from trainer.audit import log_change
from trainer.extensions import db
from trainer.models import User


def _entries(app, world):
    with app.app_context():
        hr = db.session.get(User, world.id("hr"))
        head = db.session.get(User, world.id("head_a"))
        log_change(hr, "user.update", "user", world.id("staff_a"),
                   before={"name": "张一", "post": "加气员"}, after={"name": "张一一"},
                   reason="改名")
        log_change(head, "practical.recorded", "practical_check", 7,
                   after={"score": 90}, reason="=HYPERLINK(\"http://x\")")
        db.session.commit()


def test_the_admin_searches_and_filters_the_log(app, world, login_as):
    _entries(app, world)
    admin = login_as("admin")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "修改人员资料" in page and "姓名: 张一" in page and "岗位: 加气员" in page
    assert "改名" in page
    assert "人事甲" in page and "甲站长" in page
    by_person = admin.get(f"/admin/audit?actor={world.id('head_a')}").get_data(as_text=True)
    assert "记录现场考核" in by_person and "修改人员资料" not in by_person
    by_object = admin.get(f"/admin/audit?entity_type=user&entity_id={world.id('staff_a')}")
    assert "改名" in by_object.get_data(as_text=True)
    assert "记录现场考核" not in by_object.get_data(as_text=True)
    # Words inside the before/after values (stored as JSON), in the action's label, a name.
    for needle, expected in (("张一一", "改名"), ("现场考核", "HYPERLINK"), ("甲站长", "HYPERLINK")):
        found = admin.get(f"/admin/audit?q={needle}").get_data(as_text=True)
        assert expected in found, needle
    assert "没有符合条件" in admin.get("/admin/audit?q=不存在的词").get_data(as_text=True)
    for rubbish in ("actor=abc", "from=2026-13-45", "page=-3", "q=%25_"):
        assert admin.get(f"/admin/audit?{rubbish}").status_code == 200, rubbish


def test_the_log_pages(app, world, login_as, monkeypatch):
    monkeypatch.setattr("trainer.paging.PER_PAGE", 1)
    _entries(app, world)
    page = login_as("admin").get("/admin/audit").get_data(as_text=True)
    assert "下一页" in page and "第 1 / " in page


def test_the_csv_export_is_excel_ready_and_formula_safe(app, world, login_as):
    _entries(app, world)
    response = login_as("admin").get(f"/admin/audit.csv?actor={world.id('head_a')}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["时间", "工号", "姓名", "操作"]
    assert len(rows) == 2 and rows[1][1] == "A100"
    assert rows[1][-1].startswith("'=HYPERLINK")


def test_only_the_admin_sees_the_log(app, world, login_as):
    for key in ("hr", "head_a", "staff_a"):
        browser = login_as(key)
        assert browser.get("/admin/audit").status_code == 403, key
        assert browser.get("/admin/audit.csv").status_code == 403, key
    assert app.test_client().get("/admin/audit").status_code == 302
