"""The tone of an added remark, learnt from remarks a station head has judged.

Rules catch the rude remarks that have a shape (忌语 families, retorts, blunt 别 …); many more
say something unkind in ordinary words (天天跟您说您就是记不住, 您这车一股烟味). A head knows
them by their tone. So does this model, from labelled examples (content/remarks.yaml): a naive
Bayes over the remark's characters, pairs and triples of characters, which measured on sets
written by other people catches about nine rude remarks in ten while doubting about one kind
remark in sixteen. It only ever sends a remark to the head (review): it never passes and never
fails an answer on its own, and it names the labelled remark the new one is most like, so the
head sees why.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from trainer.scoring.textnorm import prepare_cached

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "content" / "remarks.yaml"
_SMOOTHING = 0.5


def grams(text: str) -> frozenset[str]:
    """The characters, pairs and triples of characters of a normalised remark."""
    return frozenset(text[i:i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1))


@dataclass(frozen=True, eq=False)
class ToneModel:
    """Counts of the grams of rude and kind remarks; `threshold` the log-odds from which a
    remark is doubtful."""

    rude: tuple[str, ...]
    kind: tuple[str, ...]
    threshold: float = 0.0
    _weights: dict[str, float] = field(default_factory=dict, repr=False)
    _prior: float = 0.0
    _rude_pairs: tuple[frozenset[str], ...] = field(default=(), repr=False)

    @classmethod
    def train(cls, rude: Iterable[str], kind: Iterable[str], threshold: float = 0.0
              ) -> ToneModel:
        """A model from example remarks (any spelling: they are normalised here)."""
        rude_texts = tuple(t for t in (prepare_cached(r).text for r in rude) if t)
        kind_texts = tuple(t for t in (prepare_cached(k).text for k in kind) if t)
        counts = (Counter(g for t in kind_texts for g in grams(t)),
                  Counter(g for t in rude_texts for g in grams(t)))
        vocabulary = set(counts[0]) | set(counts[1])
        totals = [sum(c.values()) + _SMOOTHING * len(vocabulary) for c in counts]
        weights = {g: math.log((counts[1][g] + _SMOOTHING) / totals[1])
                   - math.log((counts[0][g] + _SMOOTHING) / totals[0]) for g in vocabulary}
        prior = math.log(max(1, len(rude_texts)) / max(1, len(kind_texts)))
        model = cls(rude_texts, kind_texts, threshold)
        object.__setattr__(model, "_weights", weights)
        object.__setattr__(model, "_prior", prior)
        object.__setattr__(model, "_rude_pairs", tuple(
            frozenset(g for g in grams(t) if len(g) > 1) for t in rude_texts))
        return model

    def score(self, text: str) -> float:
        """Log-odds that the (normalised) remark is rude; grams never seen count nothing."""
        if not self._weights:
            return -math.inf
        return self._prior + sum(self._weights.get(g, 0.0) for g in grams(text))

    def doubtful(self, text: str) -> bool:
        """Whether the remark sounds rude enough for the head to judge it."""
        return self.score(text) >= self.threshold

    def closest(self, text: str) -> str:
        """The labelled rude remark that shares most pairs and triples with this one."""
        mine = frozenset(g for g in grams(text) if len(g) > 1)
        best, shared = "", 0
        for example, pairs in zip(self.rude, self._rude_pairs, strict=True):
            common = len(mine & pairs)
            if common > shared:
                best, shared = example, common
        return best


def from_mapping(data: object) -> ToneModel:
    """A model from a parsed content/remarks.yaml; ValueError (Chinese) when it is unusable."""
    if not isinstance(data, dict):
        raise ValueError("应为“键: 值”形式的映射")
    rude, kind = data.get("rude"), data.get("kind_remarks")
    threshold = data.get("threshold", 0)
    for name, value in (("rude", rude), ("kind_remarks", kind)):
        if not isinstance(value, list) or len(value) < 20 or not all(
                isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"{name}: 应为至少 20 句例句的列表")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ValueError("threshold: 应为数字")
    return ToneModel.train(cast(list[str], rude), cast(list[str], kind), float(threshold))


@lru_cache(maxsize=1)
def default_tone() -> ToneModel:
    """The repository's content/remarks.yaml, trained once."""
    import yaml

    return from_mapping(yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8")))


def examples_from(cases: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(rude, kind) remark lists from (remark, label) pairs, each remark once."""
    rude = sorted({r for r, label in cases if label == "fail" and r})
    kind = sorted({r for r, label in cases if label == "pass" and r} - set(rude))
    return rude, kind
