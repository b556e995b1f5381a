"""Content admin: browsing the loaded content and calibrating a phrase item's grader."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from trainer.content import (
    CalibrationReport,
    ContentLibrary,
    Dialogue,
    PhraseItem,
    PhraseSpec,
    calibrate,
    fill_placeholders,
    parse_marked_answers,
)
from trainer.content.calibration import RowProblem

SAMPLE_STATION = {"station": "昆仑", "company": "昆仑燃气有限公司", "hotline": "400-000-0001",
                  "price": "3.5"}


@dataclass(frozen=True)
class GradedSpec:
    """A phrase spec that can be calibrated: a phrase item or one turn of a dialogue."""

    key: str
    label: str
    spec: PhraseSpec


def gradable_specs(item) -> list[GradedSpec]:
    if isinstance(item, PhraseItem):
        return [GradedSpec(item.id, item.scene, item.spec)]
    if isinstance(item, Dialogue):
        return [GradedSpec(f"{item.id}#{i}", f"第 {i + 1} 轮:{turn.customer or turn.cue}", turn.spec)
                for i, turn in enumerate(item.turns)]
    return []


def spec_for(item, key: str) -> GradedSpec | None:
    return next((g for g in gradable_specs(item) if g.key == key), None)


def sample_values(spec: PhraseSpec, station_values: Mapping[str, str], seed: int | None = None
                  ) -> dict[str, str]:
    """Plausible placeholder values for a trial answer."""
    try:
        return fill_placeholders(spec, station_values, random.Random(seed))
    except ValueError:
        return fill_placeholders(spec, {**SAMPLE_STATION, **station_values}, random.Random(seed))


def trial(library: ContentLibrary, spec: PhraseSpec, answer: str, values: Mapping[str, str]):
    """Score one trial answer exactly as an attempt would be scored."""
    from trainer.scoring import score_answer

    return score_answer(library.compile(spec), answer, values)


def calibrate_upload(library: ContentLibrary, spec: PhraseSpec, data: bytes,
                     station_values: Mapping[str, str]
                     ) -> tuple[CalibrationReport | None, list[RowProblem]]:
    """Score a CSV of answers marked pass/fail by a person; report agreement."""
    rows, problems = parse_marked_answers(data)
    if not rows:
        return None, problems
    report = calibrate(spec, rows, {**SAMPLE_STATION, **station_values},
                       compiled=library.compile(spec))
    return report, problems
