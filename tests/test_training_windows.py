"""Assessment windows: station heads for their station, HR for one station or all; the rules
they obey; who may see, change and close them; which window applies to whom."""

from datetime import timedelta

from sqlalchemy import func, select

from tests.training_helpers import attempt_id_from, post_start, window
from trainer.extensions import db
from trainer.models import AssessmentWindow, AuditLog, User
from trainer.timeutil import now
from trainer.windows.service import open_window


def form(module="fueling", start_hours=-1, hours=48, **extra) -> dict:
    opens = now() + timedelta(hours=start_hours)
    closes = opens + timedelta(hours=hours)
    data = {"module_id": module, "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"), "time_limit_minutes": "25",
            "max_attempts": "2", "grading": "highest"}
    data.update(extra)
    return data


def windows(app):
    with app.app_context():
        return db.session.scalars(select(AssessmentWindow).order_by(AssessmentWindow.id)).all()


def test_a_head_opens_an_assessment_for_his_station(app, login_as, world):
    head = login_as("head_a")
    page = head.get("/windows/new?module=fueling").get_data(as_text=True)
    assert "新建考核" in page and 'value="30"' in page        # the module's policy as default
    response = head.post("/windows/new", form(station=str(world.station_b)))
    assert response.status_code == 302
    [row] = windows(app)
    assert row.station_id == world.station_a and row.time_limit_minutes == 25
    listing = head.get("/windows").get_data(as_text=True)
    assert "加气操作流程" in listing and "进行中" in listing
    staff = login_as("staff_a").get("/me/modules/fueling").get_data(as_text=True)
    assert "考核开放中" in staff and "开始理论测验" in staff
    other = login_as("staff_b").get("/me/modules/fueling").get_data(as_text=True)
    assert "现在没有开放的考核" in other
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditLog.id)).where(
            AuditLog.action == "window.created")) == 1


def test_hr_opens_one_for_every_station(app, login_as, world):
    hr = login_as("hr")
    assert "全部站点" in hr.get("/windows/new").get_data(as_text=True)
    hr.post("/windows/new", form(module="phrases", station="all"))
    [row] = windows(app)
    assert row.station_id is None
    for key in ("staff_a", "staff_b"):
        assert "考核开放中" in login_as(key).get("/me/modules/phrases").get_data(as_text=True)


def test_his_stations_window_comes_before_an_all_stations_one(app, world):
    with app.app_context():
        everyone = window("fueling", None)
        own = window("fueling", world.station_a)
        assert open_window(db.session.get(User, world.id("staff_a")), "fueling").id == own
        assert open_window(db.session.get(User, world.id("staff_b")), "fueling").id == everyone


def test_bad_windows_are_refused_with_a_reason(app, login_as, world):
    head = login_as("head_a")
    cases = [
        (form(hours=-2), "结束时间必须晚于开始时间"),
        (form(start_hours=-50, hours=2), "结束时间已经过去"),
        (form(max_attempts="0"), "次数应在 1 到 10 之间"),
        (form(time_limit_minutes="0"), "时限应在 1 到 300 分钟之间"),
        (form(module="no-such-module"), "请选择培训模块"),
        (form(grading="best"), "请选择成绩计算方式"),
        (form(opens_at="明天"), "请填写开始时间"),
    ]
    for data, message in cases:
        response = head.post("/windows/new", data)
        assert response.status_code == 200, data
        assert message in response.get_data(as_text=True), (message, data)
    hr = login_as("hr")
    assert "请选择站点" in hr.post("/windows/new", form(station="999")).get_data(as_text=True)
    assert "请选择站点" in hr.post("/windows/new", form(station="x")).get_data(as_text=True)
    head.post("/windows/new", form())
    clash = head.post("/windows/new", form(start_hours=5))
    assert "时间不能重叠" in clash.get_data(as_text=True)
    assert len(windows(app)) == 1


def test_who_may_change_and_close_which_window(app, login_as, world):
    with app.app_context():
        theirs = window("fueling", world.station_b)
        everyone = window("phrases", None)
        ours = window("safety", world.station_a)
    head = login_as("head_a")
    assert head.get(f"/windows/{theirs}/edit").status_code == 404
    assert head.post(f"/windows/{theirs}/close", {}).status_code == 404
    assert head.get(f"/windows/{everyone}/edit").status_code == 403
    assert head.post(f"/windows/{everyone}/close", {}).status_code == 403
    listing = head.get("/windows").get_data(as_text=True)
    assert "由人力资源安排" in listing and "安全规范" in listing
    for key in ("staff_a", "clerk_a"):
        assert login_as(key).get("/windows").status_code == 403
        assert login_as(key).post(f"/windows/{ours}/close", {}).status_code == 403
    no_reason = head.post(f"/windows/{ours}/close", {}, follow_redirects=True)
    assert "提前结束考核须写明理由" in no_reason.get_data(as_text=True)
    assert head.post(f"/windows/{ours}/close", {"reason": "设备检修,改期考核"}).status_code == 302
    with app.app_context():
        closed = db.session.get(AssessmentWindow, ours)
        assert closed.closes_at <= now()
        assert db.session.get(AssessmentWindow, everyone).closes_at > now()
    again = head.post(f"/windows/{ours}/close", {"reason": "再关一次"})
    assert "已经结束" in head.get(again.headers["Location"]).get_data(as_text=True)
    hr = login_as("hr")
    assert hr.post(f"/windows/{theirs}/close", {"reason": "站点停业"}).status_code == 302


def test_editing_keeps_the_module_once_people_sat_it(app, login_as, world):
    head = login_as("head_a")
    head.post("/windows/new", form())
    [row] = windows(app)
    same = {"opens_at": row.opens_at.strftime("%Y-%m-%dT%H:%M"), "reason": "延长一天"}
    attempt_id_from(post_start(login_as("staff_a"), "/me/modules/fueling/assessment/quiz"))
    refused = head.post(f"/windows/{row.id}/edit", form(module="safety", **same))
    assert "不能再更改模块" in refused.get_data(as_text=True)
    # Once sat, grading and the number of attempts are frozen too (issue 14).
    refused = head.post(f"/windows/{row.id}/edit", form(hours=96, max_attempts="3",
                                                        grading="average", **same))
    assert "不能再更改考核次数、成绩计算方式" in refused.get_data(as_text=True)
    unexplained = head.post(f"/windows/{row.id}/edit", form(hours=96, **{**same, "reason": ""}))
    assert "修改考核安排须写明理由" in unexplained.get_data(as_text=True)
    longer = head.post(f"/windows/{row.id}/edit", form(hours=96, **same))
    assert longer.status_code == 302
    [row] = windows(app)
    assert row.module_id == "fueling" and row.max_attempts == 2 and row.grading == "highest"
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "window.updated"))
        assert entry.after["closes_at"] > entry.before["closes_at"]
        assert entry.reason == "延长一天"
