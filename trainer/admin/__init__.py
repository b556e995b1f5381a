from flask import Blueprint

bp = Blueprint("admin", __name__)

from trainer.admin import content_views, views, views_audit  # noqa: E402,F401
