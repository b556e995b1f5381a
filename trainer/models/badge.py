"""The issuers of signed Open Badges: one per company, with its Ed25519 signing keys.

A company's profile, public keys and status lists are published at public addresses
(trainer/certificates/issuer_views.py); the private key is kept encrypted with a key derived
from the site's SECRET_KEY (trainer/certificates/signing.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import now


def new_public_id() -> str:
    return str(uuid.uuid4())


class BadgeIssuer(db.Model):
    __tablename__ = "badge_issuer"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class BadgeKey(db.Model):
    """One signing key of an issuer. Keys are never deleted: badges signed with an old key
    still verify against its published public half."""

    __tablename__ = "badge_key"
    __table_args__ = (UniqueConstraint("issuer_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("badge_issuer.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    public_key_multibase: Mapped[str] = mapped_column(String(80))
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
