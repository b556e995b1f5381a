"""Certificates: a station head's certification that a person may go on duty in his post.

The holder's name, station and post are copied at issue time, so a certificate reads the same
however records change later. Revoking keeps the number (its verify page then says revoked);
re-issuing makes a new number linked to the old one.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.models.audit import AppendOnlyError
from trainer.timeutil import now
from trainer.vocabulary import CERTIFICATE_STATUS_LABELS as STATUS_LABELS  # noqa: F401
from trainer.vocabulary import CertificateStatus


def new_verify_token() -> str:
    # 128 random bits: the verify link printed in the QR code cannot be guessed or counted.
    return secrets.token_urlsafe(16)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Certificate(db.Model):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    post: Mapped[str] = mapped_column(String(20))
    qualification: Mapped[str] = mapped_column(String(80))
    holder_name: Mapped[str] = mapped_column(String(40))
    employee_no: Mapped[str] = mapped_column(String(32))
    station_name: Mapped[str] = mapped_column(String(80))
    modules: Mapped[list] = mapped_column(JSON)           # [{module_id, title, score}]
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    certified_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    certified_by_name: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default=CertificateStatus.ACTIVE)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    # Public verification and the signed badge (issue 16): the token of the verify link, the
    # badge's urn:uuid and the secret salt of the hashed employee number.
    verify_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_verify_token)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    identity_salt: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    def effective_status(self, on: date) -> str:
        """Revoked and suspended stand; an active certificate past its expiry is expired."""
        if self.status == CertificateStatus.ACTIVE and self.expires_on < on:
            return CertificateStatus.EXPIRED
        return self.status


class CertificateStatusChange(db.Model):
    """Every suspension, lifting and revocation with its reason and who did it (a role:
    head, hr, admin, or system for a rule such as mandatory retraining). Append-only, so a
    reason once written is never overwritten; who may lift a suspension depends on the role
    that imposed it."""

    __tablename__ = "certificate_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_role: Mapped[str] = mapped_column(String(10))


def _refuse(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("证书状态记录只能新增,不能修改或删除")


event.listen(CertificateStatusChange, "before_update", _refuse)
event.listen(CertificateStatusChange, "before_delete", _refuse)
