"""Comparing an answer with an approved phrasing: similarity and an aligned character diff.

Both work on the loose sound strings (one symbol per character, see phonetic.py), so a
homophone lines up with the character it stands for. Similarity is the longest common
subsequence measured mostly against the phrasing (recall) and a little against the answer
(precision): courteous extras cost little, a fragment of the phrase (欢迎光临 alone) scores
only its share. partial_ratio and WRatio would score such a fragment near 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import LCSseq, Levenshtein

from trainer.scoring.textnorm import Prepared

DiffKind = Literal["equal", "replace", "insert", "delete"]
_RECALL_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of the diff: `expected` text of the phrasing, `answer` text of the answer.

    equal: same characters; replace: different characters (also homophones, so the UI can
    show them); insert: only in the answer; delete: missing from the answer.
    """

    op: DiffKind
    expected: str
    answer: str


Opcode = tuple[str, int, int, int, int]


def opcodes(expected: str, answer: str) -> list[Opcode]:
    """Levenshtein's edit runs (tag, a0, a1, b0, b1), typed (rapidfuzz's stubs say int | str)."""
    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(expected, answer)]


def similarity(variant: Prepared, answer: Prepared) -> float:
    """0..1: how much of the phrasing the answer says, in order, by sound."""
    if not variant.loose or not answer.loose:
        return 0.0
    common = LCSseq.similarity(variant.loose, answer.loose)
    recall = common / len(variant.loose)
    precision = common / len(answer.loose)
    return _RECALL_WEIGHT * recall + (1 - _RECALL_WEIGHT) * precision


def diff(variant: Prepared, answer: Prepared) -> list[DiffOp]:
    """The aligned character diff between a filled phrasing and an answer (normalised texts)."""
    ops: list[DiffOp] = []
    for tag, a0, a1, b0, b1 in opcodes(variant.loose, answer.loose):
        if tag == "equal":
            for i in range(a1 - a0):
                expected, heard = variant.text[a0 + i], answer.text[b0 + i]
                _append(ops, "equal" if expected == heard else "replace", expected, heard)
        else:
            kind: DiffKind = "replace" if tag == "replace" else tag  # type: ignore[assignment]
            _append(ops, kind, variant.text[a0:a1], answer.text[b0:b1])
    return ops


def _append(ops: list[DiffOp], kind: DiffKind, expected: str, heard: str) -> None:
    if ops and ops[-1].op == kind:
        last = ops[-1]
        ops[-1] = DiffOp(kind, last.expected + expected, last.answer + heard)
    else:
        ops.append(DiffOp(kind, expected, heard))


def aligned_text(variant: Prepared, answer: Prepared, start: int, end: int) -> str:
    """The answer text lined up with variant.text[start:end] (what was said in its place)."""
    low: int | None = None
    high: int | None = None
    for tag, a0, a1, b0, b1 in opcodes(variant.loose, answer.loose):
        if tag == "insert":
            if not start < a0 < end:
                continue
            b_lo, b_hi = b0, b1
        elif a1 <= start or a0 >= end or tag == "delete":
            continue
        else:
            # Map the overlapping part proportionally (a replace run may change length).
            span, width = a1 - a0, b1 - b0
            b_lo = b0 + (max(a0, start) - a0) * width // span
            b_hi = b0 + -(-(min(a1, end) - a0) * width // span)
        low = b_lo if low is None else min(low, b_lo)
        high = b_hi if high is None else max(high, b_hi)
    if low is None or high is None:
        return ""
    return answer.text[low:high]
