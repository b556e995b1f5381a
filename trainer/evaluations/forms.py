"""Forms of the evaluation pages. Choices and numbers are checked again by the services, with
Chinese messages; the forms carry the CSRF token and the fields."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from trainer.evaluations.exports import FORMAT_LABELS
from trainer.evaluations.periods import PERIOD_KIND_LABELS
from trainer.evaluations.policy import (
    COMPONENT_LABELS,
    COMPONENTS,
    EVENT_LABELS,
    FAILED_ASSESSMENT_RULES,
    GRADE_CAPS,
    GRADINGS,
    PRACTICAL_METHODS,
    SERVICE_WHEN_EMPTY,
    SPOKEN_METHODS,
    Policy,
)
from trainer.forms import BaseForm, choices
from trainer.ids import parse_count

MAX_TEXT = 1000
DATETIME = "%Y-%m-%dT%H:%M"
BAND_ROWS = 6


def _reason(label: str, missing: str) -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(missing),
                                            Length(max=MAX_TEXT, message=f"最多 {MAX_TEXT} 字")])


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""


class PeriodForm(BaseForm):
    """Compute drafts / finalize in bulk: a period and a station ("" = every station)."""

    period = StringField("考核周期", description="如 2026-11(按月)或 2026-Q4(按季度)",
                         validators=[DataRequired("请填写考核周期")])
    station = SelectField("站点", choices=[], validate_choice=False)


class ExportForm(PeriodForm):
    file_format = SelectField("格式", choices=choices(FORMAT_LABELS.items()), validate_choice=False)


class AdjustForm(BaseForm):
    component = SelectField("考核部分", choices=choices(COMPONENT_LABELS.items()),
                            validate_choice=False)
    score = StringField("调整后的分数(0-100)", validators=[DataRequired("请填写调整后的分数")],
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    reason = _reason("书面理由(员工会看到)", "调整分数必须填写书面理由")


class AppealForm(BaseForm):
    reason = _reason("申诉理由", "请写明申诉理由")


class ResolveForm(BaseForm):
    resolution = _reason("处理意见(员工会看到)", "请写明申诉处理意见")
    theory = StringField("理论(不改则留空)", validators=[Optional()])
    spoken = StringField("口语(不改则留空)", validators=[Optional()])
    practical = StringField("实操(不改则留空)", validators=[Optional()])
    service = StringField("服务记录(不改则留空)", validators=[Optional()])

    def changes(self) -> dict[str, str]:
        """The components HR changes, with the scores as typed."""
        return {key: getattr(self, key).data.strip() for key in COMPONENTS
                if (getattr(self, key).data or "").strip()}


class DecisionForm(BaseForm):
    reason = _reason("人力资源的决定和理由", "请写明人力资源的决定和理由")


class OverrideForm(BaseForm):
    reason = _reason("提前结算的理由(导出文件会记录)", "请写明提前结算的理由")


class CorrectForm(BaseForm):
    reason = _reason("更正理由", "请写明更正理由")


class RetrainingDoneForm(BaseForm):
    note = _reason("复训内容和结果", "请写明复训的内容和结果")


class ServiceRecordForm(BaseForm):
    person = SelectField("员工", choices=[], validate_choice=False)
    kind = SelectField("类型", choices=choices(EVENT_LABELS.items()), validate_choice=False)
    occurred_at = DateTimeLocalField("发生时间", format=DATETIME,
                                     validators=[DataRequired("请填写发生时间")])
    summary = TextAreaField("经过", validators=[DataRequired("请写明发生了什么"),
                                              Length(max=2000, message="最多 2000 字")])
    evidence = TextAreaField(
        "证据", description="如顾客来电记录、监控截图说明、现场照片说明",
        validators=[DataRequired("请写明证据"), Length(max=2000, message="最多 2000 字")])
    evidence_file = FileField("证据文件(可不传)",
                              description="照片、PDF 或录音,不超过 5 MB")
    points = StringField("本条分值(可不填,不填按考核政策)", validators=[Optional()],
                         render_kw={"inputmode": "decimal", "autocomplete": "off"})
    confirmed = BooleanField("证据确凿,直接记为已核实(否则为待核实,核实后才计入考核)")


class DecideRecordForm(BaseForm):
    reason = TextAreaField("理由", validators=[Optional(), Length(max=2000,
                                                                  message="最多 2000 字")])


class PolicyForm(BaseForm):
    """Every setting of the policy; the band rows left without a name are ignored."""

    period_kind = SelectField("考核周期", choices=choices(PERIOD_KIND_LABELS.items()),
                              validate_choice=False)
    weight_theory = StringField("理论权重(%)")
    weight_spoken = StringField("口语权重(%)")
    weight_practical = StringField("实操权重(%)")
    weight_service = StringField("服务记录权重(%)")
    safety_cap_grade = StringField("安全违规时最高等级")
    appeal_window_days = StringField("申诉期限(天)")
    retraining_suspends_duty = BooleanField("须复训者在复训通过前暂停上岗资格")
    theory_grading = SelectField("理论:同一考核窗口多次考核的取分", choices=choices(GRADINGS.items()),
                                 validate_choice=False)
    spoken_method = SelectField("口语成绩的计算", choices=choices(SPOKEN_METHODS.items()),
                                validate_choice=False)
    practical_method = SelectField("实操成绩的计算", choices=choices(PRACTICAL_METHODS.items()),
                                   validate_choice=False)
    module_pass_score = StringField("模块及格分(判断须复训的模块)")
    service_base = StringField("服务记录基础分")
    complaint_points = StringField("每次投诉扣分")
    commendation_points = StringField("每次表扬加分")
    safety_violation_points = StringField("每次安全违规扣分")
    service_when_empty = SelectField("本期没有投诉表扬时", choices=choices(SERVICE_WHEN_EMPTY.items()),
                                     validate_choice=False)
    failed_assessment = SelectField("考核未通过时", choices=choices(FAILED_ASSESSMENT_RULES.items()),
                                    validate_choice=False)
    failed_assessment_score = StringField("未通过计分上限(须低于模块及格分)")
    failed_assessment_grade = StringField(f"{GRADE_CAPS['failed_assessment_grade']}:最高等级",
                                          description="留空表示不封顶")
    critical_grooming_grade = StringField(f"{GRADE_CAPS['critical_grooming_grade']}:最高等级",
                                          description="留空表示不封顶")
    failed_drill_grade = StringField(f"{GRADE_CAPS['failed_drill_grade']}:最高等级",
                                     description="留空表示不封顶")
    not_cleared_grade = StringField(f"{GRADE_CAPS['not_cleared_grade']}:最高等级",
                                    description="留空表示不封顶")
    reason = _reason("修改理由", "请写明修改考核政策的理由")

    def fill(self, policy: Policy) -> None:
        """Show a policy's values (on GET)."""
        data = policy.to_dict()
        self.period_kind.data = data["period_kind"]
        for key in COMPONENTS:
            getattr(self, f"weight_{key}").data = data["weights"][key]
        self.safety_cap_grade.data = data["safety_cap_grade"]
        self.appeal_window_days.data = str(data["appeal_window_days"])
        self.retraining_suspends_duty.data = data["retraining_suspends_duty"]
        self.theory_grading.data = data["scoring"]["theory_grading"]
        self.spoken_method.data = data["scoring"]["spoken"]
        self.practical_method.data = data["scoring"]["practical"]
        self.module_pass_score.data = data["scoring"]["module_pass_score"]
        service = data["service"]
        self.service_base.data = service["base"]
        self.complaint_points.data = service["complaint"]
        self.commendation_points.data = service["commendation"]
        self.safety_violation_points.data = service["safety_violation"]
        self.service_when_empty.data = service["when_empty"]
        failures = data["failures"]
        self.failed_assessment.data = failures["assessment"]
        self.failed_assessment_score.data = failures["assessment_score"]
        for key in GRADE_CAPS:
            getattr(self, key).data = failures[key]


def band_rows(form_data: Any, policy: Policy | None = None) -> list[dict[str, Any]]:
    """The band rows as typed (POST) or from the policy (GET), BAND_ROWS of them."""
    if policy is not None:
        rows = [{"name": b.name, "lower": str(b.lower), "upper": str(b.upper),
                 "coefficient": str(b.coefficient), "retraining": b.retraining}
                for b in policy.bands]
    else:
        rows = [{"name": (form_data.get(f"band-{i}-name") or "").strip(),
                 "lower": (form_data.get(f"band-{i}-lower") or "").strip(),
                 "upper": (form_data.get(f"band-{i}-upper") or "").strip(),
                 "coefficient": (form_data.get(f"band-{i}-coefficient") or "").strip(),
                 "retraining": form_data.get(f"band-{i}-retraining") == "y"}
                for i in range(BAND_ROWS)]
    blank = {"name": "", "lower": "", "upper": "", "coefficient": "", "retraining": False}
    return (rows + [dict(blank) for _ in range(BAND_ROWS)])[:max(BAND_ROWS, len(rows))]


def policy_settings(form: PolicyForm, bands: list[dict[str, Any]]) -> dict[str, Any]:
    """The policy's dict form from the fields (validated by the policy itself)."""
    days_text = (form.appeal_window_days.data or "").strip()
    # Anything but a plain number goes to the policy as typed, which refuses it in Chinese.
    days: Any = parse_count(days_text)
    if days is None:
        days = days_text
    return {
        "period_kind": form.period_kind.data,
        "weights": {key: (getattr(form, f"weight_{key}").data or "").strip()
                    for key in COMPONENTS},
        "bands": [{"name": b["name"], "lower": b["lower"], "upper": b["upper"],
                   "coefficient": b["coefficient"], "retraining": b["retraining"]}
                  for b in bands if b["name"]],
        "safety_cap_grade": (form.safety_cap_grade.data or "").strip(),
        "appeal_window_days": days,
        "retraining_suspends_duty": bool(form.retraining_suspends_duty.data),
        "scoring": {"theory_grading": form.theory_grading.data,
                    "spoken": form.spoken_method.data,
                    "practical": form.practical_method.data,
                    "module_pass_score": (form.module_pass_score.data or "").strip()},
        "service": {"base": (form.service_base.data or "").strip(),
                    "complaint": (form.complaint_points.data or "").strip(),
                    "commendation": (form.commendation_points.data or "").strip(),
                    "safety_violation": (form.safety_violation_points.data or "").strip(),
                    "when_empty": form.service_when_empty.data},
        "failures": {"assessment": form.failed_assessment.data,
                     "assessment_score": (form.failed_assessment_score.data or "").strip(),
                     **{key: (getattr(form, key).data or "").strip() for key in GRADE_CAPS}},
    }
