"""Parsing the items of a module file into dataclasses, one problem per wrong field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from trainer.content.fields import Fields
from trainer.content.model import (
    BLANK,
    QUIZ_TYPES,
    STATUSES,
    Card,
    Checklist,
    ChecklistEntry,
    ChoiceQuestion,
    Dialogue,
    DialogueTurn,
    Drill,
    FillQuestion,
    Item,
    OrderingQuestion,
    PhraseItem,
    PhraseSpec,
    PlaceholderSpec,
    Question,
    Source,
    Step,
    TimeLimit,
    TrueFalseQuestion,
)
from trainer.content.placeholders import (
    NAME,
    STATION_PLACEHOLDERS,
    parse_placeholder,
    placeholder_names,
)

ITEM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMMON_FIELDS = ("id", "type", "status", "source", "restored", "seed_text", "rule_set")


@dataclass
class Context:
    """What parsing one file needs to know about the rest of the content."""

    documents: frozenset[str] | None  # None: the registry itself failed to load
    rule_sets: frozenset[str] | None
    default_status: str = "active"
    # Dialogue turns naming a phrase item, resolved once the whole file is read.
    references: list[tuple[Fields, str]] = field(default_factory=list)


# --- shared pieces -------------------------------------------------------------------------


def parse_source(fields: Fields, key: str, context: Context, default: Any = ...) -> Source:
    """`source: policy` or `source: {doc: <seed title>, clause: <number or first words>}`."""
    value = fields.raw(key) if default is ... else fields.raw(key, default)
    if value is None or isinstance(value, Source):
        return value or Source(None)
    if value == "policy":
        return Source(None)
    if not isinstance(value, dict):
        fields.problem(key, "应为 policy 或 {doc: 文件标题, clause: 条款}")
        return Source(None)
    source = fields.child(key, value)
    doc = source.text("doc")
    clause = source.text("clause")
    source.finish()
    if doc and context.documents is not None and doc not in context.documents:
        source.problem("doc", f"“{doc}” 不是 sources.yaml 中登记的种子文件标题")
    return Source(doc, clause)


def parse_rule_sets(fields: Fields, context: Context) -> tuple[str, ...]:
    """`rule_set: id` or a list of ids, each one that rule_sets.yaml defines."""
    ids = fields.texts("rule_set", (), allow_single=True)
    if context.rule_sets is not None:
        for rule_set in ids:
            if rule_set not in context.rule_sets:
                fields.problem("rule_set", f"没有 id 为 “{rule_set}” 的规则集(见 rule_sets.yaml)")
    return ids


def common(fields: Fields, context: Context) -> dict[str, Any]:
    """The fields every item has, ready to pass to its dataclass."""
    restored = fields.flag("restored")
    seed_text = fields.text("seed_text", "")
    if restored and not seed_text:
        fields.problem("seed_text", "restored: true 的条目要在 seed_text 中保留种子原文")
    if seed_text and not restored:
        fields.problem("restored", "有 seed_text 的条目应标明 restored: true")
    return {
        "id": fields.item_id,
        "status": fields.choice("status", STATUSES, context.default_status),
        "source": parse_source(fields, "source", context),
        "restored": restored,
        "seed_text": seed_text,
        "rule_sets": parse_rule_sets(fields, context),
    }


def parse_steps(fields: Fields, key: str, min_count: int = 2) -> tuple[Step, ...]:
    """Ordered steps `{id, text, safety_critical}` with unique ids."""
    steps: list[Step] = []
    for index, raw in enumerate(fields.mappings(key)):
        step = fields.child(f"{key}[{index}]", raw)
        step_id = step.text("id")
        if step_id and not ITEM_ID.match(step_id):
            step.problem("id", "步骤 id 只能用小写字母、数字和连字符")
        if step_id in {s.id for s in steps}:
            step.problem("id", f"步骤 id “{step_id}” 重复")
        steps.append(Step(step_id, step.text("text"), step.flag("safety_critical")))
        step.finish()
    if len(steps) < min_count:
        fields.problem(key, f"至少需要 {min_count} 个步骤")
    return tuple(steps)


# --- phrase specs --------------------------------------------------------------------------

SPEC_FIELDS = ("expected", "placeholders", "key_points", "extra_forbidden", "time_limits")


def parse_phrase_spec(fields: Fields, prompt_texts: tuple[str, ...] = ()) -> PhraseSpec:
    """`expected`, `placeholders`, `key_points` and `extra_forbidden` of a phrase or a turn.

    `prompt_texts` (situation, customer line) may use placeholders too; they get filled with
    the same values so the prompt and the expected answer agree.
    """
    expected = fields.texts("expected")
    declared: dict[str, PlaceholderSpec] = {}
    raw_specs = fields.raw("placeholders", {})
    if not isinstance(raw_specs, dict):
        fields.problem("placeholders", "应为“名称: 说明”形式的映射")
        raw_specs = {}
    for name, raw in raw_specs.items():
        if not NAME.match(str(name)):
            fields.problem(f"placeholders.{name}", "占位符名称只能用小写字母和下划线")
            continue
        spec = parse_placeholder(fields.child(f"placeholders.{name}", raw), str(name))
        if spec is not None:
            declared[str(name)] = spec
    key_points = _parse_key_points(fields)
    extra_forbidden = fields.texts("extra_forbidden", ())
    time_limits = fields.texts("time_limits", ())

    used = placeholder_names(expected + prompt_texts)
    placeholders: dict[str, PlaceholderSpec] = {}
    for name in used:
        if name in declared:
            placeholders[name] = declared[name]
        elif name in STATION_PLACEHOLDERS:
            placeholders[name] = STATION_PLACEHOLDERS[name]
        elif name not in raw_specs:
            fields.problem("expected", f"未知占位符 {{{name}}}:请在 placeholders 中说明它的类型")
    in_answers = placeholder_names(expected)
    for name in raw_specs:
        if name not in used:
            fields.problem(f"placeholders.{name}", f"声明了占位符 {{{name}}} 但没有用到")
    for name in placeholder_names(sum(key_points, ())):
        fields.problem("key_points", f"要点里不能用占位符 {{{name}}}:占位符由标准用语本身核对")
    for index, phrase in enumerate(expected):
        for point in key_points:
            if not any(alternative in phrase for alternative in point):
                fields.problem(f"expected[{index}]",
                               f"标准用语 “{phrase}” 不含要点 “{'/'.join(point)}”,会被判为不通过")
        # Every phrasing must check the amounts; a name may be left out by a phrasing that
        # does not mention it (请稍候,我帮您去找 beside 对不起,{colleague}不在).
        strict = [n for n in in_answers if placeholders.get(n) and placeholders[n].kind == "amount"]
        missing = [n for n in strict if f"{{{n}}}" not in phrase]
        if missing and len(expected) > 1:
            fields.problem(f"expected[{index}]",
                           f"标准用语 “{phrase}” 缺少占位符 {{{missing[0]}}},各说法应核对同样的信息")
    return PhraseSpec(expected, placeholders, key_points, extra_forbidden, time_limits,
                      tuple(t for t in prompt_texts if t))


def _parse_key_points(fields: Fields) -> tuple[tuple[str, ...], ...]:
    points: list[tuple[str, ...]] = []
    for index, raw in enumerate(fields.mappings("key_points", [])):
        alternatives = [raw] if isinstance(raw, str) else raw
        if not isinstance(alternatives, list) or not alternatives or not all(
                isinstance(a, str) and a.strip() for a in alternatives):
            fields.problem(f"key_points[{index}]", "要点应为文字,或同义说法的文字列表")
            continue
        points.append(tuple(a.strip() for a in alternatives))
    return tuple(points)


# --- item kinds ----------------------------------------------------------------------------


def parse_card(fields: Fields, context: Context) -> Card:
    """A study card: `title` and `body`."""
    card = Card(**common(fields, context), title=fields.text("title"), body=fields.text("body"))
    fields.finish(COMMON_FIELDS)
    return card


def parse_question(fields: Fields, context: Context) -> Question | None:
    """A quiz question of any QUIZ_TYPES, with `prompt` and `explanation`."""
    kind = fields.choice("type", QUIZ_TYPES)
    base = {**common(fields, context), "type": kind, "prompt": fields.text("prompt"),
            "explanation": fields.text("explanation")}
    question: Question | None = None
    if kind in ("single", "multiple"):
        question = _parse_choice(fields, base, kind)
    elif kind == "truefalse":
        question = TrueFalseQuestion(**base, answer=fields.flag("answer"))
        if not isinstance(fields.data.get("answer"), bool):
            fields.problem("answer", "判断题的 answer 应为 true 或 false")
    elif kind == "ordering":
        question = OrderingQuestion(**base, steps=parse_steps(fields, "steps", 3))
    elif kind == "fill":
        text = fields.text("text")
        if text and text.count(BLANK) != 1:
            fields.problem("text", f"填空题的 text 要有且只有一个空位 {BLANK}")
        question = FillQuestion(**base, text=text, accepted=fields.texts("accepted"))
    fields.finish(COMMON_FIELDS)
    return question


def _parse_choice(fields: Fields, base: dict[str, Any], kind: str) -> ChoiceQuestion:
    options = fields.texts("options", min_count=3 if kind == "single" else 4)
    if len(set(options)) != len(options):
        fields.problem("options", "选项有重复")
    answers: tuple[str, ...]
    if kind == "single":
        answers = (fields.text("answer"),)
    else:
        answers = fields.texts("answers", min_count=2)
        if options and len(answers) >= len(options):
            fields.problem("answers", "多选题不能所有选项都正确")
    for answer in answers:
        if answer and answer not in options:
            fields.problem("answer" if kind == "single" else "answers",
                           f"正确答案 “{answer}” 不在选项中")
    return ChoiceQuestion(**base, options=options, answers=answers)


def parse_phrase(fields: Fields, context: Context) -> PhraseItem:
    """A role-play phrase item."""
    situation = fields.text("situation")
    customer = fields.text("customer", "")
    item = PhraseItem(
        **common(fields, context),
        scene=fields.text("scene"),
        situation=situation,
        customer=customer,
        spec=parse_phrase_spec(fields, (situation, customer)),
        explanation=fields.text("explanation"),
    )
    fields.finish(COMMON_FIELDS)
    return item


def parse_dialogue(fields: Fields, context: Context) -> Dialogue:
    """A multi-turn role-play; turns naming a phrase item are resolved by the loader."""
    situation = fields.text("situation")
    turns: list[DialogueTurn] = []
    for index, raw in enumerate(fields.mappings("turns")):
        turn = fields.child(f"turns[{index}]", raw)
        customer = turn.text("customer", "")
        cue = turn.text("cue", "")
        on_wrong = turn.text("on_wrong", "")
        if turn.has("phrase"):
            reference = turn.text("phrase")
            for key in SPEC_FIELDS:
                if turn.has(key):
                    turn.problem(key, "引用了 phrase 的轮次不能再写自己的用语")
            turn.used.update(SPEC_FIELDS)
            context.references.append((turn, reference))
            spec = PhraseSpec(())
        else:
            reference = None
            spec = parse_phrase_spec(turn, (situation, customer, cue))
        turn.finish()
        turns.append(DialogueTurn(customer, spec, cue, reference, on_wrong))
    if len(turns) < 2:
        fields.problem("turns", "多轮对话至少需要 2 轮")
    dialogue = Dialogue(**common(fields, context), title=fields.text("title"),
                        situation=situation, turns=tuple(turns),
                        explanation=fields.text("explanation"))
    fields.finish(COMMON_FIELDS)
    return dialogue


def parse_checklist(fields: Fields, context: Context) -> Checklist:
    """An observed checklist; entries without a source inherit the checklist's."""
    base = common(fields, context)
    entries: list[ChecklistEntry] = []
    for index, raw in enumerate(fields.mappings("entries")):
        entry = fields.child(f"entries[{index}]", raw)
        entry_id = entry.text("id")
        if entry_id in {e.id for e in entries}:
            entry.problem("id", f"检查项 id “{entry_id}” 重复")
        entries.append(ChecklistEntry(entry_id, entry.text("text"),
                                      parse_source(entry, "source", context, base["source"]),
                                      entry.flag("critical")))
        entry.finish()
    if len(entries) < 3:
        fields.problem("entries", "检查表至少需要 3 个检查项")
    checklist = Checklist(**base, title=fields.text("title"),
                          instructions=fields.text("instructions"), entries=tuple(entries),
                          pass_percent=fields.number("pass_percent", 80, integer=True,
                                                     minimum=1) or 80)
    fields.finish(COMMON_FIELDS)
    return checklist


def parse_drill(fields: Fields, context: Context) -> Drill:
    """A timed drill: steps and time limits between them."""
    base = common(fields, context)
    steps = parse_steps(fields, "steps", 3)
    position = {step.id: index for index, step in enumerate(steps)}
    limits: list[TimeLimit] = []
    for index, raw in enumerate(fields.mappings("limits")):
        limit = fields.child(f"limits[{index}]", raw)
        start, end = limit.text("start"), limit.text("end")
        for key, step_id in (("start", start), ("end", end)):
            if step_id and step_id not in position:
                limit.problem(key, f"没有 id 为 “{step_id}” 的步骤")
        if start in position and end in position and position[start] >= position[end]:
            limit.problem("end", "计时终点必须在起点之后")
        limits.append(TimeLimit(limit.text("id"), limit.text("title"), start, end,
                                limit.number("seconds", integer=True, minimum=1) or 0,
                                parse_source(limit, "source", context, base["source"]),
                                parse_rule_sets(limit, context)))
        limit.finish()
    if not limits:
        fields.problem("limits", "计时演练至少需要一个时限")
    drill = Drill(**base, title=fields.text("title"), instructions=fields.text("instructions"),
                  steps=steps, limits=tuple(limits))
    fields.finish(COMMON_FIELDS)
    return drill


SECTIONS = {
    "cards": ("card", parse_card),
    "questions": (None, parse_question),
    "phrases": ("phrase", parse_phrase),
    "dialogues": ("dialogue", parse_dialogue),
    "checklists": ("checklist", parse_checklist),
    "drills": ("drill", parse_drill),
}


def identified(fields: Fields, section: str, ids: dict[str, str], *, required: bool = False
               ) -> Iterator[Fields]:
    """The entries of a list section, each as Fields reported under its own id, after checking
    the id is present, well-formed and unused; `ids` maps every id seen so far to its file."""
    for index, raw in enumerate(fields.mappings(section) if required
                                else fields.mappings(section, [])):
        item_id = str(raw.get("id") or "") if isinstance(raw, dict) else ""
        item = fields.child(section, raw, item_id or f"{section}[{index}]")
        item.used.add("id")
        if not item_id:
            item.problem("id", "缺少必填字段")
        elif not ITEM_ID.match(item_id):
            item.problem("id", "id 只能用小写字母、数字和连字符，例如 sl-greet")
        elif item_id in ids:
            item.problem("id", f"id “{item_id}” 重复（已在 {ids[item_id]} 中使用）")
        else:
            ids[item_id] = fields.file
        yield item


def parse_section(fields: Fields, section: str, context: Context, ids: dict[str, str]
                  ) -> list[Item]:
    """All items of one section of a module file; `ids` maps every id seen so far to its file."""
    item_type, parse = SECTIONS[section]
    items: list[Item] = []
    for item in identified(fields, section, ids):
        if item_type and item.has("type") and item.data["type"] != item_type:
            item.problem("type", f"{section} 里的条目类型应为 {item_type}")
        parsed = parse(item, context)
        if parsed is not None and item.valid:
            items.append(parsed)
    return items
