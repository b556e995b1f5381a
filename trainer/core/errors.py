"""Error pages in Chinese; nothing a user does may end in a bare 500 page."""

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from trainer.refusals import Refused

MESSAGES = {
    400: ("请求有误", "提交的内容无法处理,请返回重试。"),
    403: ("没有权限", "您的账号没有权限查看或执行此操作。"),
    404: ("页面不存在", "您要找的页面不存在,或您没有权限查看。"),
    405: ("请求方式不对", "此页面不支持这种操作。"),
    413: ("文件过大", "上传的文件超过了大小限制。"),
    429: ("操作过于频繁", "尝试次数过多,请稍后再试。"),
    500: ("服务器出错", "服务器处理时出错,您的数据未被修改。请稍后再试。"),
    503: ("服务暂不可用", "服务暂时不可用,请稍后再试。"),
}
# The database restarting, unreachable or (SQLite) busy beyond its timeout: nothing of the
# request was saved, and the same action works again once the database answers.
DATABASE_UNAVAILABLE = "数据库暂时无法访问,刚才的操作没有保存。请稍后再试一次。"


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    message = detail or message
    if wants_json():
        return {"error": message, "status": code}, code
    try:
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception:
        # The page shows the signed-in user's name, which may need the database - the very
        # thing that just failed. Show it as to a visitor instead of failing a second time.
        _forget_user()
        return render_template("errors/error.html", code=code, title=title, message=message), code


def _forget_user() -> None:
    from trainer.extensions import login_manager

    g._login_user = login_manager.anonymous_user()


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, "页面已过期或缺少安全令牌,请刷新页面后重试。")

    @app.errorhandler(429)
    def too_many(exc):
        return render_error(429)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500)

    @app.errorhandler(Refused)
    def refused(exc: Refused):
        # A refusal no view turned into a message of its own: its status and its words.
        from trainer.extensions import db

        _rollback_quietly(db)
        if wants_json():
            return {"error": exc.message, "code": exc.code}, exc.status
        return render_error(exc.status, exc.message)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(exc):
        from trainer.extensions import db

        app.logger.warning("database unavailable on %s: %s", request.path, exc)
        _rollback_quietly(db)
        # After the rollback every loaded row is expired, the user's too: reading his name for
        # the menu would ask the database again.
        _forget_user()
        return render_error(503, DATABASE_UNAVAILABLE)

    @app.errorhandler(Exception)
    def unexpected(exc):
        from trainer.extensions import db

        _rollback_quietly(db)
        app.logger.exception("unhandled error on %s", request.path)
        return render_error(500)


def _rollback_quietly(db) -> None:
    # On a dropped connection the rollback fails too; the session is discarded either way.
    try:
        db.session.rollback()
    except Exception:
        db.session.remove()
