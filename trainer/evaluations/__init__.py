"""Evaluations that decide pay: periods, policies, the computation, and the pages around them.

The pure core lives in submodules and imports nothing from Flask or the database; import it
from there (`trainer.evaluations.compute`, `.policy`, `.periods`, `.lifecycle`, `.charts`),
not from this package. The database side: `service` (policy versions, computing, the
lifecycle), `records` (a period's records read for the computation), `service_records`
(complaints, commendations, safety violations), `retraining`, `exports` (payroll).
"""

from flask import Blueprint

bp = Blueprint("evaluations", __name__)

from trainer.evaluations import views, views_list, views_office, views_records  # noqa: E402,F401
