"""A self-signed HTTPS certificate for the station LAN (`flask --app trainer make-cert`).

Browsers open the microphone only on HTTPS or localhost, so a phone at the pump that reaches
the station server by its LAN address needs HTTPS. The certificate names every LAN IPv4
address of the server (subjectAltName, which is what browsers check), plus localhost and the
host name. No Flask here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CERT_NAME = "cert.pem"
KEY_NAME = "key.pem"


@dataclass(frozen=True)
class MadeCertificate:
    cert: Path
    key: Path
    names: tuple[str, ...]            # every subjectAltName, as text
    lan_addresses: tuple[str, ...]    # the LAN IPv4 addresses among them
    fingerprint: str                  # SHA-256, colon-separated, to compare on the phone


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, in a stable order.

    Reads every interface (Linux ioctl) and the address of the default route; either may be
    unavailable (a container, another OS), so both are tried and merged.
    """
    found: list[str] = []
    for address in (*_interface_addresses(), _default_route_address(), *_hostname_addresses()):
        if address and address not in found and _is_lan(address):
            found.append(address)
    return found


def _is_lan(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_multicast or ip.is_link_local)


def _interface_addresses() -> list[str]:
    addresses: list[str] = []
    try:
        import fcntl

        names = [name for _, name in socket.if_nameindex()]
    except (ImportError, OSError):
        return addresses
    siocgifaddr = 0x8915
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for name in names:
            with contextlib.suppress(OSError):
                packed = fcntl.ioctl(sock.fileno(), siocgifaddr,
                                     struct.pack("256s", name[:15].encode()))
                addresses.append(socket.inet_ntoa(packed[20:24]))
    return addresses


def _default_route_address() -> str | None:
    # Connecting a UDP socket sends nothing; it only picks the interface of the default route.
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("10.255.255.255", 1))
        return sock.getsockname()[0]
    return None


def _hostname_addresses() -> list[str]:
    with contextlib.suppress(OSError):
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        return [info[4][0] for info in infos]
    return []


def make_self_signed(directory: Path, *, extra_addresses: Iterable[str] = (),
                     days: int = 825) -> MadeCertificate:
    """Write cert.pem and key.pem (mode 600) into ``directory`` and describe them.

    ``extra_addresses`` are IP addresses or host names to name as well. Raises ValueError
    (Chinese message) for an address that is neither.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    if not 1 <= days <= 3650:
        raise ValueError("有效天数应在 1 到 3650 之间")
    lan = lan_addresses()
    ips: list[str] = [*lan, "127.0.0.1"]
    dns: list[str] = ["localhost"]
    host = socket.gethostname()
    if host and host != "localhost":
        dns.append(host)
    for extra in extra_addresses:
        extra = extra.strip()
        try:
            ipaddress.ip_address(extra)
            if extra not in ips:
                ips.append(extra)
                if _is_lan(extra):
                    lan.append(extra)
        except ValueError:
            if not extra or any(ch.isspace() or ch in "/:" for ch in extra):
                raise ValueError(f"“{extra}”不是 IP 地址或主机名") from None
            if extra not in dns:
                dns.append(extra)
    alt_names = [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    alt_names += [x509.DNSName(name) for name in dns]
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, lan[0] if lan else "localhost"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "加气站服务培训(自签名)"),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                          crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = directory / KEY_NAME, directory / CERT_NAME
    _write(key_path, key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()), 0o600)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return MadeCertificate(
        cert=cert_path, key=key_path, names=tuple(ips + dns), lan_addresses=tuple(lan),
        fingerprint=":".join(digest[i:i + 2] for i in range(0, len(digest), 2)),
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
