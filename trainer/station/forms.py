"""Forms of the station pages. The per-entry, per-step and per-phrase fields of the practical
checks vary with the content, so views read them from the raw form (``entry-<id>``,
``step-<id>``, ``verdict-<n>``); these forms carry the CSRF token, one-time keys and notes."""

from __future__ import annotations

from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.forms import BaseForm, choices, submit_key_field
from trainer.models import Verdict
from trainer.station.practical import MAX_NOTES


class ConfirmForm(BaseForm):
    """A button that changes something (certify): CSRF only."""


class CheckForm(BaseForm):
    """A practical check: the one-time key and the head's notes."""

    submit_key = submit_key_field()
    notes = TextAreaField("备注(可不填)", validators=[
        Optional(), Length(max=MAX_NOTES, message=f"备注最多 {MAX_NOTES} 字")])


class SpokenStartForm(BaseForm):
    submit_key = submit_key_field()
    phrases = SelectMultipleField(
        "抽查的服务用语", option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired("请至少选择一句服务用语")])


class DecideForm(BaseForm):
    """The head's decision on an attempt: verdict, optional score, required reason."""

    verdict = RadioField("复核结论", choices=choices([(Verdict.PASS, "通过"), (Verdict.FAIL, "不通过")]),
                         validators=[DataRequired("请选择复核结论")])
    score = StringField("分数(可不填,不填则保留自动评分;通过须不低于及格分)", validators=[Optional()],
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    reason = TextAreaField("理由(员工会看到)", validators=[
        DataRequired("请写明复核理由"), Length(max=1000, message="理由最多 1000 字")])
