"""Training content: YAML modules -> validated frozen dataclasses, plus pure tooling.

No Flask and no database here; the web layer calls `load_content(directory)` and gets a
`ContentLibrary` or a `ContentError` whose `problems` list every problem (see content/README.md).
"""

from trainer.content.calibration import (
    CalibrationReport,
    CalibrationRow,
    MarkedAnswer,
    calibrate,
    parse_marked_answers,
)
from trainer.content.library import ContentLibrary
from trainer.content.loader import check_content, load_content
from trainer.content.model import (
    POSTS,
    AttemptPolicy,
    Card,
    Checklist,
    ChecklistEntry,
    ChoiceQuestion,
    Dialogue,
    DialogueTurn,
    Document,
    Drill,
    FillQuestion,
    ForbiddenPhrase,
    Item,
    Module,
    OrderingQuestion,
    PhraseItem,
    PhraseSpec,
    PlaceholderSpec,
    Question,
    RuleSet,
    Source,
    Step,
    TimeLimit,
    TrueFalseQuestion,
)
from trainer.content.placeholders import fill_placeholders, substitute
from trainer.content.problems import ContentError, Problem, format_problems

__all__ = [
    "POSTS", "AttemptPolicy", "CalibrationReport", "CalibrationRow", "Card", "Checklist",
    "ChecklistEntry", "ChoiceQuestion", "ContentError", "ContentLibrary", "Dialogue",
    "DialogueTurn", "Document", "Drill", "FillQuestion", "ForbiddenPhrase", "Item",
    "MarkedAnswer", "Module", "OrderingQuestion", "PhraseItem", "PhraseSpec", "PlaceholderSpec",
    "Problem", "Question", "RuleSet", "Source", "Step", "TimeLimit", "TrueFalseQuestion",
    "calibrate", "check_content", "fill_placeholders", "format_problems", "load_content",
    "parse_marked_answers", "substitute",
]
