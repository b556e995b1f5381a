"""Reading fields of one YAML mapping, collecting a Chinese problem for each wrong one.

A validator that stops at the first error makes authors fix files one round-trip at a time;
`Fields` instead records the problem, returns a harmless default and carries on.
"""

from __future__ import annotations

from typing import Any

from trainer.content.problems import Problem

_MISSING = object()


class Fields:
    """The fields of one mapping in `file`, reported under `item_id` and the dotted `path`."""

    def __init__(self, data: Any, problems: list[Problem], file: str, item_id: str = "",
                 path: str = ""):
        self.problems = problems
        self.file = file
        self.item_id = item_id
        self.path = path
        self.line = getattr(data, "line", None)
        self.valid = isinstance(data, dict)
        self.data: dict = data if self.valid else {}
        self.used: set[str] = set()
        if not self.valid:
            self.problem("", "应为“键: 值”形式的映射")

    # --- reporting --------------------------------------------------------------------

    def where(self, key: str) -> str:
        if not key:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.append(
            Problem(self.file, self.item_id, self.where(key), message, line or self.line))

    def child(self, key: str, data: Any, item_id: str | None = None) -> Fields:
        """Fields of a nested mapping, reported under this path (or under a new item id)."""
        if item_id is not None:
            return Fields(data, self.problems, self.file, item_id, "")
        return Fields(data, self.problems, self.file, self.item_id, self.where(key))

    def finish(self, allowed_extra: tuple[str, ...] = ()) -> None:
        """Report keys nobody read: usually a misspelt field name."""
        for key in self.data:
            if key not in self.used and key not in allowed_extra:
                self.problem(str(key), f"未知字段 “{key}”")

    # --- typed access -------------------------------------------------------------------

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self.used.add(key)
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        if default is _MISSING:
            if self.valid:
                self.problem(key, "缺少必填字段")
            return None
        return default

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(key, "应为文字")
            return ""
        value = str(value).strip()
        if not value and default is _MISSING:
            self.problem(key, "不能为空")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            self.problem(key, "应为 true 或 false")
            return default
        return value

    def number(self, key: str, default: Any = _MISSING, *, integer: bool = False,
               minimum: float | None = None) -> Any:
        value = self.raw(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                integer and not isinstance(value, int)):
            self.problem(key, "应为整数" if integer else "应为数字")
            return None
        if minimum is not None and value < minimum:
            self.problem(key, f"不能小于 {minimum:g}")
            return None
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: Any = _MISSING) -> str:
        value = self.text(key, default)
        if value and value not in choices:
            self.problem(key, f"“{value}” 不是允许的取值({'、'.join(choices)})")
            return default if isinstance(default, str) else choices[0]
        return value

    def texts(self, key: str, default: Any = _MISSING, *, allow_single: bool = False,
              min_count: int = 1) -> tuple[str, ...]:
        value = self.raw(key, default)
        if value is None or value is default:
            return tuple(value or ())
        if allow_single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, "应为列表")
            return ()
        result = []
        for index, entry in enumerate(value):
            if isinstance(entry, bool) or not isinstance(entry, str | int | float) or not str(
                    entry).strip():
                self.problem(f"{key}[{index}]", "应为非空文字")
                continue
            result.append(str(entry).strip())
        if len(result) < min_count and default is _MISSING:
            self.problem(key, f"至少需要 {min_count} 项")
        return tuple(result)

    def mappings(self, key: str, default: Any = _MISSING) -> list[Any]:
        value = self.raw(key, default)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "应为列表")
            return []
        return value

