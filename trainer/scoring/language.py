"""The language rules the engine reads a sentence with: negation, waivers, synonyms, added
remarks, the roles of amounts and the parts of a time limit.

They are company policy written as data (content/language.yaml), not code: a trainer extends
a list when a real answer shows a gap. `Language.from_mapping` validates a parsed file and
reports every problem at once; `default_language()` loads the repository's own file for
callers that have no content library (tests, the benchmark).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

TIME_UNITS = ("秒", "分钟", "刻钟", "小时", "天", "工作日", "周", "月", "年")
AMOUNT_ROLES = ("change", "received", "recharge", "total", "balance", "filled")
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "content" / "language.yaml"


class LanguageError(ValueError):
    """A language file that cannot be used; `problems` are (field path, Chinese message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(";".join(f"{path}:{message}" for path, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class Negation:
    """Words that negate, and the expressions around them that do not (see language.yaml)."""

    negators: tuple[str, ...]
    after_topic: tuple[str, ...]
    not_negations: tuple[str, ...]
    prohibitors: tuple[str, ...]
    permissions: tuple[str, ...]
    permission_after: tuple[str, ...]
    act_verbs: tuple[str, ...]
    opposites: tuple[tuple[str, ...], ...]
    concessions: tuple[str, ...]
    buts: tuple[str, ...]
    giving_up: tuple[str, ...]
    waivers: tuple[str, ...]
    waivers_after_negator: tuple[str, ...]
    postponers: tuple[str, ...]
    conditions: tuple[str, ...]
    consequences: tuple[str, ...]
    lacking: tuple[str, ...] = ()  # 没有 … of 没有熄火的必要
    needless: tuple[str, ...] = ()  # … 的必要
    incapable: tuple[str, ...] = ()  # just after a key action: 受理不了
    heard_near: tuple[str, ...] = ()  # 对不起, also heard as 最不齐
    unhurried: tuple[str, ...] = ()  # 不着急 right before or after a key action: 充值不用急
    hazards: tuple[str, ...] = ()  # what a negator before a key point may be aimed at: 电器
    after_fuelling: tuple[str, ...] = ()  # 加完再, 边加边: put off till the gas is in
    before_fuelling: tuple[str, ...] = ()  # words of the acts due before fuelling: 熄火
    station_do: tuple[tuple[str, ...], ...] = ()  # asked in every item: 熄火
    station_forbid: tuple[tuple[str, ...], ...] = ()  # prohibited in every item: 抽烟
    compliance: tuple[str, ...] = ()  # 熄灭, 出去: complying with a prohibition
    indifferent: tuple[str, ...] = ()  # after 甲不甲: 熄不熄一个样
    partial: tuple[str, ...] = ()  # 一个, 大部分 ... said to be enough
    partial_enough: tuple[str, ...] = ()  # ... 就行


@dataclass(frozen=True, eq=False)  # identity hash: compiled patterns are cached per Times
class Times:
    """How a time limit is said: unit spellings, and relation words after or before a span."""

    units: Mapping[str, tuple[str, ...]]  # canonical unit -> spellings
    within: tuple[str, ...]
    within_before: tuple[str, ...]
    after: tuple[str, ...]
    after_before: tuple[str, ...]
    vague: tuple[str, ...]
    vague_before: tuple[str, ...]
    no_figure: tuple[str, ...]
    uncertain: tuple[str, ...]
    denied: tuple[str, ...] = ()  # after the limit: 四十分钟内到不了
    later: tuple[str, ...] = ()  # a later day or time, never "immediately": 明天上午
    conditional_tails: tuple[str, ...] = ()  # a clause after the promise ending so: ……的话
    waits: tuple[str, ...] = ()  # after the promise: 得等一等, 等师傅忙完
    widening: tuple[str, ...] = ()  # 最迟, 最终 with a later day or figure after the promise
    later_days: tuple[str, ...] = ()  # days away: 下礼拜, 月底
    arrival: tuple[str, ...] = ()  # the act of a limit of arrival: 到, 上门
    other_acts: tuple[str, ...] = ()  # said after its figure instead: 出发, 回电话


@dataclass(frozen=True, eq=False)  # identity hash: results are cached per Language
class Language:
    """Everything of content/language.yaml, validated. Immutable and shareable."""

    negation: Negation
    synonym_sets: tuple[tuple[str, ...], ...]
    courteous: tuple[str, ...]
    addressing: tuple[str, ...]
    polite_questions: tuple[str, ...]
    retorts: tuple[str, ...]
    rhetorical: tuple[str, ...]
    suspicious: tuple[str, ...]
    negative: tuple[str, ...]
    safe_prohibitions: tuple[str, ...]
    negative_chars: frozenset[str]
    apologies: tuple[str, ...]
    neutral: frozenset[str]
    amount_roles: Mapping[str, tuple[str, ...]]
    name_roles: Mapping[str, tuple[str, ...]]
    times: Times
    sensitive: tuple[str, ...] = ()  # money, papers, records, the rule taken for a joke
    hazard_topics: tuple[str, ...] = ()  # gas and forecourt hazards an added clause may name
    safe_advice: tuple[str, ...] = ()  # ...and the right advice about them (开窗通风)
    _synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False,
                                                  compare=False)

    def synonyms_of(self, wording: str) -> tuple[str, ...]:
        """Every wording a head accepts for `wording` (itself first): the members of each
        synonym set that lists it. Not transitive: 马上 does not bring in 尽快 through 立即."""
        found = self._synonyms.get(wording)
        if found is None:
            members = [wording]
            for group in self.synonym_sets:
                if wording in group:
                    members.extend(group)
            found = self._synonyms[wording] = tuple(dict.fromkeys(members))
        return found

    @classmethod
    def from_mapping(cls, data: Any) -> Language:
        """A Language from a parsed language.yaml; LanguageError lists every problem."""
        reader = _Reader(data)
        negation = reader.child("negation")
        times = reader.child("times")
        units = times.mapping_of_lists("units")
        for unit in units:
            if unit not in TIME_UNITS:
                times.problem(f"units.{unit}", f"未知时间单位({'、'.join(TIME_UNITS)})")
        roles = reader.mapping_of_lists("amount_roles")
        for role in roles:
            if role not in AMOUNT_ROLES:
                reader.problem(f"amount_roles.{role}", f"未知金额角色({'、'.join(AMOUNT_ROLES)})")
        remarks = reader.child("remarks")
        language = cls(
            negation=Negation(opposites=negation.word_lists("opposites"),
                              station_do=negation.word_lists("station_do"),
                              station_forbid=negation.word_lists("station_forbid"), **{
                name: negation.words(name) for name in (
                    "negators", "after_topic", "not_negations", "prohibitors", "permissions",
                    "permission_after", "act_verbs", "giving_up", "waivers",
                    "waivers_after_negator", "postponers", "conditions",
                    "consequences", "concessions", "buts", "lacking", "needless", "incapable",
                    "heard_near", "unhurried", "hazards", "after_fuelling",
                    "before_fuelling", "compliance", "indifferent", "partial",
                    "partial_enough")}),
            synonym_sets=reader.word_lists("synonyms"),
            courteous=remarks.words("courteous"),
            addressing=remarks.words("addressing"),
            polite_questions=remarks.words("polite_questions"),
            retorts=remarks.words("retorts"),
            rhetorical=remarks.words("rhetorical"),
            suspicious=remarks.words("suspicious"),
            sensitive=remarks.words("sensitive"),
            hazard_topics=remarks.words("hazard_topics"),
            safe_advice=remarks.words("safe_advice"),
            negative=remarks.words("negative"),
            safe_prohibitions=remarks.words("safe_prohibitions"),
            negative_chars=frozenset(remarks.text("negative_chars")),
            apologies=remarks.words("apologies"),
            neutral=frozenset(remarks.words("neutral")),
            amount_roles=MappingProxyType(roles),
            name_roles=MappingProxyType(reader.mapping_of_lists("name_roles")),
            times=Times(units=MappingProxyType(units), **{name: times.words(name) for name in (
                "within", "within_before", "after", "after_before", "vague", "vague_before",
                "no_figure", "uncertain", "denied", "later", "conditional_tails", "waits",
                "widening", "later_days", "arrival", "other_acts")}),
        )
        if reader.problems:
            raise LanguageError(reader.problems)
        return language

    @classmethod
    def from_yaml(cls, path: str | Path) -> Language:
        """Load and validate a language file (the format of content/language.yaml)."""
        import yaml

        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise LanguageError([("", f"无法读取语言规则文件:{exc}")]) from exc
        return cls.from_mapping(data)


@lru_cache(maxsize=1)
def default_language() -> Language:
    """The repository's content/language.yaml, loaded once."""
    return Language.from_yaml(DEFAULT_FILE)


class _Reader:
    """Typed access to one mapping of the file, collecting problems with their field paths."""

    def __init__(self, data: Any, path: str = "", problems: list[tuple[str, str]] | None = None):
        self.path = path
        self.problems = problems if problems is not None else []
        if not isinstance(data, dict):
            self.problem("", "应为“键: 值”形式的映射")
            data = {}
        self.data = data

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path and key else (key or self.path)

    def problem(self, key: str, message: str) -> None:
        self.problems.append((self.where(key), message))

    def child(self, key: str) -> _Reader:
        return _Reader(self.data.get(key), self.where(key), self.problems)

    def words(self, key: str, raw: Any = None) -> tuple[str, ...]:
        value = self.data.get(key) if raw is None else raw
        if not isinstance(value, list) or not value:
            self.problem(key, "应为非空的词语列表")
            return ()
        words = []
        for word in value:
            if isinstance(word, bool) or not isinstance(word, str | int) or not str(word).strip():
                self.problem(key, f"“{word}” 不是词语")
                continue
            words.append(str(word).strip())
        return tuple(dict.fromkeys(words))

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(key, "应为非空文字")
            return ""
        return "".join(value.split())

    def word_lists(self, key: str) -> tuple[tuple[str, ...], ...]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            self.problem(key, "应为词语列表的列表")
            return ()
        lists = []
        for index, group in enumerate(value):
            words = self.words(f"{key}[{index}]", group if isinstance(group, list) else [])
            if len(words) < 2:
                self.problem(f"{key}[{index}]", "一组同义说法至少要有两个词")
            lists.append(words)
        return tuple(lists)

    def mapping_of_lists(self, key: str) -> dict[str, tuple[str, ...]]:
        value = self.data.get(key)
        if not isinstance(value, dict) or not value:
            self.problem(key, "应为“名称: 词语列表”的映射")
            return {}
        return {str(name): self.words(f"{key}.{name}", words if isinstance(words, list) else [])
                for name, words in value.items()}
