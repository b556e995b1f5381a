"""Forms of the certificate pages: filters, exports, and the reasons of status changes."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from trainer.certificates.exports import FORMATS
from trainer.certificates.service import MAX_REASON, STATUS_CHOICES, CertificateFilter
from trainer.forms import BaseForm, choices
from trainer.ids import parse_id
from trainer.models import POSTS

ANY = ""


class FilterForm(BaseForm):
    """Which certificates to list or export (GET: no CSRF token needed to read)."""

    class Meta:
        csrf = False

    q = StringField("搜索", validators=[Optional(), Length(max=40, message="搜索内容最多 40 个字")],
                    render_kw={"placeholder": "姓名、工号或证书编号", "type": "search"})
    station = SelectField("站点", default=ANY)
    post = SelectField("岗位", default=ANY,
                       choices=choices([(ANY, "全部岗位"), *POSTS.items()]))
    issued_from = DateField("发证日期从", validators=[Optional()],
                            render_kw={"type": "date"})
    issued_to = DateField("至", validators=[Optional()], render_kw={"type": "date"})
    status = SelectField("状态", default=ANY,
                         choices=choices([(ANY, "全部状态"), *STATUS_CHOICES]))

    def set_stations(self, stations: list[tuple[int, str]]) -> None:
        self.station.choices = choices([(ANY, "全部站点"), *((str(i), n) for i, n in stations)])

    def validate_issued_to(self, field) -> None:
        if field.data and self.issued_from.data and field.data < self.issued_from.data:
            raise ValidationError("结束日期不能早于开始日期")

    def to_filter(self) -> CertificateFilter:
        """The filters as the service takes them (call after validate())."""
        station = self.station.data
        return CertificateFilter(
            station_id=parse_id(station),
            post=self.post.data or None, issued_from=self.issued_from.data,
            issued_to=self.issued_to.data, status=self.status.data or None,
            search=(self.q.data or "").strip())


class ExportForm(FilterForm):
    """Start an export of the filtered certificates (POST, with CSRF)."""

    class Meta:
        csrf = True

    format = SelectField("导出为", choices=choices(FORMATS.items()), default="zip")


class ReasonForm(BaseForm):
    """Suspend or revoke: the reason is required and shown to the holder."""

    reason = TextAreaField("理由", validators=[
        DataRequired("请写明理由"), Length(max=MAX_REASON, message=f"理由最多 {MAX_REASON} 字")])


class LiftForm(BaseForm):
    """Lift a suspension: the reason is required (the service says so in Chinese)."""

    reason = TextAreaField("解除暂停的理由", validators=[
        Optional(), Length(max=MAX_REASON, message=f"理由最多 {MAX_REASON} 字")])


class ConfirmForm(BaseForm):
    """A button that changes something (re-issue, renew): CSRF only."""


class HolderForm(BaseForm):
    """The holder's employee number, to see the full record of a certificate found by number."""

    employee_no = StringField("持证人工号", validators=[DataRequired("请输入持证人工号"),
                                                       Length(max=32)],
                              render_kw={"autocomplete": "off"})


class VerifyForm(BaseForm):
    """The number someone types on the public verify page (GET)."""

    class Meta:
        csrf = False

    number = StringField("证书编号", validators=[DataRequired("请输入证书编号")],
                         render_kw={"placeholder": "如 JQZ-2026-000123-7", "autocomplete": "off"})
