"""Forms of the practice pages (the turn endpoints take multipart or form fields, see api.py)."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from trainer.forms import BaseForm, submit_key_field


class StartPracticeForm(BaseForm):
    """Start (or restart) a practice on one phrase; the key makes a double tap harmless."""

    submit_key = submit_key_field()


class ReviewRequestForm(BaseForm):
    """The trainee asks his station head to look at a scored practice."""

    reason = TextAreaField(
        "申请复核的理由",
        validators=[DataRequired("请写明申请复核的理由"), Length(max=1000, message="理由最多 1000 字")],
        description="例如:我说的是“欢迎光临”,识别成了别的字。",
    )
