"""The audit log for the admin: who did what, when, from what to what and why; filtered by
person, object and words, paged, and exported as CSV (UTF-8 with BOM, formula-safe)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, String, cast, or_, select

from trainer.extensions import db
from trainer.models import POSTS, ROLES, AuditLog, Station, User
from trainer.paging import Page, paginate
from trainer.spreadsheet import cell_text

EXPORT_LIMIT = 50_000

ENTITY_LABELS = {
    "user": "人员", "station": "站点", "attempt": "作答", "certificate": "证书",
    "evaluation": "考核结果", "evaluation_period": "考核周期", "evaluation_policy": "考核政策",
    "payroll_export": "薪酬导出", "practical_check": "现场考核", "retraining": "复训",
    "service_record": "服务记录", "assessment_window": "考核安排", "database": "数据库",
    "content_item": "培训内容条目", "staff_import": "人员导入",
}
ACTION_LABELS = {
    "user.create": "新增人员", "user.update": "修改人员资料", "user.deactivated": "停用",
    "user.reactivated": "恢复在职", "user.role_change": "更改权限角色",
    "password.change": "修改密码", "password.set": "设置密码", "password.code_issued": "发放验证码",
    "password.set_by_code": "用验证码设置密码", "sessions.ended_all": "退出全部登录",
    "demo.seed": "载入演示数据", "demo.reset_password": "重置演示账号密码",
    "attempt.review_requested": "申请复核", "attempt.review_decided": "复核结论",
    "evaluation.computed": "计算考核", "evaluation.recomputed": "重新计算考核",
    "evaluation.adjusted": "调整考核", "evaluation.published": "发布考核",
    "evaluation.acknowledged": "员工确认", "evaluation.acknowledged_silently": "逾期视为确认",
    "evaluation.appealed": "提出申诉", "evaluation.appeal_resolved": "处理申诉",
    "evaluation.finalized": "定稿", "evaluation.correction_started": "开始更正",
    "evaluation.data_decision": "无数据决定", "evaluation_period.override": "提前结算",
    "evaluation_policy.created": "新版考核政策", "payroll_export.created": "薪酬导出",
    "practical.recorded": "记录现场考核", "retraining.assigned": "安排复训",
    "retraining.progress": "复训进度", "retraining.completed": "复训完成",
    "service_record.created": "录入服务记录", "window.created": "新建考核安排",
    "window.updated": "修改考核安排", "window.closed": "关闭考核安排",
    "speaking_exemption.granted": "口语考核改用文字", "staff_import.applied": "批量导入人员",
    "content.corrected": "修正培训内容",
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    kind, _, verb = action.partition(".")
    return f"{ENTITY_LABELS.get(kind, kind)} · {verb}" if verb else action


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    entity_type: str = ""
    entity_id: str = ""
    search: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _query(filters: AuditFilter) -> Select:
    query = select(AuditLog, User).outerjoin(User, User.id == AuditLog.actor_id)
    if filters.actor_id:
        query = query.where(AuditLog.actor_id == filters.actor_id)
    if filters.entity_type:
        query = query.where(AuditLog.entity_type == filters.entity_type)
    if filters.entity_id:
        query = query.where(AuditLog.entity_id == filters.entity_id)
    if filters.date_from:
        query = query.where(AuditLog.at >= datetime.combine(filters.date_from, time()))
    if filters.date_to:
        query = query.where(AuditLog.at < datetime.combine(filters.date_to + timedelta(days=1),
                                                           time()))
    if filters.search:
        needle = filters.search
        # JSON columns hold Chinese as \uXXXX escapes: look for that spelling there too.
        escaped = json.dumps(needle)[1:-1]
        values = [column.icontains(text, autoescape=True)
                  for column in (cast(AuditLog.before, String), cast(AuditLog.after, String))
                  for text in {needle, escaped}]
        labelled = [code for code, label in ACTION_LABELS.items() if needle in label]
        values.append(AuditLog.action.in_(labelled))
        query = query.where(or_(*values, *(column.icontains(needle, autoescape=True) for column in (
            AuditLog.action, AuditLog.reason, AuditLog.entity_id, User.name, User.employee_no))))
    return query.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def audit_page(filters: AuditFilter, number: int) -> Page:
    return paginate(_query(filters), number, scalars=False)


def actors() -> list[User]:
    """Everybody who appears in the log as the one who acted (the person filter's choices)."""
    ids = select(AuditLog.actor_id).where(AuditLog.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(ids))
                                   .order_by(User.employee_no)))


def entity_types() -> list[str]:
    return sorted(db.session.scalars(select(AuditLog.entity_type).distinct()))


# The people fields' names and codes as the staff pages say them.
FIELD_LABELS = {"employee_no": "工号", "name": "姓名", "phone": "手机", "station_id": "站点",
                "post": "岗位", "role": "角色", "hire_date": "入职日期", "active": "在职",
                "status": "状态", "reason": "理由", "score": "分数", "verdict": "结论"}
VALUE_LABELS = {"post": POSTS, "role": ROLES,
                "verdict": {"pass": "通过", "fail": "不通过", "review": "待复核"},
                "status": {"active": "生效", "draft": "草稿"}}


def values_text(values: dict | None, stations: dict[int, str] | None = None) -> str:
    """before/after as "名称: 值" lines, codes as their labels (JSON kept for nested values)."""
    if not values:
        return ""
    return "\n".join(f"{FIELD_LABELS.get(key, key)}: {_plain(key, value, stations or {})}"
                     for key, value in values.items())


def _plain(key: str, value: Any, stations: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "station_id" and value in stations:
        return stations[value]
    if key in VALUE_LABELS and isinstance(value, str):
        return VALUE_LABELS[key].get(value, value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def station_names() -> dict[int, str]:
    return {station_id: name for station_id, name in
            db.session.execute(select(Station.id, Station.name))}


def csv_bytes(filters: AuditFilter) -> bytes:
    """The filtered log as CSV for Excel: UTF-8 with BOM, every cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["时间", "工号", "姓名", "操作", "对象", "对象编号", "修改前", "修改后", "理由"])
    rows = db.session.execute(_query(filters).limit(EXPORT_LIMIT))
    stations = station_names()
    for entry, actor in rows:
        writer.writerow([cell_text(text) for text in (
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            actor.employee_no if actor else "(系统)", actor.name if actor else "",
            action_label(entry.action), ENTITY_LABELS.get(entry.entity_type, entry.entity_type),
            entry.entity_id, values_text(entry.before, stations),
            values_text(entry.after, stations),
            entry.reason or "")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
