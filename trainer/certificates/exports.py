"""Many certificates from the database at once: one ZIP of PDFs or one merged PDF.

:func:`write_export` streams: certificates are read in batches (``yield_per``) and each is
rendered and written before the next is read, so memory stays flat however many there are.

The HR page runs an export as a background job (:func:`start_export`): a thread of the web
process writes ``instance/exports/<id>.zip|pdf`` (as ``.part`` until complete) and keeps a
small progress record beside it (``<id>.json``) that any web process can read, so the page
can poll whichever worker answers. A job that stops reporting progress for
``EXPORT_STALE_SECONDS`` (the process died or was restarted) is reported as failed, never as
running forever. Finished files are removed after ``EXPORT_KEEP_HOURS``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask, current_app
from sqlalchemy import Select
from sqlalchemy.orm import aliased

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
from trainer.models import Certificate, Station, User
from trainer.timeutil import now, today

log = logging.getLogger(__name__)

FORMATS = {"zip": "ZIP(每人一个 PDF)", "pdf": "合并为一个 PDF"}
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATE_LABELS = {QUEUED: "排队中", RUNNING: "正在导出", DONE: "已完成", FAILED: "失败"}
BATCH = 200
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")
# Progress is written at most this often (seconds): a 1,000-certificate export would otherwise
# rewrite the record a thousand times.
_SAVE_EVERY = 0.5
# Threads of this process still exporting (wait_for_exports joins them).
_running: set[threading.Thread] = set()
_running_lock = threading.Lock()

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


# --- background jobs --------------------------------------------------------------------------


@dataclass
class ExportJob:
    """One export's progress record, as stored in ``instance/exports/<id>.json``."""

    id: str
    format: str
    created_by: int
    created_at: str
    filters: dict[str, Any] = field(default_factory=dict)
    state: str = QUEUED
    done: int = 0
    total: int | None = None
    error: str = ""
    updated: float = field(default_factory=time.time)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def download_name(self) -> str:
        stamp = self.created_at.replace("-", "").replace(":", "").replace("T", "-")[:13]
        return f"上岗证书-{stamp}.{self.format}"

    def as_json(self) -> dict[str, Any]:
        """What the page polls."""
        return {"id": self.id, "state": self.state, "state_label": self.state_label,
                "done": self.done, "total": self.total, "percent": self.percent,
                "error": self.error, "finished": self.finished}


def export_dir(app: Flask | None = None) -> Path:
    """Where export files and their progress records live: EXPORTS_DIR, else instance/exports.
    With several app servers it must be a directory they share (the page may poll another)."""
    app = app or current_app
    configured = app.config.get("EXPORTS_DIR") or ""
    return Path(configured) if configured else Path(app.instance_path) / "exports"


def file_path(job: ExportJob, app: Flask | None = None) -> Path:
    """The finished file of a job."""
    return export_dir(app) / f"{job.id}.{job.format}"


def _record_path(job_id: str, app: Flask | None = None) -> Path:
    return export_dir(app) / f"{job_id}.json"


def _save(job: ExportJob, app: Flask | None = None) -> None:
    job.updated = time.time()
    path = _record_path(job.id, app)
    temporary = path.with_suffix(f".json.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)  # readers never see half a record


def load_job(job_id: str, app: Flask | None = None) -> ExportJob | None:
    """The job's progress record, or None for an unknown or malformed id. A running job
    whose record has not moved for EXPORT_STALE_SECONDS is reported (and recorded) failed."""
    app = app or current_app
    if not _JOB_ID.match(job_id or ""):
        return None
    try:
        data = json.loads(_record_path(job_id, app).read_text(encoding="utf-8"))
        job = ExportJob(**data)
    except (OSError, ValueError, TypeError):
        return None
    stale = float(app.config.get("EXPORT_STALE_SECONDS", 120))
    if not job.finished and time.time() - job.updated > stale:
        job.state, job.error = FAILED, "导出中断(服务可能已重启),请重新导出。"
        _save(job, app)
    return job


def start_export(viewer: User, filters: CertificateFilter, fmt: str, base_url: str,
                 app: Flask | None = None) -> ExportJob:
    """Queue an export of the certificates the viewer may see that match the filters, and run
    it in a background thread; returns its progress record at once."""
    app = app or current_app._get_current_object()  # the thread needs the app, not the proxy
    if fmt not in FORMATS:
        raise ValueError(f"未知的导出格式:{fmt}")
    directory = export_dir(app)
    directory.mkdir(parents=True, exist_ok=True)
    remove_old_exports(app)
    job = ExportJob(id=secrets.token_hex(8), format=fmt, created_by=viewer.id,
                    created_at=now().isoformat(), filters=_jsonable(filters))
    _save(job, app)
    thread = threading.Thread(target=_run, args=(app, job, viewer.id, filters, base_url),
                              name=f"certificate-export-{job.id}", daemon=True)
    with _running_lock:
        _running.add(thread)
    thread.start()
    return job


def wait_for_exports(timeout: float = 60.0) -> bool:
    """Wait until this process's exports have finished (tests, orderly shutdown); returns
    whether all did within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


def _run(app: Flask, job: ExportJob, viewer_id: int, filters: CertificateFilter,
         base_url: str) -> None:
    final = file_path(job, app)
    partial = final.with_suffix(final.suffix + ".part")
    last_saved = 0.0

    def progress(done: int, total: int | None) -> None:
        nonlocal last_saved
        job.done, job.total = done, total
        if time.monotonic() - last_saved >= _SAVE_EVERY:
            last_saved = time.monotonic()
            _save(job, app)

    with app.app_context():
        try:
            viewer = db.session.get(User, viewer_id)
            if viewer is None:
                raise PermissionError("导出人账号不存在")
            query = filtered_query(viewer, filters)
            job.total, job.state = count(query), RUNNING
            _save(job, app)
            with partial.open("wb") as sink:
                written = write_export(job.format, query, sink, base_url, progress=progress,
                                       font_path=app.config.get("CERTIFICATE_FONT"),
                                       total=job.total)
            os.replace(partial, final)
            job.done, job.state = written, DONE
        except CertificateFontError as error:
            job.state, job.error = FAILED, str(error)
        except Exception as error:  # the page must learn that it failed, whatever happened
            log.exception("certificate export %s failed", job.id)
            job.state, job.error = FAILED, f"导出失败:{error}"
        finally:
            db.session.remove()
            partial.unlink(missing_ok=True)
        _save(job, app)
    with _running_lock:
        _running.discard(threading.current_thread())


def remove_old_exports(app: Flask | None = None) -> None:
    """Delete export files and records older than EXPORT_KEEP_HOURS."""
    app = app or current_app
    limit = time.time() - float(app.config.get("EXPORT_KEEP_HOURS", 24)) * 3600
    for path in export_dir(app).glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def _jsonable(filters: CertificateFilter) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in asdict(filters).items() if value not in (None, "")}
