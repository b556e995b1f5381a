"""Parsing whole content files by their `kind`: module, forbidden, sources, rule_sets,
language."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.fields import Fields
from trainer.content.items import (
    ITEM_ID,
    SECTIONS,
    Context,
    identified,
    parse_section,
    parse_source,
)
from trainer.content.model import (
    GRADING_METHODS,
    MODES,
    POSTS,
    STATUSES,
    AttemptPolicy,
    Document,
    ForbiddenFamily,
    ForbiddenPhrase,
    Module,
    RuleSet,
)

KINDS = ("module", "forbidden", "sources", "rule_sets", "language", "remark_examples")


@dataclass
class ParsedModule:
    """A module as parsed from its file, with what cross-file checks still need."""

    module: Module
    context: Context


def parse_documents(fields: Fields) -> list[Document]:
    """sources.yaml: the seed documents items may cite, by their exact titles."""
    documents: list[Document] = []
    for index, raw in enumerate(fields.mappings("documents")):
        doc = fields.child(f"documents[{index}]", raw)
        title = doc.text("title")
        if title in {d.title for d in documents}:
            doc.problem("title", f"文件 “{title}” 重复登记")
        documents.append(Document(title, doc.text("issuer", ""), doc.text("note", "")))
        doc.finish()
    fields.finish(("kind",))
    return documents


def parse_rule_set_file(fields: Fields, context: Context) -> tuple[dict[str, str], list[RuleSet]]:
    """rule_sets.yaml: the topics where companies differ, and each company's rule set."""
    topics = fields.raw("topics")
    if not isinstance(topics, dict) or not topics:
        fields.problem("topics", "应为“主题 id: 中文名称”的映射")
        topics = {}
    topics = {str(key): str(value) for key, value in topics.items()}
    rule_sets: list[RuleSet] = []
    for rule in identified(fields, "rule_sets", {}, required=True):
        includes = rule.texts("includes", ())
        # A combination decides no topic itself: the rule sets it includes do.
        topic = rule.text("topic", "") if includes else rule.text("topic")
        if topic and includes:
            rule.problem("topic", "组合规则集（有 includes）不写 topic")
        elif topic and topic not in topics:
            rule.problem("topic", f"没有登记主题 “{topic}”")
        rule_sets.append(RuleSet(rule.item_id, rule.text("title"), topic,
                                 parse_source(rule, "source", context), rule.text("summary", ""),
                                 includes))
        rule.finish()
    _check_includes(fields, rule_sets)
    fields.finish(("kind",))
    return topics, rule_sets


def _check_includes(fields: Fields, rule_sets: list[RuleSet]) -> None:
    by_id = {r.id: r for r in rule_sets}
    for rule in rule_sets:
        unknown = [i for i in rule.includes if i not in by_id]
        for missing in unknown:
            fields.child("", {}, rule.id).problem("includes", f"没有 id 为 “{missing}” 的规则集")
        if unknown:
            continue
        closure = rule_set_closure(rule.id, by_id)
        topics = [by_id[i].topic for i in closure if by_id[i].topic]
        clash = {t for t in topics if topics.count(t) > 1}
        if clash:
            fields.child("", {}, rule.id).problem(
                "includes", f"同一主题({'、'.join(sorted(clash))})只能选一个规则集")


def rule_set_closure(rule_set_id: str, by_id: dict[str, RuleSet]) -> frozenset[str]:
    """The rule set and every rule set it includes, directly or not."""
    seen: set[str] = set()
    pending = [rule_set_id]
    while pending:
        current = pending.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        pending.extend(by_id[current].includes)
    return frozenset(seen)


def parse_forbidden(fields: Fields, ids: dict[str, str]
                    ) -> tuple[list[ForbiddenPhrase], list[ForbiddenFamily]]:
    """forbidden.yaml: the global 服务忌语 list with variants, and the families of 忌语 as
    patterns, each checked against its own examples (ids share the items' namespace)."""
    if fields.raw("source", "policy") != "policy":
        fields.problem("source", "服务忌语清单的来源应为 policy")
    phrases: list[ForbiddenPhrase] = []
    for entry in identified(fields, "items", ids, required=True):
        phrases.append(ForbiddenPhrase(entry.item_id, entry.text("text"),
                                       entry.texts("variants", ())))
        entry.finish()
    families: list[ForbiddenFamily] = []
    for entry in identified(fields, "families", ids):
        family = ForbiddenFamily(entry.item_id, entry.text("label"), entry.texts("patterns"),
                                 entry.texts("harmless", ()), entry.texts("examples", ()),
                                 entry.texts("not_examples", ()))
        if _check_family(entry, family):
            families.append(family)
        entry.finish()
    fields.finish(("kind",))
    return phrases, families


def _check_family(fields: Fields, family: ForbiddenFamily) -> bool:
    """Compile the family's patterns and try its examples; False when it cannot be used."""
    from trainer.scoring.forbidden import Family, ForbiddenMatcher
    from trainer.scoring.patterns import PatternError

    try:
        matcher = ForbiddenMatcher([], [Family.compile(family.id, family.label, family.patterns,
                                                       family.harmless)])
    except PatternError as exc:
        fields.problem("patterns", str(exc))
        return False
    for example in family.examples:
        if not matcher.find(example, spoken=False):
            fields.problem("examples", f"例句 “{example}” 没有被这些模式认出")
    for example in family.not_examples:
        if matcher.find(example, spoken=False):
            fields.problem("not_examples", f"无害的例句 “{example}” 被误认成了忌语")
    return True


def parse_remark_examples(fields: Fields, data: object) -> object | None:
    """remarks.yaml: labelled added remarks the scoring engine learns their tone from."""
    from trainer.scoring.tone import from_mapping

    for key in ("source", "threshold", "rude", "kind_remarks"):
        fields.raw(key, None)
    fields.finish(("kind",))
    try:
        return from_mapping(data)
    except ValueError as error:
        fields.problem("", str(error))
        return None


def parse_language(fields: Fields, data: object) -> object | None:
    """language.yaml: the language rules of the scoring engine (trainer.scoring.language)."""
    from trainer.scoring.language import Language, LanguageError

    if fields.raw("source", "policy") != "policy":
        fields.problem("source", "语言规则的来源应为 policy")
    try:
        return Language.from_mapping(data)
    except LanguageError as error:
        for path, message in error.problems:
            fields.problem(path, message)
        return None


def parse_module(fields: Fields, context: Context, ids: dict[str, str], version: str
                 ) -> ParsedModule:
    """A module file: its header, attempt policy and every section of items."""
    module_id = fields.text("id")
    if module_id and not ITEM_ID.match(module_id):
        fields.problem("id", "模块 id 只能用小写字母、数字和连字符")
    context.default_status = fields.choice("status", STATUSES, "active")
    posts = fields.texts("posts")
    for post in posts:
        if post not in POSTS.values():
            fields.problem("posts", f"“{post}” 不是岗位({'、'.join(POSTS.values())})")
    sections = {name: parse_section(fields, name, context, ids) for name in SECTIONS}
    module = Module(
        id=module_id,
        title=fields.text("title"),
        summary=fields.text("summary"),
        order=fields.number("order", integer=True, minimum=1) or 0,
        posts=posts,
        required=fields.flag("required"),
        version=version,
        file=fields.file,
        policy=_parse_policy(fields.child("policy", fields.raw("policy", {}))),
        **{name: tuple(items) for name, items in sections.items()},  # type: ignore[arg-type]
    )
    fields.finish(("kind",))
    return ParsedModule(module, context)


def _parse_policy(fields: Fields) -> AttemptPolicy:
    defaults = AttemptPolicy()
    policy = AttemptPolicy(
        mode=fields.choice("mode", MODES, defaults.mode),
        attempts=fields.number("attempts", defaults.attempts, integer=True, minimum=1),
        time_limit_minutes=fields.number("time_limit_minutes", None, integer=True, minimum=1),
        grading=fields.choice("grading", GRADING_METHODS, defaults.grading),
        pass_percent=fields.number("pass_percent", defaults.pass_percent, integer=True,
                                   minimum=1),
    )
    fields.finish()
    return policy
