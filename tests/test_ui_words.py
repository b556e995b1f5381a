"""The words trainees read: full-width punctuation in Chinese UI text (as the content has it),
no jargon (内容版本, FSRS, 种子), dates that say their year."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from trainer.timeutil import when_text

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# The trainee's pages (the station, evaluation, certificate and admin pages are another part's).
TRAINEE_TEMPLATES = ["training", "practice", "auth", "errors", "windows", "base.html",
                     "_nav.html", "_forms.html"]
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,:;!?]|[,:;!?][\u4e00-\u9fff]")


def trainee_templates() -> list[Path]:
    found = []
    for name in TRAINEE_TEMPLATES:
        path = TEMPLATES / name
        found += sorted(path.glob("*.html")) if path.is_dir() else [path]
    return found


def test_chinese_ui_text_uses_full_width_punctuation():
    bad = [f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:60]}"
           for path in trainee_templates()
           for number, line in enumerate(path.read_text().splitlines(), 1)
           if HALF_WIDTH.search(line)]
    assert not bad, "\n".join(bad)


def test_the_scan_finds_half_width_punctuation():
    assert HALF_WIDTH.search("您好,欢迎") and HALF_WIDTH.search("截止:") and \
        not HALF_WIDTH.search("您好，欢迎 %H:%M")


def test_no_jargon_on_trainee_pages():
    for path in trainee_templates():
        text = path.read_text()
        for word in ("内容版本", "FSRS", "种子"):
            assert word not in text, (path.name, word)


def test_dates_say_their_year_unless_today():
    on = datetime(2026, 12, 7, 10, 0)
    assert when_text(datetime(2025, 12, 25, 9, 15), on) == "2025-12-25 09:15"
    assert when_text(datetime(2026, 2, 5, 5, 59), on) == "2026-02-05 05:59"
    assert when_text(datetime(2026, 12, 7, 9, 15), on) == "今天 09:15"
    assert when_text(None, on) == "—"


def test_trainee_messages_in_code_use_full_width_punctuation():
    """Refusals, flashes and reasons of training and practice (docstrings and comments are
    for developers and not scanned)."""
    import io
    import tokenize

    root = TEMPLATES.parent / "trainer"
    bad = []
    for path in sorted([*root.glob("training/*.py"), *root.glob("practice/*.py")]):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            text = token.string.lstrip("rbuRBUfF")
            if token.type == tokenize.STRING and not text.startswith(('"""', "'''")) \
                    and HALF_WIDTH.search(token.string):
                bad.append(f"{path.name}:{token.start[0]}: {token.string[:50]}")
    assert not bad, "\n".join(bad)
