"""The platform's one vocabulary: every coded value stored in a status-like column, with its
Chinese label.

Models, rules, the command line and templates all read these names; the migrations build a
CHECK constraint for each column from the same enum (see ``CHECKED_COLUMNS``), so the database
refuses a value the code does not know. Pure: no Flask, no database.

The members are ``StrEnum``: a member *is* its string (``Role.STAFF == "staff"``), so values
read back from the database compare, hash and serialise as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    """A person's permission role: what he may see and do."""

    STAFF = "staff"
    HEAD = "head"
    HR = "hr"
    ADMIN = "admin"


class Post(StrEnum):
    """A person's job post (岗位): which training modules are assigned to him."""

    ATTENDANT = "attendant"
    CLERK = "clerk"
    HOTLINE = "hotline"
    TECHNICIAN = "technician"
    HEAD = "head"


class AttemptKind(StrEnum):
    QUIZ = "quiz"          # a module's quiz questions
    PHRASE = "phrase"      # one spoken or typed service phrase
    DIALOGUE = "dialogue"  # a role-play encounter or complaint dialogue, turn by turn
    DRILL = "drill"        # the timed ordering drill
    DAILY = "daily"        # the daily spaced-repetition practice


class Mode(StrEnum):
    PRACTICE = "practice"
    ASSESSMENT = "assessment"


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    PENDING = "pending"          # 待识别: a recording waits for (or failed) recognition
    SCORED = "scored"
    EXPIRED = "expired"          # the time limit ran out before submission


class ResponseStatus(StrEnum):
    PENDING = "pending"   # recording kept, recognition not done (or failed: retry)
    SCORED = "scored"


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"


class ReviewState(StrEnum):
    NONE = "none"
    PENDING = "pending"      # waiting for the station head
    DECIDED = "decided"


class PracticalKind(StrEnum):
    GROOMING = "grooming"   # 员工形象 checklist, item by item
    DRILL = "drill"         # 加气操作 sequence against its time limits
    SPOKEN = "spoken"       # chosen phrases said live to the head


class Grading(StrEnum):
    """How an assessment window turns several attempts into one result."""

    HIGHEST = "highest"
    FIRST = "first"
    LAST = "last"
    AVERAGE = "average"


class CertificateStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"      # derived from expires_on, never stored


# The statuses a certificate row may hold (expired is computed from the dates).
STORED_CERTIFICATE_STATUSES = (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED,
                               CertificateStatus.REVOKED)


# Who changed a certificate's status: a role, or the system (a rule such as mandatory retraining).
SYSTEM_ACTOR = "system"
ACTOR_ROLES = (*Role, SYSTEM_ACTOR)


class EvaluationStatus(StrEnum):
    """The lifecycle of an evaluation (trainer/evaluations/lifecycle.py has the transitions)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ACKNOWLEDGED = "acknowledged"
    APPEALED = "appealed"
    RESOLVED = "resolved"
    FINAL = "final"


class RecordStatus(StrEnum):
    """Service records: the station head enters them 待核实 or 已核实; only confirmed count."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class PayrollFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ServiceEventKind(StrEnum):
    COMPLAINT = "complaint"
    COMMENDATION = "commendation"
    SAFETY_VIOLATION = "safety_violation"


def _labels(pairs: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(pairs)


# Permission roles and job posts, in the order the UI lists them.
ROLES = _labels({Role.STAFF: "员工", Role.HEAD: "站长", Role.HR: "人力资源", Role.ADMIN: "管理员"})
POSTS = _labels({Post.ATTENDANT: "加气员", Post.CLERK: "营业员", Post.HOTLINE: "热线坐席",
                 Post.TECHNICIAN: "技术员", Post.HEAD: "站长"})
VERDICT_LABELS = _labels({Verdict.PASS: "通过", Verdict.FAIL: "未通过",
                          Verdict.REVIEW: "待站长复核"})
PRACTICAL_LABELS = _labels({PracticalKind.GROOMING: "仪容仪表检查",
                            PracticalKind.DRILL: "加气操作计时",
                            PracticalKind.SPOKEN: "服务用语现场抽查"})
GRADING_LABELS = _labels({Grading.HIGHEST: "取最高分", Grading.FIRST: "取第一次",
                          Grading.LAST: "取最后一次", Grading.AVERAGE: "取平均分"})
CERTIFICATE_STATUS_LABELS = _labels({
    CertificateStatus.ACTIVE: "有效",
    CertificateStatus.EXPIRED: "已过期",
    CertificateStatus.SUSPENDED: "已暂停",
    CertificateStatus.REVOKED: "已撤销",
})
EVALUATION_STATUS_LABELS = _labels({
    EvaluationStatus.DRAFT: "草稿(待站长审核)",
    EvaluationStatus.PUBLISHED: "待员工确认",
    EvaluationStatus.ACKNOWLEDGED: "已确认",
    EvaluationStatus.APPEALED: "申诉中",
    EvaluationStatus.RESOLVED: "申诉已处理",
    EvaluationStatus.FINAL: "已定稿",
})
RECORD_STATUS_LABELS = _labels({RecordStatus.PENDING: "待核实", RecordStatus.CONFIRMED: "已核实",
                                RecordStatus.REJECTED: "不成立"})


# Every coded column and the values the database accepts in it: (table, column) -> values.
# The migration i18_status_checks and the models' CheckConstraints are built from this.
CHECKED_COLUMNS: Mapping[tuple[str, str], tuple[str, ...]] = MappingProxyType({
    ("user_account", "role"): tuple(Role),
    ("user_account", "post"): tuple(Post),
    ("attempt", "kind"): tuple(AttemptKind),
    ("attempt", "mode"): tuple(Mode),
    ("attempt", "status"): tuple(AttemptStatus),
    ("attempt", "verdict"): tuple(Verdict),
    ("attempt", "final_verdict"): tuple(Verdict),
    ("attempt", "review_state"): tuple(ReviewState),
    ("attempt_response", "status"): tuple(ResponseStatus),
    ("attempt_response", "verdict"): tuple(Verdict),
    ("review", "verdict"): tuple(Verdict),
    ("review", "previous_verdict"): tuple(Verdict),
    ("practical_check", "kind"): tuple(PracticalKind),
    ("assessment_window", "grading"): tuple(Grading),
    ("certificate", "status"): STORED_CERTIFICATE_STATUSES,
    ("certificate", "post"): tuple(Post),
    ("certificate_status_change", "from_status"): STORED_CERTIFICATE_STATUSES,
    ("certificate_status_change", "to_status"): STORED_CERTIFICATE_STATUSES,
    ("certificate_status_change", "actor_role"): ACTOR_ROLES,
    ("evaluation", "status"): tuple(EvaluationStatus),
    ("evaluation", "post"): tuple(Post),
    ("service_record", "status"): tuple(RecordStatus),
    ("service_record", "kind"): tuple(ServiceEventKind),
    ("payroll_export", "file_format"): tuple(PayrollFormat),
})


def check_sql(column: str, values: tuple[str, ...]) -> str:
    """The CHECK expression: NULL passes (optional columns), any other value must be known.
    The constraint is named ``ck_<table>_<column>_known`` (the models' naming convention)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IS NULL OR {column} IN ({listed})"
