from flask import Blueprint

bp = Blueprint("core", __name__)

from trainer.core import input_guard, views  # noqa: E402,F401
