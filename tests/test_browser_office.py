"""Issue 17, proof for the station head, HR and admin: a browser walk at phone (360 × 740) and
office (1366 × 768) size over their pages, with screenshots in artifacts/screenshots/office/.

At the office size the page links stand in the top bar (no menu to open) and nothing scrolls
sideways; on the phone they stay in the menu and every page fits the 360-px screen."""

from __future__ import annotations

import pytest

from tests import browser_helpers
from tests.browser_helpers import PHONE, chromium, sign_in
from tests.conftest import PEOPLE
from tests.evaluation_helpers import compute, full_month
from tests.station_helpers import certify_via_page, make_eligible

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = browser_helpers.SHOTS / "office"
DESKTOP = {"width": 1366, "height": 768}
WIDTH = "document.documentElement.scrollWidth"


class Desk:
    """One person's tab; `look` photographs the page at both sizes and checks both."""

    def __init__(self, browser, base: str, key: str) -> None:
        self.key = key
        self.context = browser.new_context(viewport=DESKTOP, locale="zh-CN",
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        sign_in(self.page, base, PEOPLE[key][0])

    def look(self, name: str) -> None:
        page = self.page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size(DESKTOP)
        page.wait_for_load_state()
        assert page.locator(".topnav nav.nav-links a").first.is_visible(), f"{name}: no top nav"
        assert page.evaluate(WIDTH) <= DESKTOP["width"], f"{name}: scrolls sideways at 1366"
        page.screenshot(path=str(SHOTS / f"{self.key}-{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.evaluate("window.scrollTo(0, 0)")
        assert not page.locator(".topnav").is_visible(), f"{name}: top nav on the phone"
        assert page.evaluate(WIDTH) <= PHONE["width"], f"{name}: wider than the phone"
        page.screenshot(path=str(SHOTS / f"{self.key}-{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        assert self.errors == [], self.errors


def test_head_hr_and_admin_at_phone_and_office_size(app, world, live_server, tmp_path):
    make_eligible(app, world, "staff_a")
    with app.app_context():
        full_month(world.id("staff_a2"), world.id("head_a"))
        full_month(world.id("staff_b"), world.id("head_b"))
        compute(world.id("hr"))
    base = live_server
    with chromium() as browser:
        # --- the station head -----------------------------------------------------------
        head = Desk(browser, base, "head_a")
        page = head.page
        assert page.url.endswith("/station")
        assert "待办" in page.inner_text("#todo")
        head.look("01-dashboard")
        # On the phone every column of the matrix is there, one card per person.
        page.set_viewport_size(PHONE)
        first = page.locator("table.st-matrix tbody tr").first
        for column in ("上岗状态", "最近活动", "服务用语", "安全规范"):
            cell = first.locator(f"td[data-label='{column}']")
            assert cell.is_visible() and cell.bounding_box()["x"] < PHONE["width"], column
        page.set_viewport_size(DESKTOP)
        # The office: one click in the bar, no menu to open.
        page.click(".topnav a:has-text('待复核')")
        page.wait_for_url(f"{base}/station/reviews")
        head.look("02-reviews")
        # The phone: the same link through the menu.
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/station")
        page.click(".menu summary")
        page.click("nav a:has-text('人员')")
        page.wait_for_url(f"{base}/staff")
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base}/station/staff/{world.id('staff_a2')}")
        head.look("03-staff")
        page.goto(f"{base}/station/staff/{world.id('staff_a2')}/grooming")
        page.click("[data-all-yes]")
        assert page.locator("input[value='1']:checked").count() == page.locator(
            "[data-entry]").count()
        page.locator("[data-entry]").nth(1).locator("label.st-no").click()
        assert "已检查" in page.inner_text("#checklist-progress")
        head.look("04-grooming")
        certify_via_page_in(page, base, world.id("staff_a"))
        page.goto(f"{base}/evaluations/all?status=draft")
        head.look("05-evaluations")

        # --- HR ---------------------------------------------------------------------------
        hr = Desk(browser, base, "hr")
        page = hr.page
        assert page.url.endswith("/hr")
        assert "尚未取得上岗证的员工" in page.inner_text("#todo")
        hr.look("01-home")
        page.click(".topnav a:has-text('考核结果一览')")
        page.select_option("select[name=station]", str(world.station_b))
        page.click("form.filters button[type=submit]")
        assert "李一" in page.inner_text("#evaluations") and "张二" not in page.inner_text(
            "#evaluations")
        hr.look("02-evaluations")
        page.goto(f"{base}/certificates?q=A001")
        assert "A001" in page.inner_text("main")
        hr.look("03-certificates")
        page.goto(f"{base}/station?station={world.station_a}")
        hr.look("04-station")

        # --- the admin --------------------------------------------------------------------
        admin = Desk(browser, base, "admin")
        page = admin.page
        admin.look("01-home")
        upload = tmp_path / "名单.csv"
        upload.write_text("工号,姓名,手机,站点编码,岗位,角色,入职日期,在职\n"
                          "A001,张一,,HT01,加气员,,,\nA003,张营业,,KL01,营业员,,,否\n"
                          "A070,新人,,KL01,加气员,,,\n", encoding="utf-8")
        page.click(".topnav a:has-text('导入人员')")
        page.set_input_files("input[name=file]", str(upload))
        page.click("button:has-text('上传并预览')")
        summary = page.inner_text("#import-summary")
        assert "新增 1 人" in summary and "变更 1 人" in summary and "停用 1 人" in summary
        assert "海通加气站" in page.inner_text("#import-preview")
        admin.look("02-import-preview")
        page.click("button:has-text('确认导入')")
        page.wait_for_selector("h1:has-text('已导入 3 人')")
        page.click(".topnav a:has-text('审计日志')")
        page.fill("input[name=q]", "张营业")
        page.click("form.filters button[type=submit]")
        assert "在职: 否" in page.inner_text("#audit")
        admin.look("03-audit")
        page.goto(f"{base}/admin/content/items/sl-fault-wait/edit")
        admin.look("04-content-edit")
        page.goto(f"{base}/admin/content/items/sl-greet")
        admin.look("05-content-item")


def certify_via_page_in(page, base: str, user_id: int) -> None:
    page.goto(f"{base}/station/staff/{user_id}")
    page.click("button:has-text('认证上岗并发证')")
    page.wait_for_selector(".flash-success")


assert certify_via_page  # the client-side twin, for tests without a browser
