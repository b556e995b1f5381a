"""Issue 16, item 6: certificate numbers can be counted, so a number alone shows little.
The QR code carries a random token (the full record); a lookup by number shows the name
masked and needs the holder's 工号 for the rest; the limits hold across server processes."""

from __future__ import annotations

from tests.conftest import Browser
from tests.test_certificates_web import certified
from trainer.certificates.numbering import format_number
from trainer.certificates.service import mask_name


def test_the_qr_token_shows_the_full_record_and_the_number_a_masked_one(app, world, login_as,
                                                                         client):
    _, cert = certified(app, world, login_as)
    assert len(cert.verify_token) >= 22  # 128 random bits
    full = client.get(f"/v/{cert.verify_token}").get_data(as_text=True)
    assert "张一" in full and "昆仑加气站" in full
    masked = client.get(f"/verify/{cert.number}")
    page = masked.get_data(as_text=True)
    assert masked.status_code == 200 and "有效" in page and "张*" in page
    assert "张一" not in page and "昆仑加气站" not in page
    assert client.get("/v/not-a-real-token-at-all").status_code == 404


def test_counting_through_numbers_finds_only_masked_names(app, world, login_as, client):
    certified(app, world, login_as)
    certified(app, world, login_as, "staff_b", "head_b")
    pages = [client.get(f"/verify/{format_number(2026, n)}").get_data(as_text=True)
             for n in range(1, 4)]
    text = " ".join(pages)
    assert "张一" not in text and "李一" not in text and "昆仑加气站" not in text
    assert "张*" in text or "李*" in text


def test_the_holders_employee_number_opens_the_full_record(app, world, login_as):
    _, cert = certified(app, world, login_as)
    visitor = Browser(app.test_client())
    token = visitor.token_from(f"/verify/{cert.number}")
    wrong = visitor.client.post(f"/verify/{cert.number}",
                                data={"employee_no": "A002", "csrf_token": token})
    assert wrong.status_code == 422 and "张一" not in wrong.get_data(as_text=True)
    right = visitor.client.post(f"/verify/{cert.number}",
                                data={"employee_no": " a001 ", "csrf_token": token})
    assert right.status_code == 200 and "张一" in right.get_data(as_text=True)


def test_guessing_employee_numbers_for_one_certificate_stops_whatever_the_address(app, world,
                                                                                 login_as,
                                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_HOLDER_LIMIT", "3 per day")
    _, cert = certified(app, world, login_as)
    codes = []
    for n in range(5):
        visitor = Browser(app.test_client())
        visitor.client.environ_base["REMOTE_ADDR"] = f"10.9.0.{n + 1}"
        token = visitor.token_from(f"/verify/{cert.number}")
        codes.append(visitor.client.post(f"/verify/{cert.number}", data={
            "employee_no": f"B{n:03d}", "csrf_token": token}).status_code)
    assert codes == [422, 422, 422, 429, 429]


def test_verify_limits_are_shared_by_server_processes(app, world, second_app, monkeypatch):
    for each in (app, second_app):
        monkeypatch.setitem(each.config, "VERIFY_RATE_LIMIT", "4 per minute")
    one, two = app.test_client(), second_app.test_client()
    codes = [client.get(f"/verify/{format_number(2026, 5)}").status_code
             for client in (one, two, one, two, one, two)]
    assert codes == [404, 404, 404, 404, 429, 429]


def test_names_are_masked_between_the_first_and_last_character():
    assert [mask_name(n) for n in ("李加气", "李四", "欧阳小明", "王", "")] == [
        "李*气", "李*", "欧**明", "*", "*"]
