"""Daily practice (每日练习): about five minutes of the items a person got wrong or has not seen
lately, scheduled with FSRS (trainer/training/schedule.py).

Items are the phrase items and quiz questions of his modules. Every scored answer he gives
anywhere (quizzes, role-play turns that use a phrase item, single-phrase practice, daily
practice) is applied to his card for that item, oldest first, by `sync_cards`; so a phrase he
fails in a role-play comes back in tomorrow's practice, and one he keeps saying right comes
back less and less often. A session holds the due items (most overdue first) and a few new
ones, within a daily cap (settings TRAINING_DAILY_*).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, func, or_, select

from trainer.attempts import service as attempts
from trainer.content import Dialogue, Module, PhraseItem, Question
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.ids import parse_count
from trainer.models import (
    Attempt,
    AttemptKind,
    AttemptResponse,
    AttemptStatus,
    Mode,
    PracticeCard,
    PracticeSync,
    ResponseStatus,
    User,
    Verdict,
)
from trainer.refusals import Refused
from trainer.settings import Settings
from trainer.timeutil import now
from trainer.training import answers, schedule
from trainer.training.roleplay import RoleplayError, phrase_turn, placeholder_values


@dataclass(frozen=True)
class DailySettings:
    """Session size (≈ five minutes), daily cap, new items per session, target retention."""

    session_items: int = 8
    daily_cap: int = 30
    new_items: int = 3
    retention: float = 0.9

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DailySettings:
        """From the app's settings (checked at start: trainer/settings.py)."""
        settings = Settings.from_config(config)
        return cls(settings.training_daily_items, settings.training_daily_cap,
                   settings.training_daily_new, settings.training_daily_retention)


def practice_items(modules: tuple[Module, ...]) -> dict[str, tuple[Module, Any]]:
    """The items daily practice draws from, by id: phrases first, then questions, in
    curriculum order (drafts included: practice only)."""
    items: dict[str, tuple[Module, Any]] = {}
    for module in modules:
        for phrase in module.phrases:
            items.setdefault(phrase.id, (module, phrase))
    for module in modules:
        for question in module.questions:
            items.setdefault(question.id, (module, question))
    return items


# --- cards from answers ----------------------------------------------------------------------


def _practised_item(library: ContentLibrary, response: AttemptResponse) -> str | None:
    """The phrase or question an answer practised (a dialogue turn counts for its phrase)."""
    if response.turn_id and "#" in response.turn_id:
        dialogue_id, _, index = response.turn_id.partition("#")
        try:
            dialogue = library.item(dialogue_id)
        except KeyError:
            return None
        turn = parse_count(index)
        if isinstance(dialogue, Dialogue) and turn is not None and turn < len(dialogue.turns):
            return dialogue.turns[turn].phrase_id
        return None
    try:
        item = library.item(response.item_id)
    except KeyError:
        return None
    return item.id if isinstance(item, PhraseItem | Question) else None


def sync_cards(user: User, library: ContentLibrary, settings: DailySettings | None = None) -> int:
    """Apply the person's scored answers not read yet to his cards (the caller commits).
    Returns how many answers were applied."""
    settings = settings or DailySettings()
    mark = db.session.get(PracticeSync, user.id)
    if mark is None:
        mark = PracticeSync(user_id=user.id, scored_at=None, response_id=0)
        db.session.add(mark)
    query = (select(AttemptResponse)
             .join(Attempt, Attempt.id == AttemptResponse.attempt_id)
             .where(Attempt.user_id == user.id,
                    AttemptResponse.status == ResponseStatus.SCORED,
                    AttemptResponse.scored_at.is_not(None))
             .order_by(AttemptResponse.scored_at, AttemptResponse.id))
    if mark.scored_at is not None:
        query = query.where(or_(
            AttemptResponse.scored_at > mark.scored_at,
            and_(AttemptResponse.scored_at == mark.scored_at,
                 AttemptResponse.id > mark.response_id)))
    rows = list(db.session.scalars(query))
    if not rows:
        return 0
    planner = schedule.scheduler(settings.retention)
    cards = {c.item_id: c for c in db.session.scalars(
        select(PracticeCard).where(PracticeCard.user_id == user.id))}
    applied = 0
    for response in rows:
        item_id = _practised_item(library, response)
        if item_id is not None:
            card = cards.get(item_id)
            if card is None:
                card = cards[item_id] = _new_card(user, item_id, library, response.scored_at)
            _store(card, schedule.review(_memory(card), response.verdict, response.scored_at,
                                         planner))
            applied += 1
        mark.scored_at, mark.response_id = response.scored_at, response.id
    mark.updated_at = now()
    db.session.flush()
    return applied


def _new_card(user: User, item_id: str, library: ContentLibrary, at: datetime) -> PracticeCard:
    memory = schedule.new_memory(at)
    card = PracticeCard(user_id=user.id, item_id=item_id,
                        module_id=library.module_of(item_id).id, reps=0, lapses=0)
    _store(card, memory)
    db.session.add(card)
    return card


def _memory(card: PracticeCard) -> schedule.Memory:
    return schedule.Memory(card.state, card.step, card.stability, card.difficulty, card.due,
                           card.last_review, card.reps or 0, card.lapses or 0, card.last_rating)


def _store(card: PracticeCard, memory: schedule.Memory) -> None:
    card.state, card.step = memory.state, memory.step
    card.stability, card.difficulty = memory.stability, memory.difficulty
    card.due, card.last_review = memory.due, memory.last_review
    card.reps, card.lapses, card.last_rating = memory.reps, memory.lapses, memory.last_rating


# --- the day's plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DailyPlan:
    """What today's practice holds for the person."""

    items: list[str]            # the next session, in order
    due: int                    # items due now
    unseen: int                 # items never answered
    done_today: int             # daily-practice answers today
    cap: int
    weak: list[str]             # ids of due items last answered wrong

    @property
    def capped(self) -> bool:
        return self.done_today >= self.cap


def answers_today(user: User, at: datetime | None = None) -> int:
    start = datetime.combine((at or now()).date(), time())
    return db.session.scalar(
        select(func.count(AttemptResponse.id))
        .join(Attempt, Attempt.id == AttemptResponse.attempt_id)
        .where(Attempt.user_id == user.id, Attempt.kind == AttemptKind.DAILY,
               AttemptResponse.created_at >= start)) or 0


def plan(user: User, modules: tuple[Module, ...], settings: DailySettings,
         at: datetime | None = None) -> DailyPlan:
    """The next session for the person (call sync_cards first so his latest answers count)."""
    at = at or now()
    items = practice_items(modules)
    cards = {c.item_id: c for c in db.session.scalars(
        select(PracticeCard).where(PracticeCard.user_id == user.id)) if c.item_id in items}
    due = {item_id: card.due for item_id, card in cards.items()}
    unseen = [item_id for item_id in items if item_id not in cards]
    done = answers_today(user, at)
    chosen = schedule.choose(due, unseen, at, size=settings.session_items, done_today=done,
                             daily_cap=settings.daily_cap, new_limit=settings.new_items)
    weak = [item_id for item_id, card in cards.items()
            if card.due <= at and card.last_rating == int(schedule.rating_for(Verdict.FAIL))]
    return DailyPlan(chosen, schedule.due_count(due.values(), at), len(unseen), done,
                     settings.daily_cap, weak)


# --- a session --------------------------------------------------------------------------------


class DailyError(Refused):
    """Today's practice cannot start or go on; the message is for the trainee."""


def start_session(user: User, modules: tuple[Module, ...], library: ContentLibrary,
                  settings: DailySettings, *, submit_key: str | None = None,
                  at: datetime | None = None) -> Attempt:
    """Open a daily-practice attempt on the planned items (the caller commits)."""
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None and existing.user_id == user.id:
        return existing
    sync_cards(user, library, settings)
    today_plan = plan(user, modules, settings, at)
    if not today_plan.items:
        raise DailyError("今天的练习已经完成，明天再来吧。" if today_plan.capped or not today_plan.due
                         else "现在没有需要练习的内容。")
    seed = secrets.randbelow(2**31)
    rng = random.Random(seed)
    items = practice_items(modules)
    turns = []
    for item_id in today_plan.items:
        module, item = items[item_id]
        if isinstance(item, PhraseItem):
            try:
                turns.append(phrase_turn(item, placeholder_values(user, item.placeholders, rng)))
            except RoleplayError as error:
                raise DailyError(str(error)) from error
        else:
            turns.append({"item": item.id, "question": answers.present(item, rng)})
    first_module = items[today_plan.items[0]][0]
    return attempts.start_attempt(
        user, module_id=first_module.id, module_version=first_module.version,
        kind=AttemptKind.DAILY, mode=Mode.PRACTICE, seed=seed, submit_key=submit_key,
        presented={"turns": turns, "expected_turns": len(turns)})


def open_session(user: User) -> Attempt | None:
    """Today's unfinished daily practice, to continue."""
    start = datetime.combine(now().date(), time())
    return db.session.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == AttemptKind.DAILY,
                              Attempt.status == AttemptStatus.IN_PROGRESS,
                              Attempt.started_at >= start)
        .order_by(Attempt.id.desc()).limit(1))


def record_question(attempt: Attempt, position: int, question: Question,
                    getlist: Any) -> AttemptResponse:
    """Check and keep a question answered in a daily session (the caller commits)."""
    entry = (turns_of(attempt)[position] or {}).get("question") or {}
    answer = answers.read_answer(question, entry, position, getlist)
    if answer is None:
        raise DailyError("请先作答再提交")
    checked = answers.check(question, answer)
    return attempts.record_checked_answer(
        attempt, position, item_id=question.id, prompt=question.prompt, expected=checked.right,
        answer=answer, score=checked.score,
        verdict=Verdict.PASS if checked.correct else Verdict.FAIL,
        result={"correct": checked.correct, "given": checked.given, "right": checked.right,
                **checked.details})


def turns_of(attempt: Attempt) -> list[dict]:
    return list((attempt.presented or {}).get("turns") or [])


def finish_session(attempt: Attempt) -> Attempt:
    """End the session with the items answered so far (caller commits). Stopping early is
    fine: what was not answered stays due."""
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    rows = list(db.session.scalars(select(AttemptResponse).where(
        AttemptResponse.attempt_id == attempt.id)))
    for row in rows:
        # A "no speech" recording is no answer.
        if row.status == ResponseStatus.PENDING and (row.asr or {}).get("no_speech"):
            db.session.delete(row)
    db.session.flush()
    answered = sum(1 for r in rows if r.status == ResponseStatus.SCORED or
                   (r.status == ResponseStatus.PENDING and not (r.asr or {}).get("no_speech")))
    if not answered:
        # Nothing answered: the session is dropped, not scored as a failure.
        attempt.status = AttemptStatus.EXPIRED
        attempt.submitted_at = now()
        return attempt
    return attempts.finish_attempt(attempt, expected_turns=answered)
