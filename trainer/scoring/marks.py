"""The answer with what decided its verdict marked, for pages that show a scored answer.

A stored result (ScoreResult.to_dict()) has `forbidden_found` and `flags` spans indexing the
answer as it was scored. `render_marked` returns HTML: the answer in simplified characters,
escaped piece by piece, each span in a <mark> whose class says its kind and whose title says
why — so the trainee page, the review page and the evaluation pages show the same thing.
"""

from __future__ import annotations

from html import escape
from typing import Any

from trainer.scoring.textnorm import to_simplified

_CLASSES = {"forbidden": "forbidden", "rude": "forbidden", "negation": "negation",
            "remark": "remark"}


def spans_of(result: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, title) of every marked part, in order, without overlaps."""
    found: list[tuple[int, int, str, str]] = []
    for hit in result.get("forbidden_found") or []:
        title = f"{hit.get('kind') or '服务忌语'}:{hit.get('phrase', '')}"
        found.append((int(hit["start"]), int(hit["end"]), "forbidden", title))
    for flag in result.get("flags") or []:
        kind = _CLASSES.get(flag.get("kind", ""), "remark")
        found.append((int(flag["start"]), int(flag["end"]), kind, str(flag.get("label", ""))))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, str]] = []
    for span in found:
        if span[1] > span[0] and (not kept or span[0] >= kept[-1][1]):
            kept.append(span)
    return kept


def render_marked(text: str, result: dict[str, Any]) -> str:
    """Escaped HTML of `text` with the result's spans marked (see the module docstring)."""
    pieces: list[str] = []
    at = 0
    for start, end, css, title in spans_of(result):
        if end > len(text):
            continue
        pieces.append(escape(to_simplified(text[at:start])))
        pieces.append(f'<mark class="{css}" title="{escape(title)}">'
                      f"{escape(to_simplified(text[start:end]))}</mark>")
        at = end
    pieces.append(escape(to_simplified(text[at:])))
    return "".join(pieces)
