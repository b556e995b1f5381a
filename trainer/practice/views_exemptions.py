"""口语考核改用文字: the head's page to record that a person cannot speak for a check."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from trainer.auth.access import Permission, requires, user_or_404
from trainer.forms import flash_form_errors
from trainer.practice import exemptions
from trainer.practice.blueprint import bp
from trainer.practice.forms import SpeakingExemptionForm
from trainer.web import unit_of_work


@bp.route("/practice/speaking-exemptions/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.GRANT_SPEAKING_EXEMPTION)
def speaking_exemptions(user_id: int):
    person = user_or_404(current_user, user_id)
    windows = exemptions.windows_for_person(person)
    form = SpeakingExemptionForm()
    form.window_id.choices = [(w.id, f"{w.module_id} · {w.opens_at:%m-%d} 至 {w.closes_at:%m-%d}")
                              for w in windows]
    if form.validate_on_submit():
        # One of the windows offered, never a look-up of whatever id was sent (an id past the
        # column's range would fail in the database).
        window = next((w for w in windows if w.id == form.window_id.data), None)

        def grant():
            if window is None:
                raise exemptions.ExemptionRefused("请选择一次尚未结束的考核。")
            return exemptions.grant(current_user, person, window, form.reason.data)

        if unit_of_work(grant, done="已登记：这次考核的口语部分可以改用文字作答。").ok:
            return redirect(url_for("practice.speaking_exemptions", user_id=person.id))
    elif form.is_submitted():
        flash_form_errors(form, "请选择考核并写明原因")
    return render_template("practice/exemptions.html", person=person, form=form,
                           windows={w.id: w for w in windows},
                           granted=exemptions.exemptions_of(person))
