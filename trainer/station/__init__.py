from flask import Blueprint

bp = Blueprint("station", __name__)

from trainer.station import views  # noqa: E402,F401
