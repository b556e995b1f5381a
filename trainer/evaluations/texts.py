"""Written reasons, appeals and evidence as people type them: required, trimmed, bounded.
Pure code."""

from __future__ import annotations

from typing import Any


def checked_text(value: Any, missing: str, limit: int) -> tuple[str, str | None]:
    """(the trimmed text, None) or ("", why not in Chinese): empty is `missing`, longer than
    `limit` characters is refused rather than cut, since a cut reason changes its meaning."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return "", missing
    if len(text) > limit:
        return "", f"最多 {limit} 字,现为 {len(text)} 字"
    return text, None
