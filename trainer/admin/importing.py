"""Importing staff from a CSV or XLSX file: read, check every row, then all or nothing.

An upsert: a new 工号 is 新增, a known one 变更 (transfer to another station, a new post or
role, a new phone) or 停用 (在职 = 否), and a row equal to the record is 不变. An empty
optional cell (手机, 角色, 入职日期, 在职) keeps what the record says. A file is imported only
when every row is valid; the preview lists every change and each bad row with its row number
(as the spreadsheet shows it: the header is row 1) and the reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from trainer.admin.service import ServiceError, create_user, update_user
from trainer.audit import log_change
from trainer.extensions import db
from trainer.models import POSTS, ROLES, Role, Station, User
from trainer.refusals import Refused

MAX_ROWS = 5000
# An XLSX is a ZIP: a small upload can unpack to gigabytes, or claim a million rows of 16384
# columns. The unpacked size is checked before opening, and only as much is read as an
# import can use (blank lines in between are skipped, but not forever).
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
MAX_COLUMNS = 50
MAX_SCANNED_ROWS = 2 * MAX_ROWS

# Accepted column headers, Chinese first, and the field each fills.
HEADERS = {
    "工号": "employee_no", "employee_no": "employee_no",
    "姓名": "name", "name": "name",
    "手机": "phone", "手机号": "phone", "电话": "phone", "phone": "phone",
    "站点编码": "station_code", "站点": "station_code", "station": "station_code",
    "岗位": "post", "post": "post",
    "角色": "role", "权限角色": "role", "role": "role",
    "入职日期": "hire_date", "hire_date": "hire_date",
    "在职": "active", "状态": "active", "active": "active",
}
REQUIRED = ("employee_no", "name", "station_code", "post")
TEMPLATE_HEADER = ["工号", "姓名", "手机", "站点编码", "岗位", "角色", "入职日期", "在职"]

_POST_BY_LABEL = {label: code for code, label in POSTS.items()} | {code: code for code in POSTS}
_ROLE_BY_LABEL = {label: code for code, label in ROLES.items()} | {code: code for code in ROLES}
_TRUE = {"", "是", "在职", "1", "true", "yes", "y"}
_FALSE = {"否", "离职", "0", "false", "no", "n"}
_EMPLOYEE_NO = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_PHONE = re.compile(r"^1\d{10}$")


class ImportFileError(Refused):
    """The file as a whole cannot be read; the message is for the user."""


CREATE, UPDATE, DEACTIVATE, UNCHANGED = "create", "update", "deactivate", "unchanged"
ACTION_LABELS = {CREATE: "新增", UPDATE: "变更", DEACTIVATE: "停用", UNCHANGED: "不变"}
# The fields a row may change on a known person, with their labels for the preview.
CHANGEABLE = {"name": "姓名", "phone": "手机", "station_id": "站点", "post": "岗位",
              "role": "角色", "hire_date": "入职日期", "active": "在职"}


@dataclass
class ImportRow:
    row: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    action: str = CREATE
    user_id: int | None = None
    station_name: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)   # (what, from, to)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(r.row, e) for r in self.rows for e in r.errors]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def summary(self) -> str:
        """新增 2 人,变更 1 人,停用 1 人,不变 3 人 (only the actions present)."""
        parts = [f"{label} {self.count(a)} 人" for a, label in ACTION_LABELS.items()
                 if self.count(a)]
        return ",".join(parts)

    def plan(self) -> list[tuple[str, str, list]]:
        """What applying would do, row by row: compared at confirmation with the plan the
        preview showed, so a change made meanwhile is never applied unseen."""
        return [(str(r.values.get("employee_no", "")).lower(), r.action,
                 [list(c) for c in r.changes]) for r in self.rows]


# --- reading ------------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The file's cells as text, first row the header."""
    if not data:
        raise ImportFileError("文件是空的")
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if filename.lower().endswith(".csv"):
        return _read_csv(decode_text(data))
    raise ImportFileError("只支持 CSV 或 XLSX 文件")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GBK; anything else is refused."""
    if b"\x00" in data:
        raise ImportFileError("文件编码无法识别:请另存为 UTF-8 或 GBK 编码的 CSV 文件")
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文件编码无法识别:请另存为 UTF-8 或 GBK 编码的 CSV 文件")


def _read_csv(text: str) -> list[list[str]]:
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return [row for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        # csv's own message is English ("field larger than field limit", ...).
        raise ImportFileError(f"CSV 格式有误(第 {reader.line_num} 行附近:单元格过长或引号不配对),"
                              "请用 Excel 另存为 CSV 文件后重试") from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("XLSX 文件无法打开,可能已损坏") from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for cells in sheet.iter_rows(max_row=MAX_SCANNED_ROWS, max_col=MAX_COLUMNS,
                                     values_only=True):
            row = [_cell_text(c) for c in cells]
            if any(c.strip() for c in row):
                rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break  # the header and one row too many: check_rows says the file is too long
        return rows
    except Exception as exc:
        raise ImportFileError("XLSX 文件无法读取,可能已损坏") from exc
    finally:
        book.close()


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError("XLSX 文件无法打开,可能已损坏") from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportFileError(f"XLSX 文件解压后超过 {MAX_XLSX_UNPACKED // (1024 * 1024)} MB,"
                              "请删除多余的工作表,或另存为 CSV 文件后导入")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- checking -----------------------------------------------------------------------------


def check_rows(table: list[list[str]]) -> ImportPreview:
    """Check every row against the rules and the database; nothing is written."""
    if not table:
        raise ImportFileError("文件中没有数据")
    columns = _map_header(table[0])
    body = table[1:]
    if not body:
        raise ImportFileError("文件只有表头,没有人员数据")
    if len(body) > MAX_ROWS:
        raise ImportFileError(f"一次最多导入 {MAX_ROWS} 行,请拆分文件")
    stations = {s.code.lower(): s for s in db.session.scalars(select(Station))}
    known = {u.employee_no.lower(): u for u in db.session.scalars(select(User))}
    seen: dict[str, int] = {}
    rows = []
    for offset, cells in enumerate(body):
        number = offset + 2
        raw = {name: (cells[i].strip() if i < len(cells) else "") for i, name in columns.items()}
        row = _check_row(number, raw, stations, seen)
        person = known.get(row.values["employee_no"].lower()) if row.values["employee_no"] else None
        if person is not None:
            _compare(row, raw, person, stations)
        rows.append(row)
    return ImportPreview(rows)


def _compare(row: ImportRow, raw: dict[str, str], person: User, stations: dict) -> None:
    """Turn a row about a known person into 变更 / 停用 / 不变 with the list of changes."""
    row.user_id = person.id
    row.values["employee_no"] = person.employee_no     # as the record spells it
    if person.role in (Role.ADMIN, Role.HR):
        row.errors.append(f"工号 {person.employee_no} 是{ROLES[person.role]}账号,"
                          "不能通过导入修改,请由管理员单独修改")
        return
    # An empty optional cell keeps the record's value.
    for name in ("phone", "hire_date", "active", "role"):
        if not raw.get(name):
            row.values[name] = getattr(person, name)
    if row.errors:
        return
    names = {s.id: s.name for s in stations.values()}
    for name, label in CHANGEABLE.items():
        before, after = getattr(person, name), row.values.get(name)
        if (before or None) != (after or None):
            row.changes.append((label, _shown(name, before, names), _shown(name, after, names)))
    if person.active and row.values["active"] is False:
        row.action = DEACTIVATE
    elif row.changes:
        row.action = UPDATE
    else:
        row.action = UNCHANGED


def _shown(name: str, value: Any, stations: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if name == "station_id":
        return stations.get(value, str(value))
    if name == "post":
        return POSTS.get(value, value)
    if name == "role":
        return ROLES.get(value, value)
    if name == "active":
        return "在职" if value else "离职"
    return str(value)


def _map_header(header: list[str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for i, title in enumerate(header):
        key = HEADERS.get(title.strip().lstrip("\ufeff").lower()) or HEADERS.get(title.strip())
        if key and key not in columns.values():
            columns[i] = key
    missing = [t for t, k in (("工号", "employee_no"), ("姓名", "name"), ("站点编码", "station_code"),
                              ("岗位", "post")) if k not in columns.values()]
    if missing:
        raise ImportFileError("缺少必需的列:" + "、".join(missing) + "(表头应为:" + ",".join(TEMPLATE_HEADER) + ")")
    return columns


def _check_row(number: int, raw: dict[str, str], stations: dict, seen: dict) -> ImportRow:
    errors: list[str] = []
    values: dict[str, Any] = {}
    station_name = ""
    employee_no = raw.get("employee_no", "")
    for name in REQUIRED:
        if not raw.get(name):
            errors.append(f"缺少{_LABELS[name]}")
    if employee_no:
        if not _EMPLOYEE_NO.match(employee_no):
            errors.append("工号只能包含字母、数字、- 和 _")
        elif employee_no.lower() in seen:
            errors.append(f"工号 {employee_no} 与第 {seen[employee_no.lower()]} 行重复")
        seen.setdefault(employee_no.lower(), number)
    values["employee_no"] = employee_no
    name = raw.get("name", "")
    if len(name) > 40:
        errors.append("姓名过长")
    values["name"] = name
    phone = raw.get("phone", "")
    if phone and not _PHONE.match(phone):
        errors.append(f"手机号 {phone} 格式不对,应为 11 位数字")
    values["phone"] = phone
    code = raw.get("station_code", "")
    if code:
        station = stations.get(code.lower())
        if station is None:
            errors.append(f"站点编码 {code} 不存在")
        else:
            values["station_id"] = station.id
            station_name = station.name
    post = raw.get("post", "")
    if post:
        if post not in _POST_BY_LABEL:
            errors.append(f"岗位 {post} 不存在(可选:{'、'.join(POSTS.values())})")
        values["post"] = _POST_BY_LABEL.get(post)
    role = raw.get("role", "") or ROLES[Role.STAFF]
    if role not in _ROLE_BY_LABEL:
        errors.append(f"角色 {role} 不存在(可选:{'、'.join(ROLES.values())})")
    elif _ROLE_BY_LABEL[role] in (Role.ADMIN, Role.HR):
        # Office roles are granted by the admin one at a time, never in bulk.
        errors.append(f"不能通过导入授予“{role}”角色,请由管理员单独创建")
    values["role"] = _ROLE_BY_LABEL.get(role)
    hire = raw.get("hire_date", "")
    values["hire_date"] = None
    if hire:
        parsed = _parse_date(hire)
        if parsed is None:
            errors.append(f"入职日期 {hire} 无法识别,请用 2024-03-01 格式")
        values["hire_date"] = parsed
    active = raw.get("active", "").lower()
    if active not in _TRUE | _FALSE:
        errors.append(f"在职 {raw.get('active')} 无法识别,请填 是 或 否")
    values["active"] = active not in _FALSE
    return ImportRow(number, values, errors, station_name=station_name)


_LABELS = {"employee_no": "工号", "name": "姓名", "station_code": "站点编码", "post": "岗位"}


def _parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --- applying -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[tuple[User, str]]          # with the one-time code of each new person
    updated: list[User]
    deactivated: list[User]


def apply_import(actor: User, preview: ImportPreview, filename: str = "") -> ImportResult:
    """Apply every row of a valid preview (new people, changes, leavers); the caller commits
    them in one transaction, all or nothing. Each change is audited by the staff service, and
    the import as a whole once more."""
    if not preview.valid:
        raise ServiceError("文件中还有错误的行,未导入任何人员")
    result = ImportResult([], [], [])
    for row in preview.rows:
        if row.action == CREATE:
            result.created.append(create_user(actor, dict(row.values)))
        elif row.action in (UPDATE, DEACTIVATE):
            person = db.session.get(User, row.user_id)
            data = {k: v for k, v in row.values.items() if k in CHANGEABLE}
            update_user(actor, person, data)
            (result.deactivated if row.action == DEACTIVATE else result.updated).append(person)
    log_change(actor if actor.id else None, "staff_import.applied", "staff_import",
               filename[:40] or "-", after={
                   "新增": len(result.created), "变更": len(result.updated),
                   "停用": len(result.deactivated), "不变": preview.count(UNCHANGED)},
               reason=f"导入文件 {filename}" if filename else "")
    return result


# --- the preview between upload and confirmation -----------------------------------------


def save_pending(directory: Path, owner_id: int, filename: str, table: list[list[str]],
                 plan: list | None = None) -> str:
    """Keep the uploaded table (and the plan its preview showed) until the user confirms;
    returns the token naming it."""
    directory.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    payload = {"owner": owner_id, "filename": filename, "table": table, "plan": plan}
    (directory / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    return token


def load_pending(directory: Path, owner_id: int, token: str) -> tuple[str, list[list[str]]]:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        raise ImportFileError("导入已失效,请重新上传文件")
    path = directory / f"{token}.json"
    try:
        payload = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFileError("导入已失效,请重新上传文件") from exc
    if payload.get("owner") != owner_id:
        raise ImportFileError("导入已失效,请重新上传文件")
    return payload["filename"], payload["table"]


def pending_plan(directory: Path, token: str) -> list | None:
    """The plan saved with a pending import (load_pending has checked the token)."""
    try:
        payload = json.loads((directory / f"{token}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return payload.get("plan")


def discard_pending(directory: Path, token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}", token or ""):
        (directory / f"{token}.json").unlink(missing_ok=True)


def preview_as_dict(preview: ImportPreview) -> list[dict]:
    return [asdict(r) for r in preview.rows]
