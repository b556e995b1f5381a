"""The station head's area: dashboard, practical checks at the pump, the review queue and
certifying staff (the certificate rules live in trainer/certificates/service.py)."""

from flask import Blueprint

bp = Blueprint("station", __name__)

from trainer.station import views, views_checks, views_reviews  # noqa: E402,F401
