"""Every page of tests/screens.py in Debian's chromium at 360 x 740 and 1366 x 768: nothing
scrolls sideways at phone size, nothing marked `hidden` is shown, no script error; the
screenshots land in artifacts/screenshots/<role>/<page>-<360|1366>.png (`make screenshots`)."""

from __future__ import annotations

import pytest

from tests.browser_helpers import PHONE, SHOTS, chromium, sign_in
from tests.conftest import PEOPLE
from tests.screens import LOGIN, SCREENS
from tests.walk_helpers import DESKTOP, WIDE_ELEMENTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Elements with the `hidden` attribute that are drawn anyway (a CSS rule overriding it).
SHOWN_HIDDEN = """() => [...document.querySelectorAll('[hidden]')]
  .filter(e => e.getClientRects().length > 0)
  .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 20))"""


def _tab(browser, base: str, role: str):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(f"script: {e}"))
    sign_in(tab, base, PEOPLE[LOGIN[role]][0])
    return tab, errors


def photograph(tab, role: str, name: str) -> list[str]:
    """Shots at both sizes; returns what is wrong with the page at phone size."""
    folder = SHOTS / role
    folder.mkdir(parents=True, exist_ok=True)
    tab.wait_for_load_state()
    tab.evaluate("window.scrollTo(0, 0)")
    problems = []
    if tab.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
        problems.append(f"{name}: wider than 360 px: " + "; ".join(tab.evaluate(WIDE_ELEMENTS)))
    shown = tab.evaluate(SHOWN_HIDDEN)
    if shown:
        problems.append(f"{name}: hidden elements shown: {shown}")
    tab.screenshot(path=str(folder / f"{name}-360.png"), full_page=True)
    tab.set_viewport_size(DESKTOP)
    tab.screenshot(path=str(folder / f"{name}-1366.png"), full_page=True)
    tab.set_viewport_size(PHONE)
    return problems


@pytest.mark.parametrize("role", sorted({s.role for s in SCREENS}))
def test_pages_fit_the_phone_and_hide_what_is_hidden(role, live_server):
    problems: list[str] = []
    with chromium() as browser:
        tab, errors = _tab(browser, live_server, role)
        for screen in (s for s in SCREENS if s.role == role):
            if callable(screen.url):
                screen.url(tab, live_server)
            else:
                tab.goto(live_server + screen.url)
            assert tab.title(), screen.name
            problems += photograph(tab, role, screen.name)
        problems += errors
    assert not problems, problems
