"""Who suspended a certificate: read by the access rules (who may lift it) and the service.
Kept apart from service.py so that trainer/auth/access.py reads it without an import cycle."""

from __future__ import annotations

from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Certificate, CertificateStatus, CertificateStatusChange, Role


def suspended_by(certificate: Certificate) -> str:
    """The role of whoever imposed the certificate's suspension (SYSTEM for a rule); HR when
    unknown (the stricter rule of who may lift it)."""
    imposed = suspension_of(certificate)
    return imposed.actor_role if imposed is not None else Role.HR


def suspension_of(certificate: Certificate) -> CertificateStatusChange | None:
    """The change that suspended the certificate (None: not suspended, or no history)."""
    if certificate.status != CertificateStatus.SUSPENDED:
        return None
    return db.session.scalar(
        select(CertificateStatusChange)
        .where(CertificateStatusChange.certificate_id == certificate.id,
               CertificateStatusChange.to_status == CertificateStatus.SUSPENDED)
        .order_by(CertificateStatusChange.at.desc(), CertificateStatusChange.id.desc()).limit(1))
