"""A certificate as an Open Badges 3.0 credential (JSON-LD), for digital wallets and HR tools.

The credential is unsigned: it carries no `proof`. The verify URL (in `evidence`) is the proof
- anyone holding the JSON can open it and see whether the certificate is still 有效 - so
there is no signing key to keep safe on a station server. A wallet that insists on a signed
credential will treat it as self-asserted.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime, time
from typing import Any

from trainer.certificates.document import CertificateDocument, format_score
from trainer.timeutil import TIMEZONE

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


def badge_json(doc: CertificateDocument, *, issuer_name: str, issuer_url: str,
               credential_url: str) -> dict[str, Any]:
    """The certificate as an unsigned OpenBadgeCredential (Open Badges 3.0, VC data model 2.0).

    `issuer_url` identifies the issuing company (its site); `credential_url` is where this
    JSON is served, and becomes the credential's id. Valid from the issue date to the end
    of the expiry date, in the stations' time zone. The holder is named in plain text (as on
    the paper certificate); the employee number only as a salted SHA-256 hash, so HR can
    match it without the badge publishing it. Module scores are results (0-100).
    """
    achievement_id = achievement_uri(issuer_url, doc.qualification)
    issuer = {"id": issuer_url, "type": ["Profile"], "name": issuer_name, "url": issuer_url}
    descriptions = [
        {
            "id": f"{achievement_id}#module-{index}",
            "type": ["ResultDescription"],
            "name": title,
            "resultType": "ScaledScore",
            "valueMin": "0",
            "valueMax": "100",
        }
        for index, (title, _) in enumerate(doc.modules, start=1)
    ]
    results = [
        {
            "type": ["Result"],
            "resultDescription": description["id"],
            "value": format_score(score),
        }
        for description, (_, score) in zip(descriptions, doc.modules, strict=True)
    ]
    module_titles = "、".join(title for title, _ in doc.modules) or "规定的培训模块"
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": doc.qualification,
        "description": f"{doc.post_label}岗位上岗资格:完成培训并通过考核,经所在站站长认证上岗。",
        "criteria": {
            "narrative": (
                f"完成以下培训模块并通过考核:{module_titles};"
                f"通过站长现场考核,由所在站站长认证,方可从事{doc.post_label}岗位工作。"
            )
        },
        "creator": issuer,
        "inLanguage": "zh-CN",
        "resultDescription": descriptions,
    }
    identifiers = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False,
         "identityHash": doc.holder_name},
    ]
    if doc.employee_no:
        identifiers.append({
            "type": "IdentityObject", "identityType": "identifier", "hashed": True,
            "identityHash": identity_hash(doc.employee_no, salt=doc.number),
            "salt": doc.number,
        })
    subject = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement,
        "result": results,
    }
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{doc.qualification}({doc.holder_name})",
        "description": f"{issuer_name} 颁发的上岗资格证书,编号 {doc.number}。",
        "issuer": issuer,
        "validFrom": start_of_day(doc.issued_on),
        "validUntil": end_of_day(doc.expires_on),
        "awardedDate": start_of_day(doc.issued_on),
        "credentialSubject": subject,
        "evidence": [{
            "id": doc.verify_url,
            "type": ["Evidence"],
            "name": "在线核验",
            "description": f"打开此网址可查询证书 {doc.number} 的当前状态(有效/已过期/已暂停/已撤销)。",
        }],
        "credentialSchema": [dict(SCHEMA)],
    }
    return credential


def achievement_uri(issuer_url: str, qualification: str) -> str:
    """A stable id for the qualification: the same for every holder of it from one issuer."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer_url}#{qualification}')}"


def identity_hash(value: str, *, salt: str) -> str:
    """Open Badges' salted identity hash: 'sha256$' + hex digest of value + salt."""
    return "sha256$" + hashlib.sha256(f"{value}{salt}".encode()).hexdigest()


def start_of_day(day: date) -> str:
    """The first second of a local date, as an ISO 8601 timestamp with offset."""
    return datetime.combine(day, time(0, 0, 0), TIMEZONE).isoformat()


def end_of_day(day: date) -> str:
    """The last second of a local date: a certificate 有效期至 that date is valid all of it."""
    return datetime.combine(day, time(23, 59, 59), TIMEZONE).isoformat()
