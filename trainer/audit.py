"""Recording changes in the audit log, in the same transaction as the change itself."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from trainer.extensions import db
from trainer.models import AuditLog, User


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of obj as JSON-able values, for the before/after of a log entry."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def log_change(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: Any,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditLog:
    """Add an audit entry to the current session; the caller's commit writes it with the change."""
    entry = AuditLog(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
        reason=reason or "",
    )
    db.session.add(entry)
    return entry


def changed_fields(before: dict, after: dict) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs between two snapshots."""
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
