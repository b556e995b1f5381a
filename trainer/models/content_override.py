"""The admin's corrections of training content, layered over the YAML files (issue 17).

Append-only like the audit log: a correction is a new row; the newest row of an item is the
one in force (its fields replace the YAML's). Rows are never updated or deleted: the ORM
refuses it here and the migration's triggers refuse it in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.models.audit import AppendOnlyError
from trainer.timeutil import now


class ContentOverride(db.Model):
    __tablename__ = "content_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), index=True)
    # The item's YAML keys replaced, as the YAML would spell them (expected, key_points,
    # status, body …).
    fields: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


@event.listens_for(ContentOverride, "before_update")
def _refuse_update(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("内容修正记录只能追加,不能修改")


@event.listens_for(ContentOverride, "before_delete")
def _refuse_delete(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("内容修正记录只能追加,不能删除")
