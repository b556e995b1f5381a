from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from trainer.audit import log_change
from trainer.auth import service, sessions, throttle
from trainer.auth.access import login_required, public
from trainer.auth.blueprint import bp
from trainer.auth.forms import ChangePasswordForm, CodeForm, ConfirmForm, LoginForm
from trainer.auth.service import home_url_for
from trainer.core.errors import render_error, wants_json
from trainer.extensions import db
from trainer.web import unit_of_work

# Requests a person who must change his password may still make (besides static files).
GATE_OPEN = frozenset({"auth.change_password", "auth.logout", "static"})
# Characters that never belong in a redirect target: control characters (a CR/LF would split
# the Location header) and the backslash some browsers read as a slash.
_UNSAFE_IN_TARGET = frozenset(chr(c) for c in range(32)) | {"\x7f", "\\"}


def _safe_next(target: str | None) -> str | None:
    """A local path to go to after signing in, or None (absolute URLs, //host, /\\host and
    anything with a control character are refused)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch in _UNSAFE_IN_TARGET for ch in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def _address() -> str:
    return (request.remote_addr or "")[:64]


def _throttle_settings() -> throttle.Settings:
    return throttle.Settings.from_config(current_app.config)


def _too_many(verdict: throttle.Verdict):
    return render_error(429, f"尝试次数过多,请 {verdict.wait_text}后再试。")


def _sign_in(user, *, remember: bool) -> None:
    """Open a session for this browser (the caller commits)."""
    lifetimes = sessions.Lifetimes.from_config(current_app.config)
    sessions.start(user, remember=remember, address=_address(),
                   user_agent=request.headers.get("User-Agent", ""), lifetimes=lifetimes)
    login_user(user, remember=remember, duration=timedelta(days=lifetimes.remember_days))


@bp.before_app_request
def password_change_gate():
    """Until a required password change is done, only /password and /logout answer."""
    if request.endpoint in GATE_OPEN or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    if wants_json():
        return {"error": "请先修改密码。", "code": "password_change_required"}, 403
    flash("请先修改密码,然后才能继续使用。", "info")
    return redirect(url_for("auth.change_password"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        account = throttle.account_key(form.employee_no.data)
        verdict = throttle.begin_attempt(account, _address(), _throttle_settings())
        if not verdict.allowed:
            return _too_many(verdict)
        result = service.authenticate(form.employee_no.data, form.password.data)
        if result.user is not None:
            throttle.succeeded(account, _address())
            return _welcome(result.user, form)
        throttle.failed(_address(), _throttle_settings())
        error = result.error
    status = 200 if request.method == "GET" else 401
    return render_template("auth/login.html", form=form, error=error), status


def _news_for(user) -> list:
    """What others changed on the person's account since he last signed in."""
    return [e for e in service.account_events(user, since=user.last_login_at) if not e.own]


def _announce(news: list) -> None:
    for event in reversed(news):
        flash(f"{event.at:%Y-%m-%d %H:%M} {event.actor_name}{event.text}。如有疑问请联系管理员。",
              "warning")


def _welcome(user, form: LoginForm):
    news = _news_for(user)
    _sign_in(user, remember=bool(form.remember.data))
    service.record_login(user, form.password.data)
    db.session.commit()
    _announce(news)
    if user.must_change_password:
        flash("您的密码需要更换(首次登录、已被重置或不再符合密码规则),请先设置新密码。", "info")
        return redirect(url_for("auth.change_password"))
    return redirect(_safe_next(request.args.get("next")) or home_url_for(user))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end(current_user.session_key, sessions.LOGOUT)
    db.session.commit()
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if not ConfirmForm().validate_on_submit():
        flash("页面已过期,请刷新后重试。", "error")
        return redirect(url_for("auth.account"))
    sessions.end_all(current_user, sessions.LOGOUT_ALL)
    log_change(current_user, "sessions.ended_all", "user", current_user.id)
    db.session.commit()
    logout_user()
    flash("已在所有设备上退出登录(包括这台设备)。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():
    return render_template(
        "auth/account.html", open_sessions=sessions.open_sessions(current_user),
        current_key=current_user.session_key, is_current=sessions.is_current,
        events=service.account_events(current_user), confirm=ConfirmForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        account = f"password:{current_user.id}"
        verdict = throttle.begin_attempt(account, _address(), _throttle_settings())
        if not verdict.allowed:
            return _too_many(verdict)
        remember = _current_remember()
        user = current_user._get_current_object()  # login_user below needs the object itself

        def change():
            service.change_password(user, form.current.data, form.new.data)
            _sign_in(user, remember=remember)

        outcome = unit_of_work(change, form=form, done="密码已修改。其他设备上的登录已全部退出。")
        # After the commit: the throttle writes on its own connection (SQLite has one writer).
        # Only a wrong current password counts as a failed try.
        if outcome.ok or outcome.refused.field != "current":
            throttle.succeeded(account, _address())
        if outcome.ok:
            return redirect(home_url_for(user))
    return render_template("auth/password.html", form=form)


def _current_remember() -> bool:
    return any(s.remember for s in sessions.open_sessions(current_user)
               if sessions.is_current(s, current_user.session_key))


@bp.route("/password/code", methods=["GET", "POST"])
@public
def redeem_code():
    """Set a password with a one-time code (a new account, or after a reset)."""
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = CodeForm()
    if form.validate_on_submit():
        account = "code:" + throttle.account_key(form.employee_no.data)
        verdict = throttle.begin_attempt(account, _address(), _throttle_settings())
        if not verdict.allowed:
            return _too_many(verdict)
        news: list = []

        def redeem():
            user = service.redeem_code(form.employee_no.data, form.code.data, form.new.data)
            news.extend(_news_for(user))
            _sign_in(user, remember=False)
            service.record_login(user, form.new.data)
            return user

        outcome = unit_of_work(redeem, form=form, done="密码已设置,欢迎使用。")
        if not outcome.ok and outcome.refused.field == "code":
            throttle.failed(_address(), _throttle_settings())
        else:
            throttle.succeeded(account, _address())
        if outcome.ok:
            _announce(news)
            return redirect(home_url_for(outcome.value))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/code.html", form=form), status
