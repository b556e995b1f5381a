"""The pages photographed by `make screenshots` (tests/test_browser_screens.py): a list of
(role, page name, how to reach it). Each role logs in as one person of the test world; a
page is a URL, or a callable (app, world, base, tab) -> URL that prepares what the page
shows (an attempt, a result) and returns where to go. Other roles add their rows here.

Shots go to artifacts/screenshots/<role>/<page>-<360|1366>.png."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# role -> the test-world person who logs in as it (tests/conftest.py PEOPLE)
LOGIN = {"attendant": "staff_a"}


@dataclass(frozen=True)
class Screen:
    role: str
    name: str
    url: str | Callable


def _started(url: str, start: str) -> Callable:
    """A page reached by pressing the start button of `url` (a quiz, a role-play …)."""
    def go(tab, base: str) -> str:
        tab.goto(base + url)
        tab.locator(start).first.click()
        tab.wait_for_load_state()
        return tab.url
    return go


def _then(first: Callable, button: str) -> Callable:
    """A page reached from `first` by pressing `button` (交卷, 结束对话 …; dialogs are accepted)."""
    def go(tab, base: str) -> str:
        first(tab, base)
        tab.locator(button).first.click()
        tab.wait_for_load_state()
        return tab.url
    return go


def _first_record(tab, base: str) -> str:
    tab.goto(base + "/me/history")
    tab.locator(".history-item a").first.click()
    tab.wait_for_load_state()
    return tab.url


SCREENS: list[Screen] = [
    Screen("attendant", "home", "/me"),
    Screen("attendant", "module", "/me/modules/fueling"),
    Screen("attendant", "cards", "/me/modules/fueling/cards"),
    Screen("attendant", "card", "/me/modules/fueling/cards/12"),
    Screen("attendant", "daily", "/me/daily"),
    Screen("attendant", "daily-session", _started("/me/daily", "form button.primary")),
    Screen("attendant", "quiz", _started("/me/modules/fueling", "form[action$='/quiz'] button")),
    Screen("attendant", "practice", "/practice"),
    Screen("attendant", "practice-phrase", _started("/practice?q=迎客", ".study-item form button")),
    Screen("attendant", "roleplays", "/me/roleplay"),
    Screen("attendant", "roleplay", _started("/me/roleplay", "form[action*='/me/roleplay/'] button")),
    Screen("attendant", "quiz-result", _then(
        _started("/me/modules/fueling", "form[action$='/quiz'] button"), "button:has-text('交卷')")),
    Screen("attendant", "roleplay-result", _then(
        _started("/me/roleplay", "form[action*='/me/roleplay/'] button"),
        "#finish-box button")),
    Screen("attendant", "history", "/me/history"),
    Screen("attendant", "history-record", _first_record),
    Screen("attendant", "certificates", "/certificates/mine"),
    Screen("attendant", "account", "/account"),
]
