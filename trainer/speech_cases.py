"""Recognising the audio lines of a case file the way the app recognises an answer.

``flask --app trainer score CASES.jsonl`` hands run_cases a ``transcribe(path)``; the one made
here knows each clip's case (its approved phrasings and values), so every clip goes through
trainer.speech.context.hear like a trainee's answer: unbiased first, context only to rescue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.content.library import ContentLibrary

NAME_KEYS = ("station", "other_station", "company", "hotline")


def case_contexts(file: Path) -> dict[Path, list[dict]]:
    """The cases of a JSONL file by the resolved path of their audio (a clip may serve several
    cases; run_cases asks in file order)."""
    found: dict[Path, list[dict]] = {}
    for line in file.read_text("utf-8").splitlines():
        try:
            case = json.loads(line)
        except ValueError:
            continue
        if isinstance(case, dict) and isinstance(case.get("audio"), str):
            found.setdefault((file.parent / case["audio"]).resolve(), []).append(case)
    return found


def contextual_transcriber(file: Path, engine_for: Callable[[], Any], library: ContentLibrary,
                           known_names: tuple[str, ...] = ()) -> Callable[[Path], Any]:
    """A transcribe(path) for run_cases that hears each clip in its case's scene, judging
    as run_cases does: a named ``item`` (and ``turn``) from ``library`` exactly as the app,
    else the case's own phrasings; spoken, with the stations' ``known_names``.

    ``engine_for()`` returns the recogniser (called on the first audio line only).
    """
    from trainer import speech
    from trainer.scoring import compile_item, score_answer
    from trainer.speech.context import SceneContext, hear

    cases = case_contexts(file)
    served: dict[Path, int] = {}
    engine: dict[str, Any] = {}
    forbidden = library.forbidden_matcher()

    def transcribe(path: Path) -> Any:
        if "engine" not in engine:
            engine["engine"] = engine_for()
        resolved = Path(path).resolve()
        pcm = speech.load_audio(resolved, max_bytes=max(speech.MAX_BYTES,
                                                        resolved.stat().st_size))
        candidates = cases.get(resolved) or []
        if not candidates:
            return engine["engine"].transcribe(pcm)
        case = candidates[min(served.get(resolved, 0), len(candidates) - 1)]
        served[resolved] = served.get(resolved, 0) + 1
        values = {str(k): str(v) for k, v in (case.get("vars") or {}).items()}
        if case.get("item"):
            spec = library.spec_for(case["item"], case.get("turn"))
            item = library.compile(spec)
            names, points = name_values(spec, values), spec.key_points
        else:
            expected = case["expected"] if isinstance(case["expected"], list) else [
                case["expected"]]
            item = compile_item(expected, key_points=case.get("key_points"), forbidden=forbidden,
                                extra_forbidden=tuple(case.get("forbidden") or ()))
            names = [values[k] for k in NAME_KEYS if values.get(k)]
            points = case.get("key_points")
        scene = SceneContext(names=tuple(names), key_points=tuple(points or ()),
                             vocabulary=library.words())
        heard = hear(engine["engine"], pcm, scene,
                     lambda text: score_answer(item, text, values, spoken=True,
                                               known_names=known_names))
        return heard.transcript

    return transcribe


def name_values(spec: Any, values: dict[str, str]) -> list[str]:
    """This attempt's values of the spec's name placeholders (the station, another station)."""
    return [values[name] for name, placeholder in (spec.placeholders or {}).items()
            if getattr(placeholder, "kind", placeholder) == "name" and values.get(name)]
