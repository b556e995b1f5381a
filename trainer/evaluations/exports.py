"""The payroll export a clerk can use: the period's FINAL evaluations, one row per person (the
newest final revision), and everybody of the period NOT finalized on a second sheet (XLSX) or
in a second file (CSV: both files in one ZIP), so nobody is silently missing.

Payroll columns: 公司 (the legal entity), 站点编码, 站点, 工号, 姓名, 岗位, 考核周期, the four
components, 总分, 等级, 绩效系数, 标记 and 标记说明 (数据不全, 有调整, 更正, 等级封顶, 考核未通过,
提前结算 - each with its reason), 期末上岗状态, 政策版本, 定稿日期; then a 合计 row (people,
the sum of the coefficients, how many carry each flag). A component without records is an
empty cell, never a zero. In XLSX numbers are numbers and the date is a date; the CSV is UTF-8
with BOM (Excel opens the Chinese) and ISO dates.

Exporting needs the period to have ended, or HR's written decision to settle it early (which
every row and the export record name). It writes one row to ``payroll_export`` (who, when,
which evaluations, how many not finalized, the override, the file's SHA-256) and its audit
entry - nothing on the evaluations changes. The caller commits.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import and_, func, select

from trainer.audit import log_change
from trainer.auth.access import Permission, can
from trainer.evaluations import lifecycle
from trainer.evaluations.policy import COMPONENT_LABELS, COMPONENTS, SPOKEN, THEORY
from trainer.evaluations.records import pending_by_user
from trainer.evaluations.service import (
    EvaluationError,
    current_revisions,
    evaluated_people,
    parse_period,
    period_override,
    require_period_settled,
    status_at,
)
from trainer.extensions import db
from trainer.models import POSTS, Evaluation, PayrollExport, Station, User
from trainer.spreadsheet import cell_text
from trainer.timeutil import now

COLUMNS = ("公司", "站点编码", "站点", "工号", "姓名", "岗位", "考核周期", "理论", "口语", "实操",
           "服务记录", "总分", "等级", "绩效系数", "标记", "标记说明", "期末上岗状态", "政策版本",
           "定稿日期")
OPEN_COLUMNS = ("公司", "站点编码", "站点", "工号", "姓名", "岗位", "考核周期", "状态",
                "未定稿原因")
DATE_COLUMN = COLUMNS.index("定稿日期")
FORMATS = {"csv": "application/zip",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMAT_LABELS = {"csv": "CSV(薪酬表和未定稿名单两个文件,ZIP 打包)",
                 "xlsx": "Excel(XLSX,第二张表为未定稿名单)"}
TOTAL = "合计"
FLAG_ORDER = ("数据不全", "有调整", "更正", "等级封顶", "考核未通过", "提前结算")


@dataclass(frozen=True)
class Export:
    """A finished export: its record, the file and how to send it."""

    record: PayrollExport
    content: bytes
    filename: str
    mimetype: str


def payroll_selection(period_key: str, station_id: int | None = None
                      ) -> tuple[list[Evaluation], list[Evaluation]]:
    """(the newest FINAL revision of each person, evaluations of the period not final yet).
    While a correction is on its way, payroll keeps the final result it corrects."""
    newest = (select(Evaluation.user_id, func.max(Evaluation.revision).label("revision"))
              .where(Evaluation.period == period_key, Evaluation.status == lifecycle.FINAL)
              .group_by(Evaluation.user_id).subquery())
    query = (select(Evaluation)
             .join(newest, and_(Evaluation.user_id == newest.c.user_id,
                                Evaluation.revision == newest.c.revision))
             .where(Evaluation.period == period_key))
    if station_id is not None:
        query = query.where(Evaluation.station_id == station_id)
    final = list(db.session.scalars(query.order_by(Evaluation.station_name,
                                                   Evaluation.employee_no)))
    open_rows = [e for e in current_revisions(period_key, station_id=station_id)
                 if e.status != lifecycle.FINAL]
    return final, open_rows


# --- flags ----------------------------------------------------------------------------------


def flags_of(evaluation: Evaluation, override_reason: str = "") -> list[tuple[str, str]]:
    """(flag, reason) of one evaluation, in FLAG_ORDER: what a payroll clerk must know."""
    result = evaluation.result
    components = {c["key"]: c for c in result["components"]}
    flags: list[tuple[str, str]] = []
    missing = result.get("data_missing") or [
        c["key"] for c in result["components"] if c["score"] is None and c["weight"] != "0"]
    if missing or result.get("incomplete"):
        words = []
        for key in missing:
            adjustments = components[key]["adjustments"]
            typed = f"(录入 {adjustments[-1]['to_score']} 分)" if adjustments else ""
            words.append(f"{COMPONENT_LABELS[key]}无记录{typed}")
        reason = "、".join(words)
        if evaluation.hr_decision:
            reason += f";人力资源决定:{evaluation.hr_decision}"
        flags.append(("数据不全", reason))
    if evaluation.adjusted:
        changes = [f"{COMPONENT_LABELS[key]} {a['from_score'] or '无'}→{a['to_score']}"
                   f"({a['by']}:{a['reason']})"
                   for key in COMPONENTS for a in components[key]["adjustments"]]
        flags.append(("有调整", ";".join(changes)))
    if evaluation.revision > 1:
        flags.append(("更正", f"第 {evaluation.revision} 版:{evaluation.correction_reason}"))
    caps = list(result.get("caps") or [])
    if result.get("safety_capped"):
        caps.insert(0, f"安全违规,等级由{result['grade_before_cap']}封顶为{result['grade']}")
    if caps:
        flags.append(("等级封顶", " ".join(caps)))
    failed = [i for key in (THEORY, SPOKEN) for i in components[key].get("failed_ids", ())]
    if failed:
        flags.append(("考核未通过", "未通过的考核:" + "、".join(f"#{i}" for i in failed)))
    if override_reason:
        flags.append(("提前结算", override_reason))
    return flags


def duty_text(evaluation: Evaluation) -> str:
    """期末上岗状态 as the evaluation found it ("" for results computed before it was kept)."""
    cleared = evaluation.result.get("duty_cleared")
    if cleared is None:
        return ""
    if cleared:
        return "可以上岗"
    why = next((text for key, text in evaluation.result.get("limits", ())
                if key == "not_cleared_grade"), "")
    _, _, note = why.partition("暂不能上岗")    # "期末(2026-10-31)暂不能上岗:没有上岗证书"
    return "暂不能上岗" + note


# --- rows -----------------------------------------------------------------------------------


def row_values(evaluation: Evaluation, station: Station | None = None,
               override_reason: str = "") -> list[Any]:
    """One payroll row: text as text, numbers as Decimals, the date as a date, missing
    scores as None."""
    scores = {c["key"]: c["score"] for c in evaluation.result["components"]}
    flags = flags_of(evaluation, override_reason)
    return [
        station.company if station is not None else "",
        station.code if station is not None else "",
        evaluation.station_name, evaluation.employee_no, evaluation.name,
        POSTS.get(evaluation.post or "", evaluation.post or ""), evaluation.period,
        *(_decimal(scores.get(key)) for key in COMPONENTS),
        _decimal(evaluation.result["total"]), evaluation.grade,
        _decimal(evaluation.result["coefficient"]),
        "、".join(flag for flag, _ in flags),
        ";".join(f"{flag}:{reason}" for flag, reason in flags),
        duty_text(evaluation),
        evaluation.policy_version,
        evaluation.finalized_at.date() if evaluation.finalized_at else None,
    ]


def totals_row(rows: list[list[Any]]) -> list[Any]:
    """合计: how many people, the sum of their coefficients (the pay pool's multiplier), and
    how many carry each flag."""
    coefficient = COLUMNS.index("绩效系数")
    flags_at = COLUMNS.index("标记")
    counted = Counter(flag for row in rows for flag in (row[flags_at] or "").split("、") if flag)
    row: list[Any] = [None] * len(COLUMNS)
    row[0] = TOTAL
    row[COLUMNS.index("姓名")] = f"共 {len(rows)} 人"
    row[coefficient] = sum((r[coefficient] for r in rows if r[coefficient] is not None),
                           Decimal(0))
    row[flags_at] = ";".join(f"{flag} {counted[flag]} 人" for flag in FLAG_ORDER
                             if counted[flag])
    return row


def open_rows(period_key: str, open_evaluations: list[Evaluation],
              stations: dict[int, Station], station_id: int | None) -> list[list[Any]]:
    """Everybody of the period not finalized: evaluations still under way (what they wait
    for) and people evaluated but never computed."""
    period = parse_period(period_key)
    at = now()
    pending = pending_by_user(period, [e.user_id for e in open_evaluations])
    rows = []
    for evaluation in open_evaluations:
        station = stations.get(evaluation.station_id)
        status = status_at(evaluation, at)
        reasons = [f"状态:{lifecycle.STATUS_LABELS[status]}"]
        if evaluation.corrects_id is not None:
            reasons.append(f"更正中(第 {evaluation.revision} 版),薪酬表按已定稿的上一版计")
        if pending.get(evaluation.user_id):
            reasons.append("待处理记录:" + "、".join(p.text for p in pending[evaluation.user_id]))
        if evaluation.result.get("needs_decision") and not evaluation.hr_decision:
            reasons.append("本期没有考核数据,待人力资源决定")
        rows.append(_open_row(station, evaluation.station_name, evaluation.employee_no,
                              evaluation.name, evaluation.post, period.key,
                              lifecycle.SHORT_LABELS[status], ";".join(reasons)))
    computed = {e.user_id for e in current_revisions(period.key, station_id=station_id)}
    for person in evaluated_people(period, station_id=station_id):
        if person.id in computed:
            continue
        station = stations.get(person.station_id)
        rows.append(_open_row(station, station.name if station else "", person.employee_no,
                              person.name, person.post, period.key, "未计算",
                              "本期考核尚未计算"))
    return rows


def _open_row(station: Station | None, station_name: str, employee_no: str, name: str,
              post: str | None, period: str, status: str, reason: str) -> list[Any]:
    return [station.company if station is not None else "",
            station.code if station is not None else "", station_name, employee_no, name,
            POSTS.get(post or "", post or ""), period, status, reason]


# --- files ----------------------------------------------------------------------------------


def to_csv(rows: list[list[Any]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """CSV with a BOM and CRLF line ends (what Excel on Windows expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv_zip(payroll: bytes, unfinalized: bytes, names: tuple[str, str]) -> bytes:
    """Both CSV files in one ZIP, so the second one cannot be left behind."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        stamp = now().timetuple()[:6]
        for name, data in zip(names, (payroll, unfinalized), strict=True):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    return buffer.getvalue()


def to_xlsx(rows: list[list[Any]], title: str = "考核结果",
            open_list: list[list[Any]] | None = None) -> bytes:
    """An XLSX workbook: numbers as numbers, the date as a date, the header bold and frozen;
    the second sheet lists who is not finalized."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    _fill(sheet, COLUMNS, rows, (10, 8, 14, 8, 8, 8, 9, 7, 7, 7, 8, 7, 7, 8, 14, 40, 14, 8, 11))
    for row in sheet.iter_rows(min_row=2, min_col=DATE_COLUMN + 1, max_col=DATE_COLUMN + 1):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    if sheet.max_row > 1 and sheet.cell(sheet.max_row, 1).value == TOTAL:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    second = workbook.create_sheet("未定稿")
    _fill(second, OPEN_COLUMNS, open_list or [], (10, 8, 14, 8, 8, 8, 9, 10, 60))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, columns: tuple[str, ...], rows: list[list[Any]],
          widths: tuple[int, ...]) -> None:
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_guard(value) if isinstance(value, str) else value for value in row])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width


def export_payroll(period_key: str, actor: User, file_format: str,
                   station_id: int | None = None) -> Export:
    """Build the file and record the export (HR only). Raises EvaluationError (Chinese) for a
    bad period or format, a period not ended (without HR's decision to settle it early), or
    when nothing of the period is final yet."""
    if not can(actor, Permission.EXPORT_PAYROLL):
        raise EvaluationError("只有人力资源可以导出薪酬数据", status=403)
    if file_format not in FORMATS:
        raise EvaluationError("导出格式只能是 CSV 或 XLSX")
    period = parse_period(period_key)
    station = db.session.get(Station, station_id) if station_id is not None else None
    if station_id is not None and station is None:
        raise EvaluationError("没有这个站点")
    require_period_settled(period.key, "导出薪酬数据")
    override = period_override(period.key)
    override_reason = override.reason if override is not None else ""
    final, unfinished = payroll_selection(period.key, station_id)
    if not final:
        raise EvaluationError(f"{period.label}还没有已定稿的考核结果,没有可导出的数据")
    stations = {s.id: s for s in db.session.scalars(select(Station))}
    rows = [row_values(e, stations.get(e.station_id), override_reason) for e in final]
    waiting = open_rows(period.key, unfinished, stations, station_id)
    scope = station.code if station is not None else "全部站点"
    base = f"考核薪酬_{period.key}_{scope}"
    if file_format == "csv":
        content = to_csv_zip(to_csv([*rows, totals_row(rows)]), to_csv(waiting, OPEN_COLUMNS),
                             (f"{base}.csv", f"{base}_未定稿名单.csv"))
        filename = f"{base}_csv.zip"
    else:
        content = to_xlsx([*rows, totals_row(rows)], f"{period.key}考核", waiting)
        filename = f"{base}.xlsx"
    record = PayrollExport(created_by_id=actor.id, period=period.key, station_id=station_id,
                           file_format=file_format, filename=filename, row_count=len(rows),
                           evaluation_ids=[e.id for e in final],
                           sha256=hashlib.sha256(content).hexdigest(),
                           unfinalized_count=len(waiting), override_reason=override_reason)
    db.session.add(record)
    db.session.flush()
    log_change(actor, "payroll_export.created", "payroll_export", record.id,
               after={"period": period.key, "station": scope, "format": file_format,
                      "rows": len(rows), "unfinalized": len(waiting), "sha256": record.sha256,
                      "override": override_reason or None},
               reason=f"导出 {period.label} 薪酬考核数据")
    return Export(record, content, filename, FORMATS[file_format])


def export_history(limit: int = 50) -> list[PayrollExport]:
    """The latest exports, newest first."""
    return list(db.session.scalars(select(PayrollExport).order_by(PayrollExport.id.desc())
                                   .limit(limit)))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return _guard(str(value))


def _guard(text: str) -> str:
    # Never let a name run as a formula, whatever = it starts with (trainer/spreadsheet.py).
    return cell_text(text)
