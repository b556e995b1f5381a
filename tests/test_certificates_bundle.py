"""Bulk exports for HR: a ZIP of certificate PDFs, or one merged PDF; both streamed.

Pure tests: no Flask app, no database. Every archive and PDF is read back with zipfile, pypdf
and poppler, as the person who downloads it would open it.
"""

from __future__ import annotations

import gc
import io
import re
import shutil
import subprocess
import tracemalloc
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from trainer.certificates.bundle import write_merged_pdf, write_zip, zip_entry_name
from trainer.certificates.document import REVOKED, VALID, CertificateDocument
from trainer.certificates.numbering import format_number

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def make_doc(index: int, **changes) -> CertificateDocument:
    number = format_number(2026, 500 + index)
    values = dict(
        number=number,
        holder_name=SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)],
        employee_no=f"HX-{index:04d}",
        station_name=("华鑫燃气东环路加气站", "华鑫燃气西郊加气站")[index % 2],
        post_label=("加气员", "营业员")[index % 2],
        qualification="加气员上岗资格",
        modules=(("员工形象", Decimal("90")), ("加气作业程序", f"{80 + index % 20}")),
        issued_on=date(2026, 5, 1),
        expires_on=date(2027, 4, 30),
        certified_by_name="钱立新",
        status=VALID,
        verify_url=f"https://hx-gas.example.cn/verify/{number}",
        company_name="华鑫燃气有限公司",
    )
    values.update(changes)
    return CertificateDocument(**values)


def docs(count: int) -> Iterator[CertificateDocument]:
    return (make_doc(i) for i in range(count))


class Unseekable(io.RawIOBase):
    """A response stream: write only, no seek, no tell."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.chunks)


# -- ZIP -------------------------------------------------------------------------------


def test_the_zip_holds_one_readable_pdf_per_certificate():
    certificates = [make_doc(i) for i in range(5)]
    buffer = io.BytesIO()
    assert write_zip(certificates, buffer) == 5
    with zipfile.ZipFile(buffer) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == [f"{d.number}-{d.holder_name}.pdf"
                                              for d in certificates]
        for info, doc in zip(infos, certificates, strict=True):
            assert info.flag_bits & 0x800, "names must be flagged as UTF-8 for Windows"
            reader = PdfReader(io.BytesIO(archive.read(info)), strict=True)
            assert len(reader.pages) == 1
            text = reader.pages[0].extract_text()
            assert doc.holder_name in text and doc.number in text


@pytest.mark.parametrize("holder, expected", [
    ("张三", "张三"),
    ('A/B\\C:D*E?F"G<H>I|J', "A_B_C_D_E_F_G_H_I_J"),
    ("  李四. ", "李四"),
    ("王\t五\n", "王 五"),
    ("欧阳" * 30, "欧阳" * 12),
])
def test_entry_names_are_safe_for_windows_and_excel(holder, expected):
    doc = make_doc(0, holder_name=holder)
    name = zip_entry_name(doc)
    assert name == f"{doc.number}-{expected}.pdf"
    assert not WINDOWS_FORBIDDEN & set(name)
    assert not any(ord(c) < 32 for c in name)


def test_entry_names_never_collide():
    twice = [make_doc(1), make_doc(1), make_doc(1)]
    buffer = io.BytesIO()
    write_zip(twice, buffer)
    names = zipfile.ZipFile(buffer).namelist()
    assert len(set(names)) == 3
    assert names[1] == names[0].replace(".pdf", "-2.pdf")


def test_the_zip_streams_into_an_unseekable_response():
    stream = Unseekable()
    assert write_zip(docs(3), stream) == 3
    with zipfile.ZipFile(io.BytesIO(stream.value())) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) == 3


def test_progress_is_reported_after_each_certificate():
    seen: list[tuple[int, int | None]] = []
    write_zip([make_doc(i) for i in range(3)], io.BytesIO(), lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    seen.clear()
    write_zip(docs(2), io.BytesIO(), lambda d, t: seen.append((d, t)))
    assert seen == [(1, None), (2, None)]  # a generator has no length...
    seen.clear()
    write_merged_pdf(docs(2), io.BytesIO(), lambda d, t: seen.append((d, t)), total=2)
    assert seen == [(1, 2), (2, 2)]  # ...unless the caller knows it


# -- merged PDF ------------------------------------------------------------------------


def test_the_merged_pdf_has_one_page_per_certificate_in_order():
    certificates = [make_doc(i) for i in range(12)]
    buffer = io.BytesIO()
    assert write_merged_pdf(certificates, buffer) == 12
    reader = PdfReader(io.BytesIO(buffer.getvalue()), strict=True)
    assert len(reader.pages) == 12
    for page, doc in zip(reader.pages, certificates, strict=True):
        text = page.extract_text()
        assert doc.holder_name in text and doc.number in text and doc.station_name in text
        assert len(page.images) == 1  # its own QR code


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_reads_the_merged_pdf_without_complaint(tmp_path):
    path = tmp_path / "all.pdf"
    with path.open("wb") as file:
        write_merged_pdf(docs(6), file)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+6$", info.stdout, re.M)
    # A wrong cross-reference table makes poppler say "Syntax Error" / "reconstruct".
    for first in ("1", "6"):
        run = subprocess.run(["pdftoppm", "-r", "20", "-f", first, "-l", first, "-png",
                              str(path), str(tmp_path / "p")],
                             capture_output=True, text=True, check=True)
        assert run.stderr == "", run.stderr
    text = subprocess.run(["pdftotext", "-f", "6", "-l", "6", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert make_doc(5).holder_name in text


def embedded_fonts(data: bytes) -> list[int]:
    """Sizes of the embedded TrueType programs in a PDF, each counted once."""
    reader = PdfReader(io.BytesIO(data))
    seen: dict[int, int] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            descriptor = ref.get_object()["/FontDescriptor"].get_object()
            program = descriptor.raw_get("/FontFile2")
            seen[program.idnum] = len(program.get_object().get_data())
    return sorted(seen.values())


def test_the_merged_pdf_embeds_the_font_once_not_once_per_page():
    few, many = io.BytesIO(), io.BytesIO()
    # The same people again and again: the same characters, so the same glyphs.
    write_merged_pdf([make_doc(i % 4) for i in range(4)], few)
    write_merged_pdf([make_doc(i % 4) for i in range(40)], many)
    assert embedded_fonts(many.getvalue()) == embedded_fonts(few.getvalue())
    single = io.BytesIO()
    write_zip([make_doc(0)], single)
    one_pdf = zipfile.ZipFile(single).read(zipfile.ZipFile(single).namelist()[0])
    # Forty pages cost far less than forty single certificates.
    assert len(many.getvalue()) < 10 * len(one_pdf)


def test_the_same_certificate_twice_in_one_merged_pdf_prints_twice():
    buffer = io.BytesIO()
    write_merged_pdf([make_doc(3), make_doc(3, status=REVOKED)], buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()), strict=True)
    assert [len(p.images) for p in reader.pages] == [1, 1]
    assert REVOKED not in reader.pages[0].extract_text()
    assert REVOKED in reader.pages[1].extract_text()


def test_an_empty_selection_gives_a_pdf_that_says_so():
    buffer = io.BytesIO()
    assert write_merged_pdf([], buffer) == 0
    reader = PdfReader(io.BytesIO(buffer.getvalue()), strict=True)
    assert len(reader.pages) == 1
    assert "没有符合条件的证书" in reader.pages[0].extract_text()


def test_the_merged_pdf_streams_into_an_unseekable_response():
    stream = Unseekable()
    write_merged_pdf(docs(3), stream)
    assert len(PdfReader(io.BytesIO(stream.value()), strict=True).pages) == 3


# Bytes of memory each further certificate may add. A PDF must list every object's offset at
# its end, and a ZIP every entry's name in its central directory, so a little bookkeeping per
# certificate is unavoidable; the pages themselves are not kept (stock reportlab keeps about
# 8 KB per page until the end, a ZIP entry's PDF is about 35 KB).
ALLOWED_GROWTH = {"write_merged_pdf": 1_000, "write_zip": 2_000}


@pytest.mark.slow
@pytest.mark.parametrize("writer", [write_merged_pdf, write_zip])
def test_memory_stays_flat_however_many_certificates(writer, tmp_path):
    """Memory in use after 20 and after 80 certificates: the PDFs go to the file as they are
    made, so nothing of them accumulates."""
    in_use: dict[int, int] = {}

    def progress(done: int, _total: int | None) -> None:
        if done in (20, 80):
            gc.collect()
            in_use[done] = tracemalloc.get_traced_memory()[0]

    writer(docs(10), io.BytesIO())  # font loaded and caches warm before measuring
    with (tmp_path / "out").open("wb") as file:
        tracemalloc.start()
        try:
            writer(docs(80), file, progress)
        finally:
            tracemalloc.stop()
    growth = (in_use[80] - in_use[20]) / 60
    print(f"{writer.__name__}: {growth:.0f} bytes per certificate")
    assert growth < ALLOWED_GROWTH[writer.__name__], f"{growth:.0f} bytes per certificate"
