"""Content problems: what is wrong, where, in Chinese, collected rather than raised one by one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with the content.

    `file` is the file name relative to the content directory, `item_id` the id of the item
    concerned ("" for the file itself), `field` the dotted path of the field ("" for the whole
    item), `message` the Chinese explanation and `line` the line in the file where known.
    """

    file: str
    item_id: str
    field: str
    message: str
    line: int | None = None


class ContentError(Exception):
    """The content is invalid; `problems` lists every problem found, never only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """The one message `content check`, `make run` and app start-up print for invalid content."""
    problems = list(problems)
    if not problems:
        return "培训内容检查通过,没有发现问题。"
    lines = [f"培训内容有 {len(problems)} 个问题,请修改后再启动:"]
    for problem in problems:
        where = problem.file
        if problem.line is not None:
            where += f" 第{problem.line}行"
        if problem.item_id:
            where += f" [{problem.item_id}]"
        if problem.field:
            where += f" {problem.field}"
        lines.append(f"  - {where}: {problem.message}")
    return "\n".join(lines)
