from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from trainer.forms import BaseForm, choices
from trainer.models import POSTS, ROLES


class StationForm(BaseForm):
    code = StringField(
        "站点编码",
        validators=[
            DataRequired("请填写站点编码"),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_-]+$", message="站点编码只能包含字母、数字、- 和 _"),
        ],
    )
    name = StringField("站点名称", validators=[DataRequired("请填写站点名称"), Length(max=80)])
    short_name = StringField(
        "用语中的站名",
        description="服务用语里说的站名,例如“欢迎光临昆仑加气站”中的“昆仑”",
        validators=[DataRequired("请填写用语中的站名"), Length(max=40)],
    )
    company = StringField("所属公司", validators=[DataRequired("请填写所属公司"), Length(max=120)])
    region = StringField("地区", validators=[Optional(), Length(max=80)])
    address = StringField("地址", validators=[Optional(), Length(max=200)])
    gas_price = DecimalField(
        "气价",
        places=2,
        validators=[Optional(), NumberRange(min=0, max=999, message="气价应在 0 到 999 之间")],
    )
    price_unit = StringField("计价单位", default="元/方", validators=[Optional(), Length(max=16)])
    hotline = StringField(
        "服务热线",
        validators=[
            Optional(),
            Length(max=32),
            Regexp(r"^[0-9+\- ]+$", message="服务热线只能包含数字、空格、+ 和 -"),
        ],
    )
    rule_set = SelectField("执行的服务标准", choices=[], validate_choice=True)
    active = BooleanField("启用", default=True)


class StaffForm(BaseForm):
    employee_no = StringField(
        "工号",
        validators=[
            DataRequired("请填写工号"),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_-]+$", message="工号只能包含字母、数字、- 和 _"),
        ],
    )
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=40)])
    phone = StringField(
        "手机",
        validators=[Optional(), Regexp(r"^1\d{10}$", message="手机号应为 11 位数字,以 1 开头")],
    )
    station_id = SelectField("所属站点", coerce=int, choices=[])
    post = SelectField("岗位", choices=choices([("", "(无)"), *POSTS.items()]))
    role = SelectField("权限角色", choices=choices(ROLES.items()))
    hire_date = DateField("入职日期", validators=[Optional()])
    active = BooleanField("在职", default=True)


class HeadStaffForm(BaseForm):
    """What a station head may change on his own station's staff."""

    name = StaffForm.name
    phone = StaffForm.phone
    post = StaffForm.post
    active = StaffForm.active


class ImportForm(BaseForm):
    file = FileField(
        "人员名单文件",
        validators=[
            FileRequired("请选择文件"),
            FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件"),
        ],
    )


class ConfirmForm(BaseForm):
    token = StringField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])


class TrialForm(BaseForm):
    answer = StringField("试答", validators=[DataRequired("请输入一句试答"), Length(max=2000)])


class CalibrationForm(BaseForm):
    file = FileField(
        "人工标注的作答(CSV)",
        validators=[FileRequired("请选择文件"), FileAllowed(["csv", "txt"], "只支持 CSV 文件")],
    )


class CorrectionForm(BaseForm):
    """The admin's correction of a phrase item or a card (trainer/admin/content_corrections)."""

    expected = TextAreaField("标准用语(一行一种说法)", validators=[Length(max=4000)])
    key_points = TextAreaField("要点(一行一个要点;同义说法用 / 分开)",
                               validators=[Length(max=2000)])
    explanation = TextAreaField("讲解", validators=[Length(max=4000)])
    title = StringField("标题", validators=[Length(max=200)])
    prompt = TextAreaField("题目", validators=[Length(max=2000)])
    body = TextAreaField("正文", validators=[Length(max=8000)])
    status = SelectField("状态", choices=choices([("draft", "草稿(只用于练习)"),
                                                  ("active", "生效(计入认证和考核)")]))
    reason = TextAreaField("修改理由(依据哪条标准,为什么改)",
                           validators=[DataRequired("请写明修改理由"), Length(max=500)])
