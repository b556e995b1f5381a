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
    ForbiddenFamily,
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
    families: tuple[ForbiddenFamily, ...] = ()
    language: Any = None  # trainer.scoring.language.Language (content/language.yaml)
    language_version: str = ""  # of language.yaml and remarks.yaml together
    tone: Any = None  # trainer.scoring.tone.ToneModel (content/remarks.yaml)
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
            from trainer.scoring.forbidden import Family, ForbiddenMatcher

            self._cache["matcher"] = ForbiddenMatcher(
                [(phrase.text, phrase.variants) for phrase in self.forbidden],
                [Family.compile(f.id, f.label, f.patterns, f.harmless) for f in self.families])
        return self._cache["matcher"]

    def vocabulary(self) -> frozenset[str]:
        """Words of service talk in this content (built once): the approved phrasings, and the
        cards, situations, cues and explanations a trainee reads. An added remark made only of
        them is neutral. Words of the 忌语 list and its families are left out."""
        if "vocabulary" not in self._cache:
            self._cache["vocabulary"] = self.words() - _rude_words(self)
        return self._cache["vocabulary"]

    def words(self) -> frozenset[str]:
        """Every word of this content (built once): the vocabulary before the words of the
        忌语 list and its examples are taken out (加气站, of 到别的加气站去, stays). The
        context check of recognition uses it: a word of it heard was said, not misheard."""
        if "words" not in self._cache:
            self._cache["words"] = _words(self)
        return self._cache["words"]

    def known_names(self) -> tuple[str, ...]:
        """Station names the content knows of (examples of name placeholders)."""
        names: list[str] = []
        for spec in self.specs():
            for placeholder in spec.placeholders.values():
                if placeholder.kind == "name" and "station" in placeholder.name:
                    names.extend(placeholder.examples)
        return tuple(dict.fromkeys(names))

    def specs(self) -> list[PhraseSpec]:
        """Every phrase spec: phrase items and the dialogue turns with their own phrasing."""
        from trainer.content.model import Dialogue

        found: list[PhraseSpec] = []
        for module in self.modules:
            for item in module.items():
                if isinstance(item, PhraseItem):
                    found.append(item.spec)
                elif isinstance(item, Dialogue):
                    found.extend(t.spec for t in item.turns if t.phrase_id is None)
        return found

    def spec_for(self, item_id: str, turn: int | None = None) -> PhraseSpec:
        """The spec of a phrase item, or of turn `turn` (counted from 1) of a dialogue;
        KeyError (Chinese message) when there is none."""
        from trainer.content.model import Dialogue

        item = self.item(item_id)
        if isinstance(item, PhraseItem):
            if turn is not None:
                raise KeyError(f"“{item_id}” 是单句用语,没有第 {turn} 轮")
            return item.spec
        if isinstance(item, Dialogue):
            if turn is None:
                raise KeyError(f"“{item_id}” 是多轮对话,需要指明 turn(从 1 数起)")
            if not 1 <= turn <= len(item.turns):
                raise KeyError(f"对话 “{item_id}” 只有 {len(item.turns)} 轮,没有第 {turn} 轮")
            return item.turns[turn - 1].spec
        raise KeyError(f"“{item_id}” 不是用语或对话条目")

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
            entry = self._cache[key] = (spec, compile_spec(
                spec, self.forbidden_matcher(), self.language, self.vocabulary(),
                self.known_names(), self.tone))
        return entry[1]


def _words(library: ContentLibrary) -> frozenset[str]:
    from trainer.content.model import Card, Checklist, Dialogue, Question
    from trainer.scoring.keypoints import phrase_words, segment
    from trainer.scoring.placeholders import without_placeholders
    from trainer.scoring.textnorm import prepare_cached

    words: set[str] = set()
    for spec in library.specs():
        for template in spec.expected:
            found = phrase_words(without_placeholders(template))
            words.update(found.content + found.generic + found.courtesy)
    texts: list[str] = []
    for module in library.modules:
        texts.append(module.summary)
        for item in module.items():
            if isinstance(item, Card):
                texts += [item.title, item.body]
            elif isinstance(item, PhraseItem):
                texts += [item.situation, item.explanation]
            elif isinstance(item, Dialogue):
                texts += [item.situation, item.explanation] + [t.cue for t in item.turns]
            elif isinstance(item, Question):
                texts += [item.prompt]
            elif isinstance(item, Checklist):
                texts += [e.text for e in item.entries]
    for text in texts:
        for line in without_placeholders(text).splitlines():
            words.update(w for w, _ in segment(prepare_cached(line).text))
    return frozenset(words)


def _rude_words(library: ContentLibrary) -> set[str]:
    from trainer.scoring.keypoints import segment
    from trainer.scoring.textnorm import prepare_cached

    rude: set[str] = set()
    for phrase in library.forbidden:
        for wording in (phrase.text, *phrase.variants):
            rude.update(w for w, _ in segment(prepare_cached(wording).text))
    for family in library.families:
        for example in family.examples:
            rude.update(w for w, _ in segment(prepare_cached(example).text))
    return rude
