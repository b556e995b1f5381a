from flask import render_template
from flask_login import current_user

from trainer.admin.service import list_staff
from trainer.auth.access import roles_required
from trainer.models import Role
from trainer.station import bp


@bp.route("/station")
@roles_required(Role.HEAD)
def home():
    return render_template(
        "station/home.html", station=current_user.station, people=list_staff(current_user)
    )
