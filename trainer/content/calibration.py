"""Grader calibration: score answers a person marked pass/fail and see where the grader differs.

What Moodle calls testing a pattern-match question against marked responses: a content admin
uploads a CSV of real answers with a person's verdict before switching an item to `active`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from trainer.content.model import PhraseItem, PhraseSpec
from trainer.content.scoring_bridge import compile_spec

PASS_LABELS = {"pass", "p", "passed", "通过", "合格", "对", "是", "正确", "1", "true", "yes", "y",
               "✓", "√"}
FAIL_LABELS = {"fail", "f", "failed", "不通过", "不合格", "错", "否", "错误", "0", "false", "no",
               "n", "✗", "×", "x"}
HEADERS = {
    "answer": {"answer", "答案", "回答", "作答", "response"},
    "label": {"label", "标注", "判定", "结果", "人工判定"},
    "values": {"values", "取值", "占位符", "vars"},
}


class RowProblem(NamedTuple):
    """A row of the uploaded file that could not be used (row 0: the file as a whole)."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行:{self.message}" if self.row else self.message


@dataclass(frozen=True)
class MarkedAnswer:
    """One answer with the verdict a person gave it; `row` is its line in the file."""

    row: int
    answer: str
    passed: bool
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CalibrationRow:
    """How the grader judged one marked answer."""

    row: int
    answer: str
    label: bool
    passed: bool
    verdict: str
    score: float | None
    reasons: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        """Whether the grader and the person gave the same verdict."""
        return self.passed == self.label


@dataclass(frozen=True)
class CalibrationReport:
    """Agreement of the grader with a person's marks on one item."""

    rows: tuple[CalibrationRow, ...]

    @property
    def total(self) -> int:
        """Number of marked answers scored."""
        return len(self.rows)

    @property
    def agreed(self) -> int:
        """Number of rows where the grader and the person agree."""
        return sum(row.agrees for row in self.rows)

    @property
    def agreement(self) -> float:
        """Share of rows where grader and person agree (0.0–1.0; 0.0 for no rows)."""
        return self.agreed / self.total if self.rows else 0.0

    @property
    def false_passes(self) -> tuple[CalibrationRow, ...]:
        """Rows the person failed but the grader passed: the errors that matter most."""
        return tuple(row for row in self.rows if row.passed and not row.label)

    @property
    def false_fails(self) -> tuple[CalibrationRow, ...]:
        """Rows the person passed but the grader did not (review included)."""
        return tuple(row for row in self.rows if not row.passed and row.label)

    @property
    def review_count(self) -> int:
        """Rows the grader itself sends to a person (verdict "review")."""
        return sum(row.verdict == "review" for row in self.rows)

    def summary(self) -> str:
        """One Chinese line, as the calibration page and `flask score` print it."""
        return (f"一致 {self.agreed}/{self.total} = {self.agreement * 100:.1f}%"
                f"(误判通过 {len(self.false_passes)},误判不通过 {len(self.false_fails)},"
                f"需人工复核 {self.review_count})")


def parse_marked_answers(csv_bytes: bytes) -> tuple[list[MarkedAnswer], list[RowProblem]]:
    """Read a CSV of `answer,label[,values]` (header optional; UTF-8 with or without BOM, or
    GBK as Excel saves it). `values` is JSON ({"amount": "35"}) or `amount=35;station=昆仑`.
    Rows that cannot be used are reported by row number, the rest are returned."""
    text = _decode(csv_bytes)
    if text is None:
        return [], [RowProblem(0, "无法识别文件编码,请另存为 UTF-8 或 GBK 编码的 CSV")]
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    columns = {"answer": 0, "label": 1, "values": 2}
    start = 0
    if rows and rows[0] and rows[0][0].strip().lower() in HEADERS["answer"]:
        header = [cell.strip().lower() for cell in rows[0]]
        columns = {name: next((i for i, cell in enumerate(header) if cell in names), -1)
                   for name, names in HEADERS.items()}
        start = 1
        if columns["label"] < 0:
            return [], [RowProblem(1, "表头缺少“label/标注”列")]
    answers: list[MarkedAnswer] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in cells):
            continue
        parsed = _parse_row(number, cells, columns, problems)
        if parsed is not None:
            answers.append(parsed)
    if not answers and not problems:
        problems.append(RowProblem(0, "文件中没有可用的作答记录"))
    return answers, problems


def _decode(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if 0 <= index < len(cells) else ""


def _parse_row(number: int, cells: list[str], columns: dict[str, int],
               problems: list[RowProblem]) -> MarkedAnswer | None:
    label = _cell(cells, columns["label"]).lower()
    if label in PASS_LABELS:
        passed = True
    elif label in FAIL_LABELS:
        passed = False
    else:
        problems.append(RowProblem(
            number, f"标注应为“通过/不通过”(pass/fail),而不是“{label}”" if label
            else "缺少标注(通过/不通过)"))
        return None
    values, error = parse_values(_cell(cells, columns["values"]))
    if error:
        problems.append(RowProblem(number, error))
        return None
    return MarkedAnswer(number, _cell(cells, columns["answer"]), passed, values)


def parse_values(text: str) -> tuple[dict[str, str], str | None]:
    """Placeholder values of a row: JSON object or `key=value` pairs split by ; or spaces."""
    if not text:
        return {}, None
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return {}, "取值列的 JSON 格式有误"
        if not isinstance(data, dict):
            return {}, "取值列的 JSON 应为对象,例如 {\"amount\": \"35\"}"
        return {str(k): str(v) for k, v in data.items()}, None
    values: dict[str, str] = {}
    for pair in re.split(r"[;;&\s]+", text):
        key, sep, value = pair.replace("=", "=").partition("=")
        if not sep or not key.strip():
            return {}, f"取值“{pair}”应写成 名称=值,例如 amount=35"
        values[key.strip()] = value.strip()
    return values, None


def calibrate(item: PhraseItem | PhraseSpec, rows: Sequence[MarkedAnswer],
              station_values: Mapping[str, str], *, forbidden: Any = None,
              compiled: Any = None) -> CalibrationReport:
    """Score every marked answer against the item and compare with the person's verdict.

    Placeholder values come from the row, else from the station record; a row lacking a
    strict value (an amount, a choice) is sent to review rather than guessed. Pass the
    library's `compile(spec)` as `compiled` so answers are judged exactly as in real attempts
    (or at least its `forbidden_matcher()` as `forbidden`).
    """
    from trainer.scoring import score_answer  # lazily, like every use of the engine here

    spec = item.spec if isinstance(item, PhraseItem) else item
    compiled = compiled or compile_spec(spec, forbidden)
    results: list[CalibrationRow] = []
    for marked in rows:
        values, missing = _values_for(spec, marked.values, station_values)
        if missing:
            results.append(CalibrationRow(
                marked.row, marked.answer, marked.passed, False, "review", None,
                (f"缺少占位符取值:{'、'.join(missing)}",)))
            continue
        result = score_answer(compiled, marked.answer, values)
        results.append(CalibrationRow(
            marked.row, marked.answer, marked.passed, bool(result.passed), str(result.verdict),
            getattr(result, "score", None), tuple(result.reasons)))
    return CalibrationReport(tuple(results))


def _values_for(spec: PhraseSpec, row_values: Mapping[str, str],
                station_values: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    missing: list[str] = []
    for name, placeholder in spec.placeholders.items():
        key = placeholder.station_value or name
        if row_values.get(name):
            values[name] = row_values[name]
        elif station_values.get(key):
            values[name] = str(station_values[key])
        elif placeholder.kind == "text" and placeholder.examples:
            values[name] = placeholder.examples[0]  # free text is not checked anyway
        else:
            missing.append(name)
    return values, missing
