"""What every browser test shares: Debian's chromium driven by Playwright, the phone and PC
sizes, and where screenshots go (artifacts/screenshots/, kept by CI as an artefact)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Nothing but the app under test: no sandbox (root in CI), no calls home.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
PC = {"width": 1280, "height": 900}


def launch(playwright, *extra: str):
    """Debian's chromium with the common arguments and `extra` ones; skips the test when the
    browser is not installed (`make test` installs it as root)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *extra])


@contextmanager
def chromium(*extra: str) -> Iterator[object]:
    """A launched browser, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, *extra)
        try:
            yield browser
        finally:
            browser.close()


def phone_tab(browser, **options):
    """A new page at phone size that accepts confirmation dialogs (交卷, 撤销 …)."""
    tab = browser.new_page(viewport=PHONE, device_scale_factor=2, locale="zh-CN", **options)
    tab.on("dialog", lambda dialog: dialog.accept())
    return tab


def sign_in(tab, base: str, employee_no: str, password: str | None = None) -> None:
    """Sign in on the login page of `base` and wait for the page it leads to."""
    from tests.conftest import PASSWORD

    tab.goto(f"{base}/login")
    tab.fill("#employee_no", employee_no)
    tab.fill("#password", password or PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_load_state()


def fits_the_phone(tab) -> bool:
    """Nothing wider than the 360-px screen (no sideways scrolling)."""
    return tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
