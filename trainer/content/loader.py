"""Loading and validating a content directory, with every problem reported at once."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from trainer.content.fields import Fields
from trainer.content.files import (
    KINDS,
    ParsedModule,
    parse_documents,
    parse_forbidden,
    parse_language,
    parse_module,
    parse_remark_examples,
    parse_rule_set_file,
)
from trainer.content.items import SECTIONS, Context
from trainer.content.library import ContentLibrary
from trainer.content.model import (
    Dialogue,
    ForbiddenFamily,
    ForbiddenPhrase,
    PhraseItem,
    PlaceholderSpec,
    RuleSet,
)
from trainer.content.overrides import Overrides, apply_overrides, fingerprint
from trainer.content.placeholders import STATION_PLACEHOLDERS, placeholder_names
from trainer.content.problems import ContentError, Problem
from trainer.content.yaml_files import content_hash, parse_yaml

_cache: dict[tuple[Path, str], tuple[Any, ContentLibrary]] = {}
_CACHE_SIZE = 4
_cache_lock = threading.Lock()


def load_content(directory: Path | str, overrides: Overrides | None = None) -> ContentLibrary:
    """Load and validate every YAML file of `directory`, with the admin's corrections
    (`overrides`, {item_id: {yaml_key: value}}) replacing the files' keys first.

    Raises ContentError listing every problem. The result is cached until a file is added,
    removed or modified (by name, size and mtime) or the overrides change, so callers may load
    on every request.
    """
    directory = Path(directory).resolve()
    state, name = _directory_state(directory), (directory, fingerprint(overrides))
    with _cache_lock:
        cached = _cache.get(name)
        if cached is not None and cached[0] == state:
            return cached[1]
    library, problems = _load(directory, overrides)
    if problems:
        raise ContentError(problems)
    assert library is not None  # _load gives a library whenever it finds no problem
    with _cache_lock:
        # A few versions side by side (the files alone, with the corrections in force, a
        # correction being checked); the oldest goes first.
        while len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[name] = (state, library)
    return library


def check_content(directory: Path | str, overrides: Overrides | None = None) -> list[Problem]:
    """Every problem of the content directory (with the overrides); empty when it is valid
    (`content check`)."""
    try:
        load_content(directory, overrides)
    except ContentError as error:
        return error.problems
    return []


def _content_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _directory_state(directory: Path) -> Any:
    if not directory.is_dir():
        return None
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                 for p in _content_files(directory))


def _load(directory: Path, overrides: Overrides | None = None
          ) -> tuple[ContentLibrary | None, list[Problem]]:
    if not directory.is_dir():
        return None, [Problem(str(directory), "", "", "培训内容目录不存在")]
    problems: list[Problem] = []
    by_kind: dict[str, list[tuple[Fields, Any]]] = {kind: [] for kind in KINDS}
    for path in _content_files(directory):
        text = path.read_text(encoding="utf-8-sig")
        data, file_problems = parse_yaml(text, path.name)
        problems.extend(file_problems)
        if data is None and file_problems:
            continue
        if isinstance(data, dict) and data.get("kind") == "module":
            data = apply_overrides(data, overrides)
        fields = Fields(data, problems, path.name)
        kind = fields.text("kind") if fields.valid else ""
        if kind and kind not in KINDS:
            fields.problem("kind", f"未知文件类型 “{kind}”({'、'.join(KINDS)})")
        elif kind:
            by_kind[kind].append((fields, data))

    for kind in ("sources", "rule_sets", "language", "remark_examples"):
        if len(by_kind[kind]) != 1:
            file = {"remark_examples": "remarks.yaml"}.get(kind, f"{kind}.yaml")
            problems.append(Problem(file, "", "kind", f"需要且只需要一个 kind: {kind} 的文件"))
    documents = [d for fields, _ in by_kind["sources"] for d in parse_documents(fields)]
    context = Context(frozenset(d.title for d in documents) if by_kind["sources"] else None, None)
    topics: dict[str, str] = {}
    rule_sets: list[RuleSet] = []
    for fields, _ in by_kind["rule_sets"]:
        topics, rule_sets = parse_rule_set_file(fields, context)
    rule_set_ids = frozenset(r.id for r in rule_sets) if by_kind["rule_sets"] else None

    language = None
    for fields, data in by_kind["language"]:
        language = parse_language(fields, data)
    tone = None
    for fields, data in by_kind["remark_examples"]:
        tone = parse_remark_examples(fields, data)
    ids: dict[str, str] = {}
    forbidden: list[ForbiddenPhrase] = []
    families: list[ForbiddenFamily] = []
    for fields, _ in by_kind["forbidden"]:
        phrases, kinds = parse_forbidden(fields, ids)
        forbidden += phrases
        families += kinds
    if not forbidden:
        problems.append(Problem("forbidden.yaml", "", "", "缺少服务忌语清单(kind: forbidden)"))

    parsed: list[ParsedModule] = []
    raw_files = {fields.file: data for fields, data in by_kind["module"]}
    for fields, data in by_kind["module"]:
        module_context = Context(context.documents, rule_set_ids)
        parsed.append(parse_module(fields, module_context, ids, content_hash(data)))
    if not parsed:
        problems.append(Problem(directory.name, "", "", "没有找到任何培训模块(kind: module)"))
    modules = _resolve_references(parsed, raw_files, problems)
    _check_module_ids(modules, problems)
    _check_forbidden_in_phrases(modules, forbidden, problems)
    if language is not None:
        _check_time_limits(modules, language, problems)
    if problems or language is None:
        return None, problems

    modules.sort(key=lambda m: (m.module.order, m.module.id))
    library = ContentLibrary(
        directory=directory,
        modules=tuple(p.module for p in modules),
        forbidden=tuple(forbidden),
        forbidden_version=content_hash([data for _, data in by_kind["forbidden"]]),
        families=tuple(families),
        language=language,
        language_version=content_hash([data for _, data in by_kind["language"]]
                                      + [data for _, data in by_kind["remark_examples"]]),
        tone=tone,
        rule_sets=tuple(rule_sets),
        topics=topics,
        documents=tuple(documents),
        _items={item.id: (item, p.module) for p in modules for item in p.module.items()},
    )
    return library, []


def _resolve_references(parsed: list[ParsedModule], raw_files: dict[str, Any],
                        problems: list[Problem]) -> list[ParsedModule]:
    """Give dialogue turns that name a phrase item that item's spec, and every dialogue the
    placeholders its prompts and turns use.

    A module whose dialogues use another module's phrase items gets a version covering those
    items too, so an attempt's version still says exactly what it was scored against.
    """
    phrases = {item.id: (item, p.module.file) for p in parsed for item in p.module.phrases}
    raw_items = {raw["id"]: raw for data in raw_files.values() if isinstance(data, dict)
                 for section in SECTIONS if isinstance(data.get(section), list)
                 for raw in data[section] if isinstance(raw, dict) and raw.get("id")}
    result = []
    for module_parsed in parsed:
        module = module_parsed.module
        resolved: dict[tuple[str, str], PhraseItem] = {}
        for turn_fields, reference in module_parsed.context.references:
            if reference in phrases:
                resolved[(turn_fields.item_id, reference)] = phrases[reference][0]
            else:
                turn_fields.problem("phrase", f"没有 id 为 “{reference}” 的用语条目")
        dialogues = tuple(_resolve_dialogue(d, resolved, module.file, problems)
                          for d in module.dialogues)
        external = sorted({ref for (_, ref) in resolved if phrases[ref][1] != module.file})
        version = module.version
        if external:
            version = content_hash([raw_files[module.file], [raw_items[i] for i in external]])
        result.append(ParsedModule(replace(module, dialogues=dialogues, version=version),
                                   module_parsed.context))
    return result


def _resolve_dialogue(dialogue: Dialogue, resolved: dict[tuple[str, str], PhraseItem],
                      file: str, problems: list[Problem]) -> Dialogue:
    turns = tuple(
        replace(turn, spec=resolved[(dialogue.id, turn.phrase_id)].spec)  # type: ignore[index]
        if (dialogue.id, turn.phrase_id) in resolved else turn
        for turn in dialogue.turns
    )
    placeholders: dict[str, PlaceholderSpec] = {}
    for turn in turns:
        for name, spec in turn.spec.placeholders.items():
            placeholders.setdefault(name, spec)
    prompts = ([dialogue.situation] + [t.customer for t in turns] + [t.cue for t in turns]
               + [t.on_wrong for t in turns])
    for name in placeholder_names(prompts):
        if name in STATION_PLACEHOLDERS:
            placeholders.setdefault(name, STATION_PLACEHOLDERS[name])
        elif name not in placeholders:
            problems.append(Problem(file, dialogue.id, "turns",
                                    f"未知占位符 {{{name}}}:提示里的占位符要在某一轮的用语中说明"))
    return replace(dialogue, turns=turns, placeholders=placeholders)


def _check_module_ids(modules: list[ParsedModule], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for parsed in modules:
        module = parsed.module
        if module.id in seen:
            problems.append(Problem(module.file, module.id, "id",
                                    f"模块 id 与 {seen[module.id]} 重复"))
        seen[module.id] = module.file


def _check_forbidden_in_phrases(modules: list[ParsedModule], forbidden: list[ForbiddenPhrase],
                                problems: list[Problem]) -> None:
    """An approved phrasing that contains a 忌语 could never pass: report it."""
    words = [(p.text, w) for p in forbidden for w in (p.text, *p.variants)]
    for parsed in modules:
        module = parsed.module
        specs = [(item.id, "expected", item.spec) for item in module.phrases]
        specs += [(d.id, f"turns[{n}].expected", turn.spec)
                  for d in module.dialogues for n, turn in enumerate(d.turns)
                  if turn.phrase_id is None]
        for item_id, field_name, spec in specs:
            for phrase in spec.expected:
                extra = [(w, w) for w in spec.extra_forbidden]
                for text, word in words + extra:
                    if word in phrase:
                        problems.append(Problem(module.file, item_id, field_name,
                                                f"标准用语 “{phrase}” 含有忌语 “{text}”"))



def _check_time_limits(modules: list[ParsedModule], language: Any,
                       problems: list[Problem]) -> None:
    """A declared time limit must be readable and be the one every phrasing promises."""
    from trainer.scoring.textnorm import prepare
    from trainer.scoring.timelimits import parse_limit

    for parsed in modules:
        module = parsed.module
        specs = [(item.id, "time_limits", item.spec) for item in module.phrases]
        specs += [(d.id, f"turns[{n}].time_limits", turn.spec)
                  for d in module.dialogues for n, turn in enumerate(d.turns)
                  if turn.phrase_id is None]
        for item_id, field_name, spec in specs:
            for text in spec.time_limits:
                try:
                    limit = parse_limit(text, language)
                except ValueError as exc:
                    problems.append(Problem(module.file, item_id, field_name, str(exc)))
                    continue
                for phrase in spec.expected:
                    if limit.check(prepare(phrase), language) is not None:
                        problems.append(Problem(module.file, item_id, field_name,
                                                f"标准用语 “{phrase}” 说的不是时限 {limit.text}"))
