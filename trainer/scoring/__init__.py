"""The scoring engine: judging spoken or typed service phrases, and ordering questions.

Pure functions and immutable objects; nothing here imports Flask or the database.

    matcher = ForbiddenMatcher.from_yaml("content/forbidden.yaml")   # once
    item = compile_item(["找您{amount}元,请拿好。"], forbidden=matcher)  # once per item
    result = score_answer(item, "找您三十五块钱,您拿好", {"amount": "35"})
    result.verdict, result.score, result.reasons
"""

from trainer.scoring.alignment import DiffOp
from trainer.scoring.cases import Transcriptish, agreement_summary, run_cases
from trainer.scoring.forbidden import ForbiddenHit, ForbiddenMatcher
from trainer.scoring.item import CompiledItem, compile_item
from trainer.scoring.judge import score_answer
from trainer.scoring.ordering import OrderingResult, score_ordering
from trainer.scoring.placeholders import Placeholder
from trainer.scoring.results import ScoreResult

__all__ = [
    "CompiledItem",
    "DiffOp",
    "ForbiddenHit",
    "ForbiddenMatcher",
    "OrderingResult",
    "Placeholder",
    "ScoreResult",
    "Transcriptish",
    "agreement_summary",
    "compile_item",
    "run_cases",
    "score_answer",
    "score_ordering",
]
