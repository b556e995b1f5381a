"""Database models, one module per aggregate. Importing this package registers every table."""

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
from trainer.models.certificate import Certificate, CertificateStatus
from trainer.models.people import POSTS, ROLES, Role, Station, User
from trainer.models.practical import PracticalCheck, PracticalKind

__all__ = [
    "POSTS", "ROLES", "AssessmentWindow", "Attempt", "AttemptKind", "AttemptResponse",
    "AttemptStatus", "AuditLog", "Certificate", "CertificateStatus", "Grading", "Mode",
    "PracticalCheck", "PracticalKind", "ResponseStatus", "Review", "ReviewState", "Role",
    "Station", "User", "Verdict",
]
