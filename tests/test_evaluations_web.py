"""The evaluation pages as each user meets them: the staff member's breakdown with the attempts
(transcripts, recordings), checks and service records behind it, acknowledging and appealing;
the station head's period, review and service records with evidence; HR's overview,
computing, resolving, finalizing, correcting and the policy editor; the charts. Wrong users
are tried on purpose: other people's records are 404, the wrong role 403, bad input a Chinese
message that changes nothing. Browser tests at phone size save screenshots under
artifacts/screenshots/evaluations-*.png."""

from __future__ import annotations

import io
import re
import struct
import wave
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.browser_helpers import SHOTS, chromium, fits_the_phone, phone_tab
from tests.conftest import PASSWORD
from tests.evaluation_helpers import (
    IN_PERIOD,
    PERIOD,
    assessment,
    check,
    compute,
    evaluation_of,
    event,
    full_month,
    user,
)
from tests.file_helpers import tiny_png
from trainer.attempts.service import (
    add_spoken_turn,
    complete_spoken_turn,
    finish_attempt,
    start_attempt,
)
from trainer.evaluations import lifecycle, service
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import (
    AttemptKind,
    Evaluation,
    EvaluationPolicy,
    Mode,
    ServiceRecord,
)
from trainer.speech.transcript import Transcript
from trainer.timeutil import now

PUBLISHED_AT = datetime(2026, 11, 2, 8, 0)


def tone_wav(seconds: float = 1.0) -> bytes:
    """A real 16 kHz mono WAV (a 440 Hz tone)."""
    import math

    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / 16000)))
                      for n in range(int(16000 * seconds)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(frames)
    return buffer.getvalue()


def spoken_assessment(app, user_id: int, transcript: str) -> tuple[int, int]:
    """A role-play assessment answered by voice: the recording kept, recognised, scored.
    Returns (attempt id, response id)."""
    from trainer.turns.recognition import recording_store

    library = get_library()
    item = library.item("sl-greet")
    person = user(user_id)
    attempt = start_attempt(person, module_id="phrases", module_version="test",
                            kind=AttemptKind.DIALOGUE, mode=Mode.ASSESSMENT,
                            item_id="sl-dlg-cng-full")
    db.session.flush()
    key = recording_store(app).save(tone_wav(), "wav")
    response = add_spoken_turn(attempt, 0, item_id=item.id, values=person.station.phrase_values(),
                               recording_key=key, prompt="顾客把车开进加气站",
                               expected="您好,欢迎光临")
    db.session.flush()
    complete_spoken_turn(response, library.compile(item),
                         Transcript(text=transcript, duration=1.0, engine="test"))
    finish_attempt(attempt)
    attempt.started_at = attempt.submitted_at = IN_PERIOD
    db.session.commit()
    return attempt.id, response.id


@pytest.fixture
def published(app, world, recordings_dir, tmp_path, monkeypatch):
    """staff_a's October: a quiz, a spoken role-play with its recording, a drill and a
    confirmed commendation with a photo; computed by HR and published by head_a."""
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    with app.app_context():
        staff, head = world.id("staff_a"), world.id("head_a")
        quiz = assessment(staff, "safety", 88)
        spoken, response = spoken_assessment(app, staff, "您好欢迎光临昆仑加气站")
        drill = check(staff, head, 76, passed=False)
        from trainer.evaluations.service_records import EvidenceFile, create_record

        record = create_record(user(head), user(staff), kind="commendation",
                               occurred_at=IN_PERIOD, summary="顾客写表扬信", evidence="表扬信原件",
                               confirmed=True, file=EvidenceFile("表扬信.png", tiny_png()),
                               evidence_dir=tmp_path / "evidence")
        db.session.commit()
        compute(world.id("hr"))
        evaluation = evaluation_of(staff)
        assert service.publish(evaluation, user(head), at=now() - timedelta(hours=1))
        db.session.commit()
        return {"evaluation": evaluation.id, "quiz": quiz, "spoken": spoken, "response": response,
                "drill": drill, "record": record.id}


def text_of(response) -> str:
    return response.get_data(as_text=True)


# --- the staff member ---------------------------------------------------------------------------


def test_the_staff_member_sees_why_he_got_his_grade(login_as, published):
    staff = login_as("staff_a")
    page = text_of(staff.get(f"/evaluations/{published['evaluation']}"))
    for expected in ("2026年10月考核", "理论", "口语", "实操", "服务记录", "计算过程", "绩效系数",
                     "待员工确认", "确认考核结果", "我要申诉", "权重 25%", "计入总分"):
        assert expected in page, expected
    # every record behind a score is a link
    eid = published["evaluation"]
    for link in (f"/evaluations/{eid}/attempts/{published['quiz']}",
                 f"/evaluations/{eid}/attempts/{published['spoken']}",
                 f"/evaluations/{eid}/checks/{published['drill']}",
                 f"/evaluations/records/{published['record']}"):
        assert link in page, link
    listing = text_of(staff.get("/evaluations/mine"))
    assert f"/evaluations/{eid}" in listing and "<svg" in listing and "ev-line-total" in listing


def test_click_through_to_the_attempt_its_transcript_and_recording(login_as, published):
    staff = login_as("staff_a")
    eid = published["evaluation"]
    page = text_of(staff.get(f"/evaluations/{eid}/attempts/{published['spoken']}"))
    assert "您好欢迎光临昆仑加气站" in page
    audio = f"/recordings/{published['response']}"
    assert f'src="{audio}"' in page
    sound = staff.get(audio)
    assert sound.status_code == 200 and sound.data[:4] == b"RIFF"
    check_page = text_of(staff.get(f"/evaluations/{eid}/checks/{published['drill']}"))
    assert "加气操作计时" in check_page and "未通过" in check_page and "76" in check_page
    record_page = text_of(staff.get(f"/evaluations/records/{published['record']}?from={eid}"))
    assert "顾客写表扬信" in record_page and "表扬信原件" in record_page
    photo = staff.get(f"/evaluations/records/{published['record']}/evidence")
    assert photo.status_code == 200 and photo.data.startswith(b"\x89PNG")


def test_an_attempt_not_behind_the_evaluation_is_not_shown_through_it(app, login_as, published,
                                                                       world):
    with app.app_context():
        practice = assessment(world.id("staff_a"), "safety", 50, mode=Mode.PRACTICE)
        november = check(world.id("staff_a"), world.id("head_a"), 40,
                         at=IN_PERIOD + timedelta(days=30))
    staff = login_as("staff_a")
    eid = published["evaluation"]
    assert staff.get(f"/evaluations/{eid}/attempts/{practice}").status_code == 404
    assert staff.get(f"/evaluations/{eid}/checks/{november}").status_code == 404
    assert staff.get(f"/evaluations/{eid}/checks/{published['drill']}").status_code == 200


@pytest.mark.parametrize("who", ["staff_a2", "staff_b", "head_b"])
def test_other_people_get_404_on_everything_of_his(login_as, published, who):
    browser = login_as(who)
    eid = published["evaluation"]
    for url in (f"/evaluations/{eid}", f"/evaluations/{eid}/attempts/{published['quiz']}",
                f"/evaluations/{eid}/checks/{published['drill']}",
                f"/evaluations/records/{published['record']}",
                f"/evaluations/records/{published['record']}/evidence"):
        assert browser.get(url).status_code == 404, url
    for action in ("acknowledge", "appeal"):
        if who.startswith("staff"):
            assert browser.post(f"/evaluations/{eid}/{action}", {"reason": "x"}).status_code == 404


def test_a_draft_is_not_shown_to_the_staff_member_yet(app, world, login_as):
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"))
        eid = evaluation_of(world.id("staff_a")).id
    staff = login_as("staff_a")
    assert staff.get(f"/evaluations/{eid}").status_code == 404
    assert f"/evaluations/{eid}" not in text_of(staff.get("/evaluations/mine"))
    assert login_as("head_a").get(f"/evaluations/{eid}").status_code == 200


def test_acknowledge_and_appeal_through_the_page(app, login_as, published, world):
    staff = login_as("staff_a")
    eid = published["evaluation"]
    page = text_of(staff.post(f"/evaluations/{eid}/appeal", {"reason": "  "}, follow_redirects=True))
    assert "请写明申诉理由" in page
    with app.app_context():
        assert db.session.get(Evaluation, eid).status == lifecycle.PUBLISHED
    page = text_of(staff.post(f"/evaluations/{eid}/appeal", {"reason": "加气计时那天设备故障"},
                              follow_redirects=True))
    assert "申诉已提交" in page and "加气计时那天设备故障" in page and "申诉中" in page
    page = text_of(staff.post(f"/evaluations/{eid}/acknowledge", follow_redirects=True))
    assert "员工已提出申诉" in page
    hr = login_as("hr")
    page = text_of(hr.post(f"/evaluations/{eid}/resolve",
                           {"resolution": "核实设备故障,实操按 85 分计", "practical": "85"},
                           follow_redirects=True))
    assert "申诉已处理" in page and "人力资源调整" in page
    page = text_of(hr.post(f"/evaluations/{eid}/finalize", follow_redirects=True))
    assert "已定稿" in page
    with app.app_context():
        evaluation = db.session.get(Evaluation, eid)
        assert evaluation.status == lifecycle.FINAL
        assert service.result_of(evaluation).component("practical").score == 85
    history = text_of(staff.get(f"/evaluations/{eid}"))
    for step in ("计算草稿", "审核完成,发给员工", "员工申诉", "处理申诉", "定稿", "人事甲", "甲站长"):
        assert step in history, step


# --- the station head ---------------------------------------------------------------------------


def test_the_head_reviews_his_stations_draft(app, world, login_as):
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"), 82)
        assessment(world.id("staff_a2"), "safety", 60)
        assessment(world.id("staff_a2"), "image", 70, verdict="review")
        compute(world.id("hr"))
        eid = evaluation_of(world.id("staff_a")).id
        other = evaluation_of(world.id("staff_a2")).id
    head = login_as("head_a")
    page = text_of(head.get(f"/evaluations/station?period={PERIOD}"))
    for expected in ("本站考核结果", "需要关注", "张二", "数据不全", "待复核或待核实", "等级分布"):
        assert expected in page, expected
    assert "<svg" in page and "ev-col" in page
    page = text_of(head.post(f"/evaluations/{eid}/adjust",
                             {"component": "practical", "score": "95", "reason": ""},
                             follow_redirects=True))
    assert "调整分数必须填写书面理由" in page
    page = text_of(head.post(f"/evaluations/{eid}/adjust",
                             {"component": "practical", "score": "95", "reason": "补测表现优秀"},
                             follow_redirects=True))
    assert "已调整实操分数" in page and "站长调整" in page and "补测表现优秀" in page
    page = text_of(head.post(f"/evaluations/{eid}/publish", follow_redirects=True))
    assert "已发给员工确认" in page
    assert login_as("head_b").post(f"/evaluations/{other}/adjust", {
        "component": "theory", "score": "99", "reason": "x"}).status_code == 404
    assert login_as("staff_a2").post(f"/evaluations/{other}/publish").status_code == 403


def test_the_head_enters_a_complaint_with_evidence(app, world, login_as, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    head = login_as("head_a")
    form = {"person": str(world.id("staff_a")), "kind": "complaint",
            "occurred_at": "2026-10-20T15:30", "summary": "顾客投诉加气时态度生硬",
            "evidence": "客服工单 20261020-0012", "points": "", "confirmed": "y"}
    bad = head.post("/evaluations/records/new", {**form, "evidence_file": (
        io.BytesIO(b"not a picture"), "photo.jpg")}, content_type="multipart/form-data")
    assert bad.status_code == 400 and "内容与扩展名不符" in text_of(bad)
    missing = head.post("/evaluations/records/new", {**form, "evidence": ""})
    assert missing.status_code == 400 and "请写明证据" in text_of(missing)
    elsewhere = head.post("/evaluations/records/new", {**form, "person": str(world.id("staff_b"))})
    assert elsewhere.status_code == 400 and "本站" in text_of(elsewhere)
    myself = head.post("/evaluations/records/new", {**form, "person": str(world.id("head_a"))})
    assert myself.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ServiceRecord)) == 0
    made = head.post("/evaluations/records/new", {**form, "evidence_file": (
        io.BytesIO(tiny_png()), "工单截图.png")}, content_type="multipart/form-data")
    assert made.status_code == 303
    page = text_of(head.get(made.headers["Location"]))
    assert "工单截图.png" in page and "已核实" in page
    assert len(list((tmp_path / "evidence").iterdir())) == 1
    with app.app_context():
        compute(world.id("hr"))
        result = service.result_of(evaluation_of(world.id("staff_a")))
        assert result.component("service").score == 90
    listing = text_of(head.get(f"/evaluations/records?period={PERIOD}"))
    assert "顾客投诉加气时态度生硬" in listing
    assert login_as("staff_a").get("/evaluations/records/new").status_code == 403


def test_a_pending_record_is_confirmed_or_rejected_with_the_rules(app, world, login_as):
    with app.app_context():
        pending = event(world.id("staff_a"), world.id("head_a"), "complaint", confirmed=False)
        confirmed = event(world.id("staff_a"), world.id("head_a"), "complaint")
    head = login_as("head_a")
    page = text_of(head.post(f"/evaluations/records/{pending}/reject", {"reason": ""},
                             follow_redirects=True))
    assert "请写明认定不成立的理由" in page
    page = text_of(head.post(f"/evaluations/records/{pending}/confirm", {"reason": "监控核实"},
                             follow_redirects=True))
    assert "已核实" in page
    page = text_of(head.post(f"/evaluations/records/{confirmed}/reject", {"reason": "搞错人了"},
                             follow_redirects=True))
    assert "只能由人力资源撤销" in page
    page = text_of(login_as("hr").post(f"/evaluations/records/{confirmed}/reject",
                                       {"reason": "顾客撤回投诉"}, follow_redirects=True))
    assert "不成立" in page
    assert login_as("head_b").post(f"/evaluations/records/{pending}/reject",
                                   {"reason": "x"}).status_code == 404


# --- HR ---------------------------------------------------------------------------------------


def test_hr_computes_sees_every_station_and_finalizes_in_bulk(app, world, login_as):
    with app.app_context():
        for key, head in (("staff_a", "head_a"), ("staff_b", "head_b")):
            full_month(world.id(key), world.id(head))
    hr = login_as("hr")
    page = text_of(hr.post("/evaluations/compute", {"compute-period": PERIOD, "compute-station": ""},
                           follow_redirects=True))
    assert "新建" in page and "昆仑加气站" in page and "海通加气站" in page
    page = text_of(hr.post("/evaluations/compute", {"compute-period": "2026-Q4", "compute-station": ""},
                           follow_redirects=True))
    assert "周期类型" in page
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Evaluation))
        for key, head in (("staff_a", "head_a"), ("staff_b", "head_b")):
            service.publish(evaluation_of(world.id(key)), user(world.id(head)), at=PUBLISHED_AT)
        db.session.commit()
    page = text_of(hr.post("/evaluations/finalize", {"final-period": PERIOD, "final-station": ""},
                           follow_redirects=True))
    assert "已定稿 2 份" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evaluation)) == count
        assert evaluation_of(world.id("staff_a")).status == lifecycle.FINAL
    page = text_of(hr.get(f"/evaluations?period={PERIOD}"))
    assert "已定稿" in page and "待处理的申诉" not in page


def test_hr_corrects_a_final_result_with_a_new_linked_record(app, world, login_as):
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"))
        evaluation = evaluation_of(world.id("staff_a"))
        service.publish(evaluation, user(world.id("head_a")), at=PUBLISHED_AT)
        service.finalize(evaluation, user(world.id("hr")), at=PUBLISHED_AT + timedelta(days=7))
        db.session.commit()
        eid = evaluation.id
    hr = login_as("hr")
    assert "请写明更正理由" in text_of(hr.post(f"/evaluations/{eid}/correct", {"reason": ""},
                                              follow_redirects=True))
    response = hr.post(f"/evaluations/{eid}/correct", {"reason": "漏记一次表扬"})
    new_id = int(re.search(r"/evaluations/(\d+)$", response.headers["Location"]).group(1))
    assert new_id != eid
    old_page = text_of(hr.get(f"/evaluations/{eid}"))
    assert "已被更正" in old_page and f"/evaluations/{new_id}" in old_page
    assert "更正已定稿的结果" not in old_page
    assert "漏记一次表扬" in text_of(login_as("head_a").get(f"/evaluations/{new_id}"))


def test_the_policy_editor_makes_versions_and_refuses_a_bad_policy(app, world, login_as):
    hr = login_as("hr")
    form_page = text_of(hr.get("/evaluations/policy/edit"))
    assert 'value="25"' in form_page and 'value="优秀"' in form_page
    data = {"period_kind": "monthly", "weight_theory": "30", "weight_spoken": "35",
            "weight_practical": "30", "weight_service": "10", "safety_cap_grade": "合格",
            "appeal_window_days": "10", "theory_grading": "highest", "spoken_method": "mean",
            "practical_method": "mean", "module_pass_score": "80", "service_base": "100",
            "complaint_points": "10", "commendation_points": "5",
            "safety_violation_points": "0", "service_when_empty": "base", "reason": "调整权重",
            # issue 14's failure rules, as the page carries them
            "failed_assessment": "cap_score", "failed_assessment_score": "60",
            "failed_assessment_grade": "合格", "critical_grooming_grade": "合格",
            "failed_drill_grade": "", "not_cleared_grade": "合格"}
    bands = {"band-0-name": "优秀", "band-0-lower": "90", "band-0-upper": "100",
             "band-0-coefficient": "1.2", "band-1-name": "良好", "band-1-lower": "80",
             "band-1-upper": "90", "band-1-coefficient": "1.0", "band-2-name": "合格",
             "band-2-lower": "70", "band-2-upper": "80", "band-2-coefficient": "0.9",
             "band-3-name": "不合格", "band-3-lower": "0", "band-3-upper": "70",
             "band-3-coefficient": "0.7", "band-3-retraining": "y"}
    bad = hr.post("/evaluations/policy/edit", {**data, **bands})
    assert bad.status_code == 400 and "各部分权重之和必须为 100,当前为 105" in text_of(bad)
    gap = hr.post("/evaluations/policy/edit", {**data, **bands, "weight_theory": "25",
                                               "band-2-lower": "72"})
    assert gap.status_code == 400 and "空档" in text_of(gap)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvaluationPolicy)) == 0
    good = hr.post("/evaluations/policy/edit", {**data, **bands, "weight_theory": "25"},
                   follow_redirects=True)
    assert "已保存为第 2 版" in text_of(good)
    page = text_of(hr.get("/evaluations/policy"))
    assert "第 2 版" in page and "第 1 版" in page and "10 天" in page
    assert "7 天" in text_of(hr.get("/evaluations/policy/versions/1"))
    assert hr.get("/evaluations/policy/versions/9").status_code == 404
    assert login_as("admin").get("/evaluations/policy/edit").status_code == 403
    assert login_as("head_a").get("/evaluations/policy").status_code == 403


@pytest.mark.parametrize("url", ["/evaluations", "/evaluations/policy", "/evaluations/exports",
                                 "/evaluations/station", "/evaluations/records"])
def test_staff_cannot_open_office_pages(login_as, url):
    assert login_as("staff_a").get(url).status_code == 403


@pytest.mark.parametrize("url", ["/evaluations?period=2026-13", "/evaluations/station?period=abc",
                                 "/evaluations/records?period=2026-Q9"])
def test_a_bad_period_in_the_address_is_a_message_not_an_error(login_as, url):
    page = login_as("hr").get(url)
    assert page.status_code == 200 and "无法识别的考核周期" in text_of(page)


def test_numbers_typed_badly_change_nothing(app, world, login_as):
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"))
        evaluation = evaluation_of(world.id("staff_a"))
        eid, before = evaluation.id, evaluation.result
    head = login_as("head_a")
    for score in ("九十", "-1", "100.001", "NaN", "1e3"):
        page = head.post(f"/evaluations/{eid}/adjust",
                         {"component": "theory", "score": score, "reason": "理由"},
                         follow_redirects=True)
        assert page.status_code == 200 and "flash-error" in text_of(page), score
    page = head.post(f"/evaluations/{eid}/adjust",
                     {"component": "bonus", "score": "90", "reason": "理由"}, follow_redirects=True)
    assert "请选择要调整的考核部分" in text_of(page)
    with app.app_context():
        assert db.session.get(Evaluation, eid).result == before


# --- in a real browser, at phone size --------------------------------------------------------

@pytest.fixture
def live(live_server):
    return live_server


@pytest.fixture
def tab():
    with chromium() as browser:
        yield phone_tab(browser)


def log_in(tab, live, employee_no: str) -> None:
    tab.goto(f"{live}/login")
    tab.fill("input[name=employee_no]", employee_no)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_load_state()


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"evaluations-{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_staff_member_reads_and_acknowledges_on_his_phone(app, live, tab, published):
    log_in(tab, live, "A001")
    tab.goto(f"{live}/evaluations/mine")
    assert tab.locator("svg .ev-line-total").count() >= 1
    shot(tab, "mine")
    tab.click("a.ev-row")
    tab.wait_for_load_state()
    assert fits_the_phone(tab)
    assert tab.locator(".ev-component").count() == 4
    shot(tab, "detail")
    tab.click(f"a[href$='/attempts/{published['spoken']}']")
    tab.wait_for_load_state()
    assert tab.locator("audio").count() == 1 and fits_the_phone(tab)
    shot(tab, "attempt")
    tab.go_back()
    tab.click("#respond button.primary")
    tab.wait_for_load_state()
    assert "已确认考核结果" in tab.content()
    with app.app_context():
        assert db.session.get(Evaluation, published["evaluation"]).status == lifecycle.ACKNOWLEDGED


@pytest.mark.browser
def test_the_head_and_hr_pages_fit_a_phone(app, live, tab, world, published):
    with app.app_context():
        full_month(world.id("staff_a2"), world.id("head_a"), 65)
        event(world.id("staff_a2"), world.id("head_a"), "safety_violation", confirmed=False)
        compute(world.id("hr"))
    log_in(tab, live, "A100")
    tab.goto(f"{live}/evaluations/station?period={PERIOD}")
    assert fits_the_phone(tab) and tab.locator("svg rect.ev-col").count() >= 4
    shot(tab, "station")
    eid = None
    with app.app_context():
        eid = evaluation_of(world.id("staff_a2")).id
    tab.goto(f"{live}/evaluations/{eid}")
    tab.click("details.ev-adjust summary")
    tab.select_option("select[name=component]", "practical")
    tab.fill("input[name=score]", "72")
    tab.fill("#review textarea[name=reason]", "现场复测合格")
    tab.click("details.ev-adjust button[type=submit]")
    tab.wait_for_load_state()
    assert "已调整实操分数" in tab.content() and fits_the_phone(tab)
    shot(tab, "review")
    tab.goto(f"{live}/evaluations/records/new")
    assert fits_the_phone(tab)
    shot(tab, "record-form")
    tab.context.clear_cookies()
    log_in(tab, live, "H001")
    tab.goto(f"{live}/evaluations?period={PERIOD}")
    assert fits_the_phone(tab)
    shot(tab, "hr")
    tab.goto(f"{live}/evaluations/policy/edit")
    assert fits_the_phone(tab)
    shot(tab, "policy-edit")


# --- the charts' geometry (pure) ----------------------------------------------------------------


def test_the_score_trend_leaves_a_gap_for_a_period_without_a_total_and_never_crowds_labels():
    from decimal import Decimal

    from trainer.evaluations.charts import score_trend

    bands = [("优秀", Decimal(90)), ("良好", Decimal(80)), ("合格", Decimal(70)),
             ("不合格", Decimal(0))]
    periods = [(f"26年{m}月", {"total": None if m == 5 else Decimal(70 + m)}) for m in range(1, 13)]
    chart = score_trend("得分", periods, bands)
    total = chart.series[0]
    assert total.key == "total" and len(total.dots) == 11 and len(total.lines) == 2
    labelled = [t.label for t in chart.ticks if t.label]
    assert labelled[-1] == "26年12月" and 3 <= len(labelled) <= 6
    higher = next(d for d in total.dots if d.text == "82")
    lower = next(d for d in total.dots if d.text == "71")
    assert higher.y < lower.y                       # higher scores sit higher
    assert {g.label for g in chart.guides} >= {"90 优秀", "80 良好", "100"}


def test_the_grade_distribution_orders_grades_and_colours_the_failing_one():
    from trainer.evaluations.charts import grade_distribution

    chart = grade_distribution("分布", {"良好": 4, "不合格": 1, "暂无等级": 2},
                               ["优秀", "良好", "合格", "不合格"], ["不合格"], ["暂无等级"])
    assert [c.label for c in chart.columns] == ["优秀", "良好", "合格", "不合格", "暂无等级"]
    assert [c.tone for c in chart.columns] == ["top", "mid", "mid", "low", "none"]
    tallest = max(chart.columns, key=lambda c: c.height)
    assert tallest.label == "良好" and chart.total == 7
    empty = grade_distribution("分布", {}, ["优秀"], [], ["暂无等级"])
    assert [c.label for c in empty.columns] == ["优秀"] and empty.total == 0


def test_retraining_shows_on_the_staff_page_and_the_head_checks_it(app, world, login_as):
    with app.app_context():
        staff, head = world.id("staff_a"), world.id("head_a")
        assessment(staff, "safety", 40)
        assessment(staff, "phrases", 55, kind=AttemptKind.DIALOGUE)
        compute(world.id("hr"), user_ids=[staff])
        evaluation = evaluation_of(staff)
        service.publish(evaluation, user(head), at=PUBLISHED_AT)
        service.finalize(evaluation, user(world.id("hr")), at=PUBLISHED_AT + timedelta(days=7))
        db.session.commit()
        eid = evaluation.id
    mine = text_of(login_as("staff_a").get("/evaluations/mine"))
    assert "须参加复训" in mine and "/me/modules/safety" in mine and "/me/modules/phrases" in mine
    assert login_as("staff_a").post(f"/evaluations/{eid}/retraining/check").status_code == 403
    assert login_as("head_b").post(f"/evaluations/{eid}/retraining/check").status_code == 404
    page = text_of(login_as("head_a").post(f"/evaluations/{eid}/retraining/check",
                                           follow_redirects=True))
    assert "还有模块未重新通过" in page and "尚未重新通过" in page
