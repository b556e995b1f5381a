"""Signing credentials: W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite.

A proof signs SHA-256(canonical proof options) || SHA-256(canonical credential), where
"canonical" is the RDF Dataset Canonicalization (RDFC-1.0, published earlier as URDNA2015) of
the JSON-LD as N-Quads, with an Ed25519 key. The public key is published as a Multikey
(`z6Mk...`), the signature as base58btc (`z...`): any verifier following the W3C
specifications checks it with nothing of ours.

Libraries: PyLD (the reference Python JSON-LD implementation) canonicalises, `cryptography`
signs. The JSON-LD contexts are read from ./contexts (no network); an unknown context is an
error, never a download. Private keys are stored encrypted (AES-GCM) with a key derived from
the site's SECRET_KEY.

Pure module apart from the caller's SECRET_KEY: no Flask, no database.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).with_name("contexts")
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
LOCAL_CONTEXTS = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-context-3.0.3.json",
    MULTIKEY_CONTEXT: "multikey-v1.jsonld",
}
CRYPTOSUITE = "eddsa-rdfc-2022"
ED25519_MULTICODEC = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Bitstring Status List: at least 16 KB of bits, so one credential hides among many.
MIN_LIST_BITS = 131_072


class SigningError(Exception):
    """A credential could not be canonicalised or signed (a context we do not hold)."""


# --- encodings --------------------------------------------------------------------------------


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, rest = divmod(number, 58)
        text = _B58[rest] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def multikey(public_key: bytes) -> str:
    """An Ed25519 public key as Multikey publicKeyMultibase: z6Mk..."""
    return "z" + base58btc(ED25519_MULTICODEC + public_key)


def encode_bitstring(bits: bytearray) -> str:
    """A status list's bits as encodedList: multibase base64url (no padding) of GZIP."""
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def bitstring(set_indexes: list[int], length: int = MIN_LIST_BITS) -> bytearray:
    """A list of `length` bits (rounded up to whole lists) with the given positions set; bit 0
    is the leftmost (most significant) bit of the first byte."""
    size = max(length, max(set_indexes, default=0) + 1)
    size = -(-size // MIN_LIST_BITS) * MIN_LIST_BITS
    bits = bytearray(size // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bits


# --- keys -------------------------------------------------------------------------------------


def _wrapping_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"trainer badge signing key").derive(secret.encode())


def new_key(secret: str) -> tuple[str, str]:
    """A fresh Ed25519 key: (publicKeyMultibase, the private key encrypted for storage)."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    nonce = os.urandom(12)
    sealed = AESGCM(_wrapping_key(secret)).encrypt(nonce, raw, b"badge-key")
    return multikey(public), base64.b64encode(nonce + sealed).decode()


def open_key(stored: str, secret: str) -> Ed25519PrivateKey | None:
    """The private key, or None when it was sealed with another SECRET_KEY."""
    from cryptography.exceptions import InvalidTag

    data = base64.b64decode(stored)
    try:
        raw = AESGCM(_wrapping_key(secret)).decrypt(data[:12], data[12:], b"badge-key")
    except InvalidTag:
        return None
    return Ed25519PrivateKey.from_private_bytes(raw)


# --- canonical form and proofs ------------------------------------------------------------------


@cache
def _context(url: str) -> dict:
    return json.loads((CONTEXTS_DIR / LOCAL_CONTEXTS[url]).read_text("utf-8"))


def _load_document(url: str, options: Any = None) -> dict:  # noqa: ARG001
    if url not in LOCAL_CONTEXTS:
        raise SigningError(f"unknown JSON-LD context {url}: only local contexts are used")
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def canonical(document: dict) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document."""
    try:
        return jsonld.normalize(copy.deepcopy(document), {
            "algorithm": "URDNA2015", "format": "application/n-quads",
            "documentLoader": _load_document})
    except jsonld.JsonLdError as error:
        raise SigningError(str(error)) from error


def _hash_data(document: dict, proof_options: dict) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {**proof_options, "@context": unsecured["@context"]}
    return (hashlib.sha256(canonical(options).encode()).digest()
            + hashlib.sha256(canonical(unsecured).encode()).digest())


def sign(document: dict, private_key: Ed25519PrivateKey, verification_method: str,
         created: datetime | None = None) -> dict:
    """The document with an eddsa-rdfc-2022 DataIntegrityProof (assertionMethod) added."""
    created = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created.isoformat().replace("+00:00", "Z"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + base58btc(signature)}}
