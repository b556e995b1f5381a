"""加气站服务培训与考核平台.

The factory lives in trainer/factory.py. This package imports nothing itself, so that the pure
packages (scoring, content, speech) and the rule modules import without Flask; `create_app` is
looked up on first use (PEP 562), which keeps `from trainer import create_app` and
`flask --app trainer` working.
"""

from __future__ import annotations

from typing import Any

_FACTORY_NAMES = ("create_app", "MIGRATIONS_DIR")


def __getattr__(name: str) -> Any:
    if name in _FACTORY_NAMES:
        from trainer import factory

        return getattr(factory, name)
    raise AttributeError(f"module 'trainer' has no attribute {name!r}")
