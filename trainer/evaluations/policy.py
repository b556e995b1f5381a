"""The evaluation policy HR sets: period, component weights, grade bands, the safety cap, the
appeal window, retraining, and how each component turns its records into a 0-100 score.

A `Policy` is immutable and always valid (construction validates it); `to_dict()` and
`from_dict()` give the JSON form an evaluation keeps as its frozen copy, so editing the policy
later never changes a past result. Every number is a `Decimal`; floats read from JSON or YAML
are taken by their shortest text (0.9 is "0.9"), never used in arithmetic. Pure code.

Defaults (the issue's, all editable):

- weights: 理论 25, 口语 35, 实操 30, 服务记录 10 (percent, at most two decimals, sum 100);
- bands on the total rounded half-up to one decimal: 优秀 [90, 100] 1.2; 良好 [80, 90) 1.0;
  合格 [70, 80) 0.9; 不合格 [0, 70) 0.7 with retraining. A band is [lower, upper) except
  the one ending at 100, which includes 100;
- a confirmed safety violation caps the grade at 合格; appeals within 7 days;
- retraining does not suspend cleared-for-duty unless HR turns it on (a suspension stops a
  person working, so it is an explicit choice, not a default);
- theory: each module's assessment results in the period are graded by their window's rule
  (highest by default), modules averaged; spoken: the mean of the role-play results;
  practical: the mean of the checks, a failed check (a drill over its time limit) counting
  with the score it got; service record: base 100, minus 10 per confirmed complaint, plus 5
  per confirmed commendation, a safety violation 0 points (its effect is the cap), clamped to
  0-100. A quiet period (no confirmed events) scores the base: no complaint is a clean record,
  not missing data. HR may switch that to "missing" (weight redistributed, 数据不全).
- a module counts as failed (for retraining) when it has results in the period and none
  passed; a result without a pass flag passes at 80 (the content's default pass mark).
- failures (issue 14): a failed assessment counts as failed - by default its score counts at
  most 60 in its component (below the pass mark; HR may instead keep the score and cap the
  grade at 合格); a grooming check failed on a ★ (critical) item, a failed fueling drill, or
  being 暂不能上岗 at the end of the period each cap the grade at 合格 ("" = no cap).
- missing data: weight is never moved onto a score a person typed (an adjustment), only onto
  components scored from records; a period with no assessment data (neither theory nor spoken
  from records) moves no weight at all - what is missing counts 0 - and needs HR's decision
  before it can be finalized.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from trainer.evaluations.periods import MONTHLY, PERIOD_KINDS

FORMAT = 1   # of the dict form; a frozen copy carries it so a later format can still read it

THEORY, SPOKEN, PRACTICAL, SERVICE = "theory", "spoken", "practical", "service"
COMPONENTS = (THEORY, SPOKEN, PRACTICAL, SERVICE)
COMPONENT_LABELS = {THEORY: "理论", SPOKEN: "口语", PRACTICAL: "实操", SERVICE: "服务记录"}

# How a module's assessment attempts in one window become one result (the window's rule).
GRADINGS = {"highest": "取最高分", "first": "取第一次", "last": "取最后一次", "average": "取平均分"}
SPOKEN_METHODS = {"mean": "全部角色扮演考核成绩的平均分", "item_mean": "先按题目求平均,再求各题平均"}
PRACTICAL_METHODS = {"mean": "全部现场考核成绩的平均分", "kind_mean": "先按考核类型求平均,再求各类平均"}
SERVICE_WHEN_EMPTY = {"base": "按基础分计", "missing": "视为无记录"}
# How a failed assessment (quiz or role-play) counts.
FAILED_ASSESSMENT_RULES = {"cap_score": "本项分数不高于“未通过计分上限”",
                           "cap_grade": "本项按实得分计,但等级封顶"}
# The grade caps of the "failures" section, in the order the explanation gives them.
GRADE_CAPS = {"failed_assessment_grade": "考核未通过(按实得分计时)",
              "critical_grooming_grade": "仪容仪表关键项(★)不合格",
              "failed_drill_grade": "加气操作计时未通过",
              "not_cleared_grade": "期末暂不能上岗"}

COMPLAINT, COMMENDATION, SAFETY_VIOLATION = "complaint", "commendation", "safety_violation"
EVENT_KINDS = (COMPLAINT, COMMENDATION, SAFETY_VIOLATION)
EVENT_LABELS = {COMPLAINT: "投诉", COMMENDATION: "表扬", SAFETY_VIOLATION: "安全违规"}

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class PolicyError(ValueError):
    """An invalid policy; `problems` lists every problem in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("考核政策有误:" + ";".join(problems))
        self.problems = problems


def as_decimal(value: Any) -> Decimal:
    """A finite Decimal from a Decimal, int, numeric string or float (by its shortest text).
    TypeError/ValueError otherwise; bools are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise TypeError(f"不是数字:{value!r}")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"不是数字:{value!r}") from None
    if not number.is_finite():
        raise ValueError(f"不是有限的数字:{value!r}")
    return number


def format_number(number: Decimal) -> str:
    """A number without needless trailing zeros: 90, 89.5, 27.78."""
    if number == number.to_integral_value():
        # format, not quantize: quantize fails past the context's 28 digits (1E+30).
        return format(number.to_integral_value(), "f")
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class Band:
    """A grade: totals in [lower, upper) (the band ending at 100 includes 100) get this name
    and pay coefficient; `retraining` makes retraining mandatory."""

    name: str
    lower: Decimal
    upper: Decimal
    coefficient: Decimal
    retraining: bool = False

    def __post_init__(self) -> None:
        for name in ("lower", "upper", "coefficient"):
            object.__setattr__(self, name, as_decimal(getattr(self, name)))

    def contains(self, total: Decimal) -> bool:
        return self.lower <= total < self.upper or (total == self.upper == HUNDRED)

    def interval(self) -> str:
        """The interval as people read it: [80, 90) or [90, 100]."""
        close = "]" if self.upper == HUNDRED else ")"
        return f"[{format_number(self.lower)}, {format_number(self.upper)}{close}"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "lower": str(self.lower), "upper": str(self.upper),
                "coefficient": str(self.coefficient), "retraining": self.retraining}


DEFAULT_BANDS = (
    Band("优秀", Decimal(90), HUNDRED, Decimal("1.2")),
    Band("良好", Decimal(80), Decimal(90), Decimal("1.0")),
    Band("合格", Decimal(70), Decimal(80), Decimal("0.9")),
    Band("不合格", ZERO, Decimal(70), Decimal("0.7"), retraining=True),
)


@dataclass(frozen=True)
class Policy:
    """One version of the evaluation policy. Construction validates (PolicyError)."""

    period_kind: str = MONTHLY
    weight_theory: Decimal = Decimal(25)
    weight_spoken: Decimal = Decimal(35)
    weight_practical: Decimal = Decimal(30)
    weight_service: Decimal = Decimal(10)
    bands: tuple[Band, ...] = DEFAULT_BANDS
    safety_cap_grade: str = "合格"
    appeal_window_days: int = 7
    retraining_suspends_duty: bool = False
    theory_grading: str = "highest"      # for results whose window gives no rule
    spoken_method: str = "mean"
    practical_method: str = "mean"
    module_pass_score: Decimal = Decimal(80)
    service_base: Decimal = HUNDRED
    complaint_points: Decimal = Decimal(10)
    commendation_points: Decimal = Decimal(5)
    safety_violation_points: Decimal = ZERO
    service_when_empty: str = "base"
    failed_assessment: str = "cap_score"
    failed_assessment_score: Decimal = Decimal(60)
    failed_assessment_grade: str = "合格"
    critical_grooming_grade: str = "合格"
    failed_drill_grade: str = "合格"
    not_cleared_grade: str = "合格"
    _ranks: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(self.bands))
        problems = validate_policy(self.to_dict())
        if problems:
            raise PolicyError(problems)
        for name in ("weight_theory", "weight_spoken", "weight_practical", "weight_service",
                     "module_pass_score", "service_base", "complaint_points",
                     "commendation_points", "safety_violation_points",
                     "failed_assessment_score"):
            object.__setattr__(self, name, as_decimal(getattr(self, name)))
        ordered = sorted(self.bands, key=lambda band: band.lower)
        object.__setattr__(self, "_ranks", {band.name: i for i, band in enumerate(ordered)})

    @property
    def weights(self) -> dict[str, Decimal]:
        """Nominal weights in percent, by component key, in the fixed component order."""
        return {THEORY: self.weight_theory, SPOKEN: self.weight_spoken,
                PRACTICAL: self.weight_practical, SERVICE: self.weight_service}

    def band_for(self, total: Decimal) -> Band:
        """The band of a total already rounded to one decimal (0-100)."""
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"总分 {total} 不在任何等级区间内")

    def band_named(self, name: str) -> Band:
        for band in self.bands:
            if band.name == name:
                return band
        raise KeyError(name)

    def rank(self, name: str) -> int:
        """Position of a grade from the lowest (0) up, for comparing grades."""
        return self._ranks[name]

    def grade_cap(self, key: str) -> Band | None:
        """The band a cap of the failures section limits the grade to (None: no cap)."""
        name = getattr(self, key)
        return self.band_named(name) if name else None

    def event_points(self, kind: str) -> Decimal:
        """Default points of a confirmed service event (a magnitude; the kind gives the sign)."""
        return {COMPLAINT: self.complaint_points, COMMENDATION: self.commendation_points,
                SAFETY_VIOLATION: self.safety_violation_points}[kind]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (Decimals as strings), which `from_dict` reads back to an equal policy."""
        return {
            "format": FORMAT,
            "period_kind": self.period_kind,
            "weights": {key: str(value) for key, value in self.weights.items()},
            "bands": [band.to_dict() for band in self.bands],
            "safety_cap_grade": self.safety_cap_grade,
            "appeal_window_days": self.appeal_window_days,
            "retraining_suspends_duty": self.retraining_suspends_duty,
            "scoring": {
                "theory_grading": self.theory_grading,
                "spoken": self.spoken_method,
                "practical": self.practical_method,
                "module_pass_score": str(self.module_pass_score),
            },
            "service": {
                "base": str(self.service_base),
                COMPLAINT: str(self.complaint_points),
                COMMENDATION: str(self.commendation_points),
                SAFETY_VIOLATION: str(self.safety_violation_points),
                "when_empty": self.service_when_empty,
            },
            "failures": {
                "assessment": self.failed_assessment,
                "assessment_score": str(self.failed_assessment_score),
                **{key: getattr(self, key) for key in GRADE_CAPS},
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """A policy from its dict form; a missing top-level key or sub-key takes its default.
        Raises PolicyError listing every problem."""
        problems = validate_policy(data)
        if problems:
            raise PolicyError(problems)
        base = Policy().to_dict()
        merged = {**base, **data}
        for section in ("scoring", "service", "failures"):
            merged[section] = {**base[section], **(data.get(section) or {})}
        weights, scoring, service = merged["weights"], merged["scoring"], merged["service"]
        failures = merged["failures"]
        return cls(
            period_kind=merged["period_kind"],
            weight_theory=as_decimal(weights[THEORY]),
            weight_spoken=as_decimal(weights[SPOKEN]),
            weight_practical=as_decimal(weights[PRACTICAL]),
            weight_service=as_decimal(weights[SERVICE]),
            bands=tuple(Band(b["name"], b["lower"], b["upper"], b["coefficient"],
                             bool(b.get("retraining", False))) for b in merged["bands"]),
            safety_cap_grade=merged["safety_cap_grade"],
            appeal_window_days=merged["appeal_window_days"],
            retraining_suspends_duty=merged["retraining_suspends_duty"],
            theory_grading=scoring["theory_grading"],
            spoken_method=scoring["spoken"],
            practical_method=scoring["practical"],
            module_pass_score=as_decimal(scoring["module_pass_score"]),
            service_base=as_decimal(service["base"]),
            complaint_points=as_decimal(service[COMPLAINT]),
            commendation_points=as_decimal(service[COMMENDATION]),
            safety_violation_points=as_decimal(service[SAFETY_VIOLATION]),
            service_when_empty=service["when_empty"],
            failed_assessment=failures["assessment"],
            failed_assessment_score=as_decimal(failures["assessment_score"]),
            **{key: failures[key] or "" for key in GRADE_CAPS},
        )

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON form: equal policies, equal fingerprints, so the
        database layer can tell whether an edit really changed anything."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- validation

_TOP_KEYS = {"format", "period_kind", "weights", "bands", "safety_cap_grade",
             "appeal_window_days", "retraining_suspends_duty", "scoring", "service", "failures"}
_FAILURE_KEYS = {"assessment", "assessment_score", *GRADE_CAPS}
_SCORING_KEYS = {"theory_grading", "spoken", "practical", "module_pass_score"}
_SERVICE_KEYS = {"base", COMPLAINT, COMMENDATION, SAFETY_VIOLATION, "when_empty"}
_BAND_KEYS = {"name", "lower", "upper", "coefficient", "retraining"}
# A grade is stored with each evaluation (evaluation.grade, 20 characters).
MAX_BAND_NAME = 20


def validate_policy(data: Mapping[str, Any]) -> list[str]:
    """Every problem of a policy's dict form, in Chinese (empty: valid). Missing keys take
    their defaults; unknown keys are problems, since a misspelt key would silently not apply."""
    if not isinstance(data, Mapping):
        return ["考核政策必须是键值对象"]
    problems: list[str] = []
    _unknown(data, _TOP_KEYS, "", problems)
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"不支持的政策格式版本:{data.get('format')!r}")
    if data.get("period_kind", MONTHLY) not in PERIOD_KINDS:
        problems.append(f"考核周期只能是按月(monthly)或按季度(quarterly),不能是 "
                        f"{data.get('period_kind')!r}")
    if "weights" in data:
        _check_weights(data["weights"], problems)
    names = _check_bands(data["bands"], problems) if "bands" in data else \
        [band.name for band in DEFAULT_BANDS]
    cap = data.get("safety_cap_grade", "合格")
    if names is not None and cap not in names:
        problems.append(f"安全违规封顶等级“{cap}”不是已定义的等级({'、'.join(names)})")
    days = data.get("appeal_window_days", 7)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        problems.append(f"申诉期限必须是 1 到 365 之间的整数天数,不能是 {days!r}")
    if not isinstance(data.get("retraining_suspends_duty", False), bool):
        problems.append("“复训期间暂停上岗资格”必须是是/否(true/false)")
    _check_scoring(data.get("scoring", {}), problems)
    _check_service(data.get("service", {}), problems)
    _check_failures(data.get("failures", {}), data.get("scoring", {}), names, problems)
    return problems


def _check_weights(weights: Any, problems: list[str]) -> None:
    if not isinstance(weights, Mapping):
        problems.append("权重必须按部分给出(theory、spoken、practical、service)")
        return
    _unknown(weights, set(COMPONENTS), "权重中", problems)
    total = ZERO
    complete = True
    for key in COMPONENTS:
        label = f"{COMPONENT_LABELS[key]}权重"
        if key not in weights:
            problems.append(f"缺少{label}")
            complete = False
            continue
        value = _number(weights[key], label, problems, places=2, low=ZERO, high=HUNDRED)
        if value is None:
            complete = False
        else:
            total += value
    if complete and total != HUNDRED:
        problems.append(f"各部分权重之和必须为 100,当前为 {format_number(total)}")


def _check_bands(bands: Any, problems: list[str]) -> list[str] | None:
    """Checks the bands; returns their names (None when they cannot be read at all)."""
    if not isinstance(bands, list | tuple) or not bands:
        problems.append("至少要定义一个等级")
        return None
    names: list[str] = []
    readable: list[tuple[str, Decimal, Decimal, Decimal]] = []
    for position, band in enumerate(bands, start=1):
        if not isinstance(band, Mapping):
            problems.append(f"第 {position} 个等级格式不对")
            continue
        _unknown(band, _BAND_KEYS, f"第 {position} 个等级中", problems)
        name = band.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"第 {position} 个等级缺少名称")
            continue
        if len(name) > MAX_BAND_NAME:
            problems.append(f"第 {position} 个等级的名称最多 {MAX_BAND_NAME} 字")
        if name in names:
            problems.append(f"等级名称重复:{name}")
        names.append(name)
        lower = _number(band.get("lower"), f"等级“{name}”的下限", problems, places=2,
                        low=ZERO, high=HUNDRED)
        upper = _number(band.get("upper"), f"等级“{name}”的上限", problems, places=2,
                        low=ZERO, high=HUNDRED)
        coefficient = _number(band.get("coefficient"), f"等级“{name}”的系数", problems,
                              places=4, low=ZERO)
        if not isinstance(band.get("retraining", False), bool):
            problems.append(f"等级“{name}”的“须复训”必须是是/否(true/false)")
        if lower is None or upper is None or coefficient is None:
            continue
        if lower >= upper:
            problems.append(f"等级“{name}”的下限 {format_number(lower)} 必须小于上限 {format_number(upper)}")
            continue
        readable.append((name, lower, upper, coefficient))
    if len(readable) == len(bands):
        _check_coverage(readable, problems)
    return names


def _check_coverage(bands: list[tuple[str, Decimal, Decimal, Decimal]],
                    problems: list[str]) -> None:
    """Bands must tile [0, 100] exactly, and a higher band must not pay less."""
    ordered = sorted(bands, key=lambda band: (band[1], band[2]))
    if ordered[0][1] != ZERO:
        problems.append(f"等级区间必须从 0 分开始:最低的等级“{ordered[0][0]}”从 "
                        f"{format_number(ordered[0][1])} 分开始,低于它的总分没有等级")
    if ordered[-1][2] != HUNDRED:
        problems.append(f"等级区间必须到 100 分为止:最高的等级“{ordered[-1][0]}”止于 "
                        f"{format_number(ordered[-1][2])} 分")
    for (low_name, _, low_upper, low_coef), (high_name, high_lower, _, high_coef) in zip(
            ordered, ordered[1:], strict=False):
        if high_lower > low_upper:
            problems.append(f"等级区间有空档:“{low_name}”止于 {format_number(low_upper)},"
                            f"“{high_name}”从 {format_number(high_lower)} 开始,中间的总分没有等级")
        elif high_lower < low_upper:
            problems.append(f"等级区间重叠:“{low_name}”止于 {format_number(low_upper)},"
                            f"“{high_name}”却从 {format_number(high_lower)} 开始")
        if high_coef < low_coef:
            problems.append(f"较高等级的系数不能低于较低等级:“{high_name}” {high_coef} "
                            f"低于“{low_name}” {low_coef}")


def _check_scoring(scoring: Any, problems: list[str]) -> None:
    if not isinstance(scoring, Mapping):
        problems.append("计分方法格式不对")
        return
    _unknown(scoring, _SCORING_KEYS, "计分方法中", problems)
    _choice(scoring, "theory_grading", GRADINGS, "理论成绩的取分规则", problems)
    _choice(scoring, "spoken", SPOKEN_METHODS, "口语成绩的计算方法", problems)
    _choice(scoring, "practical", PRACTICAL_METHODS, "实操成绩的计算方法", problems)
    if "module_pass_score" in scoring:
        _number(scoring["module_pass_score"], "模块及格分", problems, places=2, low=ZERO,
                high=HUNDRED)


def _check_service(service: Any, problems: list[str]) -> None:
    if not isinstance(service, Mapping):
        problems.append("服务记录计分格式不对")
        return
    _unknown(service, _SERVICE_KEYS, "服务记录计分中", problems)
    if "base" in service:
        _number(service["base"], "服务记录基础分", problems, places=2, low=ZERO, high=HUNDRED)
    for kind in EVENT_KINDS:
        if kind in service:
            _number(service[kind], f"每次{EVENT_LABELS[kind]}的分数", problems, places=2,
                    low=ZERO, high=HUNDRED)
    _choice(service, "when_empty", SERVICE_WHEN_EMPTY, "无服务记录时的处理", problems)


def _check_failures(failures: Any, scoring: Any, names: list[str] | None,
                    problems: list[str]) -> None:
    if not isinstance(failures, Mapping):
        problems.append("未通过与封顶规则格式不对")
        return
    _unknown(failures, _FAILURE_KEYS, "未通过与封顶规则中", problems)
    _choice(failures, "assessment", FAILED_ASSESSMENT_RULES, "考核未通过时的计分方法", problems)
    cap = Decimal(60)
    if "assessment_score" in failures:
        cap = _number(failures["assessment_score"], "考核未通过计分上限", problems,  # type: ignore[assignment]
                      places=2, low=ZERO, high=HUNDRED)
    pass_text = scoring.get("module_pass_score", "80") if isinstance(scoring, Mapping) else "80"
    try:
        pass_mark = as_decimal(pass_text)
    except (TypeError, ValueError):
        pass_mark = None   # already reported by the scoring section
    if cap is not None and pass_mark is not None and cap >= pass_mark:
        problems.append(f"考核未通过计分上限 {format_number(cap)} 必须低于模块及格分 "
                        f"{format_number(pass_mark)},否则未通过的考核仍按及格计")
    for key, what in GRADE_CAPS.items():
        value = failures.get(key, "合格")
        if value in (None, ""):
            continue
        if not isinstance(value, str) or (names is not None and value not in names):
            problems.append(f"“{what}”的封顶等级“{value}”不是已定义的等级"
                            f"({'、'.join(names or [])}),不封顶请留空")


def _choice(section: Mapping[str, Any], key: str, allowed: Mapping[str, str], what: str,
            problems: list[str]) -> None:
    if key in section and section[key] not in allowed:
        options = "、".join(f"{code}({label})" for code, label in allowed.items())
        problems.append(f"{what}只能是 {options},不能是 {section[key]!r}")


def _unknown(section: Mapping[str, Any], known: set[str], where: str,
             problems: list[str]) -> None:
    for key in section:
        if key not in known:
            problems.append(f"{where}有未知的设置项:{key}")


def _number(value: Any, what: str, problems: list[str], *, places: int,
            low: Decimal | None = None, high: Decimal | None = None) -> Decimal | None:
    """The value as a Decimal, or None after recording why it is not an acceptable one."""
    try:
        number = as_decimal(value)
    except (TypeError, ValueError):
        problems.append(f"{what}必须是数字,不能是 {value!r}")
        return None
    if low is not None and number < low:
        problems.append(f"{what}不能为负数" if low == ZERO else f"{what}不能小于 {low}")
        return None
    if high is not None and number > high:
        problems.append(f"{what}不能大于 {format_number(high)}")
        return None
    if -number.as_tuple().exponent > places:   # type: ignore[operator]
        problems.append(f"{what}最多保留 {places} 位小数,不能是 {number}")
        return None
    return number
