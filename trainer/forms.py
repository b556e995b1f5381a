"""The base form: CSRF from Flask-WTF, WTForms' own Chinese messages."""

from collections.abc import Iterable

from flask import flash
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length


class BaseForm(FlaskForm):
    class Meta:
        locales = ["zh"]


def flash_form_errors(form: FlaskForm, fallback: str = "") -> None:
    """Flash each of the form's messages as an error. A field made of subfields reports a
    dict, not a message: `fallback` is shown for it when given."""
    for errors in form.errors.values():
        for error in errors:
            flash(error if isinstance(error, str) else (fallback or str(error)), "error")


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def submit_key_field() -> HiddenField:
    """The hidden one-time key of a form that starts or records something. The page fills in
    32 hex digits; the column holds 64, so a longer (forged) key is refused, not a 500."""
    return HiddenField(validators=[Length(max=64, message="页面已过期,请刷新后重试。")])
