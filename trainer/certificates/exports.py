"""Many certificates from the database at once: one ZIP of PDFs or one merged PDF.

:func:`write_export` streams: certificates are read in batches (``yield_per``) and each is
rendered and written before the next is read, so memory stays flat however many there are.

The HR page runs an export as a background job (:func:`start_export`, run by trainer/jobs.py:
a thread of the web process, or an RQ worker): it writes ``instance/exports/<id>.zip|pdf`` (as ``.part`` until complete) and keeps a
small progress record beside it (``<id>.json``) that any web process can read, so the page
can poll whichever worker answers. A job that stops reporting progress for
``EXPORT_STALE_SECONDS`` (the process died or was restarted) is reported as failed, never as
running forever. Finished files are removed after ``EXPORT_KEEP_HOURS``.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from flask import Flask, current_app
from sqlalchemy import Select
from sqlalchemy.orm import aliased

from trainer import jobs, settings
from trainer.certificates.bundle import write_merged_pdf, write_zip
from trainer.certificates.document import CertificateDocument
from trainer.certificates.fonts import CertificateFontError
from trainer.certificates.service import (
    CertificateFilter,
    build_document,
    count,
    filtered_query,
)
from trainer.extensions import db
from trainer.jobs import DONE, FAILED, QUEUED, RUNNING, JobRecord, RecordStore
from trainer.models import Certificate, Station, User
from trainer.settings import Settings
from trainer.timeutil import now, today

log = logging.getLogger(__name__)

FORMATS = {"zip": "ZIP(每人一个 PDF)", "pdf": "合并为一个 PDF"}
STATE_LABELS = {QUEUED: "排队中", RUNNING: "正在导出", DONE: "已完成", FAILED: "失败"}
BATCH = 200
# Progress is written at most this often (seconds): a 1,000-certificate export would otherwise
# rewrite the record a thousand times.
_SAVE_EVERY = 0.5

Progress = Callable[[int, int | None], None]


def documents(query: Select, base_url: str, on: date | None = None) -> Iterator[CertificateDocument]:
    """The certificates of a query as printable documents, read in batches of BATCH rows.

    The station's company and the number a certificate replaces come in the same query, so
    no row costs another round trip.
    """
    on = on or today()
    replaced = aliased(Certificate)
    rows = (query.add_columns(Station.company, replaced.number)
            .outerjoin(Station, Station.id == Certificate.station_id)
            .outerjoin(replaced, replaced.id == Certificate.replaces_id)
            .execution_options(yield_per=BATCH))
    for certificate, company, replaces_number in db.session.execute(rows):
        yield build_document(certificate, base_url, company_name=company or "",
                             replaces_number=replaces_number, on=on)
        # Forget the row: the identity map would otherwise hold every certificate read.
        db.session.expunge(certificate)


def write_export(fmt: str, query: Select, fileobj: BinaryIO, base_url: str, *,
                 progress: Progress | None = None, font_path: str | None = None,
                 total: int | None = None) -> int:
    """Write the query's certificates as a ZIP of PDFs (`fmt` "zip") or one merged PDF
    ("pdf") to a binary file; returns how many were written. `progress(done, total)` is
    called after each certificate."""
    if fmt not in FORMATS:
        raise ValueError(f"未知的导出格式:{fmt}")
    total = count(query) if total is None else total
    writer = write_zip if fmt == "zip" else write_merged_pdf
    return writer(documents(query, base_url), fileobj, progress, total=total,
                  font_path=font_path or None)


# --- background jobs (trainer/jobs.py runs them) ---------------------------------------------


@dataclass
class ExportJob(JobRecord):
    """One export's progress record, as stored in ``<exports>/<id>.json``."""

    format: str = "zip"
    filters: dict[str, Any] = field(default_factory=dict)

    LABELS: ClassVar[dict[str, str]] = {**JobRecord.LABELS, RUNNING: "正在导出"}

    @property
    def download_name(self) -> str:
        stamp = self.created_at.replace("-", "").replace(":", "").replace("T", "-")[:13]
        return f"上岗证书-{stamp}.{self.format}"


def export_dir(app: Flask | None = None) -> Path:
    """Where export files and their progress records live: EXPORTS_DIR, else instance/exports.
    With several app servers it must be a directory they share (the page may poll another)."""
    app = app or current_app
    configured = Settings.from_config(app.config).exports_dir
    return Path(configured) if configured else Path(app.instance_path) / "exports"


def _records(app: Flask | None = None) -> RecordStore:
    app = app or current_app
    return RecordStore(export_dir(app),
                       stale_seconds=Settings.from_config(app.config).export_stale_seconds)


def file_path(job: ExportJob, app: Flask | None = None) -> Path:
    """The finished file of a job."""
    return export_dir(app) / f"{job.id}.{job.format}"


def load_job(job_id: str, app: Flask | None = None) -> ExportJob | None:
    """The job's progress record, or None for an unknown or malformed id. A running job
    whose record has not moved for EXPORT_STALE_SECONDS is reported (and recorded) failed."""
    return _records(app).load(ExportJob, job_id, "导出中断(服务可能已重启),请重新导出。")


def start_export(viewer: User, filters: CertificateFilter, fmt: str, base_url: str,
                 app: Flask | None = None) -> ExportJob:
    """Queue an export of the certificates the viewer may see that match the filters, as a
    background job (trainer/jobs.py); returns its progress record at once."""
    app = app or current_app._get_current_object()  # the job needs the app, not the proxy
    if fmt not in FORMATS:
        raise ValueError(f"未知的导出格式:{fmt}")
    directory = export_dir(app)
    directory.mkdir(parents=True, exist_ok=True)
    remove_old_exports(app)
    job = ExportJob(id=secrets.token_hex(8), format=fmt, created_by=viewer.id,
                    created_at=now().isoformat(), filters=_jsonable(filters))
    _records(app).save(job)
    jobs.submit(app, "trainer.certificates.exports.run_export", job.id, viewer.id, filters,
                base_url, name=f"certificate-export-{job.id}")
    return job


def run_export(job_id: str, viewer_id: int, filters: CertificateFilter, base_url: str) -> None:
    """The job (in an app context): write the file as ``.part``, then move it into place."""
    records = _records()
    job = records.load(ExportJob, job_id)
    if job is None:
        return
    final = file_path(job)
    partial = final.with_suffix(final.suffix + ".part")
    last_saved = 0.0

    def progress(done: int, total: int | None) -> None:
        nonlocal last_saved
        job.done, job.total = done, total
        if time.monotonic() - last_saved >= _SAVE_EVERY:
            last_saved = time.monotonic()
            records.save(job)

    try:
        viewer = db.session.get(User, viewer_id)
        if viewer is None:
            raise PermissionError("导出人账号不存在")
        query = filtered_query(viewer, filters)
        job.total, job.state = count(query), RUNNING
        records.save(job)
        with partial.open("wb") as sink:
            written = write_export(job.format, query, sink, base_url, progress=progress,
                                   font_path=settings.current().certificate_font,
                                   total=job.total)
        os.replace(partial, final)
        job.done, job.state = written, DONE
    except CertificateFontError as error:
        job.state, job.error = FAILED, str(error)
    except Exception as error:  # the page must learn that it failed, whatever happened
        log.exception("certificate export %s failed", job.id)
        job.state, job.error = FAILED, f"导出失败:{error}"
    finally:
        partial.unlink(missing_ok=True)
    records.save(job)


def remove_old_exports(app: Flask | None = None) -> None:
    """Delete export files and records older than EXPORT_KEEP_HOURS."""
    app = app or current_app
    _records(app).remove_older_than(Settings.from_config(app.config).export_keep_hours)


def _jsonable(filters: CertificateFilter) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in asdict(filters).items() if value not in (None, "")}
