"""The audit-log page and its CSV export (admin only)."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request

from trainer.admin import audit_log, bp
from trainer.auth.access import admin_only
from trainer.ids import parse_id
from trainer.paging import page_number
from trainer.timeutil import today


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat((request.args.get(name) or "").strip())
    except ValueError:
        return None     # a mistyped date filters nothing rather than failing


def _filters() -> audit_log.AuditFilter:
    return audit_log.AuditFilter(
        actor_id=request.args.get("actor", type=parse_id),
        entity_type=(request.args.get("entity_type") or "").strip()[:40],
        entity_id=(request.args.get("entity_id") or "").strip()[:40],
        search=(request.args.get("q") or "").strip()[:60],
        date_from=_date("from"), date_to=_date("to"))


@bp.route("/admin/audit")
@admin_only
def audit():
    filters = _filters()
    page = audit_log.audit_page(filters, page_number(request.args.get("page")))
    return render_template(
        "admin/audit.html", page=page, filters=filters, actors=audit_log.actors(),
        entity_types=audit_log.entity_types(), entity_labels=audit_log.ENTITY_LABELS,
        action_label=audit_log.action_label, values_text=audit_log.values_text,
        stations=audit_log.station_names())


@bp.route("/admin/audit.csv")
@admin_only
def audit_csv():
    body = audit_log.csv_bytes(_filters())
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=audit-log-{today():%Y%m%d}.csv"})
