"""`flask --app trainer compute-evaluations PERIOD`, `close-appeal-windows`, `check-retraining`.

The last two are meant for a daily cron job: the first writes down the silent
acknowledgements of appeal windows that ended (pages already treat them as acknowledged), the
second completes retraining whose modules were passed again and lifts the suspensions.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from trainer.extensions import db


@click.command("compute-evaluations")
@click.argument("period")
@click.option("--station", "station_code", default=None, help="只计算这个站点(站点编码)")
@with_appcontext
def compute_evaluations(period: str, station_code: str | None):
    """Compute (or recompute) the drafts of PERIOD (2026-11 or 2026-Q4) for every station."""
    import time

    from trainer.evaluations import service
    from trainer.models import Station

    station_id = None
    if station_code:
        station = db.session.scalar(select(Station).where(Station.code == station_code))
        if station is None:
            raise click.ClickException(f"没有站点 {station_code}")
        station_id = station.id
    started = time.perf_counter()
    try:
        summary = service.compute_period(period, None, station_id=station_id)
        db.session.commit()
    except service.EvaluationError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"{summary.message}(用时 {time.perf_counter() - started:.1f} 秒)")


@click.command("close-appeal-windows")
@with_appcontext
def close_appeal_windows():
    """Record as acknowledged every published evaluation whose appeal window has ended."""
    from trainer.evaluations import service

    count = service.close_appeal_windows()
    db.session.commit()
    click.echo(f"申诉期满视为确认:{count} 份。")


@click.command("check-retraining")
@with_appcontext
def check_retraining():
    """Complete retraining whose modules were passed again, lifting the suspensions."""
    from trainer.evaluations import retraining

    checked, completed = retraining.check_all()
    db.session.commit()
    click.echo(f"核对复训 {checked} 项,本次完成 {completed} 项。")


COMMANDS = (compute_evaluations, close_appeal_windows, check_retraining)
