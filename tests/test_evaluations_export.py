"""The payroll export: final results with the columns a clerk needs (company, station code,
flags with their reasons, duty status, a totals row), everybody not finalized on a second sheet
(XLSX) or in a second file (CSV, both in one ZIP), CSV that Excel opens (UTF-8 with BOM), XLSX
with numbers as numbers and dates as dates, missing scores blank (never 0), recorded in its
own table - and nothing on the evaluations changes. Only HR exports."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from tests.evaluation_helpers import (
    PERIOD,
    assessment,
    check,
    compute,
    evaluation_of,
    full_month,
    user,
)
from trainer.evaluations import exports, service
from trainer.evaluations.service import EvaluationError
from trainer.extensions import db
from trainer.models import AttemptKind, AuditLog, Evaluation, PayrollExport, User

PUBLISHED_AT = datetime(2026, 11, 2, 8, 0)
FINAL_AT = PUBLISHED_AT + timedelta(days=7, hours=1)
HEADER = ["公司", "站点编码", "站点", "工号", "姓名", "岗位", "考核周期", "理论", "口语", "实操",
          "服务记录", "总分", "等级", "绩效系数", "标记", "标记说明", "期末上岗状态", "政策版本",
          "定稿日期"]
OPEN_HEADER = ["公司", "站点编码", "站点", "工号", "姓名", "岗位", "考核周期", "状态", "未定稿原因"]
NO = HEADER.index("工号")


def finalize(world, key: str) -> Evaluation:
    evaluation = evaluation_of(world.id(key))
    head = "head_b" if key.endswith("_b") else "head_a"
    service.publish(evaluation, user(world.id(head)), at=PUBLISHED_AT)
    service.finalize(evaluation, user(world.id("hr")), at=FINAL_AT)
    db.session.commit()
    return evaluation


@pytest.fixture
def period(app, world):
    """staff_a: full month at 92 (final); staff_b: no practical check (final, 数据不全), his
    role-play failed at 71 (counted at 60) and not cleared for duty; staff_a2: computed but
    still a draft; clerk_a: never computed."""
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"), 92)
        assessment(world.id("staff_b"), "safety", "84.5")
        assessment(world.id("staff_b"), "phrases", 71, kind=AttemptKind.DIALOGUE)
        full_month(world.id("staff_a2"), world.id("head_a"), 75)
        compute(world.id("hr"), user_ids=[world.id(k) for k in ("staff_a", "staff_a2", "staff_b")])
        finalize(world, "staff_a")
        finalize(world, "staff_b")
        yield


def export_form(period: str, station: str, file_format: str) -> dict[str, str]:
    """The export form's fields as the HR page names them."""
    return {"export-period": period, "export-station": station,
            "export-file_format": file_format}


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    assert b"\r\n" in content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_zip(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """(the payroll CSV, the not-finalized CSV) of a CSV export."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert len(names) == 2 and names[1].endswith("_未定稿名单.csv"), names
        return read_csv(archive.read(names[0])), read_csv(archive.read(names[1]))


def test_csv_has_the_columns_and_the_final_results_only(app, world, period):
    with app.app_context():
        made = exports.export_payroll(PERIOD, user(world.id("hr")), "csv")
        db.session.commit()
        unfinalized = made.record.unfinalized_count
    rows, waiting = read_zip(made.content)
    assert rows[0] == HEADER
    by_number = {row[NO]: row for row in rows[1:-1]}
    assert set(by_number) == {"A001", "B001"}                 # the draft is not paid on
    assert by_number["A001"] == ["昆仑燃气有限公司", "KL01", "昆仑加气站", "A001", "张一", "加气员",
                                 "2026-10", "92.00", "92.00", "92.00", "100.00", "92.8", "优秀",
                                 "1.2", "", "", "可以上岗", "1", FINAL_AT.date().isoformat()]
    # No practical check: an empty cell, never a zero; the weights went to the others.
    b001 = by_number["B001"]
    assert b001[9] == "" and b001[7:9] == ["84.50", "60.00"]
    # 84.50 x 35.71% + 60 (a failed role-play) x 50% + 100 x 14.29% = 74.464..: 74.5, and
    # not cleared for duty caps at 合格 anyway.
    assert b001[11:14] == ["74.5", "合格", "0.9"]
    assert b001[14] == "数据不全、等级封顶、考核未通过"
    assert "实操无记录" in b001[15] and "暂不能上岗" in b001[15]
    assert b001[16] == "暂不能上岗:没有上岗证书"
    # The totals row: people, the sum of the coefficients, how many carry each flag.
    assert rows[-1][0] == "合计" and rows[-1][4] == "共 2 人" and rows[-1][13] == "2.1"
    assert "数据不全 1 人" in rows[-1][14]
    # Nobody silently missing: the draft and the person never computed.
    assert waiting[0] == OPEN_HEADER
    listed = {row[3]: row for row in waiting[1:]}
    assert listed["A002"][7] == "草稿" and "草稿" in listed["A002"][8]
    assert listed["A003"][7] == "未计算"
    assert made.filename == "考核薪酬_2026-10_全部站点_csv.zip"
    assert unfinalized == len(waiting) - 1


def test_xlsx_keeps_numbers_as_numbers(app, world, period):
    with app.app_context():
        made = exports.export_payroll(PERIOD, user(world.id("hr")), "xlsx")
        db.session.commit()
    book = openpyxl.load_workbook(io.BytesIO(made.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    a001 = next(r for r in rows[1:] if r[NO] == "A001")
    assert a001[7] == pytest.approx(92) and isinstance(a001[11], float) and a001[11] == 92.8
    assert a001[13] == pytest.approx(1.2) and a001[17] == 1
    assert isinstance(a001[18], datetime) and a001[18].date() == FINAL_AT.date()
    assert sheet.cell(2, 19).number_format == "yyyy-mm-dd"
    b001 = next(r for r in rows[1:] if r[NO] == "B001")
    assert b001[9] is None and b001[12] == "合格"
    assert rows[-1][0] == "合计" and rows[-1][13] == pytest.approx(2.1)
    assert sheet.freeze_panes == "A2"
    second = book["未定稿"]
    assert [c.value for c in second[1]] == OPEN_HEADER
    assert {r[3] for r in second.iter_rows(min_row=2, values_only=True)} == {
        "A002", "A003", "A100", "B100"}    # the draft, a clerk and the heads never computed


def test_one_station_only(app, world, period):
    with app.app_context():
        made = exports.export_payroll(PERIOD, user(world.id("hr")), "csv", world.station_b)
        db.session.commit()
        rows, waiting = read_zip(made.content)
    assert [row[NO] for row in rows[1:-1]] == ["B001"]
    assert [row[NO] for row in waiting[1:]] == ["B100"]     # head_b: never computed
    assert made.filename == "考核薪酬_2026-10_HT01_csv.zip"


def test_exporting_is_recorded_apart_and_changes_nothing_on_the_evaluations(app, world, period):
    with app.app_context():
        def snapshot():
            return [(e.id, e.status, e.row_version, e.total, e.result)
                    for e in db.session.scalars(select(Evaluation).order_by(Evaluation.id))]

        before = snapshot()
        made = exports.export_payroll(PERIOD, user(world.id("hr")), "csv")
        db.session.commit()
        db.session.expire_all()
        assert snapshot() == before
        record = db.session.get(PayrollExport, made.record.id)
        assert record.created_by_id == world.id("hr") and record.period == PERIOD
        assert record.row_count == 2 and record.file_format == "csv"
        assert sorted(record.evaluation_ids) == sorted(
            [evaluation_of(world.id("staff_a")).id, evaluation_of(world.id("staff_b")).id])
        assert record.sha256 == hashlib.sha256(made.content).hexdigest()
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "payroll_export.created"))
        assert entry.actor_id == world.id("hr") and entry.entity_id == str(record.id)


def test_a_correction_in_progress_keeps_the_final_result_on_the_payroll(app, world, period):
    with app.app_context():
        final = evaluation_of(world.id("staff_a"))
        service.correct(final, user(world.id("hr")), "实操检查漏录一次")
        db.session.commit()
        check(world.id("staff_a"), world.id("head_a"), 60, passed=False)
        paid, open_rows = exports.payroll_selection(PERIOD)
        assert final.id in [e.id for e in paid]
        assert evaluation_of(world.id("staff_a")).id in [e.id for e in open_rows]


def test_nothing_final_nothing_to_export(app, world):
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"))
        with pytest.raises(EvaluationError, match="还没有已定稿"):
            exports.export_payroll(PERIOD, user(world.id("hr")), "csv")
        with pytest.raises(EvaluationError, match="CSV 或 XLSX"):
            exports.export_payroll(PERIOD, user(world.id("hr")), "pdf")
        with pytest.raises(EvaluationError, match="只有人力资源"):
            exports.export_payroll(PERIOD, user(world.id("admin")), "csv")
        assert db.session.scalar(select(PayrollExport)) is None


def test_a_name_is_never_a_formula_in_the_spreadsheet(app, world, period):
    with app.app_context():
        person = db.session.get(User, world.id("staff_a"))
        evaluation = evaluation_of(person.id)
        row = exports.row_values(evaluation)
        row[4] = "=HYPERLINK(\"x\")"
        content = exports.to_csv([row])
        assert read_csv(content)[1][4] == "'=HYPERLINK(\"x\")"
        sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx([row]))).active
        assert sheet["E2"].value == "'=HYPERLINK(\"x\")" and sheet["E2"].data_type == "s"


# --- through the page ------------------------------------------------------------------------


def test_hr_downloads_the_files_from_the_page(app, world, period, login_as):
    hr = login_as("hr")
    response = hr.post("/evaluations/export", export_form(PERIOD, "", "csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/zip")
    assert "attachment" in response.headers["Content-Disposition"]
    assert read_zip(response.data)[0][0] == HEADER
    response = hr.post("/evaluations/export", export_form(PERIOD, str(world.station_a), "xlsx"))
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert openpyxl.load_workbook(io.BytesIO(response.data)).active.max_row == 3   # + 合计
    page = hr.get("/evaluations/exports").get_data(as_text=True)
    assert page.count("2026-10") == 2 and "CSV" in page and "XLSX" in page


def test_bad_input_gets_a_message_and_exports_nothing(app, world, period, login_as):
    hr = login_as("hr")
    for data in (export_form("2026-13", "", "csv"), export_form(PERIOD, "999", "csv"),
                 export_form(PERIOD, "", "pdf"), export_form("2026-09", "", "csv")):
        response = hr.post("/evaluations/export", data, follow_redirects=True)
        assert response.status_code == 200
        assert "flash-error" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PayrollExport)) is None


@pytest.mark.parametrize("who", ["staff_a", "head_a", "admin"])
def test_only_hr_exports(app, world, period, login_as, who):
    response = login_as(who).post("/evaluations/export", export_form(PERIOD, "", "csv"))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(PayrollExport)) is None


def test_scores_in_the_file_equal_the_breakdown_the_staff_member_sees(app, world, period, login_as):
    with app.app_context():
        evaluation = evaluation_of(world.id("staff_b"))
        made = exports.export_payroll(PERIOD, user(world.id("hr")), "csv")
        db.session.commit()
        exported = {row[NO]: row for row in read_zip(made.content)[0][1:]}["B001"]
        result = service.result_of(evaluation)
    page = login_as("staff_b").get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert f"{result.total}" in page and exported[11] == str(result.total)
    assert Decimal(exported[13]) == result.coefficient
