"""One certificate: the PDF a station pins on the wall, its number, and its Open Badge.

Pure tests: no Flask app, no database. The PDF is checked the way a user meets it - rendered by
poppler (pdftoppm) and read back by pypdf - not by inspecting our own drawing calls.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from trainer.certificates.badges import badge_json, identity_hash
from trainer.certificates.document import (
    EXPIRED,
    REVOKED,
    SUSPENDED,
    VALID,
    CertificateDocument,
    format_score,
)
from trainer.certificates.fonts import CertificateFontError, certificate_font
from trainer.certificates.numbering import format_number, parse_number
from trainer.certificates.render import (
    NAME_BOX,
    PAGE_SIZE,
    QR_PIXELS_PER_MODULE,
    build_qr,
    render_pdf,
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm (poppler-utils) is not installed")
STANDARD_14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


def make_doc(**changes) -> CertificateDocument:
    number = changes.pop("number", format_number(2026, 42))
    values = dict(
        number=number,
        holder_name="李秀英",
        employee_no="TS-0088",
        station_name="天山能源北郊压缩天然气加气站",
        post_label="加气员",
        qualification="CNG加气员上岗资格",
        modules=(("员工形象", Decimal("96.50")), ("规范服务用语", "88"),
                 ("加气作业程序", Decimal("100")), ("安全管理规定", Decimal("91.25")),
                 ("客户投诉处理", "85")),
        issued_on=date(2026, 4, 10),
        expires_on=date(2027, 4, 9),
        certified_by_name="赵德华",
        status=VALID,
        verify_url=f"https://peixun.tianshan-energy.cn/verify/{number}",
        company_name="天山能源有限公司",
    )
    values.update(changes)
    return CertificateDocument(**values)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data), strict=True)
    return "\n".join(page.extract_text() for page in reader.pages)


def rasterise(data: bytes, tmp_path: Path, dpi: int = 60) -> Image.Image:
    source = tmp_path / "page.pdf"
    source.write_bytes(data)
    run = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(source),
                          str(tmp_path / "page")], capture_output=True, text=True, check=True)
    assert run.stderr == "", run.stderr  # poppler reports damaged PDFs and missing fonts here
    return Image.open(tmp_path / "page.png").convert("L")


def dark_pixels(image: Image.Image, box_points: tuple[float, float, float, float],
                dpi: int) -> int:
    x0, y0, x1, y1 = box_points
    scale = dpi / 72
    height = PAGE_SIZE[1]
    crop = image.crop((int(x0 * scale), int((height - y1) * scale),
                       int(x1 * scale), int((height - y0) * scale)))
    return sum(crop.histogram()[:110])


# -- the page ---------------------------------------------------------------------------


def test_a_certificate_is_one_landscape_a4_page():
    reader = PdfReader(io.BytesIO(render_pdf(make_doc())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_every_fact_of_the_certificate_can_be_read_back_from_the_pdf():
    doc = make_doc()
    text = pdf_text(render_pdf(doc))
    for fact in ("上岗资格证书", "李秀英", "TS-0088", "天山能源北郊压缩天然气加气站", "加气员",
                 "CNG加气员上岗资格", "赵德华", doc.number, "有效", "天山能源有限公司",
                 "2026年4月10日", "2027年4月9日", doc.verify_url):
        assert fact in text, fact
    # Modules with their scores, as printed (trailing zeros dropped).
    for line in ("员工形象 96.5 分", "规范服务用语 88 分", "加气作业程序 100 分",
                 "安全管理规定 91.25 分", "客户投诉处理 85 分"):
        assert line in text, line


@needs_poppler
def test_poppler_draws_the_holders_name_where_it_belongs(tmp_path):
    dpi = 60
    page = rasterise(render_pdf(make_doc()), tmp_path, dpi)
    assert page.size == (math.ceil(PAGE_SIZE[0] * dpi / 72), math.ceil(PAGE_SIZE[1] * dpi / 72))
    name_ink = dark_pixels(page, NAME_BOX, dpi)
    assert name_ink > 150, "the name area is blank"
    other = rasterise(render_pdf(make_doc(holder_name="欧阳建国")), tmp_path, dpi)
    # A four-character name puts more ink there than three; a font without these glyphs
    # would print nothing or identical boxes.
    assert dark_pixels(other, NAME_BOX, dpi) > name_ink * 1.15
    # Some ink elsewhere too, and far from all of the page: a real page, not a black box.
    dark_share = sum(page.histogram()[:110]) / (page.width * page.height)
    assert 0.01 < dark_share < 0.3


def test_the_chinese_font_is_embedded_and_no_font_is_left_to_the_viewer():
    reader = PdfReader(io.BytesIO(render_pdf(make_doc())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = 0
    for ref in fonts.values():
        font = ref.get_object()
        name = str(font["/BaseFont"]).lstrip("/")
        descriptor = font.get("/FontDescriptor")
        if font["/Subtype"] == "/Type0":
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        if descriptor is None:
            assert name in STANDARD_14, f"{name} is neither embedded nor a standard font"
            continue
        descriptor = descriptor.get_object()
        assert "/FontFile2" in descriptor, f"{name} has no embedded TrueType program"
        assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000
        assert "/ToUnicode" in font, f"{name}: text would not copy or search"
        embedded += 1
    assert embedded >= 1


def test_the_qr_code_encodes_exactly_the_verify_url():
    url = "https://peixun.tianshan-energy.cn/verify/JQZ-2026-000042-1"
    code = build_qr(url)
    assert b"".join(bytes(segment.data) for segment in code.data_list) == url.encode()


def test_the_printed_qr_code_is_module_for_module_the_code_of_the_verify_url():
    doc = make_doc()
    page = PdfReader(io.BytesIO(render_pdf(doc))).pages[0]
    assert len(page.images) == 1
    image = page.images[0].image.convert("L")
    matrix = build_qr(doc.verify_url).get_matrix()
    assert image.size == (len(matrix) * QR_PIXELS_PER_MODULE,) * 2
    half = QR_PIXELS_PER_MODULE // 2
    printed = [[image.getpixel((x * QR_PIXELS_PER_MODULE + half,
                                y * QR_PIXELS_PER_MODULE + half)) < 128
                for x in range(len(matrix))] for y in range(len(matrix))]
    assert printed == matrix
    # A different number gives a different code: the image is not a fixed picture.
    assert build_qr(doc.verify_url.replace("042", "043")).get_matrix() != matrix


@pytest.mark.parametrize("status", [REVOKED, SUSPENDED, EXPIRED])
def test_a_certificate_not_in_force_still_prints_and_says_so(status):
    doc = make_doc(status=status, status_changed_on=date(2026, 9, 3))
    text = pdf_text(render_pdf(doc))
    assert "李秀英" in text and doc.number in text
    assert text.count(status) >= 3  # the status line, the stamp and the watermark
    assert "2026年9月3日" in text
    assert "有效\n" not in text and not re.search(r"证书状态\s*有效", text)


def test_a_valid_certificate_carries_no_warning_mark():
    text = pdf_text(render_pdf(make_doc()))
    assert re.search(r"证书状态\s*有效", text)
    for mark in (REVOKED, SUSPENDED, EXPIRED):
        assert mark not in text


def test_a_reissued_certificate_names_the_one_it_replaces():
    old = format_number(2025, 7)
    text = pdf_text(render_pdf(make_doc(replaces_number=old)))
    assert "替换原证书" in text and old in text


def test_long_names_are_printed_whole_on_one_page():
    station = "中国石油天然气股份有限公司新疆乌鲁木齐销售分公司第十二压缩天然气加气站(米东区西站)"
    holder = "阿卜杜热合曼·买买提依明"
    modules = tuple((f"第{i}单元 加气站安全操作规程与应急处置", Decimal(70 + i)) for i in range(14))
    data = render_pdf(make_doc(station_name=station, holder_name=holder, modules=modules,
                               company_name=""))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert holder in text and station in text
    for i in range(14):
        assert f"第{i}单元加气站安全操作规程与应急处置{70 + i}分" in text


def test_markup_characters_in_names_are_printed_literally():
    text = pdf_text(render_pdf(make_doc(station_name="A&B <东站>", post_label="加气员&收银")))
    assert "A&B <东站>" in text and "加气员&收银" in text


def test_a_certificate_without_modules_still_renders():
    text = pdf_text(render_pdf(make_doc(modules=())))
    assert "无记录" in text


# -- the document ----------------------------------------------------------------------


@pytest.mark.parametrize("change, message", [
    ({"status": "active"}, "证书状态"),
    ({"verify_url": "/verify/JQZ-2026-000042-1"}, "完整网址"),
    ({"expires_on": date(2026, 4, 9)}, "有效期"),
    ({"holder_name": "  "}, "holder_name"),
])
def test_an_inconsistent_certificate_is_refused_with_a_reason(change, message):
    with pytest.raises(ValueError, match=message):
        make_doc(**change)


def test_modules_from_a_json_column_are_accepted_and_the_document_stays_hashable():
    doc = make_doc(modules=[["员工形象", "90"], ["安全管理规定", "88.0"]])
    assert doc.modules == (("员工形象", "90"), ("安全管理规定", "88.0"))
    assert hash(doc) == hash(dataclasses.replace(doc))


@pytest.mark.parametrize("score, printed", [
    (Decimal("92.50"), "92.5"), (Decimal("100"), "100"), (Decimal("100.00"), "100"),
    ("88", "88"), ("0.0", "0"), (Decimal("7.25"), "7.25"), ("待定", "待定"),
])
def test_scores_print_without_trailing_zeros(score, printed):
    assert format_score(score) == printed


# -- the font --------------------------------------------------------------------------


def test_no_usable_font_is_a_clear_chinese_error_naming_the_package(monkeypatch, tmp_path):
    monkeypatch.delenv("TRAINER_CERTIFICATE_FONT", raising=False)
    with pytest.raises(CertificateFontError, match="fonts-wqy-microhei"):
        certificate_font(search=((str(tmp_path / "missing.ttc"), 0),))


def test_a_configured_font_without_chinese_glyphs_is_refused():
    latin_only = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin_only.exists():
        pytest.skip("fonts-dejavu-core is not installed")
    with pytest.raises(CertificateFontError, match="缺少中文字形"):
        certificate_font(latin_only)


def test_a_configured_file_that_is_no_font_is_refused(tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all" * 100)
    with pytest.raises(CertificateFontError, match="证书字体不可用"):
        certificate_font(fake)


def test_the_font_is_registered_once_however_many_threads_ask():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        names = set(pool.map(lambda _: certificate_font(), range(8)))
    assert len(names) == 1


# -- numbers ---------------------------------------------------------------------------

years = st.integers(2000, 2099)
sequences = st.integers(1, 99_999_999)


@given(years, sequences)
def test_a_number_reads_back_as_itself(year, sequence):
    number = format_number(year, sequence)
    assert re.fullmatch(r"JQZ-\d{4}-\d{6,8}-\d", number)
    assert parse_number(number) == number


@given(years, sequences, st.data())
def test_any_single_mistyped_digit_is_caught(year, sequence, data):
    number = format_number(year, sequence)
    positions = [i for i, char in enumerate(number) if char.isdigit()]
    position = data.draw(st.sampled_from(positions))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    assert parse_number(number[:position] + wrong + number[position + 1:]) is None


@given(years, sequences, st.data())
def test_swapping_two_neighbouring_digits_is_caught(year, sequence, data):
    digits = format_number(year, sequence).replace("-", "")[3:]
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
    if not pairs:
        return
    i = data.draw(st.sampled_from(pairs))
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
    assert parse_number("JQZ" + swapped) is None


@given(years, sequences, st.sampled_from("ABCDEFGHKMNPRSTUVWXY"), st.integers(0, 2))
def test_a_wrong_prefix_letter_is_caught(year, sequence, letter, position):
    number = format_number(year, sequence)
    if number[position] == letter:
        return
    assert parse_number(number[:position] + letter + number[position + 1:]) is None


def test_what_people_type_is_understood():
    number = format_number(2026, 123)
    check = number[-1]
    for typed in (number.lower(), f" {number} ", f"JQZ 2026 000123 {check}",
                  f"JQZ2026000123{check}", f"ＪＱＺ－２０２６－０００１２３－{check}",
                  f"jqz-2026-OOO123-{check}", f"JQZ—2026—000123—{check}"):
        assert parse_number(typed) == number, typed


@pytest.mark.parametrize("typed", ["", "   ", "JQZ", "JQZ-2026", "ABC-2026-000123-8",
                                   "JQZ-26-000123-8", "JQZ-2026-0000123-8", "JQZ-2026-000000-0",
                                   "../../etc/passwd", "JQZ-2026-000123-8-9"])
def test_things_that_are_not_numbers_are_refused(typed):
    assert parse_number(typed) is None


@settings(max_examples=300)
@given(st.text())
def test_parsing_never_fails_on_arbitrary_input(text):
    result = parse_number(text)
    assert result is None or parse_number(result) == result


@pytest.mark.parametrize("year, sequence", [(999, 1), (10000, 1), (2026, 0), (2026, 10**8)])
def test_impossible_numbers_are_not_issued(year, sequence):
    with pytest.raises(ValueError):
        format_number(year, sequence)


# -- Open Badges 3.0 -------------------------------------------------------------------


ISSUER = "https://peixun.tianshan-energy.cn/issuers/7c0c3a52-2f8e-4f56-a1a9-3c7d3a1c1f10"


def make_badge(doc: CertificateDocument | None = None, issuer_key: str = "tianshan") -> dict:
    doc = doc or make_doc()
    return badge_json(doc, issuer_id=ISSUER, issuer_name="天山能源有限公司",
                      issuer_homepage="https://peixun.tianshan-energy.cn/",
                      issuer_key=issuer_key,
                      credential_id="urn:uuid:0f3b9a61-2a52-4b43-9c55-1d4f9a3b7e21",
                      salt="a-secret-salt-of-this-certificate")


def test_the_badge_is_an_open_badges_3_credential():
    badge = json.loads(json.dumps(make_badge(), ensure_ascii=False))  # plain JSON throughout
    assert badge["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"].startswith("urn:uuid:") and badge["name"]
    issuer = badge["issuer"]
    assert issuer["type"] == ["Profile"] and issuer["name"] == "天山能源有限公司"
    assert issuer["id"] == ISSUER
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "CNG加气员上岗资格"
    assert achievement["description"] and achievement["criteria"]["narrative"]
    assert achievement["id"].startswith("urn:uuid:")
    assert achievement["image"]["id"].startswith("data:image/svg+xml;base64,")
    assert "proof" not in badge  # signed by trainer.certificates.issuers


def test_the_badge_is_valid_from_the_issue_date_through_the_expiry_date():
    badge = make_badge()
    valid_from = datetime.fromisoformat(badge["validFrom"])
    valid_until = datetime.fromisoformat(badge["validUntil"])
    assert valid_from.tzinfo is not None and valid_until.tzinfo is not None
    assert valid_from.date() == date(2026, 4, 10)
    assert valid_until.date() == date(2027, 4, 9)
    assert valid_until - valid_from > timedelta(days=364)
    assert valid_from.utcoffset() == timedelta(hours=8)  # the stations' time zone


def test_the_badge_points_at_the_verify_page_and_carries_the_scores():
    doc = make_doc()
    badge = make_badge(doc)
    assert [e["id"] for e in badge["evidence"]] == [doc.verify_url]
    achievement = badge["credentialSubject"]["achievement"]
    descriptions = {d["id"]: d["name"] for d in achievement["resultDescription"]}
    scores = {descriptions[r["resultDescription"]]: r["value"]
              for r in badge["credentialSubject"]["result"]}
    assert scores == {"员工形象": "96.5", "规范服务用语": "88", "加气作业程序": "100",
                      "安全管理规定": "91.25", "客户投诉处理": "85"}


def test_the_badge_names_the_holder_but_only_hashes_the_employee_number():
    doc = make_doc()
    badge = make_badge(doc)
    assert "TS-0088" not in json.dumps(badge, ensure_ascii=False)
    identifiers = {i["identityType"]: i for i in badge["credentialSubject"]["identifier"]}
    assert identifiers["name"]["identityHash"] == "李秀英"
    hashed = identifiers["identifier"]
    assert hashed["hashed"] is True
    # The salt is the site's secret: published, it would let anyone try every employee number.
    assert "salt" not in hashed and doc.number not in hashed["identityHash"]
    # The platform, knowing the salt, can confirm whose badge it is.
    salt = "a-secret-salt-of-this-certificate"
    assert hashed["identityHash"] == identity_hash("TS-0088", salt=salt)
    assert hashed["identityHash"] != identity_hash("TS-0089", salt=salt)
    assert hashed["identityHash"] != identity_hash("TS-0088", salt=doc.number)


def test_holders_of_one_qualification_share_one_achievement():
    first = make_badge(make_doc())
    second = make_badge(make_doc(number=format_number(2026, 43), holder_name="周强"))
    other = make_badge(make_doc(qualification="营业员上岗资格"))
    other_company = make_badge(make_doc(), issuer_key="kunlun")
    ids = [b["credentialSubject"]["achievement"]["id"]
           for b in (first, second, other, other_company)]
    assert ids[0] == ids[1] != ids[2]
    assert ids[3] not in (ids[0], ids[2])  # two companies never share an achievement
