"""Certifying staff, the certificate's life (suspend, lift, revoke, re-issue, renew), the
public verify page, downloads, the renewal list and HR's exports - through the pages."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.station_helpers import (
    certificate_of,
    certify_via_page,
    days_ago,
    flashes,
    make_eligible,
    record_practicals,
    shift_certificate,
)
from tests.training_helpers import pass_all_modules
from trainer.certificates import service
from trainer.certificates.numbering import parse_number
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import AuditLog, Certificate, CertificateStatus, User
from trainer.progress import CLEARED, duty_status
from trainer.timeutil import today


def certified(app, world, login_as, key="staff_a", head="head_a"):
    """Make the person eligible and certify him through the page; returns (browser, cert)."""
    make_eligible(app, world, key, head)
    browser = login_as(head)
    response = certify_via_page(browser, world.id(key))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    cert = certificate_of(app, world.id(key))
    assert cert is not None
    return browser, cert


def duty(app, world, key="staff_a", on=None):
    with app.app_context():
        return duty_status(db.session.get(User, world.id(key)), on)


# --- certifying ---------------------------------------------------------------------------------


def test_a_head_certifies_a_staff_member_who_meets_every_requirement(app, world, login_as):
    assert not duty(app, world).cleared
    browser, cert = certified(app, world, login_as)
    assert parse_number(cert.number) == cert.number
    assert cert.post == "attendant" and cert.qualification == "加气员上岗资格"
    assert cert.holder_name == "张一" and cert.employee_no == "A001"
    assert cert.station_name == "昆仑加气站" and cert.certified_by_name == "甲站长"
    assert cert.issued_on == today()
    # One year: valid to the day before the same date next year.
    assert cert.expires_on == service.expiry_date(today(), 12)
    assert (cert.expires_on - cert.issued_on).days in (364, 365)
    titles = {m["title"] for m in cert.modules}
    assert "服务用语" in titles and all(m["score"] for m in cert.modules)
    page = browser.get(f"/certificates/{cert.id}").get_data(as_text=True)
    assert cert.number in page and "有效" in page
    status = duty(app, world)
    assert status.cleared and status.label == CLEARED
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "certificate.issued"))
        assert entry.actor_id == world.id("head_a") and entry.after["number"] == cert.number


def test_certifying_someone_who_has_not_passed_is_refused_with_what_is_missing(app, world,
                                                                              login_as):
    with app.app_context():
        # Practical checks done, assessments not taken.
        record_practicals(world.id("staff_a"), world.id("head_a"))
    browser = login_as("head_a")
    page = browser.get(f"/station/staff/{world.id('staff_a')}").get_data(as_text=True)
    assert "暂不能认证" in page and "尚未参加考核" in page
    assert "认证上岗并发证" not in page
    response = certify_via_page(browser, world.id("staff_a"))
    assert response.status_code == 302
    message = " ".join(flashes(browser.get(response.headers["Location"]).get_data(as_text=True)))
    assert "不能认证" in message and "考核通过" in message
    assert certificate_of(app, world.id("staff_a")) is None


def test_a_failed_practical_check_blocks_certification(app, world, login_as):
    with app.app_context():
        pass_all_modules(world.id("staff_a"), get_library(), world.station_a)
        record_practicals(world.id("staff_a"), world.id("head_a"), drill=False)
    browser = login_as("head_a")
    page = browser.get(f"/station/staff/{world.id('staff_a')}").get_data(as_text=True)
    assert "加气操作计时:通过" in page and "未通过" in page
    certify_via_page(browser, world.id("staff_a"))
    assert certificate_of(app, world.id("staff_a")) is None


def test_a_head_cannot_certify_another_stations_staff(app, world, login_as):
    make_eligible(app, world, "staff_b", "head_b")
    browser = login_as("head_a")
    assert browser.get(f"/station/staff/{world.id('staff_b')}").status_code == 404
    response = browser.post(f"/station/staff/{world.id('staff_b')}/certify")
    assert response.status_code == 404
    assert certificate_of(app, world.id("staff_b")) is None


def test_only_station_heads_certify(app, world, login_as):
    make_eligible(app, world)
    for key in ("hr", "admin", "staff_a2"):
        response = login_as(key).post(f"/station/staff/{world.id('staff_a')}/certify")
        assert response.status_code == 403, key
    assert certificate_of(app, world.id("staff_a")) is None


def test_the_service_refuses_self_certification_and_people_who_left(app, world):
    with app.app_context():
        head = db.session.get(User, world.id("head_a"))
        check = service.eligibility(head, head)
        assert "不能认证自己,请由上级安排认证" in check.problems and not check.allowed
        staff = db.session.get(User, world.id("staff_a2"))
        staff.active = False
        assert "此人已离职,不能认证" in service.eligibility(staff, head).problems
        with pytest.raises(service.CertificateError):
            service.certify(staff, head)


def test_a_valid_certificate_is_not_issued_twice(app, world, login_as):
    browser, first = certified(app, world, login_as)
    response = certify_via_page(browser, world.id("staff_a"))
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "已持有有效证书" in page
    with app.app_context():
        assert db.session.query(Certificate).count() == 1


# --- verify page ---------------------------------------------------------------------------------


def test_the_verify_page_is_public_and_shows_only_name_post_station_and_status(app, world,
                                                                               login_as, client):
    _, cert = certified(app, world, login_as)
    response = client.get(f"/v/{cert.verify_token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "有效" in page and "张一" in page and "加气员" in page and "昆仑加气站" in page
    assert cert.issued_on.isoformat() in page and cert.expires_on.isoformat() in page
    # No other personal data: no employee number, scores or certifying head.
    assert "A001" not in page and "甲站长" not in page and "服务用语" not in page
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unknown_or_mistyped_number_is_not_found(app, world, login_as, client):
    _, cert = certified(app, world, login_as)
    digits = cert.number.split("-")
    wrong_check = "-".join(digits[:3] + [str((int(digits[3]) + 1) % 10)])
    from trainer.certificates.numbering import format_number

    unknown = format_number(2026, 999999)
    for number in (wrong_check, unknown, "hello", "JQZ-2026"):
        response = client.get(f"/verify/{number}")
        assert response.status_code == 404, number
        assert "未找到" in response.get_data(as_text=True)
        assert "张一" not in response.get_data(as_text=True)


def test_a_number_typed_loosely_finds_the_certificate(app, world, login_as, client):
    _, cert = certified(app, world, login_as)
    typed = " " + cert.number.lower().replace("-", " ") + " "
    response = client.get("/verify", query_string={"number": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{cert.number}")
    assert client.get("/verify", query_string={"number": "JQZ-1"}).status_code == 404


def test_the_verify_page_is_rate_limited(app, world, client, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    codes = [client.get(f"/verify/JQZ-2026-00000{i}-0").status_code for i in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]


# --- suspend, lift, revoke, re-issue -------------------------------------------------------------


def test_suspending_ends_duty_until_lifted(app, world, login_as, client):
    browser, cert = certified(app, world, login_as)
    response = browser.post(f"/certificates/{cert.id}/suspend", {"reason": "服务投诉待查"})
    assert response.status_code == 302
    page = client.get(f"/v/{cert.verify_token}").get_data(as_text=True)
    assert "已暂停" in page and "暂停日期" in page and today().isoformat() in page
    status = duty(app, world)
    assert not status.cleared and "已暂停" in status.missing[0] and "服务投诉待查" in status.missing[0]
    browser.post(f"/certificates/{cert.id}/lift", {"reason": "投诉不属实"})
    assert "有效" in client.get(f"/verify/{cert.number}").get_data(as_text=True)
    assert duty(app, world).cleared
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
        assert actions[-2:] == ["certificate.suspended", "certificate.lifted"]


def test_suspending_or_revoking_needs_a_reason_and_changes_nothing_without_one(app, world,
                                                                              login_as):
    browser, cert = certified(app, world, login_as)
    for action in ("suspend", "revoke"):
        response = browser.post(f"/certificates/{cert.id}/{action}", {"reason": "  "})
        assert response.status_code == 302
        assert "请写明理由" in " ".join(flashes(browser.get(response.headers["Location"])
                                          .get_data(as_text=True)))
    assert certificate_of(app, world.id("staff_a")).status == CertificateStatus.ACTIVE


def test_revoking_keeps_the_number_and_reissuing_links_a_new_one(app, world, login_as, client):
    browser, cert = certified(app, world, login_as)
    browser.post(f"/certificates/{cert.id}/revoke", {"reason": "违反安全规定"})
    page = client.get(f"/v/{cert.verify_token}").get_data(as_text=True)
    assert "已撤销" in page and "撤销日期" in page and today().isoformat() in page
    assert not duty(app, world).cleared
    # A revoked certificate cannot be suspended or lifted.
    response = browser.post(f"/certificates/{cert.id}/suspend", {"reason": "再次"})
    assert "不能暂停" in " ".join(flashes(browser.get(response.headers["Location"])
                                      .get_data(as_text=True)))
    # Re-certification right after a revocation needs new evidence (issue 14).
    response = browser.post(f"/certificates/{cert.id}/reissue")
    assert "撤销" in " ".join(flashes(browser.get(response.headers["Location"])
                                    .get_data(as_text=True)))
    assert certificate_of(app, world.id("staff_a")).id == cert.id
    revoked_earlier(app, cert.id, world.id("staff_a"))
    make_eligible(app, world)
    response = browser.post(f"/certificates/{cert.id}/reissue")
    assert response.status_code == 302
    new = certificate_of(app, world.id("staff_a"))
    assert new.id != cert.id and new.number != cert.number and new.replaces_id == cert.id
    assert duty(app, world).cleared
    old_page = client.get(f"/v/{cert.verify_token}").get_data(as_text=True)
    assert "已撤销" in old_page and new.number in old_page
    assert "有效" in client.get(f"/verify/{new.number}").get_data(as_text=True)


def revoked_earlier(app, certificate_id: int, user_id: int) -> None:
    """Move the revocation an hour back and the evidence before it two hours back, so that
    evidence recorded now is newer than the revocation."""
    from trainer.models import Attempt, PracticalCheck
    from trainer.timeutil import now

    with app.app_context():
        db.session.get(Certificate, certificate_id).status_changed_at = now() - timedelta(hours=1)
        for row in db.session.scalars(select(Attempt).where(Attempt.user_id == user_id)):
            row.submitted_at = row.started_at = now() - timedelta(hours=2)
        for row in db.session.scalars(select(PracticalCheck)
                                      .where(PracticalCheck.user_id == user_id)):
            row.performed_at = now() - timedelta(hours=2)
        db.session.commit()


def test_a_head_of_another_station_cannot_touch_the_certificate(app, world, login_as):
    _, cert = certified(app, world, login_as)
    other = login_as("head_b")
    assert other.get(f"/certificates/{cert.id}").status_code == 404
    assert other.post(f"/certificates/{cert.id}/suspend", {"reason": "x"}).status_code == 404
    assert other.post(f"/certificates/{cert.id}/revoke", {"reason": "x"}).status_code == 404
    assert login_as("staff_a").post(f"/certificates/{cert.id}/suspend",
                                    {"reason": "x"}).status_code == 403
    assert certificate_of(app, world.id("staff_a")).status == CertificateStatus.ACTIVE


def test_hr_may_suspend_and_lift_any_station(app, world, login_as):
    _, cert = certified(app, world, login_as)
    hr = login_as("hr")
    hr.post(f"/certificates/{cert.id}/suspend", {"reason": "人事调查"})
    assert certificate_of(app, world.id("staff_a")).status == CertificateStatus.SUSPENDED
    hr.post(f"/certificates/{cert.id}/lift", {})       # a reason is required (issue 14)
    assert certificate_of(app, world.id("staff_a")).status == CertificateStatus.SUSPENDED
    hr.post(f"/certificates/{cert.id}/lift", {"reason": "调查结束,不属实"})
    assert certificate_of(app, world.id("staff_a")).status == CertificateStatus.ACTIVE


def test_suspend_and_lift_are_callable_without_a_request(app, world, login_as):
    """The evaluations area suspends for mandatory retraining as the system (no actor)."""
    _, cert = certified(app, world, login_as)
    with app.app_context():
        row = db.session.get(Certificate, cert.id)
        service.suspend(row, None, "考评结果:必须重新培训")
        db.session.commit()
        assert service.status_of(row) == CertificateStatus.SUSPENDED
        with pytest.raises(service.CertificateError, match="不能暂停"):
            service.suspend(row, None, "again")
        service.lift(row, None, "复训模块已全部通过")     # the rule lifts its own
        db.session.commit()
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "certificate.suspended"))
        assert entry.actor_id is None and entry.reason == "考评结果:必须重新培训"


# --- expiry and renewal --------------------------------------------------------------------------


def test_an_expired_certificate_ends_cleared_for_duty(app, world, login_as, client):
    _, cert = certified(app, world, login_as)
    assert duty(app, world).cleared
    shift_certificate(app, cert.id, issued=days_ago(400), expires=days_ago(1))
    status = duty(app, world)
    assert not status.cleared and "证书已过期" in status.missing[0]
    assert "已过期" in client.get(f"/verify/{cert.number}").get_data(as_text=True)
    page = login_as("head_a").get("/station").get_data(as_text=True)
    assert "暂不能上岗" in page


def test_the_renewal_list_shows_certificates_expiring_within_30_days(app, world, login_as):
    _, soon = certified(app, world, login_as)
    shift_certificate(app, soon.id, issued=days_ago(350), expires=today() + timedelta(days=12))
    _, later = certified(app, world, login_as, "staff_b", "head_b")
    shift_certificate(app, later.id, issued=days_ago(300), expires=today() + timedelta(days=40))
    hr_page = login_as("hr").get("/certificates/renewals").get_data(as_text=True)
    assert soon.number in hr_page and "12 天" in hr_page and later.number not in hr_page
    head_b_page = login_as("head_b").get("/certificates/renewals").get_data(as_text=True)
    assert soon.number not in head_b_page  # another station's
    shift_certificate(app, later.id, issued=days_ago(340), expires=today() + timedelta(days=20))
    assert later.number in login_as("head_b").get("/certificates/renewals").get_data(as_text=True)
    assert login_as("staff_a").get("/certificates/renewals").status_code == 403


def test_a_head_renews_an_expiring_certificate(app, world, login_as):
    browser, cert = certified(app, world, login_as)
    response = browser.post(f"/certificates/{cert.id}/renew")
    assert "到期前 30 天内才能换发" in " ".join(
        flashes(browser.get(response.headers["Location"]).get_data(as_text=True)))
    shift_certificate(app, cert.id, issued=days_ago(355), expires=today() + timedelta(days=9))
    browser.post(f"/certificates/{cert.id}/renew")
    new = certificate_of(app, world.id("staff_a"))
    assert new.id != cert.id and new.replaces_id == cert.id
    assert new.issued_on == today() and new.expires_on > today() + timedelta(days=360)
    renewals = login_as("hr").get("/certificates/renewals").get_data(as_text=True)
    assert cert.number not in renewals  # renewed: off the list


# --- downloads ---------------------------------------------------------------------------------


def test_the_holder_downloads_his_pdf_and_others_cannot(app, world, login_as):
    _, cert = certified(app, world, login_as)
    holder = login_as("staff_a")
    assert cert.number in holder.get("/certificates/mine").get_data(as_text=True)
    response = holder.get(f"/certificates/{cert.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "张一" in text and cert.number in text and "昆仑加气站" in text
    assert f"/v/{cert.verify_token}" in text
    assert login_as("staff_a2").get(f"/certificates/{cert.id}/pdf").status_code == 404
    assert login_as("head_b").get(f"/certificates/{cert.id}/pdf").status_code == 404
    assert login_as("hr").get(f"/certificates/{cert.id}/pdf").status_code == 200


def test_a_revoked_certificate_downloads_marked_as_revoked(app, world, login_as):
    browser, cert = certified(app, world, login_as)
    browser.post(f"/certificates/{cert.id}/revoke", {"reason": "离职"})
    text = PdfReader(io.BytesIO(browser.get(f"/certificates/{cert.id}/pdf").data)).pages[0]\
        .extract_text()
    assert "已撤销" in text


def test_the_open_badge_points_at_the_verify_page(app, world, login_as):
    _, cert = certified(app, world, login_as)
    response = login_as("staff_a").get(f"/certificates/{cert.id}/badge.json")
    assert response.status_code == 200
    badge = json.loads(response.data)
    assert "OpenBadgeCredential" in badge["type"]
    assert badge["evidence"][0]["id"].endswith(f"/v/{cert.verify_token}")
    assert badge["credentialSubject"]["achievement"]["name"] == "加气员上岗资格"
    assert "A001" not in response.get_data(as_text=True)  # only as a salted hash


# --- exports -----------------------------------------------------------------------------------


def wait_for_job(browser, location: str) -> dict:
    job_id = location.rstrip("/").rsplit("/", 1)[1]
    for _ in range(200):
        data = browser.get(f"/certificates/exports/{job_id}/status").get_json()
        if data["finished"]:
            return data
        time.sleep(0.1)
    raise AssertionError("export did not finish")


def two_stations_certified(app, world, login_as):
    _, a = certified(app, world, login_as)
    _, b = certified(app, world, login_as, "staff_b", "head_b")
    return a, b


def test_hr_exports_a_zip_of_pdfs_filtered_by_station(app, world, login_as):
    a, b = two_stations_certified(app, world, login_as)
    hr = login_as("hr")
    listing = hr.get(f"/certificates?station={world.station_a}").get_data(as_text=True)
    assert a.number in listing and b.number not in listing
    response = hr.post("/certificates/exports", {"station": str(world.station_a), "format": "zip"})
    assert response.status_code == 302
    assert "导出证书" in hr.get(response.headers["Location"]).get_data(as_text=True)
    status = wait_for_job(hr, response.headers["Location"])
    assert status["state"] == "done" and status["done"] == status["total"] == 1
    download = hr.get(status["download"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        names = archive.namelist()
        assert names == [f"{a.number}-张一.pdf"]
        text = PdfReader(io.BytesIO(archive.read(names[0]))).pages[0].extract_text()
        assert a.number in text


def test_hr_exports_one_merged_pdf_filtered_by_status(app, world, login_as):
    a, b = two_stations_certified(app, world, login_as)
    login_as("head_b").post(f"/certificates/{b.id}/revoke", {"reason": "离职"})
    hr = login_as("hr")
    response = hr.post("/certificates/exports", {"status": "revoked", "format": "pdf"})
    status = wait_for_job(hr, response.headers["Location"])
    assert status["total"] == 1
    reader = PdfReader(io.BytesIO(hr.get(status["download"]).data))
    assert len(reader.pages) == 1 and b.number in reader.pages[0].extract_text()
    every = hr.post("/certificates/exports", {"format": "pdf"})
    pages = PdfReader(io.BytesIO(hr.get(wait_for_job(hr, every.headers["Location"])["download"])
                                 .data)).pages
    assert len(pages) == 2


def test_an_export_with_a_bad_date_range_is_refused_with_a_message(app, world, login_as):
    hr = login_as("hr")
    response = hr.post("/certificates/exports", {"issued_from": "2026-05-01",
                                                 "issued_to": "2026-01-01", "format": "zip"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/certificates")
    assert "结束日期不能早于开始日期" in " ".join(flashes(hr.get("/certificates")
                                                    .get_data(as_text=True)))
    bad = hr.post("/certificates/exports", {"issued_from": "not a date", "format": "zip"})
    assert bad.status_code == 302 and "/exports/" not in bad.headers["Location"]


def test_exports_are_for_hr_and_admin_only(app, world, login_as):
    assert login_as("head_a").post("/certificates/exports", {"format": "zip"}).status_code == 403
    assert login_as("staff_a").get("/certificates").status_code == 403
    assert login_as("hr").get("/certificates/exports/0123456789abcdef").status_code == 404
    assert login_as("hr").get("/certificates/exports/../../secret_key").status_code == 404


def test_a_job_that_stopped_reporting_shows_as_failed(app, world, login_as, monkeypatch):
    from trainer.certificates import exports

    hr = login_as("hr")
    response = hr.post("/certificates/exports", {"format": "zip"})
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    wait_for_job(hr, response.headers["Location"])
    with app.app_context():
        job = exports.load_job(job_id)
        job.state = exports.RUNNING
        job.updated = time.time() - 3600  # as if the process died an hour ago
        path = exports.export_dir() / f"{job_id}.json"
        path.write_text(json.dumps(exports.asdict(job)), encoding="utf-8")
    data = hr.get(f"/certificates/exports/{job_id}/status").get_json()
    assert data["state"] == "failed" and data["finished"] and "中断" in data["error"]


def test_the_command_line_exports_certificates(app, world, login_as, tmp_path):
    a, b = two_stations_certified(app, world, login_as)
    target = tmp_path / "out.zip"
    result = app.test_cli_runner().invoke(args=[
        "export-certificates", "--station", "KL01", "--zip", str(target),
        "--base-url", "https://peixun.example.cn"])
    assert result.exit_code == 0, result.output
    assert "1 份" in result.output
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{a.number}-张一.pdf"]
        text = PdfReader(io.BytesIO(archive.read(archive.namelist()[0]))).pages[0].extract_text()
        assert f"https://peixun.example.cn/v/{a.verify_token}" in text
    pdf = tmp_path / "all.pdf"
    result = app.test_cli_runner().invoke(args=["export-certificates", "--pdf", str(pdf),
                                                "--status", "active"])
    assert result.exit_code == 0, result.output
    assert len(PdfReader(pdf).pages) == 2
    wrong = app.test_cli_runner().invoke(args=["export-certificates", "--station", "NOPE",
                                               "--zip", str(tmp_path / "x.zip")])
    assert wrong.exit_code != 0 and "站点编码" in wrong.output


# --- demo data ---------------------------------------------------------------------------------


def test_the_demo_has_a_valid_an_expired_and_a_revoked_certificate(app, client):
    from trainer.demo import seed_demo

    with app.app_context():
        assert seed_demo("pbkdf2:sha256:1000")
        rows = {c.employee_no: c for c in db.session.scalars(select(Certificate))}
        assert set(rows) == {"KL002", "KL003", "HT002"}
        states = {no: service.status_of(c) for no, c in rows.items()}
        assert states == {"KL002": CertificateStatus.ACTIVE, "KL003": CertificateStatus.EXPIRED,
                          "HT002": CertificateStatus.REVOKED}
        cleared = {no: duty_status(db.session.scalar(select(User).where(User.employee_no == no)))
                   .cleared for no in rows}
        assert cleared == {"KL002": True, "KL003": False, "HT002": False}
        # Real records behind them: counted assessments and passed practical checks.
        from trainer.models import Attempt, PracticalCheck

        holder = db.session.scalar(select(User).where(User.employee_no == "KL002"))
        sittings = list(db.session.scalars(select(Attempt).where(Attempt.user_id == holder.id)))
        assert sittings and all(a.counts and a.final_verdict == "pass" for a in sittings)
        assert all(a.started_at.date() < rows["KL002"].issued_on for a in sittings)
        checks = list(db.session.scalars(select(PracticalCheck)
                                         .where(PracticalCheck.user_id == holder.id)))
        assert {c.kind for c in checks} == {"grooming", "drill"} and all(c.passed for c in checks)
        valid_no, revoked = rows["KL002"].number, rows["HT002"]
        assert revoked.status_changed_at.date() < today()
        renewal = [c.number for c in service.expiring(
            db.session.scalar(select(User).where(User.employee_no == "hr01")))]
        assert renewal == [valid_no]
        assert seed_demo() is None  # once only
    assert "有效" in client.get(f"/verify/{valid_no}").get_data(as_text=True)
    assert "已撤销" in client.get(f"/verify/{revoked.number}").get_data(as_text=True)


@pytest.mark.parametrize(("issued", "months", "last_day"), [
    ("2026-03-01", 12, "2027-02-28"),
    ("2026-11-27", 12, "2027-11-26"),
    ("2024-02-29", 12, "2025-02-28"),   # no 29 February: the anniversary is 1 March
    ("2026-01-31", 1, "2026-02-28"),
    ("2026-12-31", 12, "2027-12-30"),
    ("2026-06-15", 24, "2028-06-14"),
])
def test_a_certificate_is_valid_to_the_day_before_its_anniversary(issued, months, last_day):
    from datetime import date

    assert service.expiry_date(date.fromisoformat(issued), months) == date.fromisoformat(last_day)


def test_the_validity_is_configurable(app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_VALID_MONTHS", 24)
    _, cert = certified(app, world, login_as)
    assert cert.expires_on == service.expiry_date(today(), 24)


def test_nonsense_filters_show_a_message_and_everything(app, world, login_as):
    _, cert = certified(app, world, login_as)
    hr = login_as("hr")
    response = hr.get("/certificates", query_string={"station": "abc", "issued_from": "昨天",
                                                     "status": "lost"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "筛选条件有误" in page and cert.number in page
    head_b = login_as("head_b").get("/certificates", query_string={"station": world.station_a})
    assert cert.number not in head_b.get_data(as_text=True)
