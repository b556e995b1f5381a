"""Every evaluation the viewer may see, across stations, with filters and paging."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from trainer.auth.access import managers, visible_stations
from trainer.evaluations import bp, lifecycle, listing
from trainer.evaluations.periods import parse_period_key
from trainer.extensions import db
from trainer.ids import parse_id
from trainer.models import Station
from trainer.paging import page_number


@bp.route("/evaluations/all")
@managers
def all_list():
    filters = listing.EvaluationFilter(
        station_id=request.args.get("station", type=parse_id),
        status=request.args.get("status") or None,
        grade=(request.args.get("grade") or "").strip()[:20] or None,
        period=(request.args.get("period") or "").strip()[:10] or None,
        to_review=request.args.get("review") == "1",
    )
    page = listing.evaluation_page(current_user, filters, page_number(request.args.get("page")))
    stations = list(db.session.scalars(visible_stations(current_user).order_by(Station.code)))
    return render_template(
        "evaluations/list.html", page=page, filters=filters, stations=stations,
        statuses=lifecycle.STATUSES, labels=lifecycle.SHORT_LABELS,
        grades=listing.grades_seen(current_user), periods=listing.periods_seen(current_user),
        period_label=lambda key: _period_label(key))


def _period_label(key: str) -> str:
    try:
        return parse_period_key(key).label
    except ValueError:
        return key
