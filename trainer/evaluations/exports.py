"""The payroll export: the period's FINAL evaluations as CSV (UTF-8 with BOM, so Excel opens
the Chinese correctly) or XLSX, one row per person (the newest final revision).

Columns: 工号, 姓名, 站点, 岗位, 考核周期, 理论, 口语, 实操, 服务记录, 总分, 等级, 绩效系数,
政策版本, 定稿日期. A component without records is an empty cell, never a zero. Exporting writes
one row to ``payroll_export`` (who, when, which evaluations, the file's SHA-256) and its audit
entry - nothing on the evaluations changes. The caller commits.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import and_, func, select

from trainer.audit import log_change
from trainer.auth.access import Permission, can
from trainer.evaluations import lifecycle
from trainer.evaluations.policy import COMPONENTS
from trainer.evaluations.service import EvaluationError, current_revisions, parse_period
from trainer.extensions import db
from trainer.models import POSTS, Evaluation, PayrollExport, Station, User
from trainer.spreadsheet import cell_text

COLUMNS = ("工号", "姓名", "站点", "岗位", "考核周期", "理论", "口语", "实操", "服务记录",
           "总分", "等级", "绩效系数", "政策版本", "定稿日期")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMAT_LABELS = {"csv": "CSV(UTF-8,Excel 可直接打开)", "xlsx": "Excel(XLSX)"}


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


def row_values(evaluation: Evaluation) -> list[Any]:
    """One export row: text as text, numbers as Decimals, missing scores as None."""
    scores = {c["key"]: c["score"] for c in evaluation.result["components"]}
    return [
        evaluation.employee_no, evaluation.name, evaluation.station_name,
        POSTS.get(evaluation.post or "", evaluation.post or ""), evaluation.period,
        *(_decimal(scores.get(key)) for key in COMPONENTS),
        _decimal(evaluation.result["total"]), evaluation.grade,
        _decimal(evaluation.result["coefficient"]),
        evaluation.policy_version,
        evaluation.finalized_at.date().isoformat() if evaluation.finalized_at else "",
    ]


def to_csv(rows: list[list[Any]]) -> bytes:
    """CSV with a BOM and CRLF line ends (what Excel on Windows expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]], title: str = "考核结果") -> bytes:
    """An XLSX workbook: numbers as numbers, the header bold and frozen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_guard(value) if isinstance(value, str) else value for value in row])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMN", (10, 10, 16, 10, 10, 8, 8, 8, 10, 8, 8, 10, 9, 12),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_payroll(period_key: str, actor: User, file_format: str,
                   station_id: int | None = None) -> Export:
    """Build the file and record the export (HR only). Raises EvaluationError (Chinese) for a
    bad period or format, or when nothing of the period is final yet."""
    if not can(actor, Permission.EXPORT_PAYROLL):
        raise EvaluationError("只有人力资源可以导出薪酬数据", status=403)
    if file_format not in FORMATS:
        raise EvaluationError("导出格式只能是 CSV 或 XLSX")
    period = parse_period(period_key)
    station = db.session.get(Station, station_id) if station_id is not None else None
    if station_id is not None and station is None:
        raise EvaluationError("没有这个站点")
    final, _ = payroll_selection(period.key, station_id)
    if not final:
        raise EvaluationError(f"{period.label}还没有已定稿的考核结果,没有可导出的数据")
    rows = [row_values(e) for e in final]
    content = to_csv(rows) if file_format == "csv" else to_xlsx(rows, f"{period.key}考核")
    scope = station.code if station is not None else "全部站点"
    filename = f"考核薪酬_{period.key}_{scope}.{file_format}"
    record = PayrollExport(created_by_id=actor.id, period=period.key, station_id=station_id,
                           file_format=file_format, filename=filename, row_count=len(rows),
                           evaluation_ids=[e.id for e in final],
                           sha256=hashlib.sha256(content).hexdigest())
    db.session.add(record)
    db.session.flush()
    log_change(actor, "payroll_export.created", "payroll_export", record.id,
               after={"period": period.key, "station": scope, "format": file_format,
                      "rows": len(rows), "sha256": record.sha256},
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
    return _guard(str(value))


def _guard(text: str) -> str:
    # Never let a name run as a formula, whatever = it starts with (trainer/spreadsheet.py).
    return cell_text(text)
