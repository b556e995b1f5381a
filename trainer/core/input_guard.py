"""Requests carrying a NUL character are refused before any view runs.

Nobody types one, PostgreSQL cannot store one in a text column (the insert would fail after
the rules had passed it), and SQLite would keep a value that cuts C strings short elsewhere.
The path, the query string, form fields, file names and JSON strings are all checked."""

from __future__ import annotations

from typing import Any

from flask import request

from trainer.core.blueprint import bp
from trainer.core.errors import render_error

NUL = "\x00"
MESSAGE = "提交的内容含有无法保存的控制字符(NUL),请删除后重试。"


def contains_nul(value: Any) -> bool:
    """Whether a string, or any string inside lists and dicts (keys too), holds a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(v) for v in value)
    return False


def _request_has_nul() -> bool:
    if NUL in request.path or contains_nul(list(request.args.items(multi=True))):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.is_json:
        return contains_nul(request.get_json(silent=True))
    if contains_nul(list(request.form.items(multi=True))):
        return True
    return any(contains_nul(name) or contains_nul(upload.filename or "")
               for name, upload in request.files.items(multi=True))


@bp.before_app_request
def refuse_nul_characters():
    if _request_has_nul():
        return render_error(400, MESSAGE)
    return None
