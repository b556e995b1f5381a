"""Service records: complaints, commendations and safety violations with their evidence.

The station head enters them for his station's staff (never for himself), with a written
account of the evidence and optionally a file (photo, PDF, audio) kept under
``instance/evidence/`` (setting ``EVIDENCE_DIR``). He enters a record 待核实 or, when the
evidence is conclusive, 已核实. Only confirmed records count in an evaluation; a pending one
is shown beside it as "not counted". The head or HR confirms or rejects a pending record; HR
may later reject a confirmed one (with a reason) - a final evaluation keeps what it counted,
a correction would count the change. Every change is in the audit log. The caller commits.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from trainer.audit import log_change, snapshot
from trainer.auth.access import Permission, can
from trainer.evaluations.periods import Period
from trainer.evaluations.policy import EVENT_KINDS, EVENT_LABELS
from trainer.evaluations.records import period_span
from trainer.evaluations.texts import checked_text
from trainer.extensions import db
from trainer.models import ServiceRecord, User
from trainer.models.evaluation import RECORD_CONFIRMED, RECORD_PENDING, RECORD_REJECTED
from trainer.refusals import Refused
from trainer.timeutil import now

MAX_TEXT = 2000
AUDITED = ("kind", "occurred_at", "status", "points", "decision_reason")

# Evidence files: the extension decides the type, and the file's first bytes must agree.
EVIDENCE_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
    ".pdf": "application/pdf", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav",
    ".ogg": "audio/ogg", ".webm": "audio/webm",
}
_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",), "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "audio/ogg": (b"OggS",), "audio/webm": (b"\x1a\x45\xdf\xa3",),
}


# The stored file's name: 32 random hex digits and one of the extensions above.
_EVIDENCE_KEY = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{2,5}")


class RecordError(Refused):
    """A rule refused the action; the message is for the user."""


@dataclass(frozen=True)
class EvidenceFile:
    """An uploaded file: its name as the user had it, and its bytes."""

    filename: str
    data: bytes


# --- who -----------------------------------------------------------------------------------


# --- entering and deciding ------------------------------------------------------------------


def create_record(actor: User, person: User, *, kind: str, occurred_at: datetime,
                  summary: str, evidence: str, points: Decimal | None = None,
                  confirmed: bool = False, file: EvidenceFile | None = None,
                  evidence_dir: Path | None = None, max_bytes: int = 5 * 1024 * 1024,
                  at: datetime | None = None) -> ServiceRecord:
    """Enter a record with its evidence. Raises RecordError (Chinese) and stores nothing on
    bad input; the file is written only when everything else is valid."""
    at = at or now()
    if not can(actor, Permission.ENTER_SERVICE_RECORD, person):
        raise RecordError("只有本站站长可以为本站员工录入服务记录(不能为自己录入)")
    if kind not in EVENT_KINDS:
        raise RecordError("请选择记录类型:投诉、表扬或安全违规")
    if occurred_at > at:
        raise RecordError("发生时间不能晚于现在")
    summary = _text(summary, "请写明发生了什么")
    evidence = _text(evidence, "请写明证据(如顾客来电记录、监控截图说明、现场照片说明)")
    if points is not None and not (Decimal(0) <= points <= Decimal(100)):
        raise RecordError("分值应在 0 到 100 之间")
    if points is not None and points != points.quantize(Decimal("0.01")):
        raise RecordError("分值最多保留两位小数")
    stored = _store_file(file, evidence_dir, max_bytes) if file is not None else None
    record = ServiceRecord(
        user_id=person.id, station_id=person.station_id, kind=kind, occurred_at=occurred_at,
        summary=summary, evidence=evidence, points=points,
        evidence_file=stored, evidence_name=_safe_name(file.filename) if file else None,
        status=RECORD_CONFIRMED if confirmed else RECORD_PENDING,
        decided_by_id=actor.id if confirmed else None, decided_at=at if confirmed else None,
        decision_reason="", entered_by_id=actor.id, created_at=at)
    db.session.add(record)
    db.session.flush()
    log_change(actor, "service_record.created", "service_record", record.id,
               after={**snapshot(record, AUDITED), "user_id": person.id,
                      "evidence_file": record.evidence_name},
               reason=f"{EVENT_LABELS[kind]}:{summary}")
    return record


def confirm_record(record: ServiceRecord, actor: User, reason: str = "") -> ServiceRecord:
    """待核实 -> 已核实 (the record now counts)."""
    if not can(actor, Permission.DECIDE_SERVICE_RECORD, record):
        raise RecordError("只有本站站长或人力资源可以核实服务记录", status=403)
    if record.status != RECORD_PENDING:
        raise RecordError(f"这条记录{record.status_label},不能再核实")
    return _decide(record, actor, RECORD_CONFIRMED, (reason or "").strip()[:MAX_TEXT] or "核实无误")


def reject_record(record: ServiceRecord, actor: User, reason: str) -> ServiceRecord:
    """待核实 -> 不成立 (head or HR); 已核实 -> 不成立 only by HR. A reason is required."""
    if not can(actor, Permission.DECIDE_SERVICE_RECORD, record):
        raise RecordError("只有本站站长或人力资源可以处理服务记录", status=403)
    if record.status == RECORD_REJECTED:
        raise RecordError("这条记录已经认定不成立")
    if record.status == RECORD_CONFIRMED and not can(actor, Permission.OVERRULE_SERVICE_RECORD,
                                                     record):
        raise RecordError("已核实的记录只能由人力资源撤销", status=403)
    return _decide(record, actor, RECORD_REJECTED, _text(reason, "请写明认定不成立的理由"))


def _decide(record: ServiceRecord, actor: User, status: str, reason: str) -> ServiceRecord:
    before = snapshot(record, AUDITED)
    record.status = status
    record.decided_by_id = actor.id
    record.decided_at = now()
    record.decision_reason = reason
    log_change(actor, f"service_record.{status}", "service_record", record.id, before=before,
               after=snapshot(record, AUDITED), reason=reason)
    return record


# --- reading ------------------------------------------------------------------------------


def station_records(station_id: int, period: Period | None = None) -> list[ServiceRecord]:
    """A station's records (of the period), newest first."""
    query = select(ServiceRecord).where(ServiceRecord.station_id == station_id)
    if period is not None:
        start, end = period_span(period)
        query = query.where(ServiceRecord.occurred_at >= start, ServiceRecord.occurred_at < end)
    return list(db.session.scalars(query.order_by(ServiceRecord.occurred_at.desc(),
                                                  ServiceRecord.id.desc())))


def evidence_path(record: ServiceRecord, evidence_dir: Path) -> Path | None:
    """Where the record's evidence file is (None without one, or if it went missing). Only a
    name as _store_file makes it is followed: never a path out of the evidence folder."""
    if not record.evidence_file or not _EVIDENCE_KEY.fullmatch(record.evidence_file):
        return None
    path = evidence_dir / record.evidence_file
    return path if path.is_file() else None


def media_type(record: ServiceRecord) -> str:
    return EVIDENCE_TYPES.get(Path(record.evidence_file or "").suffix.lower(),
                              "application/octet-stream")


# --- files ---------------------------------------------------------------------------------


def _store_file(file: EvidenceFile, evidence_dir: Path | None, max_bytes: int) -> str:
    if evidence_dir is None:
        raise RecordError("没有配置证据文件的存放位置")
    suffix = Path(file.filename or "").suffix.lower()
    kind = EVIDENCE_TYPES.get(suffix)
    if kind is None:
        raise RecordError("证据文件只能是照片(jpg、png、webp)、PDF 或录音(mp3、m4a、wav、ogg、webm)")
    if not file.data:
        raise RecordError("证据文件是空的")
    if len(file.data) > max_bytes:
        raise RecordError(f"证据文件不能超过 {max_bytes // (1024 * 1024)} MB")
    if not _looks_like(kind, file.data):
        raise RecordError("证据文件的内容与扩展名不符,请上传原始文件")
    evidence_dir.mkdir(parents=True, exist_ok=True)
    key = f"{secrets.token_hex(16)}{suffix}"
    (evidence_dir / key).write_bytes(file.data)
    return key


def _looks_like(kind: str, data: bytes) -> bool:
    if kind == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if kind == "audio/wav":
        return data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    if kind == "audio/mp4":
        return data[4:8] == b"ftyp"
    return data.startswith(_SIGNATURES[kind])


def _safe_name(name: str) -> str:
    return Path(name or "证据").name[:200] or "证据"


def _text(value: Any, missing: str) -> str:
    text, problem = checked_text(value, missing, MAX_TEXT)
    if problem:
        raise RecordError(problem)
    return text
