from flask import render_template
from flask_login import current_user

from trainer.auth.access import roles_required
from trainer.models import Role
from trainer.training import bp


@bp.route("/me")
@roles_required(Role.STAFF)
def home():
    return render_template("training/home.html", person=current_user)
