"""The practice page in a real browser: Debian's chromium (Playwright) records a real clip
through its fake microphone, uploads it through recorder.js and shows the score the real
recogniser gave; without a microphone, or on plain http from another machine, the page says
why in Chinese and the typed answer works. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.browser_helpers import PHONE, SHOTS, launch
from tests.conftest import PASSWORD
from tests.practice_helpers import EVAL_AUDIO

pytestmark = pytest.mark.browser


class LiveServer:
    def __init__(self, app, host: str = "127.0.0.1") -> None:
        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live(speech_app, world):
    server = LiveServer(speech_app)
    yield server
    server.stop()


def log_in(page, base: str, employee_no: str = "A001") -> None:
    page.goto(f"{base}/login")
    page.fill("#employee_no", employee_no)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/me")


def open_practice(page, base: str, scene: str = "进站迎客") -> None:
    page.goto(f"{base}/practice?q={scene}")        # the list's modules open on a search
    page.locator(".study-item", has_text=scene).locator("button").first.click()
    page.wait_for_selector("[data-recorder]")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.speech
def test_a_recording_made_in_chromium_comes_back_scored(live):
    from playwright.sync_api import expect, sync_playwright

    clip = EVAL_AUDIO / "a-greet-ok.wav"
    with sync_playwright() as p:
        browser = launch(p, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                         f"--use-file-for-fake-audio-capture={clip}%noloop")
        try:
            page = browser.new_page(viewport=PHONE, device_scale_factor=2, locale="zh-CN")
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            log_in(page, live.url)
            page.goto(f"{live.url}/practice")
            shot(page, "practice-list-phone")
            open_practice(page, live.url)
            toggle = page.locator("[data-rec=toggle]")
            toggle.wait_for(state="visible")
            # A locator waits without evaluating strings in the page (its CSP forbids eval).
            expect(page.locator("[data-rec=toggle]")).to_be_enabled(timeout=30_000)
            shot(page, "practice-phrase-phone")
            toggle.click()
            page.wait_for_selector(".recorder.is-recording")
            page.wait_for_timeout(4500)
            shot(page, "practice-recording-phone")
            toggle.click()
            page.wait_for_selector("#result .result-score", timeout=60_000)
            score = int(page.locator("#result .result-score").inner_text().split()[0])
            verdict = page.locator("#result .verdict").inner_text()
            said = page.locator("#result .said").inner_text()
            shot(page, "practice-result-phone")
            assert verdict == "通过" and score >= 60, (verdict, score, said)
            assert "迎" in said
            assert page.locator("#result .diff .d-equal").count() > 0
            assert page.locator("#result audio").get_attribute("src").startswith("/recordings/")
            assert page.locator("#answer-box").is_hidden()
            assert page.locator("#after-box").is_visible()
            # The stored recording plays back from the server (what the <audio> element loads).
            src = page.locator("#result audio").get_attribute("src")
            replay = page.request.get(f"{live.url}{src}")
            assert replay.status == 200 and replay.headers["content-type"].startswith("audio/")
            assert len(replay.body()) > 1000
            page.set_viewport_size({"width": 1280, "height": 900})
            shot(page, "practice-result-desktop")
            assert not errors, errors
        finally:
            browser.close()


def test_without_a_microphone_the_page_says_why_and_typing_works(live):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        # No fake device and no permission: getUserMedia is refused.
        browser = launch(p)
        try:
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN")
            page = context.new_page()
            log_in(page, live.url)
            open_practice(page, live.url)
            # A locator waits without evaluating strings in the page (its CSP forbids eval).
            expect(page.locator("[data-rec=toggle]")).to_be_enabled(timeout=30_000)
            page.locator("[data-rec=toggle]").click()
            message = page.locator("[data-rec=message].is-error")
            message.wait_for(timeout=15_000)
            assert "麦克风" in message.inner_text()
            assert page.locator("[data-rec=typed-box]").get_attribute("open") is not None
            shot(page, "practice-no-microphone-phone")
            page.fill("[data-rec=typed] textarea", "您好,欢迎光临昆仑加气站")
            page.click("[data-rec=typed] button[type=submit]")
            page.wait_for_selector("#result .result-score")
            assert page.locator("#result .verdict").inner_text() == "通过"
            assert page.locator("#result audio").count() == 0
            page.locator("#review-box summary").click()
            shot(page, "practice-typed-result-phone")
            page.fill("#reason", "想请站长听一下")
            page.click("#review-box button[type=submit]")
            page.wait_for_selector(".flash-success")
            assert "已提交复核申请" in page.locator(".flash-success").inner_text()
        finally:
            browser.close()


def test_plain_http_from_another_machine_explains_https(speech_app, world):
    """A phone reaches the server by its LAN address: over plain http the browser keeps the
    microphone shut, and the page says to use the https address."""
    from playwright.sync_api import sync_playwright

    from trainer.tls import lan_addresses

    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no LAN address")
    server = LiveServer(speech_app, host=addresses[0])
    try:
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport=PHONE, locale="zh-CN")
                log_in(page, server.url)
                open_practice(page, server.url)
                message = page.locator("[data-rec=message].is-error")
                message.wait_for()
                assert "https" in message.inner_text()
                assert page.locator("[data-rec=toggle]").is_disabled()
                assert page.locator("[data-rec=typed-box]").get_attribute("open") is not None
                shot(page, "practice-plain-http-phone")
            finally:
                browser.close()
    finally:
        server.stop()
