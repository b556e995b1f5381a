"""Quiz answers, one matcher per question type (single, multiple, truefalse, ordering, fill).

Pure: no Flask, no database. A matcher knows how to present a question (shuffled options or
steps, recorded so a resumed or reviewed attempt shows the same order), how to read the
trainee's form fields into an answer, and how to check that answer:

    entry = present(question, rng)                  # stored in attempt.presented
    answer = read_answer(question, entry, getlist)  # getlist(field name) -> list of values
    checked = check(question, answer)               # Checked(correct, score, given, right)
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from trainer.content import (
    ChoiceQuestion,
    FillQuestion,
    OrderingQuestion,
    Question,
    TrueFalseQuestion,
)
from trainer.ids import parse_count
from trainer.scoring import score_ordering

GetList = Callable[[str], Sequence[str]]
TYPE_LABELS: Mapping[str, str] = {
    "single": "单选题", "multiple": "多选题", "truefalse": "判断题", "ordering": "排序题",
    "fill": "填空题",
}
MAX_FILL_CHARS = 200


@dataclass(frozen=True)
class Checked:
    """One question's result: right or not, a 0-100 score, and both answers as text."""

    correct: bool
    score: int
    given: str
    right: str
    details: dict[str, Any] = field(default_factory=dict)


def field_name(position: int) -> str:
    """The form field (prefix) of the question at this position of the quiz."""
    return f"q{position}"


QuestionT = TypeVar("QuestionT", bound=Question)


class Matcher(Generic[QuestionT]):
    """Presents, reads and checks one question type (QuestionT: the content class it takes)."""

    def present(self, question: QuestionT, rng: random.Random) -> dict[str, Any]:
        return {"id": question.id, "type": question.type}

    def read(self, question: QuestionT, entry: Mapping[str, Any], name: str,
             getlist: GetList) -> dict[str, Any] | None:
        raise NotImplementedError

    def check(self, question: QuestionT, answer: Mapping[str, Any] | None) -> Checked:
        raise NotImplementedError


class SingleChoice(Matcher[ChoiceQuestion]):
    def present(self, question: ChoiceQuestion, rng: random.Random) -> dict[str, Any]:
        options = list(question.options)
        rng.shuffle(options)
        return {**super().present(question, rng), "options": options}

    def read(self, question, entry, name, getlist):
        chosen = [_option(entry, value) for value in getlist(name)]
        chosen = [c for c in chosen if c is not None]
        return {"chosen": chosen[:1]} if chosen else None

    def check(self, question: ChoiceQuestion, answer):
        chosen = list((answer or {}).get("chosen") or [])
        return Checked(bool(chosen) and question.is_correct(chosen), 100 if chosen and
                       question.is_correct(chosen) else 0, "、".join(chosen) or "(未作答)",
                       "、".join(question.answers))


class MultipleChoice(SingleChoice):
    def read(self, question, entry, name, getlist):
        chosen = [_option(entry, value) for value in getlist(name)]
        chosen = list(dict.fromkeys(c for c in chosen if c is not None))
        return {"chosen": chosen} if chosen else None

    def check(self, question: ChoiceQuestion, answer):
        chosen = list((answer or {}).get("chosen") or [])
        # Shown in the order of the content, so the two lists read alike.
        order = {text: i for i, text in enumerate(question.options)}
        chosen.sort(key=lambda text: order.get(text, len(order)))
        right = sorted(question.answers, key=lambda text: order.get(text, len(order)))
        correct = bool(chosen) and question.is_correct(chosen)
        return Checked(correct, 100 if correct else 0, "、".join(chosen) or "(未作答)",
                       "、".join(right))


class TrueFalse(Matcher[TrueFalseQuestion]):
    LABELS = {True: "正确", False: "错误"}

    def read(self, question, entry, name, getlist):
        values = [v for v in getlist(name) if v in ("true", "false")]
        return {"value": values[0] == "true"} if values else None

    def check(self, question: TrueFalseQuestion, answer):
        value = (answer or {}).get("value")
        correct = isinstance(value, bool) and question.is_correct(value)
        given = self.LABELS[value] if isinstance(value, bool) else "(未作答)"
        return Checked(correct, 100 if correct else 0, given, self.LABELS[question.answer])


class Fill(Matcher[FillQuestion]):
    def read(self, question, entry, name, getlist):
        values = [v.strip() for v in getlist(name) if v and v.strip()]
        return {"text": values[0][:MAX_FILL_CHARS]} if values else None

    def check(self, question: FillQuestion, answer):
        text = str((answer or {}).get("text") or "")
        correct = bool(text) and question.is_correct(text)
        return Checked(correct, 100 if correct else 0, text or "(未作答)",
                       " / ".join(question.accepted))


class Ordering(Matcher[OrderingQuestion]):
    def present(self, question: OrderingQuestion, rng: random.Random) -> dict[str, Any]:
        steps = [step.id for step in question.steps]
        # A shuffle that happens to be the right order would give the answer away.
        for _ in range(10):
            rng.shuffle(steps)
            if len(steps) < 2 or steps != list(question.correct_order):
                break
        return {**super().present(question, rng), "steps": steps}

    def read(self, question, entry, name, getlist):
        """Each step has a position number (`q3-<step id>`); the answer lists the steps by
        their numbers. Missing or repeated numbers leave the answer incomplete."""
        numbers: dict[str, int] = {}
        for step_id in entry.get("steps") or []:
            values = getlist(f"{name}-{step_id}")
            number = parse_count(values[0]) if values else None
            if number is not None:
                numbers[step_id] = number
        if not numbers:
            return None
        order = sorted(numbers, key=lambda step_id: numbers[step_id])
        complete = (len(numbers) == len(entry.get("steps") or [])
                    and len(set(numbers.values())) == len(numbers))
        return {"order": order, "numbers": numbers, "complete": complete}

    def check(self, question: OrderingQuestion, answer):
        texts = {step.id: step.text for step in question.steps}
        right = _numbered(texts[s] for s in question.correct_order)
        if not answer or not answer.get("complete"):
            given = "(未作答)" if not answer else "(序号不完整或有重复)"
            return Checked(False, 0, given, right, {"reasons": ["每一步都要选一个不同的序号"]})
        result = score_ordering(question.correct_order, answer["order"],
                                question.safety_critical)
        details = result.to_dict()
        details["reasons"] = _ordering_reasons(result, texts)
        return Checked(result.passed, result.score,
                       _numbered(texts.get(s, s) for s in answer["order"]), right, details)


MATCHERS: Mapping[str, Matcher[Any]] = {
    "single": SingleChoice(), "multiple": MultipleChoice(), "truefalse": TrueFalse(),
    "ordering": Ordering(), "fill": Fill(),
}


def present(question: Question, rng: random.Random) -> dict[str, Any]:
    """What the trainee is shown of the question: its options or steps in a fresh order."""
    return MATCHERS[question.type].present(question, rng)


def read_answer(question: Question, entry: Mapping[str, Any], position: int,
                getlist: GetList) -> dict[str, Any] | None:
    """The answer in the form fields of the question at `position` (None: not answered)."""
    return MATCHERS[question.type].read(question, entry, field_name(position), getlist)


def check(question: Question, answer: Mapping[str, Any] | None) -> Checked:
    """Whether the answer is right, with both answers as text for the result page."""
    return MATCHERS[question.type].check(question, answer)


def _option(entry: Mapping[str, Any], value: str) -> str | None:
    # The form sends the option's index in the presented order, not its (long) text.
    options = entry.get("options") or []
    index = parse_count(value)
    return str(options[index]) if index is not None and index < len(options) else None


def _numbered(texts: Any) -> str:
    return ";".join(f"{i}. {text}" for i, text in enumerate(texts, start=1))


def _ordering_reasons(result: Any, texts: Mapping[str, str]) -> list[str]:
    # The scoring engine names steps by id; the trainee knows them by their text.
    def names(ids: Sequence[str]) -> str:
        return "、".join(f"“{texts.get(i, i)}”" for i in ids)

    reasons = []
    if result.safety_failures:
        reasons.append("安全关键步骤顺序错误：" + names(result.safety_failures))
    if result.out_of_place:
        reasons.append("顺序不对的步骤：" + names(result.out_of_place))
    if result.missing:
        reasons.append("缺少步骤：" + names(result.missing))
    return reasons or ["顺序完全正确"]
