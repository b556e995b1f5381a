"""Corrections layered over the YAML files: an item's keys replaced before validation, so a
correction is checked exactly like the files (`flask content check`) and scored like them.

Pure: the database side (trainer/admin/content_corrections.py) hands in a mapping
``{item_id: {yaml_key: value}}``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

# What a correction may replace, by section of a module file.
EDITABLE: dict[str, tuple[str, ...]] = {
    "phrases": ("expected", "key_points", "explanation", "status"),
    "cards": ("title", "body", "status"),
    "questions": ("prompt", "explanation", "status"),
    "dialogues": ("status",),
}

Overrides = Mapping[str, Mapping[str, Any]]


def fingerprint(overrides: Overrides | None) -> str:
    """A stable text naming the overrides (part of the content cache's key)."""
    return json.dumps(overrides or {}, ensure_ascii=False, sort_keys=True, default=str)


def section_of(data: Any, item_id: str) -> str | None:
    """The section of a module file's raw data holding the item (None: not in this file)."""
    if not isinstance(data, dict):
        return None
    for section in EDITABLE:
        for raw in data.get(section) or []:
            if isinstance(raw, dict) and raw.get("id") == item_id:
                return section
    return None


def apply_overrides(data: Any, overrides: Overrides | None) -> Any:
    """A copy of a module file's raw data with the overridden keys replaced (the same object
    when nothing applies). Keys a section does not allow are ignored."""
    if not overrides or not isinstance(data, dict):
        return data
    touched = [s for s in EDITABLE if any(
        isinstance(raw, dict) and raw.get("id") in overrides for raw in data.get(s) or [])]
    if not touched:
        return data
    data = copy.deepcopy(data)
    for section in touched:
        for raw in data[section]:
            if isinstance(raw, dict) and raw.get("id") in overrides:
                for key, value in overrides[raw["id"]].items():
                    if key in EDITABLE[section]:
                        raw[key] = value
    return data
