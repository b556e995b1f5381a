"""Database models, one module per aggregate. Importing this package registers every table."""

from trainer.models.account import AuthSession, LoginFailure, PasswordCode, RateCounter
from trainer.models.assessment import AssessmentWindow, Grading
from trainer.models.attempt import (
    Attempt,
    AttemptKind,
    AttemptResponse,
    AttemptStatus,
    Mode,
    ResponseStatus,
    Review,
    ReviewState,
    Verdict,
)
from trainer.models.audit import AuditLog
from trainer.models.badge import BadgeIssuer, BadgeKey
from trainer.models.certificate import Certificate, CertificateStatus, CertificateStatusChange
from trainer.models.content_override import ContentOverride
from trainer.models.evaluation import (
    Evaluation,
    EvaluationFinalization,
    EvaluationPolicy,
    PayrollExport,
    PeriodOverride,
    Retraining,
    ServiceRecord,
)
from trainer.models.people import POSTS, ROLES, Role, Station, User
from trainer.models.practical import PracticalCheck, PracticalKind
from trainer.models.practice_schedule import PracticeCard, PracticeSync
from trainer.models.speech import SpeakingExemption
from trainer.models.study import CardStudy

__all__ = [
    "POSTS", "ROLES", "AssessmentWindow", "Attempt", "AttemptKind", "AttemptResponse",
    "AttemptStatus", "AuditLog", "AuthSession", "BadgeIssuer", "BadgeKey", "CardStudy",
    "Certificate", "CertificateStatus", "CertificateStatusChange", "ContentOverride", "Evaluation",
    "EvaluationFinalization", "EvaluationPolicy", "Grading", "LoginFailure", "Mode",
    "PasswordCode", "PayrollExport", "PeriodOverride", "PracticalCheck", "PracticalKind",
    "PracticeCard", "PracticeSync", "RateCounter",
    "ResponseStatus", "Retraining", "Review", "ReviewState", "Role", "ServiceRecord",
    "SpeakingExemption", "Station",
    "User", "Verdict",
]
