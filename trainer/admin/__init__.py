from flask import Blueprint

bp = Blueprint("admin", __name__)

from trainer.admin import content_views, views  # noqa: E402,F401
