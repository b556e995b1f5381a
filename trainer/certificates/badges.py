"""A certificate as an Open Badges 3.0 credential (JSON-LD), for digital wallets and HR tools.

This module builds the credential (pure: no Flask, no database); trainer/certificates/issuers.py
signs it (Data Integrity, eddsa-rdfc-2022) and adds the issuer's public profile and status
lists, so a verifier can check the signature and whether the badge was revoked or suspended.
The verify URL (in `evidence`) still lets a person check it in a browser.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import date, datetime, time
from html import escape
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


def badge_json(doc: CertificateDocument, *, issuer_id: str, issuer_name: str,
               issuer_homepage: str, issuer_key: str, credential_id: str, salt: str,
               status: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The certificate as an (unsigned) OpenBadgeCredential (Open Badges 3.0, VC 2.0).

    `issuer_id` is the company's public profile (it resolves without a login);
    `issuer_key` a stable id of the company (the achievement ids derive from it, so two
    companies never share one); `credential_id` the certificate's urn:uuid. Valid from the
    issue date to the end of the expiry date, in the stations' time zone. The holder is named
    in plain text (as on the paper certificate); the employee number only as SHA-256 with a
    secret per-certificate `salt` that is not published (employee numbers are few enough to be
    guessed from a hash whose salt is known). Module scores are results (0-100). `status`:
    the BitstringStatusListEntry items.
    """
    achievement_id = achievement_uri(issuer_key, doc.qualification)
    issuer = {"id": issuer_id, "type": ["Profile"], "name": issuer_name, "url": issuer_homepage}
    image = {"id": badge_image(doc.qualification, issuer_name), "type": "Image",
             "caption": doc.qualification}
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
        "image": image,
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
            "identityHash": identity_hash(doc.employee_no, salt=salt),
        })
    subject = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement,
        "result": results,
    }
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{doc.qualification}({doc.holder_name})",
        "description": f"{issuer_name} 颁发的上岗资格证书,编号 {doc.number}。",
        "issuer": issuer,
        "image": image,
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
    if status:
        credential["credentialStatus"] = status
    return credential


def achievement_uri(issuer_key: str, qualification: str) -> str:
    """A stable id for the qualification: the same for every holder of it from one issuer,
    another for every other issuer."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'urn:trainer-issuer:{issuer_key}#{qualification}')}"


def badge_image(qualification: str, issuer_name: str) -> str:
    """The badge's picture: a small SVG as a data: URI (nothing to fetch, works offline)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">'
        '<circle cx="120" cy="120" r="112" fill="#0b5cab"/>'
        '<circle cx="120" cy="120" r="96" fill="none" stroke="#ffffff" stroke-width="4"/>'
        '<text x="120" y="112" font-size="22" fill="#ffffff" text-anchor="middle">'
        f'{escape(qualification[:10])}</text>'
        '<text x="120" y="146" font-size="14" fill="#ffffff" text-anchor="middle">'
        f'{escape(issuer_name[:14])}</text></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def identity_hash(value: str, *, salt: str) -> str:
    """Open Badges' salted identity hash: 'sha256$' + hex digest of value + salt."""
    return "sha256$" + hashlib.sha256(f"{value}{salt}".encode()).hexdigest()


def start_of_day(day: date) -> str:
    """The first second of a local date, as an ISO 8601 timestamp with offset."""
    return datetime.combine(day, time(0, 0, 0), TIMEZONE).isoformat()


def end_of_day(day: date) -> str:
    """The last second of a local date: a certificate 有效期至 that date is valid all of it."""
    return datetime.combine(day, time(23, 59, 59), TIMEZONE).isoformat()
