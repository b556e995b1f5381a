"""The loaded content as the web layer uses it: modules, items by id, rule sets, 忌语."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.content.files import rule_set_closure
from trainer.content.model import (
    POSTS,
    Document,
    ForbiddenPhrase,
    Item,
    Module,
    PhraseItem,
    PhraseSpec,
    RuleSet,
)


@dataclass(frozen=True)
class ContentLibrary:
    """Every module and shared list of one content directory, validated."""

    directory: Path
    modules: tuple[Module, ...]  # in curriculum order (`order`, then id)
    forbidden: tuple[ForbiddenPhrase, ...]
    forbidden_version: str
    rule_sets: tuple[RuleSet, ...]
    topics: Mapping[str, str]
    documents: tuple[Document, ...]
    _items: Mapping[str, tuple[Item, Module]] = field(repr=False, compare=False)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def module(self, module_id: str) -> Module:
        """The module with this id; KeyError when there is none."""
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(f"没有 id 为 “{module_id}” 的培训模块")

    def item(self, item_id: str) -> Item:
        """The item (card, question, phrase, dialogue, checklist, drill) with this id."""
        if item_id not in self._items:
            raise KeyError(f"没有 id 为 “{item_id}” 的培训条目")
        return self._items[item_id][0]

    def module_of(self, item_id: str) -> Module:
        """The module an item belongs to (its version is what an attempt records)."""
        self.item(item_id)
        return self._items[item_id][1]

    def rule_set(self, rule_set_id: str) -> RuleSet:
        """The rule set with this id; KeyError when there is none."""
        for rule_set in self.rule_sets:
            if rule_set.id == rule_set_id:
                return rule_set
        raise KeyError(f"没有 id 为 “{rule_set_id}” 的规则集")

    def rule_set_ids(self, rule_set_id: str | None) -> frozenset[str] | None:
        """The rule set a station chose plus those it includes (None when it chose none)."""
        if not rule_set_id:
            return None
        self.rule_set(rule_set_id)
        return rule_set_closure(rule_set_id, {r.id: r for r in self.rule_sets})

    def modules_for_post(self, post: str, rule_set: str | None) -> tuple[Module, ...]:
        """The modules assigned to a job post (code or Chinese label), each holding only the
        items a station under `rule_set` teaches."""
        if POSTS.get(post, post) not in POSTS.values():
            raise KeyError(f"没有岗位 “{post}”")
        ids = self.rule_set_ids(rule_set)
        return tuple(m.for_rule_sets(ids) for m in self.modules if m.for_post(post))

    def forbidden_matcher(self) -> Any:
        """The scoring engine's matcher for the global 服务忌语 list (built once)."""
        if "matcher" not in self._cache:
            from trainer.scoring import ForbiddenMatcher  # lazily: content loads without it

            self._cache["matcher"] = ForbiddenMatcher(
                [(phrase.text, phrase.variants) for phrase in self.forbidden])
        return self._cache["matcher"]

    def compile(self, target: PhraseItem | PhraseSpec) -> Any:
        """The scoring engine's CompiledItem for a phrase item or a dialogue turn's spec, with
        the global 服务忌语 list; compiled once per spec of this library."""
        from trainer.content.scoring_bridge import compile_spec

        spec = target.spec if isinstance(target, PhraseItem) else target
        # Specs hold a dict and are not hashable; they live as long as the library, so their
        # identity is a safe key (the spec is kept in the entry, so its id is never reused).
        key = ("compiled", id(spec))
        entry = self._cache.get(key)
        if entry is None or entry[0] is not spec:
            entry = self._cache[key] = (spec, compile_spec(spec, self.forbidden_matcher()))
        return entry[1]
