"""One certificate as one printable A4 page (reportlab), Chinese text in an embedded font.

Landscape A4, because a certificate pinned on the station wall is read like a diploma and
the modules table needs the width. Every string is drawn in the embedded TrueType CJK font
(fonts.py), Latin and digits included, so the page prints the same on any viewer or printer.

The QR code is made with the `qrcode` package and drawn as one small greyscale image (4 pixels
per module, never smoothed by a viewer at print sizes): one compact image per page keeps a
1,000-page export small, and the exact module matrix is available to tests, which compare
the printed code with the code of the verify URL module by module.
"""

from __future__ import annotations

import io
import math
from typing import BinaryIO
from xml.sax.saxutils import escape

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from trainer.certificates.document import (
    EXPIRED,
    CertificateDocument,
    format_date,
    format_score,
)
from trainer.certificates.fonts import certificate_font

PAGE_SIZE = landscape(A4)
WIDTH, HEIGHT = PAGE_SIZE
TITLE = "上岗资格证书"
MARGIN = 80  # left/right edge of the text, inside the frame
QR_SIZE = 104  # points; about 2.8 pt per module for a typical verify URL
QR_PIXELS_PER_MODULE = 4
QR_BORDER = 4  # modules of quiet zone, part of the image so nothing can be drawn into it

# Where the holder's name is printed (x0, y0, x1, y1 in points from the bottom left);
# tests look for ink there in the rendered page.
NAME_BOX = (MARGIN + 60, HEIGHT - 190, MARGIN + 360, HEIGHT - 160)
# The place for the company seal (a dashed circle, centre and radius) and the line where the
# certifying head signs by hand: a printed certificate is signed and stamped.
SEAL_CENTRE = (WIDTH - MARGIN - QR_SIZE - 62, 132)
SEAL_RADIUS = 40
SIGNATURE_LINE = (MARGIN + 250 + 60, MARGIN + 250 + 200, 88)   # x0, x1, y

INK = Color(0.13, 0.13, 0.13)
MUTED = Color(0.42, 0.42, 0.42)
CRIMSON = Color(0.55, 0.09, 0.07)
GOLD = Color(0.72, 0.56, 0.22)
GREEN = Color(0.09, 0.45, 0.2)
RULE = Color(0.8, 0.76, 0.68)
WATERMARK_RED = Color(0.97, 0.84, 0.83)
WATERMARK_GREY = Color(0.88, 0.88, 0.88)


def render_pdf(doc: CertificateDocument, *, font_path: str | None = None) -> bytes:
    """The certificate as a one-page PDF."""
    buffer = io.BytesIO()
    write_pdf(doc, buffer, font_path=font_path)
    return buffer.getvalue()


def write_pdf(doc: CertificateDocument, fileobj: BinaryIO, *, font_path: str | None = None) -> None:
    """Write the certificate as a one-page PDF to a binary file object.

    `font_path` overrides the font search (see fonts.certificate_font); raises
    fonts.CertificateFontError when no embeddable Chinese font is available.
    """
    font = certificate_font(font_path)
    canvas = new_canvas(fileobj, font, title=f"{TITLE} {doc.number}", author=issuer_line(doc))
    draw_certificate(canvas, doc, font)
    canvas.showPage()
    canvas.save()


def new_canvas(fileobj: BinaryIO, font: str, *, title: str, author: str) -> Canvas:
    """A canvas set up for certificate pages, with the document's metadata."""
    # Starting in the embedded font keeps reportlab's default Helvetica (never embedded)
    # out of the file altogether.
    canvas = Canvas(fileobj, pagesize=PAGE_SIZE, pageCompression=1, initialFontName=font)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(TITLE)
    canvas.setCreator("加气站服务培训与考核平台")
    return canvas


def issuer_line(doc: CertificateDocument) -> str:
    """Who issues the certificate, as printed under the title."""
    return doc.company_name or doc.station_name


def build_qr(verify_url: str) -> qrcode.QRCode:
    """The QR code printed on the certificate: it encodes exactly the verify URL."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER, box_size=1)
    code.add_data(verify_url, optimize=0)
    code.make(fit=True)
    return code


def qr_image(verify_url: str) -> Image.Image:
    """The QR code as a greyscale image, QR_PIXELS_PER_MODULE pixels per module."""
    matrix = build_qr(verify_url).get_matrix()
    size = len(matrix)
    rows = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), rows)
    scale = QR_PIXELS_PER_MODULE
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def draw_certificate(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    """Draw one certificate on the canvas's current page (the caller calls showPage)."""
    if not doc.is_valid:
        _draw_watermark(canvas, doc, font)
    _draw_frame(canvas)
    _draw_header(canvas, doc, font)
    if not doc.is_valid:
        _draw_status_stamp(canvas, doc, font)
    y = _draw_holder(canvas, doc, font)
    y = _draw_statement(canvas, doc, font, y)
    _draw_modules(canvas, doc, font, top=y, bottom=182)
    _draw_footer(canvas, doc, font)
    _draw_signature_and_seal(canvas, doc, font)
    _draw_qr(canvas, doc, font)


def _draw_frame(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(CRIMSON)
    canvas.setLineWidth(2.4)
    canvas.rect(20, 20, WIDTH - 40, HEIGHT - 40)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(28, 28, WIDTH - 56, HEIGHT - 56)
    # Small diamonds in the corners of the inner frame.
    canvas.setFillColor(GOLD)
    for x, y in ((28, 28), (WIDTH - 28, 28), (28, HEIGHT - 28), (WIDTH - 28, HEIGHT - 28)):
        path = canvas.beginPath()
        path.moveTo(x, y - 6)
        path.lineTo(x + 6, y)
        path.lineTo(x, y + 6)
        path.lineTo(x - 6, y)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _draw_header(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    issuer = issuer_line(doc)
    canvas.setFillColor(MUTED)
    _draw_fitted(canvas, issuer, WIDTH / 2, HEIGHT - 70, font, 13, WIDTH - 2 * MARGIN - 240,
                 align="centre")
    canvas.setFillColor(CRIMSON)
    canvas.setFont(font, 34)
    # Letter-spaced like a printed certificate; no spacing after the last character.
    spacing = 10
    width = stringWidth(TITLE, font, 34) + spacing * (len(TITLE) - 1)
    canvas.drawString(WIDTH / 2 - width / 2, HEIGHT - 116, TITLE, charSpace=spacing)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(WIDTH / 2 - 150, HEIGHT - 130, WIDTH / 2 + 150, HEIGHT - 130)
    canvas.line(WIDTH / 2 - 110, HEIGHT - 134, WIDTH / 2 + 110, HEIGHT - 134)


def _draw_holder(canvas: Canvas, doc: CertificateDocument, font: str) -> float:
    """The holder block; returns the y below it."""
    right = WIDTH / 2 + 50
    y = HEIGHT - 185
    _label(canvas, "持证人", MARGIN, y + 4, font)
    x0, _, x1, _ = NAME_BOX
    canvas.saveState()
    # Filled and stroked: a touch of weight, since the font has no bold face.
    canvas.setFillColor(INK)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.45)
    _draw_fitted(canvas, doc.holder_name, x0, y, font, 24, x1 - x0, render_mode=2)
    canvas.restoreState()
    _label(canvas, "工号", right, y + 4, font)
    canvas.setFillColor(INK)
    _draw_fitted(canvas, doc.employee_no or "—", right + 60, y + 2, font, 15,
                 WIDTH - MARGIN - right - 60)

    y -= 36
    _label(canvas, "岗位", MARGIN, y, font)
    canvas.setFillColor(INK)
    _draw_fitted(canvas, doc.post_label, MARGIN + 60, y - 1, font, 15, right - MARGIN - 70)
    _label(canvas, "资格", right, y, font)
    canvas.setFillColor(INK)
    _draw_fitted(canvas, doc.qualification, right + 60, y - 1, font, 15,
                 WIDTH - MARGIN - right - 60)

    y -= 30
    _label(canvas, "所属站点", MARGIN, y, font)
    canvas.setFillColor(INK)
    _draw_fitted(canvas, doc.station_name, MARGIN + 60, y - 1, font, 15,
                 WIDTH - 2 * MARGIN - 60)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 14, WIDTH - MARGIN, y - 14)
    return y - 14


def _draw_statement(canvas: Canvas, doc: CertificateDocument, font: str, top: float) -> float:
    statement = (
        "兹证明持证人已完成下列培训模块并通过考核,经站长认证,"
        f"准予在{escape(doc.station_name)}从事{escape(doc.post_label)}岗位工作,特发此证。"
    )
    style = ParagraphStyle("statement", fontName=font, fontSize=11.5, leading=16,
                           textColor=INK, wordWrap="CJK")
    paragraph = Paragraph(statement, style)
    _, height = paragraph.wrap(WIDTH - 2 * MARGIN, 60)
    paragraph.drawOn(canvas, MARGIN, top - 8 - height)
    return top - 8 - height - 8


def _draw_modules(canvas: Canvas, doc: CertificateDocument, font: str, *, top: float,
                  bottom: float) -> None:
    modules = doc.modules
    if not modules:
        _label(canvas, "培训模块:无记录", MARGIN, top - 18, font)
        return
    # Two half-width columns read better than one row stretched across the page.
    columns = 2 if len(modules) <= 16 else 3
    rows = math.ceil(len(modules) / columns)
    gap = 24
    column_width = (WIDTH - 2 * MARGIN - gap * (columns - 1)) / columns
    row_height = min(19.0, (top - bottom) / (rows + 1))
    size = min(10.5, row_height * 0.6)
    score_width = 58
    for column in range(columns):
        chunk = modules[column * rows:(column + 1) * rows]
        if not chunk:
            break
        x = MARGIN + column * (column_width + gap)
        y = top
        canvas.setFillColor(Color(0.97, 0.94, 0.88))
        canvas.rect(x, y - row_height, column_width, row_height, stroke=0, fill=1)
        canvas.setFillColor(CRIMSON)
        canvas.setFont(font, size)
        baseline = (row_height - size) / 2 + size * 0.18
        canvas.drawString(x + 6, y - row_height + baseline, "培训模块")
        canvas.drawRightString(x + column_width - 8, y - row_height + baseline, "成绩")
        for title, score in chunk:
            y -= row_height
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            canvas.line(x, y - row_height, x + column_width, y - row_height)
            canvas.setFillColor(INK)
            _draw_fitted(canvas, title, x + 6, y - row_height + baseline, font, size,
                         column_width - score_width - 12)
            canvas.drawRightString(x + column_width - 8, y - row_height + baseline,
                                   f"{format_score(score)} 分")


def _draw_footer(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    left, middle = MARGIN, MARGIN + 250
    y = 158
    _label(canvas, "证书编号", left, y, font)
    canvas.setFillColor(INK)
    canvas.setFont(font, 13)
    canvas.drawString(left + 60, y - 1, doc.number)
    _label(canvas, "认证站长", middle, y, font)
    canvas.setFillColor(INK)
    _draw_fitted(canvas, doc.certified_by_name, middle + 60, y - 1, font, 13, 150)

    y -= 22
    _label(canvas, "发证日期", left, y, font)
    canvas.setFillColor(INK)
    canvas.setFont(font, 12)
    canvas.drawString(left + 60, y - 1, format_date(doc.issued_on))
    _label(canvas, "有效期至", middle, y, font)
    canvas.setFillColor(INK)
    canvas.setFont(font, 12)
    canvas.drawString(middle + 60, y - 1, format_date(doc.expires_on))

    y -= 22
    _label(canvas, "证书状态", left, y, font)
    canvas.setFillColor(GREEN if doc.is_valid else CRIMSON)
    canvas.setFont(font, 12)
    status = doc.status
    if doc.status_changed_on and not doc.is_valid:
        status += f"(自{format_date(doc.status_changed_on)}起)"
    canvas.drawString(left + 60, y - 1, status)
    if doc.replaces_number:
        _label(canvas, "替换原证书", middle, y, font)
        canvas.setFillColor(INK)
        canvas.setFont(font, 12)
        canvas.drawString(middle + 60, y - 1, doc.replaces_number)

    note = (
        "核验说明:本证书所示状态为打印时状态,真伪与当前状态以在线核验为准。"
        f"请扫描右侧二维码,或访问 {escape(doc.verify_url)} 查询;"
        "证书暂停、撤销或过期后,核验页面即时显示。"
    )
    style = ParagraphStyle("note", fontName=font, fontSize=8.5, leading=11.5,
                           textColor=MUTED, wordWrap="CJK")
    paragraph = Paragraph(note, style)
    _, height = paragraph.wrap(WIDTH - 2 * MARGIN - QR_SIZE - 40, 60)
    paragraph.drawOn(canvas, left, 74 - height)


def _draw_signature_and_seal(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    """站长签字 on a line under the footer, and 盖章处: a dashed circle where the company's
    seal goes, its name in small type along the bottom."""
    x0, x1, y = SIGNATURE_LINE
    _label(canvas, "站长签字", x0 - 60, y + 2, font)
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(x0, y, x1, y)
    canvas.restoreState()
    cx, cy = SEAL_CENTRE
    canvas.saveState()
    canvas.setStrokeColor(CRIMSON)
    canvas.setLineWidth(0.8)
    canvas.setDash(3, 3)
    canvas.circle(cx, cy, SEAL_RADIUS, stroke=1, fill=0)
    canvas.restoreState()
    canvas.setFillColor(MUTED)
    canvas.setFont(font, 10)
    canvas.drawCentredString(cx, cy - 3, "盖章处")
    _draw_fitted(canvas, issuer_line(doc) or "(公司公章)", cx, cy - 20, font, 7,
                 SEAL_RADIUS * 1.6, align="centre", min_size=5)


def _draw_qr(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    x = WIDTH - MARGIN - QR_SIZE + 8
    y = 62
    canvas.drawImage(ImageReader(qr_image(doc.verify_url)), x, y, QR_SIZE, QR_SIZE)
    canvas.setFillColor(MUTED)
    canvas.setFont(font, 8.5)
    canvas.drawCentredString(x + QR_SIZE / 2, y - 6, "扫码核验")
    canvas.setFont(font, 8)
    canvas.drawCentredString(x + QR_SIZE / 2, y + QR_SIZE + 2, doc.number)


def _draw_status_stamp(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    """A red (grey for expired) stamp beside the title: this certificate is not in force."""
    colour = MUTED if doc.status == EXPIRED else CRIMSON
    canvas.saveState()
    canvas.translate(WIDTH - 150, HEIGHT - 105)
    canvas.rotate(12)
    canvas.setStrokeColor(colour)
    canvas.setFillColor(colour)
    canvas.setLineWidth(2)
    canvas.roundRect(-58, -24, 116, 48, 6)
    canvas.setLineWidth(0.6)
    canvas.roundRect(-54, -20, 108, 40, 4)
    canvas.setFont(font, 20)
    canvas.drawCentredString(0, -2, doc.status)
    if doc.status_changed_on:
        canvas.setFont(font, 8)
        canvas.drawCentredString(0, -14, doc.status_changed_on.isoformat())
    canvas.restoreState()


def _draw_watermark(canvas: Canvas, doc: CertificateDocument, font: str) -> None:
    """The status across the page, under everything else, so it cannot be cut off."""
    canvas.saveState()
    canvas.setFillColor(WATERMARK_GREY if doc.status == EXPIRED else WATERMARK_RED)
    canvas.translate(WIDTH / 2, HEIGHT / 2 - 30)
    canvas.rotate(18)
    canvas.setFont(font, 130)
    canvas.drawCentredString(0, -45, doc.status)
    canvas.restoreState()


def _label(canvas: Canvas, text: str, x: float, y: float, font: str) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont(font, 10.5)
    canvas.drawString(x, y, text)


def _draw_fitted(canvas: Canvas, text: str, x: float, y: float, font: str, size: float,
                 max_width: float, *, align: str = "left", min_size: float = 8,
                 render_mode: int = 0) -> None:
    """Draw text on one line within max_width: smaller type first, then narrower letters,
    so a long station or module name is never cut off."""
    width = stringWidth(text, font, size)
    if width > max_width:
        size = max(min_size, size * max_width / width)
        width = stringWidth(text, font, size)
    squeeze = min(1.0, max_width / width) if width else 1.0
    if align == "centre":
        x -= width * squeeze / 2
    line = canvas.beginText(x, y)
    line.setFont(font, size)
    line.setTextRenderMode(render_mode)
    if squeeze < 1:
        line.setHorizScale(squeeze * 100)
    line.textOut(text)
    canvas.drawText(line)


__all__ = [
    "NAME_BOX",
    "PAGE_SIZE",
    "build_qr",
    "draw_certificate",
    "new_canvas",
    "qr_image",
    "render_pdf",
    "write_pdf",
]
