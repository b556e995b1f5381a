"""Helpers of the browser walk (tests/test_browser_walk.py): Debian's chromium with a fake
microphone playing a real clip, one tab per person, screenshots at phone and PC size."""

from __future__ import annotations

import re
from pathlib import Path

from tests import browser_helpers
from tests.browser_helpers import PHONE, sign_in
from tests.conftest import PASSWORD

SHOTS = browser_helpers.SHOTS / "walk"
# The office PC the walk is also photographed at (a common 1366 x 768 screen).
DESKTOP = {"width": 1366, "height": 768}


def launch(playwright, clip: Path):
    """Chromium whose microphone plays `clip` once (the permission prompt is answered yes)."""
    return browser_helpers.launch(
        playwright, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={clip}%noloop")


class Tab:
    """One person's browser tab at phone size, collecting what goes wrong on its pages:
    script errors, CSP violations and failed requests (apart from the ones expected)."""

    def __init__(self, browser, name: str, expected_statuses: tuple[int, ...] = ()) -> None:
        self.name = name
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                           locale="zh-CN", accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("dialog", lambda dialog: dialog.accept())   # data-confirm questions
        self.page.on("pageerror", lambda e: self.errors.append(f"script: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                     if m.type == "error" and not m.text.startswith("Failed to load resource")
                     else None)
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}")
                     if r.status >= 400 and r.status not in expected_statuses
                     and not r.url.endswith("/favicon.ico") else None)

    def log_in(self, base: str, employee_no: str, password: str = PASSWORD) -> None:
        sign_in(self.page, base, employee_no, password)

    def shot(self, step: str) -> None:
        """The page as it is now, at phone size (360 px) and at PC size (1366 px; then back to the
    phone);
        at phone size nothing may be wider than the screen."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        page = self.page
        # A click may return while the next page is still loading its stylesheet; measured
        # then, an unstyled table is wider than the phone.
        page.wait_for_load_state()
        page.evaluate("window.scrollTo(0, 0)")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
            f"{step}: wider than a 360-px phone: " + "; ".join(page.evaluate(WIDE_ELEMENTS)))
        page.screenshot(path=str(SHOTS / f"{step}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=str(SHOTS / f"{step}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)

    def flash(self) -> str:
        return " ".join(self.page.locator(".flash").all_inner_texts())

    def download(self, click) -> tuple[str, bytes]:
        """(file name, bytes) of the download a click starts."""
        with self.page.expect_download() as info:
            click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()


# The elements reaching past the phone's right edge (for the failure message).
WIDE_ELEMENTS = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > 361)
    .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))
    .slice(0, 6)"""


def one_time_codes(html_text: str) -> dict[str, str]:
    """Employee number -> one-time code from the 一次性验证码 table."""
    rows = re.findall(r'<tr><td>([^<]+)</td><td>[^<]*</td><td><code class="one-time-code">'
                      r"([^<]+)</code></td></tr>", html_text)
    return dict(rows)
