"""The base form: CSRF from Flask-WTF, WTForms' own Chinese messages."""

from collections.abc import Iterable

from flask import flash
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import Length

# Flask-WTF's CSRF check raises these in English, outside any translation catalogue.
CSRF_MESSAGE = "页面已过期或来源不明,请刷新页面后重试。"
# WTForms messages its Chinese catalogue lacks or words badly for our users.
MESSAGES_ZH = {
    "Not a valid choice.": "请从列表中选择。",
    "Not a valid choice": "请从列表中选择。",
    "Invalid Choice: could not coerce.": "请从列表中选择。",
    "'%(value)s' is not a valid choice for this field.": "“%(value)s”不是可选的项。",
    "'%(value)s' are not valid choices for this field.": "“%(value)s”不是可选的项。",
}


class _ChineseMessages:
    """WTForms' zh catalogue, with MESSAGES_ZH first."""

    def __init__(self, catalogue) -> None:
        self.catalogue = catalogue

    def gettext(self, string: str) -> str:
        return MESSAGES_ZH.get(string) or self.catalogue.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        key = singular if n == 1 else plural
        return MESSAGES_ZH.get(key) or self.catalogue.ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        locales = ["zh"]

        def get_translations(self, form):
            # Flask-WTF would ask Flask-Babel (not installed: English); WTForms' own zh
            # catalogue is the one we want.
            return _ChineseMessages(DefaultMeta.get_translations(self, form))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and csrf_field.errors:
            csrf_field.errors = [CSRF_MESSAGE]
        return valid


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
