"""The training content as frozen dataclasses: what the web layer reads, never writes.

Items of every kind share `id`, `status`, `source`, `restored`, `seed_text` and `rule_sets`;
the module file they come from fixes their module and version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from trainer import vocabulary

# Job posts (trainer/vocabulary.py): the database stores the code, the content files use the
# Chinese label.
POSTS: Mapping[str, str] = vocabulary.POSTS
STATUSES = ("draft", "active")
PLACEHOLDER_KINDS = ("amount", "name", "choice", "text")
QUIZ_TYPES = ("single", "multiple", "truefalse", "ordering", "fill")
ITEM_TYPES = QUIZ_TYPES + ("phrase", "dialogue", "checklist", "drill")
MODES = ("practice", "assessment")
GRADING_METHODS = ("highest", "first", "last", "average")


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a seed document and clause, or company policy (`doc` None)."""

    doc: str | None
    clause: str = ""

    @property
    def is_policy(self) -> bool:
        """Whether the rule is company policy rather than a seed clause."""
        return self.doc is None

    @property
    def label(self) -> str:
        """How the UI cites it: 《加气站服务管理规范》三、加气操作标准 1 / 公司规定."""
        if self.doc is None:
            return "公司规定"
        return f"《{self.doc}》{self.clause}".rstrip()


@dataclass(frozen=True, kw_only=True)
class Item:
    """What every item has. `rule_sets` empty means the item applies under every rule set."""

    id: str
    status: str = "active"
    source: Source
    restored: bool = False
    seed_text: str = ""
    rule_sets: tuple[str, ...] = ()

    @property
    def rule_set(self) -> str | None:
        """The single rule set of the item, or None when it applies everywhere or to several."""
        return self.rule_sets[0] if len(self.rule_sets) == 1 else None

    def applies_to(self, rule_set_ids: frozenset[str] | None) -> bool:
        """Whether a station following these rule sets (None: none chosen) learns this item."""
        if not self.rule_sets:
            return True
        return rule_set_ids is not None and not rule_set_ids.isdisjoint(self.rule_sets)

    @property
    def active(self) -> bool:
        """Whether the item may count toward certification and evaluations."""
        return self.status == "active"


@dataclass(frozen=True, kw_only=True)
class Card(Item):
    """A study card: one rule or a few that belong together, in plain words."""

    title: str
    body: str
    type: str = "card"


@dataclass(frozen=True, kw_only=True)
class Question(Item):
    """A quiz question; `explanation` is shown after answering."""

    type: str
    prompt: str
    explanation: str


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(Question):
    """`single` (exactly one of `answers`) or `multiple` (all of `answers`, nothing else)."""

    options: tuple[str, ...]
    answers: tuple[str, ...]

    def is_correct(self, chosen: set[str] | list[str] | tuple[str, ...]) -> bool:
        """Whether the chosen option texts are exactly the right ones."""
        return set(chosen) == set(self.answers)


@dataclass(frozen=True, kw_only=True)
class TrueFalseQuestion(Question):
    """A statement the trainee judges true or false."""

    answer: bool

    def is_correct(self, chosen: bool) -> bool:
        """Whether the true/false answer is right."""
        return chosen is self.answer


@dataclass(frozen=True)
class Step:
    """A step of a procedure; a safety-critical step out of place fails the whole answer."""

    id: str
    text: str
    safety_critical: bool = False


@dataclass(frozen=True, kw_only=True)
class OrderingQuestion(Question):
    """Put `steps` (stored in the correct order) in order; score with scoring.score_ordering."""

    steps: tuple[Step, ...]

    @property
    def correct_order(self) -> tuple[str, ...]:
        """The step ids in the right order (score_ordering's `correct`)."""
        return tuple(step.id for step in self.steps)

    @property
    def safety_critical(self) -> tuple[str, ...]:
        """The ids of the steps whose misplacement fails the answer."""
        return tuple(step.id for step in self.steps if step.safety_critical)


BLANK = "____"


@dataclass(frozen=True, kw_only=True)
class FillQuestion(Question):
    """A service phrase with one blank (`____` in `text`) and the accepted fillings."""

    text: str
    accepted: tuple[str, ...]

    def is_correct(self, filled: str) -> bool:
        """Whether the filling is accepted, ignoring spaces and punctuation."""
        return _squeeze(filled) in {_squeeze(answer) for answer in self.accepted}


def _squeeze(text: str) -> str:
    # Spaces and sentence punctuation around a one-word filling say nothing about it.
    return "".join(ch for ch in text if not ch.isspace() and ch not in "。,,!!??、.")


@dataclass(frozen=True)
class PlaceholderSpec:
    """A typed gap in a phrase: `amount` (strict number), `name` (strict), `choice`, `text` (free).

    `station_value` names the station-record value that fills it (station, company, hotline,
    price); otherwise amounts come from `minimum`..`maximum` by `step`, choices from `choices`,
    names and texts from `examples`.
    """

    name: str
    kind: str
    choices: tuple[str, ...] = ()
    station_value: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    unit: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhraseSpec:
    """What the scoring engine needs to judge one spoken or typed answer."""

    expected: tuple[str, ...]
    placeholders: Mapping[str, PlaceholderSpec] = field(default_factory=dict)
    key_points: tuple[tuple[str, ...], ...] = ()
    extra_forbidden: tuple[str, ...] = ()
    time_limits: tuple[str, ...] = ()  # limits the phrasing promises: "48小时内", "立即"
    # What the trainee is shown (situation, customer line, cue): the money it names is the
    # money an answer may name (表上是100块钱 where the customer asked for 100).
    context: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PhraseItem(Item):
    """A role-play: the trainee hears `customer` in `situation` and answers like `expected`."""

    scene: str
    situation: str
    customer: str = ""
    spec: PhraseSpec
    explanation: str
    type: str = "phrase"

    @property
    def expected(self) -> tuple[str, ...]:
        return self.spec.expected

    @property
    def key_points(self) -> tuple[tuple[str, ...], ...]:
        return self.spec.key_points

    @property
    def placeholders(self) -> Mapping[str, PlaceholderSpec]:
        return self.spec.placeholders

    @property
    def extra_forbidden(self) -> tuple[str, ...]:
        return self.spec.extra_forbidden


@dataclass(frozen=True)
class DialogueTurn:
    """One exchange: the customer's line (may be empty when the trainee speaks first), then the
    trainee's answer judged by `spec`. `phrase_id` names the phrase item the spec came from."""

    customer: str
    spec: PhraseSpec
    cue: str = ""
    phrase_id: str | None = None
    # What the customer says when the answer fails (deflects, is rude, misses the point): the
    # reaction the attendant's words would get at the pump. Empty: no reaction written.
    on_wrong: str = ""


@dataclass(frozen=True, kw_only=True)
class Dialogue(Item):
    """A multi-turn role-play; every turn must pass."""

    title: str
    situation: str
    turns: tuple[DialogueTurn, ...]
    explanation: str
    # Every placeholder of the situation, cues, customer lines and turns: one filling serves the
    # whole dialogue, so the amount in a cue is the amount the answer must say.
    placeholders: Mapping[str, PlaceholderSpec] = field(default_factory=dict)
    type: str = "dialogue"


@dataclass(frozen=True)
class ChecklistEntry:
    """One observed point of a checklist; `critical` ones must all be met."""

    id: str
    text: str
    source: Source
    critical: bool = False


@dataclass(frozen=True, kw_only=True)
class Checklist(Item):
    """Observed by the station head: passed when every critical entry and `pass_percent` of all
    entries are met."""

    title: str
    instructions: str
    entries: tuple[ChecklistEntry, ...]
    pass_percent: int = 80
    type: str = "checklist"

    def passed(self, met: set[str]) -> bool:
        """Whether the observed entries (`met`, entry ids) pass the checklist."""
        if any(entry.critical and entry.id not in met for entry in self.entries):
            return False
        done = sum(entry.id in met for entry in self.entries)
        return done * 100 >= self.pass_percent * len(self.entries)


@dataclass(frozen=True)
class TimeLimit:
    """At most `seconds` from the start of step `start` to the start of step `end`."""

    id: str
    title: str
    start: str
    end: str
    seconds: int
    source: Source
    rule_sets: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Drill(Item):
    """A timed practical: the steps in order, with time limits (some only under a rule set)."""

    title: str
    instructions: str
    steps: tuple[Step, ...]
    limits: tuple[TimeLimit, ...]
    type: str = "drill"

    def limits_for(self, rule_set_ids: frozenset[str] | None) -> tuple[TimeLimit, ...]:
        """The limits that apply to a station following these rule sets."""
        return tuple(
            limit for limit in self.limits
            if not limit.rule_sets
            or (rule_set_ids is not None and not rule_set_ids.isdisjoint(limit.rule_sets))
        )


@dataclass(frozen=True)
class AttemptPolicy:
    """Defaults for a module's attempts; the station head or HR set the real windows."""

    mode: str = "assessment"
    attempts: int = 2
    time_limit_minutes: int | None = None
    grading: str = "highest"
    pass_percent: int = 80


@dataclass(frozen=True)
class Module:
    """One training module, loaded from one YAML file; `version` changes with its content."""

    id: str
    title: str
    summary: str
    order: int
    posts: tuple[str, ...]
    required: bool
    version: str
    file: str
    policy: AttemptPolicy
    cards: tuple[Card, ...] = ()
    questions: tuple[Question, ...] = ()
    phrases: tuple[PhraseItem, ...] = ()
    dialogues: tuple[Dialogue, ...] = ()
    checklists: tuple[Checklist, ...] = ()
    drills: tuple[Drill, ...] = ()

    def items(self) -> Iterator[Item]:
        """Every item of the module, cards first."""
        for group in (self.cards, self.questions, self.phrases, self.dialogues,
                      self.checklists, self.drills):
            yield from group

    def for_post(self, post: str) -> bool:
        """Whether the post (code such as attendant, or label such as 加气员) is assigned it."""
        return POSTS.get(post, post) in self.posts

    def _filtered(self, keep: Callable[[Item], bool]) -> Module:
        return replace(
            self,
            cards=tuple(filter(keep, self.cards)),
            questions=tuple(filter(keep, self.questions)),
            phrases=tuple(filter(keep, self.phrases)),
            dialogues=tuple(filter(keep, self.dialogues)),
            checklists=tuple(filter(keep, self.checklists)),
            drills=tuple(filter(keep, self.drills)),
        )

    def with_status(self, *statuses: str) -> Module:
        """The module with only items of these statuses (e.g. "active" for certification)."""
        return self._filtered(lambda item: item.status in statuses)

    def for_rule_sets(self, rule_set_ids: frozenset[str] | None) -> Module:
        """The module as a station following these rule sets learns it (None: none chosen)."""
        return self._filtered(lambda item: item.applies_to(rule_set_ids))


@dataclass(frozen=True)
class RuleSet:
    """A company's rules where companies differ; `includes` combines rule sets of other topics."""

    id: str
    title: str
    topic: str
    source: Source
    summary: str = ""
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForbiddenPhrase:
    """A 服务忌语: any of `text` or `variants` anywhere in an answer fails it."""

    id: str
    text: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForbiddenFamily:
    """A kind of 忌语 as patterns (see content/forbidden.yaml `families`)."""

    id: str
    label: str
    patterns: tuple[str, ...]
    harmless: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A source document of the seed, by its title exactly as the seed gives it."""

    title: str
    issuer: str = ""
    note: str = ""
