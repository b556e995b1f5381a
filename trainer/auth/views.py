from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from trainer.auth import bp, service
from trainer.auth.access import login_required, public
from trainer.auth.forms import ChangePasswordForm, LoginForm
from trainer.extensions import limiter


def _account_key() -> str:
    return "login-account:" + request.form.get("employee_no", "").strip().lower()


def _failed(response) -> bool:
    # Only failed attempts count toward the limits; a successful login redirects.
    return response.status_code != 302


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_url_for(user) -> str:
    return url_for(service.ROLE_HOMES[user.role])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_ADDRESS"], methods=["POST"], deduct_when=_failed
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@public
def login():
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = service.authenticate(form.employee_no.data, form.password.data)
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            service.record_login(result.user)
            if result.user.must_change_password:
                flash("首次登录,请先修改密码。", "info")
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")) or home_url_for(result.user))
        error = result.error
    status = 200 if request.method == "GET" else 401
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        error = service.change_password(current_user, form.current.data, form.new.data)
        if error is None:
            flash("密码已修改。", "success")
            return redirect(home_url_for(current_user))
        form.current.errors.append(error)
    return render_template("auth/password.html", form=form)
