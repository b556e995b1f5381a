"""Importing staff: preview, row-numbered errors, all or nothing, UTF-8/GBK/XLSX."""

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import AuditLog, PasswordCode, User

HEADER = "工号,姓名,手机,站点编码,岗位,角色,入职日期,在职\n"
GOOD_ROWS = (
    "A020,刘新,13800000001,KL01,加气员,员工,2025-01-02,是\n"
    "A021,陈新,,KL01,营业员,,2025/01/03,\n"
    "B020,周新,13800000003,HT01,站长,站长,2025年1月4日,是\n"
)


def upload(b, content: bytes, filename="staff.csv"):
    return b.post("/staff/import", {"file": (io.BytesIO(content), filename)},
                  content_type="multipart/form-data")


def user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def confirm(b, html):
    token = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', html).group(1)
    return b.post("/staff/import/confirm", {"token": token})


def test_valid_utf8_file_previews_then_imports_everyone(app, login_as, world):
    b = login_as("hr")
    before = user_count(app)
    preview = upload(b, (HEADER + GOOD_ROWS).encode("utf-8"))
    html = preview.get_data(as_text=True)
    assert "预览:3 人,全部正确" in html and "确认导入 3 人" in html
    assert user_count(app) == before  # a preview writes nothing
    done = confirm(b, html)
    assert done.status_code == 200 and "已导入 3 人" in done.get_data(as_text=True)
    with app.app_context():
        chen = db.session.scalar(select(User).where(User.employee_no == "A021"))
        assert chen.post == "clerk" and chen.role == "staff" and chen.active
        assert chen.password_hash == ""  # no password until he sets one with his code
        codes = db.session.scalars(select(PasswordCode).where(PasswordCode.user_id == chen.id)).all()
        assert len(codes) == 1 and codes[0].used_at is None
        zhou = db.session.scalar(select(User).where(User.employee_no == "B020"))
        assert zhou.role == "head" and zhou.station_id == world.station_b
        assert str(zhou.hire_date) == "2025-01-04"
        created = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.create")).all()
        assert len(created) == 3 and {e.actor_id for e in created} == {world.id("hr")}
    assert user_count(app) == before + 3


def test_confirming_twice_imports_once(app, login_as, world):
    b = login_as("hr")
    html = upload(b, (HEADER + GOOD_ROWS).encode()).get_data(as_text=True)
    confirm(b, html)
    again = confirm(b, html)
    assert "导入已失效" in again.get_data(as_text=True) or again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.employee_no == "A020")) == 1


def test_gbk_and_bom_files_are_accepted(login_as, world):
    b = login_as("hr")
    assert "全部正确" in upload(b, (HEADER + GOOD_ROWS).encode("gbk")).get_data(as_text=True)
    assert "全部正确" in upload(b, (HEADER + GOOD_ROWS).encode("utf-8-sig")).get_data(as_text=True)


def test_other_encodings_are_refused_with_a_clear_message(app, login_as, world):
    b = login_as("hr")
    html = upload(b, (HEADER + GOOD_ROWS).encode("utf-16")).get_data(as_text=True)
    assert "文件编码无法识别" in html
    assert "确认导入" not in html


def test_xlsx_file(app, login_as, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "手机", "站点编码", "岗位", "角色", "入职日期", "在职"])
    sheet.append(["A030", "吴新", 13800000009, "KL01", "加气员", "员工", None, "是"])
    sheet.append([4031, "郑新", None, "HT01", "热线坐席", None, None, None])
    data = io.BytesIO()
    book.save(data)
    b = login_as("admin")
    html = upload(b, data.getvalue(), "staff.xlsx").get_data(as_text=True)
    assert "预览:2 人,全部正确" in html
    confirm(b, html)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.employee_no == "4031")).post == "hotline"
        assert db.session.scalar(select(User).where(User.employee_no == "A030")).phone == "13800000009"


def test_bad_rows_are_reported_by_row_number_and_nothing_is_imported(app, login_as, world):
    rows = (
        "A040,好人,13800000001,KL01,加气员,员工,2025-01-02,是\n"   # row 2: fine
        "H001,人事,,KL01,加气员,,,\n"                               # row 3: HR's account
        "A041,无站,,ZZ99,加气员,,,\n"                               # row 4: unknown station
        "A042,错岗,,KL01,洗车工,,,\n"                               # row 5: unknown post
        "A040,又重,,KL01,加气员,,,\n"                               # row 6: duplicate of row 2
        "A043,坏日期,,KL01,加气员,,2025-13-40,\n"                   # row 7
        "A044,坏手机,123,KL01,加气员,,,\n"                          # row 8
        ",无号,,KL01,加气员,,,\n"                                   # row 9
        "A045,想当管理员,,KL01,加气员,管理员,,\n"                   # row 10
    )
    b = login_as("hr")
    before = user_count(app)
    html = upload(b, (HEADER + rows).encode()).get_data(as_text=True)
    expected = [
        "第 3 行:工号 H001 是人力资源账号,不能通过导入修改",
        "第 4 行:站点编码 ZZ99 不存在",
        "第 5 行:岗位 洗车工 不存在",
        "第 6 行:工号 A040 与第 2 行重复",
        "第 7 行:入职日期 2025-13-40 无法识别",
        "第 8 行:手机号 123 格式不对",
        "第 9 行:缺少工号",
        "第 10 行:不能通过导入授予“管理员”角色",
    ]
    for message in expected:
        assert message in html, message
    assert "<li>第 2 行" not in html
    assert "确认导入" not in html
    assert user_count(app) == before


def test_missing_columns_and_empty_files(login_as, world):
    b = login_as("hr")
    assert "缺少必需的列:站点编码" in upload(b, "工号,姓名,岗位\nA1,甲,加气员\n".encode()).get_data(as_text=True)
    assert "文件是空的" in upload(b, b"").get_data(as_text=True)
    assert "只有表头" in upload(b, HEADER.encode()).get_data(as_text=True)
    assert "只支持 CSV 或 XLSX" in upload(b, b"x", "staff.txt").get_data(as_text=True)
    assert "可能已损坏" in upload(b, b"PK\x03\x04 not really a zip", "staff.xlsx").get_data(as_text=True)


def test_a_conflict_appearing_after_the_preview_imports_nobody(app, login_as, world):
    b = login_as("hr")
    html = upload(b, (HEADER + GOOD_ROWS).encode()).get_data(as_text=True)
    with app.app_context():
        db.session.add(User(employee_no="A021", name="抢先", role="staff", station_id=world.station_a))
        db.session.commit()
    before = user_count(app)
    response = confirm(b, html)
    assert response.status_code == 302
    assert user_count(app) == before
    page = b.get("/staff/import").get_data(as_text=True)
    assert "未导入任何人员" in page


def test_another_users_preview_cannot_be_confirmed(app, login_as, world):
    html = upload(login_as("hr"), (HEADER + GOOD_ROWS).encode()).get_data(as_text=True)
    before = user_count(app)
    other = login_as("admin")
    response = confirm(other, html)
    assert response.status_code == 302 and user_count(app) == before


def test_heads_and_staff_cannot_import(login_as, world):
    for key in ("head_a", "staff_a"):
        assert upload(login_as(key), (HEADER + GOOD_ROWS).encode()).status_code == 403


def test_template_download_is_a_utf8_bom_csv(login_as):
    response = login_as("hr").get("/staff/import/template.csv")
    assert response.data.startswith("\ufeff工号".encode())


def test_cli_import(app, runner, world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes((HEADER + "M001,管理,,KL01,加气员,,,\n").encode("gbk"))
    result = runner.invoke(args=["import-staff", str(bad)])
    assert result.exit_code != 0 and "第 2 行:工号 M001 是管理员账号" in result.output
    good = tmp_path / "good.csv"
    good.write_bytes((HEADER + GOOD_ROWS).encode())
    result = runner.invoke(args=["import-staff", str(good)])
    assert result.exit_code == 0, result.output
    assert "已导入:新增 3 人" in result.output
    assert user_count(app) == len(world.users) + 3


# --- upsert (issue 17): transfers, post changes and leavers in bulk ---------------------------

UPSERT_ROWS = (
    "A001,张一,,HT01,加气员,,,\n"          # row 2: transferred from KL01 to HT01
    "A002,张二,,KL01,营业员,,,\n"          # row 3: attendant → clerk
    "A003,张营业,,KL01,营业员,,,否\n"      # row 4: leaves
    "B001,李一,,HT01,加气员,,,\n"          # row 5: as he is
    "A050,新人,,KL01,加气员,,,\n"          # row 6: new
)


def test_an_upsert_previews_every_change_then_applies_all(app, login_as, world):
    b = login_as("hr")
    html = upload(b, (HEADER + UPSERT_ROWS).encode()).get_data(as_text=True)
    assert "新增 1 人,变更 2 人,停用 1 人,不变 1 人" in html
    table = html.split('id="import-preview"')[1].split("</table>")[0]
    rows = table.split("<tr")[2:]
    assert "变更" in rows[0] and "站点:昆仑加气站 → 海通加气站" in rows[0]
    assert '<td data-label="站点">海通加气站</td>' in rows[0]
    assert "岗位:加气员 → 营业员" in rows[1]
    assert "停用" in rows[2] and "在职:在职 → 离职" in rows[2]
    assert "不变" in rows[3] and "新增" in rows[4]
    with app.app_context():   # a preview writes nothing
        assert db.session.get(User, world.id("staff_a")).station_id == world.station_a
    done = confirm(b, html).get_data(as_text=True)
    assert "已导入 4 人" in done and "变更 2 人" in done and "停用 1 人" in done
    with app.app_context():
        assert db.session.get(User, world.id("staff_a")).station_id == world.station_b
        assert db.session.get(User, world.id("staff_a2")).post == "clerk"
        assert db.session.get(User, world.id("clerk_a")).active is False
        assert db.session.get(User, world.id("staff_b")).name == "李一"
        actions = [e.action for e in db.session.scalars(select(AuditLog))]
        assert actions.count("user.update") == 3 and "user.deactivated" in actions
        assert actions.count("user.create") == 1 and "staff_import.applied" in actions


def test_an_empty_optional_cell_keeps_the_record(app, login_as, world):
    with app.app_context():
        person = db.session.get(User, world.id("staff_a"))
        person.phone = "13900000000"
        db.session.commit()
    b = login_as("hr")
    html = upload(b, (HEADER + "A001,张一,,KL01,加气员,,,\n").encode()).get_data(as_text=True)
    assert "不变 1 人" in html
    confirm(b, html)
    with app.app_context():
        assert db.session.get(User, world.id("staff_a")).phone == "13900000000"


def test_a_change_after_the_preview_applies_nothing(app, login_as, world):
    b = login_as("hr")
    html = upload(b, (HEADER + UPSERT_ROWS).encode()).get_data(as_text=True)
    with app.app_context():
        db.session.get(User, world.id("staff_a2")).post = "clerk"   # somebody did it meanwhile
        db.session.commit()
    response = confirm(b, html)
    assert response.status_code == 302
    assert "预览之后人员资料有变化" in b.get("/staff/import").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world.id("staff_a")).station_id == world.station_a
        assert db.session.get(User, world.id("clerk_a")).active is True


def test_one_bad_row_among_changes_applies_nothing(app, login_as, world):
    b = login_as("hr")
    html = upload(b, (HEADER + UPSERT_ROWS + "A060,错站,,ZZ,加气员,,,\n").encode()).get_data(
        as_text=True)
    assert "确认导入" not in html and "站点编码 ZZ 不存在" in html
    with app.app_context():
        assert db.session.get(User, world.id("clerk_a")).active is True
