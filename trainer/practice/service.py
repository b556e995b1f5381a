"""Single-phrase practice: what a trainee may practise, and opening a practice attempt.

The study list holds the phrase items of the modules assigned to the trainee's post, as his
station's rule set teaches them (draft items included: practice only). Each try is a practice
attempt of kind phrase with one turn; its placeholders are filled afresh (the station's real
name, plausible random amounts), so no two tries read the same.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from trainer.attempts import service as attempts
from trainer.content import Module, PhraseItem, fill_placeholders, substitute
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import Attempt, AttemptKind, Mode, User
from trainer.refusals import Refused


class PracticeError(Refused):
    """A practice cannot start; the message is for the trainee."""


@dataclass
class ModuleGroup:
    """One module of the study list: its phrase items, in content order."""

    module: Module
    items: list[PhraseItem] = field(default_factory=list)


def study_list(user: User, library: ContentLibrary) -> list[ModuleGroup]:
    """The phrase items the user may practise, grouped by module (empty without a post)."""
    if not user.post:
        return []
    rule_set = user.station.rule_set if user.station is not None else None
    try:
        modules = library.modules_for_post(user.post, rule_set)
    except KeyError:  # a rule set removed from the content: teach what applies everywhere
        modules = library.modules_for_post(user.post, None)
    return [ModuleGroup(m, list(m.phrases)) for m in modules if m.phrases]


def practisable_item(user: User, item_id: str, library: ContentLibrary) -> PhraseItem | None:
    """The phrase item if it is on the user's study list, else None (the caller answers 404)."""
    for group in study_list(user, library):
        for item in group.items:
            if item.id == item_id:
                return item
    return None


def start_phrase_attempt(user: User, item: PhraseItem, library: ContentLibrary, *,
                         submit_key: str | None = None,
                         rng: random.Random | None = None) -> Attempt:
    """Open a practice attempt on one phrase item with fresh placeholder values (commits).

    The same submit key twice (a double tap, the back button) returns the first attempt.
    """
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None and existing.user_id == user.id:
        return existing
    if user.station is None:
        raise PracticeError("您的账号没有所属站点，无法生成练习(站名、电话等取自站点信息)。")
    seed = secrets.randbelow(2**31)
    rng = rng or random.Random(seed)
    try:
        values = fill_placeholders(item.spec, user.station.phrase_values(), rng)
    except ValueError as error:
        raise PracticeError(f"{error}。请站长在站点信息中补全。") from error
    module = library.module_of(item.id)
    prompt = substitute(item.customer, values)
    attempt = attempts.start_attempt(
        user, module_id=module.id, module_version=module.version, kind=AttemptKind.PHRASE,
        mode=Mode.PRACTICE, item_id=item.id, seed=seed, submit_key=submit_key,
        presented={
            "values": values,
            "situation": substitute(item.situation, values),
            "turns": [{"item": item.id, "values": values, "prompt": prompt,
                       "expected": substitute(item.expected[0], values)}],
            "expected_turns": 1,
        },
    )
    db.session.commit()
    return attempt


def approved_phrasings(item: PhraseItem, values: dict[str, str]) -> list[str]:
    """Every approved phrasing of the item with this attempt's values filled in."""
    return [substitute(text, values) for text in item.expected]


@dataclass(frozen=True)
class PhraseMark:
    """What the list shows of one phrase: ever passed, how often tried, the latest score."""

    passed: bool
    tries: int
    last_score: Any = None
    last_verdict: str | None = None


def phrase_marks(user: User) -> dict[str, PhraseMark]:
    """Per phrase item the user practised alone: passed at least once, tries, latest result."""
    rows = db.session.execute(
        select(Attempt.item_id, Attempt.verdict, Attempt.final_verdict, Attempt.score,
               Attempt.final_score)
        .where(Attempt.user_id == user.id, Attempt.kind == AttemptKind.PHRASE,
               Attempt.mode == Mode.PRACTICE, Attempt.verdict.is_not(None))
        .order_by(Attempt.id))
    marks: dict[str, PhraseMark] = {}
    for item_id, verdict, final_verdict, score, final_score in rows:
        if not item_id:
            continue
        verdict = final_verdict or verdict
        score = final_score if final_score is not None else score
        before = marks.get(item_id)
        marks[item_id] = PhraseMark(
            passed=(before.passed if before else False) or verdict == "pass",
            tries=(before.tries if before else 0) + 1, last_score=score, last_verdict=verdict)
    return marks


def matches(item: PhraseItem, module: Module, query: str) -> bool:
    """Whether the phrase is found by the search words (scene, situation, wording, module)."""
    words = query.split()
    text = " ".join([item.scene, item.situation, item.customer or "", *item.expected,
                     module.title])
    return all(word in text for word in words)


def filtered(groups: list[ModuleGroup], query: str) -> list[ModuleGroup]:
    """The groups with only the phrases the search finds (all of them for an empty search)."""
    query = (query or "").strip()[:50]
    if not query:
        return groups
    found = [ModuleGroup(g.module, [i for i in g.items if matches(i, g.module, query)])
             for g in groups]
    return [g for g in found if g.items]


def recent_attempts(user: User, limit: int = 200) -> dict[str, Attempt]:
    """The user's latest scored practice attempt per phrase item (for the study list)."""
    rows = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.kind == AttemptKind.PHRASE,
               Attempt.mode == Mode.PRACTICE, Attempt.verdict.is_not(None))
        .order_by(Attempt.id.desc())
        .limit(limit)
    )
    latest: dict[str, Attempt] = {}
    for attempt in rows:
        if attempt.item_id:
            latest.setdefault(attempt.item_id, attempt)
    return latest
