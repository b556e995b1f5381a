"""Scoring a JSONL file of cases (the format of ../shared/eval/cases.jsonl), line by line.

Each line: id, expected (approved phrasings), optional vars, key_points, forbidden, and a
response (typed text) or audio (a WAV path relative to the file). Other fields (label, why,
say) are ignored: they never reach the engine. A bad line yields an error object and the run
goes on.

A line that names a content item (`"item": "sl-engine-off"`, or a dialogue and its turn:
`"item": "sl-dlg-cng-full", "turn": 2`, counted from 1) is judged exactly as the app judges
that item or turn: its own key points, placeholders, time limits, synonyms and extra forbidden
phrases; `expected` is then only a fallback for lines without `item`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from trainer.scoring.forbidden import ForbiddenMatcher
from trainer.scoring.item import CompiledItem, compile_item
from trainer.scoring.judge import score_answer


class Transcriptish(Protocol):
    """What a speech engine returns: the recognised text, and whether anything was said."""

    text: str
    no_speech: bool


class _BadCase(Exception):
    """A line that cannot be scored; the message is Chinese and goes to the output."""


class ItemSource(Protocol):
    """Where named items come from (the content library): compiled exactly as the app does."""

    def spec_for(self, item_id: str, turn: int | None = None) -> Any: ...

    def compile(self, target: Any) -> CompiledItem: ...


def run_cases(path: Path, *, forbidden: ForbiddenMatcher,
              transcribe: Callable[[Path], Transcriptish] | None,
              items: ItemSource | None = None,
              known_names: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """Score every case of a JSONL file, yielding one dict per non-blank line:
    {"id", "verdict", "passed", "score", "transcript", "reasons"} or {"id", "error"}.

    `items` resolves lines that name a content item; `known_names` are the station names the
    app passes too. Raises OSError when the file cannot be read at all.
    """
    known = tuple(known_names)
    path = Path(path)
    compiled: dict[str, CompiledItem] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                case = _load(line, number)
            except _BadCase as problem:
                yield {"id": number, "error": str(problem)}
                continue
            try:
                _check(case, named=items is not None)
                yield _score_case(case, path.parent, forbidden, transcribe, compiled, items, known)
            except (_BadCase, ValueError) as problem:  # ValueError: the engine's Chinese messages
                yield {"id": case["id"], "error": str(problem)}
            except Exception as problem:  # a defect must not cost the other lines their scores
                yield {"id": case["id"], "error": f"评分出错:{type(problem).__name__}: {problem}"}


def _load(line: str, number: int) -> dict[str, Any]:
    try:
        case = json.loads(line)
    except ValueError as exc:
        raise _BadCase(f"第 {number} 行不是有效的 JSON") from exc
    if not isinstance(case, dict):
        raise _BadCase(f"第 {number} 行应为 JSON 对象")
    case_id = case.get("id")
    case["id"] = case_id if isinstance(case_id, str | int) and case_id != "" else number
    return case


def _check(case: dict[str, Any], *, named: bool = False) -> None:
    """Validate and tidy the fields the engine reads (in place)."""
    item, turn = case.get("item"), case.get("turn")
    if item is not None and (not isinstance(item, str) or not item.strip()):
        raise _BadCase("item 应为内容条目的 id")
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int) or turn < 1):
        raise _BadCase("turn 应为从 1 数起的轮次")
    if item is not None and not named:
        raise _BadCase("没有加载培训内容,无法按 item 评分")
    expected = case.get("expected")
    if isinstance(expected, str):
        expected = [expected]
    if item is None and (not isinstance(expected, list) or not expected
                         or not all(isinstance(e, str) and e.strip() for e in expected)):
        raise _BadCase("缺少 expected,或 expected 不是标准用语(文字)列表")
    case["expected"] = expected
    values = case.get("vars") or {}
    if not isinstance(values, dict) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in values.values()):
        raise _BadCase("vars 应为“占位符: 值”的映射")
    case["vars"] = {str(k): str(v) for k, v in values.items()}
    points = case.get("key_points")
    if points is not None and not (isinstance(points, list) and all(
            isinstance(p, str) or (isinstance(p, list) and p and all(isinstance(a, str) for a in p))
            for p in points)):
        raise _BadCase("key_points 应为列表,每项是文字或同义说法的列表")
    extra = case.get("forbidden") or []
    if not isinstance(extra, list) or not all(isinstance(f, str) for f in extra):
        raise _BadCase("forbidden 应为文字列表")
    has_response = isinstance(case.get("response"), str)
    has_audio = isinstance(case.get("audio"), str) and case["audio"].strip()
    if not has_response and not has_audio:
        raise _BadCase("缺少 response(文字回答)或 audio(录音文件)")


def _score_case(case: dict[str, Any], base: Path, forbidden: ForbiddenMatcher,
                transcribe: Callable[[Path], Transcriptish] | None,
                compiled: dict[str, CompiledItem], items: ItemSource | None,
                known: tuple[str, ...]) -> dict[str, Any]:
    item = _named(case, items) if case.get("item") is not None else _compiled(
        case, forbidden, compiled)
    spoken = not isinstance(case.get("response"), str)
    if not spoken:
        transcript = case["response"]
    else:
        heard = _transcribe(base / case["audio"], case["audio"], transcribe)
        transcript = heard.text or ""
        if heard.no_speech:
            return {"id": case["id"], "verdict": "fail", "passed": False, "score": 0,
                    "transcript": transcript, "reasons": ["没有识别到语音"]}
    result = score_answer(item, transcript, case["vars"], spoken=spoken, known_names=known)
    return {"id": case["id"], "verdict": result.verdict, "passed": result.passed,
            "score": result.score, "transcript": transcript, "reasons": result.reasons}


def _named(case: dict[str, Any], items: ItemSource | None) -> CompiledItem:
    assert items is not None  # _check refuses named lines without a source
    try:
        spec = items.spec_for(case["item"], case.get("turn"))
    except KeyError as exc:
        raise _BadCase(str(exc.args[0]) if exc.args else "未知条目") from exc
    return items.compile(spec)


def _compiled(case: dict[str, Any], forbidden: ForbiddenMatcher,
              compiled: dict[str, CompiledItem]) -> CompiledItem:
    # Cases of one scene share the compiled item: compiling derives key points with jieba.
    key = json.dumps([case["expected"], case.get("key_points"), case.get("forbidden")],
                     ensure_ascii=False)
    if key not in compiled:
        compiled[key] = compile_item(case["expected"], key_points=case.get("key_points"),
                                     forbidden=forbidden,
                                     extra_forbidden=tuple(case.get("forbidden") or ()))
    return compiled[key]


def _transcribe(path: Path, shown: str,
                transcribe: Callable[[Path], Transcriptish] | None) -> Transcriptish:
    if transcribe is None:
        raise _BadCase("语音识别不可用")
    if not path.is_file():
        raise _BadCase(f"找不到录音文件:{shown}")
    try:
        return transcribe(path)
    except Exception as exc:  # any engine failure is this line's problem, not the run's
        raise _BadCase(f"语音识别失败:{exc}") from exc


def agreement_summary(cases: list[dict[str, Any]], results: list[dict[str, Any]]) -> str:
    """How the results agree with the cases' labels, in one Chinese line for stderr:
    agreement, false passes, false fails (with ids), reviews and errors."""
    by_id = {r.get("id"): r for r in results}
    labelled = [c for c in cases if c.get("label") in ("pass", "fail")]
    agree = 0
    false_pass: list[str] = []
    false_fail: list[str] = []
    errors = [str(r.get("id")) for r in results if "error" in r]
    reviews = sum(1 for r in results if r.get("verdict") == "review")
    for case in labelled:
        result = by_id.get(case.get("id"))
        if result is None or "passed" not in result:
            continue
        if bool(result["passed"]) == (case["label"] == "pass"):
            agree += 1
        elif result["passed"]:
            false_pass.append(str(case["id"]))
        else:
            false_fail.append(str(case["id"]))
    total = len(labelled)
    share = 100.0 * agree / total if total else 0.0
    parts = [f"一致 {agree}/{total} = {share:.1f}%",
             f"误判通过 {len(false_pass)}" + (f"({'、'.join(false_pass)})" if false_pass else ""),
             f"误判不通过 {len(false_fail)}" + (f"({'、'.join(false_fail)})" if false_fail else ""),
             f"待复核 {reviews}/{len(results)}",
             f"出错 {len(errors)}" + (f"({'、'.join(errors)})" if errors else "")]
    return ";".join(parts)
