"""The assessment window form (考核安排)."""

from wtforms import DateTimeLocalField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainer.forms import BaseForm, choices
from trainer.models.assessment import GRADING_LABELS
from trainer.windows.service import MAX_ATTEMPTS, MAX_TIME_LIMIT

FORMAT = "%Y-%m-%dT%H:%M"


class WindowForm(BaseForm):
    # Choices are checked by the service, with Chinese messages (WTForms' own are English).
    module_id = SelectField("培训模块", choices=[], validate_choice=False)
    # "" is every station (HR only); a head's station is fixed and the field is left out.
    station = SelectField("适用站点", choices=[], validate_choice=False)
    opens_at = DateTimeLocalField("开始时间", format=FORMAT,
                                  validators=[DataRequired("请填写开始时间")])
    closes_at = DateTimeLocalField("结束时间", format=FORMAT,
                                   validators=[DataRequired("请填写结束时间")])
    time_limit_minutes = IntegerField(
        "每次作答时限(分钟)", description="留空表示不限时(仍不能晚于结束时间)",
        validators=[Optional(), NumberRange(1, MAX_TIME_LIMIT,
                                            f"时限应在 1 到 {MAX_TIME_LIMIT} 分钟之间")])
    max_attempts = IntegerField(
        "考核次数", description="理论测验和情景对话考核各可参加的次数",
        validators=[InputRequired("请填写考核次数"),
                    NumberRange(1, MAX_ATTEMPTS, f"次数应在 1 到 {MAX_ATTEMPTS} 之间")])
    grading = SelectField("成绩计算方式", choices=choices(GRADING_LABELS.items()),
                          validate_choice=False)
    # Required when changing a window (the service says so in Chinese); not when creating.
    reason = TextAreaField("修改理由", description="修改已有的考核安排须写明理由,记入审计日志",
                           validators=[Optional(), Length(max=1000, message="最多 1000 字")])


class CloseForm(BaseForm):
    """The 提前结束 button with its reason."""

    reason = TextAreaField("提前结束的理由", validators=[Optional(),
                                                  Length(max=1000, message="最多 1000 字")])
