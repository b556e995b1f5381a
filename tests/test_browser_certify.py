"""A station head on his phone (Debian's chromium through Playwright, 360 px wide): checks a
staff member's grooming item by item, times the fueling drill with the stopwatch, certifies
him, downloads the PDF certificate; the public verify page shows it 有效. Also the dashboard at
PC size. Screenshots go to artifacts/screenshots/certify-*.png."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.browser_helpers import PC, PHONE, SHOTS, fits_the_phone
from tests.browser_helpers import chromium as launched_chromium
from tests.conftest import PASSWORD, PEOPLE
from tests.station_helpers import make_eligible
from tests.training_helpers import pass_all_modules
from trainer.certificates.service import certify
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Certificate, PracticalCheck, User

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium():
    with launched_chromium() as browser:
        yield browser


def new_tab(chromium, viewport, errors):
    context = chromium.new_context(viewport=viewport, device_scale_factor=2, locale="zh-CN",
                                   accept_downloads=True)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())  # 确认认证……?
    # A Content-Security-Policy violation or a script error shows up here; failed loads are
    # recorded by address (the browser's own favicon.ico request is not ours).
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error"
           and not m.text.startswith("Failed to load resource") else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
           and not r.url.endswith("/favicon.ico") else None)
    return tab


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(path=str(SHOTS / f"certify-{name}.png"), full_page=True)


def log_in(tab, live, key):
    tab.goto(f"{live}/login")
    tab.fill("input[name=employee_no]", PEOPLE[key][0])
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_load_state()


def test_a_head_certifies_at_the_pump_and_downloads_the_pdf(app, world, live_server, chromium,
                                                            tmp_path):
    with app.app_context():
        pass_all_modules(world.id("staff_a"), get_library(), world.station_a)
    errors: list[str] = []
    tab = new_tab(chromium, PHONE, errors)
    log_in(tab, live_server, "head_a")
    assert tab.url.endswith("/station")
    shot(tab, "dashboard-phone")
    assert fits_the_phone(tab)

    tab.click("text=张一")
    assert "暂不能认证" in tab.content()
    shot(tab, "staff-before")

    # Grooming: every entry, one tap each; the counter follows.
    tab.click("a:has-text('仪容仪表检查')")
    entries = tab.locator("[data-entry]")
    for index in range(entries.count()):
        entries.nth(index).locator("label.st-yes").click()
    assert f"已检查 {entries.count()}/{entries.count()} 项" in tab.inner_text("#checklist-progress")
    assert fits_the_phone(tab)
    shot(tab, "grooming")
    tab.click("button:has-text('保存检查结果')")
    tab.wait_for_load_state()
    assert "仪容仪表检查已保存:通过" in tab.content()

    # The fueling drill: the big button taps each next step while the clock runs.
    tab.goto(f"{live_server}/station/staff/{world.id('staff_a')}/drill")
    steps = tab.locator("[data-step]").count()
    for _ in range(steps):
        tab.click("#drill-next")
    assert tab.inner_text("#drill-next") == "全部完成"
    first = tab.input_value("input[name=step-stopped]")
    assert first == "0" and tab.input_value("input[name=step-leave]") != ""
    assert "用时" in tab.inner_text(".st-limits")
    assert fits_the_phone(tab)
    shot(tab, "drill")
    tab.click("#drill-save")
    tab.wait_for_load_state()
    assert "加气操作计时已保存:通过" in tab.content()
    with app.app_context():
        assert db.session.query(PracticalCheck).count() == 2

    # Certify, then download the PDF.
    tab.goto(f"{live_server}/station/staff/{world.id('staff_a')}")
    assert "全部要求已满足" in tab.content()
    shot(tab, "staff-ready")
    tab.click("button:has-text('认证上岗并发证')")
    tab.wait_for_load_state()
    assert "已认证 张一 上岗" in tab.content()
    shot(tab, "certificate")
    assert fits_the_phone(tab)
    with app.app_context():
        number, token = db.session.execute(select(Certificate.number,
                                                  Certificate.verify_token)).one()
    with tab.expect_download() as download_info:
        tab.click("a:has-text('下载 PDF 证书')")
    target = tmp_path / "certificate.pdf"
    download_info.value.save_as(target)
    text = PdfReader(target).pages[0].extract_text()
    assert "张一" in text and number in text

    # Anyone can verify it, without logging in.
    public = new_tab(chromium, PHONE, errors)
    public.goto(f"{live_server}/v/{token}")  # the QR code's link
    body = public.inner_text("main")
    assert "有效" in body and "张一" in body and "A001" not in body
    public.goto(f"{live_server}/verify/{number}")  # the printed number alone: masked
    body = public.inner_text("main")
    assert "有效" in body and "张*" in body and "张一" not in body
    shot(public, "verify")
    assert fits_the_phone(public)
    assert errors == []
    mistyped = number[:-1] + str((int(number[-1]) + 1) % 10)  # a wrong check digit
    public.fill("input[name=number]", mistyped.replace("-", " "))
    public.click("button:has-text('查询')")
    assert "未找到" in public.inner_text("main")
    shot(public, "verify-not-found")

    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        from trainer.progress import duty_status

        assert duty_status(user).cleared
    # The not-found page answers 404, which the console reports; nothing else may appear.
    assert [e for e in errors if "404" not in e] == []


def test_hr_exports_with_progress_at_pc_size(app, world, live_server, chromium, tmp_path):
    make_eligible(app, world)
    with app.app_context():
        certify(db.session.get(User, world.id("staff_a")), db.session.get(User, world.id("head_a")))
        db.session.commit()
    errors: list[str] = []
    tab = new_tab(chromium, PC, errors)
    log_in(tab, live_server, "hr")
    tab.goto(f"{live_server}/station?station={world.station_a}")
    assert tab.locator(".st-chart svg").count() >= 1
    shot(tab, "dashboard-pc")
    tab.goto(f"{live_server}/certificates")
    tab.select_option("select[name=format]", "pdf")
    shot(tab, "certificates-pc")
    tab.click("button:has-text('导出符合条件的 1 份证书')")
    tab.wait_for_selector("[data-export-download]:not([hidden])", timeout=30000)
    assert "已完成:1 / 1" in tab.inner_text("[data-export-state]")
    shot(tab, "export-done")
    with tab.expect_download() as download_info:
        tab.click("a:has-text('下载文件')")
    target = tmp_path / "export.pdf"
    download_info.value.save_as(target)
    assert len(PdfReader(target).pages) == 1
    assert errors == []


def test_a_live_spoken_check_typed_on_the_phone_and_the_review_queue(app, world, live_server,
                                                                    chromium):
    from tests.training_helpers import sitting, window
    from trainer.models import AttemptKind, ReviewState

    with app.app_context():
        sitting(world.id("staff_a2"), "phrases", AttemptKind.DIALOGUE, 76, "review",
                window_id=window("phrases", None), review=ReviewState.PENDING)
    errors: list[str] = []
    tab = new_tab(chromium, PHONE, errors)
    log_in(tab, live_server, "head_a")
    tab.goto(f"{live_server}/station/staff/{world.id('staff_a')}/spoken")
    tab.check("input[value=sl-greet]")
    tab.check("input[value=sl-wait]")
    tab.click("button:has-text('开始抽查')")
    tab.wait_for_load_state()
    turns = tab.locator("[data-turn]")
    assert turns.count() == 2
    # No microphone in the test browser: the head types what he heard.
    for index, text in enumerate(["您好！欢迎光临昆仑加气站。", "请稍后，马上给您加气。"]):
        turn = turns.nth(index)
        turn.locator("summary:has-text('改用文字作答')").click()
        turn.locator("textarea[name=text]").fill(text)
        turn.locator("button:has-text('提交文字回答')").click()
        turn.locator("[data-result]:not([hidden])").wait_for()
        assert "通过" in turn.locator("[data-result]").inner_text()
    assert fits_the_phone(tab)
    shot(tab, "spoken")
    tab.click("a:has-text('确认结论并保存')")
    shot(tab, "spoken-finish")
    tab.click("button:has-text('保存抽查结果')")
    tab.wait_for_load_state()
    assert "服务用语现场抽查已保存:通过" in tab.content()
    tab.goto(f"{live_server}/station/reviews")
    tab.click("text=张二")
    assert "保存结论" in tab.content()
    shot(tab, "review")
    assert fits_the_phone(tab)
    assert errors == []
