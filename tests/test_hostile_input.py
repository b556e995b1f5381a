"""Hostile input through the real pages: stored XSS, SQL injection, path traversal, lying
uploads, and the defences every response carries (headers, cookies, CSRF, no change on GET).

Stored XSS: `<script>` and attribute-breaking quotes go in through the forms people use
(station and person names, an imported file's cells, reasons of reviews, suspensions, appeals
and service records, typed answers), then every page each role reaches by following links is
read: the text must appear escaped where it belongs and never as markup anywhere. A real
browser renders the JSON of a typed answer and must not build elements from it.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from sqlalchemy import select

from tests.browser_helpers import chromium, phone_tab, sign_in
from tests.conftest import PASSWORD, PEOPLE, Browser, csrf_from
from tests.file_helpers import tiny_png
from tests.practice_helpers import answer_text, start_phrase, upload
from tests.test_fuzz_forms import changes, form_posting_to, snapshot
from tests.training_helpers import attempt_id_from, post_start, sitting, window
from trainer.extensions import db
from trainer.models import AttemptKind, ReviewState, User

# Breaks out of an attribute with either quote, then opens a script (28 characters: fits a
# person's name); the longer one adds an event handler for the free-text fields.
P = "\"'><script>alert(1)</script>"
P_LONG = P + "<img src=x onerror=alert(2)>"
RAW = ("<script>alert(1)", "<img src=x")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
STRICT_CSP = ("default-src 'self'", "script-src 'self'", "object-src 'none'",
              "frame-ancestors 'none'", "base-uri 'self'")


def text(response) -> str:
    return response.get_data(as_text=True)


def submit(browser: Browser, page: str, action: str, changes_: dict, **kwargs):
    """Open the page, take the form posting to `action` as the browser shows it, change some
    fields and send it (the way a person edits a form)."""
    html = text(browser.get(page))
    [form] = form_posting_to(html, page, action)[:1]
    data = {**form.filled(), **changes_}
    multipart = any(isinstance(v, tuple) for v in data.values())
    return browser.client.post(action, data=data,
                               content_type="multipart/form-data" if multipart else None,
                               **kwargs)


# --- the hostile world, entered through the pages ---------------------------------------------


@pytest.fixture
def hostile(app, world, login_as, tmp_path, monkeypatch):
    """Every user-typed text of the product holds the payload, entered through its form."""
    from tests.evaluation_helpers import PERIOD, compute, evaluation_of, full_month
    from tests.station_helpers import make_eligible

    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    hr, head, staff = login_as("hr"), login_as("head_a"), login_as("staff_a")
    a = world.station_a
    found: dict = {}

    # HR: the station's names, two people's names, an imported person.
    r = submit(hr, f"/admin/stations/{a}/edit", f"/admin/stations/{a}/edit",
               {"name": "昆仑" + P, "company": "昆仑燃气" + P, "address": P_LONG})
    assert r.status_code == 302, text(r)
    for key in ("staff_a", "staff_a2"):
        url = f"/staff/{world.id(key)}/edit"
        r = submit(hr, url, url, {"name": "张" + P})
        assert r.status_code == 302, text(r)
    csv = ("工号,姓名,手机,站点编码,岗位\r\n" f"X201,王{P},,KL01,加气员\r\n").encode()
    r = hr.post("/staff/import", {"file": (io.BytesIO(csv), "名单.csv")},
                content_type="multipart/form-data")
    found["import_preview"] = text(r)
    token = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', text(r)).group(1)
    assert hr.post("/staff/import/confirm", {"token": token}).status_code == 200
    bad = ("工号,姓名,手机,站点编码,岗位\r\n" f"{P},王,{P},{P},{P}\r\n").encode()
    found["import_errors"] = text(hr.post("/staff/import", {"file": (io.BytesIO(bad), "x.csv")},
                                          content_type="multipart/form-data"))

    # The trainee: a typed practice answer, a review request, a typed role-play turn.
    attempt = start_phrase(staff)
    assert answer_text(staff, attempt, P_LONG).status_code == 200
    r = staff.post(f"/practice/attempts/{attempt}/review", {"reason": P_LONG})
    assert r.status_code == 302
    found["practice"] = attempt
    roleplay = attempt_id_from(post_start(staff, "/me/roleplay/sl-dlg-cng-full/start"))
    r = staff.post(f"/me/roleplay/attempts/{roleplay}/turns/0", {"text": P_LONG})
    assert r.status_code == 302
    found["roleplay"] = roleplay

    # The head: a review decided with a reason, a certificate suspended with one, a service
    # record with its evidence file.
    with app.app_context():
        pending = sitting(world.id("staff_a2"), "phrases", AttemptKind.DIALOGUE, 76, "review",
                          window_id=window("phrases", None), review=ReviewState.PENDING)
    r = head.post(f"/station/reviews/{pending}", {"verdict": "pass", "score": "85",
                                                   "reason": P_LONG})
    assert r.status_code == 302, text(r)
    found["review"] = pending
    make_eligible(app, world)
    r = head.post(f"/station/staff/{world.id('staff_a')}/certify")
    assert r.status_code == 302, text(r)
    certificate = int(r.headers["Location"].rsplit("/", 1)[1])
    r = head.post(f"/certificates/{certificate}/suspend", {"reason": P_LONG})
    assert r.status_code == 302
    found["certificate"] = certificate
    r = head.post("/evaluations/records/new", {
        "person": str(world.id("staff_a")), "kind": "complaint", "occurred_at": "2026-10-20T15:30",
        "summary": P_LONG, "evidence": P_LONG, "points": "", "confirmed": "y",
        "evidence_file": (io.BytesIO(tiny_png()), f"{P}.png")}, content_type="multipart/form-data")
    assert r.status_code == 303, text(r)
    found["record"] = int(r.headers["Location"].rsplit("/", 1)[1])

    # An evaluation: the head adjusts it with a reason and publishes it, the trainee appeals,
    # HR answers (the month's records are prepared through the services).
    with app.app_context():
        full_month(world.id("staff_a"), world.id("head_a"))
        compute(world.id("hr"), PERIOD)
        evaluation = evaluation_of(world.id("staff_a")).id
    for browser, action, data in (
            (head, "adjust", {"component": "practical", "score": "95", "reason": P_LONG}),
            (head, "publish", {}), (staff, "appeal", {"reason": P_LONG}),
            (hr, "resolve", {"resolution": P_LONG})):
        r = browser.post(f"/evaluations/{evaluation}/{action}", data, follow_redirects=True)
        assert "flash-success" in text(r), (action, text(r))
    found["evaluation"] = evaluation
    with app.app_context():
        from trainer.models import Certificate

        found["number"] = db.session.get(Certificate, certificate).number
        found["token"] = db.session.get(Certificate, certificate).verify_token
    return found


# --- reading every page ------------------------------------------------------------------------


class PageReader(HTMLParser):
    """Links, and anything the strict CSP would block or that would run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}= handler")
            if name == "style":
                self.problems.append(f"{tag} style=")
            if name in ("href", "src", "action", "formaction") and (value or "").strip() \
                    .lower().startswith(("javascript:", "data:text")):
                self.problems.append(f"{tag} {name}={value}")


def check_response(url: str, response) -> list[str]:
    """Everything wrong with one response, as messages."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"{url}: {response.status_code}")
    csp = response.headers.get("Content-Security-Policy", "")
    if not all(part in csp for part in STRICT_CSP) or "unsafe" in csp:
        problems.append(f"{url}: CSP {csp!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no nosniff")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{url}: frames allowed")
    if response.mimetype == "text/html":
        body = text(response)
        problems += [f"{url}: raw {marker!r}" for marker in RAW if marker in body]
        reader = PageReader()
        reader.feed(body)
        problems += [f"{url}: {p}" for p in reader.problems]
    return problems


def crawl(browser: Browser, starts: list[str], limit: int = 150) -> dict[str, str]:
    """Follow every same-site link from the start pages (GET only, as a person clicking);
    returns {url: body} of the HTML pages, and fails on any problem of any response."""
    seen: set[str] = set()
    queue = list(starts)
    pages: dict[str, str] = {}
    problems: list[str] = []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = browser.get(url)
        problems += check_response(url, response)
        if response.status_code in (301, 302, 303) and response.location:
            queue.append(urlsplit(urljoin(url, response.location))._replace(scheme="",
                                                                            netloc="").geturl())
        if response.mimetype != "text/html":
            continue
        body = text(response)
        pages[url] = body
        reader = PageReader()
        reader.feed(body)
        for href in reader.links:
            target = urlsplit(urljoin(url, href))
            if target.netloc not in ("", "localhost") or not target.path.startswith("/") \
                    or target.path.startswith("/static/"):
                continue
            queue.append(target._replace(scheme="", netloc="", fragment="").geturl())
    assert problems == []
    return pages


HOMES = {"staff_a": ["/me"], "head_a": ["/station", "/me"], "hr": ["/hr"], "admin": ["/admin"],
         "staff_a2": ["/me"]}


def test_stored_script_renders_escaped_on_every_page_of_every_role(app, world, login_as,
                                                                    hostile):
    pages: dict[str, dict[str, str]] = {}
    for key, starts in HOMES.items():
        extra = [f"/certificates/{hostile['certificate']}", f"/evaluations/{hostile['evaluation']}",
                 f"/evaluations/records/{hostile['record']}"] if key in ("hr", "head_a") else []
        pages[key] = crawl(login_as(key), starts + extra)
    pages["anonymous"] = crawl(Browser(app.test_client()),
                               ["/login", "/verify", f"/verify/{hostile['number']}",
                                f"/v/{hostile['token']}"])
    assert sum(len(p) for p in pages.values()) > 60   # the crawl really went round

    # Where each text belongs, it is shown - escaped.
    expected = {
        "hr": ["/staff", "/admin/stations", f"/certificates/{hostile['certificate']}",
               f"/evaluations/{hostile['evaluation']}", f"/evaluations/records/{hostile['record']}"],
        "head_a": ["/station", "/station/reviews", f"/station/reviews/{hostile['review']}",
                   f"/certificates/{hostile['certificate']}", f"/station/staff/{world.id('staff_a')}"],
        "staff_a": [f"/me/history/{hostile['roleplay']}", "/certificates/mine",
                    f"/evaluations/{hostile['evaluation']}"],
        "anonymous": [f"/v/{hostile['token']}"],
    }
    for key, urls in expected.items():
        for url in urls:
            assert url in pages[key], (key, url, sorted(pages[key])[:20])
            assert ESCAPED in pages[key][url], (key, url)
    for preview in (hostile["import_preview"], hostile["import_errors"]):
        assert ESCAPED in preview and not any(marker in preview for marker in RAW)


def test_json_answers_carry_the_text_as_data_not_markup(app, world, login_as, hostile):
    staff = login_as("staff_a")
    response = staff.get(f"/practice/attempts/{hostile['practice']}/turns/0")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.json["transcript"] == P_LONG    # the answer as typed, as JSON text
    # The page embeds the same JSON in an attribute: escaped for HTML there too.
    page = text(staff.get(f"/practice/attempts/{hostile['practice']}"))
    assert not any(marker in page for marker in RAW)
    assert "\\u003cscript\\u003e" in page


@pytest.mark.browser
def test_a_browser_builds_no_element_from_a_typed_answer(app, world, live_server, login_as):
    """speech-result.js renders the turn JSON: the answer must come out as text."""
    probe = '<b class="xss-probe">粗体</b><img class="xss-probe" src="x">'
    staff = login_as("staff_a")
    attempt = start_phrase(staff)
    assert answer_text(staff, attempt, probe).status_code == 200
    with chromium() as browser:
        tab = phone_tab(browser)
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(tab, live_server, PEOPLE["staff_a"][0])
        tab.wait_for_url(f"{live_server}/me")
        for url in (f"/practice/attempts/{attempt}", "/me/history",
                    f"/me/history/{attempt}"):
            tab.goto(f"{live_server}{url}")
            tab.wait_for_load_state("networkidle")
            assert tab.locator(".xss-probe").count() == 0, url
        tab.goto(f"{live_server}/practice/attempts/{attempt}")
        tab.wait_for_selector("#result .said")
        assert "xss-probe" in tab.inner_text("#result")    # shown, as text
        assert errors == []


# --- SQL injection in search and filter parameters ------------------------------------------

INJECTIONS = ["' OR 1=1 --", "1 OR 1=1", "1; DROP TABLE user_account; --",
              "%' UNION SELECT password_hash, 1 FROM user_account --", "x'||pg_sleep(2)||'",
              "\\", "99999999999999999999", "-1", "²", "../../etc/passwd"]


def query_parameters() -> set[str]:
    """Every query parameter the code reads (request.args / request.values), and the fields
    of the GET filter forms."""
    root = Path(__file__).resolve().parents[1] / "trainer"
    names = set()
    for path in root.rglob("*.py"):
        source = path.read_text("utf-8")
        names |= set(re.findall(r"request\.(?:args|values)\.get(?:list)?\(\s*\"(\w+)\"", source))
    # The GET filter forms read theirs through WTForms.
    return names | {"station", "post", "issued_from", "issued_to", "status", "number"}


def get_routes(app, world) -> list[tuple[str, object]]:
    from tests.test_access_matrix import routes

    found = []
    for rule, access in routes(app):
        if "GET" in rule.methods and rule.endpoint != "static":
            found.append((rule, access))
    return found


ROLE_USERS = {"staff": "staff_a", "head": "head_a", "hr": "hr", "admin": "admin"}


def test_injection_in_every_query_parameter_and_path_changes_nothing(app, world, login_as):
    from tests.test_access_matrix import sample_url

    names = query_parameters()
    assert {"q", "station", "period", "page", "number"} <= names
    browsers = {role: login_as(user) for role, user in ROLE_USERS.items()}
    browsers["anonymous"] = Browser(app.test_client())
    plan = []
    for rule, access in get_routes(app, world):
        role = "anonymous" if access.public else next(
            r for r in ("hr", "head", "staff", "admin") if access.allows(r))
        plan.append((role, sample_url(rule, world), rule))
    for role, url, _rule in plan:             # pages that write on first visit do it now
        browsers[role].get(url)
    assert len(plan) > 50
    before = snapshot(app)
    problems = []
    for role, _url, rule in plan:
        for value in INJECTIONS:
            # Text in the path too (module ids, certificate numbers, export jobs).
            values = {name: world.id("staff_a") if type(c).__name__ == "IntegerConverter"
                      else value for name, c in rule._converters.items()}
            target = rule.build(values, append_unknown=False)[1]
            query = urlencode({name: value for name in names})
            response = browsers[role].get(f"{target}?{query}")
            if response.status_code >= 500 or "服务器出错" in text(response):
                problems.append((role, target, value, response.status_code))
    assert problems == []
    after = snapshot(app)
    assert after == before, changes(before, after)


def test_injection_in_a_search_widens_nothing(app, world, login_as):
    head, hr = login_as("head_a"), login_as("hr")
    for value in ("' OR 1=1 --", "%", "_", "' OR ''='", "张%' OR '1'='1"):
        page = text(head.get("/staff?" + urlencode({"q": value})))
        assert "李一" not in page and "乙站长" not in page        # the other station
        assert "张一" not in page, value                          # % and _ are not wildcards
    everyone = text(hr.get("/staff?" + urlencode({"q": "' OR 1=1 --"})))
    assert "张一" not in everyone and "李一" not in everyone
    literal = text(hr.get("/staff?" + urlencode({"q": "张"})))
    assert "张一" in literal and "李一" not in literal


# --- path traversal in file names ---------------------------------------------------------------


TRAVERSALS = ["../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc",
              "....//....//etc", "..\\..\\boot.ini", "0123456789abcdef/../x"]


def test_export_downloads_and_static_files_refuse_paths(login_as, world):
    hr = login_as("hr")
    for name in TRAVERSALS:
        for suffix in ("", "/status", "/download"):
            response = hr.get(f"/certificates/exports/{name}{suffix}")
            assert response.status_code == 404, (name, suffix, response.status_code)
    for path in ("/static/../trainer/config.py", "/static/..%2f..%2ftrainer%2fconfig.py",
                 "/static/%2e%2e/pyproject.toml"):
        response = hr.get(path)
        assert response.status_code == 404 and b"SECRET" not in response.data, path


def test_a_recording_key_or_evidence_name_pointing_outside_is_not_served(app, world, login_as,
                                                                        hostile):
    from trainer.models import AttemptResponse, ServiceRecord

    secret = Path(app.instance_path) / "outside.txt"
    secret.write_text("secret")
    with app.app_context():
        response = db.session.scalar(select(AttemptResponse).limit(1))
        record = db.session.get(ServiceRecord, hostile["record"])
        # As if the database had been tampered with: keys that climb out of their folders.
        response.recording_key = "../outside.txt"
        record.evidence_file = "../outside.txt"
        db.session.commit()
        response_id = response.id
    staff = login_as("staff_a")
    assert staff.get(f"/recordings/{response_id}").status_code == 404
    assert staff.get(f"/evaluations/records/{hostile['record']}/evidence").status_code == 404
    assert b"secret" not in staff.get(f"/evaluations/records/{hostile['record']}").data


def test_uploaded_file_names_never_choose_where_files_go(app, world, login_as, tmp_path,
                                                          monkeypatch):
    evidence = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(evidence))
    hr, head = login_as("hr"), login_as("head_a")
    instance = Path(app.instance_path)
    csv = "工号,姓名,站点编码,岗位\r\nX301,新人,KL01,加气员\r\n".encode()
    name = "../../../" + str(tmp_path / "escaped.csv").lstrip("/")
    r = hr.post("/staff/import", {"file": (io.BytesIO(csv), name)},
                content_type="multipart/form-data")
    token = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', text(r)).group(1)
    assert (instance / "imports" / f"{token}.json").is_file()
    for forged in ("../" + token, token + "/../x", "../../secret_key", "0" * 31 + "/"):
        r = hr.post("/staff/import/confirm", {"token": forged}, follow_redirects=True)
        assert "导入已失效" in text(r)
    r = head.post("/evaluations/records/new", {
        "person": str(world.id("staff_a")), "kind": "commendation",
        "occurred_at": "2026-10-20T15:30", "summary": "表扬", "evidence": "表扬信",
        "evidence_file": (io.BytesIO(tiny_png()), "../../../../tmp/evil.png")},
        content_type="multipart/form-data")
    assert r.status_code == 303
    stored = list(evidence.iterdir())
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.png", stored[0].name)
    assert not Path("/tmp/evil.png").exists() and not (tmp_path / "escaped.csv").exists()
    page = text(head.get(r.headers["Location"]))
    assert "evil.png" in page and "../" not in page      # shown by its own name only


# --- uploads that lie about what they are --------------------------------------------------------


def test_a_picture_sent_as_a_recording_is_refused_in_chinese(app, world, login_as,
                                                             recordings_dir):
    staff = login_as("staff_a")
    attempt = start_phrase(staff)
    before = snapshot(app)
    for body, name in ((tiny_png(), "answer.webm"), (b"<html><script>x</script>", "a.ogg"),
                       (b"\x1a\x45\xdf\xa3" + b"\x00" * 64, "truncated.webm")):
        response = staff.client.post(
            f"/practice/attempts/{attempt}/turns/0/audio",
            data={"audio": (io.BytesIO(body), name, "audio/webm")},
            headers={"X-CSRFToken": staff.csrf, "Accept": "application/json"},
            content_type="multipart/form-data")
        assert response.status_code == 422, (name, response.status_code)
        assert re.search(r"[\u4e00-\u9fff]", response.json["error"]), response.json
    assert snapshot(app) == before
    assert not [p for p in recordings_dir.rglob("*") if p.is_file()]
    # A real recording goes through the same way (the refusal above is about the content).
    assert upload(staff, attempt, b"").status_code == 422


def xlsx(sheet: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook around one sheet's XML."""
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types"><Default '
        f'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"'
        "/></Types>",
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def cell_row(number: int, *cells: str) -> bytes:
    return (f'<row r="{number}">' + "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{c}</t></is></c>'
        for i, c in enumerate(cells)) + "</row>").encode()


LYING_IMPORTS = {
    "html saved as .csv": (b"<!doctype html><html><script>alert(1)</script></html>", "名单.csv",
                           "缺少必需的列"),
    "csv named .xlsx": ("工号,姓名,站点编码,岗位\r\nX1,甲,KL01,加气员\r\n".encode(), "名单.xlsx",
                        "XLSX 文件无法打开"),
    "xlsx named .csv": (xlsx(SHEET + b"<sheetData/></worksheet>"), "名单.csv", "编码无法识别"),
    "a picture": (tiny_png(), "名单.png", "只支持 CSV 或 XLSX"),
    "a sheet claiming a million rows and 16384 columns": (
        xlsx(SHEET + b'<dimension ref="A1:XFD1048576"/><sheetData>' + cell_row(1, "工号")
             + cell_row(1048576, "x") + b"</sheetData></worksheet>"), "bomb.xlsx", "缺少必需的列"),
    "a sheet unpacking to 80 MB": (
        xlsx(SHEET + b"<sheetData>" + cell_row(1, "工号", "姓名", "站点编码", "岗位")
             + b"</sheetData></worksheet>", {"xl/media/blank.bin": b"\x00" * (80 << 20)}),
        "big.xlsx", "解压后超过"),
    "a cell past the csv field limit": (b'\xe5\xb7\xa5\xe5\x8f\xb7,"' + b"x" * 200_000 + b'"\r\n',
                                         "long.csv", "CSV 格式有误"),
}


@pytest.mark.parametrize("case", sorted(LYING_IMPORTS))
def test_an_import_file_that_lies_is_refused_quickly_in_chinese(app, world, login_as, case):
    body, name, message = LYING_IMPORTS[case]
    hr = login_as("hr")
    before = snapshot(app)
    started = time.monotonic()
    response = hr.post("/staff/import", {"file": (io.BytesIO(body), name, "text/csv")},
                       content_type="multipart/form-data")
    assert time.monotonic() - started < 10
    assert response.status_code in (200, 400), response.status_code
    assert message in text(response), text(response)[-800:]
    assert 'name="token"' not in text(response)
    assert snapshot(app) == before


def test_a_huge_csv_under_the_upload_limit_is_refused_by_its_rows(app, world, login_as):
    rows = "".join(f"H{i:06d},人员{i},,KL01,加气员\r\n" for i in range(150_000))
    body = ("工号,姓名,手机,站点编码,岗位\r\n" + rows).encode()
    assert 4 << 20 < len(body) < 6 << 20
    hr = login_as("hr")
    started = time.monotonic()
    response = hr.post("/staff/import", {"file": (io.BytesIO(body), "全员.csv")},
                       content_type="multipart/form-data")
    assert time.monotonic() - started < 15
    assert "一次最多导入 5000 行" in text(response)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.employee_no == "H000001")) is None


@pytest.mark.parametrize("body,name,message", [
    (b"<html><script>alert(1)</script></html>", "photo.png", "内容与扩展名不符"),
    (tiny_png(), "report.pdf", "内容与扩展名不符"),
    (b"MZ\x90\x00", "tool.exe", "只能是照片"),
    (tiny_png(), "photo.svg", "只能是照片"),
])
def test_evidence_that_lies_about_its_type_is_refused(app, world, login_as, tmp_path,
                                                      monkeypatch, body, name, message):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    head = login_as("head_a")
    before = snapshot(app)
    response = head.post("/evaluations/records/new", {
        "person": str(world.id("staff_a")), "kind": "complaint", "occurred_at": "2026-10-20T15:30",
        "summary": "投诉", "evidence": "工单", "evidence_file": (io.BytesIO(body), name, "image/png")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and message in text(response)
    assert snapshot(app) == before and not (tmp_path / "evidence").exists()


# --- headers, cookies, CSRF, GET ------------------------------------------------------------------


def test_every_route_answers_with_the_security_headers(app, world, login_as):
    """Every GET route of the URL map, as a role it admits (and anonymous): HTML, JSON, files
    and error pages alike."""
    from tests.test_access_matrix import sample_url

    browsers = {role: login_as(user) for role, user in ROLE_USERS.items()}
    anonymous = Browser(app.test_client())
    problems = []
    for rule, _access in get_routes(app, world):
        url = sample_url(rule, world)
        for role, browser in (*browsers.items(), ("anonymous", anonymous)):
            problems += check_response(f"{role} {url}", browser.get(url))
    for url in ("/no/such/page", "/static/css/app.css", "/static/js/app.js", "/healthz"):
        problems += check_response(url, anonymous.get(url))
    assert problems == []


def test_session_and_remember_cookies_are_httponly_lax_and_secure_when_asked(app, world):
    b = Browser(app.test_client())
    response = b.login("A001", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        [cookie] = [c for c in cookies if c.startswith(name)]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        assert PASSWORD not in cookie
    app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    try:
        secure = Browser(app.test_client()).login("A001", remember="y")
        for cookie in secure.headers.getlist("Set-Cookie"):
            if cookie.startswith(("session=", "remember_token=")):
                assert "Secure" in cookie, cookie
    finally:
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)


def test_a_tampered_session_cookie_is_a_stranger(app, world, login_as):
    staff = login_as("staff_a")
    cookie = staff.client.get_cookie("session")
    forged = cookie.value[:-3] + ("AAA" if not cookie.value.endswith("AAA") else "BBB")
    stranger = app.test_client()
    stranger.set_cookie("session", forged)
    assert stranger.get("/me").status_code == 302


def test_a_csrf_token_from_another_session_is_refused(app, world, login_as):
    staff, other = login_as("staff_a"), login_as("staff_a2")
    response = staff.client.post("/password", data={
        "csrf_token": other.csrf, "current": PASSWORD, "new": "NewPass-2099",
        "confirm": "NewPass-2099"})
    assert response.status_code == 400 and "安全令牌" in text(response)
    assert Browser(app.test_client()).login("A001").status_code == 302   # password unchanged
    fetch = staff.client.post("/me/quiz/1/save", headers={"X-CSRFToken": other.csrf})
    assert fetch.status_code == 400


def test_no_get_changes_anything_but_the_daily_schedule(app, world, login_as, hostile):
    """Reading pages may bring the trainee's practice schedule up to date (and close attempts
    whose time ran out); nothing else changes on a GET."""
    from tests.test_access_matrix import sample_url

    # A company's badge issuer and its key are made the first time one of its badges is read.
    allowed = {"practice_card", "practice_sync", "badge_issuer", "badge_key"}
    crawlers = {key: login_as(key) for key in HOMES}
    browsers = {role: login_as(user) for role, user in ROLE_USERS.items()}
    before = snapshot(app)
    for key, starts in HOMES.items():
        crawl(crawlers[key], starts)
    for rule, _ in get_routes(app, world):
        for browser in browsers.values():
            browser.get(sample_url(rule, world))
    after = snapshot(app)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= allowed, changes(before, after)


def test_login_next_never_leaves_the_site(app, world):
    for target in ("//evil.example/", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                   "https:evil.example", "javascript:alert(1)", "/%2F%2Fevil.example",
                   "http://localhost@evil.example/", " //evil.example"):
        b = Browser(app.test_client())
        page = text(b.get("/login?" + urlencode({"next": target})))
        assert not any(marker in page for marker in RAW)
        response = b.client.post("/login?" + urlencode({"next": target}), data={
            "employee_no": "H001", "password": PASSWORD, "csrf_token": csrf_from(page)})
        location = urlsplit(urljoin("http://localhost/login", response.headers["Location"]))
        assert location.netloc == "localhost", (target, response.headers["Location"])


def test_a_one_time_key_from_someone_elses_form_starts_nothing_of_theirs(app, world, login_as):
    staff, other, head = login_as("staff_a"), login_as("staff_a2"), login_as("head_a")
    key = "k" * 32
    first = staff.post("/practice/phrases/sl-greet/start", {"submit_key": key})
    assert first.status_code == 302
    stolen = other.post("/practice/phrases/sl-greet/start", {"submit_key": key})
    assert stolen.status_code == 409
    assert other.post("/me/daily/start", {"submit_key": key}).status_code == 409
    spoken = head.post(f"/station/staff/{world.id('staff_a')}/spoken",
                       {"submit_key": key, "phrases": "sl-greet"}, follow_redirects=True)
    assert spoken.status_code == 200 and "页面已过期" in text(spoken)
    assert head.post(f"/station/staff/{world.id('staff_a')}/spoken",
                     {"submit_key": "", "phrases": "sl-greet"}).status_code == 302
    assert head.post(f"/station/staff/{world.id('staff_a')}/spoken",
                     {"submit_key": "", "phrases": "sl-greet"}).status_code == 302


def test_ids_past_the_database_range_are_404_not_500(login_as, world):
    hr = login_as("hr")
    for url in ("/staff/99999999999999999999", "/certificates/9223372036854775808",
                "/evaluations/2147483648", "/recordings/" + "9" * 5000,
                "/staff?station=99999999999999999999", "/me/history?page=-5"):
        response = hr.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
    staff = login_as("staff_a")
    assert staff.get("/me/history?page=99999999999999999999").status_code == 200
    assert staff.get("/me/history?page=-5").status_code == 200


def test_a_nul_character_is_refused_before_any_view(app, world, login_as):
    staff = login_as("staff_a")
    before = snapshot(app)
    for response in (staff.get("/me/modules/fu\x00eling"), staff.get("/staff?q=a%00b"),
                     staff.post("/password", {"current": "a\x00", "new": "x", "confirm": "x"})):
        assert response.status_code == 400 and "NUL" in text(response)
    assert snapshot(app) == before


def test_a_band_name_longer_than_a_grade_can_hold_is_refused(app, world, login_as):
    hr = login_as("hr")
    response = submit(hr, "/evaluations/policy/edit", "/evaluations/policy/edit",
                      {"band-0-name": "优秀" * 11, "reason": "改名"})
    assert response.status_code == 400 and "最多 20 字" in text(response)


def test_typed_answers_as_json_of_the_wrong_shape_are_refused(app, world, login_as):
    from tests.test_fuzz_forms import _spoken_check

    staff, head = login_as("staff_a"), login_as("head_a")
    practice = start_phrase(staff)
    check = _spoken_check(app, world)
    for browser, url in ((staff, f"/practice/attempts/{practice}/turns/0/text"),
                         (head, f"/station/spoken/{check}/turns/0/text")):
        for body in ("[1, 2]", '"您好"', "true", '{"text": 5}', '{"text": ["您好"]}', "{"):
            response = browser.client.post(url, data=body, content_type="application/json",
                                           headers={"X-CSRFToken": browser.csrf})
            assert response.status_code == 422, (url, body, response.status_code)
            assert "请先输入" in response.json["error"]


def test_numbers_in_other_scripts_and_forged_keys_are_refused_not_crashed(app, world, login_as):
    staff = login_as("staff_a")
    quiz = attempt_id_from(post_start(staff, "/me/modules/fueling/quiz"))
    fields = {f"q{i}": "²" for i in range(10)} | {f"q{i}-x": "³" for i in range(10)}
    saved = staff.client.post(f"/me/quiz/{quiz}/save", data=fields,
                              headers={"X-CSRFToken": staff.csrf})
    assert saved.status_code == 200 and saved.json == {"saved": 0}
    assert staff.post(f"/me/quiz/{quiz}", fields).status_code == 302
    for url in ("/me/modules/fueling/quiz", "/me/daily/start", "/practice/phrases/sl-greet/start"):
        assert staff.post(url, {"submit_key": "k" * 65}).status_code == 400, url
    head = login_as("head_a")
    response = head.post(f"/station/staff/{world.id('staff_a')}/grooming",
                         {"submit_key": "k" * 65}, follow_redirects=True)
    assert response.status_code == 200 and "页面已过期" in text(response)
