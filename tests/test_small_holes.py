"""Issue 16, item 7 (the parts of this issue; answer-once turns, turn order and the speech model
path are issue 15's): a CR/LF in ?next= after sign-in, and spreadsheet formulas typed with
full-width or look-alike characters. The head's live spoken check answered from the trainee's
phone is tested in tests/test_station_spoken.py
(test_the_staff_member_cannot_answer_or_close_his_heads_check_from_his_phone)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import PASSWORD, Browser, csrf_from
from trainer.spreadsheet import cell_text, starts_formula


@pytest.mark.parametrize("target", [
    "/%0D%0ASet-Cookie:x=1", "/%0ASet-Cookie:x=1", "/me%0D%0ALocation:%20//evil", "/%09/evil",
    "/%5Cevil.example",
])
def test_a_line_break_in_next_never_reaches_the_location_header(app, world, target):
    b = Browser(app.test_client())
    page = b.get("/login?next=" + target)
    response = b.client.post("/login?next=" + target, data={
        "employee_no": "A001", "password": PASSWORD,
        "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert response.headers["Location"] == "/me"
    assert not any(c.startswith("x=") for c in response.headers.getlist("Set-Cookie"))


def test_a_safe_next_is_still_followed(app, world):
    b = Browser(app.test_client())
    page = b.get("/login?next=/certificates/mine")
    response = b.client.post("/login?next=/certificates/mine", data={
        "employee_no": "A001", "password": PASSWORD,
        "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/certificates/mine"


FORMULAS = ["=1+1", "＝1+1", "＝HYPERLINK(\"http://x\")", "﹦1", "＋1", "－1", "＠SUM(A1)",
            "−1", " =1", "\u3000＝1", "\t=1", "\r=1", "+86 138", "@x", "⁼1", "₌1"]
TEXTS = ["张三", "1+1=2", "李=四", "a@b", "", "（备注）", "100"]


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_start_is_made_text(text):
    assert starts_formula(text) and cell_text(text) == "'" + text


@pytest.mark.parametrize("text", TEXTS)
def test_ordinary_text_is_left_alone(text):
    assert not starts_formula(text) and cell_text(text) == text


def test_a_full_width_formula_in_a_name_stays_text_in_the_payroll_files(app):
    from trainer.evaluations import exports

    row = ["A001", "＝HYPERLINK(\"http://x\",\"点我\")", "站", "加气员", "2026-10"]
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx([row]))).active
    assert book["B2"].value.startswith("'＝") and book["B2"].data_type == "s"
    assert "'＝HYPERLINK" in exports.to_csv([row]).decode("utf-8-sig")


def test_a_window_id_past_the_column_is_refused_in_chinese_not_a_500(app, world, login_as):
    head = login_as("head_a")
    response = head.post(f"/practice/speaking-exemptions/{world.id('staff_a')}", {
        "window_id": "99999999999999999999", "reason": "嗓子手术"})
    assert response.status_code == 200 and "请选择一次尚未结束的考核" in response.get_data(as_text=True)
