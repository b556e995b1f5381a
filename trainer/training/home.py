"""What the home page puts first: the one next step for the person, and the size of today's
practice in words that match what 每日练习 then gives (no Flask: plain rules on progress)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# A daily item takes about 40 s (read, answer, read the feedback).
SECONDS_PER_ITEM = 40


@dataclass(frozen=True)
class NextStep:
    """`action`: assessment | daily_continue | study | quiz | practical | daily | none;
    `module` the module it is about (or None); `text` the sentence shown (Chinese)."""

    action: str
    text: str
    module: Any = None


def practice_minutes(items: int) -> int:
    """Honest minutes for a session of `items` items (at least 1)."""
    return max(1, round(items * SECONDS_PER_ITEM / 60))


def next_step(modules: Sequence[Any], duty: Any, *, open_daily: bool,
              daily_items: int) -> NextStep:
    """The most useful thing to do now: an open assessment first (it closes), then an
    unfinished daily session, then the first required module not passed (study its cards,
    then its practice quiz), then a practical check the head must do, then daily practice."""
    for p in modules:
        if p.window is not None and not p.assessment.passed and not p.assessment.pending_review:
            return NextStep("assessment", f"参加「{p.module.title}」的考核", p.module)
    if open_daily:
        return NextStep("daily_continue", "把今天的每日练习做完")
    if not duty.cleared:
        for p in modules:
            if p.module.required and p.assessed and not p.assessment.passed \
                    and not p.assessment.pending_review:
                if p.cards_studied < p.cards_total:
                    return NextStep("study", f"学习「{p.module.title}」的卡片"
                                    f"（已学 {p.cards_studied}/{p.cards_total}）", p.module)
                return NextStep("quiz", f"做「{p.module.title}」的练习测验，准备考核", p.module)
        practicals = [r for r in getattr(duty, "requirements", ())
                      if r.kind == "practical" and not r.met]
        if practicals:
            names = "、".join(r.label.split(":")[0] for r in practicals)
            return NextStep("practical", f"请站长为您做{names}")
    if daily_items:
        return NextStep("daily", f"做今天的每日练习({daily_items} 题)")
    return NextStep("none", "今天的任务都完成了，明天再来")


def unmet_by_module(duty: Any) -> dict[str, str]:
    """Module id -> why its assessment does not count yet, for the modules duty still needs."""
    return {r.module_id: r.detail for r in getattr(duty, "requirements", ())
            if r.kind == "module" and not r.met}


def duty_lines(duty: Any) -> list[str]:
    """What 上岗前还需要 lists besides the modules (those are marked in the module list once):
    the certificate's state, the practical checks, or that the head must now certify."""
    requirements = [r for r in getattr(duty, "requirements", ()) if not r.met]
    spelled = {f"{r.label}——{r.detail}" for r in requirements}
    lines = [line for line in duty.missing if line not in spelled]
    # "仪容仪表检查:通过——站长尚未检查" reads as if it had passed: name the check, then why.
    lines += [f"{r.label.split(':')[0]}：{r.detail}" for r in requirements
              if r.kind == "practical"]
    return lines
