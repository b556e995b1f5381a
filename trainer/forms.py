"""The base form: CSRF from Flask-WTF, WTForms' own Chinese messages."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


class BaseForm(FlaskForm):
    class Meta:
        locales = ["zh"]


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
