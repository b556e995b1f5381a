"""Issue 16, item "badges that a verifier can verify": the Open Badges 3.0 credential carries a
Data Integrity proof (eddsa-rdfc-2022) and BitstringStatusList entries, and a verifier written
here from the W3C specifications alone (Verifiable Credentials 2.0, Data Integrity EdDSA
Cryptosuites v1.0, Controlled Identifiers / Multikey, Bitstring Status List v1.0) reads a
revoked badge as revoked. The verifier shares no code with the platform: it resolves every
document over HTTP as an anonymous client, decodes the keys and lists itself, and only uses
PyLD for canonicalisation (RDFC-1.0) with the published context documents."""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from tests.test_certificates_web import certified

CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
}
CONTEXT_DIR = Path(__file__).resolve().parents[1] / "trainer" / "certificates" / "contexts"
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Verifier:
    """A relying party: knows the specifications and the HTTP addresses, nothing else."""

    def __init__(self, client):
        self.client = client  # anonymous: a verifier has no account

    def fetch(self, url: str) -> dict:
        parts = urlsplit(url)
        response = self.client.get(parts.path, base_url=f"{parts.scheme}://{parts.netloc}")
        assert response.status_code == 200, (url, response.status_code)
        return json.loads(response.data)

    # -- encodings (multibase base58btc / base64url, Multikey, the bitstring) --

    @staticmethod
    def base58_decode(text: str) -> bytes:
        number = 0
        for char in text:
            number = number * 58 + ALPHABET.index(char)
        body = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return b"\0" * (len(text) - len(text.lstrip("1"))) + body

    def public_key(self, multibase: str) -> Ed25519PublicKey:
        assert multibase.startswith("z")
        raw = self.base58_decode(multibase[1:])
        assert raw[:2] == b"\xed\x01" and len(raw) == 34, "not an Ed25519 Multikey"
        return Ed25519PublicKey.from_public_bytes(raw[2:])

    @staticmethod
    def bit(encoded_list: str, index: int) -> int:
        assert encoded_list.startswith("u")
        data = encoded_list[1:]
        bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        assert len(bits) * 8 >= 131_072, "a status list is at least 16 KB"
        return (bits[index // 8] >> (7 - index % 8)) & 1

    # -- Data Integrity, eddsa-rdfc-2022 --

    @staticmethod
    def canonize(document: dict) -> bytes:
        def loader(url, options=None):
            return {"contextUrl": None, "documentUrl": url,
                    "document": json.loads((CONTEXT_DIR / CONTEXT_FILES[url]).read_text())}

        return jsonld.normalize(copy.deepcopy(document), {
            "algorithm": "URDNA2015", "format": "application/n-quads",
            "documentLoader": loader}).encode()

    def check_proof(self, document: dict) -> str:
        """Verify the document's proof; returns the controller (issuer) of the key."""
        proof = document["proof"]
        assert proof["type"] == "DataIntegrityProof"
        assert proof["cryptosuite"] == "eddsa-rdfc-2022"
        assert proof["proofPurpose"] == "assertionMethod"
        method_id = proof["verificationMethod"]
        controller_url = method_id.split("#")[0]
        controller = self.fetch(controller_url)
        method = next(m for m in controller["verificationMethod"] if m["id"] == method_id)
        assert method["type"] == "Multikey" and method["controller"] == controller["id"]
        assert method_id in controller["assertionMethod"]
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        options["@context"] = unsecured["@context"]
        hash_data = (hashlib.sha256(self.canonize(options)).digest()
                     + hashlib.sha256(self.canonize(unsecured)).digest())
        signature = self.base58_decode(proof["proofValue"][1:])
        self.public_key(method["publicKeyMultibase"]).verify(signature, hash_data)
        return controller["id"]

    # -- the whole check --

    def verify(self, credential: dict) -> dict:
        result = {"verified": False, "revoked": False, "suspended": False}
        assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
        assert "VerifiableCredential" in credential["type"]
        issuer = credential["issuer"]["id"] if isinstance(credential["issuer"], dict) \
            else credential["issuer"]
        try:
            controller = self.check_proof(credential)
        except InvalidSignature:
            return result
        assert controller == issuer, "signed by a key of another issuer"
        now = datetime.now(UTC)
        assert datetime.fromisoformat(credential["validFrom"]) <= now
        assert now <= datetime.fromisoformat(credential["validUntil"])
        for entry in credential.get("credentialStatus", []):
            assert entry["type"] == "BitstringStatusListEntry"
            status_list = self.fetch(entry["statusListCredential"])
            assert "BitstringStatusListCredential" in status_list["type"]
            assert self.check_proof(status_list) == issuer
            subject = status_list["credentialSubject"]
            assert subject["statusPurpose"] == entry["statusPurpose"]
            if self.bit(subject["encodedList"], int(entry["statusListIndex"])):
                result[{"revocation": "revoked", "suspension": "suspended"}[
                    entry["statusPurpose"]]] = True
        result["verified"] = True
        return result


def download_badge(login_as, cert) -> dict:
    response = login_as("staff_a").get(f"/certificates/{cert.id}/badge.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    return json.loads(response.data)


def test_a_badge_verifies_and_reads_as_revoked_after_revocation(app, world, login_as):
    head, cert = certified(app, world, login_as)
    badge = download_badge(login_as, cert)
    verifier = Verifier(app.test_client())
    assert verifier.verify(badge) == {"verified": True, "revoked": False, "suspended": False}

    head.post(f"/certificates/{cert.id}/suspend", {"reason": "投诉待查"})
    assert verifier.verify(badge)["suspended"] is True
    head.post(f"/certificates/{cert.id}/lift", {"reason": "投诉不属实"})
    assert verifier.verify(badge) == {"verified": True, "revoked": False, "suspended": False}

    # The very JSON the holder downloaded before: a verifier now reads it as revoked.
    head.post(f"/certificates/{cert.id}/revoke", {"reason": "违反安全规定"})
    assert verifier.verify(badge) == {"verified": True, "revoked": True, "suspended": False}


def test_a_changed_badge_fails_its_signature(app, world, login_as):
    _, cert = certified(app, world, login_as)
    badge = download_badge(login_as, cert)
    forged = copy.deepcopy(badge)
    forged["validUntil"] = "2099-12-31T23:59:59+08:00"
    assert Verifier(app.test_client()).verify(forged)["verified"] is False
    renamed = copy.deepcopy(badge)
    renamed["credentialSubject"]["identifier"][0]["identityHash"] = "王冒名"
    assert Verifier(app.test_client()).verify(renamed)["verified"] is False


def test_badge_ids_resolve_publicly_and_companies_do_not_share_them(app, world, login_as):
    _, cert_a = certified(app, world, login_as)
    _, cert_b = certified(app, world, login_as, "staff_b", "head_b")
    badge_a = download_badge(login_as, cert_a)
    badge_b = json.loads(login_as("staff_b").get(f"/certificates/{cert_b.id}/badge.json").data)
    assert badge_a["id"] == f"urn:uuid:{cert_a.public_id}"
    anonymous = app.test_client()
    profile = anonymous.get(urlsplit(badge_a["issuer"]["id"]).path)
    assert profile.status_code == 200  # no login redirect
    assert json.loads(profile.data)["name"] == "昆仑燃气有限公司"
    assert badge_a["issuer"]["id"] != badge_b["issuer"]["id"]
    achievement = badge_a["credentialSubject"]["achievement"]["id"]
    assert achievement != badge_b["credentialSubject"]["achievement"]["id"]
    assert badge_a["credentialSubject"]["achievement"]["image"]["id"].startswith("data:image/")
    # The employee number is hashed with a salt that is not published.
    hashed = [i for i in badge_a["credentialSubject"]["identifier"] if i["hashed"]][0]
    assert "salt" not in hashed
    guesses = {"sha256$" + hashlib.sha256(f"A{n:03d}{salt}".encode()).hexdigest()
               for n in range(1000) for salt in ("", cert_a.number)}
    assert hashed["identityHash"] not in guesses


def test_status_lists_and_profiles_of_unknown_issuers_are_not_found(app, world):
    client = app.test_client()
    assert client.get("/issuers/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/issuers/x/status/revocation").status_code == 404
    assert client.get("/issuers/x/status/other").status_code == 404


def test_a_new_secret_key_adds_a_key_and_old_badges_still_verify(app, world, login_as,
                                                                monkeypatch):
    _, cert = certified(app, world, login_as)
    old_badge = download_badge(login_as, cert)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-after-a-rotation")
    new_badge = download_badge(login_as, cert)
    assert old_badge["proof"]["verificationMethod"] != new_badge["proof"]["verificationMethod"]
    verifier = Verifier(app.test_client())
    assert verifier.verify(old_badge)["verified"] and verifier.verify(new_badge)["verified"]
