"""Issue 17: the first `make run` says what it does (a header per step, pip's progress) and
where to go afterwards; the README names the address and the way back to the demo logins."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_run_prints_each_step_and_no_pip_is_silenced():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert not re.search(r"pip install[^\n]*\s-q\b", makefile)
    plan = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    steps = re.findall(r"==> %s.*?\"(\d)/6 ([^\"]+)\"", plan)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5", "6"], plan
    assert "http://${TRAINER_HOST:-127.0.0.1}:${TRAINER_PORT:-5000}/" in plan
    assert "demo-logins --reset" in plan


def test_the_readme_says_where_to_open_and_how_to_recover_the_logins():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "http://127.0.0.1:5000/" in readme
    assert "demo-logins --reset" in readme
    assert "artifacts/screenshots/" in readme
