"""What issue 16's protections cost: signing a badge, building a status list, and a sign-in
through the database throttle and session table.

    .venv/bin/python benchmarks/bench_security.py [--reps 20]

Runs the real routes with Flask's test client on a temporary SQLite database (the default
scrypt hash), and the signing code directly. Prints the median and the slowest of each:
- badge: canonicalise (RDFC-1.0 via PyLD) and sign one Open Badges credential;
- status list: one signed BitstringStatusListCredential (131,072 bits, 1,000 revoked);
- sign-in: a correct POST /login (throttle row counted and cleared, session row written);
- failed sign-in, known and unknown account (the same cost, by the dummy hash).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.certificates import signing  # noqa: E402

PASSWORD = "Bench-Quay-31-Lotus"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def timed(action, reps: int) -> tuple[float, float]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def badge_document() -> dict:
    return {
        "@context": [signing.VC_CONTEXT, signing.OB_CONTEXT],
        "id": "urn:uuid:0f3b9a61-2a52-4b43-9c55-1d4f9a3b7e21",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "加气员上岗资格(张一)",
        "issuer": {"id": "https://peixun.example.cn/issuers/x", "type": ["Profile"],
                   "name": "昆仑燃气有限公司"},
        "validFrom": "2026-04-10T00:00:00+08:00",
        "validUntil": "2027-04-09T23:59:59+08:00",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"id": "urn:uuid:5f0b1b5e-6b1e-4a5e-9d55-000000000002",
                            "type": ["Achievement"], "name": "加气员上岗资格",
                            "description": "d", "criteria": {"narrative": "n"}},
            "result": [{"type": ["Result"], "resultDescription": f"urn:x#m{i}", "value": "90"}
                       for i in range(5)],
        },
        "credentialStatus": [{
            "id": f"https://peixun.example.cn/issuers/x/status/{p}#7",
            "type": "BitstringStatusListEntry", "statusPurpose": p, "statusListIndex": "7",
            "statusListCredential": f"https://peixun.example.cn/issuers/x/status/{p}"}
            for p in ("revocation", "suspension")],
    }


def bench_signing(reps: int) -> None:
    _, sealed = signing.new_key("bench-secret")
    key = signing.open_key(sealed, "bench-secret")
    document = badge_document()
    median, worst = timed(lambda: signing.sign(document, key, "https://x/issuers/x#key-1"), reps)
    print(f"badge signed:            median {median * 1000:7.1f} ms   max {worst * 1000:7.1f} ms")

    def status_list():
        bits = signing.bitstring(list(range(0, 3000, 3)), 3001)
        credential = {
            "@context": [signing.VC_CONTEXT], "id": "https://x/issuers/x/status/revocation",
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": "https://x/issuers/x", "validFrom": "2026-12-01T00:00:00Z",
            "credentialSubject": {"id": "https://x/issuers/x/status/revocation#list",
                                  "type": "BitstringStatusList", "statusPurpose": "revocation",
                                  "encodedList": signing.encode_bitstring(bits)}}
        signing.sign(credential, key, "https://x/issuers/x#key-1")

    median, worst = timed(status_list, reps)
    print(f"status list signed:      median {median * 1000:7.1f} ms   max {worst * 1000:7.1f} ms")


def bench_sign_in(reps: int) -> None:
    from trainer import create_app
    from trainer.extensions import db
    from trainer.models import Station, User

    tmp = Path(tempfile.mkdtemp(prefix="bench-security-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "LOAD_CONTENT": False},
                     instance_path=str(tmp / "instance"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        station = Station(code="B1", name="测速站", short_name="测速", company="测速燃气")
        db.session.add(station)
        db.session.flush()
        user = User(employee_no="bench", name="测速", role="staff", post="attendant",
                    station_id=station.id)
        user.set_password(PASSWORD)  # scrypt, as in use
        db.session.add(user)
        db.session.commit()

    def attempt(employee_no: str, password: str, address: str) -> int:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
        return client.post("/login", data={"employee_no": employee_no, "password": password,
                                           "csrf_token": token}).status_code

    counter = iter(range(1, 10_000))
    for label, employee_no, password in (("sign-in", "bench", PASSWORD),
                                         ("failed, known account", "bench", "wrong-wrong"),
                                         ("failed, unknown account", "nobody", "wrong-wrong")):
        # Each try from its own address, so the throttle never makes one wait.
        median, worst = timed(lambda e=employee_no, p=password: attempt(
            e, p, f"10.2.{next(counter) // 250}.{next(counter) % 250}"), reps)
        print(f"{label + ':':<25}median {median * 1000:7.1f} ms   max {worst * 1000:7.1f} ms"
              "   (GET /login + POST /login)")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    bench_signing(args.reps)
    bench_sign_in(args.reps)


if __name__ == "__main__":
    main()
