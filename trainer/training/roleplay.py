"""Role-plays: a whole service encounter (or complaint) played turn by turn.

The customer's lines and the scene cues come with the station's real name and fresh plausible
amounts (one filling per attempt, so the amount in a cue is the amount the answer must say).
Each turn is answered by typing or by voice; the turn endpoints (practice/api.py, rules in trainer/turns/rules.py)
score it. The attempt's ``presented["turns"]`` follows that module's format: position i is
``{"item": <dialogue id>, "turn": i, ...}`` or ``{"item": <phrase id>, ...}``.

Practice plays one dialogue (drafts included). The assessment sitting (trainer.progress:
情景对话考核) plays one random ACTIVE dialogue of the module whole, then up to
ASSESSMENT_EXTRA_PHRASES active phrase items the dialogue does not use (PHRASES_WITHOUT_DIALOGUE
when the module has no active dialogue). Every turn must pass (attempts.finish_attempt).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from trainer.attempts import service as attempts
from trainer.content import Dialogue, Module, PhraseItem, fill_placeholders, substitute
from trainer.content.placeholders import PLACEHOLDER
from trainer.extensions import db
from trainer.models import (
    AssessmentWindow,
    Attempt,
    AttemptKind,
    AttemptResponse,
    AttemptStatus,
    Mode,
    ResponseStatus,
    User,
)
from trainer.refusals import Refused
from trainer.timeutil import now
from trainer.training.assessment import deadline_for

ASSESSMENT_EXTRA_PHRASES = 5
PHRASES_WITHOUT_DIALOGUE = 8
# Modules whose customers are upset: their lines are shown as complaints.
UPSET_MODULES = frozenset({"complaints"})


class RoleplayError(Refused):
    """The role-play cannot start or go on; the message is for the trainee."""


@dataclass(frozen=True)
class Encounter:
    """A dialogue the person may practise, with the module it belongs to."""

    module: Module
    dialogue: Dialogue

    @property
    def upset(self) -> bool:
        return self.module.id in UPSET_MODULES


def encounters(modules: tuple[Module, ...]) -> list[Encounter]:
    """Every dialogue of the person's modules, in curriculum order (practice: drafts too)."""
    return [Encounter(module, dialogue) for module in modules for dialogue in module.dialogues]


def preview(text: str) -> str:
    """A text with its placeholders shown as ×× (the list page has no attempt's values yet)."""
    return PLACEHOLDER.sub("××", text)


def find_encounter(modules: tuple[Module, ...], dialogue_id: str) -> Encounter | None:
    return next((e for e in encounters(modules) if e.dialogue.id == dialogue_id), None)


def placeholder_values(user: User, placeholders: Any, rng: random.Random) -> dict[str, str]:
    if user.station is None:
        raise RoleplayError("您的账号没有所属站点，无法生成对话(站名、电话等取自站点信息)。")
    try:
        return fill_placeholders(placeholders, user.station.phrase_values(), rng)
    except ValueError as error:
        raise RoleplayError(f"{error}。请站长在站点信息中补全。") from error


def dialogue_turns(dialogue: Dialogue, values: dict[str, str]) -> list[dict]:
    """The presented turns of a dialogue with this attempt's values filled in."""
    return [{"item": dialogue.id, "turn": index, "values": values,
             "prompt": substitute(turn.customer, values), "cue": substitute(turn.cue, values),
             "expected": substitute(turn.spec.expected[0], values),
             "on_wrong": substitute(turn.on_wrong, values)}
            for index, turn in enumerate(dialogue.turns)]


def phrase_turn(phrase: PhraseItem, values: dict[str, str]) -> dict:
    """A phrase item as one turn: its situation is the cue, its customer line the prompt,
    its scene the heading (a turn outside the dialogue says which scene it belongs to)."""
    return {"item": phrase.id, "values": values, "prompt": substitute(phrase.customer, values),
            "scene": phrase.scene,
            "cue": substitute(phrase.situation, values),
            "expected": substitute(phrase.expected[0], values)}


def start_practice(user: User, encounter: Encounter, *, submit_key: str | None = None,
                   rng: random.Random | None = None) -> Attempt:
    """Open a practice attempt on one dialogue (the caller commits)."""
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None and existing.user_id == user.id:
        return existing
    seed = secrets.randbelow(2**31)
    rng = rng or random.Random(seed)
    dialogue = encounter.dialogue
    values = placeholder_values(user, dialogue.placeholders, rng)
    turns = dialogue_turns(dialogue, values)
    return attempts.start_attempt(
        user, module_id=encounter.module.id, module_version=encounter.module.version,
        kind=AttemptKind.DIALOGUE, mode=Mode.PRACTICE, item_id=dialogue.id, seed=seed,
        submit_key=submit_key,
        presented={"title": dialogue.title, "situation": substitute(dialogue.situation, values),
                   "values": values, "turns": turns, "expected_turns": len(turns),
                   "upset": encounter.upset})


def start_assessment(user: User, module: Module, window: AssessmentWindow, *,
                     submit_key: str | None = None, at: datetime | None = None,
                     rng: random.Random | None = None) -> Attempt:
    """Open an assessment sitting: one active dialogue, then active phrases it does not use."""
    existing = attempts.find_by_submit_key(submit_key)
    if existing is not None and existing.user_id == user.id:
        return existing
    at = at or now()
    seed = secrets.randbelow(2**31)
    rng = rng or random.Random(seed)
    active = module.with_status("active")
    turns: list[dict] = []
    # The title names the module, not one scene: the sitting holds a dialogue and single
    # phrases of other scenes, and each of those turns is headed by its own scene.
    title, situation, dialogue_id = f"{module.title}：口语考核", "", None
    used: set[str] = set()
    if active.dialogues:
        dialogue = rng.choice(active.dialogues)
        values = placeholder_values(user, dialogue.placeholders, rng)
        turns = dialogue_turns(dialogue, values)
        situation, dialogue_id = substitute(dialogue.situation, values), dialogue.id
        used = {turn.phrase_id for turn in dialogue.turns if turn.phrase_id}
        extra = ASSESSMENT_EXTRA_PHRASES
    else:
        extra = PHRASES_WITHOUT_DIALOGUE
    pool = [p for p in active.phrases if p.id not in used]
    for phrase in rng.sample(pool, min(extra, len(pool))):
        turns.append(phrase_turn(phrase, placeholder_values(user, phrase.placeholders, rng)))
    if not turns:
        raise RoleplayError("这个模块没有情景对话考核")
    singles = len(turns) - len(dialogue_turns_of(active, dialogue_id))
    parts = [f"第一部分：情景对话「{dialogue.title}」{len(turns) - singles} 轮"] if dialogue_id else []
    if singles:
        parts.append(f"{'第二部分：' if parts else ''}其他场景的服务用语 {singles} 句，每句先看场景说明")
    plan = "；".join(parts) + "。"
    return attempts.start_attempt(
        user, module_id=module.id, module_version=module.version, kind=AttemptKind.DIALOGUE,
        mode=Mode.ASSESSMENT, item_id=dialogue_id, window_id=window.id, seed=seed,
        deadline_at=deadline_for(window, at), submit_key=submit_key,
        # answer_once: each turn is answered once (asked of the turn endpoints as well).
        presented={"title": title, "situation": situation, "plan": plan, "turns": turns,
                   "expected_turns": len(turns), "upset": module.id in UPSET_MODULES,
                   "dialogue_turns": len(turns) - min(extra, len(pool)), "answer_once": True})


def dialogue_turns_of(module: Module, dialogue_id: str | None) -> tuple:
    dialogue = next((d for d in module.dialogues if d.id == dialogue_id), None)
    return dialogue.turns if dialogue is not None else ()


# --- playing ---------------------------------------------------------------------------------


def responses(attempt: Attempt) -> dict[int, AttemptResponse]:
    return {r.position: r for r in db.session.scalars(
        select(AttemptResponse).where(AttemptResponse.attempt_id == attempt.id))}


def turns_of(attempt: Attempt) -> list[dict]:
    return list((attempt.presented or {}).get("turns") or [])


def current_position(attempt: Attempt) -> int | None:
    """The first turn not answered yet (None when every turn has an answer)."""
    answered = responses(attempt)
    for position in range(len(turns_of(attempt))):
        response = answered.get(position)
        if response is None or (response.status == ResponseStatus.PENDING
                                and (response.asr or {}).get("no_speech")):
            return position
    return None


def check_answerable(attempt: Attempt, position: int) -> None:
    """Turns are answered in order. Practice may answer an answered turn again before
    finishing (to try a better answer); an assessment takes each turn once."""
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise RoleplayError("这次对话已经结束，不能再作答")
    if not 0 <= position < len(turns_of(attempt)):
        raise RoleplayError("这次对话没有这一轮")
    current = current_position(attempt)
    if position == current:
        return
    if current is not None and position > current:
        raise RoleplayError("请按顺序逐轮作答")
    if attempt.mode == Mode.ASSESSMENT:
        raise RoleplayError("考核中每一轮只能回答一次")


def all_answered(attempt: Attempt) -> bool:
    return current_position(attempt) is None


def finish(attempt: Attempt) -> Attempt:
    """Close the encounter: mean score, every turn must pass (caller commits). Turns still
    being recognised leave it 待识别; their recognition finishes it (trainer/turns/rules.py).
    Unanswered turns count as failed."""
    if attempt.status in (AttemptStatus.SCORED, AttemptStatus.PENDING):
        return attempt
    expected = len(turns_of(attempt))
    # A "no speech" recording is no answer: drop it so it counts as an unanswered turn.
    for response in responses(attempt).values():
        if response.status == ResponseStatus.PENDING and (response.asr or {}).get("no_speech"):
            db.session.delete(response)
    db.session.flush()
    return attempts.finish_attempt(attempt, expected_turns=expected)


def close_overdue(user: User, at: datetime | None = None) -> int:
    """Finish the person's role-play sittings whose time ran out (caller commits)."""
    from trainer.training.quiz import SUBMIT_GRACE

    at = at or now()
    stale = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == AttemptKind.DIALOGUE,
                              Attempt.status == AttemptStatus.IN_PROGRESS,
                              Attempt.deadline_at.is_not(None),
                              Attempt.deadline_at < at - SUBMIT_GRACE)))
    for attempt in stale:
        finish(attempt)
    return len(stale)


def failed_turns(states: dict[int, dict], count: int) -> list[tuple[int, str]]:
    """(turn number from 1, why) of every turn that did not pass, for the encounter's result:
    an 86 average fails when one turn fails, and the trainee must see which and why."""
    found = []
    for position in range(count):
        state = states.get(position)
        if state is None or state.get("state") != "scored":
            found.append((position + 1, "没有回答"))
        elif state.get("verdict") == "fail":
            why = [*(state.get("reasons") or [])]
            missed = (state.get("key_points") or {}).get("missed") or []
            if missed:
                why.append("漏了要点：" + "、".join(missed))
            found.append((position + 1, ";".join(dict.fromkeys(why)) or "未通过"))
        elif state.get("verdict") == "review":
            found.append((position + 1, "接近标准，等待站长复核"))
    return found


def retry_position(attempt: Attempt, wanted: int | None) -> int | None:
    """The answered turn a practice encounter answers again (重答这一轮), if allowed."""
    if wanted is None or attempt.mode != Mode.PRACTICE or \
            attempt.status != AttemptStatus.IN_PROGRESS:
        return None
    if not 0 <= wanted < len(turns_of(attempt)) or wanted not in responses(attempt):
        return None
    return wanted
