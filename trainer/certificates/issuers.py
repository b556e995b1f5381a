"""The issuers of the signed badges: one per company, its public profile with its keys, and the
status lists that tell a verifier whether a badge was revoked or is suspended.

Public addresses (served by trainer/certificates/issuer_views.py, no login):

    /issuers/<issuer id>                      the Profile, with its Ed25519 keys (Multikey)
    /issuers/<issuer id>/status/revocation    BitstringStatusListCredential, signed
    /issuers/<issuer id>/status/suspension    the same for suspensions

A certificate's place in the status lists is its row id: it never changes, needs nothing
stored, and one list per purpose covers every certificate.

Callable without a request (the caller passes the public base URL and SECRET_KEY; it commits:
an issuer and its first key are created the first time a badge of its company is asked for).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from trainer.certificates import signing
from trainer.certificates.badges import badge_json
from trainer.certificates.service import document_for
from trainer.extensions import db
from trainer.models import BadgeIssuer, BadgeKey, Certificate, CertificateStatus, Station

PURPOSES = {"revocation": CertificateStatus.REVOKED, "suspension": CertificateStatus.SUSPENDED}


@dataclass(frozen=True)
class Signer:
    issuer: BadgeIssuer
    key: BadgeKey
    private: Ed25519PrivateKey


def issuer_url(base_url: str, issuer: BadgeIssuer) -> str:
    return f"{base_url.rstrip('/')}/issuers/{issuer.public_id}"


def key_id(base_url: str, issuer: BadgeIssuer, key: BadgeKey) -> str:
    return f"{issuer_url(base_url, issuer)}#key-{key.number}"


def status_list_url(base_url: str, issuer: BadgeIssuer, purpose: str) -> str:
    return f"{issuer_url(base_url, issuer)}/status/{purpose}"


def company_of(certificate: Certificate) -> str:
    station = db.session.get(Station, certificate.station_id) if certificate.station_id else None
    return (station.company if station is not None else "") or certificate.station_name


def find_issuer(public_id: str) -> BadgeIssuer | None:
    if not public_id or len(public_id) > 36:
        return None
    return db.session.scalar(select(BadgeIssuer).where(BadgeIssuer.public_id == public_id))


def issuer_for(company: str) -> BadgeIssuer:
    """The company's issuer, created on first use (two requests at once create one)."""
    name = company.strip()[:120] or "加气站"
    found = db.session.scalar(select(BadgeIssuer).where(BadgeIssuer.name == name))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            issuer = BadgeIssuer(name=name)
            db.session.add(issuer)
    except IntegrityError:
        return db.session.scalar(select(BadgeIssuer).where(BadgeIssuer.name == name))
    return issuer


def keys_of(issuer: BadgeIssuer) -> list[BadgeKey]:
    return list(db.session.scalars(select(BadgeKey).where(BadgeKey.issuer_id == issuer.id)
                                   .order_by(BadgeKey.number)))


def signer_for(issuer: BadgeIssuer, secret: str) -> Signer:
    """The issuer's newest key that this site can open; a new key when there is none (the
    first badge, or SECRET_KEY changed: old keys stay published, so old badges still verify)."""
    keys = keys_of(issuer)
    for key in reversed(keys):
        private = signing.open_key(key.private_key_encrypted, secret)
        if private is not None:
            return Signer(issuer, key, private)
    public, sealed = signing.new_key(secret)
    key = BadgeKey(issuer_id=issuer.id, number=(keys[-1].number + 1) if keys else 1,
                   public_key_multibase=public, private_key_encrypted=sealed)
    db.session.add(key)
    db.session.flush()
    return Signer(issuer, key, signing.open_key(sealed, secret))


# --- what is published --------------------------------------------------------------------------


def signed_badge(certificate: Certificate, base_url: str, secret: str) -> dict:
    """The certificate as a signed OpenBadgeCredential, with its status list entries."""
    document = document_for(certificate, base_url)
    issuer = issuer_for(company_of(certificate))
    db.session.flush()
    signer = signer_for(issuer, secret)
    status = [{
        "id": f"{status_list_url(base_url, issuer, purpose)}#{certificate.id}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(certificate.id),
        "statusListCredential": status_list_url(base_url, issuer, purpose),
    } for purpose in PURPOSES]
    credential = badge_json(
        document, issuer_id=issuer_url(base_url, issuer), issuer_name=issuer.name,
        issuer_homepage=base_url.rstrip("/") + "/", issuer_key=issuer.public_id,
        credential_id=f"urn:uuid:{certificate.public_id}", salt=certificate.identity_salt,
        status=status)
    return signing.sign(credential, signer.private, key_id(base_url, issuer, signer.key))


def profile(issuer: BadgeIssuer, base_url: str) -> dict:
    """The issuer's public Profile with every key it has signed with (assertionMethod)."""
    url = issuer_url(base_url, issuer)
    methods = [{"id": key_id(base_url, issuer, key), "type": "Multikey", "controller": url,
                "publicKeyMultibase": key.public_key_multibase} for key in keys_of(issuer)]
    return {
        "@context": [signing.VC_CONTEXT, signing.OB_CONTEXT, signing.MULTIKEY_CONTEXT],
        "id": url,
        "type": ["Profile"],
        "name": issuer.name,
        "url": base_url.rstrip("/") + "/",
        "description": f"{issuer.name} 的上岗资格证书(Open Badges 3.0)签发方。",
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def status_list(issuer: BadgeIssuer, purpose: str, base_url: str, secret: str) -> dict:
    """The signed BitstringStatusListCredential of one purpose, as of now."""
    state = PURPOSES[purpose]
    flagged = list(db.session.scalars(select(Certificate.id).where(Certificate.status == state)))
    largest = db.session.scalar(select(func.max(Certificate.id))) or 0
    url = status_list_url(base_url, issuer, purpose)
    signer = signer_for(issuer, secret)
    credential = {
        "@context": [signing.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(base_url, issuer),
        "validFrom": _utc_now(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": signing.encode_bitstring(signing.bitstring(flagged, largest + 1)),
        },
    }
    return signing.sign(credential, signer.private, key_id(base_url, issuer, signer.key))


def _utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
