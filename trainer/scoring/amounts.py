"""Amounts with their roles: in 收您{received}元,找您{change}元 the figure after 找 is checked
against the change and the figure after 收 against the money received.

A role is named by the word just before an amount (content/language.yaml `amount_roles`).
Wrong figures, swapped digits, swapped roles and an extra wrong amount all fail; an amount of
another role that the scene naturally mentions (the money received, the total) may be said
beside the one that is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from trainer.scoring.language import Language
from trainer.scoring.numbers import MONEY, UNIT_LABELS, Amount, format_number, parse_amount_value
from trainer.scoring.placeholders import Slot
from trainer.scoring.textnorm import Prepared

_CUE_REACH = 4  # a role word ends at most this many characters before its amount
_ROLE_LABELS = {"change": "找零", "received": "收款", "recharge": "充值", "total": "总额",
                "balance": "余额", "filled": "加气量"}


@dataclass(frozen=True)
class Due:
    """An amount the phrasing requires: its value, unit and role (None when unnamed)."""

    value: Decimal
    unit: str
    role: str | None


def role_before(text: str, start: int, language: Language, floor: int = 0) -> str | None:
    """The role named by the word ending just before `start` (not reaching below `floor`)."""
    best: tuple[int, int, str] | None = None
    for role, words in language.amount_roles.items():
        for word in words:
            low = max(floor, start - _CUE_REACH - len(word))
            at = text.rfind(word, low, start)
            if at < 0:
                continue
            gap = start - (at + len(word))
            # The nearest word wins; of two ending at the same place, the longer (找您 over 您).
            key = (gap, -len(word))
            if best is None or key < best[:2]:
                best = (gap, -len(word), role)
    return best[2] if best else None


def due_amount(slot: Slot, expected: Prepared, language: Language) -> Due | None:
    """What a filled amount placeholder requires; None for a value that is not a number."""
    low, high = _slot_range(slot, expected)
    spoken = [a for a in expected.amounts if a.start < high and a.end > low]
    if spoken:
        value, unit, start = spoken[0].value, spoken[0].unit, spoken[0].start
    else:
        parsed = parse_amount_value(slot.value)
        if parsed is None:
            return None
        (value, unit), start = parsed, low
    return Due(value, unit, role_before(expected.text, start, language))


def check_amounts(dues: list[Due], answer: Prepared, language: Language) -> list[str]:
    """Reasons the answer's amounts fail the dues (empty when every due is said right)."""
    said = _said_amounts(answer, language)
    reasons: list[str] = []
    for due in dues:
        reason = _check_one(due, dues, said)
        if reason:
            reasons.append(reason)
    if not reasons:
        reasons.extend(_extra(dues, said))
    return reasons


def _check_one(due: Due, dues: list[Due], said: list[tuple[Amount, str | None]]) -> str | None:
    compatible = [(a, r) for a, r in said if _unit_fits(a.unit, due.unit)]
    if due.role is not None:
        same_role = [a for a, r in compatible if r == due.role]
        if same_role:
            wrong = [a for a in same_role if a.value != due.value]
            if wrong:
                return f"金额不对:{_role(due)}应为 {_label(due.value, due.unit)},说成了 {_label(wrong[0].value, wrong[0].unit or due.unit)}"
            return None
        swapped = [a for a, r in compatible if r is not None and r != due.role
                   and a.value == due.value and any(d.role == r for d in dues)]
        if swapped:
            return f"金额说反了:{_role(due)}应为 {_label(due.value, due.unit)}"
    unnamed = [a for a, r in compatible if r is None or r == due.role]
    if any(a.value == due.value for a in unnamed):
        return None
    heard = unnamed or [a for a, _ in said]
    if heard:
        return f"金额不对:{_role(due)}应为 {_label(due.value, due.unit)},说成了 {_label(heard[0].value, heard[0].unit or due.unit)}"
    return f"缺少金额:{_role(due)}应为 {_label(due.value, due.unit)}"


def _extra(dues: list[Due], said: list[tuple[Amount, str | None]]) -> list[str]:
    """Money said beside the dues that none of them accounts for (找您35元……50元)."""
    wanted = {d.value for d in dues}
    roles = {d.role for d in dues}
    extra = []
    for amount, role in said:
        if amount.unit != MONEY or amount.value in wanted:
            continue
        if role is not None and role not in roles:
            continue  # 收您100元 beside the change: the scene's other money, not a slip
        extra.append(_label(amount.value, amount.unit))
    return [f"多说了一个金额:{'、'.join(extra)},与应说的金额不符"] if extra else []


def _said_amounts(answer: Prepared, language: Language) -> list[tuple[Amount, str | None]]:
    said = []
    floor = 0
    for amount in answer.amounts:
        clause = max((b for b in answer.breaks if b <= amount.start), default=0)
        said.append((amount, role_before(answer.text, amount.start, language,
                                         max(floor, clause))))
        floor = amount.end
    return said


def _unit_fits(said: str, due: str) -> bool:
    return not due or not said or said == due


def _role(due: Due) -> str:
    return _ROLE_LABELS.get(due.role or "", "")


def _label(value: Decimal, unit: str) -> str:
    return f"{format_number(value)} {UNIT_LABELS.get(unit, unit)}".strip()


def _slot_range(slot: Slot, expected: Prepared) -> tuple[int, int]:
    inside = [i for i, s in enumerate(expected.starts) if slot.start <= s < slot.end]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


def outside_context(answer: Prepared, context: list[str]) -> str | None:
    """Money the answer names that the scene does not, where the scene names money: the
    reason, or None (a scene without money leaves the answer free)."""
    from trainer.scoring.textnorm import prepare_cached

    shown = {a.value for text in context for a in prepare_cached(text).amounts
             if a.unit == MONEY}
    if not shown:
        return None
    stray = [a for a in answer.amounts if a.unit == MONEY and a.value not in shown]
    if not stray:
        return None
    wanted = "、".join(_label(v, MONEY) for v in sorted(shown))
    return f"金额不对:应为 {wanted},说成了 {_label(stray[0].value, MONEY)}"
