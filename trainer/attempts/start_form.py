"""The POST of a start form (quiz, role-play, drill, daily practice, phrase practice): one
behaviour for every one of them, so a double tap, a forged key or a refusal is answered alike."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from trainer.attempts.service import start_once
from trainer.models import Attempt


def start_from_form(form: FlaskForm, start: Callable[[str | None], Attempt], *,
                    page: str | Callable[[Attempt], str], back: str,
                    refused: type[Exception] | tuple[type[Exception], ...] = (),
                    category: str = "error"):
    """Validate the form (400 otherwise) and run ``start(submit_key)`` once per key: the same
    form sent twice at once opens one attempt, another person's key is a 409. A `refused`
    error is flashed (in `category`) and the trainee goes back to the URL `back`; otherwise to
    the attempt's page: the endpoint `page` (given attempt_id), or the URL page(attempt)."""
    if not form.validate_on_submit():
        abort(400)
    key = form.submit_key.data or None
    try:
        attempt = start_once(current_user, key, lambda: start(key))
    except refused as error:
        flash(str(error), category)
        return redirect(back)
    if attempt is None:
        abort(409)
    return redirect(page(attempt) if callable(page) else url_for(page, attempt_id=attempt.id))
