"""Properties of meaning, checked with hypothesis on the real content library (issue 13):

- a negation inserted before any key action of any safety item never raises the verdict;
- any 忌语-family phrase appended to any passing answer makes it fail;
- shuffling an answer into a word list never passes.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trainer.content import PhraseItem, fill_placeholders, load_content, substitute
from trainer.scoring import score_answer
from trainer.scoring.keypoints import segment
from trainer.scoring.lexicon import COURTESY_WORDS
from trainer.scoring.textnorm import prepare

LIBRARY = load_content(Path(__file__).parents[1] / "content")
EXAMPLES = int(os.environ.get("SCORING_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
STATION = {"station": "昆仑", "company": "昆仑燃气", "hotline": "95158", "price": "4.5"}
RANK = {"fail": 0, "review": 1, "pass": 2}
# Safety items: every item of the safety module, and the phrases that ask for a safety action.
SAFETY_PHRASES = ("sl-engine-off", "sl-engine-handbrake", "sl-hood-trunk", "sl-get-out",
                  "sl-phone-stop", "sl-safety-rules")
NEGATORS = ["不用", "不必", "别", "不要", "无需", "没必要", "甭", "今天不用", "就不用", "可以不"]


def _phrases() -> list[tuple[str, object, str, dict]]:
    """(id, spec, approved answer, values) for every phrase item and own-phrasing turn."""
    found = []
    for module in LIBRARY.modules:
        for item in module.items():
            specs = [(item.id, item.spec)] if isinstance(item, PhraseItem) else [
                (f"{item.id}#{n}", turn.spec) for n, turn in enumerate(
                    getattr(item, "turns", ()), start=1) if turn.phrase_id is None]
            for name, spec in specs:
                values = fill_placeholders(spec, STATION, random.Random(name))
                found.append((name, spec, substitute(spec.expected[0], values), values))
    return found


PHRASES = _phrases()
SAFETY = [p for p in PHRASES
          if p[0] in SAFETY_PHRASES or LIBRARY.module_of(p[0].split("#")[0]).id == "safety"]
FAMILY_PHRASES = [example for family in LIBRARY.families for example in family.examples]


def _actions(name: str, spec, answer: str, values: dict) -> list[int]:
    """Where, in the approved answer, each key action it asks for ("do" points) starts."""
    compiled = LIBRARY.compile(spec)
    prepared = prepare(answer)
    variant = compiled.variants[0]
    points = compiled.key_points or variant.key_points
    starts = []
    for point in points:
        if point.label in COURTESY_WORDS:
            continue  # an action asked for, not a courtesy word (对不起)
        for start, _, wording in point.occurrences(prepared, spoken=False):
            kind = variant.polarity.get(f"{point.label}|{wording}",
                                        variant.polarity.get(point.label))
            if kind == "do":  # not a prohibition (严禁打手机, 严禁烟火)
                starts.append(prepared.starts[start])
    return starts


def test_the_sets_are_not_empty():
    assert len(SAFETY) >= 8 and len(PHRASES) >= 60 and len(FAMILY_PHRASES) >= 80
    assert sum(bool(_actions(*entry)) for entry in SAFETY) >= 8


@pytest.mark.parametrize("entry", PHRASES, ids=[p[0] for p in PHRASES])
def test_every_approved_phrasing_passes(entry):
    name, spec, answer, values = entry
    assert score_answer(LIBRARY.compile(spec), answer, values).passed


@SETTINGS
@given(st.sampled_from(SAFETY), st.sampled_from(NEGATORS), st.integers(0, 10))
def test_a_negation_before_a_key_action_never_raises_the_verdict(entry, negator, which):
    name, spec, answer, values = entry
    actions = _actions(name, spec, answer, values)
    assume(actions)
    at = actions[which % len(actions)]
    negated = answer[:at] + negator + answer[at:]
    compiled = LIBRARY.compile(spec)
    before = score_answer(compiled, answer, values)
    after = score_answer(compiled, negated, values)
    assert RANK[after.verdict] <= RANK[before.verdict]
    assert not after.passed, (negated, after.reasons)


@SETTINGS
@given(st.sampled_from(PHRASES), st.sampled_from(FAMILY_PHRASES), st.sampled_from(["，", "。", ",", " ", ""]))
def test_any_family_phrase_appended_to_a_passing_answer_fails(entry, phrase, mark):
    name, spec, answer, values = entry
    compiled = LIBRARY.compile(spec)
    assert score_answer(compiled, answer, values).passed
    result = score_answer(compiled, answer + mark + phrase, values)
    assert result.verdict == "fail", (answer + mark + phrase, result.reasons)


@SETTINGS
@given(st.sampled_from(PHRASES), st.randoms(use_true_random=False), st.sampled_from([" ", "，", "、"]))
def test_shuffling_an_answer_into_a_word_list_never_passes(entry, rng, separator):
    name, spec, answer, values = entry
    text = prepare(answer).text
    words = [w for w, _ in segment(text)]
    assume(len(words) >= 3)
    shuffled = words[:]
    rng.shuffle(shuffled)
    # A word list in another order: two words the phrasing says once change places (moving
    # only a repeated 加气站 may leave a sentence, 出现加气站故障).
    once = [w for w in shuffled if text.count(w) == 1 and words.count(w) == 1]
    assume(once != [w for w in words if w in once])
    listed = separator.join(shuffled)
    result = score_answer(LIBRARY.compile(spec), listed, values)
    assert not result.passed, (listed, result.reasons)
