"""Text bound for a spreadsheet cell, never read as a formula.

Excel, WPS and LibreOffice start a formula with = + - @ (and run one after a tab or line
break); Chinese input methods type the full-width ＝ ＋ － ＠, which WPS and Excel in a Chinese
locale also take as a formula, and NFKC folds other look-alikes (﹦ ₌ ⁼ ﹢ ﹣ ＂...) into the
same characters. A cell whose first visible character is one of them gets a leading
apostrophe, which every spreadsheet shows as text. Pure module.
"""

from __future__ import annotations

import unicodedata

FORMULA_START = frozenset("=+-@")
# Characters NFKC leaves alone that spreadsheets still read as a minus or an equals sign.
LOOKALIKES = frozenset("\u2212\u2010\u2011\u2012\u2013\u2014\ua78a\u2e40\u30a0")
CONTROL_START = frozenset("\t\r\n")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read the text as a formula."""
    if not text:
        return False
    if text[0] in CONTROL_START:
        return True
    first = text.lstrip(" \u3000\u00a0")[:1]
    if not first:
        return False
    return first in LOOKALIKES or unicodedata.normalize("NFKC", first)[:1] in FORMULA_START


def cell_text(text: str) -> str:
    """The text as it must go into a cell: with a leading apostrophe when it could start a
    formula, unchanged otherwise."""
    return "'" + text if starts_formula(text) else text
