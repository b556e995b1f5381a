"""Every form and upload of the app fuzzed with hypothesis: hostile text (unicode, control
characters, NUL bytes, RTL marks, very long strings, <script>, SQL fragments, ../ paths, digits
of other scripts, numbers past any column's range) and hostile files, submitted by a user who
may use the form. Never a 500; where the app refuses the input (a 4xx, the form shown again
with its messages, or an error flashed), the database and the stored files are unchanged.

The targets are found from the URL map: each POST route has a scenario below (a test fails
when a new POST route has none), which prepares what the form needs (an attempt, a
certificate, an evaluation in the right state ...), opens the page that carries the form and
reads its fields from the HTML as a browser would, then posts mixtures of the field's own
values and hostile ones. Routes called by fetch() (JSON) list their fields explicitly.

Bounded for `make test` (20 examples a route, about half a minute for the file);
FUZZ_EXAMPLES=200 runs longer."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import PASSWORD, PEOPLE, Browser, csrf_from
from tests.file_helpers import tiny_png
from trainer.extensions import db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

# --- hostile input ---------------------------------------------------------------------------

NASTY_TEXT = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "1; DROP TABLE user_account; --",
    "\" OR \"\"=\"",
    "%' AND 1=0 UNION SELECT password_hash FROM user_account --",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "a\x00b",
    "\x00",
    "\u202e\u0645\u0631\u062d\u0628\u0627abc",
    "\u200f\u200e\u2066\u2069",
    "\ufeff",
    "\r\n\t\x0b\x0c\x1b[31m",
    " ",
    "",
    "²³",
    "١٢٣",
    "１２３",
    "99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-Infinity",
    "0x10",
    "12.345678901234567890",
    "{{ 7*7 }}",
    "${7*7}",
    "%s%s%n",
    "𠮷野家😀👨‍👩‍👧",
    "e\u0301\u0301\u0301\u0301",
    "A" * 5000,
    "加" * 200_000,
    "2026-02-30T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
]
# Text without lone surrogates (a browser cannot send them either).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        ANY_TEXT,
        st.builds(lambda a, b: a + b, st.sampled_from(NASTY_TEXT[:12]), ANY_TEXT),
    )


def zip_of(members: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


STAFF_HEADER = "工号,姓名,手机,站点编码,岗位,角色,入职日期,在职\r\n"
NASTY_FILE_BODIES = [
    b"",
    b"\x00" * 64,
    tiny_png(),
    b"<html><script>alert(1)</script></html>",
    b"PK\x03\x04" + b"\x00" * 200,
    zip_of({"[Content_Types].xml": b"<x/>" * 10, "xl/workbook.xml": b"\x00" * 1000}),
    "\ufeff工号,姓名\r\n<script>,\"\"\"><img>\"\r\n".encode(),
    (STAFF_HEADER + "X1,<script>alert(1)</script>,,KL01,加气员,员工,,是\r\n").encode("gbk"),
    (STAFF_HEADER + "' OR 1=1 --,../../etc/passwd,1,KL01,加气员,管理员,2099-13-45,也许\r\n").encode(),
    (STAFF_HEADER + "=cmd|' /C calc'!A0,+SUM(1),,KL01,加气员,,,\r\n").encode(),
    b"\xff\xfe\x00\x00garbage",
    b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 64,
    b"\x1a\x45\xdf\xa3" + b"\x00" * 100,
    b"OggS" + b"\xff" * 100,
]
NASTY_FILE_NAMES = [
    "../../etc/passwd", "..\\..\\boot.ini", "/etc/shadow", "名单.csv", "list.xlsx",
    "a.csv\x00.png", ".csv", "", "x" * 300 + ".csv", "evil.html", "photo.jpg", "a.png",
    "answer.webm", "answer.wav", "\u202ecsv.exe", "CON", "file.CSV", "证据.pdf",
]


def hostile_file() -> st.SearchStrategy[tuple[bytes, str]]:
    body = st.one_of(st.sampled_from(NASTY_FILE_BODIES), st.binary(max_size=2048))
    return st.tuples(body, st.sampled_from(NASTY_FILE_NAMES))


# --- forms as a browser reads them ----------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str                     # text, hidden, password, checkbox, radio, select, textarea, file, button
    values: list[str] = field(default_factory=list)   # what the page offers or holds
    multiple: bool = False
    current: list[str] = field(default_factory=list)  # what the browser sends untouched


@dataclass
class Form:
    actions: list[str]
    method: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    def filled(self) -> dict[str, str | list[str]]:
        """The fields as a browser submits the form untouched."""
        return {name: f.current if f.multiple or len(f.current) > 1 else f.current[0]
                for name, f in self.fields.items() if f.current and f.kind not in ("button", "file")}


class FormParser(HTMLParser):
    """The forms of a page: their actions (with buttons' formaction), fields and values."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: str | None = None

    def _url(self, action: str | None) -> str:
        return urlsplit(urljoin(self.page_url, action or self.page_url)).path

    def _add(self, name: str, kind: str, value: str | None = None, **extra) -> Field:
        assert self._form is not None
        entry = self._form.fields.setdefault(name, Field(name, kind, **extra))
        if value is not None and value not in entry.values:
            entry.values.append(value)
        return entry

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form([self._url(a.get("action"))], a.get("method", "get").lower(),
                              "multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "button":
            if a.get("formaction"):
                self._form.actions.append(self._url(a["formaction"]))
            if name:
                self._add(name, "button", a.get("value", ""))
        elif tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                entry = self._add(name, kind, a.get("value", "on"), multiple=kind == "checkbox")
                if "checked" in a:
                    entry.current.append(a.get("value", "on"))
            else:
                self._add(name, kind, a.get("value", "")).current[:] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = self._add(name, "textarea")
            self._textarea.values.append("")
            self._textarea.current[:] = [""]
        elif tag == "select" and name:
            self._select = self._add(name, "select", multiple="multiple" in a)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._select.values.append(self._option)
                if "selected" in a:
                    self._select.current.append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.values[-1] += data
            self._textarea.current[-1] += data
        elif self._select is not None and self._option is None and data.strip():
            self._select.values.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select is not None and not self._select.current and self._select.values \
                    and not self._select.multiple:
                self._select.current.append(self._select.values[0])  # the browser's default
            self._select = None
        elif tag == "option":
            self._option = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return [f for f in parser.forms if f.method == "post"]


def form_posting_to(html: str, page_url: str, action: str) -> list[Form]:
    return [f for f in forms_on(html, page_url) if action in f.actions]


# --- what a scenario gives the fuzzer -------------------------------------------------------


@dataclass
class Target:
    """Where to post, as whom, and which fields; `page` is the GET page carrying the form
    (its fields are read from there), `fields` lists a fetch() endpoint's fields instead."""

    user: str | None
    action: str
    page: str | None = None
    page_html: Callable[[Browser], str] | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)
    legit: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[tuple[bytes, str]]] = field(default_factory=dict)
    fetch: bool = False           # CSRF in the X-CSRFToken header, as the page's script does
    json_body: bool = False       # the endpoint also reads a JSON body
    fresh_login: bool = False     # the form may end the session (logout, password)


SCENARIOS: dict[str, Callable] = {}


def scenario(endpoint: str, name: str | None = None):
    def register(make: Callable) -> Callable:
        SCENARIOS[name or endpoint] = make
        make.endpoint = endpoint
        return make

    return register


def ctx(app):
    return app.app_context()


# --- scenarios: auth and admin ---------------------------------------------------------------


@scenario("auth.login")
def _login(app, world, browsers):
    return Target(None, "/login", page="/login", fresh_login=True,
                  legit={"employee_no": ["A001", "a001"], "password": [PASSWORD]})


@scenario("auth.logout")
def _logout(app, world, browsers):
    return Target("staff_a", "/logout", page="/me", fresh_login=True)


@scenario("auth.change_password")
def _password(app, world, browsers):
    # The browser that changes the password stays signed in (its session is renewed).
    return Target("staff_a", "/password", page="/password",
                  legit={"current": [PASSWORD], "new": ["Lotus-Quay-7-Drum"],
                         "confirm": ["Lotus-Quay-7-Drum"]})


@scenario("auth.logout_everywhere")
def _logout_everywhere(app, world, browsers):
    return Target("staff_a", "/account/logout-everywhere", page="/account", fresh_login=True)


@scenario("auth.redeem_code")
def _redeem_code(app, world, browsers):
    return Target(None, "/password/code", page="/password/code", fresh_login=True,
                  legit={"employee_no": ["A001"], "code": ["ABCD-EFGH-JKLM"],
                         "new": ["Lotus-Quay-7-Drum"], "confirm": ["Lotus-Quay-7-Drum"]})


@scenario("admin.station_new")
def _station_new(app, world, browsers):
    return Target("hr", "/admin/stations/new", page="/admin/stations/new",
                  legit={"code": ["ZZ01"], "name": ["新兴加气站"], "short_name": ["新兴"],
                         "company": ["新兴燃气"], "gas_price": ["3.45"], "hotline": ["400-1"]})


@scenario("admin.station_edit")
def _station_edit(app, world, browsers):
    url = f"/admin/stations/{world.station_a}/edit"
    return Target("hr", url, page=url)


@scenario("admin.staff_new")
def _staff_new(app, world, browsers):
    return Target("hr", "/staff/new", page="/staff/new",
                  legit={"employee_no": ["N001"], "name": ["新员工"], "phone": ["13800138000"],
                         "hire_date": ["2026-03-01"]})


@scenario("admin.staff_edit")
def _staff_edit_hr(app, world, browsers):
    url = f"/staff/{world.id('staff_a')}/edit"
    return Target("hr", url, page=url)


@scenario("admin.staff_edit", "admin.staff_edit(head)")
def _staff_edit_head(app, world, browsers):
    url = f"/staff/{world.id('staff_a2')}/edit"
    return Target("head_a", url, page=url)


@scenario("admin.staff_reset_password")
def _reset(app, world, browsers):
    person = world.id("staff_a")
    return Target("hr", f"/staff/{person}/reset-password", page=f"/staff/{person}")


VALID_IMPORT = (STAFF_HEADER + "X101,新人甲,13800138000,KL01,加气员,员工,2024-03-01,是\r\n").encode()


@scenario("admin.staff_import")
def _import(app, world, browsers):
    return Target("hr", "/staff/import", page="/staff/import",
                  files={"file": [(VALID_IMPORT, "名单.csv")]})


@scenario("admin.staff_import_confirm")
def _import_confirm(app, world, browsers):
    def preview(browser: Browser) -> str:
        response = browser.post("/staff/import", {"file": (io.BytesIO(VALID_IMPORT), "名单.csv")},
                                content_type="multipart/form-data")
        return response.get_data(as_text=True)

    return Target("hr", "/staff/import/confirm", page_html=preview)


@scenario("admin.content_item")
def _content_item(app, world, browsers):
    url = "/admin/content/items/sl-greet"
    return Target("admin", url, page=url, legit={"t-answer": ["您好,欢迎光临昆仑加气站"]})


@scenario("admin.content_edit")
def _content_edit(app, world, browsers):
    url = "/admin/content/items/sl-fault-wait/edit"
    return Target("admin", url, page=url, legit={"reason": ["依据服务标准:请稍候"]})


# --- scenarios: certificates ------------------------------------------------------------------


def _certificate(app, world, **options) -> int:
    from tests.training_helpers import certificate

    with ctx(app):
        return certificate(world.id("staff_a"), world.id("head_a"), **options).id


@scenario("certificates.suspend")
def _suspend(app, world, browsers):
    cid = _certificate(app, world)
    return Target("head_a", f"/certificates/{cid}/suspend", page=f"/certificates/{cid}")


@scenario("certificates.lift")
def _lift(app, world, browsers):
    from trainer.models import CertificateStatus

    cid = _certificate(app, world, status=CertificateStatus.SUSPENDED, reason="待查")
    return Target("hr", f"/certificates/{cid}/lift", page=f"/certificates/{cid}",
                  legit={"reason": ["调查结束"]})


@scenario("certificates.revoke")
def _revoke(app, world, browsers):
    cid = _certificate(app, world)
    return Target("hr", f"/certificates/{cid}/revoke", page=f"/certificates/{cid}")


@scenario("certificates.reissue")
def _reissue(app, world, browsers):
    from tests.station_helpers import make_eligible
    from trainer.models import CertificateStatus

    make_eligible(app, world)
    cid = _certificate(app, world, status=CertificateStatus.REVOKED, reason="证件作废")
    return Target("head_a", f"/certificates/{cid}/reissue", page=f"/certificates/{cid}")


@scenario("certificates.renew")
def _renew(app, world, browsers):
    from tests.station_helpers import days_ago, make_eligible

    make_eligible(app, world)
    cid = _certificate(app, world, issued=days_ago(350), expires=days_ago(-10))
    return Target("head_a", f"/certificates/{cid}/renew", page=f"/certificates/{cid}")


@scenario("certificates.verify")
def _verify_holder(app, world, browsers):
    from trainer.certificates.numbering import format_number
    from trainer.models import Certificate

    cid = _certificate(app, world)
    with ctx(app):
        number = db.session.get(Certificate, cid).number = format_number(2026, cid)
        db.session.commit()
    return Target(None, f"/verify/{number}", page=f"/verify/{number}",
                  legit={"employee_no": ["A001", "a001"]})


@scenario("certificates.export_start")
def _export_start(app, world, browsers):
    _certificate(app, world)
    return Target("hr", "/certificates/exports", page="/certificates")


# --- scenarios: evaluations -------------------------------------------------------------------


def _evaluation(app, world, state: str, score: int = 90) -> int:
    """staff_a's October evaluation brought to `state` through the services."""
    from tests.evaluation_helpers import PERIOD, compute, evaluation_of, full_month, user
    from trainer.evaluations import service
    from trainer.timeutil import now

    with ctx(app):
        staff, head, hr = world.id("staff_a"), world.id("head_a"), world.id("hr")
        full_month(staff, head, score)
        compute(hr, PERIOD)
        evaluation = evaluation_of(staff)
        at = now() - timedelta(hours=1)
        if state != "draft":
            service.publish(evaluation, user(head), at=at)
        if state == "appealed":
            service.appeal(evaluation, user(staff), "设备故障", at=at)
        if state in ("acknowledged", "final"):
            service.acknowledge(evaluation, user(staff), at=at)
        if state == "final":
            service.finalize(evaluation, user(hr), at=at)
        db.session.commit()
        return evaluation.id


@scenario("evaluations.acknowledge")
def _acknowledge(app, world, browsers):
    eid = _evaluation(app, world, "published")
    return Target("staff_a", f"/evaluations/{eid}/acknowledge", page=f"/evaluations/{eid}")


@scenario("evaluations.appeal")
def _appeal(app, world, browsers):
    eid = _evaluation(app, world, "published")
    return Target("staff_a", f"/evaluations/{eid}/appeal", page=f"/evaluations/{eid}",
                  legit={"reason": ["那天加气机故障"]})


@scenario("evaluations.adjust")
def _adjust(app, world, browsers):
    eid = _evaluation(app, world, "draft")
    return Target("head_a", f"/evaluations/{eid}/adjust", page=f"/evaluations/{eid}",
                  legit={"score": ["95", "87.5"], "reason": ["补测表现优秀"]})


@scenario("evaluations.decide")
def _decide(app, world, browsers):
    """An evaluation without assessment data: HR writes her decision."""
    from tests.evaluation_helpers import PERIOD, check, compute, evaluation_of

    with ctx(app):
        check(world.id("staff_a"), world.id("head_a"), 88)
        compute(world.id("hr"), PERIOD)
        eid = evaluation_of(world.id("staff_a")).id
    return Target("hr", f"/evaluations/{eid}/decide", page=f"/evaluations/{eid}",
                  legit={"reason": ["本月病假,按站长录入成绩计"]})


@scenario("evaluations.override")
def _override(app, world, browsers):
    """HR settles the running month early, with a reason."""
    from trainer.evaluations.periods import period_for
    from trainer.timeutil import now

    running = period_for(now()).key
    return Target("hr", f"/evaluations/periods/{running}/override",
                  page=f"/evaluations?period={running}",
                  legit={"reason": ["年底提前发放绩效,经总经理批准"]})


@scenario("evaluations.publish")
def _publish(app, world, browsers):
    eid = _evaluation(app, world, "draft")
    return Target("head_a", f"/evaluations/{eid}/publish", page=f"/evaluations/{eid}")


@scenario("evaluations.resolve")
def _resolve(app, world, browsers):
    eid = _evaluation(app, world, "appealed")
    return Target("hr", f"/evaluations/{eid}/resolve", page=f"/evaluations/{eid}",
                  legit={"resolution": ["核实后维持"], "practical": ["", "85"]})


@scenario("evaluations.finalize")
def _finalize(app, world, browsers):
    eid = _evaluation(app, world, "acknowledged")
    return Target("hr", f"/evaluations/{eid}/finalize", page=f"/evaluations/{eid}")


@scenario("evaluations.correct")
def _correct(app, world, browsers):
    eid = _evaluation(app, world, "final")
    return Target("hr", f"/evaluations/{eid}/correct", page=f"/evaluations/{eid}",
                  legit={"reason": ["实操成绩录错"]})


def _retraining(app, world, *, failed_modules: bool) -> int:
    """A final 不合格 evaluation of staff_a with retraining: modules to pass again, or (after
    six complaints but no failed module) retraining the head arranges and confirms."""
    from tests.evaluation_helpers import (
        PERIOD,
        assessment,
        check,
        compute,
        evaluation_of,
        event,
        user,
    )
    from trainer.evaluations import retraining, service
    from trainer.models import AttemptKind
    from trainer.timeutil import now

    with ctx(app):
        staff, head, hr = world.id("staff_a"), world.id("head_a"), world.id("hr")
        score = 30 if failed_modules else 85
        assessment(staff, "safety", score)
        assessment(staff, "phrases", score, kind=AttemptKind.DIALOGUE)
        check(staff, head, 20, passed=False, module_id="fueling" if failed_modules else "")
        for _ in range(0 if failed_modules else 6):
            event(staff, head, "complaint")
        compute(hr, PERIOD)
        evaluation = evaluation_of(staff)
        at = now() - timedelta(days=8)
        service.publish(evaluation, user(head), at=at)
        service.finalize(evaluation, user(hr), at=now())
        db.session.commit()
        training = retraining.retraining_of(evaluation)
        assert training is not None and bool(training.modules) == failed_modules
        return evaluation.id


@scenario("evaluations.retraining_check")
def _retraining_check(app, world, browsers):
    eid = _retraining(app, world, failed_modules=True)
    return Target("head_a", f"/evaluations/{eid}/retraining/check", page=f"/evaluations/{eid}")


@scenario("evaluations.retraining_done")
def _retraining_done(app, world, browsers):
    eid = _retraining(app, world, failed_modules=False)
    return Target("head_a", f"/evaluations/{eid}/retraining/done", page=f"/evaluations/{eid}",
                  legit={"note": ["重新学习并考核合格"]})


@scenario("evaluations.compute")
def _compute(app, world, browsers):
    return Target("hr", "/evaluations/compute", page="/evaluations?period=2026-10")


@scenario("evaluations.finalize_bulk")
def _finalize_bulk(app, world, browsers):
    _evaluation(app, world, "acknowledged")
    return Target("hr", "/evaluations/finalize", page="/evaluations?period=2026-10")


@scenario("evaluations.export")
def _payroll(app, world, browsers):
    _evaluation(app, world, "final")
    return Target("hr", "/evaluations/export", page="/evaluations?period=2026-10")


@scenario("evaluations.policy_edit")
def _policy(app, world, browsers):
    return Target("hr", "/evaluations/policy/edit", page="/evaluations/policy/edit",
                  legit={"reason": ["调整权重"], "weight_theory": ["25", "30"]})


@scenario("evaluations.record_new")
def _record_new(app, world, browsers):
    return Target("head_a", "/evaluations/records/new", page="/evaluations/records/new",
                  legit={"person": [str(world.id("staff_a"))], "occurred_at": ["2026-10-20T15:30"],
                         "summary": ["顾客投诉态度生硬"], "evidence": ["工单 0012"],
                         "points": ["", "5"]},
                  files={"evidence_file": [(tiny_png(), "截图.png")]})


def _pending_record(app, world) -> int:
    from tests.evaluation_helpers import event

    with ctx(app):
        return event(world.id("staff_a"), world.id("head_a"), "complaint", confirmed=False)


@scenario("evaluations.record_confirm")
def _record_confirm(app, world, browsers):
    rid = _pending_record(app, world)
    return Target("head_a", f"/evaluations/records/{rid}/confirm",
                  page=f"/evaluations/records/{rid}")


@scenario("evaluations.record_reject")
def _record_reject(app, world, browsers):
    rid = _pending_record(app, world)
    return Target("head_a", f"/evaluations/records/{rid}/reject",
                  page=f"/evaluations/records/{rid}", legit={"reason": ["顾客撤回"]})


# --- scenarios: practice and the live spoken check -------------------------------------------


def _phrase_attempt(browsers) -> int:
    from tests.practice_helpers import start_phrase

    return start_phrase(browsers("staff_a"))


@scenario("practice.start")
def _practice_start(app, world, browsers):
    return Target("staff_a", "/practice/phrases/sl-greet/start", page="/practice")


@scenario("practice.ask_review")
def _ask_review(app, world, browsers):
    from tests.practice_helpers import answer_text

    attempt = _phrase_attempt(browsers)
    assert answer_text(browsers("staff_a"), attempt, "您好").status_code == 200
    return Target("staff_a", f"/practice/attempts/{attempt}/review",
                  page=f"/practice/attempts/{attempt}", legit={"reason": ["识别错了"]})


@scenario("practice.speaking_exemptions")
def _speaking_exemption(app, world, browsers):
    from tests.training_helpers import window

    with ctx(app):
        wid = window("phrases", world.station_a)
    url = f"/practice/speaking-exemptions/{world.id('staff_a')}"
    return Target("head_a", url, page=url,
                  legit={"window_id": [str(wid)], "reason": ["嗓子手术后一周内不能说话"]})


TURN_FIELDS = {"text": ["您好,欢迎光临昆仑加气站"]}


@scenario("practice.turn_text")
def _turn_text(app, world, browsers):
    attempt = _phrase_attempt(browsers)
    return Target("staff_a", f"/practice/attempts/{attempt}/turns/0/text", fields=TURN_FIELDS,
                  fetch=True, json_body=True)


@scenario("practice.turn_audio")
def _turn_audio(app, world, browsers):
    attempt = _phrase_attempt(browsers)
    return Target("staff_a", f"/practice/attempts/{attempt}/turns/0/audio", fetch=True,
                  files={"audio": []})


@scenario("practice.turn_retry")
def _turn_retry(app, world, browsers):
    attempt = _phrase_attempt(browsers)
    return Target("staff_a", f"/practice/attempts/{attempt}/turns/0/recognise", fetch=True)


def _spoken_check(app, world) -> int:
    from trainer.library import get_library
    from trainer.models import User
    from trainer.station import practical

    with ctx(app):
        attempt = practical.start_spoken_check(
            db.session.get(User, world.id("staff_a")), db.session.get(User, world.id("head_a")),
            ["sl-greet", "sl-wait"], get_library())
        db.session.commit()
        return attempt.id


@scenario("station.spoken_text")
def _spoken_text(app, world, browsers):
    attempt = _spoken_check(app, world)
    return Target("head_a", f"/station/spoken/{attempt}/turns/0/text", fields=TURN_FIELDS,
                  fetch=True, json_body=True)


@scenario("station.spoken_audio")
def _spoken_audio(app, world, browsers):
    attempt = _spoken_check(app, world)
    return Target("head_a", f"/station/spoken/{attempt}/turns/1/audio", fetch=True,
                  files={"audio": []})


@scenario("station.spoken_retry")
def _spoken_retry(app, world, browsers):
    attempt = _spoken_check(app, world)
    return Target("head_a", f"/station/spoken/{attempt}/turns/0/recognise", fetch=True)


@scenario("station.spoken_finish")
def _spoken_finish(app, world, browsers):
    attempt = _spoken_check(app, world)
    url = f"/station/spoken/{attempt}/finish"
    return Target("head_a", url, page=url)


@scenario("station.spoken_start")
def _spoken_start(app, world, browsers):
    url = f"/station/staff/{world.id('staff_a')}/spoken"
    return Target("head_a", url, page=url)


# --- scenarios: station ----------------------------------------------------------------------


@scenario("station.certify")
def _certify(app, world, browsers):
    from tests.station_helpers import make_eligible

    make_eligible(app, world)
    person = world.id("staff_a")
    return Target("head_a", f"/station/staff/{person}/certify", page=f"/station/staff/{person}")


@scenario("station.decide")
def _decide(app, world, browsers):
    from tests.training_helpers import sitting, window
    from trainer.models import AttemptKind, ReviewState

    with ctx(app):
        attempt = sitting(world.id("staff_a2"), "phrases", AttemptKind.DIALOGUE, 76, "review",
                          window_id=window("phrases", None), review=ReviewState.PENDING)
    url = f"/station/reviews/{attempt}"
    return Target("head_a", url, page=url, legit={"score": ["", "82", "82.5"],
                                                  "reason": ["回答完整"]})


@scenario("station.grooming")
def _grooming(app, world, browsers):
    url = f"/station/staff/{world.id('staff_a')}/grooming"
    return Target("head_a", url, page=url)


@scenario("station.drill")
def _station_drill(app, world, browsers):
    url = f"/station/staff/{world.id('staff_a')}/drill"
    return Target("head_a", url, page=url)


# --- scenarios: the staff journey ------------------------------------------------------------


def _start(browsers, url: str) -> int:
    from tests.training_helpers import attempt_id_from, post_start

    return attempt_id_from(post_start(browsers("staff_a"), url))


@scenario("training.card")
def _card(app, world, browsers):
    url = "/me/modules/fueling/cards/1"
    return Target("staff_a", url, page=url)


@scenario("training.quiz_start")
def _quiz_start(app, world, browsers):
    return Target("staff_a", "/me/modules/fueling/quiz", page="/me/modules/fueling")


@scenario("training.quiz_page")
def _quiz_page(app, world, browsers):
    attempt = _start(browsers, "/me/modules/fueling/quiz")
    return Target("staff_a", f"/me/quiz/{attempt}", page=f"/me/quiz/{attempt}")


@scenario("training.quiz_save")
def _quiz_save(app, world, browsers):
    attempt = _start(browsers, "/me/modules/fueling/quiz")

    def quiz_fields(browser: Browser) -> str:
        # The autosave posts the quiz form's own fields.
        html = browser.get(f"/me/quiz/{attempt}").get_data(as_text=True)
        return html.replace('id="quiz-form"', f'action="/me/quiz/{attempt}/save" id="quiz-form"')

    return Target("staff_a", f"/me/quiz/{attempt}/save", page_html=quiz_fields, fetch=True)


@scenario("training.assessment_start")
def _assessment_start(app, world, browsers):
    from tests.training_helpers import window

    with ctx(app):
        window("fueling", world.station_a)
    return Target("staff_a", "/me/modules/fueling/assessment/quiz", page="/me/modules/fueling")


@scenario("training.roleplay_start")
def _roleplay_start(app, world, browsers):
    return Target("staff_a", "/me/roleplay/sl-dlg-cng-full/start", page="/me/roleplay")


def _roleplay(browsers) -> int:
    return _start(browsers, "/me/roleplay/sl-dlg-cng-full/start")


@scenario("training.roleplay_turn")
def _roleplay_turn(app, world, browsers):
    attempt = _roleplay(browsers)
    return Target("staff_a", f"/me/roleplay/attempts/{attempt}/turns/0",
                  page=f"/me/roleplay/attempts/{attempt}", legit={"text": ["您好,欢迎光临"]})


@scenario("training.roleplay_finish")
def _roleplay_finish(app, world, browsers):
    attempt = _roleplay(browsers)
    return Target("staff_a", f"/me/roleplay/attempts/{attempt}/finish",
                  page=f"/me/roleplay/attempts/{attempt}")


@scenario("training.attempt_close")
def _attempt_close(app, world, browsers):
    # A practice with no answer yet is closable (a silent recording leaves the same).
    attempt = _start(browsers, "/practice/phrases/sl-greet/start")
    return Target("staff_a", f"/me/history/{attempt}/close", page=f"/me/history/{attempt}")


@scenario("training.drill_start")
def _drill_start(app, world, browsers):
    return Target("staff_a", "/me/drill/op-drill-fueling/start", page="/me/modules/fueling")


@scenario("training.drill_page")
def _drill_page(app, world, browsers):
    attempt = _start(browsers, "/me/drill/op-drill-fueling/start")
    url = f"/me/drill/attempts/{attempt}"
    return Target("staff_a", url, page=url, legit={"elapsed_ms": ["30000", ""]})


@scenario("training.daily_start")
def _daily_start(app, world, browsers):
    return Target("staff_a", "/me/daily/start", page="/me/daily")


@scenario("training.daily_answer")
def _daily_answer(app, world, browsers):
    attempt = _start(browsers, "/me/daily/start")
    return Target("staff_a", f"/me/daily/{attempt}/items/0", page=f"/me/daily/{attempt}")


@scenario("training.daily_finish")
def _daily_finish(app, world, browsers):
    attempt = _start(browsers, "/me/daily/start")
    return Target("staff_a", f"/me/daily/{attempt}/finish", page=f"/me/daily/{attempt}")


# --- scenarios: assessment windows ----------------------------------------------------------


def _window(app, world) -> int:
    from tests.training_helpers import window

    with ctx(app):
        return window("fueling", world.station_a)


@scenario("windows.new")
def _window_new(app, world, browsers):
    return Target("head_a", "/windows/new", page="/windows/new")


@scenario("windows.new", "windows.new(hr)")
def _window_new_hr(app, world, browsers):
    return Target("hr", "/windows/new", page="/windows/new")


@scenario("windows.edit")
def _window_edit(app, world, browsers):
    url = f"/windows/{_window(app, world)}/edit"
    return Target("head_a", url, page=url)


@scenario("windows.close")
def _window_close(app, world, browsers):
    wid = _window(app, world)
    return Target("head_a", f"/windows/{wid}/close", page="/windows",
                  legit={"reason": ["设备检修"]})


# --- the fuzzer ------------------------------------------------------------------------------


# Tables that count requests by design (rate limits, failed sign-ins, signed-in sessions):
# a refused request is recorded there, and that is no change to the records.
BOOKKEEPING = frozenset({"rate_counter", "login_failure", "auth_session"})


def snapshot(app) -> dict:
    """Every row of every table (but the bookkeeping ones), and the names of the stored files."""
    with ctx(app):
        rows = {table.name: sorted(repr(tuple(r)) for r in db.session.execute(select(table)))
                for table in db.metadata.sorted_tables if table.name not in BOOKKEEPING}
        db.session.remove()
    instance = Path(app.instance_path)
    folders = [Path(app.config["RECORDINGS_DIR"]), instance / "evidence", instance / "imports"]
    rows["files"] = sorted(str(p) for folder in folders if folder.exists()
                           for p in folder.rglob("*") if p.is_file())
    return rows


def changes(before: dict, after: dict) -> dict:
    """What differs between two snapshots, table by table (for the failure message)."""
    return {name: {"gone": sorted(set(rows) - set(after[name]))[:3],
                   "new": sorted(set(after[name]) - set(rows))[:3]}
            for name, rows in before.items() if after[name] != rows}


def refused(response, flashes: list[tuple[str, str]]) -> bool:
    """The app said no: an error status, an error flashed, or the form shown again with
    its messages."""
    if response.status_code >= 400:
        return True
    if any(category == "error" for category, _ in flashes):
        return True
    if response.status_code == 200 and response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        return any(mark in html for mark in ('class="error"', "flash-error", "has-error"))
    return False


def pending_flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def clear_flashes(client) -> None:
    with client.session_transaction() as session:
        session.pop("_flashes", None)


def choose(data, entry: Field, hostile: bool):
    """One field's value: what the page offers, or hostile text."""
    if hostile or not entry.values:
        return data.draw(hostile_text())
    if entry.kind == "checkbox" and data.draw(st.booleans()):
        return None                                   # left unticked
    if entry.kind == "checkbox":
        return data.draw(st.sampled_from(entry.values))
    if entry.multiple:
        return data.draw(st.lists(st.sampled_from(entry.values), max_size=len(entry.values),
                                  unique=True))
    return data.draw(st.sampled_from(entry.values))


def draw_submission(data, form: Form, target: Target) -> tuple[dict, bool]:
    """The form's fields, each its own value or (often) hostile; sometimes an extra field
    the page does not have. Returns (values, has files)."""
    values: dict = {}
    for name, entry in form.fields.items():
        if name == "csrf_token":
            continue
        if name in target.legit:
            entry = Field(name, entry.kind, list(target.legit[name]))
        if entry.kind == "file":
            continue
        value = choose(data, entry, hostile=data.draw(st.integers(0, 2)) == 0)
        if value is not None:
            values[name] = value
    for name, legit in target.fields.items():
        values[name] = choose(data, Field(name, "text", legit), data.draw(st.booleans()))
    if data.draw(st.integers(0, 4)) == 0:
        extra = data.draw(st.sampled_from(["entry-x", "step-../../x", "verdict-99999999999",
                                           "q0", "spec", "station", "v-x", "order", "token"]))
        values.setdefault(extra, data.draw(hostile_text()))
    files = {name for name, entry in form.fields.items() if entry.kind == "file"}
    files |= set(target.files)
    for name in files:
        legit = target.files.get(name, [])
        if legit and data.draw(st.booleans()):
            body, filename = data.draw(st.sampled_from(legit))
        else:
            body, filename = data.draw(hostile_file())
        values[name] = (io.BytesIO(body), filename)
    return values, bool(files)


def login(app, key: str | None) -> Browser:
    browser = Browser(app.test_client())
    if key is None:
        browser.csrf = csrf_from(browser.get("/login").get_data(as_text=True))
    else:
        assert browser.login(PEOPLE[key][0]).status_code == 302
    return browser


def the_form(target: Target, browser: Browser) -> Form:
    if target.page is None and target.page_html is None:
        return Form([target.action], "post", bool(target.files))
    if target.page_html is not None:
        html, page = target.page_html(browser), target.action
    else:
        response = browser.get(target.page)
        assert response.status_code == 200, (target.page, response.status_code)
        html, page = response.get_data(as_text=True), target.page
    found = form_posting_to(html, page, target.action)
    assert found, f"no form posting to {target.action} on {target.page}"
    return found[0]


def fuzz(app, target: Target) -> None:
    browser = login(app, target.user)
    form = the_form(target, browser)

    @FUZZ
    @given(data=st.data())
    def run(data):
        nonlocal browser
        if target.fresh_login:
            browser = login(app, target.user)
        values, multipart = draw_submission(data, form, target)
        clear_flashes(browser.client)
        before = snapshot(app)
        headers = {"X-CSRFToken": browser.csrf, "Accept": "application/json"} if target.fetch \
            else {}
        if target.json_body and not multipart and data.draw(st.booleans()):
            payload = data.draw(st.one_of(
                st.fixed_dictionaries({k: hostile_text() for k in values}),
                st.recursive(st.none() | st.booleans() | st.integers() | hostile_text(),
                             lambda inner: st.lists(inner, max_size=3)
                             | st.dictionaries(st.sampled_from(["text", "x"]), inner,
                                               max_size=2), max_leaves=5)))
            response = browser.client.post(target.action, data=json.dumps(payload),
                                           content_type="application/json", headers=headers)
        else:
            if not target.fetch:
                values["csrf_token"] = browser.csrf
            response = browser.client.post(
                target.action, data=values, headers=headers,
                content_type="multipart/form-data" if multipart else None)
        assert response.status_code < 500, (target.action, response.status_code, values)
        if refused(response, pending_flashes(browser.client)):
            after = snapshot(app)
            assert after == before, (f"{target.action} refused the input "
                                     f"({response.status_code}) but changed: "
                                     f"{changes(before, after)}")

    run()


# --- the tests -------------------------------------------------------------------------------


def post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def test_every_post_route_has_a_fuzz_scenario(app):
    covered = {make.endpoint for make in SCENARIOS.values()}
    assert post_endpoints(app) - covered == set(), "POST routes without a fuzz scenario"
    assert covered - post_endpoints(app) == set(), "scenarios for routes that no longer exist"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_hostile_submissions_never_break_the_app(app, world, name):
    cache: dict[str, Browser] = {}

    def browsers(key: str) -> Browser:
        if key not in cache:
            cache[key] = login(app, key)
        return cache[key]

    target = SCENARIOS[name](app, world, browsers)
    fuzz(app, target)


def test_the_form_reader_sees_what_a_browser_would_post():
    html = """<form method="post" action="/a" enctype="multipart/form-data">
      <input type="hidden" name="csrf_token" value="t"><input name="q" value="v">
      <input type="checkbox" name="c" value="y"><input type="radio" name="r" value="1">
      <input type="radio" name="r" value="2"><textarea name="t">hi</textarea>
      <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
      <input type="file" name="f"><button name="action" value="go" formaction="/b">x</button>
      <input type="submit" name="ignored" value="x"></form><form method="get"></form>"""
    [form] = forms_on(html, "/page")
    assert form.actions == ["/a", "/b"] and form.multipart
    assert {n: (f.kind, f.values) for n, f in form.fields.items()} == {
        "csrf_token": ("hidden", ["t"]), "q": ("text", ["v"]), "c": ("checkbox", ["y"]),
        "r": ("radio", ["1", "2"]), "t": ("textarea", ["hi"]), "s": ("select", ["a", "b"]),
        "f": ("file", [""]), "action": ("button", ["go"])}
    assert form.filled() == {"csrf_token": "t", "q": "v", "t": "hi", "s": "b"}
    assert form_posting_to(html, "/page", "/c") == []


def test_a_refusal_that_changed_data_would_be_caught(app, world):
    """The check the fuzzer relies on notices a change (so it cannot pass vacuously)."""
    before = snapshot(app)
    with ctx(app):
        from trainer.models import User

        db.session.get(User, world.id("staff_a")).name = "改过"
        db.session.commit()
    assert snapshot(app) != before
