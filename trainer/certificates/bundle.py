"""Many certificates at once: a ZIP of PDFs, or one merged PDF with a page per certificate.

Both stream. The ZIP renders one certificate at a time straight into its entry. The merged
PDF draws every page on one reportlab canvas (so the font is embedded once, not once per
page) but writes each finished page to the file as soon as it is complete; stock reportlab
would keep every page in memory until the end and then build the whole file in memory.
What remains in memory is bounded by the font (its glyphs used so far) plus a few bytes per
page for the cross-reference table, which a PDF can only write at its end.
"""

from __future__ import annotations

import re
import time
import unicodedata
import zipfile
from array import array
from collections.abc import Callable, Iterable
from typing import BinaryIO

from reportlab.pdfbase import pdfdoc

from trainer.certificates.document import CertificateDocument
from trainer.certificates.fonts import certificate_font
from trainer.certificates.render import TITLE, draw_certificate, new_canvas, write_pdf

Progress = Callable[[int, int | None], None]

# Characters Windows forbids in file names, and control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_NAME_CHARS = 24  # enough for any holder's name; keeps paths short for Windows and Excel


def write_zip(docs: Iterable[CertificateDocument], fileobj: BinaryIO,
              progress: Progress | None = None, *, total: int | None = None,
              font_path: str | None = None) -> int:
    """Write a ZIP with one PDF per certificate, named `<number>-<name>.pdf`; return the count.

    File names are stored as UTF-8 (with the ZIP's UTF-8 flag, so Windows Explorer and 7-Zip
    show the Chinese names) and contain nothing Windows refuses. `progress(done, total)` is
    called after each certificate; `total` is len(docs) when docs has a length, else the
    `total` argument (None when unknown). `fileobj` need not be seekable (e.g. a response
    stream).
    """
    total = _total(docs, total)
    certificate_font(font_path)  # fail before the first entry when no font is usable
    used: set[str] = set()
    done = 0
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for doc in docs:
            name = _unique(zip_entry_name(doc), used)
            with archive.open(_entry(name), "w") as entry:
                write_pdf(doc, entry, font_path=font_path)
            done += 1
            if progress:
                progress(done, total)
    return done


def write_merged_pdf(docs: Iterable[CertificateDocument], fileobj: BinaryIO,
                     progress: Progress | None = None, *, total: int | None = None,
                     font_path: str | None = None) -> int:
    """Write one PDF with one page per certificate, streaming; return the page count.

    `fileobj` must be a binary file positioned at its start (the PDF's byte offsets count
    from there); it need not be seekable. `progress(done, total)` as for write_zip.
    """
    total = _total(docs, total)
    font = certificate_font(font_path)
    canvas = new_canvas(fileobj, font, title=f"{TITLE}(批量导出)", author="")
    document = _StreamingDocument(fileobj, canvas._doc)
    canvas._doc = document
    done = 0
    for doc in docs:
        draw_certificate(canvas, doc, font)
        canvas.showPage()
        done += 1
        if progress:
            progress(done, total)
    if not done:
        # A PDF needs at least one page; an empty export says so instead of being broken.
        canvas.setFont(font, 14)
        canvas.drawString(80, 500, "没有符合条件的证书。")
        canvas.showPage()
    canvas.save()
    return done


def zip_entry_name(doc: CertificateDocument) -> str:
    """`<number>-<name>.pdf`, safe on Windows: no reserved characters, no trailing dots or
    spaces, the name shortened so long paths stay under Windows' limits."""
    name = unicodedata.normalize("NFC", doc.holder_name)
    name = _FORBIDDEN.sub("_", re.sub(r"\s+", " ", name))
    name = name.strip(" .")[:_NAME_CHARS].strip(" .")
    number = _FORBIDDEN.sub("_", doc.number)
    return f"{number}-{name}.pdf" if name else f"{number}.pdf"


def _unique(name: str, used: set[str]) -> str:
    # Two entries with one name would make the second unreachable in most unzip tools.
    stem, candidate, n = name[:-4], name, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}.pdf"
    used.add(candidate.lower())
    return candidate


def _entry(name: str) -> zipfile.ZipInfo:
    # Dated now: ZipInfo's default (1980) looks like a broken file in Explorer.
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    # The UTF-8 flag: zipfile sets it for non-ASCII names; set it always so tools agree.
    info.flag_bits |= 0x800
    info.external_attr = 0o644 << 16
    return info


def _total(docs: Iterable[CertificateDocument], total: int | None) -> int | None:
    try:
        return len(docs)  # type: ignore[arg-type]
    except TypeError:
        return total


# Objects complete once their page is finished; everything else (page tree, fonts, catalog)
# changes until the end and is written last.
_PAGE_LOCAL = (pdfdoc.PDFPage, pdfdoc.PDFStream, pdfdoc.PDFImageXObject,
               pdfdoc.PDFFormXObject)


class _StreamedPages(pdfdoc.PDFPages):
    """The page tree, holding only the object numbers of pages already written."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers = array("q")

    def addPage(self, page: object) -> None:  # noqa: N802 - reportlab's name
        pass  # the document records the page's number when it writes the page

    def check_format(self, document: pdfdoc.PDFDocument) -> None:
        self.Kids = _References(self.numbers)
        self.Count = len(self.numbers)


class _References(pdfdoc.PDFObject):
    """An array of references to objects given by number: `[ 5 0 R 9 0 R ... ]`."""

    def __init__(self, numbers: array):
        self.numbers = numbers

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        return b"[ " + b"\n ".join(b"%d 0 R" % n for n in self.numbers) + b" ]"


class _StreamingDocument(pdfdoc.PDFDocument):
    """A reportlab PDFDocument that writes each page (with its content stream and images)
    to the file when the page ends, forgets it, and writes the rest and the
    cross-reference table at save."""

    def __init__(self, sink: BinaryIO, template: pdfdoc.PDFDocument):
        # Take over the canvas's fresh document, with its metadata already set.
        self.__dict__.update(template.__dict__)
        self.Pages = self.Catalog.Pages = _StreamedPages()
        self._sink = sink
        self._position = 0
        self._offsets = array("q")  # object number -> byte offset; 0 while not written
        self._next_to_check = 1
        self._emit(pdfdoc.PDFFile(self._pdfVersion).format(self))

    def _emit(self, data: bytes) -> int:
        position = self._position
        self._sink.write(data)
        self._position += len(data)
        return position

    def _written(self, number: int) -> bool:
        return number < len(self._offsets) and self._offsets[number] != 0

    def addPage(self, page: pdfdoc.PDFPage) -> None:  # noqa: N802 - reportlab's name
        super().addPage(page)
        self.Pages.numbers.append(self.idToObjectNumberAndVersion[page.__InternalName__][0])
        self._write_finished_objects()

    def _write_finished_objects(self) -> None:
        number = self._next_to_check
        written = []
        # Formatting a page registers its content stream, so the range grows while we go.
        while number <= self.objectcounter:
            name = self.numberToId[number]
            obj = self.idToObject[name]
            if isinstance(obj, _PAGE_LOCAL):
                self._write(number, name, obj)
                written.append((number, name))
            # Anything else (page tree, fonts, catalog) is written by format() at the end.
            number += 1
        self._next_to_check = number
        # Only now, since the page refers to its images by name. Nothing refers to these
        # names later: the page tree uses numbers, and an image drawn again is added again.
        for number, name in written:
            del self.numberToId[number], self.idToObject[name]
            del self.idToObjectNumberAndVersion[name]

    def _write(self, number: int, name: str, obj: pdfdoc.PDFObject) -> None:
        offset = self._emit(pdfdoc.PDFIndirectObject(name, obj).format(self))
        if len(self._offsets) <= number:
            self._offsets.extend([0] * (number + 1 - len(self._offsets)))
        self._offsets[number] = offset

    def format(self) -> bytes:
        """Write everything not yet written, then the cross-reference table and trailer."""
        self.encrypt.prepare(self)
        catalog, info = self.Catalog, self.info
        self.Reference(catalog)
        self.Reference(info)
        number = 1
        while number <= self.objectcounter:
            if not self._written(number):
                name = self.numberToId[number]
                self._write(number, name, self.idToObject[name])
            number += 1
        count = self.objectcounter
        xref_at = self._position
        self._emit(b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1))
        for start in range(1, count + 1, 1024):
            self._emit(b"".join(b"%010d 00000 n \n" % self._offsets[n]
                                for n in range(start, min(start + 1024, count + 1))))
        trailer = pdfdoc.PDFTrailer(startxref=xref_at, Size=count + 1,
                                    Root=self.Reference(catalog), Info=self.Reference(info),
                                    ID=self.ID())
        self._emit(trailer.format(self))
        return b""

    def SaveToFile(self, filename: object, canvas: object) -> None:  # noqa: N802
        self.GetPDFData(canvas)
