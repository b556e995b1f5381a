"""Speaking practice: the single-phrase practice pages, the reusable spoken/typed turn
endpoints (api.py) and recording replay. Rules live in service.py and turns.py."""

from flask import Blueprint

bp = Blueprint("practice", __name__)

from trainer.practice import api, views, views_exemptions  # noqa: E402,F401
