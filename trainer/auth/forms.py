from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from trainer.auth.passwords import MAX_LENGTH, MIN_LENGTH
from trainer.forms import BaseForm

NEW_PASSWORD_HINT = (f"至少 {MIN_LENGTH} 位;不能用工号、姓名拼音、站名或常见密码。"
                     "几个不相关的词加数字和符号最好记也最安全,例如 Hai-Tang-Qiu-58")


def _new_password_fields():
    new = PasswordField("新密码", description=NEW_PASSWORD_HINT, validators=[
        DataRequired("请填写新密码"),
        Length(max=MAX_LENGTH, message=f"新密码最多 {MAX_LENGTH} 位")])
    confirm = PasswordField("再次输入新密码", validators=[
        DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的新密码不一致")])
    return new, confirm


class LoginForm(BaseForm):
    employee_no = StringField("工号", validators=[DataRequired("请填写工号"), Length(max=32)])
    password = PasswordField("密码", validators=[DataRequired("请填写密码"), Length(max=128)])
    remember = BooleanField("在这台设备上保持登录(仅限本人的手机)")


class ChangePasswordForm(BaseForm):
    current = PasswordField("当前密码", validators=[DataRequired("请填写当前密码"),
                                                    Length(max=MAX_LENGTH)])
    new, confirm = _new_password_fields()


class CodeForm(BaseForm):
    """Set a password with the one-time code HR or the admin handed over."""

    employee_no = StringField("工号", validators=[DataRequired("请填写工号"), Length(max=32)])
    code = StringField("一次性验证码", description="形如 ABCD-EFGH-JKLM,不区分大小写",
                       validators=[DataRequired("请填写一次性验证码"), Length(max=40)])
    new, confirm = _new_password_fields()


class ConfirmForm(BaseForm):
    """A button that changes something (CSRF only)."""
