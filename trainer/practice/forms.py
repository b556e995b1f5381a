"""Forms of the practice pages (the turn endpoints take multipart or form fields, see api.py)."""

from wtforms import SelectField, TextAreaField
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
        description="例如：我说的是“欢迎光临”，识别成了别的字。",
    )


class SpeakingExemptionForm(BaseForm):
    """The head records that a person cannot speak for one assessment's spoken check."""

    window_id = SelectField("考核", coerce=int, validators=[DataRequired("请选择考核")],
                            validate_choice=False)
    reason = TextAreaField(
        "不能说话的原因",
        validators=[DataRequired("请写明不能说话的原因"), Length(max=500, message="原因最多 500 字")],
        description="例如：嗓子手术后两周内不能说话(有医院证明)。",
    )
