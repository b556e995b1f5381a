"""The base form: CSRF from Flask-WTF, WTForms' own Chinese messages."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length


class BaseForm(FlaskForm):
    class Meta:
        locales = ["zh"]


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def submit_key_field() -> HiddenField:
    """The hidden one-time key of a form that starts or records something. The page fills in
    32 hex digits; the column holds 64, so a longer (forged) key is refused, not a 500."""
    return HiddenField(validators=[Length(max=64, message="页面已过期,请刷新后重试。")])
