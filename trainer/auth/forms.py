from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from trainer.forms import BaseForm


class LoginForm(BaseForm):
    employee_no = StringField("工号", validators=[DataRequired("请填写工号"), Length(max=32)])
    password = PasswordField("密码", validators=[DataRequired("请填写密码"), Length(max=128)])
    remember = BooleanField("在这台设备上保持登录")


class ChangePasswordForm(BaseForm):
    current = PasswordField("当前密码", validators=[DataRequired("请填写当前密码")])
    new = PasswordField(
        "新密码",
        validators=[DataRequired("请填写新密码"), Length(min=8, max=128, message="新密码至少 8 位")],
    )
    confirm = PasswordField(
        "再次输入新密码", validators=[DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的新密码不一致")]
    )
