"""Forms of the staff journey. Quiz answers are read from the raw form by question type
(trainer/training/answers.py); these forms carry the CSRF token and the one-time keys."""

from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from trainer.forms import BaseForm, submit_key_field


class StartForm(BaseForm):
    """Start a quiz, role-play, drill or daily practice; the key makes a double tap harmless."""

    submit_key = submit_key_field()


class ConfirmForm(BaseForm):
    """A button that changes something (mark a card read, finish): CSRF only."""


class TypedTurnForm(BaseForm):
    text = TextAreaField(
        "您的回答",
        validators=[DataRequired("请先输入您的回答"), Length(max=500, message="回答最多 500 字")],
    )


class DrillForm(BaseForm):
    order = HiddenField()
    elapsed_ms = HiddenField()
