"""The person's modules and study cards: which module he may open, which cards he has read."""

from __future__ import annotations

from sqlalchemy import select

from trainer.content import Card, Module
from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import CardStudy, User
from trainer.progress import assigned_modules


def module_for(user: User, module_id: str, library: ContentLibrary) -> Module | None:
    """The module if it is assigned to the person (as his rule set teaches it), else None."""
    return next((m for m in assigned_modules(user, library) if m.id == module_id), None)


def studied_in(user: User, module: Module) -> set[str]:
    """Ids of the module's cards the person has marked as read."""
    ids = [card.id for card in module.cards]
    if not ids:
        return set()
    return set(db.session.scalars(select(CardStudy.card_id).where(
        CardStudy.user_id == user.id, CardStudy.card_id.in_(ids))))


def mark_studied(user: User, module: Module, card: Card) -> bool:
    """Record that the person has read the card (once; the caller commits). True if new."""
    exists = db.session.scalar(select(CardStudy.id).where(
        CardStudy.user_id == user.id, CardStudy.card_id == card.id))
    if exists is not None:
        return False
    db.session.add(CardStudy(user_id=user.id, card_id=card.id, module_id=module.id,
                             module_version=module.version))
    return True
