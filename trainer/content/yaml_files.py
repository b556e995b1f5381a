"""Reading content YAML: every mapping remembers its line, duplicate keys are problems.

PyYAML silently keeps the last of two equal keys, which hides exactly the copy-paste slips
reviewers miss, so the loader here reports them instead.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

from trainer.content.problems import Problem


class LineDict(dict):
    """A mapping from YAML that knows the (1-based) line it starts on."""

    line: int | None = None


# libyaml's parser when installed (about five times faster); the constructors stay Python.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]  # chosen at import
    def __init__(self, stream: str, file: str):
        super().__init__(stream)
        self.file = file
        self.problems: list[Problem] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            loader.problems.append(
                Problem(loader.file, "", str(key), f"键 “{key}” 重复出现,后一个会覆盖前一个",
                        key_node.start_mark.line + 1)
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse one content file; a syntax error becomes a problem with its line, data None."""
    loader = _Loader(text, file)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(file, "", "", f"YAML 格式错误:{reason}", line)]
    finally:
        loader.dispose()
    return data, loader.problems


def content_hash(data: Any) -> str:
    """A version of parsed content: equal for files that differ only in layout or comments."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
